//! SQL for the audit log.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::access::Principal;
use crate::audit::model::{AuditEventView, Target};
use crate::clock::{new_id, now_ms};

/// Appends one event to the principal's workspace, with the principal as actor. Call it
/// inside the transaction of the change it records.
pub async fn record(
    conn: &mut AnyConnection,
    actor: &Principal,
    action: &str,
    target: Option<Target<'_>>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (id, workspace_id, occurred_at, actor_kind, actor_id, actor_label, \
                                   action, target_kind, target_id, target_label, client_addr) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new_id())
    .bind(&actor.workspace_id)
    .bind(now_ms())
    .bind(actor.actor_kind())
    .bind(actor.actor_id())
    .bind(&actor.label)
    .bind(action)
    .bind(target.as_ref().map(|t| t.kind))
    .bind(target.as_ref().map(|t| t.id))
    .bind(target.as_ref().map(|t| t.label))
    .bind(actor.client_addr.as_deref())
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(FromRow)]
struct AuditRow {
    id: String,
    occurred_at: i64,
    actor_label: String,
    action: String,
    target_label: Option<String>,
    client_addr: Option<String>,
}

/// Newest first.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    limit: i64,
) -> Result<Vec<AuditEventView>, sqlx::Error> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, occurred_at, actor_label, action, target_label, client_addr FROM audit_events \
         WHERE workspace_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(workspace_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEventView {
            id: r.id,
            occurred_at_ms: r.occurred_at,
            actor_label: r.actor_label,
            action: r.action,
            target_label: r.target_label,
            client_addr: r.client_addr,
        })
        .collect())
}
