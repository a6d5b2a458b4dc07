//! The one modal dialog: the browser's own `<dialog>` opened with `showModal()`, which makes
//! the rest of the page inert (focus stays inside) and closes on Escape. On close, focus
//! returns to whatever opened it, as keyboard users expect. Content that must not vanish by
//! accident (a token shown once) registers a [`DismissGuard`]: Escape, the close button and a
//! click on the backdrop then ask it first.

use leptos::context::Provider;
use leptos::html;
use leptos::prelude::*;

/// Asked before Escape, the ✕ button or a click outside closes the dialog: `true` lets it
/// close; `false` keeps it open (the guard says why itself). Children register one with
/// [`use_dismiss_guard`]; an explicit button inside (Done) closes without asking.
#[derive(Clone, Copy)]
pub struct DismissGuard(RwSignal<Option<Callback<(), bool>>>);

/// Registers `guard` with the enclosing [`Dialog`] for as long as the caller is mounted.
pub fn use_dismiss_guard(guard: Callback<(), bool>) {
    if let Some(DismissGuard(slot)) = use_context::<DismissGuard>() {
        slot.set(Some(guard));
        on_cleanup(move || {
            slot.try_set(None);
        });
    }
}

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

    let guard = RwSignal::new(None::<Callback<(), bool>>);
    let children = StoredValue::new(children);
    let may_dismiss = move || guard.get_untracked().is_none_or(|g| g.run(()));
    // Escape's default action is the dialog's close request: cancelling the key cancels that.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && !event.default_prevented() && !may_dismiss() {
            event.prevent_default();
        }
    };
    // A click on the backdrop lands on the `<dialog>` itself: its header and body cover all
    // of its box (it has no padding), so a click inside lands on them instead.
    let on_click = move |event: leptos::ev::MouseEvent| {
        let Some(dialog) = dialog_ref.get_untracked() else {
            return;
        };
        let itself: &web_sys::EventTarget = dialog.as_ref();
        let on_backdrop = event.target().is_some_and(|t| t == *itself);
        if on_backdrop && guard.get_untracked().is_some() && may_dismiss() {
            open.set(false);
        }
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
            on:keydown=on_keydown
            on:click=on_click
        >
            <Show when=move || open.get()>
                <header class="dialog-header">
                    <h2>{move || title.get()}</h2>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label="Close"
                        on:click=move |_| {
                            if may_dismiss() {
                                open.set(false);
                            }
                        }
                    >
                        "✕"
                    </button>
                </header>
                <div class="dialog-body">
                    <Provider value=DismissGuard(guard)>{children.read_value()()}</Provider>
                </div>
            </Show>
        </dialog>
    }
    .into_any()
}
