//! Who is signed in and what they may do: first-run setup, sign-in/out, server-side sessions,
//! and the sessions the browser door (`rpc::current_principal`) resolves callers from.

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
