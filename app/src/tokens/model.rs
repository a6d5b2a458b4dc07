//! Token types that cross the wire between server and browser. They compile for WASM, so
//! nothing here may depend on server-only crates, and no hash or secret ever appears here.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The status as stored in the database. "Expired" is deliberately absent: it is derived
/// from the expiry at read time (see [`EffectiveStatus`]), so it can never go stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    Active,
    Suspended,
    Revoked,
}

impl TokenStatus {
    pub const ALL: [TokenStatus; 3] = [
        TokenStatus::Active,
        TokenStatus::Suspended,
        TokenStatus::Revoked,
    ];

    /// The text stored in the `status` column.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenStatus::Active => "active",
            TokenStatus::Suspended => "suspended",
            TokenStatus::Revoked => "revoked",
        }
    }

    /// Reads the database text back; anything else means a corrupt row, which the caller
    /// should report as an internal error rather than guess.
    pub fn parse(text: &str) -> Result<Self, UnknownTokenStatus> {
        match text {
            "active" => Ok(TokenStatus::Active),
            "suspended" => Ok(TokenStatus::Suspended),
            "revoked" => Ok(TokenStatus::Revoked),
            other => Err(UnknownTokenStatus(other.to_owned())),
        }
    }
}

impl fmt::Display for TokenStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for TokenStatus {
    type Err = UnknownTokenStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        TokenStatus::parse(text)
    }
}

/// A status text that is not one of `active`, `suspended`, `revoked`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown token status {0:?}; expected active, suspended or revoked")]
pub struct UnknownTokenStatus(pub String);

// What travels on the wire is shared with the SDKs; the stored status, the menu actions and
// the usage chart are the app's own.
pub use crate::access::TokenScope;
pub use tessera_wire::tokens::*;

/// Everything a person can do to an existing token (creation is not an action on a token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenAction {
    CopyPrefix,
    Regenerate,
    Suspend,
    Activate,
    Revoke,
    Delete,
}

impl TokenAction {
    /// In the order an action menu lists them.
    pub const ALL: [TokenAction; 6] = [
        TokenAction::CopyPrefix,
        TokenAction::Regenerate,
        TokenAction::Suspend,
        TokenAction::Activate,
        TokenAction::Revoke,
        TokenAction::Delete,
    ];

    /// The menu entry text.
    pub const fn label(self) -> &'static str {
        match self {
            TokenAction::CopyPrefix => "Copy prefix",
            TokenAction::Regenerate => "Regenerate",
            TokenAction::Suspend => "Suspend",
            TokenAction::Activate => "Activate",
            TokenAction::Revoke => "Revoke",
            TokenAction::Delete => "Delete",
        }
    }
}

impl TokenAction {
    /// A line under the menu entry: what it does, in the words people search for (the Prodgy
    /// guide's "Activate/Deactivate" is this app's Suspend/Activate).
    pub const fn description(self) -> Option<&'static str> {
        match self {
            TokenAction::Suspend => Some("Deactivate: refuse API calls until activated again"),
            TokenAction::Activate => Some("Reactivate: accept API calls again"),
            _ => None,
        }
    }

    /// What a card or row says while the action runs, for the actions that run at once.
    pub const fn progress(self) -> Option<&'static str> {
        match self {
            TokenAction::Suspend => Some("Suspending…"),
            TokenAction::Activate => Some("Activating…"),
            _ => None,
        }
    }
}

impl fmt::Display for TokenAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// API calls authenticated by one token on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageDay {
    /// Days since 1970-01-01 (UTC); the day starts at `day * 86_400_000` ms.
    pub day: i64,
    pub calls: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_status_round_trips_through_database_text_and_json() {
        for status in TokenStatus::ALL {
            assert_eq!(TokenStatus::parse(status.as_str()), Ok(status));
            assert_eq!(status.as_str().parse::<TokenStatus>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert!(TokenStatus::parse("expired").is_err());
        assert!(TokenStatus::parse("Active").is_err());
        assert!(TokenStatus::parse("").is_err());
    }
}
