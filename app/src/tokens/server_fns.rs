//! Server functions for the API Tokens tab and the Deployments tab: thin adapters over
//! `tokens::service`. Every member reads; owners and admins write.

use leptos::prelude::*;

use crate::access::Permissions;
use crate::error::AppError;
use crate::tokens::model::{
    CreatedToken, GracePeriod, TokenPage, TokenQuery, TokenScopeKind, TokenView, UsageDay,
};

/// Creates a token. No `scope_kind` means an account token; an environment token needs
/// `environment_id`, a deployment token `environment_id` and `agent_id`. No `permissions`
/// means full access within the scope.
#[server(prefix = "/rpc", endpoint = "create_token")]
pub async fn create_token(
    name: String,
    #[server(default)] scope_kind: Option<TokenScopeKind>,
    #[server(default)] environment_id: Option<String>,
    #[server(default)] agent_id: Option<String>,
    #[server(default)] expires_at_ms: Option<i64>,
    #[server(default)] permissions: Option<Permissions>,
) -> Result<CreatedToken, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let scope = super::service::scope_from_parts(scope_kind, environment_id, agent_id)?;
        let input = super::service::CreateTokenInput {
            name,
            scope,
            expires_at_ms,
            permissions,
        };
        crate::rpc::no_store();
        super::service::create(&state, &principal, input).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "list_tokens")]
pub async fn list_tokens(#[server(default)] query: TokenQuery) -> Result<TokenPage, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::list(&state, &principal, &query).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "get_token")]
pub async fn get_token(id: String) -> Result<TokenView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::get(&state, &principal, &id).await
    })
    .await
}

/// New key id and secret for the same token; the old value keeps working for `grace`.
#[server(prefix = "/rpc", endpoint = "regenerate_token")]
pub async fn regenerate_token(
    id: String,
    #[server(default)] grace: GracePeriod,
) -> Result<CreatedToken, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        crate::rpc::no_store();
        super::service::regenerate(&state, &principal, &id, grace).await
    })
    .await
}

/// Ends a regeneration's grace period now: the replaced value stops working.
#[server(prefix = "/rpc", endpoint = "end_token_grace")]
pub async fn end_token_grace(id: String) -> Result<TokenView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::end_grace(&state, &principal, &id).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "suspend_token")]
pub async fn suspend_token(id: String) -> Result<TokenView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::suspend(&state, &principal, &id).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "activate_token")]
pub async fn activate_token(id: String) -> Result<TokenView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::activate(&state, &principal, &id).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "revoke_token")]
pub async fn revoke_token(id: String) -> Result<TokenView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::revoke(&state, &principal, &id).await
    })
    .await
}

/// Lowers what the token may do; raising is refused (create a new token instead).
#[server(prefix = "/rpc", endpoint = "narrow_token_permissions")]
pub async fn narrow_token_permissions(
    id: String,
    permissions: Permissions,
) -> Result<TokenView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::narrow(&state, &principal, &id, permissions).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_token")]
pub async fn delete_token(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::delete(&state, &principal, &id).await
    })
    .await
}

/// Calls per day over the last 30 days, oldest first.
#[server(prefix = "/rpc", endpoint = "token_usage")]
pub async fn token_usage(id: String) -> Result<Vec<UsageDay>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let now = crate::clock::now_ms();
        super::service::usage(&state, &principal, &id, now).await
    })
    .await
}
