//! Upload, list, download and delete stored files, for both doors (the REST API and the
//! Knowledge base page): the policy first, then the limits, the blob and the rows together.
//!
//! An upload streams: each piece of the body is counted, hashed and written to the blob
//! store as it arrives, and nothing holds the whole file. Over the per-file limit or the
//! workspace's quota — checked while streaming and again, atomically, when the row is
//! written — the answer is 413 and nothing is kept: the blob write is aborted or deleted, and
//! no row is written.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};

use super::domain::{clean_file_name, content_type};
pub use super::model::human_bytes;
use super::model::{FilePage, FileQuery, StoredFile, Upload};
use super::repo::{self, FileRow, NewFile};
use crate::access::{authorize, Action, Principal, Resource, Target};
use crate::audit::model::Target as AuditTarget;
use crate::audit::record;
use crate::blobs::{BlobError, BlobStore};
use crate::clock::{new_id, now_ms};
use crate::error::AppError;
use crate::jobs::{queue, JobKind};
use crate::knowledge::repo as documents;
use crate::paging;
use crate::state::AppState;
use tessera_extract::Format;

const READ: Action = Action::read(Resource::Storage);
const WRITE: Action = Action::write(Resource::Storage);
const TARGET_KIND: &str = "file";
/// Bytes of the start of a file kept to recognise its kind.
const HEAD_BYTES: usize = 8 * 1024;

/// A file arriving: what the client said about it, and its bytes.
pub struct Incoming<S> {
    /// The client's file name (cleaned before use).
    pub name: String,
    /// The client's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The `Content-Length` the client announced, if any: refused early when over a limit.
    pub declared_len: Option<u64>,
    pub body: S,
}

/// Stores one file, or answers the workspace's file with the same bytes.
#[tracing::instrument(name = "storage.upload", skip_all)]
pub async fn upload<S, E>(
    state: &AppState,
    principal: &Principal,
    incoming: Incoming<S>,
) -> Result<Upload, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    authorize(principal, WRITE, Target::Any)?;
    let limits = state.storage_limits;
    let workspace_id = &principal.workspace_id;
    let used = u64::try_from(repo::used_bytes(state.db.pool(), workspace_id).await?).unwrap_or(0);
    if let Some(declared) = incoming.declared_len {
        if declared > limits.max_upload_bytes {
            return Err(limits.file_too_large());
        }
        if used.saturating_add(declared) > limits.quota_bytes {
            return Err(limits.over_quota());
        }
    }

    let file_id = new_id();
    let blob_key = BlobStore::key(workspace_id, &file_id);
    let received = receive(state, &blob_key, incoming.body, used).await?;
    // From here the blob exists; every way out but success deletes it.
    let name = clean_file_name(&incoming.name);
    let format = Format::detect(&name, incoming.content_type.as_deref(), &received.head);
    let content_type = content_type(
        format.map(Format::content_type),
        incoming.content_type.as_deref(),
    );
    let file = NewFile {
        id: &file_id,
        workspace_id,
        name: &name,
        content_type: &content_type,
        size_bytes: i64::try_from(received.size).unwrap_or(i64::MAX),
        sha256: &received.sha256,
        blob_key: &blob_key,
        uploaded_by: &principal.label,
        now: now_ms(),
    };
    let outcome = record_upload(state, principal, &file, format.is_some()).await;
    match &outcome {
        Ok(Upload::Created(_)) => state.jobs.wake(),
        Ok(Upload::Duplicate(_)) | Err(_) => delete_blob(&state.blobs, &blob_key).await,
    }
    outcome
}

/// What streaming the body produced.
struct Received {
    size: u64,
    sha256: String,
    head: Vec<u8>,
}

/// Streams `body` into a new blob at `key`, counting and hashing; over a limit, or if the
/// body fails (the client went away), the blob is aborted and nothing remains.
async fn receive<S, E>(
    state: &AppState,
    key: &str,
    mut body: S,
    used: u64,
) -> Result<Received, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let limits = state.storage_limits;
    let mut writer = state.blobs.writer(key).await.map_err(blob_error)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head = Vec::new();
    while let Some(piece) = body.next().await {
        let piece = match piece {
            Ok(piece) => piece,
            Err(error) => {
                writer.abort().await;
                tracing::info!(%error, "upload body ended early");
                return Err(AppError::field(
                    "file",
                    "The upload was interrupted before the whole file arrived.",
                ));
            }
        };
        size += piece.len() as u64;
        if size > limits.max_upload_bytes {
            writer.abort().await;
            return Err(limits.file_too_large());
        }
        if used.saturating_add(size) > limits.quota_bytes {
            writer.abort().await;
            return Err(limits.over_quota());
        }
        if head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - head.len()).min(piece.len());
            head.extend_from_slice(&piece[..take]);
        }
        hasher.update(&piece);
        writer.write(&piece).await.map_err(blob_error)?;
    }
    writer.finish().await.map_err(blob_error)?;
    Ok(Received {
        size,
        sha256: hex::encode(hasher.finalize()),
        head,
    })
}

