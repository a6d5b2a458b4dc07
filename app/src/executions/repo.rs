//! SQL for executions and their step logs, and nothing else. Reads by id are filtered by
//! workspace, so another workspace's execution behaves exactly like one that does not exist;
//! the runner's writes go by id alone (it holds the execution's job).

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ExecutionRow {
    pub id: String,
    pub workspace_id: String,
    pub agent_id: String,
    pub environment_id: String,
    pub trigger_id: Option<String>,
    pub trigger_name: String,
    pub status: String,
    /// JSON.
    pub input: String,
    /// JSON.
    pub output: Option<String>,
    pub error: Option<String>,
    pub attempts: i64,
    pub cancel_requested: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, workspace_id, agent_id, environment_id, trigger_id, trigger_name, \
                       status, input, output, error, attempts, cancel_requested, created_at, \
                       started_at, finished_at";

#[derive(Debug, Clone, FromRow)]
pub struct StepRow {
    pub step_id: String,
    pub kind: String,
    pub status: String,
    pub started_at: i64,
    pub duration_ms: Option<i64>,
    pub output: Option<String>,
    pub error: Option<String>,
}

/// A new, queued execution.
pub struct NewExecution<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub agent_id: &'a str,
    pub environment_id: &'a str,
    pub trigger_id: &'a str,
    pub trigger_name: &'a str,
    pub input: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub now: i64,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewExecution<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO executions (id, workspace_id, agent_id, environment_id, trigger_id, \
         trigger_name, status, input, idempotency_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9)",
    )
    .bind(new.id)
    .bind(new.workspace_id)
    .bind(new.agent_id)
    .bind(new.environment_id)
    .bind(new.trigger_id)
    .bind(new.trigger_name)
    .bind(new.input)
    .bind(new.idempotency_key)
    .bind(new.now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn find(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<Option<ExecutionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM executions WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The execution a trigger started under an idempotency key.
pub async fn find_by_key(
    conn: &mut AnyConnection,
    trigger_id: &str,
    key: &str,
) -> Result<Option<ExecutionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM executions WHERE trigger_id = $1 AND idempotency_key = $2"
    ))
    .bind(trigger_id)
    .bind(key)
    .fetch_optional(conn)
    .await
}

/// Frees a trigger's idempotency key if its execution was started before `before`, so the
/// key starts a new one.
pub async fn expire_key(
    conn: &mut AnyConnection,
    trigger_id: &str,
    key: &str,
    before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE executions SET idempotency_key = NULL \
         WHERE trigger_id = $1 AND idempotency_key = $2 AND created_at < $3",
    )
    .bind(trigger_id)
    .bind(key)
    .bind(before)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Which executions of an agent a list holds. Empty strings match everything.
pub struct ExecutionFilter<'a> {
    pub agent_id: &'a str,
    pub status: &'a str,
    pub environment_id: &'a str,
    /// The caller's reach: only this environment (empty: any).
    pub reach_environment_id: &'a str,
    pub limit: i64,
    pub offset: i64,
}

/// One page, newest first, and how many match in all pages.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    filter: &ExecutionFilter<'_>,
) -> Result<(Vec<ExecutionRow>, i64), sqlx::Error> {
    let query = crate::paging::ListQuery {
        columns: COLUMNS,
        from: "executions",
        conditions: "workspace_id = $1 AND agent_id = $2 AND ($3 = '' OR status = $3) \
                     AND ($4 = '' OR environment_id = $4) AND ($5 = '' OR environment_id = $5)",
        order: "created_at DESC, id DESC",
    };
    let binds = [
        workspace_id,
        filter.agent_id,
        filter.status,
        filter.environment_id,
        filter.reach_environment_id,
    ];
    crate::paging::page(pool, &query, &binds, filter.limit, filter.offset).await
}

