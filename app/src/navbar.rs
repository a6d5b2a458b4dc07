//! The bar at the top of every signed-in page: workspace name, Agents, Knowledge base, the
//! settings gear and the user menu with sign-out.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::server_fns::sign_out;
use crate::session::{use_session, use_user};
use crate::ui::ErrorAlert;

#[component]
pub fn Navbar() -> impl IntoView {
    let user = use_user();
    let workspace_name = move || user.0.with(|u| u.workspace_name.clone());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="navbar">
            <nav class="navbar-inner" aria-label="Main">
                <A href="/agents" attr:class="brand">
                    <img src="/favicon.svg" alt="" width="22" height="22" />
                    <span class="workspace-name" data-testid="workspace-name">{workspace_name}</span>
                </A>
                <A href="/agents" attr:class="nav-link">"Agents"</A>
                <A href="/knowledge-base" attr:class="nav-link">"Knowledge base"</A>
                <A href="/assistant" attr:class="nav-link">"Assistant"</A>
                <span class="spacer"></span>
                <A href="/settings/general" attr:class="icon-link" attr:aria-label="Workspace settings" attr:title="Workspace settings">
                    <GearIcon />
                </A>
                <UserMenu />
            </nav>
        </header>
    }
}

#[component]
fn UserMenu() -> impl IntoView {
    let user = use_user();
    let session = use_session();
    let signing_out = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if let Some(Ok(())) = signing_out.value().get() {
            session.refresh();
        }
    });
    let failure = Signal::derive(move || match signing_out.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    });
    // A `<details>` opens and closes by itself; Escape and focus moving elsewhere close it too,
    // as people expect of a menu.
    let menu_ref = NodeRef::<leptos::html::Details>::new();
    let close_menu = move |refocus: bool| {
        if let Some(details) = menu_ref.get_untracked() {
            if details.open() {
                details.set_open(false);
                if refocus {
                    crate::ui::browser::focus_by_id("account-menu-button");
                }
            }
        }
    };
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            close_menu(true);
        }
    };
    let on_focusout = move |event: leptos::ev::FocusEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let next = event
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = menu_ref
                .get_untracked()
                .is_some_and(|details| next.is_some() && details.contains(next.as_ref()));
            if !inside {
                close_menu(false);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    let initial = move || {
        user.0.with(|u| {
            u.name
                .chars()
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default()
        })
    };
    view! {
        <details class="menu user-menu" node_ref=menu_ref on:keydown=on_keydown on:focusout=on_focusout>
            <summary id="account-menu-button" aria-label="Account menu" class="avatar">{initial}</summary>
            <div class="menu-panel" role="group" aria-label="Account">
                <p class="menu-identity">
                    <strong>{move || user.0.with(|u| u.name.clone())}</strong>
                    <span class="muted">{move || user.0.with(|u| u.email.clone())}</span>
                    <span class="badge badge-neutral">{move || user.0.with(|u| u.role.label())}</span>
                </p>
                <ErrorAlert message=failure />
                <button
                    type="button"
                    class="menu-item"
                    disabled=move || signing_out.pending().get()
                    on:click=move |_| {
                        signing_out.dispatch(());
                    }
                >
                    "Sign out"
                </button>
            </div>
        </details>
    }
}

#[component]
fn GearIcon() -> impl IntoView {
    view! {
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <circle cx="12" cy="12" r="3" />
            <path d="M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 1.65 1.65 0 0 0-1 1.51V21a2 2 0 1 1-4 0v-.09A1.65 1.65 0 0 0 9 19.4a1.65 1.65 0 0 0-1.82.33l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06A1.65 1.65 0 0 0 4.6 15a1.65 1.65 0 0 0-1.51-1H3a2 2 0 1 1 0-4h.09A1.65 1.65 0 0 0 4.6 9a1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06A1.65 1.65 0 0 0 9 4.6a1.65 1.65 0 0 0 1-1.51V3a2 2 0 1 1 4 0v.09a1.65 1.65 0 0 0 1 1.51 1.65 1.65 0 0 0 1.82-.33l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06A1.65 1.65 0 0 0 19.4 9a1.65 1.65 0 0 0 1.51 1H21a2 2 0 1 1 0 4h-.09a1.65 1.65 0 0 0-1.51 1z" />
        </svg>
    }
}
