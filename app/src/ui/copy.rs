//! A button that copies a value and says so for a moment.

use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

#[component]
pub fn CopyButton(
    /// What goes on the clipboard.
    #[prop(into)]
    text: Signal<String>,
    /// The accessible name, e.g. "Copy token".
    #[prop(into)]
    label: String,
    #[prop(optional, into)] class: String,
    #[prop(optional, into)] id: Option<String>,
    /// Told whether the browser let the value onto the clipboard.
    #[prop(optional)]
    on_copied: Option<Callback<bool>>,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let copied = crate::ui::browser::copy_to_clipboard(value).await;
            if let Some(told) = on_copied {
                told.run(copied);
            }
            state.set(if copied {
                CopyState::Copied
            } else {
                CopyState::Failed
            });
            set_timeout(
                move || state.set(CopyState::Idle),
                std::time::Duration::from_secs(2),
            );
        });
    };
    view! {
        <button type="button" id=id class=format!("copy-button {class}") aria-label=label on:click=copy>
            {move || match state.get() {
                CopyState::Idle => "Copy",
                CopyState::Copied => "Copied",
                CopyState::Failed => "Copy failed",
            }}
        </button>
    }
}
