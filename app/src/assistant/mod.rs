//! The assistant: questions answered from the knowledge base with citations, streamed as
//! Server-Sent Events, and each caller's history of conversations (SPEC §4.3 "Assistant
//! chat", §5 Assistant page).

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod answerer;
#[cfg(feature = "ssr")]
pub mod model_answerer;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod runtime;
#[cfg(feature = "ssr")]
pub mod service;
