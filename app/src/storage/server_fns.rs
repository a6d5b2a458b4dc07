//! Server functions for the Knowledge base page's stored files: thin adapters over
//! `storage::service`. Uploads and downloads are plain routes (`server/src/browser_files.rs`).

use leptos::prelude::*;

use crate::error::AppError;

/// The largest file the server accepts, in bytes, so the page refuses one before sending it.
/// Any member may ask.
#[server(prefix = "/rpc", endpoint = "upload_limit")]
pub async fn upload_limit() -> Result<u64, AppError> {
    crate::rpc::handle(async {
        let (state, _principal) = crate::rpc::current_principal().await?;
        Ok(state.storage_limits.max_upload_bytes)
    })
    .await
}

/// Deletes a file, its knowledge-base document and the document's passages.
#[server(prefix = "/rpc", endpoint = "delete_file")]
pub async fn delete_file(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::delete(&state, &principal, &id).await
    })
    .await
}
