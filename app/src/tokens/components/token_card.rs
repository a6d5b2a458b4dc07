//! The card view: one card per token.

use leptos::prelude::*;

use super::action_menu::TokenActionMenu;
use super::facts::{calls, person, time_or_never};
use super::grace_notice::GraceNotice;
use super::{permissions_badge, Progress, StatusBadge, TokenStore};
use crate::tokens::model::TokenView;
use crate::ui::RelativeTime;

#[component]
pub(crate) fn TokenCards(tokens: Memo<Vec<TokenView>>) -> impl IntoView {
    view! {
        <ul class="token-cards" aria-label="API tokens">
            <For each=move || tokens.get() key=|token| token.id.clone() let:token>
                <TokenCard tokens id=token.id />
            </For>
        </ul>
    }
    .into_any()
}

#[component]
fn TokenCard(tokens: Memo<Vec<TokenView>>, id: String) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let busy = {
        let id = id.clone();
        move || store.progress(&id).is_some().then_some("true")
    };
    let current = TokenStore::current(tokens, id);
    view! {
        <li class="card token-card" data-testid="token" aria-busy=busy>
            {move || current.get().map(|token| view! { <CardBody token /> })}
            <div class="token-card-menu">
                <TokenActionMenu current />
            </div>
        </li>
    }
    .into_any()
}

#[component]
fn CardBody(token: TokenView) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let opened = token.clone();
    view! {
        <div class="token-card-head">
            <h3 class="item-title">
                <button type="button" class="link-button" aria-label=format!("Details of {}", token.name) on:click=move |_| store.open(store.viewing, opened.clone())>
                    {token.name.clone()}
                </button>
            </h3>
            <StatusBadge status=token.status />
            <Progress id=token.id.clone() />
        </div>
        <p class="token-line">
            <code data-testid="token-prefix">{format!("{}…", token.prefix)}</code>
            <span class="muted" data-testid="token-scope">{token.scope_label.clone()}</span>
            {permissions_badge(&token.permissions)}
        </p>
        {token.previous_valid_until_ms.map(|until_ms| view! { <GraceNotice id=token.id.clone() name=token.name.clone() until_ms /> })}
        <dl class="token-facts">
            <div><dt>"Created"</dt><dd><RelativeTime at_ms=token.created_at_ms /></dd></div>
            <div><dt>"Expires"</dt><dd>{time_or_never(token.expires_at_ms)}</dd></div>
            <div><dt>"Last used"</dt><dd>{time_or_never(token.last_used_at_ms)}</dd></div>
            <div><dt>"Usage"</dt><dd data-testid="token-usage">{calls(token.usage_count)}</dd></div>
            <div class="wide"><dt>"Created by"</dt><dd>{person(&token.created_by)}</dd></div>
        </dl>
    }
    .into_any()
}
