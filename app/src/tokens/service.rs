//! Token operations for both doors (server functions and REST): create, list, get, regenerate,
//! suspend, activate, revoke, delete, usage, and authenticating a presented token. Every change
//! is one guarded write plus its audit event in one transaction; the rules come from `domain`.

use sqlx::{AnyConnection, AnyPool};

use crate::audit::model::{Actor, ActorKind, Target};
use crate::audit::record;
use crate::clock::{new_id, now_ms, DAY_MS};
use crate::crypto::SecretHasher;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::tokens::domain::{
    effective_status, generate_token, parse_token, scope_label, token_prefix, transition,
    validate_expiry, TokenFormatError, TokenName, Transition, TOKEN_PREFIX,
};
use crate::tokens::model::{
    CreatedToken, EffectiveStatus, GracePeriod, TokenAction, TokenPage, TokenQuery, TokenScope,
    TokenScopeKind, TokenStatus, TokenView, UsageDay,
};
use crate::tokens::repo::{self, NewTokenRow, Regeneration, TokenAuthRow, TokenViewRow};

/// How many days `usage` reports, today included.
pub const USAGE_DAYS: i64 = 30;
/// Longer search texts are cut: no name is longer than 64 characters anyway.
const MAX_SEARCH_CHARS: usize = 100;

/// A create request as the doors receive it; [`create`] parses and checks it.
#[derive(Debug, Clone)]
pub struct CreateTokenInput {
    pub name: String,
    pub scope: TokenScope,
    pub expires_at_ms: Option<i64>,
}

