//! Read the knowledge base, for both doors: list documents, show one, search. Writes happen
//! through storage (an upload makes a document, a delete removes it) and the ingestion job.

use super::model::{
    Document, DocumentPage, DocumentQuery, DocumentStatus, SearchHit, SearchQuery, SearchResults,
};
use super::repo::{self, DocumentRow, HitRow};
use super::search_text::{holds_phrase, parse, snippet, tiers, Terms};
use crate::access::{authorize, Action, Principal, Resource, Target};
use crate::error::AppError;
use crate::paging;
use crate::state::AppState;

const READ: Action = Action::read(Resource::KnowledgeBase);
pub const DEFAULT_HITS: i64 = 10;
pub const MAX_HITS: i64 = 50;
/// Candidates ranked by the engine (per tier) before the query's phrase reorders them.
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

/// Ranked passages of the caller's workspace (see [`ranked`]).
#[tracing::instrument(name = "knowledge.search", skip_all)]
pub async fn search(
    state: &AppState,
    principal: &Principal,
    query: &SearchQuery,
) -> Result<SearchResults, AppError> {
    authorize(principal, READ, Target::Any)?;
    let Ranked { hits, total, terms } = ranked(state, &principal.workspace_id, query).await?;
    Ok(SearchResults {
        items: hits
            .into_iter()
            .map(|(score, row)| hit(row, score, &terms))
            .collect(),
        total,
    })
}

/// A hit with the whole text of its passage, for answering from it.
#[derive(Debug, Clone)]
pub struct Passage {
    pub hit: SearchHit,
    pub body: String,
}

/// The passages [`search`] finds in a workspace, best first, each with its whole text: for a
/// service that answers from the knowledge base (the assistant), which has authorized its
/// caller for itself.
#[tracing::instrument(name = "knowledge.passages", skip_all)]
pub async fn passages(
    state: &AppState,
    workspace_id: &str,
    query: &SearchQuery,
) -> Result<Vec<Passage>, AppError> {
    let Ranked { hits, terms, .. } = ranked(state, workspace_id, query).await?;
    Ok(hits
        .into_iter()
        .map(|(score, row)| {
            let body = row.body.clone();
            Passage {
                hit: hit(row, score, &terms),
                body,
            }
        })
        .collect())
}

/// The share of the indexed passages holding each word (by stem), from the engine's own
/// statistics (`repo::word_shares`), for weighing the words of a question.
pub async fn word_shares(state: &AppState, words: &[String]) -> Result<Vec<f64>, AppError> {
    Ok(repo::word_shares(&state.db, words)
        .await?
        .into_iter()
        .map(|word| word.share)
        .collect())
}

/// A search's hits, best first, before they become [`SearchHit`]s.
struct Ranked {
    hits: Vec<(f64, HitRow)>,
    total: i64,
    terms: Terms,
}

/// The ranked passages of the caller's workspace. Passages holding every plain word come
/// first; when they are fewer than the hits asked for, passages holding most of the words follow —
/// all but one, then all but two, … down to any one — so a question in plain words still
/// finds the page that says part of it differently. Those relaxed tiers leave out the words
/// most passages hold ("python" in Python's documentation): they rank nothing and cost a pass
/// over most of the index. Quoted phrases and exclusions hold in every tier. Within a tier,
/// the engine's best candidates are ordered by its score, doubled where the query's words
/// (or words typed joined, as `thread-safe`) stand side by side.
async fn ranked(
    state: &AppState,
    workspace_id: &str,
    query: &SearchQuery,
) -> Result<Ranked, AppError> {
    let limit = query.limit.unwrap_or(DEFAULT_HITS).clamp(1, MAX_HITS);
    let wanted = usize::try_from(limit).unwrap_or(0);
    let terms = parse(&query.q);
    let mut found = Found::default();
    let all = terms.words.len();
    found
        .tier(state, workspace_id, &terms, &terms, all, all + 1, limit)
        .await?;
    if found.hits.len() < wanted && all > 1 {
        let shares = repo::word_shares(&state.db, &terms.words).await?;
        let rare = Terms {
            words: terms
                .words
                .iter()
                .zip(&shares)
                .filter(|(_, word)| !word.is_common())
                .map(|(word, _)| word.clone())
                .collect(),
            ..terms.clone()
        };
        for at_least in tiers(&rare) {
            if at_least == 0 || at_least == all {
                continue; // No word left, or the strict search again.
            }
            found
                .tier(
                    state,
                    workspace_id,
                    &terms,
                    &rare,
                    at_least,
                    at_least,
                    limit,
                )
                .await?;
            if found.hits.len() >= wanted {
                break;
            }
        }
    }
    let Found { mut hits, total } = found;
    hits.truncate(wanted);
    Ok(Ranked { hits, total, terms })
}

/// Words held by more than this share of passages, and by at least this many, are left out
/// of a relaxed search: bm25 weighs a word in a fifth of the passages at under a third of
/// one in a hundredth, and below a thousand passages matching costs little (in a small
/// workspace every word is in a large share of the passages).
const COMMON_SHARE: f64 = 0.2;
const COMMON_PASSAGES: f64 = 1_000.0;

impl repo::WordShare {
    fn is_common(&self) -> bool {
        self.share > COMMON_SHARE && self.passages >= COMMON_PASSAGES
    }
}

/// The hits of the tiers searched so far, best first, and how many passages the last one
/// matched.
#[derive(Default)]
struct Found {
    hits: Vec<(f64, HitRow)>,
    total: i64,
}

impl Found {
    /// Adds the passages matching `asked` with at least `at_least` of its words that earlier
    /// tiers did not find, ranked for `terms` (the query as typed), with scores in
    /// `[level, level + 1)` so that they fall tier by tier.
    #[allow(clippy::too_many_arguments)]
    async fn tier(
        &mut self,
        state: &AppState,
        workspace_id: &str,
        terms: &Terms,
        asked: &Terms,
        at_least: usize,
        level: usize,
        limit: i64,
    ) -> Result<(), AppError> {
        // A tier finds the earlier tiers' passages again (they hold more words): ask for
        // enough to find new ones.
        let seen = i64::try_from(self.hits.len()).unwrap_or(i64::MAX);
        let (rows, total) = repo::search(
            &state.db,
            workspace_id,
            asked,
            at_least,
            CANDIDATES.max(limit).saturating_add(seen),
        )
        .await?;
        self.total = total;
        let mut new: Vec<(f64, HitRow)> = rows
            .into_iter()
            .filter(|row| {
                !self
                    .hits
                    .iter()
                    .any(|(_, hit)| hit.chunk_id == row.chunk_id)
            })
            .map(|row| (rank(&row, terms), row))
            .collect();
        new.sort_by(|a, b| b.0.total_cmp(&a.0));
        let level = level as f64;
        self.hits.extend(
            new.into_iter()
                .map(|(score, row)| (level + score / (1.0 + score), row)),
        );
        Ok(())
    }
}

/// The engine's score (positive), doubled for a passage holding the plain words as one
/// phrase, or words typed joined side by side.
fn rank(row: &HitRow, terms: &Terms) -> f64 {
    let phrases = std::iter::once(terms.words.as_slice())
        .chain(terms.joined.iter().map(Vec::as_slice))
        .collect::<Vec<_>>();
    let together = [&row.body, &row.heading, &row.title]
        .iter()
        .any(|text| holds_phrase(text, phrases.iter().copied()));
    let score = row.score.max(0.0);
    if together {
        score * 2.0
    } else {
        score
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
