//! After "Regenerate" with a grace period the replaced value still works for a while: cards,
//! rows and the detail say until when ("Previous value valid until 16:40"), and owners and
//! admins can end the grace now. The line goes by itself when the time passes.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::TokenStore;
use crate::tokens::server_fns::end_token_grace;
use crate::ui::browser::local_soon;
use crate::ui::calendar::utc_iso;
use crate::ui::time::use_now;

#[component]
pub(crate) fn GraceNotice(id: String, name: String, until_ms: i64) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let now = use_now();
    // UTC on the server, the reader's own clock once hydrated.
    let when = RwSignal::new(utc_iso(until_ms));
    Effect::new(move |_| when.set(local_soon(until_ms)));
    let ending = RwSignal::new(false);
    let ended = RwSignal::new(false);
    let label = StoredValue::new(format!("End grace now for {name}"));
    let target = StoredValue::new((id, name));
    let end = move |_| {
        let (id, name) = target.get_value();
        ending.set(true);
        spawn_local(async move {
            match end_token_grace(id).await {
                Ok(view) => {
                    ended.try_set(true);
                    store.updated(
                        view,
                        format!(
                            "Ended the grace period of {name}: its previous value no longer works."
                        ),
                    );
                }
                Err(error) => store.refused(error),
            }
            ending.try_set(false);
        });
    };
    let button = move || {
        store.can_write.then(|| {
            view! {
                <button type="button" class="small" aria-label=label.get_value() disabled=move || ending.get() on:click=end>
                    "End grace now"
                </button>
            }
        })
    };
    view! {
        <Show when=move || !ended.get() && now.get() < until_ms>
            <p class="token-grace-note" data-testid="token-grace">
                <span>{move || format!("Previous value valid until {}", when.get())}</span>
                {button}
            </p>
        </Show>
    }
    .into_any()
}
