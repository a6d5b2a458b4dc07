//! The knowledge base: documents read from stored files, their chunks, and full-text search
//! over them on the database's own index (SPEC §4.3).

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod ingest;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod search_text;
#[cfg(feature = "ssr")]
pub mod service;
