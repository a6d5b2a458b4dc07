//! SQL for stored files and the workspace's storage counter. Every statement names the
//! workspace, so another workspace's file id behaves like one that does not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct FileRow {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub blob_key: String,
    pub uploaded_by: String,
    pub created_at: i64,
    /// From the file's knowledge-base document, if it has one.
    pub document_id: Option<String>,
}

const SELECT_FILE: &str = "SELECT f.id, f.name, f.content_type, f.size_bytes, f.sha256, \
     f.blob_key, f.uploaded_by, f.created_at, d.id AS document_id \
     FROM stored_files f LEFT JOIN kb_documents d ON d.file_id = f.id";

pub struct NewFile<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub blob_key: &'a str,
    pub uploaded_by: &'a str,
    pub now: i64,
}

/// Bytes the workspace stores (the counter the quota is checked against).
pub async fn used_bytes(pool: &AnyPool, workspace_id: &str) -> Result<i64, sqlx::Error> {
    let used: Option<(i64,)> =
        sqlx::query_as("SELECT storage_used_bytes FROM workspaces WHERE id = $1")
            .bind(workspace_id)
            .fetch_optional(pool)
            .await?;
    Ok(used.map_or(0, |(used,)| used))
}

/// Counts `size` bytes against the workspace if they fit under `quota`; false if not. One
/// conditional UPDATE: concurrent uploads each see the others' bytes (SQLite runs writers one
/// at a time; PostgreSQL re-checks the condition on the locked row). It is the first write of
/// its transaction, which on SQLite takes the write lock before anything is read.
pub async fn reserve_bytes(
    conn: &mut AnyConnection,
    workspace_id: &str,
    size: i64,
    quota: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE workspaces SET storage_used_bytes = storage_used_bytes + $1 \
         WHERE id = $2 AND storage_used_bytes + $1 <= $3",
    )
    .bind(size)
    .bind(workspace_id)
    .bind(quota)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives back `size` bytes of the workspace's storage (a file was deleted).
pub async fn release_bytes(
    conn: &mut AnyConnection,
    workspace_id: &str,
    size: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE workspaces SET storage_used_bytes = storage_used_bytes - $1 WHERE id = $2")
        .bind(size)
        .bind(workspace_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert(conn: &mut AnyConnection, file: &NewFile<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO stored_files (id, workspace_id, name, content_type, size_bytes, sha256, \
         blob_key, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(file.id)
    .bind(file.workspace_id)
    .bind(file.name)
    .bind(file.content_type)
    .bind(file.size_bytes)
    .bind(file.sha256)
    .bind(file.blob_key)
    .bind(file.uploaded_by)
    .bind(file.now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn find(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_FILE} WHERE f.workspace_id = $1 AND f.id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn find_by_content(
    conn: &mut AnyConnection,
    workspace_id: &str,
    sha256: &str,
) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_FILE} WHERE f.workspace_id = $1 AND f.sha256 = $2"
    ))
    .bind(workspace_id)
    .bind(sha256)
    .fetch_optional(conn)
    .await
}

/// One page, newest first, and how many files the workspace has.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    documents: Option<bool>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<FileRow>, i64), sqlx::Error> {
    let only = match documents {
        None => "",
        Some(true) => " AND d.id IS NOT NULL",
        Some(false) => " AND d.id IS NULL",
    };
    let (total,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM stored_files f LEFT JOIN kb_documents d ON d.file_id = f.id \
         WHERE f.workspace_id = $1{only}"
    ))
    .bind(workspace_id)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query_as(&format!(
        "{SELECT_FILE} WHERE f.workspace_id = $1{only} \
         ORDER BY f.created_at DESC, f.id LIMIT $2 OFFSET $3"
    ))
    .bind(workspace_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// Deletes the file row; its document and chunks go with it (foreign keys cascade, and on
/// SQLite the full-text index follows the chunks by trigger).
pub async fn delete(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    // Chunks first, by name: the full-text index must lose them in this transaction
    // whatever the engine's cascade rules, and this says so where it happens.
    sqlx::query(
        "DELETE FROM kb_chunks WHERE workspace_id = $1 AND document_id IN \
         (SELECT id FROM kb_documents WHERE file_id = $2)",
    )
    .bind(workspace_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM stored_files WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
