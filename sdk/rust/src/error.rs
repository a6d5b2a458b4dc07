//! What can go wrong: no usable token or URL, a refusal from the server (its problem+json
//! answer, typed), or the transport. No variant ever holds the token.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Response, StatusCode};
use tessera_wire::problem::{ProblemBody, PROBLEM_TYPE_BASE};

use crate::retry::retry_after;
use crate::token::TokenError;

/// The SDK's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error the client returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No token, or one that is not a Tessera token. Raised before any request is sent.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The base URL (`TESSERA_API_URL` or the builder's) is not an `http(s)://` URL.
    #[error("{0}")]
    BaseUrl(String),
    /// The server refused or failed the request (a non-2xx answer).
    #[error(transparent)]
    Api(Box<Problem>),
    /// The request could not be sent or its answer not read (connection refused, timeout…).
    #[error("the request to the Tessera server failed: {0}")]
    Http(#[from] reqwest::Error),
    /// Reading a file to upload or writing a download.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A webhook signing secret that is not `whsec_<base64>`.
    #[error("the webhook signing secret is not `whsec_` followed by base64")]
    WebhookSecret,
    /// A wait (for an execution, for a document to be indexed) ran past its deadline.
    #[error("{0}")]
    Timeout(String),
    /// A 2xx answer whose body is not what the operation returns.
    #[error("the server's answer could not be read: {0}")]
    Decode(String),
}

impl Error {
    /// The HTTP status of a refusal from the server.
    pub fn status(&self) -> Option<u16> {
        self.problem().map(|problem| problem.status)
    }

    /// The server's problem answer, when this is a refusal.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Api(problem) => Some(problem),
            _ => None,
        }
    }

    /// No usable credentials: the token is missing or malformed (found before sending), or
    /// the server refused it (401) or refused what it may do (403).
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Token(_)) || matches!(self.status(), Some(401 | 403))
    }

    /// The thing asked for does not exist (or is another workspace's).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Error::Api(Box::new(problem))
    }
}

/// A refusal from the server, from its `application/problem+json` body (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    /// A stable URI naming the kind of problem, e.g.
    /// `https://tessera.dev/problems/insufficient-scope`; see [`Problem::kind`].
    pub type_uri: String,
    /// The HTTP status text.
    pub title: String,
    /// What went wrong, for people.
    pub detail: String,
    /// For `insufficient-scope` refusals: the permission that was missing (`agents:write`).
    pub required: Option<String>,
    /// For validation problems: field → messages.
    pub errors: BTreeMap<String, Vec<String>>,
    /// How long the server asked to wait before trying again (`Retry-After`, on 429 and 503).
    pub retry_after: Option<Duration>,
}

impl Problem {
    /// The kind without the URI base: `not-found`, `invalid-token`, `validation` …
    pub fn kind(&self) -> &str {
        self.type_uri
            .strip_prefix(PROBLEM_TYPE_BASE)
            .or_else(|| self.type_uri.rsplit('/').next())
            .unwrap_or(&self.type_uri)
    }

    /// Reads an error answer. One that is not problem+json (a proxy's error page) keeps its
    /// status and the start of its text.
    pub(crate) async fn from_response(response: Response) -> Problem {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap_or_default();
        Problem::from_parts(status, &headers, &body)
    }

    pub(crate) fn from_parts(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Problem {
        let retry_after = retry_after(headers);
        let is_json = headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("json"));
        if is_json {
            if let Ok(problem) = serde_json::from_slice::<ProblemBody>(body) {
                return Problem {
                    status: problem.status,
                    type_uri: problem.kind,
                    title: problem.title,
                    detail: problem.detail,
                    required: problem.required,
                    errors: problem.errors.unwrap_or_default(),
                    retry_after,
                };
            }
        }
        let text = String::from_utf8_lossy(body);
        Problem {
            status: status.as_u16(),
            type_uri: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            detail: text.chars().take(500).collect(),
            required: None,
            errors: BTreeMap::new(),
            retry_after,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.title, self.status, self.detail)?;
        if let Some(required) = &self.required {
            write!(f, " [requires {required}]")?;
        }
        for (field, messages) in &self.errors {
            write!(f, "; {field}: {}", messages.join(" "))?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}