/// Builds a scope from a form's separate fields: no kind means an account token; blank ids
/// count as missing.
pub fn scope_from_parts(
    kind: Option<TokenScopeKind>,
    environment_id: Option<String>,
    agent_id: Option<String>,
) -> Result<TokenScope, AppError> {
    let present = |id: Option<String>| {
        id.map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
    };
    let environment_id = present(environment_id);
    let agent_id = present(agent_id);
    let mut errors = FieldErrors::new();
    let mut require = |field: &str, id: Option<String>, message: &str| {
        if id.is_none() {
            errors
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        }
        id.unwrap_or_default()
    };
    let scope = match kind.unwrap_or(TokenScopeKind::Account) {
        TokenScopeKind::Account => TokenScope::Account,
        TokenScopeKind::Environment => TokenScope::Environment {
            environment_id: require("environment_id", environment_id, "Choose an environment."),
        },
        TokenScopeKind::Deployment => TokenScope::Deployment {
            environment_id: require("environment_id", environment_id, "Choose an environment."),
            agent_id: require("agent_id", agent_id, "Choose an agent."),
        },
    };
    if errors.is_empty() {
        Ok(scope)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Creates an active token and returns it with its plaintext, the only time it is shown.
#[tracing::instrument(name = "tokens.create", skip_all, fields(workspace_id))]
pub async fn create(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    input: CreateTokenInput,
) -> Result<CreatedToken, AppError> {
    let now = now_ms();
    let pool = state.db.pool();
    let mut errors = FieldErrors::new();
    let mut refuse = |field: &str, message: String| {
        errors.entry(field.to_owned()).or_default().push(message);
    };
    let name = TokenName::parse(&input.name)
        .map_err(|message| refuse("name", message))
        .ok();
    let expires_at = validate_expiry(input.expires_at_ms, now)
        .map_err(|message| refuse("expires_at_ms", message))
        .ok();
    // Ids from another workspace are refused exactly like ids that do not exist.
    let (environment_id, agent_id) = match &input.scope {
        TokenScope::Account => (None, None),
        TokenScope::Environment { environment_id } => (Some(environment_id.as_str()), None),
        TokenScope::Deployment {
            agent_id,
            environment_id,
        } => (Some(environment_id.as_str()), Some(agent_id.as_str())),
    };
    if let Some(environment_id) = environment_id {
        if !repo::environment_in_workspace(pool, workspace_id, environment_id).await? {
            refuse(
                "environment_id",
                "There is no such environment in this workspace.".to_owned(),
            );
        }
    }
    if let Some(agent_id) = agent_id {
        if !repo::agent_in_workspace(pool, workspace_id, agent_id).await? {
            refuse(
                "agent_id",
                "There is no such agent in this workspace.".to_owned(),
            );
        }
    }
    let (Some(name), Some(expires_at), true) = (name, expires_at, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };

    let generated = generate_token();
    // argon2 runs before the transaction, so no lock is held while it works.
    let secret_hash = state
        .hasher
        .hash(generated.secret.expose().to_owned())
        .await?;
    let id = new_id();
    let name_key = name.normalized();
    let created_by_id = match actor.kind {
        ActorKind::User => actor.id.as_deref(),
        ActorKind::Token | ActorKind::System => None,
    };
    let row = NewTokenRow {
        id: &id,
        workspace_id,
        key_id: generated.key_id.as_str(),
        secret_hash: &secret_hash,
        name: name.as_str(),
        name_key: &name_key,
        scope_kind: input.scope.kind().as_str(),
        environment_id,
        agent_id,
        expires_at,
        created_by: &actor.label,
        created_by_id,
        now,
    };

    let mut tx = pool.begin().await?;
    if let Err(error) = repo::insert(&mut tx, &row).await {
        return Err(if crate::db::is_unique_violation(&error) {
            duplicate_name(&name)
        } else {
            error.into()
        });
    }
    record(
        &mut tx,
        workspace_id,
        actor,
        "token.created",
        Some(target(&id, name.as_str())),
    )
    .await?;
    let view = repo::find_view(&mut *tx, workspace_id, &id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    tracing::info!(token_id = %id, "token created");
    Ok(CreatedToken {
        token: to_view(view, now)?,
        plaintext: generated.plaintext.into_string(),
    })
}

fn duplicate_name(name: &TokenName) -> AppError {
    AppError::Conflict(format!(
        "A token named \u{201c}{name}\u{201d} already exists in this workspace. Choose another name."
    ))
}

fn target<'a>(id: &'a str, name: &'a str) -> Target<'a> {
    Target {
        kind: "token",
        id,
        label: name,
    }
}

/// One page of the workspace's tokens.
#[tracing::instrument(name = "tokens.list", skip_all, fields(workspace_id))]
pub async fn list(
    state: &AppState,
    workspace_id: &str,
    query: &TokenQuery,
) -> Result<TokenPage, AppError> {
    let now = now_ms();
    let search_key = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.chars()
                .take(MAX_SEARCH_CHARS)
                .collect::<String>()
                .to_lowercase()
        });
    let (rows, total) = repo::list(
        state.db.pool(),
        workspace_id,
        query,
        search_key.as_deref(),
        now,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| to_view(row, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TokenPage {
        items,
        total,
        limit: query.effective_limit(),
        offset: query.effective_offset(),
    })
}

/// One token of the workspace; another workspace's token is "not found".
#[tracing::instrument(name = "tokens.get", skip(state))]
pub async fn get(state: &AppState, workspace_id: &str, id: &str) -> Result<TokenView, AppError> {
    let row = load(state.db.pool(), workspace_id, id).await?;
    to_view(row, now_ms())
}

/// Replaces the token's key id and secret, keeping record, name, scope, expiry and usage. The
/// old value stops working at once, or when the grace period ends.
#[tracing::instrument(name = "tokens.regenerate", skip(state, actor))]
pub async fn regenerate(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
    grace: GracePeriod,
) -> Result<CreatedToken, AppError> {
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    let Transition::Regenerate { status } = decide(&row, TokenAction::Regenerate, now)? else {
        return Err(unexpected_transition());
    };
    let (old_key_id, old_hash) = repo::find_current_credentials(pool, workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;

    let generated = generate_token();
    let new_hash = state
        .hasher
        .hash(generated.secret.expose().to_owned())
        .await?;
    let previous = match grace {
        GracePeriod::None => None,
        grace => Some((old_key_id.as_str(), old_hash.as_str(), now + grace.millis())),
    };
    let change = Regeneration {
        new_key_id: generated.key_id.as_str(),
        new_secret_hash: &new_hash,
        old_key_id: &old_key_id,
        status,
        previous,
        now,
    };

    // The key ids being replaced, including an older grace key the write drops. Read before
    // the transaction (a read-then-write SQLite transaction can fail to upgrade its lock);
    // the write's guard on the old key id refuses it if they changed meanwhile.
    let mut changed_keys = current_key_ids(pool, workspace_id, id).await?;
    let mut tx = pool.begin().await?;
    if !repo::regenerate(&mut tx, workspace_id, id, &change).await? {
        tx.rollback().await?;
        return Err(refusal_after_race(pool, workspace_id, id, TokenAction::Regenerate).await);
    }
    changed_keys.push(generated.key_id.as_str().to_owned());
    let change = Change {
        workspace_id,
        actor,
        id,
        name: &row.name,
    };
    let view = commit_change(state, tx, &change, "token.regenerated", &changed_keys).await?;
    tracing::info!(token_id = %id, ?grace, "token regenerated");
    Ok(CreatedToken {
        token: to_view(view, now)?,
        plaintext: generated.plaintext.into_string(),
    })
}

/// Ends a regeneration's grace period now: the replaced value stops working at once, here
/// and (through the announcement) on every other instance.
#[tracing::instrument(name = "tokens.end_grace", skip(state, actor))]
pub async fn end_grace(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
) -> Result<TokenView, AppError> {
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    let no_grace =
        || AppError::Conflict("The previous value of this token no longer works.".into());
    if row.previous_valid_until.is_none_or(|until| until <= now) {
        return Err(no_grace());
    }
    let changed_keys = current_key_ids(pool, workspace_id, id).await?;
    let Some(previous) = changed_keys.get(1).cloned() else {
        return Err(no_grace());
    };
    let mut tx = pool.begin().await?;
    if !repo::end_grace(&mut tx, workspace_id, id, &previous, now).await? {
        tx.rollback().await?;
        return Err(no_grace());
    }
    let change = Change {
        workspace_id,
        actor,
        id,
        name: &row.name,
    };
    let view = commit_change(state, tx, &change, "token.grace_ended", &changed_keys).await?;
    tracing::info!(token_id = %id, "token grace period ended");
    to_view(view, now)
}

/// Active → suspended: the token stops authenticating until activated.
pub async fn suspend(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
) -> Result<TokenView, AppError> {
    change_status(state, workspace_id, actor, id, TokenAction::Suspend).await
}

/// Suspended (and not expired) → active.
pub async fn activate(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
) -> Result<TokenView, AppError> {
    change_status(state, workspace_id, actor, id, TokenAction::Activate).await
}

/// Active, suspended or expired → revoked, for good.
pub async fn revoke(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
) -> Result<TokenView, AppError> {
    change_status(state, workspace_id, actor, id, TokenAction::Revoke).await
}

#[tracing::instrument(name = "tokens.change_status", skip(state, actor))]
async fn change_status(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
    action: TokenAction,
) -> Result<TokenView, AppError> {
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    let Transition::ChangeStatus { from, to } = decide(&row, action, now)? else {
        return Err(unexpected_transition());
    };
    let mut tx = pool.begin().await?;
    if !repo::change_status(&mut tx, workspace_id, id, from, to, now).await? {
        tx.rollback().await?;
        return Err(refusal_after_race(pool, workspace_id, id, action).await);
    }
    let changed_keys = current_key_ids(&mut *tx, workspace_id, id).await?;
    let audit_action = match to {
        TokenStatus::Active => "token.activated",
        TokenStatus::Suspended => "token.suspended",
        TokenStatus::Revoked => "token.revoked",
    };
    let change = Change {
        workspace_id,
        actor,
        id,
        name: &row.name,
    };
    let view = commit_change(state, tx, &change, audit_action, &changed_keys).await?;
    tracing::info!(token_id = %id, status = %to, "token status changed");
    to_view(view, now)
}

/// Removes a revoked token; the audit log keeps its history.
#[tracing::instrument(name = "tokens.delete", skip(state, actor))]
pub async fn delete(
    state: &AppState,
    workspace_id: &str,
    actor: &Actor,
    id: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    decide(&row, TokenAction::Delete, now)?;
    // A revoked token's key ids cannot change any more; read them before the transaction.
    let changed_keys = current_key_ids(pool, workspace_id, id).await?;
    let mut tx = pool.begin().await?;
    if !repo::delete_revoked(&mut tx, workspace_id, id).await? {
        tx.rollback().await?;
        return Err(refusal_after_race(pool, workspace_id, id, TokenAction::Delete).await);
    }
    record(
        &mut tx,
        workspace_id,
        actor,
        "token.deleted",
        Some(target(id, &row.name)),
    )
    .await?;
    announce(&mut tx, &changed_keys).await?;
    tx.commit().await?;
    state
        .bearer
        .invalidate(changed_keys.iter().map(String::as_str));
    tracing::info!(token_id = %id, "token deleted");
    Ok(())
}

/// Calls per UTC day over the last [`USAGE_DAYS`] days (oldest first, today last), with zeros
/// for days without calls.
#[tracing::instrument(name = "tokens.usage", skip(state))]
pub async fn usage(
    state: &AppState,
    workspace_id: &str,
    id: &str,
    now: i64,
) -> Result<Vec<UsageDay>, AppError> {
    let pool = state.db.pool();
    load(pool, workspace_id, id).await?;
    let today = now.div_euclid(DAY_MS);
    let first = today - (USAGE_DAYS - 1);
    let counted = repo::usage_days(pool, id, first, today).await?;
    Ok((first..=today)
        .map(|day| UsageDay {
            day,
            calls: counted
                .iter()
                .find(|(counted_day, _)| *counted_day == day)
                .map_or(0, |(_, calls)| *calls),
        })
        .collect())
}

/// Revokes, each with an audit event, every token of the workspace still usable and scoped to
/// the environment and/or agent given; returns how many. Call it in the transaction that
/// deletes the environment or agent, and after that commits call
/// `state.bearer.invalidate_all()` so this instance's token cache forgets them (other
/// instances hear it from the announcement made here). With neither given it does nothing.
pub async fn revoke_scoped_to(
    conn: &mut AnyConnection,
    workspace_id: &str,
    environment_id: Option<&str>,
    agent_id: Option<&str>,
    actor: &Actor,
) -> Result<u64, AppError> {
    if environment_id.is_none() && agent_id.is_none() {
        return Ok(0);
    }
    let revoked =
        repo::revoke_scoped_to(conn, workspace_id, environment_id, agent_id, now_ms()).await?;
    if !revoked.is_empty() {
        crate::bearer::changes::announce(conn, &[crate::bearer::changes::EVERY_TOKEN]).await?;
    }
    for (id, name) in &revoked {
        record(
            conn,
            workspace_id,
            actor,
            "token.revoked",
            Some(target(id, name)),
        )
        .await?;
    }
    Ok(revoked.len() as u64)
}

// ---------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------

/// Who a valid token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub workspace_id: String,
    pub token_id: String,
    pub token_name: String,
    pub scope: TokenScope,
}

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

/// Checks a presented token against the database: shape and checksum first (no I/O for a
/// malformed token), then the key id (current, or previous during a grace period), one argon2
/// verify, then status, expiry and scope. A pure function of the database: nothing is cached
/// (the REST API's cached path is `crate::bearer`, built from the same two rules below).
#[tracing::instrument(name = "tokens.authenticate", skip_all)]
pub async fn authenticate(
    pool: &AnyPool,
    hasher: &SecretHasher,
    token: &str,
    now: i64,
) -> Result<Principal, AuthFailure> {
    let parsed = parse_token(token).map_err(AuthFailure::Malformed)?;
    let key_id = parsed.key_id.as_str();
    let candidates = repo::find_by_key(pool, key_id).await.map_err(|error| {
        tracing::error!(%error, "token lookup failed");
        AuthFailure::Internal
    })?;
    // No decoy argon2 for an unknown key id: a key id is an identifier, not a secret (like a
    // user name), and spending 19 MiB on every made-up one would hand out free CPU.
    let (row, hash) = credential_for(&candidates, key_id, now).ok_or(AuthFailure::UnknownKey)?;
    let verified = hasher
        .verify(parsed.secret.expose().to_owned(), Some(hash.to_owned()))
        .await
        .map_err(|_| AuthFailure::Internal)?;
    if !verified {
        return Err(AuthFailure::WrongSecret);
    }
    admit(row, now)
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
pub fn admit(row: &TokenAuthRow, now: i64) -> Result<Principal, AuthFailure> {
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
    Ok(Principal {
        workspace_id: row.workspace_id.clone(),
        token_id: row.id.clone(),
        token_name: row.name.clone(),
        scope,
    })
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The key ids a token answers to now (current and, if any, previous).
async fn current_key_ids<'e, E>(
    executor: E,
    workspace_id: &str,
    id: &str,
) -> Result<Vec<String>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(match repo::key_ids(executor, workspace_id, id).await? {
        Some((key_id, previous)) => std::iter::once(key_id).chain(previous).collect(),
        None => Vec::new(),
    })
}

/// The token a guarded write just changed, and who changed it.
struct Change<'a> {
    workspace_id: &'a str,
    actor: &'a Actor,
    id: &'a str,
    name: &'a str,
}

/// What every change to a token's credentials or status does after its guarded write, in one
/// order: announce the changed key ids to other instances, write the audit event, read the
/// token back, commit, and only then drop this instance's cached logins for those keys.
async fn commit_change(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    change: &Change<'_>,
    audit_action: &str,
    changed_keys: &[String],
) -> Result<TokenViewRow, AppError> {
    announce(&mut tx, changed_keys).await?;
    record(
        &mut tx,
        change.workspace_id,
        change.actor,
        audit_action,
        Some(target(change.id, change.name)),
    )
    .await?;
    let view = repo::find_view(&mut *tx, change.workspace_id, change.id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    state
        .bearer
        .invalidate(changed_keys.iter().map(String::as_str));
    Ok(view)
}

/// Tells the other instances, on commit, that these key ids changed.
async fn announce(conn: &mut AnyConnection, key_ids: &[String]) -> Result<(), AppError> {
    let key_ids: Vec<&str> = key_ids.iter().map(String::as_str).collect();
    Ok(crate::bearer::changes::announce(conn, &key_ids).await?)
}

async fn load(pool: &AnyPool, workspace_id: &str, id: &str) -> Result<TokenViewRow, AppError> {
    repo::find_view(pool, workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn stored_status(row: &TokenViewRow) -> Result<TokenStatus, AppError> {
    TokenStatus::parse(&row.status).map_err(|error| {
        tracing::error!(token_id = %row.id, %error, "corrupt token status");
        AppError::Internal
    })
}

/// The domain's verdict on `action` for this row; a refusal is a 409 with its message.
fn decide(row: &TokenViewRow, action: TokenAction, now: i64) -> Result<Transition, AppError> {
    transition(stored_status(row)?, row.expires_at, now, action)
        .map_err(|refusal| AppError::Conflict(refusal.message()))
}

fn unexpected_transition() -> AppError {
    tracing::error!("the lifecycle table answered an action with another action's transition");
    AppError::Internal
}

/// After a guarded write found the row changed: re-read it and explain, as if the request had
/// arrived a moment later.
async fn refusal_after_race(
    pool: &AnyPool,
    workspace_id: &str,
    id: &str,
    action: TokenAction,
) -> AppError {
    let row = match load(pool, workspace_id, id).await {
        Ok(row) => row,
        Err(error) => return error,
    };
    match decide(&row, action, now_ms()) {
        Err(refusal) => refusal,
        // Allowed again (say, regenerated by someone else meanwhile): still not this request's
        // to overwrite blindly.
        Ok(_) => AppError::Conflict(
            "Someone else changed this token at the same moment. Reload and try again.".into(),
        ),
    }
}

/// The label shown for a scope whose environment or agent has been deleted.
const DELETED: &str = "deleted";

fn to_view(row: TokenViewRow, now: i64) -> Result<TokenView, AppError> {
    let stored = stored_status(&row)?;
    let kind = TokenScopeKind::parse(&row.scope_kind).ok_or_else(|| {
        tracing::error!(token_id = %row.id, scope_kind = %row.scope_kind, "corrupt token scope");
        AppError::Internal
    })?;
    let environment_name = row
        .environment_name
        .as_deref()
        .or(row.environment_id.is_none().then_some(DELETED));
    let agent_name = row
        .agent_name
        .as_deref()
        .or(row.agent_id.is_none().then_some(DELETED));
    let scope = match kind {
        TokenScopeKind::Account => TokenScope::Account,
        TokenScopeKind::Environment => TokenScope::Environment {
            environment_id: row.environment_id.clone().unwrap_or_default(),
        },
        TokenScopeKind::Deployment => TokenScope::Deployment {
            agent_id: row.agent_id.clone().unwrap_or_default(),
            environment_id: row.environment_id.clone().unwrap_or_default(),
        },
    };
    let scope_label = scope_label(&scope, environment_name, agent_name);
    let prefix = token_prefix(&format!("{TOKEN_PREFIX}{}", row.key_id)).to_owned();
    let status = effective_status(stored, row.expires_at, now);
    // A replaced value works only while the token itself does (active, not expired).
    let previous_valid_until_ms = row
        .previous_valid_until
        .filter(|until| *until > now && status == EffectiveStatus::Active);
    Ok(TokenView {
        status,
        previous_valid_until_ms,
        id: row.id,
        name: row.name,
        prefix,
        scope,
        scope_label,
        created_at_ms: row.created_at,
        expires_at_ms: row.expires_at,
        last_used_at_ms: row.last_used_at,
        usage_count: row.usage_count,
        created_by: row.created_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_parts_become_scopes() {
        assert_eq!(scope_from_parts(None, None, None), Ok(TokenScope::Account));
        assert_eq!(
            scope_from_parts(Some(TokenScopeKind::Account), Some("e".into()), None),
            Ok(TokenScope::Account)
        );
        assert_eq!(
            scope_from_parts(Some(TokenScopeKind::Environment), Some(" e1 ".into()), None),
            Ok(TokenScope::Environment {
                environment_id: "e1".into()
            })
        );
        assert_eq!(
            scope_from_parts(
                Some(TokenScopeKind::Deployment),
                Some("e1".into()),
                Some("a1".into())
            ),
            Ok(TokenScope::Deployment {
                agent_id: "a1".into(),
                environment_id: "e1".into()
            })
        );
        let missing = scope_from_parts(Some(TokenScopeKind::Deployment), Some("  ".into()), None)
            .unwrap_err();
        assert!(missing.field_messages("environment_id").is_some());
        assert!(missing.field_messages("agent_id").is_some());
    }

    #[test]
    fn auth_failures_never_quote_the_token() {
        let failure = AuthFailure::Malformed(TokenFormatError::ChecksumMismatch);
        assert!(!failure.to_string().contains("tsr_"));
    }
}
