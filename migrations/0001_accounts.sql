-- People and places: workspaces, users, memberships, sessions, invites, environments,
-- agents and the audit log.
-- Portable SQL: runs unchanged on SQLite and PostgreSQL (see app/src/db.rs).
-- Ids are application-generated text; times are UTC epoch milliseconds (BIGINT).
-- `*_key` columns hold the case-folded name that uniqueness is enforced on.

CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- The session id itself lives only in the browser's cookie; the database keeps its SHA-256.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Invite links carry a random code; the database keeps its SHA-256.
CREATE TABLE invites (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    code_hash    TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_by   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT,
    accepted_by  TEXT REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX invites_code_hash ON invites (code_hash);
CREATE INDEX invites_workspace ON invites (workspace_id);

CREATE TABLE environments (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    purpose       TEXT NOT NULL CHECK (purpose IN ('development', 'staging', 'testing', 'production')),
    description   TEXT NOT NULL DEFAULT '',
    public_id     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX environments_name ON environments (workspace_id, name_key);
CREATE UNIQUE INDEX environments_public_id ON environments (public_id);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    version       TEXT NOT NULL,
    config        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX agents_name ON agents (workspace_id, name_key);

-- Append-only history. Labels are copied in so the history survives deletions.
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    occurred_at   BIGINT NOT NULL,
    actor_kind    TEXT NOT NULL CHECK (actor_kind IN ('user', 'token', 'system')),
    actor_id      TEXT,
    actor_label   TEXT NOT NULL,
    action        TEXT NOT NULL,
    target_kind   TEXT,
    target_id     TEXT,
    target_label  TEXT,
    client_addr   TEXT
);
CREATE INDEX audit_events_workspace_time ON audit_events (workspace_id, occurred_at);

-- At most one row: first-run setup inserts it in the same transaction as the owner, so a
-- second (or concurrent) setup attempt fails on the primary key.
CREATE TABLE installation (
    id            BIGINT PRIMARY KEY CHECK (id = 1),
    completed_at  BIGINT NOT NULL
);
