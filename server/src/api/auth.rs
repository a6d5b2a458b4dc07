//! The bearer door: a middleware in front of every protected `/api` route runs the hot path
//! (`app::bearer`) and hands the handlers a [`Caller`], the token's [`Principal`]; refusals
//! are RFC 6750 challenges in RFC 9457 bodies. The token itself is never logged, echoed or
//! kept.

use std::sync::Arc;

use app::access::Principal;
use app::bearer::{AuthFailure, BearerError};
use app::client_addr::ClientAddr;
use app::clock::now_ms;
use app::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::tokens::domain::TokenFormatError;

use super::problem::{Problem, PROBLEM_TYPE_BASE};

/// The authenticated caller of a protected route: the principal every service takes.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.remove::<Caller>().ok_or_else(|| {
            tracing::error!("a protected route is mounted without the bearer middleware");
            Problem::from(app::AppError::Internal)
        })
    }
}

/// The caller of a route open to all (`optional_bearer`): the token's principal, if one was
/// sent.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeCaller(
            parts
                .extensions
                .remove::<Caller>()
                .map(|Caller(principal)| principal),
        ))
    }
}

/// The middlewares' state: an `Arc`, because axum clones a middleware's state for every
/// request, and cloning the whole `AppState` (Leptos options included) cost more than the
/// authentication itself.
pub type Shared = Arc<AppState>;

/// Authenticates the request or answers for it; on success the handler finds a [`Caller`].
pub async fn require_bearer(State(state): State<Shared>, request: Request, next: Next) -> Response {
    bearer(&state, request, next, true).await
}

/// For routes open to all: no `Authorization` header passes as anonymous, but a token that is
/// sent is checked (and refused) exactly as on protected routes.
pub async fn optional_bearer(
    State(state): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    bearer(&state, request, next, false).await
}

async fn bearer(state: &AppState, mut request: Request, next: Next, required: bool) -> Response {
    let token = match credentials(request.headers()) {
        Credentials::Bearer(token) => token,
        Credentials::Absent if !required => return next.run(request).await,
        Credentials::Absent | Credentials::OtherScheme => return missing_token().into_response(),
        Credentials::Malformed(detail) => return malformed_request(detail).into_response(),
    };
    let client_addr = request
        .extensions()
        .get::<ClientAddr>()
        .map(|ClientAddr(addr)| *addr);
    let result = state
        .bearer
        .authenticate(state.db.pool(), &state.hasher, token, client_addr, now_ms())
        .await;
    match result {
        Ok(principal) => {
            request.extensions_mut().insert(Caller(principal));
            next.run(request).await
        }
        Err(error @ BearerError::RateLimited { .. }) => {
            // Tarpit: a client over its failure budget waits for its refusal (see
            // `BearerSettings::limited_refusal_delay`).
            tokio::time::sleep(state.bearer.settings().limited_refusal_delay).await;
            refusal(error)
        }
        Err(error) => refusal(error),
    }
}

/// What a request's `Authorization` header holds, read as RFC 6750 §2.1 and RFC 9110 §11
/// say: one header, the scheme case-insensitive, then one or more spaces (not tabs) and the
/// token.
#[derive(Debug, PartialEq, Eq)]
pub enum Credentials<'a> {
    Absent,
    Bearer(&'a str),
    /// Another scheme (`Basic …`): answered like no credentials, with the Bearer challenge.
    OtherScheme,
    /// Not a request this API can read; `400 invalid_request` with the reason.
    Malformed(&'static str),
}

pub fn credentials(headers: &HeaderMap) -> Credentials<'_> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Credentials::Absent;
    };
    if values.next().is_some() {
        return Credentials::Malformed(
            "The request has more than one Authorization header; send exactly one.",
        );
    }
    let Ok(value) = value.to_str() else {
        return Credentials::Malformed("The Authorization header is not readable text.");
    };
    let value = value.trim_matches(' ');
    let scheme_end = value.find([' ', '\t']).unwrap_or(value.len());
    let (scheme, rest) = value.split_at(scheme_end);
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Credentials::OtherScheme;
    }
    let token = rest.trim_start_matches(' ');
    if rest.is_empty() || token.len() == rest.len() || token.is_empty() {
        return Credentials::Malformed(
            "The Authorization header is malformed: send `Bearer <token>`, with a space \
             between the two.",
        );
    }
    Credentials::Bearer(token)
}

