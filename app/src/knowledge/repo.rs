//! SQL for knowledge-base documents, their chunks and search. Reads for people and tokens
//! name the workspace; the ingestion job, which acts for nobody, reads by document id.
//! Search is the one place the engines differ: FTS5 `MATCH` with `bm25` on SQLite,
//! `tsvector @@ tsquery` with `ts_rank_cd` on PostgreSQL.

use sqlx::{AnyConnection, AnyPool, FromRow};

use super::search_text::{fts5_expression, Terms};
use crate::db::{Db, Engine};

#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    pub id: String,
    pub workspace_id: String,
    pub file_id: String,
    pub file_name: String,
    pub title: String,
    pub status: String,
    pub failure: Option<String>,
    pub size_bytes: i64,
    pub content_type: String,
    pub chunk_count: i64,
    pub uploaded_by: String,
    pub blob_key: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT_DOCUMENT: &str = "SELECT d.id, d.workspace_id, d.file_id, f.name AS file_name, \
     d.title, d.status, d.failure, f.size_bytes, f.content_type, d.chunk_count, f.uploaded_by, \
     f.blob_key, d.created_at, d.updated_at \
     FROM kb_documents d JOIN stored_files f ON f.id = d.file_id";

pub async fn insert_pending(
    conn: &mut AnyConnection,
    id: &str,
    workspace_id: &str,
    file_id: &str,
    title: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO kb_documents (id, workspace_id, file_id, title, status, chunk_count, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(file_id)
    .bind(title)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn find(
    pool: &AnyPool,
    workspace_id: &str,
    id: &str,
) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_DOCUMENT} WHERE d.workspace_id = $1 AND d.id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// For the ingestion job: the document whatever its workspace.
pub async fn find_for_ingestion(
    pool: &AnyPool,
    id: &str,
) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_DOCUMENT} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// One page, newest first, optionally of one status, and how many match in all.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DocumentRow>, i64), sqlx::Error> {
    let status = status.unwrap_or("");
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM kb_documents WHERE workspace_id = $1 AND ($2 = '' OR status = $2)",
    )
    .bind(workspace_id)
    .bind(status)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query_as(&format!(
        "{SELECT_DOCUMENT} WHERE d.workspace_id = $1 AND ($2 = '' OR d.status = $2) \
         ORDER BY d.created_at DESC, d.id LIMIT $3 OFFSET $4"
    ))
    .bind(workspace_id)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// A chunk to store: its place in the document, heading and text.
pub struct NewChunk<'a> {
    pub id: String,
    pub heading: &'a str,
    pub body: &'a str,
}

