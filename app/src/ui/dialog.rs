//! The one modal dialog: the browser's own `<dialog>` opened with `showModal()`, which makes
//! the rest of the page inert (focus stays inside) and closes on Escape. On close, focus
//! returns to whatever opened it, as keyboard users expect.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn Dialog(
    /// Whether the dialog is shown; the dialog sets it back to `false` when it closes itself.
    open: RwSignal<bool>,
    /// The heading, also the dialog's accessible name.
    #[prop(into)]
    title: Signal<String>,
    /// Rendered only while open, so every opening starts from a fresh form.
    children: ChildrenFn,
) -> impl IntoView {
    let dialog_ref = NodeRef::<html::Dialog>::new();
    // Which element opened the dialog, as a mark on that element (a DOM handle cannot live
    // in a value the server might drop on another thread).
    let opener_mark = StoredValue::new(String::new());

    Effect::new(move |_| {
        let should_be_open = open.get();
        let Some(dialog) = dialog_ref.get() else {
            return;
        };
        if should_be_open && !dialog.open() {
            opener_mark.set_value(super::browser::mark_focused_element());
            let _ = dialog.show_modal();
        } else if !should_be_open && dialog.open() {
            dialog.close();
        }
    });

    // Escape, the close button and `open.set(false)` all end here.
    let on_close = move |_| {
        open.set(false);
        super::browser::refocus_marked_element(&opener_mark.get_value());
    };

    view! {
        // Named only while open: a closed dialog is not in the accessibility tree anyway, and
        // the title may come from data (an agent's name) that the server had not loaded when it
        // rendered the closed dialog, so naming it then would be a hydration mismatch that
        // never gets corrected.
        <dialog
            node_ref=dialog_ref
            class="dialog"
            aria-label=move || open.get().then(|| title.get())
            on:close=on_close
        >
            <Show when=move || open.get()>
                <header class="dialog-header">
                    <h2>{move || title.get()}</h2>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label="Close"
                        on:click=move |_| open.set(false)
                    >
                        "✕"
                    </button>
                </header>
                <div class="dialog-body">{children()}</div>
            </Show>
        </dialog>
    }
}
