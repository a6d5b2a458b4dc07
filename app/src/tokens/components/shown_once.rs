//! The full token, once, after Create or Regenerate: read-only, with Copy (focused), a warning,
//! how to use it and Done. The value lives only in this view: closing the dialog drops it, so
//! Escape, ✕ or a click outside first ask "Close anyway?" unless it was copied. When the
//! browser refuses the clipboard, the value is selected for copying by hand.

use leptos::prelude::*;

use super::usage_help::UsageHelp;
use crate::ui::browser::{focus_by_id, select_by_id};
use crate::ui::{use_dismiss_guard, CopyButton};

const VALUE_ID: &str = "token-value";
const COPY_ID: &str = "token-copy";

#[component]
pub(crate) fn ShownOnce(plaintext: String, open: RwSignal<bool>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy_refused = RwSignal::new(false);
    let confirming = RwSignal::new(false);

    // The form that was focused is gone: focus goes to what the person will do next.
    Effect::new(move |_| focus_by_id(COPY_ID));
    use_dismiss_guard(Callback::new(move |()| {
        if copied.get_untracked() {
            return true;
        }
        confirming.set(true);
        false
    }));
    Effect::new(move |_| {
        if confirming.get() {
            focus_by_id("token-keep-open");
        }
    });

    let on_copied = Callback::new(move |ok: bool| {
        copied.update(|c| *c |= ok);
        copy_refused.set(!ok);
        if !ok {
            select_by_id(VALUE_ID);
        }
    });

    view! {
        <div class="token-reveal" data-testid="token-reveal">
            <p class="alert alert-warning" role="alert">
                <strong>"Copy it now — you won’t be able to see it again."</strong>
                " Store it somewhere safe, such as your secret manager."
            </p>
            <div class="field">
                <label for=VALUE_ID>"Your new token"</label>
                <div class="token-value-row">
                    <input
                        id=VALUE_ID
                        class="mono"
                        type="text"
                        readonly
                        value=plaintext.clone()
                        spellcheck="false"
                        autocomplete="off"
                        on:focus=move |_| select_by_id(VALUE_ID)
                        // Copied by hand (Ctrl+C, the context menu) counts as copied.
                        on:copy=move |_| copied.set(true)
                    />
                    <CopyButton text=plaintext.clone() label="Copy token" id=COPY_ID on_copied />
                </div>
                <Show when=move || copy_refused.get()>
                    <p class="hint" role="status" data-testid="copy-refused">
                        "The browser did not allow copying. The token is selected: press Ctrl+C (⌘C on a Mac) to copy it."
                    </p>
                </Show>
            </div>
            <UsageHelp plaintext />
            {move || if confirming.get() {
                view! { <CloseAnyway open confirming /> }.into_any()
            } else {
                view! {
                    <div class="dialog-actions">
                        <button type="button" class="primary" on:click=move |_| open.set(false)>"Done"</button>
                    </div>
                }
                .into_any()
            }}
        </div>
    }
    .into_any()
}

/// "You have not copied the token. Close anyway?"
#[component]
fn CloseAnyway(open: RwSignal<bool>, confirming: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="alert alert-warning token-close-anyway" role="alert">
            <p>"You have not copied the token. Close anyway?"</p>
            <div class="dialog-actions">
                <button type="button" id="token-keep-open" on:click=move |_| confirming.set(false)>"Keep it open"</button>
                <button type="button" class="danger" on:click=move |_| open.set(false)>"Close anyway"</button>
            </div>
        </div>
    }
    .into_any()
}
