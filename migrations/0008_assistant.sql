-- The assistant's history (SPEC §4.3, "Assistant chat"): conversations and their messages.
-- A conversation belongs to whoever started it: a person (`user`) or a token (`token`).

-- The `llm` integration the assistant answers with; none means the default answerer. An
-- integration that is deleted leaves the assistant on the default answerer.
ALTER TABLE workspaces ADD COLUMN assistant_integration_id TEXT
    REFERENCES integrations (id) ON DELETE SET NULL;

CREATE TABLE assistant_conversations (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    started_by_kind  TEXT NOT NULL CHECK (started_by_kind IN ('user', 'token')),
    started_by_id    TEXT NOT NULL,
    -- The first question, shortened: how lists name the conversation.
    title            TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX assistant_conversations_starter
    ON assistant_conversations (workspace_id, started_by_kind, started_by_id, updated_at);
CREATE INDEX assistant_conversations_time ON assistant_conversations (workspace_id, updated_at);

-- One question and its answer. The row is written when the answer starts (`state` streaming)
-- and completed when it ends; an answer cut short (the client left, the server stopped)
-- keeps what was said, with `state` partial.
CREATE TABLE assistant_messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES assistant_conversations (id) ON DELETE CASCADE,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    question         TEXT NOT NULL,
    answer           TEXT NOT NULL,
    -- The cited passages as JSON: [{n, document_id, chunk_id, title, heading, snippet}].
    citations        TEXT NOT NULL,
    answerer         TEXT NOT NULL CHECK (answerer IN ('extractive', 'model')),
    state            TEXT NOT NULL CHECK (state IN ('streaming', 'completed', 'partial')),
    finish_reason    TEXT,
    created_at       BIGINT NOT NULL,
    first_delta_ms   BIGINT,
    completed_ms     BIGINT
);
CREATE UNIQUE INDEX assistant_messages_position ON assistant_messages (conversation_id, position);
