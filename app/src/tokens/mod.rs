//! API tokens: the wire types (`model`) and the pure rules that every door must obey
//! (`domain`: the token format, names, expiry and the lifecycle table of SPEC §2).

pub mod domain;
pub mod model;
