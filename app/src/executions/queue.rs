//! Queueing an execution: its row and its `run_execution` job, inside the caller's
//! transaction, so it exists exactly when its job does. Every way an execution starts (run
//! now, a schedule, a webhook event) comes through here.

use serde_json::Value;
use sqlx::AnyConnection;

use super::model::{Execution, ExecutionStatus};
use super::repo::{self, NewExecution};
use crate::jobs::{queue as jobs, JobKind};

/// What a trigger starts: an execution of its agent in its environment.
pub struct Start<'a> {
    pub workspace_id: &'a str,
    pub agent_id: &'a str,
    pub environment_id: &'a str,
    pub trigger_id: &'a str,
    pub trigger_name: &'a str,
    pub input: &'a Value,
    /// A repeated key within [`IDEMPOTENCY_WINDOW_MS`] returns the original execution.
    pub idempotency_key: Option<&'a str>,
}

/// How long an idempotency key names its execution.
pub const IDEMPOTENCY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Inserts a queued execution and its job inside the caller's transaction (the caller wakes
/// the workers once it commits: `state.jobs.wake()`).
pub async fn queue(
    conn: &mut AnyConnection,
    start: &Start<'_>,
    now: i64,
) -> Result<Execution, sqlx::Error> {
    let id = crate::clock::new_id();
    let input = start.input.to_string();
    let new = NewExecution {
        id: &id,
        workspace_id: start.workspace_id,
        agent_id: start.agent_id,
        environment_id: start.environment_id,
        trigger_id: start.trigger_id,
        trigger_name: start.trigger_name,
        input: &input,
        idempotency_key: start.idempotency_key,
        now,
    };
    repo::insert(conn, &new).await?;
    jobs::enqueue(conn, JobKind::RunExecution, &id, now).await?;
    // What the insert stored, without reading it back (this is every webhook event's path).
    Ok(Execution {
        id: id.clone(),
        agent_id: start.agent_id.to_owned(),
        environment_id: start.environment_id.to_owned(),
        trigger_id: Some(start.trigger_id.to_owned()),
        trigger_name: start.trigger_name.to_owned(),
        status: ExecutionStatus::Queued,
        input: start.input.clone(),
        output: None,
        error: None,
        attempts: 0,
        cancel_requested: false,
        created_at_ms: now,
        started_at_ms: None,
        finished_at_ms: None,
        steps: None,
    })
}
