//! `/api/agent-base/{id}/executions`: list an agent's executions, show one with its step log,
//! cancel one (SPEC §4.3), through `executions::service`.

use app::executions::model::{Execution, ExecutionPage, ExecutionQuery};
use app::executions::service;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::Json;

use super::auth::Caller;
use super::body::ApiQuery;
use super::problem::Problem;

#[utoipa::path(get, path = "/api/agent-base/{id}/executions", tag = "executions",
    params(("id" = String, Path, description = "Agent id"), ExecutionQuery),
    responses((status = 200, description = "One page of the agent's executions the token may see, newest first", body = ExecutionPage)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(agent_id): Path<String>,
    ApiQuery(query): ApiQuery<ExecutionQuery>,
) -> Result<Json<ExecutionPage>, Problem> {
    Ok(Json(
        service::list(&state, &principal, &agent_id, &query).await?,
    ))
}

#[utoipa::path(get, path = "/api/agent-base/{id}/executions/{execution_id}", tag = "executions",
    params(("id" = String, Path, description = "Agent id"), ("execution_id" = String, Path, description = "Execution id")),
    responses((status = 200, description = "The execution with its step log", body = Execution)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path((agent_id, id)): Path<(String, String)>,
) -> Result<Json<Execution>, Problem> {
    Ok(Json(
        service::get(&state, &principal, &agent_id, &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/agent-base/{id}/executions/{execution_id}/cancel", tag = "executions",
    params(("id" = String, Path, description = "Agent id"), ("execution_id" = String, Path, description = "Execution id")),
    responses((status = 200, description = "Canceled (queued), or asked to stop at its next step (running)", body = Execution),
              (status = 409, description = "The execution is over already")))]
pub async fn cancel(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path((agent_id, id)): Path<(String, String)>,
) -> Result<Json<Execution>, Problem> {
    Ok(Json(
        service::cancel(&state, &principal, &agent_id, &id).await?,
    ))
}
