//! Stored files: uploads streamed to the blob store under generated ids, counted against the
//! workspace's quota, downloaded as attachments (SPEC §4.3).

pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod domain;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
