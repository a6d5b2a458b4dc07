//! Stored-file types that cross the wire (browser and REST alike). They compile for WASM.

use serde::{Deserialize, Serialize};

/// An uploaded file: its bytes are in the blob store, these facts in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoredFile {
    pub id: String,
    /// The client's file name, cleaned for display (no paths, no control characters).
    pub name: String,
    /// Bytes.
    pub size: i64,
    pub content_type: String,
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
    /// The knowledge-base document read from the file; absent for kinds it cannot read.
    pub document_id: Option<String>,
    /// Who uploaded it (a person's name or a token's).
    pub uploaded_by: String,
    pub created_at_ms: i64,
}

/// Which files to list: a page, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct FileQuery {
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Files to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FilePage {
    pub items: Vec<StoredFile>,
    /// How many files the workspace holds in all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// The answer to a multipart upload: every file, in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UploadedFiles {
    pub items: Vec<StoredFile>,
}

/// What an upload made: a new file, or the workspace's existing file with the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    Created(StoredFile),
    Duplicate(StoredFile),
}

impl Upload {
    pub fn file(&self) -> &StoredFile {
        match self {
            Upload::Created(file) | Upload::Duplicate(file) => file,
        }
    }

    pub fn into_file(self) -> StoredFile {
        match self {
            Upload::Created(file) | Upload::Duplicate(file) => file,
        }
    }
}
