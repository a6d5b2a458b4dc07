//! SQL for environments and nothing else. Every statement is filtered by workspace, so an id
//! from another workspace behaves exactly like one that does not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct EnvironmentRow {
    pub id: String,
    pub public_id: String,
    pub name: String,
    pub purpose: String,
    pub description: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A row to insert.
pub struct NewEnvironmentRow<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub public_id: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub purpose: &'a str,
    pub description: &'a str,
    pub now: i64,
}

/// New values for an existing row.
pub struct EnvironmentChanges<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub purpose: &'a str,
    pub description: &'a str,
    pub now: i64,
}

const COLUMNS: &str = "id, public_id, name, purpose, description, created_at, updated_at";

/// Alphabetical by name.
pub async fn list(pool: &AnyPool, workspace_id: &str) -> Result<Vec<EnvironmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM environments WHERE workspace_id = $1 ORDER BY name_key, id"
    ))
    .bind(workspace_id)
    .fetch_all(pool)
    .await
}

/// Whether another environment of the workspace (other than `except_id`) has this name key.
pub async fn name_key_taken(
    pool: &AnyPool,
    workspace_id: &str,
    name_key: &str,
    except_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM environments WHERE workspace_id = $1 AND name_key = $2 AND id <> $3",
    )
    .bind(workspace_id)
    .bind(name_key)
    .bind(except_id.unwrap_or(""))
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}

pub async fn insert(
    conn: &mut AnyConnection,
    row: &NewEnvironmentRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO environments (id, workspace_id, name, name_key, purpose, description, \
                                   public_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.id)
    .bind(row.workspace_id)
    .bind(row.name)
    .bind(row.name_key)
    .bind(row.purpose)
    .bind(row.description)
    .bind(row.public_id)
    .bind(row.now)
    .bind(row.now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Updates the row and returns it, or `None` if the workspace has no such environment.
/// One statement, so the transaction's first step is a write (SQLite takes its write lock
/// up front instead of upgrading a read lock, which a concurrent writer could refuse).
pub async fn update(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    changes: &EnvironmentChanges<'_>,
) -> Result<Option<EnvironmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE environments SET name = $1, name_key = $2, purpose = $3, description = $4, \
                                 updated_at = $5 \
         WHERE workspace_id = $6 AND id = $7 RETURNING {COLUMNS}"
    ))
    .bind(changes.name)
    .bind(changes.name_key)
    .bind(changes.purpose)
    .bind(changes.description)
    .bind(changes.now)
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}
