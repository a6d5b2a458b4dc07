//! The rules a presented token's row must pass once its secret matched, kept apart from the
//! caches so they read as the rules: which row a key id belongs to (current key, or previous
//! key during a grace period), then status, expiry and scope, ending in the [`Principal`] the
//! REST API acts as.

use crate::access::{Principal, TokenScope};
use crate::tokens::domain::{effective_status, permissions_from_stored, TokenFormatError};
use crate::tokens::model::{EffectiveStatus, TokenStatus};
use crate::tokens::repo::TokenAuthRow;

/// Why a presented token was refused. For logs and tests: callers answer every variant but
/// `Internal` with the same 401. Never carries the token or any part of its secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthFailure {
    #[error("malformed token: {0}")]
    Malformed(TokenFormatError),
    #[error("no token has this key id")]
    UnknownKey,
    #[error("the secret does not match")]
    WrongSecret,
    #[error("the token is suspended")]
    Suspended,
    #[error("the token is revoked")]
    Revoked,
    #[error("the token has expired")]
    Expired,
    /// The environment or agent the token is scoped to no longer exists.
    #[error("the token's environment or agent no longer exists")]
    ScopeGone,
    /// Not the caller's fault (database unreachable, corrupt row): answer 500/503, not 401.
    #[error("the token could not be checked")]
    Internal,
}

/// Of the rows found for a presented key id, the one it belongs to and the hash to check: the
/// token whose current key it is wins over one whose previous key it is, and a previous key
/// counts only until its grace period ends (checked against `now`, to the millisecond).
pub fn credential_for<'a>(
    rows: &'a [TokenAuthRow],
    key_id: &str,
    now: i64,
) -> Option<(&'a TokenAuthRow, &'a str)> {
    if let Some(row) = rows.iter().find(|row| row.key_id == key_id) {
        return Some((row, row.secret_hash.as_str()));
    }
    rows.iter().find_map(|row| {
        let in_grace = row.previous_key_id.as_deref() == Some(key_id)
            && row.previous_valid_until.is_some_and(|until| until > now);
        row.previous_secret_hash
            .as_deref()
            .filter(|_| in_grace)
            .map(|hash| (row, hash))
    })
}

/// Status, expiry and scope of a token whose secret matched: the principal, or why not.
pub fn admit(
    row: &TokenAuthRow,
    now: i64,
    client_addr: Option<String>,
) -> Result<Principal, AuthFailure> {
    let stored = TokenStatus::parse(&row.status).map_err(|error| {
        tracing::error!(token_id = %row.id, %error, "corrupt token status");
        AuthFailure::Internal
    })?;
    match effective_status(stored, row.expires_at, now) {
        EffectiveStatus::Active => {}
        EffectiveStatus::Suspended => return Err(AuthFailure::Suspended),
        EffectiveStatus::Expired => return Err(AuthFailure::Expired),
        EffectiveStatus::Revoked => return Err(AuthFailure::Revoked),
    }
    let scope = match row.scope_kind.as_str() {
        "account" => TokenScope::Account,
        "environment" => TokenScope::Environment {
            environment_id: row.environment_id.clone().ok_or(AuthFailure::ScopeGone)?,
        },
        "deployment" => TokenScope::Deployment {
            agent_id: row.agent_id.clone().ok_or(AuthFailure::ScopeGone)?,
            environment_id: row.environment_id.clone().ok_or(AuthFailure::ScopeGone)?,
        },
        other => {
            tracing::error!(token_id = %row.id, scope_kind = other, "corrupt token scope");
            return Err(AuthFailure::Internal);
        }
    };
    let permissions = permissions_from_stored(row.permissions.as_deref()).ok_or_else(|| {
        tracing::error!(token_id = %row.id, "corrupt token permissions");
        AuthFailure::Internal
    })?;
    Ok(Principal::token(
        row.workspace_id.clone(),
        row.id.clone(),
        row.name.clone(),
        scope,
        permissions,
        client_addr,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_failures_never_quote_the_token() {
        let failure = AuthFailure::Malformed(TokenFormatError::ChecksumMismatch);
        assert!(!failure.to_string().contains("tsr_"));
    }
}
