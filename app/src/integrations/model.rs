//! Integration types: the REST shapes live in `tessera_wire::integrations` (shared with the
//! SDKs; secret values travel only inward); the settings tab's data is the app's own.

use serde::{Deserialize, Serialize};

pub use tessera_wire::integrations::*;

/// Settings › Integrations' data: the integrations and the assistant's chosen model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationsTabData {
    pub items: Vec<Integration>,
    /// The `llm` integration that writes the assistant's answers; none: the knowledge base
    /// answers alone.
    pub assistant_model: Option<String>,
}
