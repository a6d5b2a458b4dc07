//! The body of every error answer: `application/problem+json` (RFC 9457).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Field name → the messages for that field.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Base of the stable `type` URIs; the suffix names the kind of problem.
pub const PROBLEM_TYPE_BASE: &str = "https://tessera.dev/problems/";

/// The JSON body of every error answer (RFC 9457); public so the OpenAPI document describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemBody {
    /// A stable URI naming the kind of problem, e.g. `https://tessera.dev/problems/invalid-token`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status text.
    pub title: String,
    pub status: u16,
    /// What went wrong, for people. Never internals.
    pub detail: String,
    /// For validation problems: field name → the messages for that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
    /// For `insufficient-scope` refusals: the permission the request needed (or that a grant
    /// exceeded), as `<resource>:<level>`, e.g. `agents:write`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
}
