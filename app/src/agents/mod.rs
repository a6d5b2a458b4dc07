//! Agents: the AI agents installed in a workspace (name, description, version, JSON config).
//! They belong to the workspace, not to an environment. Owners and admins manage them.

pub mod components;
pub mod domain;
pub mod model;
pub mod pointer;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod steps;
