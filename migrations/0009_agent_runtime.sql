-- The agent runtime (SPEC §4.3): triggers start executions of an agent in one environment.

-- What starts an agent in one environment: `manual` triggers run when asked (`execute`),
-- `schedule` triggers at their cron expression's fire times, `webhook` triggers when an event
-- is sent to them.
CREATE TABLE triggers (
    id              TEXT PRIMARY KEY,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    agent_id        TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    environment_id  TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('manual', 'schedule', 'webhook')),
    enabled         BIGINT NOT NULL DEFAULT 1,
    -- Schedule triggers: a cron expression read in an IANA time zone, and the next fire time
    -- (ms), which an instance moves forward in the transaction that queues its execution.
    cron                   TEXT,
    time_zone              TEXT,
    next_fire_at           BIGINT,
    -- Webhook triggers: the signing secret, sealed (app/src/crypto/sealing.rs); after a
    -- rotation the previous one still verifies until `previous_secret_until`.
    signing_secret         TEXT,
    previous_secret        TEXT,
    previous_secret_until  BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX triggers_name ON triggers (workspace_id, name_key);
CREATE INDEX triggers_agent ON triggers (workspace_id, agent_id);
CREATE INDEX triggers_due ON triggers (kind, enabled, next_fire_at);

-- One run of an agent's steps. The job that runs it is a row of `jobs` (kind
-- `run_execution`); this row is what people and programs see, and outlives the job.
-- `idempotency_key` is cleared after 24 hours, so a key may then be used again.
CREATE TABLE executions (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    agent_id          TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    environment_id    TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    trigger_id        TEXT REFERENCES triggers (id) ON DELETE SET NULL,
    trigger_name      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN
                        ('queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out')),
    input             TEXT NOT NULL,
    output            TEXT,
    error             TEXT,
    attempts          BIGINT NOT NULL DEFAULT 0,
    cancel_requested  BIGINT NOT NULL DEFAULT 0,
    idempotency_key   TEXT,
    created_at        BIGINT NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT
);
CREATE INDEX executions_agent ON executions (workspace_id, agent_id, created_at);
CREATE UNIQUE INDEX executions_idempotency ON executions (trigger_id, idempotency_key);

-- The step log of an execution's latest attempt: what ran, how long, what came out
-- (truncated). Never a secret: integration secrets are added to requests, not to this log.
CREATE TABLE execution_steps (
    execution_id  TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    step_index    BIGINT NOT NULL,
    step_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN
                    ('running', 'succeeded', 'failed', 'canceled', 'timed_out')),
    started_at    BIGINT NOT NULL,
    duration_ms   BIGINT,
    output        TEXT,
    error         TEXT,
    PRIMARY KEY (execution_id, step_index)
);

-- Events sent to webhook triggers, as received (credentials and signatures left out), each
-- with the execution it started. `webhook_id` (Standard Webhooks) and `idempotency_key`
-- dedupe repeated deliveries.
CREATE TABLE webhook_events (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    trigger_id       TEXT NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
    execution_id     TEXT NOT NULL,
    webhook_id       TEXT,
    idempotency_key  TEXT,
    content_type     TEXT NOT NULL,
    headers          TEXT NOT NULL,
    body_base64      TEXT NOT NULL,
    source_addr      TEXT,
    received_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX webhook_events_webhook_id ON webhook_events (trigger_id, webhook_id);
CREATE UNIQUE INDEX webhook_events_idempotency ON webhook_events (trigger_id, idempotency_key);
