//! Who is using the app, for every page: the session resource, the gate that decides between
//! setup, sign-in and the app itself, and the signed-in user's context.
//!
//! The gate renders in place instead of redirecting: while no user exists every address shows
//! setup, a signed-out visitor sees sign-in at the address they asked for, and once signed in
//! that same address renders. Sign-in and sign-out refetch the session; nothing else does, so
//! a change such as renaming the workspace updates [`UserContext`] without remounting pages.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::auth::components::{SetupPage, SignInPage};
use crate::auth::model::{CurrentUser, SessionState};
use crate::auth::server_fns::get_session_state;
use crate::error::AppError;
use crate::navbar::Navbar;
use crate::ui::LoadError;

/// The session as the server last described it.
#[derive(Clone, Copy)]
pub struct Session {
    pub state: Resource<Result<SessionState, AppError>>,
}

impl Session {
    /// Asks the server again; call after signing in, signing out or setting up.
    pub fn refresh(&self) {
        self.state.refetch();
    }
}

pub fn provide_session() {
    let state = Resource::new(|| (), |_| get_session_state());
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

/// The parent of every page that needs a signed-in member.
#[component]
pub fn SessionGate() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=|| view! { <p class="page muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.state.await {
                    Ok(SessionState::NeedsSetup) => view! { <SetupPage /> }.into_any(),
                    Ok(SessionState::SignedOut) => view! { <SignInPage /> }.into_any(),
                    Ok(SessionState::SignedIn(user)) => view! { <SignedIn user /> }.into_any(),
                    Err(error) => view! { <SessionProblem error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedIn(user: CurrentUser) -> impl IntoView {
    provide_context(UserContext(RwSignal::new(user)));
    view! {
        <Navbar />
        <main class="page" id="main">
            <Outlet />
        </main>
    }
}

#[component]
fn SessionProblem(error: AppError) -> impl IntoView {
    let session = use_session();
    view! {
        <main class="page">
            <section class="card narrow">
                <h1>"Tessera is unavailable"</h1>
                <LoadError error />
                <button type="button" on:click=move |_| session.refresh()>"Try again"</button>
            </section>
        </main>
    }
}
