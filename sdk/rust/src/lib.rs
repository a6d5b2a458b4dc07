//! A typed async client for Tessera's REST API.
//!
//! The request and response types are the server's own ([`wire`], re-exported from
//! `tessera-wire`), so the two cannot drift. The token comes from `TESSERA_API_TOKEN` (or
//! the builder) and is checked for shape and checksum before anything is sent; the server is
//! `TESSERA_API_URL` (default `http://127.0.0.1:3000`).
//!
//! ```no_run
//! use tessera_sdk::{Client, StreamExt};
//! use tessera_sdk::wire::agents::AgentQuery;
//!
//! # async fn run() -> tessera_sdk::Result<()> {
//! let tessera = Client::from_env()?;
//! let mut agents = tessera.agents().list_all(AgentQuery::default());
//! while let Some(agent) = agents.next().await {
//!     let agent = agent?;
//!     println!("{} {}", agent.name, agent.version);
//! }
//! # Ok(()) }
//! ```
//!
//! Each resource has a handle with an example: [`Tokens`], [`Agents`], [`Triggers`],
//! [`Executions`], [`Integrations`], [`KnowledgeBase`], [`Storage`], [`Assistant`],
//! [`Webhooks`], [`System`]; [`webhook`] signs deliveries without a token.
//!
//! Refusals are [`Error::Api`] with the server's [`Problem`] (status, type, detail, the
//! missing permission in `required`, `retry_after`). Answers of 429 and 503 are retried
//! after their `Retry-After` ([`RetryPolicy`]) when the request is safe to repeat: GET, PUT,
//! DELETE, or a POST carrying an `Idempotency-Key` or a `webhook-id`.

mod chat;
mod client;
mod error;
mod operations;
mod paging;
mod resources;
mod retry;
mod token;
pub mod webhook;

pub use chat::ChatStream;
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, TOKEN_ENV, URL_ENV};
pub use error::{Error, Problem, Result};
pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
pub use operations::{Operation, OPERATIONS};
pub use paging::{all_pages, ItemStream, Page, PageQuery};
pub use resources::{
    guess_content_type, Agents, Assistant, Download, Executions, Integrations, KnowledgeBase,
    Storage, System, Tokens, Triggers, UploadPart, UploadSource, Webhooks,
};
pub use retry::{RetryPolicy, IDEMPOTENCY_KEY};
/// The request and response types, shared with the server.
pub use tessera_wire as wire;
pub use token::{ApiToken, TokenError};
