//! Stored-file types: the REST shapes live in `tessera_wire::storage` (shared with the SDKs);
//! the limits and the upload outcome are the server's own.

use crate::error::AppError;

pub use tessera_wire::storage::*;

/// Per-file and per-workspace limits (`TESSERA_MAX_UPLOAD_BYTES`,
/// `TESSERA_STORAGE_QUOTA_BYTES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageLimits {
    pub max_upload_bytes: u64,
    pub quota_bytes: u64,
}

impl Default for StorageLimits {
    fn default() -> Self {
        StorageLimits {
            max_upload_bytes: 25 * 1024 * 1024,
            quota_bytes: 1024 * 1024 * 1024,
        }
    }
}

impl StorageLimits {
    pub fn file_too_large(&self) -> AppError {
        AppError::TooLarge(format!(
            "The file is larger than the limit of {} per file.",
            human_bytes(self.max_upload_bytes)
        ))
    }

    pub fn over_quota(&self) -> AppError {
        AppError::TooLarge(format!(
            "The workspace's storage quota of {} would be exceeded. Delete files to make room.",
            human_bytes(self.quota_bytes)
        ))
    }
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
