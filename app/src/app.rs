//! The HTML shell, the root component and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::agents::components::{AgentOverview, AgentPage, AgentsPage};
use crate::audit::components::AuditLogTab;
use crate::environments::components::EnvironmentsTab;
use crate::gate::SessionGate;
use crate::integrations::components::IntegrationsTab;
use crate::knowledge::components::KnowledgeBasePage;
use crate::members::components::{AcceptInvitePage, MembersTab};
use crate::session::provide_session;
use crate::settings::{GeneralTab, SettingsPage};
use crate::tokens::components::{AgentDeploymentsTab, TokensTab};
use crate::ui::provide_now;

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                // Both name the bundle's files by their content hash in a release build.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts run only from this origin or with this response's nonce (the hydration loader);
/// WASM may compile; nothing may frame the page.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use axum::http::{header, HeaderValue};
    let nonce = leptos::nonce::use_nonce()
        .map(|n| format!(" 'nonce-{n}'"))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    provide_now();
    // Effects run only in the browser, after hydration: tests wait for this marker.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=|page: String| if page.is_empty() { "Tessera".to_string() } else { format!("{page} · Tessera") } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/invite/:code") view=AcceptInvitePage />
                <ParentRoute path=path!("") view=SessionGate>
                    <Route path=path!("") view=|| view! { <Redirect path="/agents" /> } />
                    <Route path=path!("agents") view=AgentsPage />
                    <ParentRoute path=path!("agents/:id") view=AgentPage>
                        <Route path=path!("") view=AgentOverview />
                        <Route path=path!("deployments") view=AgentDeploymentsTab />
                    </ParentRoute>
                    <Route path=path!("knowledge-base") view=KnowledgeBasePage />
                    <ParentRoute path=path!("settings") view=SettingsPage>
                        <Route path=path!("") view=|| view! { <Redirect path="/settings/general" /> } />
                        <Route path=path!("general") view=GeneralTab />
                        <Route path=path!("members") view=MembersTab />
                        <Route path=path!("environments") view=EnvironmentsTab />
                        <Route path=path!("integrations") view=IntegrationsTab />
                        <Route path=path!("tokens") view=TokensTab />
                        <Route path=path!("audit") view=AuditLogTab />
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <main class="page">
            <section class="card narrow">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address."</p>
                <a href="/">"Go to the start page"</a>
            </section>
        </main>
    }
}
