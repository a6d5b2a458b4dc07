//! `/api/tokens`: the calling token, and token management for tokens with `tokens:write`
//! (SPEC §4.1). Each handler hands the caller's principal to `tokens::service` (the same code
//! as the server functions, so the same policy, rules, audit events and cache invalidation)
//! and converts the answer.

use app::access::policy::effective;
use app::access::{Actor, TokenScope};
use app::state::AppState;
use app::tokens::model::{CreatedToken, TokenPage, TokenQuery, TokenView};
use app::tokens::service::{self, CreateTokenInput};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tessera_wire::tokens::{CreateTokenRequest, RegenerateRequest, TokenSelf, UpdateTokenRequest};

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery, OptionalJson};
use super::problem::{Problem, ProblemBody};

type Answer<T> = Result<Json<T>, Problem>;

#[utoipa::path(get, path = "/api/tokens/self", tag = "tokens",
    responses((status = 200, description = "The calling token", body = TokenSelf)))]
pub async fn token_self(Caller(principal): Caller) -> Result<Json<TokenSelf>, Problem> {
    let Actor::Token {
        id,
        name,
        scope,
        permissions,
    } = principal.actor
    else {
        return Err(app::AppError::Internal.into());
    };
    let permissions = effective(&scope, &permissions);
    Ok(Json(TokenSelf {
        id,
        name,
        workspace_id: principal.workspace_id,
        scope,
        permissions,
    }))
}

#[utoipa::path(get, path = "/api/tokens", tag = "tokens", params(TokenQuery),
    responses((status = 200, description = "One page of the workspace's tokens", body = TokenPage)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<TokenQuery>,
) -> Answer<TokenPage> {
    Ok(Json(service::list(&state, &principal, &query).await?))
}

#[utoipa::path(get, path = "/api/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "The token", body = TokenView)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Answer<TokenView> {
    Ok(Json(service::get(&state, &principal, &id).await?))
}

#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = CreateTokenRequest,
    responses((status = 201, description = "Created; `plaintext` is the full token, shown this once", body = CreatedToken)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(request): ApiJson<CreateTokenRequest>,
) -> Result<Response, Problem> {
    let input = CreateTokenInput {
        name: request.name,
        scope: request.scope.unwrap_or(TokenScope::Account),
        expires_at_ms: request.expires_at_ms,
        permissions: request.permissions,
    };
    let created = service::create(&state, &principal, input).await?;
    Ok(secret_response(StatusCode::CREATED, created))
}

#[utoipa::path(patch, path = "/api/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    request_body = UpdateTokenRequest,
    responses((status = 200, description = "Narrowed", body = TokenView),
        (status = 409, description = "The token is revoked, or changed at the same moment", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<UpdateTokenRequest>,
) -> Answer<TokenView> {
    Ok(Json(
        service::narrow(&state, &principal, &id, request.permissions).await?,
    ))
}

#[utoipa::path(post, path = "/api/tokens/{id}/regenerate", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    request_body(content = Option<RegenerateRequest>, description = "Optional; no body means no grace period"),
    responses((status = 200, description = "Regenerated; `plaintext` is the new full token, shown this once", body = CreatedToken),
        (status = 409, description = "The token's state does not allow this action", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn regenerate(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    OptionalJson(request): OptionalJson<RegenerateRequest>,
) -> Result<Response, Problem> {
    let grace = request.unwrap_or_default().grace;
    let created = service::regenerate(&state, &principal, &id, grace).await?;
    Ok(secret_response(StatusCode::OK, created))
}

#[utoipa::path(post, path = "/api/tokens/{id}/suspend", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Suspended", body = TokenView),
        (status = 409, description = "The token's state does not allow this action", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn suspend(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Answer<TokenView> {
    Ok(Json(service::suspend(&state, &principal, &id).await?))
}

#[utoipa::path(post, path = "/api/tokens/{id}/activate", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Active again", body = TokenView),
        (status = 409, description = "The token's state does not allow this action", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn activate(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Answer<TokenView> {
    Ok(Json(service::activate(&state, &principal, &id).await?))
}

#[utoipa::path(post, path = "/api/tokens/{id}/revoke", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Revoked for good", body = TokenView),
        (status = 409, description = "The token's state does not allow this action", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn revoke(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Answer<TokenView> {
    Ok(Json(service::revoke(&state, &principal, &id).await?))
}

#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Deleted (it was revoked)"),
        (status = 409, description = "Only a revoked token can be deleted", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    service::delete(&state, &principal, &id).await?;
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
