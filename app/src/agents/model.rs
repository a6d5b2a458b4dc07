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