/// The latest executions a trigger started, newest first.
pub async fn recent_of_trigger(
    pool: &AnyPool,
    workspace_id: &str,
    trigger_id: &str,
    limit: i64,
) -> Result<Vec<ExecutionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM executions WHERE workspace_id = $1 AND trigger_id = $2 \
         ORDER BY created_at DESC, id DESC LIMIT $3"
    ))
    .bind(workspace_id)
    .bind(trigger_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Cancels a queued execution at once, or asks a running one to stop at its next step
/// boundary. `None` when it is already over (or gone).
pub async fn cancel(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    now: i64,
) -> Result<Option<ExecutionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE executions SET \
           status = CASE WHEN status = 'queued' THEN 'canceled' ELSE status END, \
           finished_at = CASE WHEN status = 'queued' THEN $1 ELSE finished_at END, \
           error = CASE WHEN status = 'queued' THEN 'Canceled before it started.' ELSE error END, \
           cancel_requested = 1 \
         WHERE workspace_id = $2 AND id = $3 AND status IN ('queued', 'running') \
         RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Starts an attempt: the execution is running (unless it is already over or was canceled
/// while queued) and its attempt counted. A later attempt also clears the step log of the
/// one before; a first has none, so it is one statement.
pub async fn begin_attempt(
    pool: &AnyPool,
    id: &str,
    now: i64,
) -> Result<Option<ExecutionRow>, sqlx::Error> {
    let row: Option<ExecutionRow> = sqlx::query_as(&format!(
        "UPDATE executions SET status = 'running', attempts = attempts + 1, \
           started_at = COALESCE(started_at, $1) \
         WHERE id = $2 AND status IN ('queued', 'running') AND cancel_requested = 0 \
         RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    if row.as_ref().is_some_and(|row| row.attempts > 1) {
        sqlx::query("DELETE FROM execution_steps WHERE execution_id = $1")
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(row)
}

/// Ends a queued or running execution in a final status.
pub async fn finish(
    conn: &mut AnyConnection,
    id: &str,
    status: &str,
    output: Option<&str>,
    error: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE executions SET status = $1, output = $2, error = $3, finished_at = $4 \
         WHERE id = $5 AND status IN ('queued', 'running')",
    )
    .bind(status)
    .bind(output)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A running execution handed back unfinished (its instance is shutting down): queued again.
pub async fn requeue(pool: &AnyPool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE executions SET status = 'queued' WHERE id = $1 AND status = 'running'")
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
}

/// An execution a step may start in: running, and no one asked to cancel it.
const STILL_RUNNING: &str = "status = 'running' AND cancel_requested = 0";

/// Logs a step as started while the execution runs; when it was canceled meanwhile (or is
/// over, or gone) nothing is written and the answer is false. One statement, so a cancel is
/// seen at every step boundary without a read of its own.
pub async fn start_step(
    pool: &AnyPool,
    execution_id: &str,
    index: i64,
    step_id: &str,
    kind: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let started = sqlx::query(&format!(
        "INSERT INTO execution_steps (execution_id, step_index, step_id, kind, status, started_at) \
         SELECT id, $2, $3, $4, 'running', $5 FROM executions \
         WHERE id = $1 AND {STILL_RUNNING}"
    ))
    .bind(execution_id)
    .bind(index)
    .bind(step_id)
    .bind(kind)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(started.rows_affected() == 1)
}

/// Whether the execution still runs and no one asked to cancel it: checked at each step
/// boundary after the first (starting the attempt checked that one).
pub async fn still_running(pool: &AnyPool, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT 1 FROM executions WHERE id = $1 AND {STILL_RUNNING}"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// How a step ended, for its log row.
pub struct StepEnd<'a> {
    pub status: &'a str,
    pub duration_ms: i64,
    pub output: Option<&'a str>,
    pub error: Option<&'a str>,
}

pub async fn end_step(
    pool: &AnyPool,
    execution_id: &str,
    index: i64,
    end: &StepEnd<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE execution_steps SET status = $1, duration_ms = $2, output = $3, error = $4 \
         WHERE execution_id = $5 AND step_index = $6",
    )
    .bind(end.status)
    .bind(end.duration_ms)
    .bind(end.output)
    .bind(end.error)
    .bind(execution_id)
    .bind(index)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Logs a step that ended before it was logged as running: its whole row at once.
pub async fn log_step(
    conn: &mut AnyConnection,
    execution_id: &str,
    step: &StepStart<'_>,
    end: &StepEnd<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO execution_steps (execution_id, step_index, step_id, kind, status, \
         started_at, duration_ms, output, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(execution_id)
    .bind(step.index)
    .bind(step.step_id)
    .bind(step.kind)
    .bind(end.status)
    .bind(step.started_at)
    .bind(end.duration_ms)
    .bind(end.output)
    .bind(end.error)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Which step of an execution, and when it started.
pub struct StepStart<'a> {
    pub index: i64,
    pub step_id: &'a str,
    pub kind: &'a str,
    pub started_at: i64,
}

pub async fn steps(pool: &AnyPool, execution_id: &str) -> Result<Vec<StepRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT step_id, kind, status, started_at, duration_ms, output, error \
         FROM execution_steps WHERE execution_id = $1 ORDER BY step_index",
    )
    .bind(execution_id)
    .fetch_all(pool)
    .await
}
