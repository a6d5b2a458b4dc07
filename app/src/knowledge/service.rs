//! Read the knowledge base, for both doors: list documents, show one, search. Writes happen
//! through storage (an upload makes a document, a delete removes it) and the ingestion job.

use super::model::{
    Document, DocumentPage, DocumentQuery, DocumentStatus, SearchHit, SearchQuery, SearchResults,
};
use super::repo::{self, DocumentRow, HitRow};
use super::search_text::{holds_phrase, parse, snippet, Terms};
use crate::access::{authorize, Action, Principal, Resource, Target};
use crate::error::AppError;
use crate::paging;
use crate::state::AppState;

const READ: Action = Action::read(Resource::KnowledgeBase);
pub const DEFAULT_HITS: i64 = 10;
pub const MAX_HITS: i64 = 50;
/// Candidates ranked by the engine before the query's phrase reorders them.
const CANDIDATES: i64 = 60;

#[tracing::instrument(name = "knowledge.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: &DocumentQuery,
) -> Result<DocumentPage, AppError> {
    authorize(principal, READ, Target::Any)?;
    let limit = paging::effective_limit(query.limit);
    let offset = paging::effective_offset(query.offset);
    let (rows, total) = repo::list(
        state.db.pool(),
        &principal.workspace_id,
        query.status.map(DocumentStatus::as_str),
        limit,
        offset,
    )
    .await?;
    Ok(DocumentPage {
        items: rows.into_iter().map(view).collect(),
        total,
        limit,
        offset,
    })
}

#[tracing::instrument(name = "knowledge.get", skip_all, fields(document_id = %id))]
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Document, AppError> {
    authorize(principal, READ, Target::Any)?;
    repo::find(state.db.pool(), &principal.workspace_id, id)
        .await?
        .map(view)
        .ok_or(AppError::NotFound)
}

/// Ranked passages of the caller's workspace. All plain words must appear; when no passage
/// has them all, passages with any of them are ranked instead (a question in plain words
/// still finds something). Among the engine's best candidates, those holding the query's
/// words side by side, as typed, come first.
#[tracing::instrument(name = "knowledge.search", skip_all)]
pub async fn search(
    state: &AppState,
    principal: &Principal,
    query: &SearchQuery,
) -> Result<SearchResults, AppError> {
    authorize(principal, READ, Target::Any)?;
    let limit = query.limit.unwrap_or(DEFAULT_HITS).clamp(1, MAX_HITS);
    let terms = parse(&query.q);
    let workspace_id = &principal.workspace_id;
    let candidates = CANDIDATES.max(limit);
    let (mut rows, mut total) =
        repo::search(&state.db, workspace_id, &terms, false, candidates).await?;
    if total == 0 && terms.words.len() > 1 {
        (rows, total) = repo::search(&state.db, workspace_id, &terms, true, candidates).await?;
    }
    let mut hits: Vec<(f64, HitRow)> = rows
        .into_iter()
        .map(|row| (rank(&row, &terms), row))
        .collect();
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    hits.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(SearchResults {
        items: hits
            .into_iter()
            .map(|(score, row)| hit(row, score, &terms))
            .collect(),
        total,
    })
}

/// The engine's score, doubled for a passage holding the plain words as one phrase.
fn rank(row: &HitRow, terms: &Terms) -> f64 {
    let together = terms.words.len() > 1
        && [&row.body, &row.heading, &row.title]
            .iter()
            .any(|text| holds_phrase(text, &terms.words));
    if together {
        row.score * 2.0
    } else {
        row.score
    }
}

fn hit(row: HitRow, score: f64, terms: &Terms) -> SearchHit {
    let snippet = snippet(&row.body, terms);
    SearchHit {
        document_id: row.document_id,
        file_id: row.file_id,
        chunk_id: row.chunk_id,
        title: row.title,
        heading: row.heading,
        snippet: snippet.text,
        highlights: snippet.highlights,
        score,
    }
}

pub fn view(row: DocumentRow) -> Document {
    Document {
        status: DocumentStatus::parse(&row.status).unwrap_or(DocumentStatus::Failed),
        id: row.id,
        file_id: row.file_id,
        file_name: row.file_name,
        title: row.title,
        failure: row.failure,
        size: row.size_bytes,
        content_type: row.content_type,
        chunk_count: row.chunk_count,
        uploaded_by: row.uploaded_by,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
    }
}
