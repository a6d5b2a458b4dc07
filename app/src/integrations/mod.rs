//! Integrations: named connections to outside services (`http`, `llm`) whose secret values
//! are write-only and sealed at rest (SPEC §4.3).

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod domain;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
