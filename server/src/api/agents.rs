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
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery};
use super::problem::Problem;

/// An installed agent.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Agent {
    pub id: String,
    pub name: String,
    /// Empty when there is none.
    pub description: String,
    pub version: String,
    /// The agent's configuration: a JSON object whose `steps` run in order.
    #[schema(value_type = AgentConfig)]
    pub config: Value,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// What an agent does (docs/agent-config.md): its steps, run in order, each seeing the
/// execution's `input` and the earlier steps' outputs (`steps.<id>`) in its templates
/// (minijinja, sandboxed: no I/O).
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // Describes the config for the OpenAPI document only.
pub struct AgentConfig {
    /// At most 20.
    steps: Vec<AgentStep>,
}

/// One step. `id` names its output for later steps: 1 to 64 of `a-z`, `0-9`, `_`, `-`,
/// starting with a letter, unique in the config.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
pub enum AgentStep {
    /// Searches the knowledge base; the output is the hits.
    KbSearch {
        id: String,
        /// A template.
        query: String,
        /// 1 to 50; absent means 5.
        limit: Option<i64>,
    },
    /// Renders text; the output is the text.
    Template { id: String, template: String },
    /// Calls an `http` integration (by id or name); its secrets are added as headers at run
    /// time and never logged.
    HttpRequest {
        id: String,
        integration: String,
        /// GET (the default), POST, PUT, PATCH or DELETE.
        method: Option<String>,
        /// A template starting with `/`, under the integration's base URL.
        path: String,
        /// Header name → template.
        headers: Option<std::collections::BTreeMap<String, String>>,
        /// A template.
        body: Option<String>,
    },
    /// Asks the assistant's default answerer over the knowledge base.
    AssistantAnswer {
        id: String,
        /// A template.
        question: String,
    },
    /// Asks an `llm` integration's model (by id or name).
    Llm {
        id: String,
        integration: String,
        /// A template.
        prompt: String,
    },
}

/// One page of agents, alphabetical.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgentList {
    pub items: Vec<Agent>,
    /// How many agents match in all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// An agent to install, or the new state of one (every field is replaced).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentRequest {
    /// Unique in the workspace (case-insensitively); no control characters.
    #[schema(min_length = 1, max_length = 64)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: String,
    /// A version label such as `1.4.2`.
    #[schema(min_length = 1, max_length = 32)]
    pub version: String,
    /// At most 16 KiB (compact); absent means `{}` (no steps yet). A config that breaks a
    /// rule is 422 with each problem keyed `config` and the JSON pointer of its field
    /// (`config/steps/2/path`).
    #[serde(default)]
    #[schema(value_type = Option<AgentConfig>)]
    pub config: Option<Value>,
}

impl AgentRequest {
    /// The configuration as the form's JSON text (absent is blank, which the domain reads as
    /// `{}`).
    fn config_text(&self) -> String {
        self.config
            .as_ref()
            .map_or_else(String::new, Value::to_string)
    }

    /// The request as the form the service parses, around its configuration text.
    fn form<'a>(&'a self, config: &'a str) -> AgentForm<'a> {
        AgentForm {
            name: &self.name,
            description: &self.description,
            version: &self.version,
            config,
        }
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
    let config = request.config_text();
    let view = service::install(&state, &principal, request.form(&config)).await?;
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
    let config = request.config_text();
    let view = service::update(&state, &principal, &id, request.form(&config)).await?;
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
