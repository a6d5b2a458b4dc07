//! Tessera's application crate: models, components, server functions and (behind `ssr`)
//! the services and SQL they call. Compiled twice: for the server (`ssr`) and for the
//! browser (`hydrate`).
#![recursion_limit = "256"]

pub mod access;
pub mod agents;
pub mod app;
pub mod assistant;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod environments;
pub mod error;
pub mod executions;
pub mod gate;
pub mod integrations;
pub mod knowledge;
pub mod members;
pub mod navbar;
pub mod paging;
pub mod session;
pub mod settings;
pub mod storage;
pub mod system;
pub mod tokens;
pub mod triggers;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod bearer;
#[cfg(feature = "ssr")]
pub mod blobs;
#[cfg(feature = "ssr")]
pub mod client_addr;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod egress;
#[cfg(feature = "ssr")]
pub mod first_visit;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod rpc;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod testing;

pub use app::{shell, App};
pub use error::AppError;
