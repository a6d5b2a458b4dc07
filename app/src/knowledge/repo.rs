//! SQL for knowledge-base documents, their chunks and search. Reads for people and tokens
//! name the workspace; the ingestion job, which acts for nobody, reads by document id.
//! Search is the one place the engines differ: FTS5 `MATCH` with `bm25` on SQLite,
//! `tsvector @@ tsquery` with `ts_rank_cd` on PostgreSQL.

use sqlx::{AnyConnection, AnyPool, FromRow};

use super::search_text::{condition, fts5_expression, Operators, Terms};
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
    /// How many passages match in all (the same on every row).
    pub total: i64,
}

/// The `limit` best-ranked chunks of the workspace holding every quoted phrase and at least
/// `at_least` of the plain words of `terms` (and none of the exclusions), and how many match
/// in all. Higher scores are better.
pub async fn search(
    db: &Db,
    workspace_id: &str,
    terms: &Terms,
    at_least: usize,
    limit: i64,
) -> Result<(Vec<HitRow>, i64), sqlx::Error> {
    let rows = match db.engine() {
        Engine::Sqlite => search_sqlite(db.pool(), workspace_id, terms, at_least, limit).await?,
        Engine::Postgres => {
            search_postgres(db.pool(), workspace_id, terms, at_least, limit).await?
        }
    };
    let total = rows.first().map_or(0, |row| row.total);
    Ok((rows, total))
}

