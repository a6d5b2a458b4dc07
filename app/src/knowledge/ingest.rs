//! The ingestion job: a pending document's file is read from the blob store, its text
//! extracted and split into chunks under their headings, and the chunks indexed — or the
//! document marked failed with a reason people can read. A hostile file costs at most the
//! extraction caps and [`EXTRACT_TIMEOUT`], and harms nothing but its own document.

use std::time::Duration;

use tessera_extract::{chunk, extract, Format, Limits};

use super::repo::{self, DocumentRow, NewChunk};
use crate::clock::{new_id, now_ms};
use crate::jobs::outcome::JobError;
use crate::state::AppState;

/// Longest a file's extraction may take.
pub const EXTRACT_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest passage, in characters: long enough to hold a thought, short enough to be a
/// precise answer.
pub const CHUNK_CHARS: usize = 1_200;

/// Runs one document's ingestion (the `IngestDocument` job).
pub async fn run(state: &AppState, document_id: &str) -> Result<(), JobError> {
    let retry =
        |what: &str, error: &dyn std::fmt::Display| JobError::Retry(format!("{what}: {error}"));
    let Some(document) = repo::find_for_ingestion(state.db.pool(), document_id)
        .await
        .map_err(|e| retry("reading the document", &e))?
    else {
        return Ok(()); // Deleted meanwhile: nothing to do.
    };
    if document.status != "pending" {
        return Ok(());
    }
    let bytes = match state.blobs.read(&document.blob_key).await {
        Ok(bytes) => bytes,
        Err(error) if error.is_not_found() => {
            return fail(
                state,
                &document,
                "the file's bytes are missing from storage",
            )
            .await;
        }
        Err(error) => return Err(retry("reading the file", &error)),
    };
    let head = &bytes[..bytes.len().min(8 * 1024)];
    let Some(format) = Format::detect(&document.file_name, Some(&document.content_type), head)
    else {
        return fail(state, &document, "this kind of file cannot be read as text").await;
    };
    let extraction = tokio::task::spawn_blocking(move || {
        extract(format, &bytes, &Limits::default())
            .map(|extracted| (extracted.title.clone(), chunk(&extracted, CHUNK_CHARS)))
    });
    let (title, chunks) = match tokio::time::timeout(EXTRACT_TIMEOUT, extraction).await {
        Err(_) => {
            let reason = format!(
                "reading the file took longer than {} s",
                EXTRACT_TIMEOUT.as_secs()
            );
            return fail(state, &document, &reason).await;
        }
        Ok(Err(_panicked)) => return fail(state, &document, "the file could not be read").await,
        Ok(Ok(Err(error))) => return fail(state, &document, &error.to_string()).await,
        Ok(Ok(Ok(extracted))) => extracted,
    };
    if chunks.is_empty() {
        return fail(state, &document, "no text was found in the file").await;
    }
    let title = title
        .map(|title| title.trim().to_owned())
        .filter(|title| !title.is_empty())
        .unwrap_or_else(|| document.title.clone());
    let rows: Vec<NewChunk<'_>> = chunks
        .iter()
        .map(|chunk| NewChunk {
            id: new_id(),
            heading: &chunk.heading,
            body: &chunk.text,
        })
        .collect();
    repo::mark_ready(&state.db, &document, &title, &rows, now_ms())
        .await
        .map_err(|e| retry("indexing the document", &e))?;
    tracing::info!(document_id, chunks = rows.len(), "document ready");
    Ok(())
}

/// Marks the document failed after its job was given up.
pub async fn give_up(state: &AppState, document_id: &str, reason: &str) {
    let reason = format!("ingestion stopped: {reason}");
    if let Err(error) = repo::mark_failed(state.db.pool(), document_id, &reason, now_ms()).await {
        tracing::warn!(%error, document_id, "cannot mark the document failed");
    }
}

async fn fail(state: &AppState, document: &DocumentRow, reason: &str) -> Result<(), JobError> {
    tracing::info!(document_id = %document.id, %reason, "document failed");
    repo::mark_failed(state.db.pool(), &document.id, reason, now_ms())
        .await
        .map_err(|error| JobError::Retry(format!("recording the failure: {error}")))
}
