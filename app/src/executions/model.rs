//! Execution types: the REST and browser shapes live in `tessera_wire::executions`, shared with
//! the SDKs.

pub use tessera_wire::executions::*;
