//! How large and how slow a request may be. Every request body is limited to
//! [`MAX_BODY_BYTES`] (a webhook event to 1 MiB) and every request to the request timeout —
//! except file uploads, whose
//! bodies are streamed and counted by the storage service against its own limits, and which
//! get the longer upload timeout.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::Limited;

/// Largest request body accepted anywhere but an upload (413 beyond it).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The routes that take a file as their body.
pub fn is_upload(method: &Method, path: &str) -> bool {
    match *method {
        Method::POST => {
            path == "/api/knowledge-base/storage" || path == crate::browser_files::UPLOAD_PATH
        }
        Method::PUT => path
            .strip_prefix("/api/knowledge-base/storage/")
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/')),
        _ => false,
    }
}

/// The routes that take a webhook event (up to `MAX_EVENT_BYTES`) as their body.
fn is_webhook(method: &Method, path: &str) -> bool {
    *method == Method::POST
        && path
            .strip_prefix("/api/webhook/")
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub request: Duration,
    pub upload: Duration,
}

/// The middleware: the body limit and the timeout that fit the route. A bare 413 or 408
/// becomes problem+json for API callers further out (`api::problems_for_bare_refusals`).
pub async fn bound_requests(
    State(timeouts): State<Timeouts>,
    request: Request,
    next: Next,
) -> Response {
    let (request, timeout) = if is_upload(request.method(), request.uri().path()) {
        (request, timeouts.upload)
    } else {
        let limit = if is_webhook(request.method(), request.uri().path()) {
            app::triggers::webhooks::MAX_EVENT_BYTES
        } else {
            MAX_BODY_BYTES
        };
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        // A body without a length (chunked) is cut off at the limit while it is read; axum's
        // extractors answer that with 413.
        let request = request.map(|body| Body::new(Limited::new(body, limit)));
        (request, timeouts.request)
    };
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_file_routes_are_uploads() {
        assert!(is_upload(&Method::POST, "/api/knowledge-base/storage"));
        assert!(is_upload(&Method::PUT, "/api/knowledge-base/storage/a.txt"));
        assert!(!is_upload(&Method::PUT, "/api/knowledge-base/storage/"));
        assert!(!is_upload(&Method::PUT, "/api/knowledge-base/storage/a/b"));
        assert!(!is_upload(&Method::GET, "/api/knowledge-base/storage"));
        assert!(!is_upload(&Method::POST, "/api/tokens"));
        assert!(is_upload(&Method::POST, crate::browser_files::UPLOAD_PATH));
    }
}
