//! `application/problem+json` (RFC 9457) answers: from `AppError`, or built for the REST API's
//! own cases (bearer refusals with `WWW-Authenticate`, oversized bodies, bad JSON).

use app::error::FieldErrors;
use app::AppError;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Base of the stable `type` URIs; the suffix is `AppError::kind` or one of the API's own.
pub use app::error::PROBLEM_TYPE_BASE;

/// A problem answer. Its `detail` is for people and never carries internals.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    kind: &'static str,
    detail: String,
    errors: Option<FieldErrors>,
    required: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            kind,
            detail: detail.into(),
            errors: None,
            required: None,
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut problem = Problem::new(status, error.kind(), error.to_string());
        match error {
            AppError::Validation(fields) => problem.errors = Some(fields),
            AppError::RateLimited { retry_after_secs } => {
                problem = problem.with_header(header::RETRY_AFTER, retry_after_secs.into());
            }
            // RFC 6750 §3.1's challenge, and the permission that was missing.
            AppError::InsufficientScope { required } => {
                problem.required = Some(required);
                problem = problem.with_header(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(
                        r#"Bearer realm="tessera", error="insufficient_scope""#,
                    ),
                );
            }
            _ => {}
        }
        problem
    }
}

pub use tessera_wire::problem::ProblemBody;

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            kind: format!("{PROBLEM_TYPE_BASE}{}", self.kind),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
            required: self.required,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}
