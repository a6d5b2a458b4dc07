//! First-run setup, sign-in and sign-out.

use crate::access::Principal;
use crate::audit::model::Target;
use crate::audit::record;
use crate::auth::domain::{
    parse_email, parse_name, parse_new_password, MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS,
};
use crate::auth::model::{CurrentUser, Role, SessionState};
use crate::auth::rate_limit::addr_text_key;
use crate::auth::repo::{self, UserRow};
use crate::auth::sessions;
use crate::clock::{new_id, now_ms};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;

pub struct SetupInput {
    pub workspace_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// A new session: who it is for, and the id that goes into the cookie.
pub struct SignedIn {
    pub user: CurrentUser,
    pub session_id: String,
}

pub const INVALID_CREDENTIALS: &str = "Invalid email or password.";

pub async fn session_state(
    state: &AppState,
    session_id: Option<&str>,
) -> Result<SessionState, AppError> {
    if let Some(session_id) = session_id {
        if let Some((user, _)) = sessions::resolve(state, session_id).await? {
            return Ok(SessionState::SignedIn(user));
        }
    }
    if repo::installation_done(state.db.pool()).await? {
        Ok(SessionState::SignedOut)
    } else {
        Ok(SessionState::NeedsSetup)
    }
}

/// Creates the first workspace and its owner, and signs the owner in. Works exactly once.
pub async fn setup(
    state: &AppState,
    input: SetupInput,
    client_addr: Option<String>,
) -> Result<SignedIn, AppError> {
    if repo::installation_done(state.db.pool()).await? {
        return Err(already_set_up());
    }
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, result: Result<String, String>| match result {
        Ok(value) => value,
        Err(message) => {
            errors.entry(field.to_owned()).or_default().push(message);
            String::new()
        }
    };
    let workspace_name = check(
        "workspace_name",
        parse_name(&input.workspace_name, "Workspace name"),
    );
    let name = check("name", parse_name(&input.name, "Your name"));
    let email = check("email", parse_email(&input.email));
    let password = check("password", parse_new_password(&input.password));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let password_hash = state.hasher.hash(password).await?;
    let now = now_ms();
    let user = UserRow {
        id: new_id(),
        email,
        name,
        password_hash,
    };
    let workspace_id = new_id();

    let mut tx = state.db.begin_write().await?;
    // The installation row is the guard: a concurrent second setup fails on its primary key.
    match repo::insert_installation(&mut tx, now).await {
        Err(error) if crate::db::is_unique_violation(&error) => return Err(already_set_up()),
        result => result?,
    }
    repo::insert_workspace(&mut tx, &workspace_id, &workspace_name, now).await?;
    repo::insert_user(&mut tx, &user, now).await?;
    repo::insert_membership(&mut tx, &workspace_id, &user.id, Role::Owner, now).await?;
    let session_id = sessions::start(&mut tx, &user.id, &workspace_id).await?;
    let owner = Principal::user(
        workspace_id.clone(),
        user.id.clone(),
        Role::Owner,
        (&user.name, &user.email),
        client_addr,
    );
    let target = Target {
        kind: "workspace",
        id: &workspace_id,
        label: &workspace_name,
    };
    record(&mut tx, &owner, "workspace.created", Some(target)).await?;
    tx.commit().await?;

    Ok(SignedIn {
        user: CurrentUser {
            user_id: user.id,
            name: user.name,
            email: user.email,
            workspace_id,
            workspace_name,
            role: Role::Owner,
        },
        session_id,
    })
}

/// Verifies the password (same answer and comparable time whether or not the email exists),
/// limits failures per address and per email, and starts a session.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client_addr: Option<String>,
) -> Result<SignedIn, AppError> {
    let email = email.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL_CHARS {
        // No account has such an address: nothing to look up, hash or remember.
        return Err(AppError::Conflict(INVALID_CREDENTIALS.into()));
    }
    let addr_key = client_addr
        .as_deref()
        .map(addr_text_key)
        .unwrap_or_default();
    // The failures are spent before argon2 starts, so concurrent attempts cannot all pass a
    // check that none has paid yet; a correct password gets them back. Only the address's
    // own budgets are spent: a guesser elsewhere cannot lock this account's owner out.
    let mut reservation = state.sign_in_limits.reserve(&addr_key, &email)?;

    let user = if password.chars().count() > MAX_PASSWORD_CHARS {
        None
    } else {
        repo::find_user_by_email(state.db.pool(), &email).await?
    };
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let turn = state.hasher.turn().await?;
    reservation.started();
    let verified = turn.verify(password.to_owned(), phc).await?;
    let (Some(user), true) = (user, verified) else {
        // The reservation drops here, spent.
        return Err(AppError::Conflict(INVALID_CREDENTIALS.into()));
    };
    reservation.refund();

    let Some((workspace_id, role)) = repo::first_workspace_of(state.db.pool(), &user.id).await?
    else {
        // A user without a workspace (all memberships removed) cannot do anything here.
        return Err(AppError::Conflict(INVALID_CREDENTIALS.into()));
    };
    let role = Role::parse(&role).ok_or_else(|| {
        tracing::error!(%role, "unknown stored role");
        AppError::Internal
    })?;
    sessions::sweep(state.db.pool()).await?;
    let mut tx = state.db.begin_write().await?;
    let session_id = sessions::start(&mut tx, &user.id, &workspace_id).await?;
    let person = Principal::user(
        workspace_id,
        user.id.clone(),
        role,
        (&user.name, &user.email),
        client_addr,
    );
    record(&mut tx, &person, "user.signed_in", None).await?;
    tx.commit().await?;

    let user = sessions::resolve(state, &session_id)
        .await?
        .map(|(user, _)| user)
        .ok_or(AppError::Internal)?;
    Ok(SignedIn { user, session_id })
}

/// Ends the session whose stored hash is `session_hash`, the principal's own.
pub async fn sign_out(
    state: &AppState,
    principal: &Principal,
    session_hash: &str,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    record(&mut tx, principal, "user.signed_out", None).await?;
    tx.commit().await?;
    repo::delete_session(state.db.pool(), session_hash).await?;
    Ok(())
}

fn already_set_up() -> AppError {
    AppError::Conflict("Tessera is already set up. Sign in instead.".into())
}