/// The rows of an upload, in one transaction: the quota reserved, the file, its pending
/// document and ingestion job, the audit event.
async fn record_upload(
    state: &AppState,
    principal: &Principal,
    file: &NewFile<'_>,
    readable: bool,
) -> Result<Upload, AppError> {
    let limits = state.storage_limits;
    let quota = i64::try_from(limits.quota_bytes).unwrap_or(i64::MAX);
    let mut tx = state.db.begin_write().await?;
    if !repo::reserve_bytes(&mut tx, file.workspace_id, file.size_bytes, quota).await? {
        return Err(limits.over_quota());
    }
    if let Some(existing) = repo::find_by_content(&mut tx, file.workspace_id, file.sha256).await? {
        return Ok(Upload::Duplicate(view(existing)));
    }
    if let Err(error) = repo::insert(&mut tx, file).await {
        drop(tx);
        // Another upload of the same bytes committed first: answer its file.
        if crate::db::is_unique_violation(&error) {
            let mut conn = state.db.pool().acquire().await?;
            if let Some(existing) =
                repo::find_by_content(&mut conn, file.workspace_id, file.sha256).await?
            {
                return Ok(Upload::Duplicate(view(existing)));
            }
        }
        return Err(error.into());
    }
    let document_id = if readable {
        let id = new_id();
        documents::insert_pending(
            &mut tx,
            &id,
            file.workspace_id,
            file.id,
            file.name,
            file.now,
        )
        .await?;
        queue::enqueue(&mut tx, JobKind::IngestDocument, &id, file.now).await?;
        Some(id)
    } else {
        None
    };
    let target = AuditTarget {
        kind: TARGET_KIND,
        id: file.id,
        label: file.name,
    };
    record(&mut tx, principal, "file.uploaded", Some(target)).await?;
    tx.commit().await?;
    Ok(Upload::Created(StoredFile {
        id: file.id.to_owned(),
        name: file.name.to_owned(),
        size: file.size_bytes,
        content_type: file.content_type.to_owned(),
        sha256: file.sha256.to_owned(),
        document_id,
        uploaded_by: file.uploaded_by.to_owned(),
        created_at_ms: file.now,
    }))
}

#[tracing::instrument(name = "storage.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: &FileQuery,
) -> Result<FilePage, AppError> {
    authorize(principal, READ, Target::Any)?;
    let limit = paging::effective_limit(query.limit);
    let offset = paging::effective_offset(query.offset);
    let (rows, total) = repo::list(
        state.db.pool(),
        &principal.workspace_id,
        query.documents,
        limit,
        offset,
    )
    .await?;
    Ok(FilePage {
        items: rows.into_iter().map(view).collect(),
        total,
        limit,
        offset,
    })
}

#[tracing::instrument(name = "storage.get", skip_all, fields(file_id = %id))]
pub async fn get(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<StoredFile, AppError> {
    authorize(principal, READ, Target::Any)?;
    Ok(view(find(state, principal, id).await?))
}

/// A download: the file's facts and its bytes as a stream.
pub struct Download {
    pub file: StoredFile,
    pub body: futures::stream::BoxStream<'static, Result<Bytes, BlobError>>,
}

#[tracing::instrument(name = "storage.download", skip_all, fields(file_id = %id))]
pub async fn download(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Download, AppError> {
    authorize(principal, READ, Target::Any)?;
    let row = find(state, principal, id).await?;
    let body = state
        .blobs
        .stream(&row.blob_key)
        .await
        .map_err(blob_error)?;
    Ok(Download {
        file: view(row),
        body,
    })
}

/// Deletes a file, its document and the document's chunks (so search no longer finds it),
/// then its bytes.
#[tracing::instrument(name = "storage.delete", skip_all, fields(file_id = %id))]
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = &principal.workspace_id;
    let mut tx = state.db.begin_write().await?;
    let row = repo::find(&mut tx, workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::delete(&mut tx, workspace_id, id).await? {
        return Err(AppError::NotFound);
    }
    repo::release_bytes(&mut tx, workspace_id, row.size_bytes).await?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &row.name,
    };
    record(&mut tx, principal, "file.deleted", Some(target)).await?;
    tx.commit().await?;
    // After the commit: a failed delete leaves an unreferenced blob, never a row without one.
    delete_blob(&state.blobs, &row.blob_key).await;
    Ok(())
}

async fn find(state: &AppState, principal: &Principal, id: &str) -> Result<FileRow, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    repo::find(&mut conn, &principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn delete_blob(blobs: &BlobStore, key: &str) {
    if let Err(error) = blobs.delete(key).await {
        tracing::warn!(%error, blob_key = key, "could not delete a blob");
    }
}

fn blob_error(error: BlobError) -> AppError {
    tracing::error!(%error, "blob store error");
    AppError::Internal
}

fn view(row: FileRow) -> StoredFile {
    StoredFile {
        id: row.id,
        name: row.name,
        size: row.size_bytes,
        content_type: row.content_type,
        sha256: row.sha256,
        document_id: row.document_id,
        uploaded_by: row.uploaded_by,
        created_at_ms: row.created_at,
    }
}
