//! `AppError`: the one error type that crosses the wire. Server functions return it as JSON,
//! the REST API renders it as `application/problem+json`; neither ever carries internals.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub use tessera_wire::problem::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    /// A token's permission or scope does not allow the operation; `required` names what it
    /// would need, as `<resource>:<level>` (`agents:write`).
    #[error("This API token lacks the permission {required}.")]
    InsufficientScope { required: String },
    #[error("Not found.")]
    NotFound,
    /// The request conflicts with the current state (a duplicate name, a stale action).
    #[error("{0}")]
    Conflict(String),
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    /// A body over a size limit or a storage quota; the message says which and how much.
    #[error("{0}")]
    TooLarge(String),
    #[error("Too many attempts, try again in {retry_after_secs} s.")]
    RateLimited { retry_after_secs: u64 },
    /// Something failed on the server; the cause is in the server log, not here.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The call never produced an answer from our code (network, encoding).
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport,
}

impl AppError {
    /// A validation error on a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        AppError::Validation(errors)
    }

    /// The answer when another `thing` (token, agent, environment) of the workspace already
    /// has the name: the same for every named resource, browser and REST alike.
    pub fn name_taken(thing: &str) -> Self {
        AppError::field(
            "name",
            format!("Another {thing} in this workspace already has this name. Choose another."),
        )
    }

    /// The messages for one field, if this is a validation error that names it.
    pub fn field_messages(&self, field: &str) -> Option<&[String]> {
        match self {
            AppError::Validation(errors) => errors.get(field).map(Vec::as_slice),
            _ => None,
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::InsufficientScope { .. } => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooLarge(_) => 413,
            AppError::Validation(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal | AppError::Transport => 500,
        }
    }

    /// A stable, machine-readable identifier (used as the problem+json `type`).
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::InsufficientScope { .. } => "insufficient-scope",
            AppError::NotFound => "not-found",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge(_) => "payload-too-large",
            AppError::Validation(_) => "validation",
            AppError::RateLimited { .. } => "rate-limited",
            AppError::Internal | AppError::Transport => "internal",
        }
    }
}

pub use tessera_wire::problem::PROBLEM_TYPE_BASE;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad arguments are the caller's fault and safe to describe generically.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::field("request", "The request was malformed.")
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Transport
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }

    impl From<sqlx::migrate::MigrateError> for AppError {
        fn from(error: sqlx::migrate::MigrateError) -> Self {
            tracing::error!(%error, "migration error");
            AppError::Internal
        }
    }

    impl From<tokio::task::JoinError> for AppError {
        fn from(error: tokio::task::JoinError) -> Self {
            tracing::error!(%error, "blocking task failed");
            AppError::Internal
        }
    }
}
