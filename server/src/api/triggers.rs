//! `/api/agent-base/triggers`: list, create, show, update, delete and execute triggers (SPEC
//! §4.3) through `triggers::service`. `execute` honours an `Idempotency-Key` header.

use app::state::AppState;
use app::triggers::model::{
    ExecuteRequest, Executed, Trigger, TriggerPage, TriggerQuery, TriggerRequest,
};
use app::triggers::service;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::Value;

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery, OptionalJson};
use super::problem::Problem;

#[utoipa::path(get, path = "/api/agent-base/triggers", tag = "triggers", params(TriggerQuery),
    responses((status = 200, description = "One page of the triggers the token may see, alphabetical", body = TriggerPage)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<TriggerQuery>,
) -> Result<Json<TriggerPage>, Problem> {
    Ok(Json(service::list(&state, &principal, &query).await?))
}

#[utoipa::path(post, path = "/api/agent-base/triggers", tag = "triggers", request_body = TriggerRequest,
    responses((status = 201, description = "Created", body = Trigger)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(request): ApiJson<TriggerRequest>,
) -> Result<(StatusCode, Json<Trigger>), Problem> {
    let trigger = service::create(&state, &principal, &request).await?;
    Ok((StatusCode::CREATED, Json(trigger)))
}

#[utoipa::path(get, path = "/api/agent-base/triggers/{id}", tag = "triggers", params(("id" = String, Path, description = "Trigger id")),
    responses((status = 200, description = "The trigger with its latest executions", body = Trigger)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Json<Trigger>, Problem> {
    Ok(Json(service::get(&state, &principal, &id).await?))
}

#[utoipa::path(put, path = "/api/agent-base/triggers/{id}", tag = "triggers", params(("id" = String, Path, description = "Trigger id")),
    request_body = TriggerRequest,
    responses((status = 200, description = "Updated", body = Trigger)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<TriggerRequest>,
) -> Result<Json<Trigger>, Problem> {
    Ok(Json(
        service::update(&state, &principal, &id, &request).await?,
    ))
}

#[utoipa::path(delete, path = "/api/agent-base/triggers/{id}", tag = "triggers", params(("id" = String, Path, description = "Trigger id")),
    responses((status = 204, description = "Deleted; its executions stay, without it")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    service::delete(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/agent-base/triggers/{id}/execute", tag = "triggers",
    params(("id" = String, Path, description = "Trigger id"),
           ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the original execution and starts nothing")),
    request_body(content = Option<ExecuteRequest>),
    responses((status = 202, description = "Queued", body = Executed),
              (status = 200, description = "The execution an earlier request with this Idempotency-Key started", body = Executed),
              (status = 409, description = "The trigger is disabled")))]
pub async fn execute(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    OptionalJson(request): OptionalJson<ExecuteRequest>,
) -> Result<(StatusCode, Json<Executed>), Problem> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => Some(value.to_str().map_err(|_| {
            app::AppError::field("idempotency_key", "The idempotency key must be plain text.")
        })?),
    };
    let input = request
        .and_then(|request| request.input)
        .unwrap_or_else(|| Value::Object(Default::default()));
    let (executed, created) = service::execute(&state, &principal, &id, &input, key).await?;
    let status = if created {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(executed)))
}

#[utoipa::path(post, path = "/api/agent-base/triggers/{id}/rotate-secret", tag = "triggers", params(("id" = String, Path, description = "A webhook trigger's id")),
    responses((status = 200, description = "The trigger with its new signing secret, shown this once; the previous secret still verifies for 24 hours", body = Trigger),
              (status = 409, description = "Not a webhook trigger")))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Json<Trigger>, Problem> {
    Ok(Json(service::rotate_secret(&state, &principal, &id).await?))
}
