//! SQL for integrations and their sealed secrets. Every statement names the workspace, so
//! another workspace's id behaves like one that does not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct IntegrationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// JSON of `IntegrationSettings`.
    pub settings: String,
    pub created_by: String,
    pub updated_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct SecretRow {
    pub integration_id: String,
    pub field: String,
    pub sealed: String,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, kind, settings, created_by, updated_by, created_at, updated_at";

pub struct IntegrationFields<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub settings: &'a str,
    pub by: &'a str,
    pub now: i64,
}

pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<IntegrationRow>, i64), sqlx::Error> {
    let query = crate::paging::ListQuery {
        columns: COLUMNS,
        from: "integrations",
        conditions: "workspace_id = $1",
        order: "name_key, id",
    };
    crate::paging::page(pool, &query, &[workspace_id], limit, offset).await
}

pub async fn find(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<Option<IntegrationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM integrations WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn name_key_taken(
    pool: &AnyPool,
    workspace_id: &str,
    name_key: &str,
    except_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM integrations WHERE workspace_id = $1 AND name_key = $2 AND id <> $3",
    )
    .bind(workspace_id)
    .bind(name_key)
    .bind(except_id.unwrap_or(""))
    .fetch_one(pool)
    .await?;
    Ok(count > 0)
}

pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    workspace_id: &str,
    kind: &str,
    fields: &IntegrationFields<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO integrations (id, workspace_id, name, name_key, kind, settings, created_by, \
         updated_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(fields.name)
    .bind(fields.name_key)
    .bind(kind)
    .bind(fields.settings)
    .bind(fields.by)
    .bind(fields.now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn update(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    fields: &IntegrationFields<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE integrations SET name = $1, name_key = $2, settings = $3, updated_by = $4, \
         updated_at = $5 WHERE workspace_id = $6 AND id = $7",
    )
    .bind(fields.name)
    .bind(fields.name_key)
    .bind(fields.settings)
    .bind(fields.by)
    .bind(fields.now)
    .bind(workspace_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM integration_secrets WHERE workspace_id = $1 AND integration_id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM integrations WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The sealed secrets of the given integrations of a workspace.
pub async fn secrets(
    pool: &AnyPool,
    workspace_id: &str,
    integration_ids: &[&str],
) -> Result<Vec<SecretRow>, sqlx::Error> {
    if integration_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..integration_ids.len())
        .map(|n| format!("${}", n + 2))
        .collect();
    let sql = format!(
        "SELECT integration_id, field, sealed, updated_at FROM integration_secrets \
         WHERE workspace_id = $1 AND integration_id IN ({}) ORDER BY field",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(workspace_id);
    for id in integration_ids {
        query = query.bind(*id);
    }
    query.fetch_all(pool).await
}

pub async fn put_secret(
    conn: &mut AnyConnection,
    workspace_id: &str,
    integration_id: &str,
    field: &str,
    sealed: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO integration_secrets (integration_id, workspace_id, field, sealed, updated_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (integration_id, field) DO UPDATE SET sealed = $4, updated_at = $5",
    )
    .bind(integration_id)
    .bind(workspace_id)
    .bind(field)
    .bind(sealed)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Replaces a sealed value with the same secret sealed under the current key, keeping its
/// `updated_at` (the secret did not change). Only if it is still the value that was read.
pub async fn reseal(
    pool: &AnyPool,
    integration_id: &str,
    field: &str,
    old_sealed: &str,
    new_sealed: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE integration_secrets SET sealed = $1 \
         WHERE integration_id = $2 AND field = $3 AND sealed = $4",
    )
    .bind(new_sealed)
    .bind(integration_id)
    .bind(field)
    .bind(old_sealed)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Every sealed secret of every workspace, for resealing after a key rotation.
pub async fn all_secrets(pool: &AnyPool) -> Result<Vec<(String, SecretRow)>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT workspace_id, integration_id, field, sealed, updated_at FROM integration_secrets",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(workspace_id, integration_id, field, sealed, updated_at)| {
                (
                    workspace_id,
                    SecretRow {
                        integration_id,
                        field,
                        sealed,
                        updated_at,
                    },
                )
            },
        )
        .collect())
}

pub async fn delete_secret(
    conn: &mut AnyConnection,
    workspace_id: &str,
    integration_id: &str,
    field: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM integration_secrets WHERE workspace_id = $1 AND integration_id = $2 AND field = $3",
    )
    .bind(workspace_id)
    .bind(integration_id)
    .bind(field)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The id and kind of the workspace's integration `reference` names: its id, or else its
/// name (`reference_key`, case-folded as names are).
pub async fn find_reference(
    pool: &AnyPool,
    workspace_id: &str,
    reference: &str,
    reference_key: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind FROM integrations WHERE workspace_id = $1 AND (id = $2 OR name_key = $3) \
         ORDER BY CASE WHEN id = $2 THEN 0 ELSE 1 END LIMIT 1",
    )
    .bind(workspace_id)
    .bind(reference)
    .bind(reference_key)
    .fetch_optional(pool)
    .await
}
