//! The two pages a visitor without a session sees: first-run setup and sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::domain::MAX_NAME_CHARS;
use crate::auth::server_fns::{setup_workspace, sign_in};
use crate::session::use_session;
use crate::ui::field::{field_message, form_message};
use crate::ui::{ErrorAlert, TextField};

/// Shown at every address while no user exists.
#[component]
pub fn SetupPage() -> impl IntoView {
    let session = use_session();
    let workspace_name = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let setup = Action::new(|input: &(String, String, String, String)| {
        let (workspace_name, name, email, password) = input.clone();
        setup_workspace(workspace_name, name, email, password)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = setup.value().get() {
            session.refresh();
        }
    });
    let answer = setup.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || answer.with(|a| field_message(a, field)));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        setup.dispatch((
            workspace_name.get(),
            name.get(),
            email.get(),
            password.get(),
        ));
    };
    view! {
        <Title text="Set up" />
        <main class="page auth-page">
            <section class="card narrow">
                <h1>"Welcome to Tessera"</h1>
                <p class="lede">"Create your workspace and its owner account to get started."</p>
                <form on:submit=on_submit novalidate>
                    <TextField id="setup-workspace" label="Workspace name" value=workspace_name error=error_for("workspace_name") required=true maxlength=MAX_NAME_CHARS as u32 />
                    <TextField id="setup-name" label="Your name" value=name error=error_for("name") autocomplete="name" required=true maxlength=MAX_NAME_CHARS as u32 />
                    <TextField id="setup-email" label="Email" input_type="email" value=email error=error_for("email") autocomplete="email" required=true />
                    <TextField id="setup-password" label="Password" input_type="password" value=password error=error_for("password") autocomplete="new-password" hint="At least 12 characters." required=true />
                    <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
                    <button type="submit" class="primary wide" disabled=move || setup.pending().get()>
                        {move || if setup.pending().get() { "Creating workspace…" } else { "Create workspace" }}
                    </button>
                </form>
            </section>
        </main>
    }
}

/// Shown at any address to a visitor without a session.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let signing_in = Action::new(|input: &(String, String)| {
        let (email, password) = input.clone();
        sign_in(email, password)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = signing_in.value().get() {
            session.refresh();
        }
    });
    let answer = signing_in.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || answer.with(|a| field_message(a, field)));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        signing_in.dispatch((email.get(), password.get()));
    };
    view! {
        <Title text="Sign in" />
        <main class="page auth-page">
            <section class="card narrow">
                <h1>"Sign in to Tessera"</h1>
                <form on:submit=on_submit novalidate>
                    <TextField id="sign-in-email" label="Email" input_type="email" value=email error=error_for("email") autocomplete="username" required=true />
                    <TextField id="sign-in-password" label="Password" input_type="password" value=password error=error_for("password") autocomplete="current-password" required=true />
                    <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
                    <button type="submit" class="primary wide" disabled=move || signing_in.pending().get()>
                        {move || if signing_in.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </section>
        </main>
    }
}
