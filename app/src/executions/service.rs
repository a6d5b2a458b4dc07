//! List, read and cancel executions for both doors, and start them for triggers: the policy
//! first (an environment token reaches its environment's executions, a deployment token its
//! own agent's there), then the query or the transaction.

use serde_json::Value;

use super::model::{Execution, ExecutionPage, ExecutionQuery, ExecutionStatus, StepLogEntry};
use super::queue::{queue, Start, IDEMPOTENCY_WINDOW_MS};
use super::repo::{self, ExecutionFilter, ExecutionRow, StepRow};
use super::run::LOGGED_OUTPUT_BYTES;
use crate::access::{authorize, reach, Action, Op, Principal, Reach, Resource, Target};
use crate::clock::now_ms;
use crate::error::AppError;
use crate::paging;
use crate::state::AppState;

const READ: Action = Action::read(Resource::Executions);
const CANCEL: Action = Action::new(Resource::Executions, Op::Cancel);

/// One page of an agent's executions the caller may see, newest first.
#[tracing::instrument(name = "executions.list", skip_all, fields(agent_id = %agent_id))]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    agent_id: &str,
    query: &ExecutionQuery,
) -> Result<ExecutionPage, AppError> {
    let reach = reach(principal, READ)?;
    let reach_environment_id = match &reach {
        Reach::Workspace => "",
        Reach::Environment(environment_id) => environment_id.as_str(),
        Reach::Deployment {
            agent_id: own_agent,
            environment_id,
        } => {
            if own_agent != agent_id {
                return Err(AppError::NotFound);
            }
            environment_id.as_str()
        }
        Reach::OwnConversations(_) => return Err(AppError::NotFound),
    };
    if crate::agents::repo::find(state.db.pool(), &principal.workspace_id, agent_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let filter = ExecutionFilter {
        agent_id,
        status: query.status.map_or("", ExecutionStatus::as_str),
        environment_id: query.environment_id.as_deref().unwrap_or(""),
        reach_environment_id,
        limit: paging::effective_limit(query.limit),
        offset: paging::effective_offset(query.offset),
    };
    let (rows, total) = repo::list(state.db.pool(), &principal.workspace_id, &filter).await?;
    Ok(ExecutionPage {
        items: rows.into_iter().map(|row| view(row, None)).collect(),
        total,
        limit: filter.limit,
        offset: filter.offset,
    })
}

/// One execution of an agent with its step log; outside the caller's reach it is "not
/// found", like another workspace's.
#[tracing::instrument(name = "executions.get", skip_all, fields(execution_id = %id))]
pub async fn get(
    state: &AppState,
    principal: &Principal,
    agent_id: &str,
    id: &str,
) -> Result<Execution, AppError> {
    let row = find_reachable(state, principal, READ, agent_id, id).await?;
    let steps = repo::steps(state.db.pool(), id).await?;
    Ok(view(row, Some(steps)))
}

/// Cancels a queued execution at once, or a running one at its next step boundary. One that
/// is over already is a conflict, and stays as it was.
#[tracing::instrument(name = "executions.cancel", skip_all, fields(execution_id = %id))]
pub async fn cancel(
    state: &AppState,
    principal: &Principal,
    agent_id: &str,
    id: &str,
) -> Result<Execution, AppError> {
    let row = find_reachable(state, principal, CANCEL, agent_id, id).await?;
    let mut tx = state.db.begin_write().await?;
    let canceled = repo::cancel(&mut tx, &principal.workspace_id, id, now_ms()).await?;
    let Some(canceled) = canceled else {
        let status = ExecutionStatus::parse(&row.status).map_or("over", ExecutionStatus::as_str);
        return Err(AppError::Conflict(format!(
            "The execution is {status} already; only a queued or running one can be canceled."
        )));
    };
    tx.commit().await?;
    let steps = repo::steps(state.db.pool(), id).await?;
    Ok(view(canceled, Some(steps)))
}

async fn find_reachable(
    state: &AppState,
    principal: &Principal,
    action: Action,
    agent_id: &str,
    id: &str,
) -> Result<ExecutionRow, AppError> {
    // Whether the caller may act here at all (a 403 names the permission), before the row.
    reach(principal, action)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::find(&mut conn, &principal.workspace_id, id)
        .await?
        .filter(|row| row.agent_id == agent_id)
        .ok_or(AppError::NotFound)?;
    let target = Target::Deployment {
        agent_id: &row.agent_id,
        environment_id: &row.environment_id,
    };
    authorize(principal, action, target)?;
    Ok(row)
}

/// An execution started, or found again by its idempotency key.
pub struct Started {
    pub execution: Execution,
    /// False when the idempotency key named an earlier execution (nothing was started).
    pub created: bool,
}

/// Queues an execution and its job in one transaction, so it exists exactly when its job
/// does. The caller has authorized the trigger.
pub async fn start(state: &AppState, start: &Start<'_>) -> Result<Started, AppError> {
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    if let Some(key) = start.idempotency_key {
        if let Some(row) = repo::find_by_key(&mut tx, start.trigger_id, key).await? {
            if row.created_at >= now - IDEMPOTENCY_WINDOW_MS {
                return Ok(Started {
                    execution: view(row, None),
                    created: false,
                });
            }
            // Its window is over: the key is free to start another.
            repo::expire_key(&mut tx, start.trigger_id, key, now - IDEMPOTENCY_WINDOW_MS).await?;
        }
    }
    let execution = match queue(&mut tx, start, now).await {
        Ok(execution) => execution,
        Err(error) => {
            drop(tx);
            // Another request with the same key committed first: answer with its execution.
            if let (true, Some(key)) = (
                crate::db::is_unique_violation(&error),
                start.idempotency_key,
            ) {
                let mut conn = state.db.pool().acquire().await?;
                if let Some(row) = repo::find_by_key(&mut conn, start.trigger_id, key).await? {
                    return Ok(Started {
                        execution: view(row, None),
                        created: false,
                    });
                }
            }
            return Err(error.into());
        }
    };
    tx.commit().await?;
    state.jobs.wake();
    Ok(Started {
        execution,
        created: true,
    })
}

/// The latest executions a trigger started, for its details.
pub async fn recent_of_trigger(
    state: &AppState,
    workspace_id: &str,
    trigger_id: &str,
    limit: i64,
) -> Result<Vec<Execution>, AppError> {
    let rows = repo::recent_of_trigger(state.db.pool(), workspace_id, trigger_id, limit).await?;
    Ok(rows.into_iter().map(|row| view(row, None)).collect())
}

fn view(row: ExecutionRow, steps: Option<Vec<StepRow>>) -> Execution {
    let json = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
    Execution {
        status: ExecutionStatus::parse(&row.status).unwrap_or(ExecutionStatus::Failed),
        input: json(&row.input),
        output: row.output.as_deref().map(json),
        error: row.error,
        attempts: row.attempts,
        cancel_requested: row.cancel_requested != 0,
        created_at_ms: row.created_at,
        started_at_ms: row.started_at,
        finished_at_ms: row.finished_at,
        steps: steps.map(|steps| steps.into_iter().map(step_entry).collect()),
        id: row.id,
        agent_id: row.agent_id,
        environment_id: row.environment_id,
        trigger_id: row.trigger_id,
        trigger_name: row.trigger_name,
    }
}

fn step_entry(row: StepRow) -> StepLogEntry {
    StepLogEntry {
        truncated: row
            .output
            .as_ref()
            .is_some_and(|output| output.len() >= LOGGED_OUTPUT_BYTES),
        step_id: row.step_id,
        kind: row.kind,
        status: row.status,
        started_at_ms: row.started_at,
        duration_ms: row.duration_ms,
        output: row.output,
        error: row.error,
    }
}
