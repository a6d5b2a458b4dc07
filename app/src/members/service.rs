//! Members, invites and the workspace name (people only, in the browser's settings): the
//! policy first, then the finer role rules of `domain`, transactions and the audit events
//! that go with every change. Membership changes lock the workspace row first, so the
//! last-owner rule and the caller's own role are checked against committed state.

use crate::access::{authorize, Action, Op, Principal, Target as Reachable};
use crate::audit::model::Target;
use crate::audit::record;
use crate::auth::domain::{parse_email, parse_name, parse_new_password, MAX_PASSWORD_CHARS};
use crate::auth::model::Role;
use crate::auth::rate_limit::addr_text_key;
use crate::auth::repo::{self as auth_repo, UserRow};
use crate::auth::sessions;
use crate::clock::{new_id, now_ms};
use crate::crypto::{random_code, sha256_hex};
use crate::error::{AppError, FieldErrors};
use crate::members::domain::{
    self, invite_link_path, parse_invite_role, ALREADY_JOINED, ALREADY_MEMBER,
    EXISTING_ACCOUNT_PASSWORD, INVITE_CODE_BYTES, INVITE_TTL_MS, LAST_OWNER_DEMOTE,
    LAST_OWNER_REMOVE,
};
use crate::members::model::{CreatedInvite, InvitePreview, InviteView, MemberView, WorkspaceView};
use crate::members::repo::{self, InviteRow, MemberRow, NewInviteRow, WorkspaceRow};
use crate::state::AppState;
use sqlx::AnyConnection;

