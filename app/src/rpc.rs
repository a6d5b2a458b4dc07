//! The session door: the one place server functions learn who is calling. A session cookie
//! becomes a [`Principal`] (the same type the bearer door produces), plus the app state and
//! the client address. Every server function runs inside `handle`, which turns an `AppError`
//! into the matching HTTP status.

use std::future::Future;

use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use leptos::prelude::*;

use crate::access::Principal;
use crate::auth::model::CurrentUser;
use crate::auth::sessions;
use crate::client_addr::ClientAddr;
use crate::error::AppError;
use crate::state::AppState;

/// Runs a server function's body and sets the response status from its error, if any.
pub async fn handle<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(
                StatusCode::from_u16(error.status_code())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// The client's IP address, as the server's middleware resolved it (see `client_addr`).
pub fn client_addr() -> Option<String> {
    addr_in(&use_context::<Parts>()?)
}

fn addr_in(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ClientAddr>()
        .map(|ClientAddr(addr)| addr.to_string())
}

/// The session id from the request's cookie, if there is one.
pub fn session_cookie() -> Option<String> {
    let secure = use_context::<AppState>().is_some_and(|state| state.secure_cookies);
    request_cookie(sessions::cookie_name(secure))
}

/// The value of cookie `name` on the current request (server function or page render).
pub fn request_cookie(name: &str) -> Option<String> {
    cookie_in(&use_context::<Parts>()?, name)
}

/// The value of cookie `name` in a request's headers.
fn cookie_in(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The signed-in person as a principal, or 401.
pub async fn current_principal() -> Result<(AppState, Principal), AppError> {
    let (state, session) = current_session().await?;
    Ok((state, session.principal))
}

/// The signed-in person's session: who they are and how to end it.
pub struct SignedInSession {
    pub principal: Principal,
    pub user: CurrentUser,
    /// The stored hash of the session id (what sign-out deletes).
    pub session_hash: String,
}

/// The signed-in person's session, or 401.
pub async fn current_session() -> Result<(AppState, SignedInSession), AppError> {
    let state = state()?;
    let parts = use_context::<Parts>().ok_or(AppError::Unauthorized)?;
    let session = session_of(&state, &parts).await?;
    Ok((state, session))
}

/// The session door for the few browser routes that are not server functions (file
/// uploads with progress, downloads): the same cookie, the same principal.
pub async fn session_of(state: &AppState, parts: &Parts) -> Result<SignedInSession, AppError> {
    let session_id = cookie_in(parts, sessions::cookie_name(state.secure_cookies))
        .ok_or(AppError::Unauthorized)?;
    let (user, session_hash) = sessions::resolve(state, &session_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let principal = Principal::user(
        user.workspace_id.clone(),
        user.user_id.clone(),
        user.role,
        (&user.name, &user.email),
        addr_in(parts),
    );
    Ok(SignedInSession {
        principal,
        user,
        session_hash,
    })
}

/// Marks the server function's answer as one no cache may keep: it carries a secret shown
/// once (a full token, an invite link).
pub fn no_store() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}

/// Adds a `Set-Cookie` header to the server function's response.
pub fn set_cookie(value: axum::http::HeaderValue) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, value);
    }
}
