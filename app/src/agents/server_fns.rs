//! Server functions for the Agents page: thin adapters over `agents::service`.

use leptos::prelude::*;

use crate::agents::model::AgentView;
use crate::error::AppError;

/// Every agent of the workspace, alphabetical. Any member may read.
#[server(prefix = "/rpc", endpoint = "list_agents")]
pub async fn list_agents() -> Result<Vec<AgentView>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let page = super::service::list(
            &state,
            &principal,
            &crate::agents::model::AgentQuery::everything(),
        )
        .await?;
        Ok(page.items)
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "get_agent")]
pub async fn get_agent(id: String) -> Result<AgentView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::get(&state, &principal, &id).await
    })
    .await
}

/// `config` is JSON text; blank means `{}`.
#[server(prefix = "/rpc", endpoint = "install_agent")]
pub async fn install_agent(
    name: String,
    #[server(default)] description: String,
    version: String,
    #[server(default)] config: String,
) -> Result<AgentView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let form = super::service::AgentForm {
            name: &name,
            description: &description,
            version: &version,
            config: &config,
        };
        super::service::install(&state, &principal, form).await
    })
    .await
}

/// Replaces every editable field; send the current values of the ones that stay.
#[server(prefix = "/rpc", endpoint = "update_agent")]
pub async fn update_agent(
    id: String,
    name: String,
    description: String,
    version: String,
    config: String,
) -> Result<AgentView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let form = super::service::AgentForm {
            name: &name,
            description: &description,
            version: &version,
            config: &config,
        };
        super::service::update(&state, &principal, &id, form).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_agent")]
pub async fn delete_agent(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::delete(&state, &principal, &id).await
    })
    .await
}
