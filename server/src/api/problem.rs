//! `application/problem+json` (RFC 9457) answers, rendered from `AppError`.

use app::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Base of the stable `type` URIs; the suffix is `AppError::kind`.
const PROBLEM_TYPE_BASE: &str = "https://tessera.dev/problems/";

pub struct Problem(pub AppError);

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        Problem(error)
    }
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a app::error::FieldErrors>,
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let error = self.0;
        let status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ProblemBody {
            kind: format!("{PROBLEM_TYPE_BASE}{}", error.kind()),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: error.to_string(),
            errors: match &error {
                AppError::Validation(fields) => Some(fields),
                _ => None,
            },
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let AppError::RateLimited { retry_after_secs } = error {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}
