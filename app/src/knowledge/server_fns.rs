//! Server functions for the Knowledge base page: thin adapters over `knowledge::service`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::knowledge::model::{DocumentPage, SearchResults};

/// The workspace's newest documents (as many as one page may hold). Any member may read.
#[server(prefix = "/rpc", endpoint = "list_documents")]
pub async fn list_documents() -> Result<DocumentPage, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = super::model::DocumentQuery {
            limit: Some(crate::paging::MAX_LIMIT),
            ..Default::default()
        };
        super::service::list(&state, &principal, &query).await
    })
    .await
}

/// Ranked passages for `q` (words, `"quoted phrases"`, `-excluded` words).
#[server(prefix = "/rpc", endpoint = "search_documents")]
pub async fn search_documents(q: String) -> Result<SearchResults, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = super::model::SearchQuery {
            q,
            limit: Some(super::service::MAX_HITS),
        };
        super::service::search(&state, &principal, &query).await
    })
    .await
}
