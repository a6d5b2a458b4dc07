//! Fires schedule triggers. Every instance with workers looks for due triggers every
//! `poll_every`; firing one moves its next fire time forward with a compare-and-set in the
//! same transaction that queues its execution, so each fire time runs exactly once across all
//! instances (the one whose update matched fires; the others match nothing). The execution's
//! idempotency key is the fire time, so not even a retried transaction can run it twice.
//!
//! Catch-up rule: when fire times were missed (every instance was down), the schedule fires
//! **once**, for the earliest missed time (its input says when it was due and when it ran),
//! and then continues from the next fire time after now. No burst of missed runs.

use serde_json::json;
use tokio::sync::watch;

use super::repo::{self, TriggerRow};
use super::schedule::Schedule;
use crate::clock::now_ms;
use crate::error::AppError;
use crate::executions::queue::{queue, Start};
use crate::state::AppState;

/// Due triggers handled per look; the rest wait for the next one.
const BATCH: i64 = 100;

/// Fires every schedule trigger due at `now`; how many this instance fired.
pub async fn fire_due(state: &AppState, now: i64) -> Result<usize, AppError> {
    let due = repo::due_schedules(state.db.pool(), now, BATCH).await?;
    let mut fired = 0;
    for trigger in due {
        if fire(state, &trigger, now).await? {
            fired += 1;
        }
    }
    if fired > 0 {
        state.jobs.wake();
    }
    Ok(fired)
}

async fn fire(state: &AppState, trigger: &TriggerRow, now: i64) -> Result<bool, AppError> {
    let Some(due_at) = trigger.next_fire_at else {
        return Ok(false);
    };
    let schedule = Schedule::parse(
        trigger.cron.as_deref().unwrap_or(""),
        trigger.time_zone.as_deref().unwrap_or(""),
    );
    // A stored schedule that no longer reads (never expected) stops rather than spins.
    let next = schedule.ok().and_then(|schedule| schedule.next_after(now));
    let mut tx = state.db.begin_write().await?;
    if !repo::advance_schedule(&mut tx, &trigger.id, due_at, next).await? {
        return Ok(false);
    }
    let input = json!({ "scheduled_at_ms": due_at, "fired_at_ms": now });
    let key = format!("schedule:{due_at}");
    let start = Start {
        workspace_id: &trigger.workspace_id,
        agent_id: &trigger.agent_id,
        environment_id: &trigger.environment_id,
        trigger_id: &trigger.id,
        trigger_name: &trigger.name,
        input: &input,
        idempotency_key: Some(&key),
    };
    match queue(&mut tx, &start, now).await {
        Ok(_) => {}
        // This fire time ran already: keep the advanced schedule, start nothing.
        Err(error) if crate::db::is_unique_violation(&error) => return Ok(false),
        Err(error) => return Err(error.into()),
    }
    tx.commit().await?;
    tracing::info!(trigger_id = %trigger.id, due_at, "schedule fired");
    Ok(true)
}

/// Looks for due schedules until `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let every = state.jobs.settings().poll_every;
    loop {
        if let Err(error) = fire_due(&state, now_ms()).await {
            tracing::warn!(%error, "cannot fire schedule triggers");
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}
