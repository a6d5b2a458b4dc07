//! Who is using the app, for every page: the session resource and the signed-in user's
//! context (the gate that decides what to show from them is `gate`).
//!
//! Sign-in and sign-out refetch the session; nothing else does, so a change such as renaming
//! the workspace updates [`UserContext`] without remounting pages.

use leptos::prelude::*;

use crate::auth::model::{CurrentUser, SessionState};
use crate::auth::server_fns::get_session_state;
use crate::error::AppError;
use crate::ui::{load, Loaded};

/// The session as the server last described it.
#[derive(Clone, Copy)]
pub struct Session {
    pub state: Loaded<Result<SessionState, AppError>>,
}

impl Session {
    /// Asks the server again; call after signing in, signing out or setting up.
    pub fn refresh(&self) {
        self.state.refetch();
    }
}

pub fn provide_session() {
    let state = load(|| (), |_| get_session_state());
    provide_context(Session { state });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The signed-in user, inside the gate. A signal so that edits (a new workspace name) show
/// everywhere at once.
#[derive(Clone, Copy)]
pub struct UserContext(pub RwSignal<CurrentUser>);

impl UserContext {
    pub fn can_write(&self) -> bool {
        self.0.with(|user| user.can_write())
    }
}

pub fn use_user() -> UserContext {
    expect_context::<UserContext>()
}
