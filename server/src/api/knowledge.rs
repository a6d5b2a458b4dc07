//! `/api/knowledge-base`: list documents, show one, and search (SPEC §4.3) through
//! `knowledge::service`, the same code as the Knowledge base page.

use app::knowledge::model::{Document, DocumentPage, DocumentQuery, SearchQuery, SearchResults};
use app::knowledge::service;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::Json;

use super::auth::Caller;
use super::body::ApiQuery;
use super::problem::Problem;

#[utoipa::path(get, path = "/api/knowledge-base", tag = "knowledge-base", params(DocumentQuery),
    responses((status = 200, description = "One page of the workspace's documents, newest first", body = DocumentPage)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<DocumentQuery>,
) -> Result<Json<DocumentPage>, Problem> {
    Ok(Json(service::list(&state, &principal, &query).await?))
}

#[utoipa::path(get, path = "/api/knowledge-base/search", tag = "knowledge-base", params(SearchQuery),
    responses((status = 200, description = "Ranked passages, best first: plain words must all appear (or, when no passage has them all, any of them), \"quoted phrases\" as written, -words not at all", body = SearchResults)))]
pub async fn search(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, Problem> {
    Ok(Json(service::search(&state, &principal, &query).await?))
}

#[utoipa::path(get, path = "/api/knowledge-base/{document_id}", tag = "knowledge-base",
    params(("document_id" = String, Path, description = "Document id")),
    responses((status = 200, description = "The document", body = Document)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Json<Document>, Problem> {
    Ok(Json(service::get(&state, &principal, &id).await?))
}
