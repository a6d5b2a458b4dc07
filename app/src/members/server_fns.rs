//! Server functions for the Members and General tabs and the public invite page: thin
//! adapters over `members::service`. `get_invite` and `accept_invite` need no session: the
//! invite code is the credential.

use leptos::prelude::*;

use crate::auth::model::Role;
use crate::error::AppError;
use crate::members::model::{CreatedInvite, InvitePreview, InviteView, MemberView, WorkspaceView};

/// Every member of the workspace, owners first then by name. Any member may read.
#[server(prefix = "/rpc", endpoint = "list_members")]
pub async fn list_members() -> Result<Vec<MemberView>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::list_members(&state, &principal).await
    })
    .await
}

/// Owners only. The last owner cannot be demoted (409).
#[server(prefix = "/rpc", endpoint = "change_member_role")]
pub async fn change_member_role(user_id: String, role: Role) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::change_role(&state, &principal, &user_id, role).await
    })
    .await
}

/// Owners remove anyone but the last owner; admins remove plain members only.
#[server(prefix = "/rpc", endpoint = "remove_member")]
pub async fn remove_member(user_id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::remove(&state, &principal, &user_id).await
    })
    .await
}

/// Owners and admins; `role` is `admin` or `member`. The answer's `link_path` is shown once.
#[server(prefix = "/rpc", endpoint = "create_invite")]
pub async fn create_invite(email: String, role: Role) -> Result<CreatedInvite, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        crate::rpc::no_store();
        super::service::create_invite(&state, &principal, &email, role).await
    })
    .await
}

/// Pending invites, newest first. Owners and admins; members get 403.
#[server(prefix = "/rpc", endpoint = "list_invites")]
pub async fn list_invites() -> Result<Vec<InviteView>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::list_invites(&state, &principal).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "revoke_invite")]
pub async fn revoke_invite(invite_id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::revoke_invite(&state, &principal, &invite_id).await
    })
    .await
}

/// Public. The invite behind a code; a bare 404 for any code that does not work.
#[server(prefix = "/rpc", endpoint = "get_invite")]
pub async fn get_invite(code: String) -> Result<InvitePreview, AppError> {
    crate::rpc::handle(async {
        let state = crate::rpc::state()?;
        super::service::get_invite(&state, &code, crate::rpc::client_addr()).await
    })
    .await
}

/// Public. Joins the workspace (creating the account unless one exists for the invited email,
/// whose password is then required) and signs the invitee in.
#[server(prefix = "/rpc", endpoint = "accept_invite")]
pub async fn accept_invite(code: String, name: String, password: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let state = crate::rpc::state()?;
        let session_id = super::service::accept_invite(
            &state,
            &code,
            &name,
            &password,
            crate::rpc::client_addr(),
        )
        .await?;
        crate::rpc::set_cookie(crate::auth::sessions::cookie_for(
            &session_id,
            state.secure_cookies,
        ));
        Ok(())
    })
    .await
}

/// The workspace (id, name, created at). Any member may read.
#[server(prefix = "/rpc", endpoint = "get_workspace")]
pub async fn get_workspace() -> Result<WorkspaceView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::get_workspace(&state, &principal).await
    })
    .await
}

/// Owners and admins; the same name rules as at setup.
#[server(prefix = "/rpc", endpoint = "rename_workspace")]
pub async fn rename_workspace(name: String) -> Result<WorkspaceView, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::rename_workspace(&state, &principal, &name).await
    })
    .await
}
