-- Invites name the person they are for, and can be withdrawn.
-- Portable SQL: runs unchanged on SQLite and PostgreSQL (see app/src/db.rs).
-- `email` is lower-cased (auth::domain::parse_email); the account created on acceptance gets it.
-- An invite is pending while accepted_at and revoked_at are NULL and expires_at is in the future.

ALTER TABLE invites ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN revoked_at BIGINT;
CREATE INDEX invites_workspace_email ON invites (workspace_id, email);
