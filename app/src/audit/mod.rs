//! The audit log: who did what, to which thing, when and from where. Every service writes
//! to it in the same transaction as the change it describes.

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use repo::record;
