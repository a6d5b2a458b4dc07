//! Agents on the wire (SPEC §4.3): an installed agent with its configuration as JSON, the
//! install/update request, the list query and page. `AgentConfig` and `AgentStep` describe
//! the configuration (docs/agent-config.md); the server validates it, so `config` travels as
//! any JSON and a client may build it with these types or by hand.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An installed agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: String,
    pub name: String,
    /// Empty when there is none.
    pub description: String,
    pub version: String,
    /// The agent's configuration: a JSON object whose `steps` run in order.
    #[cfg_attr(feature = "openapi", schema(value_type = AgentConfig))]
    pub config: Value,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// What an agent does (docs/agent-config.md): its steps, run in order, each seeing the
/// execution's `input` and the earlier steps' outputs (`steps.<id>`) in its templates
/// (minijinja, sandboxed: no I/O).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentConfig {
    /// At most 20.
    pub steps: Vec<AgentStep>,
}

/// One step. `id` names its output for later steps: 1 to 64 of `a-z`, `0-9`, `_`, `-`,
/// starting with a letter, unique in the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentList {
    pub items: Vec<Agent>,
    /// How many agents match in all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// An agent to install, or the new state of one (every field is replaced).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgentRequest {
    /// Unique in the workspace (case-insensitively); no control characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: String,
    /// A version label such as `1.4.2`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 32))]
    pub version: String,
    /// At most 16 KiB (compact); absent means `{}` (no steps yet). A config that breaks a
    /// rule is 422 with each problem keyed `config` and the JSON pointer of its field
    /// (`config/steps/2/path`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<AgentConfig>))]
    pub config: Option<Value>,
}

/// Which agents to list: a page, optionally only names containing `search`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct AgentQuery {
    /// A case-insensitive substring of the name; blank means no filter.
    pub search: Option<String>,
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Agents to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

impl AgentQuery {
    /// The largest page: what the Agents page asks for.
    pub fn everything() -> Self {
        AgentQuery {
            limit: Some(crate::paging::MAX_LIMIT),
            ..AgentQuery::default()
        }
    }
}
