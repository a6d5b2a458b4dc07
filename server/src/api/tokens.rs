//! `/api/tokens`: the calling token, and token management for account tokens (SPEC §4). Each
//! handler checks the scope, calls `tokens::service` (the same code as the server functions,
//! so the same rules, audit events and cache invalidation) and converts the answer.

use app::state::AppState;
use app::tokens::model::{CreatedToken, GracePeriod, TokenPage, TokenQuery, TokenScope, TokenView};
use app::tokens::service::{self, CreateTokenInput};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery, OptionalJson};
use super::problem::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens/self", get(token_self))
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", get(show).delete(delete))
        .route("/tokens/{id}/regenerate", post(regenerate))
        .route("/tokens/{id}/suspend", post(suspend))
        .route("/tokens/{id}/activate", post(activate))
        .route("/tokens/{id}/revoke", post(revoke))
}

/// The calling token as it sees itself. Answered from the authenticated principal alone: no
/// database work beyond authentication.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenSelf {
    pub id: String,
    pub name: String,
    pub workspace_id: String,
    pub scope: TokenScope,
}

/// A token to create. No `scope` means an account token.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    pub name: String,
    #[serde(default)]
    pub scope: Option<TokenScope>,
    /// UTC milliseconds since the epoch; absent means the token never expires.
    #[serde(default)]
    pub expires_at_ms: Option<i64>,
}

/// How long the replaced value keeps working; absent means not at all.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegenerateRequest {
    #[serde(default)]
    pub grace: GracePeriod,
}

#[utoipa::path(get, path = "/api/tokens/self", tag = "tokens",
    responses((status = 200, description = "The calling token", body = TokenSelf)))]
pub async fn token_self(caller: Caller) -> Json<TokenSelf> {
    let principal = caller.principal;
    Json(TokenSelf {
        id: principal.token_id,
        name: principal.token_name,
        workspace_id: principal.workspace_id,
        scope: principal.scope,
    })
}

#[utoipa::path(get, path = "/api/tokens", tag = "tokens", params(TokenQuery),
    responses((status = 200, description = "One page of the workspace's tokens", body = TokenPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TokenQuery>,
) -> Result<Json<TokenPage>, Problem> {
    caller.require_account()?;
    Ok(Json(
        service::list(&state, caller.workspace_id(), &query).await?,
    ))
}

#[utoipa::path(get, path = "/api/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "The token", body = TokenView)))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TokenView>, Problem> {
    caller.require_account()?;
    Ok(Json(
        service::get(&state, caller.workspace_id(), &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = CreateTokenRequest,
    responses((status = 201, description = "Created; `plaintext` is the full token, shown this once", body = CreatedToken)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateTokenRequest>,
) -> Result<Response, Problem> {
    caller.require_account()?;
    let input = CreateTokenInput {
        name: request.name,
        scope: request.scope.unwrap_or(TokenScope::Account),
        expires_at_ms: request.expires_at_ms,
    };
    let created = service::create(&state, caller.workspace_id(), &caller.actor(), input).await?;
    Ok(secret_response(StatusCode::CREATED, created))
}

#[utoipa::path(post, path = "/api/tokens/{id}/regenerate", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    request_body(content = Option<RegenerateRequest>, description = "Optional; no body means no grace period"),
    responses((status = 200, description = "Regenerated; `plaintext` is the new full token, shown this once", body = CreatedToken)))]
pub async fn regenerate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    OptionalJson(request): OptionalJson<RegenerateRequest>,
) -> Result<Response, Problem> {
    caller.require_account()?;
    let grace = request.unwrap_or_default().grace;
    let created =
        service::regenerate(&state, caller.workspace_id(), &caller.actor(), &id, grace).await?;
    Ok(secret_response(StatusCode::OK, created))
}

#[utoipa::path(post, path = "/api/tokens/{id}/suspend", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Suspended", body = TokenView)))]
pub async fn suspend(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TokenView>, Problem> {
    caller.require_account()?;
    Ok(Json(
        service::suspend(&state, caller.workspace_id(), &caller.actor(), &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/tokens/{id}/activate", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Active again", body = TokenView)))]
pub async fn activate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TokenView>, Problem> {
    caller.require_account()?;
    Ok(Json(
        service::activate(&state, caller.workspace_id(), &caller.actor(), &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/tokens/{id}/revoke", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Revoked for good", body = TokenView)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TokenView>, Problem> {
    caller.require_account()?;
    Ok(Json(
        service::revoke(&state, caller.workspace_id(), &caller.actor(), &id).await?,
    ))
}

#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Deleted (it was revoked)")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    caller.require_account()?;
    service::delete(&state, caller.workspace_id(), &caller.actor(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A response carrying a full token: no cache may keep it.
fn secret_response(status: StatusCode, created: CreatedToken) -> Response {
    let mut response = (status, Json(created)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
