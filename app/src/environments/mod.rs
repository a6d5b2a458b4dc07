//! Environments: the stages of a workspace (Development, Staging, Testing, Production), each
//! with a generated public Environment ID. Owners and admins manage them; members read.

pub mod components;
pub mod domain;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
