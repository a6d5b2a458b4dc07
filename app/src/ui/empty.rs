//! What a list shows while it has nothing: what is missing and what to do about it.

use leptos::prelude::*;

#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] hint: String,
    /// Stands on the page by itself (a card) rather than inside one.
    #[prop(optional)]
    card: bool,
    #[prop(optional)] testid: Option<&'static str>,
    /// An action under the hint (a button, a link).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class=if card { "card empty-state" } else { "empty-state" } data-testid=testid>
            <p><strong>{title}</strong></p>
            <p class="muted">{hint}</p>
            {children.map(|action| action())}
        </div>
    }
}
