//! SQL for triggers and nothing else. Every statement is filtered by workspace, so an id from
//! another workspace behaves exactly like one that does not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct TriggerRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub agent_id: String,
    pub environment_id: String,
    pub kind: String,
    pub enabled: i64,
    pub cron: Option<String>,
    pub time_zone: Option<String>,
    pub next_fire_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, workspace_id, name, agent_id, environment_id, kind, enabled, cron, time_zone, \
     next_fire_at, created_at, updated_at";

/// The editable fields of a row, as stored.
pub struct TriggerFields<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub agent_id: &'a str,
    pub environment_id: &'a str,
    pub enabled: bool,
    /// A schedule trigger's expression, time zone and next fire time.
    pub cron: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub next_fire_at: Option<i64>,
    pub now: i64,
}

/// Which triggers of a workspace a list holds. Empty strings match everything.
pub struct TriggerFilter<'a> {
    pub agent_id: &'a str,
    pub environment_id: &'a str,
    /// The caller's reach (a deployment token's agent and environment).
    pub reach_agent_id: &'a str,
    pub reach_environment_id: &'a str,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    filter: &TriggerFilter<'_>,
) -> Result<(Vec<TriggerRow>, i64), sqlx::Error> {
    let query = crate::paging::ListQuery {
        columns: COLUMNS,
        from: "triggers",
        conditions: "workspace_id = $1 AND ($2 = '' OR agent_id = $2) \
                     AND ($3 = '' OR environment_id = $3) AND ($4 = '' OR agent_id = $4) \
                     AND ($5 = '' OR environment_id = $5)",
        order: "name_key, id",
    };
    let binds = [
        workspace_id,
        filter.agent_id,
        filter.environment_id,
        filter.reach_agent_id,
        filter.reach_environment_id,
    ];
    crate::paging::page(pool, &query, &binds, filter.limit, filter.offset).await
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &str,
    id: &str,
) -> Result<Option<TriggerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM triggers WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Whether the workspace has this agent and this environment.
pub async fn deployment_exists(
    pool: &AnyPool,
    workspace_id: &str,
    agent_id: &str,
    environment_id: &str,
) -> Result<(bool, bool), sqlx::Error> {
    let (agents, environments): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM agents WHERE workspace_id = $1 AND id = $2), \
                (SELECT COUNT(*) FROM environments WHERE workspace_id = $1 AND id = $3)",
    )
    .bind(workspace_id)
    .bind(agent_id)
    .bind(environment_id)
    .fetch_one(pool)
    .await?;
    Ok((agents > 0, environments > 0))
}

/// A trigger by id alone: for a webhook delivery, which names no workspace (the id is
/// random and unguessable; the signature or token is what admits the sender).
pub async fn find_any(pool: &AnyPool, id: &str) -> Result<Option<TriggerRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM triggers WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A webhook trigger's sealed signing secrets: the current one, and the previous one with
/// the time it stops verifying.
#[derive(Debug, Clone, FromRow)]
pub struct SecretsRow {
    pub signing_secret: Option<String>,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<i64>,
}

pub async fn secrets(pool: &AnyPool, id: &str) -> Result<Option<SecretsRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT signing_secret, previous_secret, previous_secret_until FROM triggers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// A sealed signing secret as stored: which trigger, and in which column.
#[derive(Debug, Clone, FromRow)]
pub struct SealedSecret {
    pub workspace_id: String,
    pub trigger_id: String,
    pub sealed: String,
}

/// Which of a trigger's two secret columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretColumn {
    Current,
    Previous,
}

impl SecretColumn {
    fn name(self) -> &'static str {
        match self {
            SecretColumn::Current => "signing_secret",
            SecretColumn::Previous => "previous_secret",
        }
    }
}

/// Every sealed secret in `column`, across workspaces (for resealing after a key rotation).
pub async fn all_sealed(
    pool: &AnyPool,
    column: SecretColumn,
) -> Result<Vec<SealedSecret>, sqlx::Error> {
    let column = column.name();
    sqlx::query_as(&format!(
        "SELECT workspace_id, id AS trigger_id, {column} AS sealed FROM triggers \
         WHERE {column} IS NOT NULL"
    ))
    .fetch_all(pool)
    .await
}

/// Replaces a sealed secret with the same value sealed anew, unless it changed meanwhile.
pub async fn reseal(
    pool: &AnyPool,
    column: SecretColumn,
    found: &SealedSecret,
    resealed: &str,
) -> Result<(), sqlx::Error> {
    let column = column.name();
    sqlx::query(&format!(
        "UPDATE triggers SET {column} = $1 WHERE id = $2 AND {column} = $3"
    ))
    .bind(resealed)
    .bind(&found.trigger_id)
    .bind(&found.sealed)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Replaces the signing secret; the one it replaces verifies until `previous_until`.
pub async fn rotate_secret(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    sealed: &str,
    previous_sealed: Option<&str>,
    previous_until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE triggers SET signing_secret = $1, previous_secret = $2, \
         previous_secret_until = $3 WHERE workspace_id = $4 AND id = $5",
    )
    .bind(sealed)
    .bind(previous_sealed)
    .bind(previous_until)
    .bind(workspace_id)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    workspace_id: &str,
    kind: &str,
    sealed_secret: Option<&str>,
    fields: &TriggerFields<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO triggers (id, workspace_id, agent_id, environment_id, name, name_key, kind, \
         enabled, signing_secret, cron, time_zone, next_fire_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(fields.agent_id)
    .bind(fields.environment_id)
    .bind(fields.name)
    .bind(fields.name_key)
    .bind(kind)
    .bind(i64::from(fields.enabled))
    .bind(sealed_secret)
    .bind(fields.cron)
    .bind(fields.time_zone)
    .bind(fields.next_fire_at)
    .bind(fields.now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn update(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    fields: &TriggerFields<'_>,
) -> Result<Option<TriggerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE triggers SET name = $1, name_key = $2, agent_id = $3, environment_id = $4, \
         enabled = $5, cron = $6, time_zone = $7, next_fire_at = $8, updated_at = $9 \
         WHERE workspace_id = $10 AND id = $11 RETURNING {COLUMNS}"
    ))
    .bind(fields.name)
    .bind(fields.name_key)
    .bind(fields.agent_id)
    .bind(fields.environment_id)
    .bind(i64::from(fields.enabled))
    .bind(fields.cron)
    .bind(fields.time_zone)
    .bind(fields.next_fire_at)
    .bind(fields.now)
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn delete(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let deleted: Option<(String,)> =
        sqlx::query_as("DELETE FROM triggers WHERE workspace_id = $1 AND id = $2 RETURNING name")
            .bind(workspace_id)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(deleted.map(|(name,)| name))
}

/// Enabled schedule triggers whose next fire time has come, soonest first.
pub async fn due_schedules(
    pool: &AnyPool,
    now: i64,
    limit: i64,
) -> Result<Vec<TriggerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM triggers WHERE kind = 'schedule' AND enabled = 1 \
         AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Moves a schedule's next fire time from `due` to `next`; false when another instance moved
/// it first (then that instance fires it).
pub async fn advance_schedule(
    conn: &mut AnyConnection,
    id: &str,
    due: i64,
    next: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE triggers SET next_fire_at = $1 WHERE id = $2 AND next_fire_at = $3 \
         AND kind = 'schedule' AND enabled = 1",
    )
    .bind(next)
    .bind(id)
    .bind(due)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
