//! The HTML shell, the root component and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

use crate::agents::components::{AgentOverview, AgentPage, AgentsPage};
use crate::assistant::components::AssistantPage;
use crate::audit::components::AuditLogTab;
use crate::environments::components::EnvironmentsTab;
use crate::executions::components::AgentExecutionsTab;
use crate::gate::SessionGate;
use crate::integrations::components::IntegrationsTab;
use crate::knowledge::components::KnowledgeBasePage;
use crate::members::components::{AcceptInvitePage, MembersTab};
use crate::session::provide_session;
use crate::settings::{GeneralTab, SettingsPage};
use crate::tokens::components::{AgentDeploymentsTab, TokensTab};
use crate::triggers::components::AgentTriggersTab;
use crate::ui::provide_now;

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        set_content_security_policy();
        crate::first_visit::provide_first_visit_packs(&options);
    }
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

    view! {
        <Title formatter=|page: String| if page.is_empty() { "Tessera".to_string() } else { format!("{page} · Tessera") } />
        <Router>
            <Routes fallback=NotFound>
                <ParentRoute path=path!("/invite/:code") view=titled("Join a workspace") ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<AcceptInviteRoute>::new()} />
                </ParentRoute>
                // Rendered whole before the first byte is sent (`Async`): the session and the
                // page's data are behind suspense, and only then does the `<head>` know the
                // page's title and which page group's pack to preload.
                <ParentRoute path=path!("") view=SessionGate ssr=SsrMode::Async>
                    <Route path=path!("") view=|| view! { <Redirect path="/agents" /> } />
                    <ParentRoute path=path!("agents") view=titled("Agents")>
                        <Route path=path!("") view={Lazy::<AgentsRoute>::new()} />
                    </ParentRoute>
                    <ParentRoute path=path!("agents/:id") view=AgentPage>
                        <Route path=path!("") view={Lazy::<AgentOverviewRoute>::new()} />
                        <Route path=path!("deployments") view={Lazy::<AgentDeploymentsRoute>::new()} />
                        <Route path=path!("triggers") view={Lazy::<AgentTriggersRoute>::new()} />
                        <Route path=path!("executions") view={Lazy::<AgentExecutionsRoute>::new()} />
                    </ParentRoute>
                    <ParentRoute path=path!("knowledge-base") view=titled("Knowledge base")>
                        <Route path=path!("") view={Lazy::<KnowledgeBaseRoute>::new()} />
                    </ParentRoute>
                    <ParentRoute path=path!("assistant") view=titled("Assistant")>
                        <Route path=path!("") view={Lazy::<AssistantRoute>::new()} />
                    </ParentRoute>
                    <ParentRoute path=path!("settings") view=SettingsPage>
                        <Route path=path!("") view=|| view! { <Redirect path="/settings/general" /> } />
                        <Route path=path!("general") view={Lazy::<GeneralRoute>::new()} />
                        <Route path=path!("members") view={Lazy::<MembersRoute>::new()} />
                        <Route path=path!("environments") view={Lazy::<EnvironmentsRoute>::new()} />
                        <Route path=path!("integrations") view={Lazy::<IntegrationsRoute>::new()} />
                        <Route path=path!("tokens") view={Lazy::<TokensRoute>::new()} />
                        <Route path=path!("audit") view={Lazy::<AuditLogRoute>::new()} />
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// A layout that names its page. The title is set here, in the main bundle, rather than by the
/// lazy page below it: a lazy page renders after the server has streamed the `<head>`, so a
/// `<Title>` inside it would never reach the server-rendered document.
fn titled(title: &'static str) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || view! { <Title text=title /> <Outlet /> }.into_any()
}

/// Pages whose code the browser loads only when one of them is first shown.
///
/// A release build (`cargo leptos build --split`, hydrated with
/// `leptos::mount::hydrate_from_async` in the `frontend` crate) puts each group's pages in
/// their own WASM chunk, so a first visit downloads the shell and the group it opens rather
/// than every page of the app. Pages are grouped by the code they share, not one chunk each:
/// the splitter gives every combination of groups that share a function a chunk of its own,
/// and with a split point per page a first visit of the API Tokens tab fetched 74 chunks,
/// most under 2 KB. Layouts (the session gate, the settings tab bar, an agent's header) stay
/// in the main bundle: they own the resources their pages read, and hydration must create
/// resources in the order the server did.
///
/// `lazy_pages!(loader, preload_loader: Route => Page, …)` defines each route's `LazyRoute`
/// and one lazy `loader` that renders any page of the group; `preload_loader` is the name the
/// splitter gives the function that only fetches the chunk.
macro_rules! lazy_pages {
    ($loader:ident, $preload:ident: $($route:ident => $page:ident),+ $(,)?) => {
        $(
            #[derive(Debug)]
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "ssr")]
                    crate::first_visit::preload_pack(stringify!($loader));
                    $loader(stringify!($route)).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )+

        #[lazy]
        fn $loader(route: &'static str) -> AnyView {
            match route {
                $(stringify!($route) => view! { <$page /> }.into_any(),)+
                _ => view! { <NotFound /> }.into_any(),
            }
        }
    };
}

lazy_pages!(token_pages, __preload_token_pages:
    TokensRoute => TokensTab,
    AgentDeploymentsRoute => AgentDeploymentsTab,
);
lazy_pages!(workspace_pages, __preload_workspace_pages:
    GeneralRoute => GeneralTab,
    MembersRoute => MembersTab,
    EnvironmentsRoute => EnvironmentsTab,
    IntegrationsRoute => IntegrationsTab,
    AuditLogRoute => AuditLogTab,
);
lazy_pages!(agent_pages, __preload_agent_pages:
    AgentsRoute => AgentsPage,
    AgentOverviewRoute => AgentOverview,
);
// The assistant answers from the knowledge base: one group, as people go from one to the
// other (and two groups' shared code made a chunk every other group's first visit paid for).
lazy_pages!(knowledge_base_pages, __preload_knowledge_base_pages:
    KnowledgeBaseRoute => KnowledgeBasePage,
    AssistantRoute => AssistantPage,
);
// An agent's runtime: what starts it and what it did.
lazy_pages!(runtime_pages, __preload_runtime_pages:
    AgentTriggersRoute => AgentTriggersTab,
    AgentExecutionsRoute => AgentExecutionsTab,
);
lazy_pages!(invite_pages, __preload_invite_pages:
    AcceptInviteRoute => AcceptInvitePage,
);

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