/// RFC 6750 §3.1: a request this API cannot read is `400 invalid_request`.
fn malformed_request(detail: &'static str) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "invalid-request", detail).with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(r#"Bearer realm="tessera", error="invalid_request""#),
    )
}

/// RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
fn missing_token() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "This endpoint needs an API token: send `Authorization: Bearer <token>`.",
    )
    .with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(r#"Bearer realm="tessera""#),
    )
}

fn refusal(error: BearerError) -> Response {
    let failure = match error {
        BearerError::RateLimited { retry_after_secs } => {
            // Debug, not info: a flood must not turn into a flood of log lines.
            tracing::debug!("bearer authentication rate-limited");
            return Problem::from(app::AppError::RateLimited { retry_after_secs }).into_response();
        }
        BearerError::Refused(failure) => failure,
    };
    tracing::debug!(reason = %failure, "bearer token refused");
    // Unknown key and wrong secret read alike, so key ids cannot be probed; status details
    // are given only to callers who proved they hold the secret.
    let detail = match &failure {
        AuthFailure::Internal => return Problem::from(app::AppError::Internal).into_response(),
        AuthFailure::Malformed(format) => match format {
            TokenFormatError::Empty => "The API token is malformed: it is empty.",
            TokenFormatError::MissingPrefix => {
                "The API token is malformed: it does not start with `tsr_`."
            }
            TokenFormatError::WrongLength { .. } => {
                "The API token is malformed: a token has 54 characters."
            }
            TokenFormatError::InvalidCharacter { .. } => {
                "The API token is malformed: after `tsr_` it has only letters and digits."
            }
            TokenFormatError::ChecksumMismatch => {
                "The API token is malformed: its checksum does not match (mistyped or truncated?)."
            }
        },
        AuthFailure::UnknownKey | AuthFailure::WrongSecret => "The API token is not recognised.",
        AuthFailure::Suspended => "The API token is suspended.",
        AuthFailure::Revoked => "The API token has been revoked.",
        AuthFailure::Expired => "The API token has expired.",
        AuthFailure::ScopeGone => "The environment or agent of this API token no longer exists.",
    };
    invalid_token(detail)
}

/// A 401 `invalid_token` answer. Refusals are what a flood is made of, so this one is built
/// without serialising anything: the details are fixed texts without quotes or backslashes.
fn invalid_token(detail: &'static str) -> Response {
    let body = format!(
        r#"{{"type":"{PROBLEM_TYPE_BASE}invalid-token","title":"Unauthorized","status":401,"detail":"{detail}"}}"#
    );
    let mut response = (StatusCode::UNAUTHORIZED, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    headers.insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(r#"Bearer realm="tessera", error="invalid_token""#),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::AUTHORIZATION, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn bearer_credentials_are_read_as_the_rfcs_say() {
        assert_eq!(credentials(&headers(&[])), Credentials::Absent);
        assert_eq!(
            credentials(&headers(&["Basic abc"])),
            Credentials::OtherScheme
        );
        assert_eq!(
            credentials(&headers(&["Bearerish tsr_x"])),
            Credentials::OtherScheme
        );
        assert_eq!(
            credentials(&headers(&["bearer  tsr_x "])),
            Credentials::Bearer("tsr_x")
        );
        assert_eq!(
            credentials(&headers(&["BEARER tsr_x"])),
            Credentials::Bearer("tsr_x")
        );
        for malformed in [
            &["Bearer\ttsr_x"][..],
            &["Bearer"],
            &["Bearer   "],
            &["Bearer tsr_x", "Bearer tsr_y"],
            &["Bearer tsr_x", "Basic abc"],
        ] {
            assert!(
                matches!(credentials(&headers(malformed)), Credentials::Malformed(_)),
                "{malformed:?}"
            );
        }
    }

    #[tokio::test]
    async fn refusals_are_valid_problem_json() {
        for failure in [
            AuthFailure::Malformed(TokenFormatError::ChecksumMismatch),
            AuthFailure::Malformed(TokenFormatError::MissingPrefix),
            AuthFailure::UnknownKey,
            AuthFailure::ScopeGone,
        ] {
            let response = refusal(BearerError::Refused(failure));
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            let bytes = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(body["status"], 401);
            assert!(body["detail"].as_str().unwrap().starts_with("The "));
        }
    }
}
