//! Server functions for the Audit log tab.

use leptos::prelude::*;

use crate::audit::model::AuditEventView;
use crate::error::AppError;

/// The workspace's newest 200 events. Every member may read the log.
#[server(prefix = "/rpc", endpoint = "list_audit_events")]
pub async fn list_audit_events() -> Result<Vec<AuditEventView>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::list(&state, &principal).await
    })
    .await
}
