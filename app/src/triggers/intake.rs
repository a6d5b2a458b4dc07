//! Records admitted webhook events in batches, one transaction each: the events that arrive
//! while a batch is being written make up the next one. Each event still gets its own row,
//! its own execution and job, and its own answer, sent only once its batch has committed;
//! but a batch costs one commit, not one per event. SQLite takes one writer at a time, so
//! there the commits per second set the ingestion rate.
//!
//! A batch that fails is written again one event at a time, so a bad event fails alone and
//! a delivery that raced another instance's (a unique index refusing its keys) is answered
//! with that one's ids.

use std::sync::{Arc, OnceLock};

use serde_json::Value;
use sqlx::{AnyConnection, FromRow};
use tokio::sync::{mpsc, oneshot};

use super::model::Delivered;
use crate::db::Db;
use crate::error::AppError;
use crate::executions::queue::{queue, Start, IDEMPOTENCY_WINDOW_MS};

/// The most events one transaction records.
const MAX_BATCH: usize = 64;
/// Events waiting for a batch; a delivery beyond them waits to be queued.
const WAITING: usize = 1024;

/// An admitted event, ready to record.
pub struct NewEvent {
    pub event_id: String,
    pub workspace_id: String,
    pub agent_id: String,
    pub environment_id: String,
    pub trigger_id: String,
    pub trigger_name: String,
    pub webhook_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub content_type: String,
    /// The recorded headers (credentials and signatures left out), as a JSON object.
    pub headers_json: String,
    pub body_base64: String,
    pub source_addr: Option<String>,
    pub received_at: i64,
    /// What the execution gets as its input.
    pub input: Value,
}

/// The ids a delivery is answered with, and whether it recorded a new event (false: its
/// keys named an earlier delivery, and nothing was recorded or started).
pub type Recorded = (Delivered, bool);

struct Pending {
    event: NewEvent,
    reply: oneshot::Sender<Result<Recorded, AppError>>,
}

/// This instance's writer of webhook events; started by the first event.
#[derive(Clone)]
pub struct Intake {
    db: Db,
    queue: Arc<OnceLock<mpsc::Sender<Pending>>>,
}

impl Intake {
    pub fn new(db: Db) -> Intake {
        Intake {
            db,
            queue: Arc::new(OnceLock::new()),
        }
    }

    /// Records `event` and queues its execution, or finds the earlier delivery its keys
    /// name; answers once that is committed.
    pub async fn record(&self, event: NewEvent) -> Result<Recorded, AppError> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(WAITING);
            tokio::spawn(write_batches(self.db.clone(), receiver));
            sender
        });
        let (reply, answer) = oneshot::channel();
        queue
            .send(Pending { event, reply })
            .await
            .map_err(|_| AppError::Internal)?;
        answer.await.map_err(|_| AppError::Internal)?
    }
}

/// Takes what is waiting, up to [`MAX_BATCH`], writes it, answers, and again.
async fn write_batches(db: Db, mut waiting: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let events: Vec<&NewEvent> = batch.iter().map(|pending| &pending.event).collect();
        match write(&db, &events).await {
            Ok(recorded) => {
                for (pending, recorded) in batch.drain(..).zip(recorded) {
                    let _ = pending.reply.send(Ok(recorded));
                }
            }
            Err(error) => {
                if batch.len() > 1 {
                    tracing::debug!(%error, events = batch.len(), "a batch of webhook events failed; writing them one by one");
                }
                for pending in batch.drain(..) {
                    let recorded = write_alone(&db, &pending.event).await;
                    let _ = pending.reply.send(recorded);
                }
            }
        }
    }
}

/// One transaction recording `events` in order; an event whose keys name an earlier one
/// (in an earlier batch or earlier in this one) records nothing.
async fn write(db: &Db, events: &[&NewEvent]) -> Result<Vec<Recorded>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let mut recorded = Vec::with_capacity(events.len());
    for event in events {
        recorded.push(match earlier(&mut tx, event).await? {
            Some(delivered) => (delivered, false),
            None => (insert(&mut tx, event).await?, true),
        });
    }
    tx.commit().await?;
    Ok(recorded)
}

