//! The HTML shell, the root component and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::system::get_system_info;

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
    // Effects run only in the browser, after hydration: tests wait for this marker.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/tessera.css" />
        <Title text="Tessera" />
        <Router>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_system_info());
    let checks = RwSignal::new(0_u32);

    view! {
        <section class="card">
            <h1>"Tessera"</h1>
            <p class="lede">"API tokens for your AI agents."</p>
            <Transition fallback=|| view! { <p class="muted">"Checking the database…"</p> }>
                {move || {
                    status
                        .get()
                        .map(|result| match result {
                            Ok(s) => {
                                let latest = s.latest_migration.unwrap_or_else(|| "none".into());
                                view! {
                                    <p data-testid="db-status">
                                        "Connected to " <strong>{s.engine}</strong> " · "
                                        {s.migrations_applied} " migrations applied (latest: "
                                        {latest} ")"
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p class="error" role="alert">
                                        {e.to_string()}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <button
                type="button"
                on:click=move |_| {
                    checks.update(|n| *n += 1);
                    status.refetch();
                }
            >
                "Check again"
            </button>
            <p class="muted" data-testid="check-count">
                {move || match checks.get() {
                    0 => String::new(),
                    n => format!("Checked {n} more time{}", if n == 1 { "" } else { "s" }),
                }}
            </p>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <a href="/">"Go to the start page"</a>
        </section>
    }
}
