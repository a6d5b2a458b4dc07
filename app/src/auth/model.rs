//! Account types that cross the wire.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "owner" => Some(Role::Owner),
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Member => "Member",
        }
    }

    /// Owners and admins manage everything; members only read.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// The signed-in person in their current workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub workspace_id: String,
    pub workspace_name: String,
    pub role: Role,
}

impl CurrentUser {
    pub fn can_write(&self) -> bool {
        self.role.can_write()
    }
}

/// What the app needs to know before it renders anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    /// No user exists yet: every page leads to setup.
    NeedsSetup,
    SignedOut,
    SignedIn(CurrentUser),
}
