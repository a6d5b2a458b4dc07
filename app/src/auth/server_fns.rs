//! Server functions for setup, sign-in and sign-out: thin adapters over `auth::service`.

use leptos::prelude::*;

use crate::auth::model::{CurrentUser, SessionState};
use crate::error::AppError;

#[server(prefix = "/rpc", endpoint = "get_session_state")]
pub async fn get_session_state() -> Result<SessionState, AppError> {
    crate::rpc::handle(async {
        let state = crate::rpc::state()?;
        let session_id = crate::rpc::session_cookie();
        super::service::session_state(&state, session_id.as_deref()).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "setup_workspace")]
pub async fn setup_workspace(
    workspace_name: String,
    name: String,
    email: String,
    password: String,
) -> Result<CurrentUser, AppError> {
    crate::rpc::handle(async {
        let state = crate::rpc::state()?;
        let input = super::service::SetupInput {
            workspace_name,
            name,
            email,
            password,
        };
        let signed_in = super::service::setup(&state, input, crate::rpc::client_addr()).await?;
        crate::rpc::set_cookie(super::sessions::cookie_for(
            &signed_in.session_id,
            state.secure_cookies,
        ));
        Ok(signed_in.user)
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<CurrentUser, AppError> {
    crate::rpc::handle(async {
        let state = crate::rpc::state()?;
        let signed_in =
            super::service::sign_in(&state, &email, &password, crate::rpc::client_addr()).await?;
        crate::rpc::set_cookie(super::sessions::cookie_for(
            &signed_in.session_id,
            state.secure_cookies,
        ));
        Ok(signed_in.user)
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, session) = crate::rpc::current_session().await?;
        super::service::sign_out(&state, &session.principal, &session.session_hash).await?;
        crate::rpc::set_cookie(super::sessions::clearing_cookie(state.secure_cookies));
        Ok(())
    })
    .await
}
