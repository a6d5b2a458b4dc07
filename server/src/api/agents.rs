//! `/api/agent-base`: list, install, show, update and delete agents (SPEC §4.3) through
//! `agents::service`, the same code as the Agents page. The only conversion here: REST
//! clients send and receive the configuration as JSON, not as editor text.

use app::agents::model::{AgentPage, AgentQuery, AgentView};
use app::agents::service::{self, AgentForm};
use app::state::AppState;
use app::AppError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;
use tessera_wire::agents::{Agent, AgentList, AgentRequest};

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery};
use super::problem::Problem;

/// The configuration as the form's JSON text (absent is blank, which the domain reads as
/// `{}`).
fn config_text(request: &AgentRequest) -> String {
    request
        .config
        .as_ref()
        .map_or_else(String::new, Value::to_string)
}

/// The request as the form the service parses, around its configuration text.
fn form<'a>(request: &'a AgentRequest, config: &'a str) -> AgentForm<'a> {
    AgentForm {
        name: &request.name,
        description: &request.description,
        version: &request.version,
        config,
    }
}

fn agent(view: AgentView) -> Result<Agent, AppError> {
    let config = serde_json::from_str(&view.config).map_err(|error| {
        tracing::error!(agent_id = %view.id, %error, "stored agent config is not JSON");
        AppError::Internal
    })?;
    Ok(Agent {
        id: view.id,
        name: view.name,
        description: view.description,
        version: view.version,
        config,
        created_at_ms: view.created_at_ms,
        updated_at_ms: view.updated_at_ms,
    })
}

#[utoipa::path(get, path = "/api/agent-base", tag = "agents", params(AgentQuery),
    responses((status = 200, description = "One page of the agents the token may see (a deployment token sees only its own)", body = AgentList)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<AgentQuery>,
) -> Result<Json<AgentList>, Problem> {
    let AgentPage {
        items,
        total,
        limit,
        offset,
    } = service::list(&state, &principal, &query).await?;
    Ok(Json(AgentList {
        items: items.into_iter().map(agent).collect::<Result<_, _>>()?,
        total,
        limit,
        offset,
    }))
}

#[utoipa::path(post, path = "/api/agent-base", tag = "agents", request_body = AgentRequest,
    responses((status = 201, description = "Installed", body = Agent)))]
pub async fn install(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(request): ApiJson<AgentRequest>,
) -> Result<(StatusCode, Json<Agent>), Problem> {
    let config = config_text(&request);
    let view = service::install(&state, &principal, form(&request, &config)).await?;
    Ok((StatusCode::CREATED, Json(agent(view)?)))
}

#[utoipa::path(get, path = "/api/agent-base/{id}", tag = "agents", params(("id" = String, Path, description = "Agent id")),
    responses((status = 200, description = "The agent", body = Agent)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Json<Agent>, Problem> {
    Ok(Json(agent(service::get(&state, &principal, &id).await?)?))
}

#[utoipa::path(put, path = "/api/agent-base/{id}", tag = "agents", params(("id" = String, Path, description = "Agent id")),
    request_body = AgentRequest,
    responses((status = 200, description = "Updated", body = Agent)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AgentRequest>,
) -> Result<Json<Agent>, Problem> {
    let config = config_text(&request);
    let view = service::update(&state, &principal, &id, form(&request, &config)).await?;
    Ok(Json(agent(view)?))
}

#[utoipa::path(delete, path = "/api/agent-base/{id}", tag = "agents", params(("id" = String, Path, description = "Agent id")),
    responses((status = 204, description = "Deleted; its deployment tokens were revoked")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    service::delete(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
