//! Members, invites and the workspace itself: who belongs to a workspace and with which role,
//! the one-time links that bring new people in, and the workspace's name.

pub mod components;
pub mod domain;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
