//! Who is signed in and what they may do: first-run setup, sign-in/out, server-side sessions,
//! and the one place every server function resolves its caller (`rpc::current_member`).

pub mod components;
pub mod domain;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sessions;
