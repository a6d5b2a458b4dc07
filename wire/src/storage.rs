//! Stored-file types that cross the wire (browser and REST alike). They compile for WASM.

use serde::{Deserialize, Serialize};

/// An uploaded file: its bytes are in the blob store, these facts in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct FileQuery {
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Files to skip; absent or negative means 0.
    pub offset: Option<i64>,
    /// `true`: only the files the knowledge base reads as documents; `false`: only the others
    /// (images, archives …); absent: every file.
    pub documents: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilePage {
    pub items: Vec<StoredFile>,
    /// How many files the workspace holds in all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// The answer to a multipart upload: every file, in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadedFiles {
    pub items: Vec<StoredFile>,
}

/// `25 MiB`, `1 GiB`, `512 bytes`, `1.5 KiB`: one decimal at most, none when it is whole.
/// Integer arithmetic only: float formatting would add its tables to the browser's bundle.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut unit_size: u64 = 1024;
    let mut unit = UNITS[0];
    for name in &UNITS[1..] {
        if bytes < unit_size * 1024 {
            break;
        }
        unit_size *= 1024;
        unit = name;
    }
    let tenths = (u128::from(bytes) * 10 + u128::from(unit_size) / 2) / u128::from(unit_size);
    if tenths % 10 == 0 {
        format!("{} {unit}", tenths / 10)
    } else {
        format!("{}.{} {unit}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_like_people_write_them() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(1023), "1023 bytes");
        assert_eq!(human_bytes(1024), "1 KiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(25 * 1024 * 1024), "25 MiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 + 300 * 1024), "5.3 MiB");
        assert_eq!(human_bytes(1024 * 1024 * 1024), "1 GiB");
        assert_eq!(human_bytes(3 << 40), "3 TiB");
        assert_eq!(human_bytes(u64::MAX), "16777216 TiB");
    }
}
