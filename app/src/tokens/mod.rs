//! API tokens: the wire types (`model`) and the pure rules that every door must obey
//! (`domain`: the token format, names, expiry and the lifecycle table of SPEC §2), the
//! operations on them (`service`, over the SQL in `repo`) and the browser's door to those
//! operations (`server_fns`).

pub mod components;
pub mod domain;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