/// Every member of the caller's workspace: owners first, then by name. Any member may read.
#[tracing::instrument(name = "members.list", skip_all)]
pub async fn list_members(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<MemberView>, AppError> {
    authorize(principal, Action::settings(Op::Read), Reachable::Any)?;
    let rows = repo::list_members(state.db.pool(), &principal.workspace_id).await?;
    let mut views = rows
        .into_iter()
        .map(|row| member_view(row, principal.actor_id()))
        .collect::<Result<Vec<_>, _>>()?;
    domain::sort_members(&mut views);
    Ok(views)
}

/// Changes a member's role. Owners only; the last owner keeps their role.
#[tracing::instrument(name = "members.change_role", skip_all, fields(user_id = %user_id))]
pub async fn change_role(
    state: &AppState,
    principal: &Principal,
    user_id: &str,
    role: Role,
) -> Result<(), AppError> {
    if !domain::may_change_roles(role_of(principal)?) {
        return Err(AppError::Forbidden);
    }
    let workspace_id = &principal.workspace_id;
    let mut tx = state.db.begin_write().await?;
    let actor_role = lock_and_reload_role(&mut tx, principal).await?;
    if !domain::may_change_roles(actor_role) {
        return Err(AppError::Forbidden);
    }
    let target = repo::find_member(&mut tx, workspace_id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = stored_role(&target.role)?;
    if current == role {
        return Ok(());
    }
    let owners = repo::count_owners(&mut tx, workspace_id).await?;
    if domain::removes_last_owner(owners, current, Some(role)) {
        return Err(AppError::Conflict(LAST_OWNER_DEMOTE.into()));
    }
    repo::set_role(&mut tx, workspace_id, user_id, role.as_str()).await?;
    let label = format!(
        "{} ({}): {} → {}",
        target.name,
        target.email,
        current.as_str(),
        role.as_str()
    );
    let target = Target {
        kind: "user",
        id: user_id,
        label: &label,
    };
    record(&mut tx, principal, "member.role_changed", Some(target)).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member from the workspace and ends their sessions in it. Owners remove anyone
/// (themselves included) except the last owner; admins remove plain members only. The user
/// account stays: it may belong to other workspaces, and the history refers to it.
#[tracing::instrument(name = "members.remove", skip_all, fields(user_id = %user_id))]
pub async fn remove(
    state: &AppState,
    principal: &Principal,
    user_id: &str,
) -> Result<(), AppError> {
    authorize(principal, Action::settings(Op::Write), Reachable::Any)?;
    let workspace_id = &principal.workspace_id;
    let mut tx = state.db.begin_write().await?;
    let actor_role = lock_and_reload_role(&mut tx, principal).await?;
    let target = repo::find_member(&mut tx, workspace_id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target_role = stored_role(&target.role)?;
    if !domain::may_remove(actor_role, target_role) {
        return Err(AppError::Forbidden);
    }
    let owners = repo::count_owners(&mut tx, workspace_id).await?;
    if domain::removes_last_owner(owners, target_role, None) {
        return Err(AppError::Conflict(LAST_OWNER_REMOVE.into()));
    }
    repo::delete_membership(&mut tx, workspace_id, user_id).await?;
    repo::delete_sessions(&mut tx, workspace_id, user_id).await?;
    let label = format!("{} ({})", target.name, target.email);
    let target = Target {
        kind: "user",
        id: user_id,
        label: &label,
    };
    record(&mut tx, principal, "member.removed", Some(target)).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates an invite for `email` with `role` (admin or member) and returns its link, once.
/// Open invites for the same email are revoked first: the newest link is the one that works,
/// so re-inviting someone whose link got lost is simply inviting them again.
#[tracing::instrument(name = "members.create_invite", skip_all)]
pub async fn create_invite(
    state: &AppState,
    principal: &Principal,
    email: &str,
    role: Role,
) -> Result<CreatedInvite, AppError> {
    if !domain::may_manage_invites(role_of(principal)?) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let email = parse_email(email)
        .map_err(|message| errors.insert("email".into(), vec![message]))
        .ok();
    let role = parse_invite_role(role)
        .map_err(|message| errors.insert("role".into(), vec![message]))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Validation(errors));
    };
    let workspace_id = &principal.workspace_id;
    if repo::email_is_member(state.db.pool(), workspace_id, &email).await? {
        return Err(AppError::field("email", ALREADY_MEMBER));
    }

    let code = random_code(INVITE_CODE_BYTES);
    let id = new_id();
    let now = now_ms();
    let expires_at = now + INVITE_TTL_MS;
    let mut tx = state.db.begin_write().await?;
    let inviter = repo::find_member(&mut tx, workspace_id, principal.actor_id())
        .await?
        .ok_or(AppError::Unauthorized)?;
    for replaced in repo::revoke_open_invites_for(&mut tx, workspace_id, &email, now).await? {
        let target = Target {
            kind: "invite",
            id: &replaced,
            label: &email,
        };
        record(&mut tx, principal, "invite.revoked", Some(target)).await?;
    }
    let row = NewInviteRow {
        id: &id,
        workspace_id,
        code_hash: &sha256_hex(&code),
        email: &email,
        role: role.as_str(),
        created_by: &inviter.user_id,
        now,
        expires_at,
    };
    repo::insert_invite(&mut tx, &row).await?;
    let label = format!("{email} as {}", role.as_str());
    let target = Target {
        kind: "invite",
        id: &id,
        label: &label,
    };
    record(&mut tx, principal, "invite.created", Some(target)).await?;
    tx.commit().await?;

    Ok(CreatedInvite {
        invite: InviteView {
            id,
            email,
            role,
            invited_by: inviter.name,
            created_at_ms: now,
            expires_at_ms: expires_at,
        },
        link_path: invite_link_path(&code),
    })
}

/// Pending invites, newest first. Invites are admin business: members get 403.
#[tracing::instrument(name = "members.list_invites", skip_all)]
pub async fn list_invites(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<InviteView>, AppError> {
    if !domain::may_manage_invites(role_of(principal)?) {
        return Err(AppError::Forbidden);
    }
    repo::list_pending_invites(state.db.pool(), &principal.workspace_id, now_ms())
        .await?
        .into_iter()
        .map(invite_view)
        .collect()
}

/// Withdraws an open invite; its link stops working at once.
#[tracing::instrument(name = "members.revoke_invite", skip_all, fields(invite_id = %invite_id))]
pub async fn revoke_invite(
    state: &AppState,
    principal: &Principal,
    invite_id: &str,
) -> Result<(), AppError> {
    if !domain::may_manage_invites(role_of(principal)?) {
        return Err(AppError::Forbidden);
    }
    let workspace_id = &principal.workspace_id;
    let mut tx = state.db.begin_write().await?;
    let email = repo::revoke_invite(&mut tx, workspace_id, invite_id, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target {
        kind: "invite",
        id: invite_id,
        label: &email,
    };
    record(&mut tx, principal, "invite.revoked", Some(target)).await?;
    tx.commit().await?;
    Ok(())
}

/// What an invite link leads to. Unknown, used, revoked and expired codes all get the same
/// bare 404, and each such answer counts against the client address's failure budget.
#[tracing::instrument(name = "members.get_invite", skip_all)]
pub async fn get_invite(
    state: &AppState,
    code: &str,
    client_addr: Option<String>,
) -> Result<InvitePreview, AppError> {
    let addr_key = client_addr
        .as_deref()
        .map(addr_text_key)
        .unwrap_or_default();
    let row = find_invite_limited(state, code, &addr_key).await?;
    Ok(InvitePreview {
        workspace_name: row.workspace_name,
        role: stored_invite_role(&row.role)?,
        email: row.email,
        expires_at_ms: row.expires_at,
    })
}

/// Accepts an invite and returns the new session's id (for the cookie only).
///
/// A new email gets a new account with `name` and `password`. If an account with the invited
/// email already exists (a member of another workspace, or someone removed earlier), `password`
/// must be that account's password and `name` is ignored: the invite adds a membership instead
/// of a second account. The code works exactly once (`repo::claim_invite`).
#[tracing::instrument(name = "members.accept_invite", skip_all)]
pub async fn accept_invite(
    state: &AppState,
    code: &str,
    name: &str,
    password: &str,
    client_addr: Option<String>,
) -> Result<String, AppError> {
    let addr_key = client_addr
        .as_deref()
        .map(addr_text_key)
        .unwrap_or_default();
    let invite = find_invite_limited(state, code, &addr_key).await?;
    let pool = state.db.pool();

    let (user, new_user) = match auth_repo::find_user_by_email(pool, &invite.email).await? {
        Some(existing) => {
            // A password checked here is a password guessed: sign-in's budgets, spent before
            // argon2 starts and given back on success.
            let mut reservation = state.sign_in_limits.reserve(&addr_key, &invite.email)?;
            let verified = if password.chars().count() <= MAX_PASSWORD_CHARS {
                let turn = state.hasher.turn().await?;
                reservation.started();
                turn.verify(password.to_owned(), Some(existing.password_hash.clone()))
                    .await?
            } else {
                reservation.started();
                false
            };
            if !verified {
                return Err(AppError::field("password", EXISTING_ACCOUNT_PASSWORD));
            }
            reservation.refund();
            (existing, false)
        }
        None => {
            let mut errors = FieldErrors::new();
            let name = parse_name(name, "Your name")
                .map_err(|message| errors.insert("name".into(), vec![message]))
                .ok();
            let password = parse_new_password(password)
                .map_err(|message| errors.insert("password".into(), vec![message]))
                .ok();
            let (Some(name), Some(password)) = (name, password) else {
                return Err(AppError::Validation(errors));
            };
            let user = UserRow {
                id: new_id(),
                email: invite.email.clone(),
                name,
                password_hash: state.hasher.hash(password).await?,
            };
            (user, true)
        }
    };

    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    // Lost a race with another acceptance (or a revocation) since the lookup above.
    let claimed = repo::claim_invite(&mut tx, &sha256_hex(code), now)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = stored_invite_role(&claimed.role)?;
    if new_user {
        match auth_repo::insert_user(&mut tx, &user, now).await {
            // Someone signed up with this email in the meantime: ask for its password.
            Err(error) if crate::db::is_unique_violation(&error) => {
                return Err(AppError::field("password", EXISTING_ACCOUNT_PASSWORD))
            }
            result => result?,
        }
    }
    match auth_repo::insert_membership(&mut tx, &claimed.workspace_id, &user.id, role, now).await {
        Err(error) if crate::db::is_unique_violation(&error) => {
            return Err(AppError::Conflict(ALREADY_JOINED.into()))
        }
        result => result?,
    }
    repo::set_accepted_by(&mut tx, &claimed.id, &user.id).await?;
    let session_id = sessions::start(&mut tx, &user.id, &claimed.workspace_id).await?;
    let newcomer = Principal::user(
        claimed.workspace_id.clone(),
        user.id.clone(),
        role,
        (&user.name, &user.email),
        client_addr,
    );
    let target = Target {
        kind: "user",
        id: &user.id,
        label: &format!("{} as {}", newcomer.label, role.as_str()),
    };
    record(&mut tx, &newcomer, "member.joined", Some(target)).await?;
    tx.commit().await?;
    Ok(session_id)
}

/// The caller's workspace. Any member may read.
#[tracing::instrument(name = "members.get_workspace", skip_all)]
pub async fn get_workspace(
    state: &AppState,
    principal: &Principal,
) -> Result<WorkspaceView, AppError> {
    authorize(principal, Action::settings(Op::Read), Reachable::Any)?;
    repo::find_workspace(state.db.pool(), &principal.workspace_id)
        .await?
        .map(workspace_view)
        .ok_or(AppError::NotFound)
}

/// Renames the caller's workspace, with the same rules as at setup. Owners and admins.
#[tracing::instrument(name = "members.rename_workspace", skip_all)]
pub async fn rename_workspace(
    state: &AppState,
    principal: &Principal,
    name: &str,
) -> Result<WorkspaceView, AppError> {
    authorize(principal, Action::settings(Op::Write), Reachable::Any)?;
    let name = parse_name(name, "Workspace name").map_err(|m| AppError::field("name", m))?;
    let workspace_id = &principal.workspace_id;
    let mut tx = state.db.begin_write().await?;
    let row = repo::rename_workspace(&mut tx, workspace_id, &name)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target {
        kind: "workspace",
        id: workspace_id,
        label: &name,
    };
    record(&mut tx, principal, "workspace.renamed", Some(target)).await?;
    tx.commit().await?;
    Ok(workspace_view(row))
}

/// Takes the workspace lock and returns the caller's role as committed now: a caller demoted
/// or removed a moment ago acts with what they are, not what their session said.
async fn lock_and_reload_role(
    conn: &mut AnyConnection,
    principal: &Principal,
) -> Result<Role, AppError> {
    let workspace_id = &principal.workspace_id;
    if !repo::lock_workspace(conn, workspace_id).await? {
        return Err(AppError::Unauthorized);
    }
    let me = repo::find_member(conn, workspace_id, principal.actor_id())
        .await?
        .ok_or(AppError::Unauthorized)?;
    stored_role(&me.role)
}

/// Looks an invite up by code under the per-address failure limit.
async fn find_invite_limited(
    state: &AppState,
    code: &str,
    addr_key: &str,
) -> Result<repo::InviteByCodeRow, AppError> {
    state.invite_limits.check(addr_key)?;
    match repo::find_pending_invite(state.db.pool(), &sha256_hex(code), now_ms()).await? {
        Some(row) => Ok(row),
        None => {
            state.invite_limits.record_failure(addr_key);
            Err(AppError::NotFound)
        }
    }
}

/// The calling person's role, as their session said; tokens manage no members.
fn role_of(principal: &Principal) -> Result<Role, AppError> {
    authorize(principal, Action::settings(Op::Read), Reachable::Any)?;
    principal.role().ok_or(AppError::Forbidden)
}

fn stored_role(text: &str) -> Result<Role, AppError> {
    Role::parse(text).ok_or_else(|| {
        tracing::error!(role = %text, "unknown stored role");
        AppError::Internal
    })
}

/// An invite's stored role, which the schema limits to admin or member.
fn stored_invite_role(text: &str) -> Result<Role, AppError> {
    stored_role(text).and_then(|role| {
        parse_invite_role(role).map_err(|_| {
            tracing::error!(role = %text, "stored invite grants ownership");
            AppError::Internal
        })
    })
}

fn member_view(row: MemberRow, you: &str) -> Result<MemberView, AppError> {
    Ok(MemberView {
        role: stored_role(&row.role)?,
        is_you: row.user_id == you,
        user_id: row.user_id,
        name: row.name,
        email: row.email,
        joined_at_ms: row.joined_at,
    })
}

fn invite_view(row: InviteRow) -> Result<InviteView, AppError> {
    Ok(InviteView {
        role: stored_invite_role(&row.role)?,
        id: row.id,
        email: row.email,
        invited_by: row.invited_by,
        created_at_ms: row.created_at,
        expires_at_ms: row.expires_at,
    })
}

fn workspace_view(row: WorkspaceRow) -> WorkspaceView {
    WorkspaceView {
        id: row.id,
        name: row.name,
        created_at_ms: row.created_at,
    }
}