/// Makes a pending document ready with its chunks, in one transaction; false (and nothing
/// written) when it is no longer pending — deleted, or finished by another worker meanwhile.
pub async fn mark_ready(
    db: &Db,
    document: &DocumentRow,
    title: &str,
    chunks: &[NewChunk<'_>],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    // The status change first: it takes SQLite's write lock before anything is read.
    let done = sqlx::query(
        "UPDATE kb_documents SET status = 'ready', title = $1, chunk_count = $2, failure = NULL, \
         updated_at = $3 WHERE id = $4 AND status = 'pending'",
    )
    .bind(title)
    .bind(chunks.len() as i64)
    .bind(now)
    .bind(&document.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    // A few rows per statement: far fewer round trips, well under both engines' bind limits.
    for (batch_number, batch) in chunks.chunks(50).enumerate() {
        let mut sql = String::from(
            "INSERT INTO kb_chunks (id, workspace_id, document_id, position, title, heading, body) VALUES ",
        );
        for n in 0..batch.len() {
            let p = n * 7;
            if n > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                p + 5,
                p + 6,
                p + 7
            ));
        }
        let mut query = sqlx::query(&sql);
        for (n, chunk) in batch.iter().enumerate() {
            query = query
                .bind(&chunk.id)
                .bind(&document.workspace_id)
                .bind(&document.id)
                .bind((batch_number * 50 + n) as i64)
                .bind(title)
                .bind(chunk.heading)
                .bind(chunk.body);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Records why a pending document could not be read.
pub async fn mark_failed(
    pool: &AnyPool,
    document_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE kb_documents SET status = 'failed', failure = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(reason)
    .bind(now)
    .bind(document_id)
    .execute(pool)
    .await
    .map(|_| ())
}

#[derive(Debug, Clone, FromRow)]
pub struct HitRow {
    pub chunk_id: String,
    pub document_id: String,
    pub file_id: String,
    pub title: String,
    pub heading: String,
    pub body: String,
    pub score: f64,
}

/// The `limit` best-ranked chunks of the workspace matching `terms` (all of the words, or
/// any of them when `relaxed`), and how many match in all. Higher scores are better.
pub async fn search(
    db: &Db,
    workspace_id: &str,
    terms: &Terms,
    relaxed: bool,
    limit: i64,
) -> Result<(Vec<HitRow>, i64), sqlx::Error> {
    match db.engine() {
        Engine::Sqlite => search_sqlite(db.pool(), workspace_id, terms, relaxed, limit).await,
        Engine::Postgres => search_postgres(db.pool(), workspace_id, terms, relaxed, limit).await,
    }
}

/// bm25 column weights: a word in the title counts most, then the heading, then the body.
const SQLITE_RANK: &str = "bm25(kb_chunks_fts, 6.0, 3.0, 1.0)";

async fn search_sqlite(
    pool: &AnyPool,
    workspace_id: &str,
    terms: &Terms,
    relaxed: bool,
    limit: i64,
) -> Result<(Vec<HitRow>, i64), sqlx::Error> {
    let Some(expression) = fts5_expression(terms, relaxed) else {
        return Ok((Vec::new(), 0));
    };
    let from = "FROM kb_chunks_fts JOIN kb_chunks c ON c.rowid = kb_chunks_fts.rowid \
                JOIN kb_documents d ON d.id = c.document_id \
                WHERE kb_chunks_fts MATCH $1 AND c.workspace_id = $2";
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {from}"))
        .bind(&expression)
        .bind(workspace_id)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT c.id AS chunk_id, c.document_id, d.file_id, c.title, c.heading, c.body, \
         -{SQLITE_RANK} AS score {from} ORDER BY {SQLITE_RANK}, c.document_id, c.position LIMIT $3"
    ))
    .bind(&expression)
    .bind(workspace_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// The tsquery for `terms`, as SQL over bind parameters numbered from `first` (words and
/// phrases are bound, never spliced), and the values to bind.
fn tsquery(terms: &Terms, relaxed: bool, first: usize) -> (String, Vec<String>) {
    let mut values = Vec::new();
    let mut part = |function: &str, words: &[String]| {
        values.push(words.join(" "));
        format!("{function}('english', ${})", first + values.len() - 1)
    };
    let mut positive = Vec::new();
    for word in &terms.words {
        positive.push(part("plainto_tsquery", std::slice::from_ref(word)));
    }
    for phrase in &terms.phrases {
        positive.push(part("phraseto_tsquery", phrase));
    }
    let joiner = if relaxed { " || " } else { " && " };
    let mut sql = format!("({})", positive.join(joiner));
    for excluded in &terms.excluded {
        let negated = part("phraseto_tsquery", excluded);
        sql = format!("({sql} && !!{negated})");
    }
    (sql, values)
}

async fn search_postgres(
    pool: &AnyPool,
    workspace_id: &str,
    terms: &Terms,
    relaxed: bool,
    limit: i64,
) -> Result<(Vec<HitRow>, i64), sqlx::Error> {
    if terms.is_empty() {
        return Ok((Vec::new(), 0));
    }
    // The same query twice: once counting (its terms bound from $2), once ranking (from $3,
    // after the limit).
    let from = |first: usize| {
        let (query, values) = tsquery(terms, relaxed, first);
        let sql = format!(
            "FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id, \
             (SELECT {query} AS q) AS search_query \
             WHERE c.workspace_id = $1 AND c.search @@ search_query.q"
        );
        (sql, values)
    };
    let (count_from, values) = from(2);
    let count_sql = format!("SELECT COUNT(*) {count_from}");
    let mut count = sqlx::query_as(&count_sql).bind(workspace_id);
    for value in &values {
        count = count.bind(value);
    }
    let (total,): (i64,) = count.fetch_one(pool).await?;
    let (rows_from, values) = from(3);
    // Equal scores in document order, so the same search ranks the same way every time.
    let sql = format!(
        "SELECT c.id AS chunk_id, c.document_id, d.file_id, c.title, c.heading, c.body, \
         CAST(ts_rank_cd(c.search, search_query.q) AS DOUBLE PRECISION) AS score {rows_from} \
         ORDER BY score DESC, c.document_id, c.position LIMIT $2"
    );
    let mut rows = sqlx::query_as(&sql).bind(workspace_id).bind(limit);
    for value in &values {
        rows = rows.bind(value);
    }
    Ok((rows.fetch_all(pool).await?, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::search_text::parse;

    #[test]
    fn tsquery_binds_every_term() {
        let (sql, values) = tsquery(&parse(r#"alpha "beta gamma" -delta"#), false, 3);
        assert_eq!(
            sql,
            "((plainto_tsquery('english', $3) && phraseto_tsquery('english', $4)) && !!phraseto_tsquery('english', $5))"
        );
        assert_eq!(values, ["alpha", "beta gamma", "delta"]);
    }
}
