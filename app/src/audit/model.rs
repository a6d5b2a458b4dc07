//! Audit types.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub id: String,
    pub occurred_at_ms: i64,
    pub actor_label: String,
    pub action: String,
    pub target_label: Option<String>,
    pub client_addr: Option<String>,
}

/// What was acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    pub kind: &'static str,
    pub id: &'a str,
    pub label: &'a str,
}
