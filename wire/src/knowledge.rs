//! Knowledge-base types that cross the wire (browser and REST alike). They compile for WASM.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    /// Waiting for (or in) its ingestion job.
    Pending,
    /// Extracted, chunked and searchable.
    Ready,
    /// Could not be read; `failure` says why.
    Failed,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Pending => "pending",
            DocumentStatus::Ready => "ready",
            DocumentStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentStatus> {
        match text {
            "pending" => Some(DocumentStatus::Pending),
            "ready" => Some(DocumentStatus::Ready),
            "failed" => Some(DocumentStatus::Failed),
            _ => None,
        }
    }
}

/// A file as the knowledge base reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    pub id: String,
    pub file_id: String,
    pub file_name: String,
    /// The file's own title (HTML `<title>`, a Markdown or DOCX title…) or else its name.
    pub title: String,
    pub status: DocumentStatus,
    /// Why it failed, for people; absent unless `status` is `failed`.
    pub failure: Option<String>,
    /// The file's size in bytes.
    pub size: i64,
    pub content_type: String,
    pub chunk_count: i64,
    pub uploaded_by: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Which documents to list: a page, newest first, optionally of one status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct DocumentQuery {
    pub status: Option<DocumentStatus>,
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Documents to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentPage {
    pub items: Vec<Document>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A search: words, `"quoted phrases"` and `-excluded` words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct SearchQuery {
    /// Any text; nothing in it is a syntax error.
    pub q: String,
    /// Hits to return, 1 to 50; absent means 10.
    pub limit: Option<i64>,
}

/// A passage that matches, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub document_id: String,
    pub file_id: String,
    pub chunk_id: String,
    pub title: String,
    /// The heading path the passage sits under ("Input and Output › Reading files"); may be
    /// empty.
    pub heading: String,
    /// Plain text around the best match (no markup).
    pub snippet: String,
    /// `[start, end)` ranges of `snippet` that matched, in Unicode characters (code points).
    pub highlights: Vec<[usize; 2]>,
    /// Higher is better; comparable within one answer only.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    /// How many passages match in all: those holding every plain word; or, when they are
    /// fewer than the hits asked for and the search was relaxed, those holding at least as
    /// many of the words as the last tier asked for (see `knowledge::service::search`).
    pub total: i64,
}
