//! The workspace configuration page: its tab bar and the General tab. The other tabs live
//! with their features (members, environments, tokens, audit).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

use crate::session::use_user;
use crate::system::get_system_info;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Workspace settings" />
        <h1>"Workspace settings"</h1>
        <nav class="tabs" aria-label="Workspace settings">
            <A href="/settings/general">"General"</A>
            <A href="/settings/members">"Members"</A>
            <A href="/settings/environments">"Environments"</A>
            <A href="/settings/tokens">"API Tokens"</A>
            <A href="/settings/audit">"Audit log"</A>
        </nav>
        <div class="tab-panel">
            <Outlet />
        </div>
    }
}

#[component]
pub fn GeneralTab() -> impl IntoView {
    let user = use_user();
    view! {
        <section class="card">
            <h2>"Workspace"</h2>
            <dl class="details">
                <dt>"Name"</dt>
                <dd>{move || user.0.with(|u| u.workspace_name.clone())}</dd>
                <dt>"Workspace ID"</dt>
                <dd><code>{move || user.0.with(|u| u.workspace_id.clone())}</code></dd>
                <dt>"Your role"</dt>
                <dd>{move || user.0.with(|u| u.role.label())}</dd>
            </dl>
        </section>
        <SystemStatus />
    }
}

/// The database this installation runs on: proof that the whole stack answers.
#[component]
fn SystemStatus() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_system_info());
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
                        Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
