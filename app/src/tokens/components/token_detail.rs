//! A token's details and its usage chart, in a dialog opened from its name.

use leptos::prelude::*;

use super::token_card::{calls, expiry, last_used};
use super::usage_chart::UsageChart;
use super::StatusBadge;
use crate::tokens::model::TokenView;
use crate::tokens::server_fns::token_usage;
use crate::ui::{LoadError, RelativeTime};

#[component]
pub(crate) fn TokenDetail(token: TokenView) -> impl IntoView {
    let id = token.id.clone();
    let usage = LocalResource::new(move || token_usage(id.clone()));
    view! {
        <dl class="details token-details" data-testid="token-details">
            <dt>"Status"</dt>
            <dd><StatusBadge status=token.status /></dd>
            <dt>"Prefix"</dt>
            <dd><code>{format!("{}…", token.prefix)}</code></dd>
            <dt>"Scope"</dt>
            <dd>{token.scope_label.clone()}</dd>
            <dt>"Created"</dt>
            <dd><RelativeTime at_ms=token.created_at_ms /></dd>
            <dt>"Created by"</dt>
            <dd>{token.created_by.clone()}</dd>
            <dt>"Expires"</dt>
            <dd>{expiry(token.expires_at_ms)}</dd>
            <dt>"Last used"</dt>
            <dd>{last_used(token.last_used_at_ms)}</dd>
            <dt>"Usage"</dt>
            <dd>{calls(token.usage_count)}</dd>
        </dl>
        <h3>"Calls per day"</h3>
        <div class="usage-slot">
            <Suspense fallback=|| view! { <p class="muted">"Loading usage…"</p> }>
                {move || Suspend::new(async move {
                    match usage.await {
                        Ok(days) => view! { <UsageChart days /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