/// An event on its own; when a concurrent delivery with the same keys committed first
/// (another instance, on PostgreSQL), that one's ids.
async fn write_alone(db: &Db, event: &NewEvent) -> Result<Recorded, AppError> {
    match write(db, &[event]).await {
        Ok(mut recorded) => recorded.pop().ok_or(AppError::Internal),
        Err(error) if crate::db::is_unique_violation(&error) => {
            let mut conn = db.pool().acquire().await?;
            let delivered = earlier(&mut conn, event).await?.ok_or(AppError::Internal)?;
            Ok((delivered, false))
        }
        Err(error) => Err(error.into()),
    }
}

async fn insert(conn: &mut AnyConnection, event: &NewEvent) -> Result<Delivered, sqlx::Error> {
    let start = Start {
        workspace_id: &event.workspace_id,
        agent_id: &event.agent_id,
        environment_id: &event.environment_id,
        trigger_id: &event.trigger_id,
        trigger_name: &event.trigger_name,
        input: &event.input,
        idempotency_key: None,
    };
    let execution = queue(&mut *conn, &start, event.received_at).await?;
    sqlx::query(
        "INSERT INTO webhook_events (id, workspace_id, trigger_id, execution_id, webhook_id, \
         idempotency_key, content_type, headers, body_base64, source_addr, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&event.event_id)
    .bind(&event.workspace_id)
    .bind(&event.trigger_id)
    .bind(&execution.id)
    .bind(&event.webhook_id)
    .bind(&event.idempotency_key)
    .bind(&event.content_type)
    .bind(&event.headers_json)
    .bind(&event.body_base64)
    .bind(&event.source_addr)
    .bind(event.received_at)
    .execute(&mut *conn)
    .await?;
    Ok(Delivered {
        event_id: event.event_id.clone(),
        execution_id: execution.id,
    })
}

#[derive(FromRow)]
struct EarlierEvent {
    id: String,
    execution_id: String,
    webhook_id: Option<String>,
    received_at: i64,
}

/// The event a delivery with these keys recorded before, if any: one with the same
/// `webhook-id`, or with the same `Idempotency-Key` within its window. A key whose window is
/// over is freed here, so it records anew (rare, so no write on the usual path).
async fn earlier(
    conn: &mut AnyConnection,
    event: &NewEvent,
) -> Result<Option<Delivered>, sqlx::Error> {
    if event.webhook_id.is_none() && event.idempotency_key.is_none() {
        return Ok(None);
    }
    let found: Vec<EarlierEvent> = sqlx::query_as(
        "SELECT id, execution_id, webhook_id, received_at FROM webhook_events \
         WHERE trigger_id = $1 AND (webhook_id = $2 OR idempotency_key = $3)",
    )
    .bind(&event.trigger_id)
    .bind(&event.webhook_id)
    .bind(&event.idempotency_key)
    .fetch_all(&mut *conn)
    .await?;
    let delivered = |earlier: &EarlierEvent| Delivered {
        event_id: earlier.id.clone(),
        execution_id: earlier.execution_id.clone(),
    };
    if let Some(same_id) = found
        .iter()
        .find(|earlier| event.webhook_id.is_some() && earlier.webhook_id == event.webhook_id)
    {
        return Ok(Some(delivered(same_id)));
    }
    let window_start = event.received_at - IDEMPOTENCY_WINDOW_MS;
    for same_key in &found {
        if same_key.received_at >= window_start {
            return Ok(Some(delivered(same_key)));
        }
        sqlx::query("UPDATE webhook_events SET idempotency_key = NULL WHERE id = $1")
            .bind(&same_key.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(None)
}
