//! Environment types that cross the wire. They compile for WASM: no server-only crates here.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What an environment is for. Stored (and sent) lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentPurpose {
    Development,
    Staging,
    Testing,
    Production,
}

impl EnvironmentPurpose {
    pub const ALL: [EnvironmentPurpose; 4] = [
        EnvironmentPurpose::Development,
        EnvironmentPurpose::Staging,
        EnvironmentPurpose::Testing,
        EnvironmentPurpose::Production,
    ];

    /// The text stored in the `purpose` column.
    pub const fn as_str(self) -> &'static str {
        match self {
            EnvironmentPurpose::Development => "development",
            EnvironmentPurpose::Staging => "staging",
            EnvironmentPurpose::Testing => "testing",
            EnvironmentPurpose::Production => "production",
        }
    }

    /// What people read.
    pub const fn label(self) -> &'static str {
        match self {
            EnvironmentPurpose::Development => "Development",
            EnvironmentPurpose::Staging => "Staging",
            EnvironmentPurpose::Testing => "Testing",
            EnvironmentPurpose::Production => "Production",
        }
    }

    /// The stored text back into a purpose; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        EnvironmentPurpose::ALL
            .into_iter()
            .find(|purpose| purpose.as_str() == text)
    }
}

impl fmt::Display for EnvironmentPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An environment as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentView {
    /// The row id, used by the app's own calls (update, delete).
    pub id: String,
    /// The Environment ID shown to people and used by programs (`env_…`).
    pub public_id: String,
    pub name: String,
    pub purpose: EnvironmentPurpose,
    /// Empty when there is none.
    pub description: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip_through_their_stored_text_and_serde() {
        for purpose in EnvironmentPurpose::ALL {
            assert_eq!(EnvironmentPurpose::parse(purpose.as_str()), Some(purpose));
            let json = serde_json::to_string(&purpose).unwrap();
            assert_eq!(json, format!("\"{}\"", purpose.as_str()));
        }
        assert_eq!(EnvironmentPurpose::parse("Production"), None);
        assert_eq!(EnvironmentPurpose::Staging.label(), "Staging");
    }
}