/// What share of passages hold each of `words`, and how many, from the engine's own statistics:
/// of every workspace's passages, as bm25's word weights are on SQLite. A relaxed search
/// leaves out the words most passages hold: they cannot rank, and matching them costs a pass
/// over most of the index. SQLite counts a word's passages in the full-text index itself (a
/// walk along one posting list, well under a millisecond); PostgreSQL reads the lexeme
/// frequencies ANALYZE keeps for the `search` column (nothing is known before the first
/// ANALYZE, and a word rarer than the ones it lists counts as 0).
pub async fn word_shares(db: &Db, words: &[String]) -> Result<Vec<WordShare>, sqlx::Error> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, f64, f64)> = match db.engine() {
        Engine::Sqlite => {
            let sql = (0..words.len())
                .map(|n| {
                    format!(
                        "SELECT {n} AS n, CAST(found AS REAL) / MAX(indexed, 1) AS share, \
                         CAST(found AS REAL) AS passages \
                         FROM (SELECT (SELECT COUNT(*) FROM kb_chunks_fts \
                               WHERE kb_chunks_fts MATCH ${}) AS found, \
                               (SELECT COUNT(*) FROM kb_chunks) AS indexed)",
                        n + 1
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            let mut query = sqlx::query_as(&sql);
            for word in words {
                // A word is alphanumeric: quoted, it is one FTS5 term whatever it spells.
                query = query.bind(format!("\"{word}\""));
            }
            query.fetch_all(db.pool()).await?
        }
        Engine::Postgres => {
            let values = (0..words.len())
                .map(|n| format!("(CAST({n} AS BIGINT), CAST(${} AS TEXT))", n + 1))
                .collect::<Vec<_>>()
                .join(", ");
            // A word's lexeme looked up in the frequency list (array_position) rather than
            // the list unnested and joined: a quarter of the time.
            // The number of passages is the planner's estimate, from the same ANALYZE.
            let sql = format!(
                "SELECT q.n, share, share * GREATEST((SELECT CAST(reltuples AS DOUBLE PRECISION) \
                     FROM pg_class WHERE oid = CAST('kb_chunks' AS regclass)), 0) AS passages \
                 FROM (SELECT q.n, CAST(COALESCE(s.most_common_elem_freqs[array_position(\
                         CAST(CAST(s.most_common_elems AS TEXT) AS TEXT[]), q.lexeme)], 0) \
                         AS DOUBLE PRECISION) AS share \
                     FROM (SELECT v.n, (tsvector_to_array(to_tsvector('english', v.word)))[1] \
                           AS lexeme FROM (VALUES {values}) AS v (n, word)) AS q \
                     LEFT JOIN pg_stats s ON s.schemaname = current_schema() \
                         AND s.tablename = 'kb_chunks' AND s.attname = 'search') AS q"
            );
            let mut query = sqlx::query_as(&sql);
            for word in words {
                query = query.bind(word);
            }
            query.fetch_all(db.pool()).await?
        }
    };
    let mut shares = vec![WordShare::default(); words.len()];
    for (n, share, passages) in rows {
        if let Some(slot) = usize::try_from(n).ok().and_then(|n| shares.get_mut(n)) {
            *slot = WordShare { share, passages };
        }
    }
    Ok(shares)
}

/// How common a word is: the share of passages holding it (0 to 1), and how many they are.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WordShare {
    pub share: f64,
    pub passages: f64,
}

/// bm25 column weights (title, heading, body): a word in the heading path (which starts with
/// the page's own heading) counts most, then the title, then the body. Tuned against
/// scripts/kb_queries.tsv (docs/benchmarks.md): the title at 6, above the heading, let a
/// page whose title happens to hold a query word outrank the passage that answers it.
const SQLITE_RANK: &str = "bm25(kb_chunks_fts, 2.0, 5.0, 1.0)";

/// The matches are ranked and counted in one pass over row ids and scores (the count is a
/// window over all of them), and only the best few are joined to their text: sorting every
/// match with its body, and matching twice to count, cost more than the ranking itself.
/// Equal scores rank in the order the passages were indexed (a document's in its order).
async fn search_sqlite(
    pool: &AnyPool,
    workspace_id: &str,
    terms: &Terms,
    at_least: usize,
    limit: i64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    let Some(expression) = fts5_expression(terms, at_least) else {
        return Ok(Vec::new());
    };
    // bm25 may only be called where the full-text match is made: it is ranked in the inner
    // query, counted and cut in the next, joined to the text in the outer one.
    sqlx::query_as(&format!(
        "SELECT c.id AS chunk_id, c.document_id, d.file_id, c.title, c.heading, c.body, \
         -best.rank AS score, best.total \
         FROM (SELECT chunk_rowid, rank, COUNT(*) OVER () AS total \
               FROM (SELECT kb_chunks_fts.rowid AS chunk_rowid, {SQLITE_RANK} AS rank \
                     FROM kb_chunks_fts JOIN kb_chunks m ON m.rowid = kb_chunks_fts.rowid \
                     WHERE kb_chunks_fts MATCH $1 AND m.workspace_id = $2) AS matches \
               ORDER BY rank, chunk_rowid LIMIT $3) AS best \
         JOIN kb_chunks c ON c.rowid = best.chunk_rowid \
         JOIN kb_documents d ON d.id = c.document_id \
         ORDER BY best.rank, best.chunk_rowid"
    ))
    .bind(&expression)
    .bind(workspace_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The tsquery for `terms` with at least `at_least` of the plain words, as SQL over bind
/// parameters numbered from `first` (words and phrases are bound, never spliced; a word
/// bound once serves every clause naming it), and the values to bind.
fn tsquery(terms: &Terms, at_least: usize, first: usize) -> Option<(String, Vec<String>)> {
    let words = terms.words.len();
    let phrases = terms.phrases.len();
    let sql = condition(
        terms,
        at_least,
        Operators {
            and: " && ",
            or: " || ",
            and_not: |left, right| format!("({left} && !!{right})"),
        },
        |n| format!("plainto_tsquery('english', ${})", first + n),
        |n| format!("phraseto_tsquery('english', ${})", first + words + n),
        |n| {
            format!(
                "phraseto_tsquery('english', ${})",
                first + words + phrases + n
            )
        },
    )?;
    let values = terms
        .words
        .iter()
        .cloned()
        .chain(terms.phrases.iter().map(|phrase| phrase.join(" ")))
        .chain(terms.excluded.iter().map(|excluded| excluded.join(" ")))
        .collect();
    Some((sql, values))
}

/// ts_rank_cd's weights, in its order D (unused), C (body), B (heading), A (title): the
/// ratio of SQLite's bm25 weights; and its normalisation: 2 divides by the passage's length
/// (bm25 normalises by length too; against the query file this ranked best, above 0, 1, 8
/// and far above 4), 32 maps the rank into [0, 1).
const PG_WEIGHTS: &str = "'{0.1, 0.2, 1.0, 0.4}'";
const PG_NORMALIZATION: i32 = 2 | 32;

async fn search_postgres(
    pool: &AnyPool,
    workspace_id: &str,
    terms: &Terms,
    at_least: usize,
    limit: i64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    let Some((query, values)) = tsquery(terms, at_least, 3) else {
        return Ok(Vec::new());
    };
    // Ranked and counted in one pass; only the best few are joined to their text. Equal
    // scores in document order, so the same search ranks the same way every time.
    let sql = format!(
        "SELECT c.id AS chunk_id, c.document_id, d.file_id, c.title, c.heading, c.body, \
         best.score, best.total \
         FROM (SELECT m.id, m.document_id, m.position, COUNT(*) OVER () AS total, \
               CAST(ts_rank_cd({PG_WEIGHTS}, m.search, search_query.q, {PG_NORMALIZATION}) \
                    AS DOUBLE PRECISION) AS score \
               FROM kb_chunks m, (SELECT {query} AS q) AS search_query \
               WHERE m.workspace_id = $1 AND m.search @@ search_query.q \
               ORDER BY score DESC, m.document_id, m.position LIMIT $2) AS best \
         JOIN kb_chunks c ON c.id = best.id \
         JOIN kb_documents d ON d.id = c.document_id \
         ORDER BY best.score DESC, best.document_id, best.position"
    );
    let mut rows = sqlx::query_as(&sql).bind(workspace_id).bind(limit);
    for value in &values {
        rows = rows.bind(value);
    }
    rows.fetch_all(pool).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::search_text::parse;

    #[test]
    fn tsquery_binds_every_term() {
        let terms = parse(r#"alpha "beta gamma" -delta omega"#);
        let (sql, values) = tsquery(&terms, 1, 3).unwrap();
        assert_eq!(
            sql,
            "((phraseto_tsquery('english', $5) && (plainto_tsquery('english', $3) || \
             plainto_tsquery('english', $4))) && !!phraseto_tsquery('english', $6))"
        );
        assert_eq!(values, ["alpha", "omega", "beta gamma", "delta"]);
        assert!(tsquery(&parse("-delta"), 1, 3).is_none());
    }
}
