//! The workspace configuration page: its tab bar and the General tab. The other tabs live
//! with their features (members, environments, tokens, audit).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

use crate::auth::domain::MAX_NAME_CHARS;
use crate::members::server_fns::rename_workspace;
use crate::session::use_user;
use crate::system::get_system_info;
use crate::ui::field::{field_message, form_message};
use crate::ui::{load, CopyButton, ErrorAlert, LoadError, TextField};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let tabs = NodeRef::<leptos::html::Nav>::new();
    let location = leptos_router::hooks::use_location();
    // On a phone the tab bar scrolls sideways: keep the current tab in sight.
    Effect::new(move |_| {
        let path = location.pathname.get();
        if let Some(nav) = tabs.get() {
            reveal_tab(&nav, &path);
        }
    });
    view! {
        <Title text="Workspace settings" />
        <h1>"Workspace settings"</h1>
        <nav class="tabs" aria-label="Workspace settings" node_ref=tabs>
            <A href="/settings/general">"General"</A>
            <A href="/settings/members">"Members"</A>
            <A href="/settings/environments">"Environments"</A>
            <A href="/settings/integrations">"Integrations"</A>
            <A href="/settings/tokens">"API Tokens"</A>
            <A href="/settings/audit">"Audit log"</A>
        </nav>
        <div class="tab-panel">
            <Outlet />
        </div>
    }
}

/// Scrolls the tab bar just enough to show the tab for `path` (links are positioned against
/// the bar, which is `position: relative`).
fn reveal_tab(nav: &web_sys::HtmlElement, path: &str) {
    use wasm_bindgen::JsCast;
    let Some(tab) = nav
        .query_selector(&format!("a[href=\"{path}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let (start, end) = (tab.offset_left(), tab.offset_left() + tab.offset_width());
    let (shown_start, width) = (nav.scroll_left(), nav.client_width());
    const MARGIN: i32 = 24;
    if end > shown_start + width {
        nav.set_scroll_left(end - width + MARGIN);
    } else if start < shown_start {
        nav.set_scroll_left((start - MARGIN).max(0));
    }
}

#[component]
pub fn GeneralTab() -> impl IntoView {
    let user = use_user();
    let workspace_id = user.0.with_untracked(|u| u.workspace_id.clone());
    view! {
        <section class="card">
            <h2>"Workspace"</h2>
            <Show
                when=move || user.can_write()
                fallback=move || view! { <p data-testid="workspace-title">{move || user.0.with(|u| u.workspace_name.clone())}</p> }
            >
                <RenameWorkspaceForm />
            </Show>
            <dl class="details">
                <dt>"Workspace ID"</dt>
                <dd class="id-line">
                    <code>{workspace_id.clone()}</code>
                    <CopyButton text=workspace_id.clone() label="Copy Workspace ID" class="small" />
                </dd>
                <dt>"Your role"</dt>
                <dd>{move || user.0.with(|u| u.role.label())}</dd>
            </dl>
        </section>
        <SystemStatus />
    }
}

/// Owners and admins rename the workspace; the navbar follows at once.
#[component]
fn RenameWorkspaceForm() -> impl IntoView {
    let user = use_user();
    let name = RwSignal::new(user.0.with_untracked(|u| u.workspace_name.clone()));
    let renaming = Action::new(|name: &String| rename_workspace(name.clone()));
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(workspace)) = renaming.value().get() {
            user.0.update(|u| u.workspace_name = workspace.name.clone());
            name.set(workspace.name);
            saved.set(true);
        }
    });
    let answer = renaming.value();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        renaming.dispatch(name.get());
    };
    view! {
        <form class="inline-form" on:submit=on_submit novalidate>
            <TextField
                id="workspace-name-input"
                label="Workspace name"
                value=name
                error=Signal::derive(move || answer.with(|a| field_message(a, "name")))
                required=true
                maxlength=MAX_NAME_CHARS as u32
            />
            <button type="submit" class="primary" disabled=move || renaming.pending().get()>"Save name"</button>
            <span class="muted" role="status">{move || saved.get().then_some("Saved.")}</span>
        </form>
        <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
    }
}

/// The database this installation runs on: proof that the whole stack answers.
#[component]
fn SystemStatus() -> impl IntoView {
    let status = load(|| (), |_| get_system_info());
    view! {
        <section class="card">
            <h2>"System"</h2>
            <Transition fallback=|| view! { <p class="muted">"Checking the database…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(info) => {
                            let latest = info.latest_migration.unwrap_or_else(|| "none".into());
                            view! {
                                <p data-testid="db-status">
                                    "Connected to " <strong>{info.engine}</strong> " · "
                                    {info.migrations_applied} " migrations applied (latest: "
                                    {latest} ")"
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
