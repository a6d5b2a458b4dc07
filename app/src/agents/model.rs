//! Agent types the browser uses; the REST shapes (configuration as JSON) live in
//! `tessera_wire::agents`, shared with the SDKs. They compile for WASM.

use serde::{Deserialize, Serialize};

pub use tessera_wire::agents::AgentQuery;

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

/// One page of agents, alphabetical, with the number matching in all pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPage {
    pub items: Vec<AgentView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}
