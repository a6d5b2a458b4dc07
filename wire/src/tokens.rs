//! Tokens on the wire (SPEC §4.1): a token as listed, the one answer that carries its full
//! value, the list query and page, and the create/regenerate/update requests.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::access::{Permissions, TokenScope};

/// The status a person sees and that authentication obeys: the stored status with expiry
/// applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EffectiveStatus {
    Active,
    Suspended,
    Expired,
    Revoked,
}

impl EffectiveStatus {
    pub const ALL: [EffectiveStatus; 4] = [
        EffectiveStatus::Active,
        EffectiveStatus::Suspended,
        EffectiveStatus::Expired,
        EffectiveStatus::Revoked,
    ];

    /// Machine text, for filters, query strings and CSS classes.
    pub const fn as_str(self) -> &'static str {
        match self {
            EffectiveStatus::Active => "active",
            EffectiveStatus::Suspended => "suspended",
            EffectiveStatus::Expired => "expired",
            EffectiveStatus::Revoked => "revoked",
        }
    }

    /// The status whose machine text is `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    /// The text of the status badge.
    pub const fn label(self) -> &'static str {
        match self {
            EffectiveStatus::Active => "Active",
            EffectiveStatus::Suspended => "Suspended",
            EffectiveStatus::Expired => "Expired",
            EffectiveStatus::Revoked => "Revoked",
        }
    }
}

impl fmt::Display for EffectiveStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How long the old value keeps working after a regeneration, chosen in the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GracePeriod {
    /// The old value stops working at once: the safe default after a leak.
    #[default]
    None,
    OneHour,
    OneDay,
    SevenDays,
}

impl GracePeriod {
    pub const ALL: [GracePeriod; 4] = [
        GracePeriod::None,
        GracePeriod::OneHour,
        GracePeriod::OneDay,
        GracePeriod::SevenDays,
    ];

    /// The grace length in milliseconds, to add to the regeneration time.
    pub const fn millis(self) -> i64 {
        const HOUR: i64 = 60 * 60 * 1000;
        match self {
            GracePeriod::None => 0,
            GracePeriod::OneHour => HOUR,
            GracePeriod::OneDay => 24 * HOUR,
            GracePeriod::SevenDays => 7 * 24 * HOUR,
        }
    }

    /// The choice as the dialog shows it.
    pub const fn label(self) -> &'static str {
        match self {
            GracePeriod::None => "Immediately",
            GracePeriod::OneHour => "After 1 hour",
            GracePeriod::OneDay => "After 24 hours",
            GracePeriod::SevenDays => "After 7 days",
        }
    }
}

/// One token as the browser (and REST clients) see it: never the secret, never the hash.
/// Times are UTC milliseconds since the Unix epoch; the browser formats them locally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// The first 8 characters of the token (`tsr_Ab3x`), enough to recognise it.
    pub prefix: String,
    pub scope: TokenScope,
    /// The scope as people read it, resolved on the server where the names are known.
    pub scope_label: String,
    pub status: EffectiveStatus,
    pub created_at_ms: i64,
    /// `None` means the token never expires.
    pub expires_at_ms: Option<i64>,
    /// `None` means the token has never been used.
    pub last_used_at_ms: Option<i64>,
    /// Number of API calls authenticated with this token.
    pub usage_count: i64,
    /// Display name (or email) of the user who created the token.
    pub created_by: String,
    /// What the token may do per resource, as granted; its scope's ceiling caps it further
    /// (`access::policy::effective`).
    pub permissions: Permissions,
    /// After "Regenerate" with a grace period: until when the replaced value still works.
    /// `None` when no replaced value works any more (or the token itself works no more).
    #[serde(default)]
    pub previous_valid_until_ms: Option<i64>,
}

/// The answer to create and regenerate: the only time the full token leaves the server.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub token: TokenView,
    pub plaintext: String,
}

// Hand-written so that logging a response (`?created`) cannot leak the full token.
impl fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedToken")
            .field("token", &self.token)
            .field("plaintext", &"[redacted]")
            .finish()
    }
}

/// The kind of a [`TokenScope`], without its ids: what the scope filter and the database's
/// `scope_kind` column hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenScopeKind {
    Account,
    Environment,
    Deployment,
}

impl TokenScopeKind {
    pub const ALL: [TokenScopeKind; 3] = [
        TokenScopeKind::Account,
        TokenScopeKind::Environment,
        TokenScopeKind::Deployment,
    ];

