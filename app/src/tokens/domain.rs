//! The token rules, in one place: the `tsr_` format and its checksum, token names, expiry,
//! and the lifecycle table of SPEC §2. Pure functions of their inputs (time is passed in),
//! so the UI can consult them to hide actions and the service can enforce them.

use std::fmt;

use super::model::{EffectiveStatus, TokenAction, TokenScope, TokenStatus};
use crate::access::Permissions;
pub use crate::auth::domain::MAX_NAME_CHARS;
use crate::auth::domain::{check_name, name_key, NameProblem};

// The format itself is shared with the SDKs.
pub use tessera_wire::token_format::*;

// ---------------------------------------------------------------------------------------
// Names and expiry
// ---------------------------------------------------------------------------------------

/// A valid token name: trimmed, 1–64 characters, no control characters. Other text (unicode,
/// HTML) is kept as typed; escaping is the renderer's job, not the parser's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenName(String);

impl TokenName {
    /// The names rule (`auth::domain::check_name`) in the token dialog's words.
    pub fn parse(text: &str) -> Result<Self, String> {
        match check_name(text) {
            Ok(name) => Ok(TokenName(name.to_owned())),
            Err(NameProblem::Empty) => Err("Enter a name for the token.".to_owned()),
            Err(NameProblem::TooLong { chars }) => Err(format!(
                "The name can be at most {MAX_NAME_CHARS} characters long (it has {chars})."
            )),
            // Line breaks, tabs and invisible characters make names that look alike but
            // differ, and break one-line layouts and logs.
            Err(NameProblem::Deceptive) => Err(
                "The name cannot contain control or invisible characters such as line breaks, \
                 tabs or zero-width spaces."
                    .to_owned(),
            ),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The key for the uniqueness check ("CI", "ci" and "ＣＩ" are the same name).
    pub fn normalized(&self) -> String {
        name_key(&self.0)
    }
}

impl fmt::Display for TokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a requested expiry: `None` means the token never expires; a given time must lie in
/// the future, since a token born expired could never be used.
pub fn validate_expiry(expires_at_ms: Option<i64>, now_ms: i64) -> Result<Option<i64>, String> {
    match expires_at_ms {
        Some(at) if at <= now_ms => Err("The expiry date must be in the future.".to_owned()),
        other => Ok(other),
    }
}

// ---------------------------------------------------------------------------------------
// Status and lifecycle
// ---------------------------------------------------------------------------------------

/// The status that counts: an active or suspended token whose expiry has come is expired;
/// revoked stays revoked whatever its expiry.
pub fn effective_status(
    stored: TokenStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
) -> EffectiveStatus {
    let expired = expires_at_ms.is_some_and(|at| at <= now_ms);
    match stored {
        TokenStatus::Revoked => EffectiveStatus::Revoked,
        _ if expired => EffectiveStatus::Expired,
        TokenStatus::Active => EffectiveStatus::Active,
        TokenStatus::Suspended => EffectiveStatus::Suspended,
    }
}

/// A status the server reported earlier, as it stands at `now_ms`: an active or suspended
/// token whose expiry has since come is expired (a page left open turns it so by itself).
pub fn status_as_of(
    reported: EffectiveStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
) -> EffectiveStatus {
    match reported {
        EffectiveStatus::Active => effective_status(TokenStatus::Active, expires_at_ms, now_ms),
        EffectiveStatus::Suspended => {
            effective_status(TokenStatus::Suspended, expires_at_ms, now_ms)
        }
        settled => settled,
    }
}

/// The lifecycle table of SPEC §2, the single source for both [`transition`] and
/// [`allowed_actions`].
const fn is_allowed(status: EffectiveStatus, action: TokenAction) -> bool {
    use EffectiveStatus as S;
    use TokenAction as A;
    match action {
        A::CopyPrefix => true,
        A::Regenerate => matches!(status, S::Active | S::Suspended),
        A::Suspend => matches!(status, S::Active),
        A::Activate => matches!(status, S::Suspended),
        A::Revoke => matches!(status, S::Active | S::Suspended | S::Expired),
        A::Delete => matches!(status, S::Revoked),
    }
}

/// What an allowed action does to the stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Nothing stored changes (copy prefix).
    Unchanged,
    /// New key id and secret; the status stays `status`, which the update must still find
    /// so that a concurrent suspend or revoke wins cleanly.
    Regenerate { status: TokenStatus },
    /// Set the status to `to`, guarded by `UPDATE … WHERE status = from` so that of two racing
    /// requests only one succeeds.
    ChangeStatus { from: TokenStatus, to: TokenStatus },
    /// Remove the row (only ever from `revoked`).
    Delete,
}

impl Transition {
    /// The stored status the record must still have when the change is written, if any.
    pub const fn expected_status(self) -> Option<TokenStatus> {
        match self {
            Transition::Unchanged => None,
            Transition::Regenerate { status } => Some(status),
            Transition::ChangeStatus { from, .. } => Some(from),
            Transition::Delete => Some(TokenStatus::Revoked),
        }
    }
}

/// A refused action, with the state that refused it; its `Display` is the message to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", refusal_message(*.action, *.status))]
pub struct TransitionError {
    pub action: TokenAction,
    pub status: EffectiveStatus,
}

impl TransitionError {
    pub fn message(&self) -> String {
        self.to_string()
    }
}

fn refusal_message(action: TokenAction, status: EffectiveStatus) -> String {
    use EffectiveStatus as S;
    use TokenAction as A;
    let verb = match action {
        A::CopyPrefix => "copied",
        A::Regenerate => "regenerated",
        A::Suspend => "suspended",
        A::Activate => "activated",
        A::Revoke => "revoked",
        A::Delete => "deleted",
    };
    match (action, status) {
        (A::Suspend, S::Suspended) => "This token is already suspended.".to_owned(),
        (A::Activate, S::Active) => "This token is already active.".to_owned(),
        (A::Revoke, S::Revoked) => "This token is already revoked.".to_owned(),
        (A::Delete, _) => "Only revoked tokens can be deleted; revoke this token first.".to_owned(),
        (A::Regenerate, S::Expired) => {
            "This token has expired; expired tokens cannot be regenerated. Create a new token instead."
                .to_owned()
        }
        (_, S::Expired) => format!("This token has expired; expired tokens cannot be {verb}."),
        (_, S::Revoked) => format!("This token is revoked; revoked tokens cannot be {verb}."),
        (_, S::Active) => format!("This token is active; active tokens cannot be {verb}."),
        (_, S::Suspended) => {
            format!("This token is suspended; suspended tokens cannot be {verb}.")
        }
    }
}

/// Decides `action` on a token with this stored status and expiry at `now_ms`. The service
/// calls this before writing; refusals change nothing.
pub fn transition(
    stored: TokenStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
    action: TokenAction,
) -> Result<Transition, TransitionError> {
    let status = effective_status(stored, expires_at_ms, now_ms);
    if !is_allowed(status, action) {
        return Err(TransitionError { action, status });
    }
    Ok(match action {
        TokenAction::CopyPrefix => Transition::Unchanged,
        TokenAction::Regenerate => Transition::Regenerate { status: stored },
        TokenAction::Suspend => Transition::ChangeStatus {
            from: stored,
            to: TokenStatus::Suspended,
        },
        TokenAction::Activate => Transition::ChangeStatus {
            from: stored,
            to: TokenStatus::Active,
        },
        TokenAction::Revoke => Transition::ChangeStatus {
            from: stored,
            to: TokenStatus::Revoked,
        },
        TokenAction::Delete => Transition::Delete,
    })
}

/// The actions a token in this state offers, in menu order; the UI hides the rest.
pub fn allowed_actions(status: EffectiveStatus) -> Vec<TokenAction> {
    TokenAction::ALL
        .into_iter()
        .filter(|&action| is_allowed(status, action))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------

/// A token's permissions from their stored form (see `access::Permissions::encode`); nothing
/// stored (a token from before permissions existed) means full access. `None` if corrupt.
pub fn permissions_from_stored(stored: Option<&str>) -> Option<Permissions> {
    match stored {
        None => Some(Permissions::full()),
        Some(text) => Permissions::decode(text),
    }
}

/// The scope as people read it. Names are looked up by the caller; when one is missing (say,
/// the environment was deleted) the id stands in so the label is never blank.
pub fn scope_label(
    scope: &TokenScope,
    environment_name: Option<&str>,
    agent_name: Option<&str>,
) -> String {
    match scope {
        TokenScope::Account => "Account".to_owned(),
        TokenScope::Environment { environment_id } => {
            let environment = environment_name.unwrap_or(environment_id);
            format!("Environment ({environment})")
        }
        TokenScope::Deployment {
            agent_id,
            environment_id,
        } => {
            let agent = agent_name.unwrap_or(agent_id);
            let environment = environment_name.unwrap_or(environment_id);
            format!("Agent deployment ({agent} · {environment})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const PAST: i64 = NOW - 1;
    const FUTURE: i64 = NOW + 1;

    // --- names -----------------------------------------------------------------------------

    #[test]
    fn empty_and_whitespace_names_are_refused() {
        for bad in ["", " ", "   \t  ", "\n", "\u{3000}"] {
            assert_eq!(
                TokenName::parse(bad).unwrap_err(),
                "Enter a name for the token.",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_are_limited_to_64_characters() {
        let ok = "a".repeat(64);
        assert_eq!(TokenName::parse(&ok).unwrap().as_str(), ok);
        let too_long = "a".repeat(65);
        let err = TokenName::parse(&too_long).unwrap_err();
        assert!(err.contains("64") && err.contains("65"), "{err}");
        // Characters, not bytes: 64 two-byte characters are fine.
        let wide = "é".repeat(64);
        assert!(TokenName::parse(&wide).is_ok());
        assert!(TokenName::parse(&"é".repeat(65)).is_err());
        let emoji = "🚀".repeat(64);
        assert!(TokenName::parse(&emoji).is_ok());
        // Surrounding whitespace does not count.
        assert!(TokenName::parse(&format!("  {ok}  ")).is_ok());
    }

    #[test]
    fn control_characters_are_refused() {
        for bad in [
            "a\nb",
            "a\rb",
            "a\tb",
            "\u{7}",
            "bell\u{7}",
            "a\0b",
            "x\u{1b}[31m",
            "a\u{7f}b",
            "a\u{85}b",
        ] {
            let err = TokenName::parse(bad).unwrap_err();
            assert!(
                err.contains("control or invisible characters"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn unicode_and_html_are_kept_as_text() {
        assert_eq!(
            TokenName::parse("Ünïcødé 🚀").unwrap().as_str(),
            "Ünïcødé 🚀"
        );
        assert_eq!(TokenName::parse("<b>x</b>").unwrap().as_str(), "<b>x</b>");
        assert_eq!(
            TokenName::parse("<script>alert(1)</script>")
                .unwrap()
                .into_string(),
            "<script>alert(1)</script>"
        );
        assert_eq!(
            TokenName::parse("a & b \"c\"").unwrap().as_str(),
            "a & b \"c\""
        );
    }

    #[test]
    fn names_are_trimmed_and_normalised() {
        let name = TokenName::parse("  \tCI Deploy \n").unwrap();
        assert_eq!(name.as_str(), "CI Deploy");
        assert_eq!(name.to_string(), "CI Deploy");
        assert_eq!(name.normalized(), "ci deploy");
        assert_eq!(
            TokenName::parse("ÜNÏCØDÉ").unwrap().normalized(),
            TokenName::parse("ünïcødé").unwrap().normalized()
        );
        // Inner spaces are part of the name.
        assert_eq!(TokenName::parse("a  b").unwrap().as_str(), "a  b");
    }

    // --- expiry ----------------------------------------------------------------------------

    #[test]
    fn expiry_must_be_in_the_future_or_absent() {
        assert_eq!(validate_expiry(None, NOW), Ok(None));
        assert_eq!(validate_expiry(Some(FUTURE), NOW), Ok(Some(FUTURE)));
        assert_eq!(
            validate_expiry(Some(NOW + 86_400_000), NOW),
            Ok(Some(NOW + 86_400_000))
        );
        assert!(validate_expiry(Some(NOW), NOW).is_err());
        assert!(validate_expiry(Some(PAST), NOW).is_err());
        assert!(validate_expiry(Some(0), NOW).is_err());
        assert!(validate_expiry(Some(i64::MIN), NOW).is_err());
    }

    // --- status and lifecycle --------------------------------------------------------------

    #[test]
    fn effective_status_applies_expiry() {
        use EffectiveStatus as E;
        use TokenStatus as S;
        let cases = [
            (S::Active, None, E::Active),
            (S::Active, Some(FUTURE), E::Active),
            (S::Active, Some(NOW), E::Expired),
            (S::Active, Some(PAST), E::Expired),
            (S::Suspended, None, E::Suspended),
            (S::Suspended, Some(FUTURE), E::Suspended),
            (S::Suspended, Some(NOW), E::Expired),
            (S::Suspended, Some(PAST), E::Expired),
            (S::Revoked, None, E::Revoked),
            (S::Revoked, Some(FUTURE), E::Revoked),
            (S::Revoked, Some(PAST), E::Revoked),
        ];
        for (stored, expires, expected) in cases {
            assert_eq!(
                effective_status(stored, expires, NOW),
                expected,
                "{stored:?} {expires:?}"
            );
        }
    }

    #[test]
    fn a_reported_status_ages_into_expired() {
        use EffectiveStatus as E;
        for (reported, expires, expected) in [
            (E::Active, Some(PAST), E::Expired),
            (E::Active, Some(NOW), E::Expired),
            (E::Active, Some(FUTURE), E::Active),
            (E::Active, None, E::Active),
            (E::Suspended, Some(PAST), E::Expired),
            (E::Suspended, Some(FUTURE), E::Suspended),
            (E::Expired, Some(PAST), E::Expired),
            (E::Revoked, Some(PAST), E::Revoked),
            (E::Revoked, None, E::Revoked),
        ] {
            assert_eq!(
                status_as_of(reported, expires, NOW),
                expected,
                "{reported:?} {expires:?}"
            );
        }
    }

    /// Every stored state a token can be in, with the effective status it shows.
    fn states() -> Vec<(TokenStatus, Option<i64>, EffectiveStatus)> {
        use EffectiveStatus as E;
        use TokenStatus as S;
        vec![
            (S::Active, None, E::Active),
            (S::Active, Some(FUTURE), E::Active),
            (S::Suspended, None, E::Suspended),
            (S::Suspended, Some(FUTURE), E::Suspended),
            (S::Active, Some(PAST), E::Expired),
            (S::Active, Some(NOW), E::Expired),
            (S::Suspended, Some(PAST), E::Expired),
            (S::Revoked, None, E::Revoked),
            (S::Revoked, Some(PAST), E::Revoked),
        ]
    }

    /// SPEC §2's table, written out independently of `is_allowed`.
    fn expected(
        stored: TokenStatus,
        effective: EffectiveStatus,
        action: TokenAction,
    ) -> Option<Transition> {
        use EffectiveStatus as E;
        use TokenAction as A;
        use TokenStatus as S;
        match (effective, action) {
            (_, A::CopyPrefix) => Some(Transition::Unchanged),
            (E::Active, A::Regenerate) => Some(Transition::Regenerate { status: S::Active }),
            (E::Suspended, A::Regenerate) => Some(Transition::Regenerate {
                status: S::Suspended,
            }),
            (E::Active, A::Suspend) => Some(Transition::ChangeStatus {
                from: S::Active,
                to: S::Suspended,
            }),
            (E::Suspended, A::Activate) => Some(Transition::ChangeStatus {
                from: S::Suspended,
                to: S::Active,
            }),
            (E::Active | E::Suspended | E::Expired, A::Revoke) => Some(Transition::ChangeStatus {
                from: stored,
                to: S::Revoked,
            }),
            (E::Revoked, A::Delete) => Some(Transition::Delete),
            _ => None,
        }
    }

    #[test]
    fn every_status_action_pair_follows_the_table() {
        let mut allowed = 0;
        let mut refused = 0;
        for (stored, expires, effective) in states() {
            for action in TokenAction::ALL {
                let got = transition(stored, expires, NOW, action);
                match expected(stored, effective, action) {
                    Some(want) => {
                        assert_eq!(got, Ok(want), "{stored:?}/{expires:?} {action:?}");
                        allowed += 1;
                    }
                    None => {
                        let err = got.unwrap_err();
                        assert_eq!(err.action, action);
                        assert_eq!(err.status, effective);
                        let message = err.to_string();
                        assert!(
                            message.starts_with("This token")
                                || message.starts_with("Only revoked"),
                            "{message}"
                        );
                        assert!(message.ends_with('.'), "{message}");
                        refused += 1;
                    }
                }
            }
        }
        assert_eq!(allowed + refused, states().len() * TokenAction::ALL.len());
        assert!(allowed > 0 && refused > 0);
    }

    #[test]
    fn allowed_actions_match_the_table() {
        use EffectiveStatus as E;
        use TokenAction as A;
        assert_eq!(
            allowed_actions(E::Active),
            vec![A::CopyPrefix, A::Regenerate, A::Suspend, A::Revoke]
        );
        assert_eq!(
            allowed_actions(E::Suspended),
            vec![A::CopyPrefix, A::Regenerate, A::Activate, A::Revoke]
        );
        assert_eq!(allowed_actions(E::Expired), vec![A::CopyPrefix, A::Revoke]);
        assert_eq!(allowed_actions(E::Revoked), vec![A::CopyPrefix, A::Delete]);
        // And agree with `transition` for every state.
        for (stored, expires, effective) in states() {
            for action in TokenAction::ALL {
                assert_eq!(
                    allowed_actions(effective).contains(&action),
                    transition(stored, expires, NOW, action).is_ok()
                );
            }
        }
    }

    #[test]
    fn refusals_explain_themselves() {
        use TokenAction as A;
        use TokenStatus as S;
        let message = |stored, expires, action| {
            transition(stored, expires, NOW, action)
                .unwrap_err()
                .message()
        };
        assert_eq!(
            message(S::Revoked, None, A::Activate),
            "This token is revoked; revoked tokens cannot be activated."
        );
        assert_eq!(
            message(S::Revoked, None, A::Regenerate),
            "This token is revoked; revoked tokens cannot be regenerated."
        );
        assert_eq!(
            message(S::Revoked, None, A::Revoke),
            "This token is already revoked."
        );
        assert_eq!(
            message(S::Active, None, A::Activate),
            "This token is already active."
        );
        assert_eq!(
            message(S::Suspended, None, A::Suspend),
            "This token is already suspended."
        );
        assert_eq!(
            message(S::Suspended, Some(PAST), A::Activate),
            "This token has expired; expired tokens cannot be activated."
        );
        assert_eq!(
            message(S::Active, Some(PAST), A::Suspend),
            "This token has expired; expired tokens cannot be suspended."
        );
        assert!(message(S::Active, Some(PAST), A::Regenerate).starts_with("This token has expired"));
        assert_eq!(
            message(S::Active, None, A::Delete),
            "Only revoked tokens can be deleted; revoke this token first."
        );
    }

    #[test]
    fn transitions_name_the_status_to_guard_on() {
        use TokenStatus as S;
        assert_eq!(Transition::Unchanged.expected_status(), None);
        assert_eq!(
            Transition::Regenerate {
                status: S::Suspended
            }
            .expected_status(),
            Some(S::Suspended)
        );
        assert_eq!(
            Transition::ChangeStatus {
                from: S::Active,
                to: S::Revoked
            }
            .expected_status(),
            Some(S::Active)
        );
        assert_eq!(Transition::Delete.expected_status(), Some(S::Revoked));
    }

    // --- scope -----------------------------------------------------------------------------

    #[test]
    fn scope_labels() {
        assert_eq!(scope_label(&TokenScope::Account, None, None), "Account");
        let environment = TokenScope::Environment {
            environment_id: "env_1".into(),
        };
        assert_eq!(
            scope_label(&environment, Some("Staging"), None),
            "Environment (Staging)"
        );
        assert_eq!(scope_label(&environment, None, None), "Environment (env_1)");
        let deployment = TokenScope::Deployment {
            agent_id: "agent_1".into(),
            environment_id: "env_2".into(),
        };
        assert_eq!(
            scope_label(&deployment, Some("Production"), Some("Support bot")),
            "Agent deployment (Support bot · Production)"
        );
        assert_eq!(
            scope_label(&deployment, None, None),
            "Agent deployment (agent_1 · env_2)"
        );
    }
}
