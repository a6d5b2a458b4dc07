-- API tokens and their daily usage.
-- Portable SQL: runs unchanged on SQLite and PostgreSQL (see app/src/db.rs).
-- Only the key id and an argon2id PHC hash of the secret are kept; the full token never is.

CREATE TABLE tokens (
    id                    TEXT PRIMARY KEY,
    workspace_id          TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key_id                TEXT NOT NULL,
    secret_hash           TEXT NOT NULL,
    name                  TEXT NOT NULL,
    -- The case-folded name that uniqueness is enforced on.
    name_key              TEXT NOT NULL,
    scope_kind            TEXT NOT NULL CHECK (scope_kind IN ('account', 'environment', 'deployment')),
    -- Deleting an environment or agent revokes its tokens first (tokens::service::
    -- revoke_scoped_to); SET NULL then keeps the revoked record for the history.
    environment_id        TEXT REFERENCES environments (id) ON DELETE SET NULL,
    agent_id              TEXT REFERENCES agents (id) ON DELETE SET NULL,
    status                TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    expires_at            BIGINT,
    created_at            BIGINT NOT NULL,
    -- The creator's label as it was, so it survives the user's removal.
    created_by            TEXT NOT NULL,
    created_by_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    usage_count           BIGINT NOT NULL DEFAULT 0,
    last_used_at          BIGINT,
    -- After a regeneration with a grace period, the old key keeps working until
    -- previous_valid_until.
    previous_key_id       TEXT,
    previous_secret_hash  TEXT,
    previous_valid_until  BIGINT,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX tokens_key_id ON tokens (key_id);
CREATE UNIQUE INDEX tokens_previous_key_id ON tokens (previous_key_id);
CREATE UNIQUE INDEX tokens_name ON tokens (workspace_id, name_key);
CREATE INDEX tokens_workspace_created ON tokens (workspace_id, created_at);
CREATE INDEX tokens_environment ON tokens (environment_id);
CREATE INDEX tokens_agent ON tokens (agent_id);

-- Calls per token per UTC day (day = epoch milliseconds / 86 400 000).
CREATE TABLE token_usage_daily (
    token_id  TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    day       BIGINT NOT NULL,
    calls     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (token_id, day)
);
