//! Agent › Deployments: the agent's deployment tokens, each with its environment, in the same
//! table as the API Tokens tab, and "Create deployment token" for one environment.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::action_menu::TokenActionDialogs;
use super::create_dialog::NewTokenScope;
use super::dialog_body::{lazy_dialog_body, TokenDialogBody};
use super::token_table::TokenTable;
use super::tokens_tab::TokenSkeleton;
use super::{NoticeLine, TokenStore};
use crate::agents::components::AgentContext;
use crate::environments::server_fns::list_environments;
use crate::session::use_user;
use crate::tokens::model::{TokenQuery, TokenScopeKind};
use crate::tokens::server_fns::list_tokens;
use crate::ui::{load, Dialog, EmptyState, LoadError};

#[component]
pub fn AgentDeploymentsTab() -> impl IntoView {
    let can_write = use_user().can_write();
    let agent = use_context::<AgentContext>().map(|c| c.agent);
    let params = use_params_map();
    let agent_id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let query = move || TokenQuery {
        scope_kind: Some(TokenScopeKind::Deployment),
        agent_id: Some(agent_id.get()),
        limit: Some(TokenQuery::MAX_LIMIT),
        ..TokenQuery::default()
    };
    let page = load(query, list_tokens);
    let environments = load(|| (), |_| list_environments());
    let store = TokenStore::new(page, can_write);
    provide_context(store);
    store.keep_current(move || untrack(query));
    let creating = RwSignal::new(false);
    let agent_name = move || {
        agent
            .and_then(|a| a.get())
            .and_then(Result::ok)
            .map(|a| a.name)
            .unwrap_or_else(|| "this agent".into())
    };

    view! {
        <section class="card tokens-section">
            <header class="section-header">
                <div>
                    <h2>"Deployments"</h2>
                    <p class="muted">
                        "Deployment tokens carry this agent’s identity in one environment and reach nothing else."
                    </p>
                </div>
                <Show when=move || can_write>
                    <button type="button" class="primary" on:click=move |_| creating.set(true)>"Create deployment token"</button>
                </Show>
            </header>
            <NoticeLine />
            <Transition fallback=|| view! { <TokenSkeleton /> }>
                {move || Suspend::new(async move {
                    let (listed, known) = (store.page.await, environments.await);
                    let names: HashMap<String, String> = known
                        .map(|list| list.into_iter().map(|e| (e.id, e.name)).collect())
                        .unwrap_or_default();
                    match listed {
                        Ok(result) if result.total == 0 => view! {
                            <EmptyState
                                testid="tokens-empty"
                                title="No deployment tokens yet."
                                hint=if can_write {
                                    "Create a deployment token for each environment this agent runs in."
                                } else {
                                    "An owner or admin can create them."
                                }
                            />
                        }
                        .into_any(),
                        Ok(result) => {
                            let items = result.items;
                            let tokens = Memo::new(move |_| store.apply(&items));
                            view! { <TokenTable tokens environments=names /> }.into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Dialog open=creating title=Signal::derive(move || format!("Create deployment token for {}", agent_name()))>
            <Transition fallback=|| view! { <p class="muted">"Loading environments…"</p> }>
                {move || Suspend::new(async move {
                    match environments.await {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState title="No environments yet." hint="A deployment token is for one environment. Create one first.">
                                <A href="/settings/environments">"Go to Environments"</A>
                            </EmptyState>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            {lazy_dialog_body(move || TokenDialogBody::Create {
                                scope: NewTokenScope::Deployment { agent_id: agent_id.get_untracked(), environments: list.clone() },
                                open: creating,
                                on_created: Callback::new(move |()| store.reload()),
                            })}
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </Dialog>
        <TokenActionDialogs />
    }
}
