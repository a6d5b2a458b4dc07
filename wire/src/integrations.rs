//! Integration types that cross the wire (browser and REST alike). They compile for WASM.
//! Secret values travel only inward: requests carry them, answers only say whether each is
//! set and since when.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum IntegrationKind {
    /// An HTTP service: a base URL and headers, plain or secret.
    Http,
    /// An OpenAI-compatible model endpoint: base URL, model, API key.
    Llm,
}

impl IntegrationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationKind::Http => "http",
            IntegrationKind::Llm => "llm",
        }
    }

    pub fn parse(text: &str) -> Option<IntegrationKind> {
        match text {
            "http" => Some(IntegrationKind::Http),
            "llm" => Some(IntegrationKind::Llm),
            _ => None,
        }
    }
}

/// The non-secret settings. `http`: `base_url` and plain `headers`; `llm`: `base_url` and
/// `model`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationSettings {
    /// `http://` or `https://`, without credentials in it.
    pub base_url: String,
    /// The model name (`llm` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Header name → value, sent with every request (`http` only). Secret headers go in
    /// `secrets` instead.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
}

/// An integration to create, or the new state of one. In an update an omitted secret keeps
/// its value and `null` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    /// Fixed at creation.
    pub kind: IntegrationKind,
    pub settings: IntegrationSettings,
    /// Secret field → value: `api_key` for `llm`; for `http`, header names whose values are
    /// secret. Write-only.
    #[serde(default)]
    pub secrets: BTreeMap<String, Option<String>>,
}

/// What is known of a secret without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretState {
    /// Always true: unset secrets are not listed.
    pub set: bool,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Integration {
    pub id: String,
    pub name: String,
    pub kind: IntegrationKind,
    pub settings: IntegrationSettings,
    /// Every secret that is set, by field; never its value.
    pub secrets: BTreeMap<String, SecretState>,
    pub created_by: String,
    pub updated_by: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Which integrations to list: a page, alphabetical.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct IntegrationQuery {
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Integrations to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationPage {
    pub items: Vec<Integration>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// What one request through an integration answered (Test connection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionCheck {
    /// True for a 2xx answer.
    pub ok: bool,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    pub latency_ms: i64,
    /// What went wrong, for people (never a secret).
    pub message: String,
}

/// Which request Test connection sends through an `http` integration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionCheckRequest {
    /// A path under the base URL for a `GET` (`http`); ignored for `llm`, which lists models.
    pub path: String,
}
