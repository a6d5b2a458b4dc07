//! How `tsr` fails: a message on stderr and an exit code a script can branch on.

use std::process::ExitCode;

/// Any failure not covered below (server errors, conflicts, I/O…).
pub const EXIT_FAILURE: u8 = 1;
/// Usage errors; clap exits with this code itself.
pub const EXIT_USAGE: u8 = 2;
/// No usable token: missing, malformed, refused (401) or not allowed (403).
pub const EXIT_AUTH: u8 = 3;
/// The thing named does not exist (404).
pub const EXIT_NOT_FOUND: u8 = 4;

/// A failed command. The message never holds a token: SDK errors never do, and the CLI
/// builds its own messages without one.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

pub type Outcome<T = ()> = Result<T, Failure>;

impl Failure {
    pub fn other(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_FAILURE,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    pub fn auth(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_AUTH,
            message: message.into(),
        }
    }

    pub fn report(self) -> ExitCode {
        eprintln!("tsr: {}", self.message);
        ExitCode::from(self.code)
    }
}

impl From<tessera_sdk::Error> for Failure {
    fn from(error: tessera_sdk::Error) -> Self {
        let code = if error.is_auth() {
            EXIT_AUTH
        } else if error.is_not_found() {
            EXIT_NOT_FOUND
        } else {
            EXIT_FAILURE
        };
        let mut message = error.to_string();
        if matches!(error.status(), Some(401)) {
            message.push_str(" (check the token: `tsr auth status`, `tsr auth login`)");
        }
        Failure { code, message }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::other(error.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        Failure::other(format!("JSON: {error}"))
    }
}
