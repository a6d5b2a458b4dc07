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

/// Who acted: a signed-in person, an API token, or the system itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<String>,
    pub label: String,
    pub client_addr: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    User,
    Token,
    System,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::User => "user",
            ActorKind::Token => "token",
            ActorKind::System => "system",
        }
    }
}

/// What was acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    pub kind: &'static str,
    pub id: &'a str,
    pub label: &'a str,
}
