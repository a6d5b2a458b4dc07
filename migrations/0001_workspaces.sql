-- Portable SQL: runs unchanged on SQLite and PostgreSQL (see app/src/db.rs).
-- Ids are application-generated text; times are UTC epoch milliseconds.
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
