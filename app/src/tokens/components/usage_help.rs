//! How a program uses a token: the `Authorization` header, the `TESSERA_API_TOKEN` variable, a
//! `curl` line against this very server, the same check with the `tsr` command line (which
//! reads the variable, as the SDKs do) and the API reference. In the reveal dialog (where
//! the export line can be copied with the new value) and in the API Tokens tab's intro.

use leptos::prelude::*;

use crate::ui::CopyButton;

/// The variable the SDKs and the `tsr` command line read the token from (SPEC §7).
pub(crate) const TOKEN_VARIABLE: &str = "TESSERA_API_TOKEN";

#[component]
pub(crate) fn UsageHelp(
    /// The new token, in the reveal dialog: the export line's Copy puts the whole value on the
    /// clipboard; the page shows only its prefix a second time.
    #[prop(optional)]
    plaintext: Option<String>,
) -> impl IntoView {
    // The address the reader reached this server at; known only in the browser.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(crate::ui::browser::origin()));
    let curl = Signal::derive(move || {
        format!(
            "curl -H \"Authorization: Bearer ${TOKEN_VARIABLE}\" {}/api/tokens/self",
            origin.get()
        )
    });
    // `tsr` talks to 127.0.0.1:3000 unless told otherwise: name this server.
    let cli = Signal::derive(move || format!("TESSERA_API_URL={} tsr auth status", origin.get()));
    let export = plaintext.map(|value| {
        let shown = format!("export {TOKEN_VARIABLE}={}…", value.get(..8).unwrap_or(""));
        let copied = format!("export {TOKEN_VARIABLE}={value}");
        view! {
            <div class="code-row">
                <code class="code-line" data-testid="usage-export">{shown}</code>
                <CopyButton text=copied label="Copy the export line with the token" class="small" />
            </div>
        }
    });
    view! {
        <div class="token-usage-help" data-testid="usage-help">
            <p>
                "Programs send the token in the "<code>"Authorization"</code>" header of every API call: "
                <code data-testid="usage-header">"Authorization: Bearer tsr_…"</code>
                ". Keep it in the "<code>{TOKEN_VARIABLE}</code>" environment variable, not in code, and try it:"
            </p>
            {export}
            <div class="code-row">
                <code class="code-line" data-testid="usage-curl">{curl}</code>
                <CopyButton text=curl label="Copy the curl command" class="small" />
            </div>
            <p>"Or with the "<code>"tsr"</code>" command line, which reads the same variable:"</p>
            <div class="code-row">
                <code class="code-line" data-testid="usage-cli">{cli}</code>
                <CopyButton text=cli label="Copy the tsr command" class="small" />
            </div>
            <p>
                <a href="/api/docs" rel="external noopener" target="_blank">"API reference"</a>
                " (opens in a new tab) — every route, what it needs and what it answers."
            </p>
        </div>
    }
    .into_any()
}