    /// The text stored in the `scope_kind` column.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenScopeKind::Account => "account",
            TokenScopeKind::Environment => "environment",
            TokenScopeKind::Deployment => "deployment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "account" => Some(TokenScopeKind::Account),
            "environment" => Some(TokenScopeKind::Environment),
            "deployment" => Some(TokenScopeKind::Deployment),
            _ => None,
        }
    }

    /// The scope filter's option text.
    pub const fn label(self) -> &'static str {
        match self {
            TokenScopeKind::Account => "Account",
            TokenScopeKind::Environment => "Environment",
            TokenScopeKind::Deployment => "Agent deployment",
        }
    }
}

impl TokenScope {
    pub fn kind(&self) -> TokenScopeKind {
        match self {
            TokenScope::Account => TokenScopeKind::Account,
            TokenScope::Environment { .. } => TokenScopeKind::Environment,
            TokenScope::Deployment { .. } => TokenScopeKind::Deployment,
        }
    }
}

/// The orders a token list can be shown in. Never-used tokens sort after used ones whichever
/// way "last used" goes, since "never" is not a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenSort {
    #[default]
    CreatedDesc,
    CreatedAsc,
    LastUsedDesc,
    LastUsedAsc,
    NameAsc,
    NameDesc,
}

impl TokenSort {
    pub const ALL: [TokenSort; 6] = [
        TokenSort::CreatedDesc,
        TokenSort::CreatedAsc,
        TokenSort::LastUsedDesc,
        TokenSort::LastUsedAsc,
        TokenSort::NameAsc,
        TokenSort::NameDesc,
    ];

    /// Machine text, as serialised, for query strings and select values.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenSort::CreatedDesc => "created_desc",
            TokenSort::CreatedAsc => "created_asc",
            TokenSort::LastUsedDesc => "last_used_desc",
            TokenSort::LastUsedAsc => "last_used_asc",
            TokenSort::NameAsc => "name_asc",
            TokenSort::NameDesc => "name_desc",
        }
    }

    /// The order whose machine text is `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.as_str() == text)
    }

    pub const fn label(self) -> &'static str {
        match self {
            TokenSort::CreatedDesc => "Newest first",
            TokenSort::CreatedAsc => "Oldest first",
            TokenSort::LastUsedDesc => "Recently used",
            TokenSort::LastUsedAsc => "Least recently used",
            TokenSort::NameAsc => "Name (A–Z)",
            TokenSort::NameDesc => "Name (Z–A)",
        }
    }
}

/// Filters, order and page of a token list. Every field is optional on the wire, so an empty
/// query lists the newest tokens of every kind.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct TokenQuery {
    /// Effective status, so "expired" can be filtered although it is never stored.
    pub status: Option<EffectiveStatus>,
    pub scope_kind: Option<TokenScopeKind>,
    /// Only tokens scoped to this environment (environment and deployment tokens).
    pub environment_id: Option<String>,
    /// Only deployment tokens of this agent.
    pub agent_id: Option<String>,
    /// A case-insensitive substring of the name; blank means no filter.
    pub search: Option<String>,
    pub sort: TokenSort,
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Tokens to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

impl TokenQuery {
    pub const DEFAULT_LIMIT: i64 = crate::paging::DEFAULT_LIMIT;
    pub const MAX_LIMIT: i64 = crate::paging::MAX_LIMIT;

    /// The page size actually used.
    pub fn effective_limit(&self) -> i64 {
        crate::paging::effective_limit(self.limit)
    }

    pub fn effective_offset(&self) -> i64 {
        crate::paging::effective_offset(self.offset)
    }
}

/// One page of a token list, with the number of tokens matching the filters in all pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPage {
    pub items: Vec<TokenView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// The calling token as it sees itself. Answered from the authenticated principal alone: no
/// database work beyond authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenSelf {
    pub id: String,
    pub name: String,
    pub workspace_id: String,
    pub scope: TokenScope,
    /// What the token may do: its permissions capped by its scope's ceiling (SPEC §4.2).
    pub permissions: Permissions,
}

/// A token to create. No `scope` means an account token; no `permissions` means full access
/// within the scope. A token can grant neither a wider scope nor more than it holds itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// Unique in the workspace (case-insensitively); no control characters. The length is the
    /// domain's `MAX_NAME_CHARS` (a schema attribute takes only a literal; `api_openapi` checks).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    #[serde(default)]
    pub scope: Option<TokenScope>,
    /// UTC milliseconds since the epoch, in the future; absent means the token never expires.
    #[serde(default)]
    pub expires_at_ms: Option<i64>,
    /// A resource left out is `none`.
    #[serde(default)]
    pub permissions: Option<Permissions>,
}

