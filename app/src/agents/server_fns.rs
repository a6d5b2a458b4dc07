//! Server functions for the Agents page: thin adapters over `agents::service`.

use leptos::prelude::*;

use crate::agents::model::AgentView;
use crate::error::AppError;

/// Every agent of the workspace, alphabetical. Any member may read.
#[server(prefix = "/rpc", endpoint = "list_agents")]
pub async fn list_agents() -> Result<Vec<AgentView>, AppError> {
    crate::rpc::handle(async {
        let (state, member) = crate::rpc::current_member().await?;
        super::service::list(&state, &member).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "get_agent")]
pub async fn get_agent(id: String) -> Result<AgentView, AppError> {
    crate::rpc::handle(async {
        let (state, member) = crate::rpc::current_member().await?;
        super::service::get(&state, &member, &id).await
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
        let (state, member) = crate::rpc::current_writer().await?;
        let form = super::service::AgentForm {
            name: &name,
            description: &description,
            version: &version,
            config: &config,
        };
        super::service::install(&state, &member, form).await
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
        let (state, member) = crate::rpc::current_writer().await?;
        let form = super::service::AgentForm {
            name: &name,
            description: &description,
            version: &version,
            config: &config,
        };
        super::service::update(&state, &member, &id, form).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_agent")]
pub async fn delete_agent(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, member) = crate::rpc::current_writer().await?;
        super::service::delete(&state, &member, &id).await
    })
    .await
}
