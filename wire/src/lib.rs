//! The REST API's wire types: what requests carry and answers hold. The server publishes them
//! (with the `openapi` feature, their schemas), the browser app shows them and the Rust SDK
//! sends and reads them, so the three cannot drift. Only serde here: no Leptos, no server
//! crates.

pub mod access;
pub mod agents;
pub mod assistant;
pub mod executions;
pub mod integrations;
pub mod knowledge;
pub mod paging;
pub mod problem;
pub mod storage;
pub mod time;
pub mod token_format;
pub mod tokens;
pub mod triggers;
#[cfg(feature = "webhook-signing")]
pub mod webhook_signature;

use serde::{Deserialize, Serialize};

/// The answer of `/api/ping`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pong {
    pub status: String,
}