/// How long the replaced value keeps working; absent means not at all.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegenerateRequest {
    #[serde(default)]
    pub grace: GracePeriod,
}

/// A change to a token: today only narrowing its permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateTokenRequest {
    /// The new permissions; each resource at most what the token has now (a resource left out
    /// is `none`).
    pub permissions: Permissions,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_status_serialises_lowercase_and_has_labels() {
        for status in EffectiveStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(EffectiveStatus::Expired.label(), "Expired");
        for status in EffectiveStatus::ALL {
            assert_eq!(EffectiveStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(EffectiveStatus::parse("Active"), None);
    }

    #[test]
    fn sort_machine_text_is_its_json_and_parses_back() {
        for sort in TokenSort::ALL {
            let json = serde_json::to_string(&sort).unwrap();
            assert_eq!(json, format!("\"{}\"", sort.as_str()));
            assert_eq!(TokenSort::parse(sort.as_str()), Some(sort));
        }
        assert_eq!(TokenSort::parse("newest"), None);
        assert_eq!(EffectiveStatus::Active.to_string(), "Active");
    }

    #[test]
    fn scope_json_is_tagged_and_round_trips() {
        let scope = TokenScope::Deployment {
            agent_id: "a1".into(),
            environment_id: "e1".into(),
        };
        let json = serde_json::to_value(&scope).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "deployment", "agent_id": "a1", "environment_id": "e1"})
        );
        let back: TokenScope = serde_json::from_value(json).unwrap();
        assert_eq!(back, scope);
        assert_eq!(
            serde_json::to_value(TokenScope::Account).unwrap(),
            serde_json::json!({"kind": "account"})
        );
    }

    #[test]
    fn grace_periods_have_the_right_lengths() {
        assert_eq!(GracePeriod::default(), GracePeriod::None);
        assert_eq!(GracePeriod::None.millis(), 0);
        assert_eq!(GracePeriod::OneHour.millis(), 3_600_000);
        assert_eq!(GracePeriod::OneDay.millis(), 86_400_000);
        assert_eq!(GracePeriod::SevenDays.millis(), 604_800_000);
    }

    #[test]
    fn created_token_debug_hides_the_plaintext() {
        let created = CreatedToken {
            token: TokenView {
                id: "t1".into(),
                name: "CI".into(),
                prefix: "tsr_AbCd".into(),
                scope: TokenScope::Account,
                scope_label: "Account".into(),
                status: EffectiveStatus::Active,
                created_at_ms: 0,
                expires_at_ms: None,
                last_used_at_ms: None,
                usage_count: 0,
                created_by: "owner@example.com".into(),
                permissions: Permissions::full(),
                previous_valid_until_ms: None,
            },
            plaintext: "tsr_AbCdEf0123450123456789abcdefghijABCDEFGHIJxy0u912Z".into(),
        };
        let debug = format!("{created:?}");
        assert!(!debug.contains("0123456789abcdef"));
        assert!(debug.contains("[redacted]"));
    }

    #[test]
    fn scope_kinds_round_trip_and_match_scopes() {
        for kind in TokenScopeKind::ALL {
            assert_eq!(TokenScopeKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(TokenScopeKind::parse("Account"), None);
        assert_eq!(TokenScope::Account.kind(), TokenScopeKind::Account);
        let deployment = TokenScope::Deployment {
            agent_id: "a".into(),
            environment_id: "e".into(),
        };
        assert_eq!(deployment.kind(), TokenScopeKind::Deployment);
    }

    #[test]
    fn token_query_defaults_and_clamps() {
        let query: TokenQuery = serde_json::from_str("{}").unwrap();
        assert_eq!(query, TokenQuery::default());
        assert_eq!(query.sort, TokenSort::CreatedDesc);
        assert_eq!(query.effective_limit(), TokenQuery::DEFAULT_LIMIT);
        assert_eq!(query.effective_offset(), 0);
        let wild = TokenQuery {
            limit: Some(100_000),
            offset: Some(-5),
            ..TokenQuery::default()
        };
        assert_eq!(wild.effective_limit(), TokenQuery::MAX_LIMIT);
        assert_eq!(wild.effective_offset(), 0);
        let zero = TokenQuery {
            limit: Some(0),
            ..TokenQuery::default()
        };
        assert_eq!(zero.effective_limit(), 1);
    }
}
