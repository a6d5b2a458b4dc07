//! Server-side sessions: a random id in an HttpOnly, SameSite=Lax cookie; the database keeps
//! only its SHA-256. Sessions end after a week without use or a month in all.

use axum::http::HeaderValue;
use cookie::{Cookie, SameSite};
use sqlx::AnyConnection;

use crate::auth::model::CurrentUser;
use crate::auth::repo;
use crate::clock::{now_ms, DAY_MS, MINUTE_MS};
use crate::crypto::{random_code, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "tessera_session";
/// The name over HTTPS: browsers accept a `__Host-` cookie only when it is `Secure`, has
/// `Path=/` and no `Domain`, so no subdomain or plain-HTTP page can plant or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-tessera_session";
pub const IDLE_TIMEOUT_MS: i64 = 7 * DAY_MS;
pub const ABSOLUTE_TIMEOUT_MS: i64 = 30 * DAY_MS;
/// `last_seen_at` is refreshed at most this often, so reading a page is not a write.
const TOUCH_INTERVAL_MS: i64 = 5 * MINUTE_MS;

/// The session cookie's name for a server with (or without) secure cookies.
pub const fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// Deletes sessions past their absolute or idle limit; returns how many. Run at every sign-in
/// and periodically (`server`), so ended sessions do not pile up unread.
pub async fn sweep(pool: &sqlx::AnyPool) -> Result<u64, AppError> {
    let now = now_ms();
    Ok(repo::delete_ended_sessions(pool, now, now - IDLE_TIMEOUT_MS).await?)
}

/// Creates a session and returns its id (for the cookie only; never stored or logged).
pub async fn start(
    conn: &mut AnyConnection,
    user_id: &str,
    workspace_id: &str,
) -> Result<String, AppError> {
    let session_id = random_code(32);
    let now = now_ms();
    repo::insert_session(
        conn,
        &sha256_hex(&session_id),
        user_id,
        workspace_id,
        now,
        now + ABSOLUTE_TIMEOUT_MS,
    )
    .await?;
    Ok(session_id)
}

/// The session's member and the session's hash, or `None` if it is unknown, expired or idle.
pub async fn resolve(
    state: &AppState,
    session_id: &str,
) -> Result<Option<(CurrentUser, String)>, AppError> {
    let id_hash = sha256_hex(session_id);
    let Some(row) = repo::find_session_member(state.db.pool(), &id_hash).await? else {
        return Ok(None);
    };
    let now = now_ms();
    if row.expires_at <= now || row.last_seen_at + IDLE_TIMEOUT_MS <= now {
        repo::delete_session(state.db.pool(), &id_hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_INTERVAL_MS {
        repo::touch_session(state.db.pool(), &id_hash, now).await?;
    }
    Ok(row.into_current_user().map(|user| (user, id_hash)))
}

pub fn cookie_for(session_id: &str, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(secure), session_id.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::milliseconds(ABSOLUTE_TIMEOUT_MS))
        .build();
    header_value(&cookie)
}

pub fn clearing_cookie(secure: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(secure), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    header_value(&cookie)
}

fn header_value(cookie: &Cookie<'_>) -> HeaderValue {
    // A cookie built from base64url text is always a valid header value.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}
