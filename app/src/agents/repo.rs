//! SQL for agents and nothing else. Every statement is filtered by workspace, so an id from
//! another workspace behaves exactly like one that does not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct AgentRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub version: String,
    /// Compact JSON.
    pub config: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The editable fields of a row, as stored.
pub struct AgentFields<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub description: &'a str,
    pub version: &'a str,
    pub config: &'a str,
    pub now: i64,
}

const COLUMNS: &str = "id, name, description, version, config, created_at, updated_at";

/// Which agents of a workspace a list holds.
pub struct AgentFilter<'a> {
    /// Folded name substring (compared with `name_key`).
    pub search_key: Option<&'a str>,
    /// Only this agent (a deployment token's reach).
    pub only_id: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

/// One page, alphabetical by name, and how many agents match in all pages.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    filter: &AgentFilter<'_>,
) -> Result<(Vec<AgentRow>, i64), sqlx::Error> {
    // Absent filters bind values that match everything, so the statement stays one text.
    let query = crate::paging::ListQuery {
        columns: COLUMNS,
        from: "agents",
        conditions: "workspace_id = $1 AND name_key LIKE $2 ESCAPE '\\' AND ($3 = '' OR id = $3)",
        order: "name_key, id",
    };
    let pattern = crate::db::like_contains(filter.search_key.unwrap_or(""));
    let binds = [workspace_id, &pattern, filter.only_id.unwrap_or("")];
    crate::paging::page(pool, &query, &binds, filter.limit, filter.offset).await
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &str,
    id: &str,
) -> Result<Option<AgentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM agents WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Whether another agent of the workspace (other than `except_id`) has this name key.
pub async fn name_key_taken(
    pool: &AnyPool,
    workspace_id: &str,
    name_key: &str,
    except_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM agents WHERE workspace_id = $1 AND name_key = $2 AND id <> $3",
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
    id: &str,
    workspace_id: &str,
    fields: &AgentFields<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO agents (id, workspace_id, name, name_key, description, version, config, \
                             created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(fields.name)
    .bind(fields.name_key)
    .bind(fields.description)
    .bind(fields.version)
    .bind(fields.config)
    .bind(fields.now)
    .bind(fields.now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Updates the row and returns it, or `None` if the workspace has no such agent. One
/// statement, so the transaction's first step is a write (see `environments::repo::update`).
pub async fn update(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    fields: &AgentFields<'_>,
) -> Result<Option<AgentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE agents SET name = $1, name_key = $2, description = $3, version = $4, \
                           config = $5, updated_at = $6 \
         WHERE workspace_id = $7 AND id = $8 RETURNING {COLUMNS}"
    ))
    .bind(fields.name)
    .bind(fields.name_key)
    .bind(fields.description)
    .bind(fields.version)
    .bind(fields.config)
    .bind(fields.now)
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}
