//! Trigger types: the REST shapes live in `tessera_wire::triggers` (shared with the SDKs); the
//! schedule preview is the editor's own. They compile for WASM.

use serde::{Deserialize, Serialize};

pub use tessera_wire::triggers::*;

/// A schedule read back for the editor before it is saved: in words, and its next fire times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulePreview {
    pub description: String,
    pub fire_times_ms: Vec<i64>,
}
