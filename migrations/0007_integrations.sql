-- Integrations (SPEC §4.3): named connections to outside services. Settings are plain JSON;
-- secret values live in integration_secrets, sealed (app/src/crypto/sealing.rs): the column
-- never holds a plaintext value.
CREATE TABLE integrations (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('http', 'llm')),
    settings      TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX integrations_name ON integrations (workspace_id, name_key);

CREATE TABLE integration_secrets (
    integration_id  TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    field           TEXT NOT NULL,
    sealed          TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (integration_id, field)
);
