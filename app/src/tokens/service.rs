//! Token operations for both doors (server functions and REST): create, list, get, regenerate,
//! suspend, activate, revoke, delete, narrow permissions, usage. Every function takes the
//! caller's principal and asks the policy first; every change is one guarded write plus its
//! audit event in one transaction, followed by its cache invalidation. The rules come from
//! `domain`; authenticating a presented token is `crate::bearer`'s.

use sqlx::{AnyConnection, AnyPool};

use crate::access::policy::{effective, scope_covers};
use crate::access::{authorize, Action, Actor, Permissions, Principal, Resource, Target};
use crate::audit::model::Target as AuditTarget;
use crate::audit::record;
use crate::clock::{new_id, now_ms, DAY_MS};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::tokens::domain::{
    effective_status, generate_token, permissions_from_stored, scope_label, token_prefix,
    transition, validate_expiry, TokenName, Transition, TOKEN_PREFIX,
};
use crate::tokens::model::{
    CreatedToken, EffectiveStatus, GracePeriod, TokenAction, TokenPage, TokenQuery, TokenScope,
    TokenScopeKind, TokenStatus, TokenView, UsageDay,
};
use crate::tokens::repo::{self, NewTokenRow, Regeneration, ScopeOwner, TokenViewRow};

const READ: Action = Action::read(Resource::Tokens);
const WRITE: Action = Action::write(Resource::Tokens);

/// How many days `usage` reports, today included.
pub const USAGE_DAYS: i64 = 30;

