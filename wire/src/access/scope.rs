//! How far a token reaches: the whole workspace, one environment, or one agent in one
//! environment. With the permissions, what the policy decides by.

use serde::{Deserialize, Serialize};

/// What a token may reach. Internally tagged so the JSON reads
/// `{"kind":"environment","environment_id":"…"}` for REST clients too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TokenScope {
    /// The whole workspace.
    Account,
    /// One environment of the workspace.
    Environment { environment_id: String },
    /// One agent in one environment; the token carries the agent's identity.
    Deployment {
        agent_id: String,
        environment_id: String,
    },
}
