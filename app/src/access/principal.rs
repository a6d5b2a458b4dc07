//! Who is calling: the one type both doors produce (the session door for a signed-in person,
//! the bearer door for an API token) and every service takes. Nothing past the doors sees a
//! cookie, a header or a door's own type.

use crate::access::permissions::Permissions;
use crate::access::scope::TokenScope;
use crate::auth::model::Role;

/// The caller of one request, in one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub workspace_id: String,
    pub actor: Actor,
    /// How the audit log names the caller: "Ada (ada@example.com)", "API token “ci”".
    pub label: String,
    /// The client's IP address, for the audit log.
    pub client_addr: Option<String>,
}

/// A person acting through the browser, or a token acting through the REST API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User {
        id: String,
        role: Role,
    },
    Token {
        id: String,
        name: String,
        scope: TokenScope,
        /// As stored with the token: the scope's ceiling is applied by the policy.
        permissions: Permissions,
    },
}

impl Principal {
    /// A person: the audit log names them "Name (email)".
    pub fn user(
        workspace_id: String,
        user_id: String,
        role: Role,
        name_and_email: (&str, &str),
        client_addr: Option<String>,
    ) -> Self {
        let (name, email) = name_and_email;
        Principal {
            workspace_id,
            actor: Actor::User { id: user_id, role },
            label: format!("{name} ({email})"),
            client_addr,
        }
    }

    pub fn token(
        workspace_id: String,
        token_id: String,
        token_name: String,
        scope: TokenScope,
        permissions: Permissions,
        client_addr: Option<String>,
    ) -> Self {
        Principal {
            workspace_id,
            label: format!("API token \u{201c}{token_name}\u{201d}"),
            actor: Actor::Token {
                id: token_id,
                name: token_name,
                scope,
                permissions,
            },
            client_addr,
        }
    }

    /// The person's user id, if a person is calling.
    pub fn user_id(&self) -> Option<&str> {
        match &self.actor {
            Actor::User { id, .. } => Some(id),
            Actor::Token { .. } => None,
        }
    }

    /// The person's role, if a person is calling.
    pub fn role(&self) -> Option<Role> {
        match &self.actor {
            Actor::User { role, .. } => Some(*role),
            Actor::Token { .. } => None,
        }
    }

    /// The token's id, if a token is calling.
    pub fn token_id(&self) -> Option<&str> {
        match &self.actor {
            Actor::Token { id, .. } => Some(id),
            Actor::User { .. } => None,
        }
    }

    /// The id the audit log records for the actor.
    pub fn actor_id(&self) -> &str {
        match &self.actor {
            Actor::User { id, .. } | Actor::Token { id, .. } => id,
        }
    }

    /// `user` or `token`, as the audit log stores it.
    pub fn actor_kind(&self) -> &'static str {
        match self.actor {
            Actor::User { .. } => "user",
            Actor::Token { .. } => "token",
        }
    }
}
