//! Server functions for the Knowledge base page's stored files: thin adapters over
//! `storage::service`. Uploads and downloads are plain routes (`server/src/browser_files.rs`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::storage::model::FilePage;

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

/// The workspace's newest stored files that are no knowledge-base document (images, archives
/// …), as many as one page may hold: the documents have their own list. Any member may read.
#[server(prefix = "/rpc", endpoint = "list_other_files")]
pub async fn list_other_files() -> Result<FilePage, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = super::model::FileQuery {
            limit: Some(crate::paging::MAX_LIMIT),
            documents: Some(false),
            ..Default::default()
        };
        super::service::list(&state, &principal, &query).await
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
