//! The table view: one row per token. Also the Deployments tab's list, with an Environment
//! column instead of the scope.

use std::collections::HashMap;

use leptos::prelude::*;

use super::action_menu::TokenActionMenu;
use super::facts::{calls, person, time_or_never};
use super::grace_notice::GraceNotice;
use super::{permissions_badge, Progress, StatusBadge, TokenStore};
use crate::tokens::model::{TokenScope, TokenView};
use crate::ui::RelativeTime;

#[component]
pub(crate) fn TokenTable(
    tokens: Memo<Vec<TokenView>>,
    /// Environment names by id: shows an Environment column instead of Scope.
    #[prop(optional)]
    environments: Option<HashMap<String, String>>,
) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let environments = StoredValue::new(environments);
    let by_environment = environments.with_value(Option::is_some);
    view! {
        <table class="data-table token-table" aria-label="API tokens">
            <thead>
                <tr>
                    <th scope="col">"Token"</th>
                    <th scope="col">{if by_environment { "Environment" } else { "Scope" }}</th>
                    <th scope="col">"Permissions"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Expires"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col" class="numeric">"Usage"</th>
                    <th scope="col">"Created by"</th>
                    {store.can_write.then(|| view! { <th scope="col"><span class="sr-only">"Actions"</span></th> })}
                </tr>
            </thead>
            <tbody>
                <For each=move || tokens.get() key=|token| token.id.clone() let:token>
                    <TokenRow tokens id=token.id environments />
                </For>
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn TokenRow(
    tokens: Memo<Vec<TokenView>>,
    id: String,
    environments: StoredValue<Option<HashMap<String, String>>>,
) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let busy = {
        let id = id.clone();
        move || store.progress(&id).is_some().then_some("true")
    };
    let current = TokenStore::current(tokens, id);
    let cells = move || {
        current.get().map(|token| {
            let opened = token.clone();
            let scope = environments.with_value(|names| match (names, &token.scope) {
                (Some(names), TokenScope::Deployment { environment_id, .. } | TokenScope::Environment { environment_id }) => {
                    names.get(environment_id).cloned().unwrap_or_else(|| environment_id.clone())
                }
                _ => token.scope_label.clone(),
            });
            view! {
                <td data-label="Token">
                    <button type="button" class="link-button token-name" aria-label=format!("Details of {}", token.name) on:click=move |_| store.open(store.viewing, opened.clone())>
                        {token.name.clone()}
                    </button>
                    <code class="token-prefix" data-testid="token-prefix">{format!("{}…", token.prefix)}</code>
                    {token.previous_valid_until_ms.map(|until_ms| view! { <GraceNotice id=token.id.clone() name=token.name.clone() until_ms /> })}
                </td>
                <td data-label="Scope" data-testid="token-scope">{scope}</td>
                <td data-label="Permissions">{permissions_badge(&token.permissions)}</td>
                <td data-label="Status"><StatusBadge status=token.status /><Progress id=token.id.clone() /></td>
                <td data-label="Created"><RelativeTime at_ms=token.created_at_ms /></td>
                <td data-label="Expires">{time_or_never(token.expires_at_ms)}</td>
                <td data-label="Last used">{time_or_never(token.last_used_at_ms)}</td>
                <td data-label="Usage" class="numeric" data-testid="token-usage">{calls(token.usage_count)}</td>
                <td data-label="Created by">{person(&token.created_by)}</td>
            }
        })
    };
    view! {
        <tr data-testid="token" aria-busy=busy>
            {cells}
            {store.can_write.then(|| view! { <td class="token-row-menu"><TokenActionMenu current /></td> })}
        </tr>
    }
    .into_any()
}
