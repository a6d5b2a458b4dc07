//! A refusal or failure shown as a readable sentence, announced to screen readers.

use leptos::prelude::*;

#[component]
pub fn ErrorAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="alert alert-error" role="alert">
                {move || message.get()}
            </p>
        </Show>
    }
}

/// What a list shows when loading it failed (the server's sentence, never internals).
#[component]
pub fn LoadError(error: crate::error::AppError) -> impl IntoView {
    view! {
        <p class="alert alert-error" role="alert">
            {error.to_string()}
        </p>
    }
}
