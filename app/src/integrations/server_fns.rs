//! Server functions for Settings › Integrations: thin adapters over `integrations::service`.
//! Saving sends the integration as JSON (its settings and secrets are maps, which a form
//! encoding would flatten); secrets only ever travel inward.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::integrations::model::{ConnectionCheck, Integration, IntegrationRequest};

/// Every integration of the workspace, alphabetical, without secret values.
#[server(prefix = "/rpc", endpoint = "list_integrations")]
pub async fn list_integrations() -> Result<Vec<Integration>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = crate::integrations::model::IntegrationQuery {
            limit: Some(crate::paging::MAX_LIMIT),
            offset: None,
        };
        Ok(super::service::list(&state, &principal, &query)
            .await?
            .items)
    })
    .await
}

/// Creates (`id` absent) or updates an integration. In an update an omitted secret keeps its
/// value and `null` clears it.
#[server(prefix = "/rpc", endpoint = "save_integration", input = Json)]
pub async fn save_integration(
    id: Option<String>,
    request: IntegrationRequest,
) -> Result<Integration, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        match id {
            Some(id) => super::service::update(&state, &principal, &id, request).await,
            None => super::service::create(&state, &principal, request).await,
        }
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_integration")]
pub async fn delete_integration(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::delete(&state, &principal, &id).await
    })
    .await
}

/// One request through the integration, from the server (the egress guard applies).
#[server(prefix = "/rpc", endpoint = "test_integration")]
pub async fn test_integration(id: String, path: String) -> Result<ConnectionCheck, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::check_connection(
            &state,
            &principal,
            &id,
            &crate::integrations::model::ConnectionCheckRequest { path },
        )
        .await
    })
    .await
}

/// What Settings › Integrations shows: every integration, and which model (if any) writes the
/// assistant's answers. One call, so the tab has one resource.
#[server(prefix = "/rpc", endpoint = "integrations_tab")]
pub async fn integrations_tab() -> Result<crate::integrations::model::IntegrationsTabData, AppError>
{
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = crate::integrations::model::IntegrationQuery {
            limit: Some(crate::paging::MAX_LIMIT),
            offset: None,
        };
        let items = super::service::list(&state, &principal, &query)
            .await?
            .items;
        let assistant_model = crate::assistant::service::chosen_model(&state, &principal).await?;
        Ok(crate::integrations::model::IntegrationsTabData {
            items,
            assistant_model,
        })
    })
    .await
}
