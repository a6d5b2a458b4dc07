//! The blob store: where uploaded files' bytes live. One small interface over `object_store`,
//! which serves both kinds: a folder under the data directory (one machine) and an
//! S3-compatible bucket (several instances, which must all see the same bytes).
//!
//! Keys are generated ids (`{workspace_id}/{file_id}`), never a client's file name. Writes
//! stream in parts, so a file is never held whole in memory, and a write that does not finish
//! leaves nothing: the folder store writes to a staging file renamed on completion, S3 to a
//! multipart upload completed at the end; both are aborted when the writer is dropped.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

/// Upload parts this large (S3 needs at least 5 MiB per part but the last).
const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts in flight at once per upload: memory per upload is about this many parts.
const PARTS_IN_FLIGHT: usize = 2;

/// Where blobs go, from the environment (see README "Configuration").
#[derive(Clone, PartialEq, Eq)]
pub enum BlobSettings {
    /// A folder on this machine.
    Folder(PathBuf),
    /// An S3-compatible bucket. Credentials come from the standard `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` variables (read by the builder, never stored here).
    S3 {
        bucket: String,
        /// For S3-compatible servers (MinIO, moto, R2…); AWS itself when absent.
        endpoint: Option<String>,
        region: String,
    },
}

// Spelled out so a future secret field cannot leak through `{:?}`.
impl std::fmt::Debug for BlobSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobSettings::Folder(path) => write!(f, "Folder({})", path.display()),
            BlobSettings::S3 {
                bucket,
                endpoint,
                region,
            } => write!(
                f,
                "S3 {{ bucket: {bucket}, endpoint: {endpoint:?}, region: {region} }}"
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob store: {0}")]
    Store(#[from] object_store::Error),
    #[error("blob store folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}

impl BlobError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, BlobError::Store(object_store::Error::NotFound { .. }))
    }
}

#[derive(Clone, Debug)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
}

impl BlobStore {
    pub fn open(settings: &BlobSettings) -> Result<BlobStore, BlobError> {
        let store: Arc<dyn ObjectStore> = match settings {
            BlobSettings::Folder(path) => {
                std::fs::create_dir_all(path).map_err(|source| BlobError::Folder {
                    path: path.display().to_string(),
                    source,
                })?;
                Arc::new(LocalFileSystem::new_with_prefix(path)?)
            }
            BlobSettings::S3 {
                bucket,
                endpoint,
                region,
            } => {
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_region(region);
                if let Some(endpoint) = endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        // Most S3-compatible servers address buckets by path.
                        .with_virtual_hosted_style_request(false);
                }
                Arc::new(builder.build()?)
            }
        };
        Ok(BlobStore { store })
    }

    /// The key of a workspace's file.
    pub fn key(workspace_id: &str, file_id: &str) -> String {
        format!("{workspace_id}/{file_id}")
    }

    /// Starts writing `key`. Nothing is visible under it until [`BlobWriter::finish`].
    pub async fn writer(&self, key: &str) -> Result<BlobWriter, BlobError> {
        let upload = self.store.put_multipart(&Path::from(key)).await?;
        Ok(BlobWriter {
            parts: Some(WriteMultipart::new_with_chunk_size(upload, PART_BYTES)),
        })
    }

    /// The whole blob (for ingestion, whose files are bounded by the upload limit).
    pub async fn read(&self, key: &str) -> Result<Bytes, BlobError> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }

    /// The blob as a stream of chunks, for downloads.
    pub async fn stream(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, BlobError>>, BlobError> {
        let result = self.store.get(&Path::from(key)).await?;
        Ok(result
            .into_stream()
            .map(|r| r.map_err(BlobError::from))
            .boxed())
    }

    /// Deletes `key`; one already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.store.delete(&Path::from(key)).await {
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            other => Ok(other?),
        }
    }

    /// Every key under `prefix` (a workspace id), for tests and audits of what is stored.
    pub async fn keys(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        let mut keys = Vec::new();
        let mut listing = self.store.list(Some(&Path::from(prefix)));
        while let Some(meta) = listing.next().await {
            keys.push(meta?.location.to_string());
        }
        keys.sort();
        Ok(keys)
    }
}

/// A blob being written. Dropped before `finish` (an error, a client that went away), it
/// aborts: the staging file or multipart upload is removed.
pub struct BlobWriter {
    parts: Option<WriteMultipart>,
}

impl BlobWriter {
    /// Buffers `bytes`, waiting while too many parts are still uploading (so memory stays
    /// at about `PARTS_IN_FLIGHT` parts however large the file).
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), BlobError> {
        let Some(parts) = self.parts.as_mut() else {
            return Ok(());
        };
        parts.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        parts.write(bytes);
        Ok(())
    }

    /// Completes the blob: from here on it exists under its key.
    pub async fn finish(mut self) -> Result<(), BlobError> {
        if let Some(parts) = self.parts.take() {
            parts.finish().await?;
        }
        Ok(())
    }

    /// Gives up: nothing remains under the key.
    pub async fn abort(mut self) {
        if let Some(parts) = self.parts.take() {
            if let Err(error) = parts.abort().await {
                tracing::warn!(%error, "could not abort a blob upload");
            }
        }
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if let Some(parts) = self.parts.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Err(error) = parts.abort().await {
                        tracing::warn!(%error, "could not abort an abandoned blob upload");
                    }
                });
            }
        }
    }
}
