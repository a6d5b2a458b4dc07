//! Knowledge-base types: the REST and browser shapes live in `tessera_wire::knowledge`, shared
//! with the SDKs.

pub use tessera_wire::knowledge::*;
