//! Server functions for the Environments tab: thin adapters over `environments::service`.

use leptos::prelude::*;

use crate::environments::model::EnvironmentView;
use crate::error::AppError;

/// Every environment of the workspace, alphabetical. Any member may read.
#[server(prefix = "/rpc", endpoint = "list_environments")]
pub async fn list_environments() -> Result<Vec<EnvironmentView>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::list(&state, &principal).await
    })
    .await
}

/// `purpose` is `development`, `staging`, `testing` or `production` (labels work too).
#[server(prefix = "/rpc", endpoint = "create_environment")]
pub async fn create_environment(
    name: String,
    purpose: String,
    #[server(default)] description: String,
) -> Result<EnvironmentView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::create(&state, &principal, &name, &purpose, &description).await
    })
    .await
}

/// Replaces every editable field; send the current description to keep it.
#[server(prefix = "/rpc", endpoint = "update_environment")]
pub async fn update_environment(
    id: String,
    name: String,
    purpose: String,
    description: String,
) -> Result<EnvironmentView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::update(&state, &principal, &id, &name, &purpose, &description).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_environment")]
pub async fn delete_environment(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::delete(&state, &principal, &id).await
    })
    .await
}
