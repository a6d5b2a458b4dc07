//! `/api/integrations-base`: list, create, show, update and delete integrations (SPEC §4.3)
//! through `integrations::service`, the same code as the settings tab. Secrets go in and
//! never come out: answers say `{set, updated_at_ms}` per secret.

use app::integrations::model::{
    ConnectionCheck, ConnectionCheckRequest, Integration, IntegrationPage, IntegrationQuery,
    IntegrationRequest,
};
use app::integrations::service;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery, OptionalJson};
use super::problem::Problem;

#[utoipa::path(get, path = "/api/integrations-base", tag = "integrations", params(IntegrationQuery),
    responses((status = 200, description = "One page of the workspace's integrations, alphabetical (no secret values)", body = IntegrationPage)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<IntegrationQuery>,
) -> Result<Json<IntegrationPage>, Problem> {
    Ok(Json(service::list(&state, &principal, &query).await?))
}

#[utoipa::path(post, path = "/api/integrations-base", tag = "integrations", request_body = IntegrationRequest,
    responses((status = 201, description = "Created; its secrets are sealed and never shown again", body = Integration)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(request): ApiJson<IntegrationRequest>,
) -> Result<(StatusCode, Json<Integration>), Problem> {
    let created = service::create(&state, &principal, request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/api/integrations-base/{id}", tag = "integrations",
    params(("id" = String, Path, description = "Integration id")),
    responses((status = 200, description = "The integration (no secret values)", body = Integration)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Json<Integration>, Problem> {
    Ok(Json(service::get(&state, &principal, &id).await?))
}

#[utoipa::path(put, path = "/api/integrations-base/{id}", tag = "integrations",
    params(("id" = String, Path, description = "Integration id")), request_body = IntegrationRequest,
    responses((status = 200, description = "Updated: an omitted secret keeps its value, null clears it", body = Integration)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<IntegrationRequest>,
) -> Result<Json<Integration>, Problem> {
    Ok(Json(
        service::update(&state, &principal, &id, request).await?,
    ))
}

#[utoipa::path(delete, path = "/api/integrations-base/{id}", tag = "integrations",
    params(("id" = String, Path, description = "Integration id")),
    responses((status = 204, description = "Deleted, with its secrets")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    service::delete(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/integrations-base/{id}/test", tag = "integrations",
    params(("id" = String, Path, description = "Integration id")), request_body = ConnectionCheckRequest,
    responses((status = 200, description = "What one request through the integration answered (private addresses are refused unless TESSERA_EGRESS_ALLOW lists them)", body = ConnectionCheck)))]
pub async fn test(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    OptionalJson(request): OptionalJson<ConnectionCheckRequest>,
) -> Result<Json<ConnectionCheck>, Problem> {
    let request = request.unwrap_or_default();
    Ok(Json(
        service::check_connection(&state, &principal, &id, &request).await?,
    ))
}
