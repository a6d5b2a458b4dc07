-- Storage, the knowledge base and the job queue (SPEC §4.3, "Storage and the knowledge base").
-- The full-text index differs per engine: migrations/sqlite and migrations/postgres add it.

-- Bytes stored in a workspace, kept by every upload and delete in the same transaction as the
-- file row: the quota is checked by one conditional UPDATE of this counter, so concurrent
-- uploads cannot together pass it on either engine.
ALTER TABLE workspaces ADD COLUMN storage_used_bytes BIGINT NOT NULL DEFAULT 0;

-- An uploaded file. Its bytes live in the blob store under `blob_key` (a generated id, never
-- the client's name, which is display metadata only).
CREATE TABLE stored_files (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    blob_key      TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX stored_files_workspace_time ON stored_files (workspace_id, created_at);
-- Identical bytes are stored once per workspace: a second upload answers the first file.
CREATE UNIQUE INDEX stored_files_content ON stored_files (workspace_id, sha256);

-- A file the knowledge base reads: pending until its ingestion job has run, then ready (with
-- chunks) or failed (with the reason, shown to people).
CREATE TABLE kb_documents (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    file_id       TEXT NOT NULL REFERENCES stored_files (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
    failure       TEXT,
    chunk_count   BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX kb_documents_file ON kb_documents (file_id);
CREATE INDEX kb_documents_workspace_time ON kb_documents (workspace_id, created_at);

-- A passage of a document under its heading: the unit search finds. The title is copied in
-- so the engine's index can weight it without a join.
CREATE TABLE kb_chunks (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    document_id   TEXT NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL,
    title         TEXT NOT NULL,
    heading       TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX kb_chunks_document ON kb_chunks (document_id, position);

-- Durable background work (app/src/jobs): a row per job still to run. A worker claims one by
-- taking its lease; a lease that runs out (its instance died) makes the job claimable again,
-- until `attempts` reaches `max_attempts`. Finished jobs are deleted.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('queued', 'running')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    max_attempts  BIGINT NOT NULL,
    run_after     BIGINT NOT NULL,
    lease_owner   TEXT,
    lease_until   BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX jobs_claimable ON jobs (state, run_after);
