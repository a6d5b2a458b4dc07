//! "Are you sure?" for destructive actions: says what will happen, offers Cancel (focused
//! first, so Enter never destroys by accident) and the action, and shows a refusal in place.

use leptos::prelude::*;

use super::{Dialog, ErrorAlert};

#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    /// The verb on the button ("Delete environment").
    #[prop(into)]
    confirm_label: String,
    /// Whether the action is running (the button waits).
    #[prop(into)]
    pending: Signal<bool>,
    /// The server's refusal, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    /// What stops working, in plain words.
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    let confirm_label = StoredValue::new(confirm_label);
    view! {
        <Dialog open title>
            <div class="confirm-message">{children.read_value()()}</div>
            <ErrorAlert message=error />
            <div class="dialog-actions">
                <button type="button" autofocus on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="danger"
                    disabled=move || pending.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {confirm_label.get_value()}
                </button>
            </div>
        </Dialog>
    }
}
