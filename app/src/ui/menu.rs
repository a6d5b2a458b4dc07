//! A button that opens a small menu of actions: `role="menu"` with `menuitem` buttons, arrow
//! keys move between items, Escape or a click elsewhere closes it and focus goes back to the
//! button. Choosing an item closes the menu first, so a dialog the item opens returns focus to
//! the button (the item itself is gone by then).

use leptos::context::Provider;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
struct MenuHandle {
    open: RwSignal<bool>,
    trigger: NodeRef<html::Button>,
}

impl MenuHandle {
    fn close_and_refocus(&self) {
        self.open.try_set(false);
        if let Some(button) = self.trigger.try_get_untracked().flatten() {
            let _ = button.focus();
        }
    }
}

fn focus_element(element: Option<web_sys::Element>) {
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

#[component]
pub fn MenuButton(
    /// The trigger's accessible name ("Actions for CI token").
    #[prop(into)]
    label: Signal<String>,
    /// What the trigger shows; a "more" glyph unless given.
    #[prop(into, default = "⋯".to_string())]
    text: String,
    #[prop(optional, into)] class: String,
    /// The [`MenuItem`]s; rendered only while the menu is open.
    children: ChildrenFn,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let trigger = NodeRef::<html::Button>::new();
    let panel = NodeRef::<html::Div>::new();
    let container = NodeRef::<html::Div>::new();
    let handle = MenuHandle { open, trigger };
    let children = StoredValue::new(children);

    // Opening puts focus on the first item, as menus do.
    Effect::new(move |_| {
        if open.get() {
            if let Some(panel) = panel.get() {
                focus_element(panel.first_element_child());
            }
        }
    });

    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        // The menu may be gone already (its list reloaded) while the event is delivered.
        if open.try_get_untracked() != Some(true) {
            return;
        }
        let active = document().active_element();
        let step = |forward: bool| {
            let next = active.as_ref().and_then(|a| {
                if forward {
                    a.next_element_sibling()
                } else {
                    a.previous_element_sibling()
                }
            });
            let edge = panel.get_untracked().and_then(|p| {
                if forward {
                    p.first_element_child()
                } else {
                    p.last_element_child()
                }
            });
            let inside = active
                .as_ref()
                .and_then(|a| a.parent_element())
                .zip(panel.get_untracked())
                .is_some_and(|(parent, panel)| {
                    let panel: &web_sys::Element = panel.as_ref();
                    parent == *panel
                });
            focus_element(if inside { next.or(edge) } else { edge });
        };
        match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                event.stop_propagation();
                handle.close_and_refocus();
            }
            "ArrowDown" => {
                event.prevent_default();
                step(true);
            }
            "ArrowUp" => {
                event.prevent_default();
                step(false);
            }
            "Home" => {
                event.prevent_default();
                focus_element(panel.get_untracked().and_then(|p| p.first_element_child()));
            }
            "End" => {
                event.prevent_default();
                focus_element(panel.get_untracked().and_then(|p| p.last_element_child()));
            }
            "Tab" => open.set(false),
            _ => {}
        }
    };

    // Focus leaving the whole menu (a click elsewhere, Tab away) closes it.
    let on_focusout = move |event: leptos::ev::FocusEvent| {
        if open.try_get_untracked() != Some(true) {
            return;
        }
        let Some(container) = container.try_get_untracked().flatten() else {
            return;
        };
        let target = event
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if !container.contains(target.as_ref()) {
            open.try_set(false);
        }
    };

    view! {
        <div class=format!("menu {class}") node_ref=container on:keydown=on_keydown on:focusout=on_focusout>
            <button
                type="button"
                class="menu-trigger"
                node_ref=trigger
                aria-label=move || label.get()
                aria-haspopup="menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {text}
            </button>
            <Show when=move || open.get()>
                <div class="menu-panel" role="menu" node_ref=panel>
                    <Provider value=handle>{children.read_value()()}</Provider>
                </div>
            </Show>
        </div>
    }
}

/// One entry of a [`MenuButton`]'s menu.
#[component]
pub fn MenuItem(
    on_select: Callback<()>,
    #[prop(optional)] danger: bool,
    /// A smaller line under the entry, its accessible description (the name stays short).
    #[prop(default = None)]
    description: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let handle = expect_context::<MenuHandle>();
    // Only one menu is open at a time, and only its items exist: the id is unique.
    let description_id = description.map(|_| "menu-item-description".to_string());
    let span_id = description_id.clone();
    view! {
        <button
            type="button"
            role="menuitem"
            tabindex="-1"
            class=if danger { "menu-item danger" } else { "menu-item" }
            aria-describedby=description_id.clone()
            on:click=move |_| {
                handle.close_and_refocus();
                on_select.run(());
            }
        >
            <span class="menu-item-label">{children()}</span>
            {description.map(|text| view! {
                <span class="menu-item-description" id=span_id aria-hidden="true">{text}</span>
            })}
        </button>
    }
}
