//! Regenerating a token: choose how long the current value keeps working, then see the new
//! value once.

use leptos::prelude::*;

use super::shown_once::ShownOnce;
use super::TokenStore;
use crate::tokens::model::GracePeriod;
use crate::tokens::server_fns::regenerate_token;
use crate::ui::ErrorAlert;

/// Choose a grace period, regenerate, then show the new value once.
#[component]
pub(super) fn RegenerateForm() -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let grace = RwSignal::new(GracePeriod::None);
    let regenerate =
        Action::new(|(id, grace): &(String, GracePeriod)| regenerate_token(id.clone(), *grace));
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match regenerate.value().get() {
        Some(Ok(created)) => {
            let name = created.token.name.clone();
            store.updated(created.token, format!("Regenerated {name}."));
        }
        Some(Err(refusal)) => {
            error.set(Some(refusal.to_string()));
            store.reload();
        }
        None => {}
    });
    let plaintext = move || {
        regenerate.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|c| c.plaintext.clone())
        })
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(token) = store.target.get_untracked() {
            error.set(None);
            regenerate.dispatch((token.id, grace.get_untracked()));
        }
    };
    view! {
        {move || match plaintext() {
            Some(value) => view! { <ShownOnce plaintext=value open=store.regenerating /> }.into_any(),
            None => view! {
                <form on:submit=on_submit novalidate>
                    <p>"A new value replaces the current one. Name, scope, expiry and usage stay the same."</p>
                    <fieldset class="token-grace">
                        <legend>"The current value stops working"</legend>
                        {GracePeriod::ALL
                            .into_iter()
                            .map(|period| view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="grace"
                                        prop:checked=move || grace.get() == period
                                        on:change=move |_| grace.set(period)
                                    />
                                    {period.label()}
                                </label>
                            })
                            .collect_view()}
                    </fieldset>
                    <ErrorAlert message=error />
                    <div class="dialog-actions">
                        <button type="button" autofocus on:click=move |_| store.regenerating.set(false)>"Cancel"</button>
                        <button type="submit" class="primary" disabled=move || regenerate.pending().get()>
                            "Regenerate token"
                        </button>
                    </div>
                </form>
            }
            .into_any(),
        }}
    }
}
