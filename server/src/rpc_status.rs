//! Server-function answers carry the status their error deserves.
//!
//! `rpc::handle` sets the status for errors our code returns, but when the framework itself
//! refuses a call (a missing or undecodable argument) it answers 500 before our code runs,
//! with an `AppError::Validation` body. This layer reads such a 500's body and, when it is an
//! `AppError` that is not an internal failure, replaces the status with that error's own.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY_BYTES: usize = 16 * 1024;

pub async fn correct_rpc_error_status(request: Request, next: Next) -> Response {
    let is_rpc = request.uri().path().starts_with("/rpc/");
    let response = next.run(request).await;
    if !is_rpc || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY_BYTES).await else {
        // Too large to be one of our errors; the body is gone, so answer a plain 500.
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<app::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