/// A create request as the doors receive it; [`create`] parses and checks it.
#[derive(Debug, Clone)]
pub struct CreateTokenInput {
    pub name: String,
    pub scope: TokenScope,
    pub expires_at_ms: Option<i64>,
    /// `None` means full access within the scope.
    pub permissions: Option<Permissions>,
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

/// Creates an active token and returns it with its plaintext, the only time it is shown. A
/// token creating one can give it neither a wider scope nor a higher permission than its own.
#[tracing::instrument(name = "tokens.create", skip_all)]
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: CreateTokenInput,
) -> Result<CreatedToken, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let permissions = input.permissions.unwrap_or_else(Permissions::full);
    refuse_escalation(principal, &input.scope, &permissions)?;
    let workspace_id = principal.workspace_id.as_str();
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
    let encoded_permissions = permissions.encode();
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
        permissions: &encoded_permissions,
        created_by: &principal.label,
        created_by_id: principal.user_id(),
        now,
    };

    let mut tx = state.db.begin_write().await?;
    repo::insert(&mut tx, &row)
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "tokens", "token"))?;
    record(
        &mut tx,
        principal,
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

/// A token's grant must stay within the creating token's own scope and effective permissions.
fn refuse_escalation(
    principal: &Principal,
    scope: &TokenScope,
    permissions: &Permissions,
) -> Result<(), AppError> {
    let Actor::Token {
        scope: own_scope,
        permissions: own_permissions,
        ..
    } = &principal.actor
    else {
        return Ok(());
    };
    if !scope_covers(own_scope, scope) {
        return Err(AppError::InsufficientScope {
            required: format!("scope:{}", scope.kind().as_str()),
        });
    }
    match permissions.first_excess(&effective(own_scope, own_permissions)) {
        Some(excess) => Err(AppError::InsufficientScope {
            required: excess.to_string(),
        }),
        None => Ok(()),
    }
}

fn target<'a>(id: &'a str, name: &'a str) -> AuditTarget<'a> {
    AuditTarget {
        kind: "token",
        id,
        label: name,
    }
}

/// One page of the workspace's tokens.
#[tracing::instrument(name = "tokens.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: &TokenQuery,
) -> Result<TokenPage, AppError> {
    authorize(principal, READ, Target::Any)?;
    let workspace_id = principal.workspace_id.as_str();
    let now = now_ms();
    let search_key = crate::paging::search_key(query.search.as_deref());
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
#[tracing::instrument(name = "tokens.get", skip(state, principal))]
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<TokenView, AppError> {
    authorize(principal, READ, Target::Any)?;
    let row = load(state.db.pool(), &principal.workspace_id, id).await?;
    to_view(row, now_ms())
}

/// Replaces the token's key id and secret, keeping record, name, scope, expiry and usage. The
/// old value stops working at once, or when the grace period ends.
#[tracing::instrument(name = "tokens.regenerate", skip(state, principal))]
pub async fn regenerate(
    state: &AppState,
    principal: &Principal,
    id: &str,
    grace: GracePeriod,
) -> Result<CreatedToken, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = principal.workspace_id.as_str();
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
    let mut tx = state.db.begin_write().await?;
    if !repo::regenerate(&mut tx, workspace_id, id, &change).await? {
        tx.rollback().await?;
        return Err(refusal_after_race(pool, workspace_id, id, TokenAction::Regenerate).await);
    }
    changed_keys.push(generated.key_id.as_str().to_owned());
    let change = Change {
        principal,
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
#[tracing::instrument(name = "tokens.end_grace", skip(state, principal))]
pub async fn end_grace(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<TokenView, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = principal.workspace_id.as_str();
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
    let mut tx = state.db.begin_write().await?;
    if !repo::end_grace(&mut tx, workspace_id, id, &previous, now).await? {
        tx.rollback().await?;
        return Err(no_grace());
    }
    let change = Change {
        principal,
        id,
        name: &row.name,
    };
    let view = commit_change(state, tx, &change, "token.grace_ended", &changed_keys).await?;
    tracing::info!(token_id = %id, "token grace period ended");
    to_view(view, now)
}

/// Lowers what a token may do; never raises it (create a new token for that). A revoked token
/// cannot change any more. Takes effect on the token's next request, here and (through the
/// announcement) on every other instance.
#[tracing::instrument(name = "tokens.narrow", skip(state, principal, permissions))]
pub async fn narrow(
    state: &AppState,
    principal: &Principal,
    id: &str,
    permissions: Permissions,
) -> Result<TokenView, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = principal.workspace_id.as_str();
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    if stored_status(&row)? == TokenStatus::Revoked {
        return Err(AppError::Conflict(
            "This token is revoked: its permissions no longer matter.".into(),
        ));
    }
    let current = stored_permissions(&row.id, row.permissions.as_deref())?;
    if let Some(excess) = permissions.first_excess(&current) {
        return Err(AppError::field(
            "permissions",
            format!(
                "Permissions can only be narrowed: this token does not have {excess}. \
                 Create a new token for more access."
            ),
        ));
    }
    let changed_keys = current_key_ids(pool, workspace_id, id).await?;
    let mut tx = state.db.begin_write().await?;
    let stored = permissions.encode();
    if !repo::set_permissions(
        &mut tx,
        workspace_id,
        id,
        row.permissions.as_deref(),
        &stored,
        now,
    )
    .await?
    {
        tx.rollback().await?;
        return Err(AppError::Conflict(
            "Someone else changed this token at the same moment. Reload and try again.".into(),
        ));
    }
    let change = Change {
        principal,
        id,
        name: &row.name,
    };
    let view = commit_change(
        state,
        tx,
        &change,
        "token.permissions_narrowed",
        &changed_keys,
    )
    .await?;
    tracing::info!(token_id = %id, "token permissions narrowed");
    to_view(view, now)
}

/// Active → suspended: the token stops authenticating until activated.
pub async fn suspend(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<TokenView, AppError> {
    change_status(state, principal, id, TokenAction::Suspend).await
}

/// Suspended (and not expired) → active.
pub async fn activate(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<TokenView, AppError> {
    change_status(state, principal, id, TokenAction::Activate).await
}

/// Active, suspended or expired → revoked, for good.
pub async fn revoke(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<TokenView, AppError> {
    change_status(state, principal, id, TokenAction::Revoke).await
}

#[tracing::instrument(name = "tokens.change_status", skip(state, principal))]
async fn change_status(
    state: &AppState,
    principal: &Principal,
    id: &str,
    action: TokenAction,
) -> Result<TokenView, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = principal.workspace_id.as_str();
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    let Transition::ChangeStatus { from, to } = decide(&row, action, now)? else {
        return Err(unexpected_transition());
    };
    let mut tx = state.db.begin_write().await?;
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
        principal,
        id,
        name: &row.name,
    };
    let view = commit_change(state, tx, &change, audit_action, &changed_keys).await?;
    tracing::info!(token_id = %id, status = %to, "token status changed");
    to_view(view, now)
}

/// Removes a revoked token; the audit log keeps its history.
#[tracing::instrument(name = "tokens.delete", skip(state, principal))]
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = principal.workspace_id.as_str();
    let now = now_ms();
    let pool = state.db.pool();
    let row = load(pool, workspace_id, id).await?;
    decide(&row, TokenAction::Delete, now)?;
    // A revoked token's key ids cannot change any more; read them before the transaction.
    let changed_keys = current_key_ids(pool, workspace_id, id).await?;
    let mut tx = state.db.begin_write().await?;
    if !repo::delete_revoked(&mut tx, workspace_id, id).await? {
        tx.rollback().await?;
        return Err(refusal_after_race(pool, workspace_id, id, TokenAction::Delete).await);
    }
    record(
        &mut tx,
        principal,
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
#[tracing::instrument(name = "tokens.usage", skip(state, principal))]
pub async fn usage(
    state: &AppState,
    principal: &Principal,
    id: &str,
    now: i64,
) -> Result<Vec<UsageDay>, AppError> {
    authorize(principal, READ, Target::Any)?;
    let pool = state.db.pool();
    load(pool, &principal.workspace_id, id).await?;
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

/// Deletes an environment or an agent with what goes with it, in one transaction: every token
/// scoped to it still usable is revoked (each with its audit event, announced to the other
/// instances), the row is deleted and the deletion audited as `<kind>.deleted`; after the
/// commit this instance's token cache forgets them. The caller has asked the policy.
pub(crate) async fn delete_scope_owner(
    state: &AppState,
    principal: &Principal,
    owner: ScopeOwner<'_>,
    kind: &'static str,
) -> Result<(), AppError> {
    let workspace_id = principal.workspace_id.as_str();
    let (environment_id, agent_id) = match owner {
        ScopeOwner::Environment(id) => (Some(id), None),
        ScopeOwner::Agent(id) => (None, Some(id)),
    };
    let mut tx = state.db.begin_write().await?;
    // Revoke first: deleting the row nulls the tokens' reference to it (ON DELETE SET NULL).
    // A missing row revokes nothing, and the NotFound below rolls the transaction back.
    let revoked =
        repo::revoke_scoped_to(&mut tx, workspace_id, environment_id, agent_id, now_ms()).await?;
    if !revoked.is_empty() {
        crate::bearer::changes::announce(&mut tx, &[crate::bearer::changes::EVERY_TOKEN]).await?;
    }
    for (id, name) in &revoked {
        record(&mut tx, principal, "token.revoked", Some(target(id, name))).await?;
    }
    let name = repo::delete_scope_owner(&mut tx, workspace_id, owner)
        .await?
        .ok_or(AppError::NotFound)?;
    let deleted = AuditTarget {
        kind,
        id: owner.id(),
        label: &name,
    };
    record(
        &mut tx,
        principal,
        &format!("{kind}.deleted"),
        Some(deleted),
    )
    .await?;
    tx.commit().await?;
    state.bearer.invalidate_all();
    tracing::info!(owner = ?owner, revoked = revoked.len(), "scope owner deleted");
    Ok(())
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
    principal: &'a Principal,
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
        change.principal,
        audit_action,
        Some(target(change.id, change.name)),
    )
    .await?;
    let view = repo::find_view(&mut *tx, &change.principal.workspace_id, change.id)
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
    let permissions = stored_permissions(&row.id, row.permissions.as_deref())?;
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
        permissions,
    })
}

fn stored_permissions(token_id: &str, stored: Option<&str>) -> Result<Permissions, AppError> {
    permissions_from_stored(stored).ok_or_else(|| {
        tracing::error!(%token_id, "corrupt token permissions");
        AppError::Internal
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
}
