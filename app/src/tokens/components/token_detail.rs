//! A token's details, its permissions and its usage chart, in a dialog opened from its name.
//! Opening it reads the token and its calls per day afresh, so the count, the chart and the
//! card behind the dialog all show the same figures.

use leptos::prelude::*;

use super::facts::{calls, time_or_never};
use super::grace_notice::GraceNotice;
use super::token_permissions::TokenPermissions;
use super::usage_chart::UsageChart;
use super::{StatusBadge, TokenStore};
use crate::error::AppError;
use crate::tokens::model::{TokenView, UsageDay};
use crate::tokens::server_fns::{get_token, token_usage};
use crate::ui::{LoadError, RelativeTime};

#[component]
pub(crate) fn TokenDetail(token: TokenView) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let shown = RwSignal::new(token.clone());
    let id = token.id.clone();
    let usage = LocalResource::new(move || {
        let id = id.clone();
        async move {
            let fresh = get_token(id.clone()).await?;
            let days = token_usage(id).await?;
            shown.set(fresh.clone());
            store.refreshed(fresh);
            Ok::<Vec<UsageDay>, AppError>(days)
        }
    });
    view! {
        {move || view! { <TokenFacts token=shown.get() /> }}
        <TokenPermissions shown />
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
    .into_any()
}

#[component]
fn TokenFacts(token: TokenView) -> impl IntoView {
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
            <dd>{time_or_never(token.expires_at_ms)}</dd>
            <dt>"Last used"</dt>
            <dd>{time_or_never(token.last_used_at_ms)}</dd>
            <dt>"Usage"</dt>
            <dd data-testid="token-detail-usage">{calls(token.usage_count)}</dd>
            {token.previous_valid_until_ms.map(|until_ms| view! {
                <dt>"Previous value"</dt>
                <dd><GraceNotice id=token.id.clone() name=token.name.clone() until_ms /></dd>
            })}
        </dl>
    }
    .into_any()
}
