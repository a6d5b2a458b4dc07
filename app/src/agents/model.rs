//! Agent types that cross the wire. They compile for WASM: no server-only crates here.

use serde::{Deserialize, Serialize};

/// An agent as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentView {
    pub id: String,
    pub name: String,
    /// Empty when there is none.
    pub description: String,
    pub version: String,
    /// The configuration as pretty-printed JSON, ready for an editor.
    pub config: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Which agents to list: a page, optionally only names containing `search`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
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

/// One page of agents, alphabetical, with the number matching in all pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPage {
    pub items: Vec<AgentView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}
