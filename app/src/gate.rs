//! The parent of every page that needs a signed-in member: it decides between setup, sign-in
//! and the app itself from the session (`session`).
//!
//! It renders in place instead of redirecting: while no user exists every address shows
//! setup, a signed-out visitor sees sign-in at the address they asked for, and once signed in
//! that same address renders.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::auth::components::{SetupPage, SignInPage};
use crate::auth::model::{CurrentUser, SessionState};
use crate::error::AppError;
use crate::navbar::Navbar;
use crate::session::{use_session, UserContext};
use crate::ui::LoadError;

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
