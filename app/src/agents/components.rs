//! The Agents page (list and install) and an agent's own page with its Overview, Triggers,
//! Executions and Deployments tabs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::agents::domain::MAX_VERSION_CHARS;
use crate::agents::model::AgentView;
use crate::agents::server_fns::{
    delete_agent, get_agent, install_agent, list_agents, update_agent,
};
use crate::auth::domain::MAX_NAME_CHARS;
use crate::error::AppError;
use crate::session::use_user;
use crate::ui::field::{field_message, form_message};
use crate::ui::{
    load, ConfirmDialog, Dialog, EmptyState, ErrorAlert, LoadError, Loaded, RelativeTime,
    TextAreaField, TextField,
};

#[component]
pub fn AgentsPage() -> impl IntoView {
    let can_write = use_user().can_write();
    let agents = load(|| (), |_| list_agents());
    let installing = RwSignal::new(false);
    let reload = Callback::new(move |()| agents.refetch());
    view! {
        <header class="page-header">
            <div>
                <h1>"Agents"</h1>
                <p class="muted">"The AI agents installed in this workspace."</p>
            </div>
            <Show when=move || can_write>
                <button type="button" class="primary" on:click=move |_| installing.set(true)>"Install agent"</button>
            </Show>
        </header>
        <Transition fallback=|| view! { <p class="muted">"Loading agents…"</p> }>
            {move || Suspend::new(async move {
                match agents.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState
                            card=true
                            title="No agents yet."
                            hint=if can_write { "Install your first agent to give it deployment tokens." } else { "An owner or admin can install agents." }
                        />
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <ul class="card-grid" aria-label="Agents">
                            {list.into_iter().map(|agent| view! { <AgentCard agent /> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
        <Dialog open=installing title="Install agent">
            <AgentForm existing=None open=installing on_saved=Callback::new(move |_| reload.run(())) />
        </Dialog>
    }
}

#[component]
fn AgentCard(agent: AgentView) -> impl IntoView {
    view! {
        <li class="card agent-card" data-testid="agent">
            <h2 class="item-title">
                <A href=format!("/agents/{}", agent.id)>{agent.name.clone()}</A>
            </h2>
            <span class="badge badge-neutral">{format!("v{}", agent.version)}</span>
            {(!agent.description.is_empty()).then(|| view! { <p class="item-description">{agent.description.clone()}</p> })}
            <p class="muted small">"Updated " <RelativeTime at_ms=agent.updated_at_ms /></p>
        </li>
    }
}

/// The agent loaded by the page, shared with its tabs.
#[derive(Clone, Copy)]
pub struct AgentContext {
    pub agent: Loaded<Result<AgentView, AppError>>,
}

#[component]
pub fn AgentPage() -> impl IntoView {
    let params = use_params_map();
    let agent_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let agent = load(agent_id, get_agent);
    provide_context(AgentContext { agent });
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/agents">"Agents"</A>
            <span aria-hidden="true">" / "</span>
        </nav>
        <Transition fallback=|| view! { <p class="muted">"Loading agent…"</p> }>
            {move || Suspend::new(async move {
                match agent.await {
                    Ok(found) => {
                        let base = format!("/agents/{}", found.id);
                        view! {
                            <Title text=found.name.clone() />
                            <header class="page-header">
                                <div>
                                    <h1>{found.name.clone()}</h1>
                                    <p class="muted">{format!("Version {}", found.version)}</p>
                                </div>
                            </header>
                            <nav class="tabs" aria-label="Agent">
                                <A href=base.clone() exact=true>"Overview"</A>
                                <A href=format!("{base}/triggers")>"Triggers"</A>
                                <A href=format!("{base}/executions")>"Executions"</A>
                                <A href=format!("{base}/deployments")>"Deployments"</A>
                            </nav>
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! {
                        <section class="card">
                            <h1>"Agent not found"</h1>
                            <p>"It may have been deleted."</p>
                            <A href="/agents">"Back to agents"</A>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
        <div class="tab-panel">
            <Outlet />
        </div>
    }
}

#[component]
pub fn AgentOverview() -> impl IntoView {
    let AgentContext { agent } = expect_context::<AgentContext>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { agent.await.ok().map(|found| view! { <AgentDetails agent=found /> }) })}
        </Transition>
    }
}

#[component]
fn AgentDetails(agent: AgentView) -> impl IntoView {
    let can_write = use_user().can_write();
    let AgentContext { agent: resource } = expect_context::<AgentContext>();
    let editing = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let deleting = Action::new(|id: &String| delete_agent(id.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = deleting.value().get() {
            confirming_delete.set(false);
            navigate("/agents", Default::default());
        }
    });
    let delete_error = Signal::derive(move || deleting.value().with(form_message));
    let id = agent.id.clone();
    let existing = agent.clone();
    view! {
        <section class="card">
            <header class="section-header">
                <h2>"Overview"</h2>
                <Show when=move || can_write>
                    <div class="item-actions">
                        <button type="button" on:click=move |_| editing.set(true)>"Edit agent"</button>
                        <button type="button" class="danger-outline" on:click=move |_| confirming_delete.set(true)>"Delete agent"</button>
                    </div>
                </Show>
            </header>
            <dl class="details">
                <dt>"Name"</dt>
                <dd data-testid="agent-name">{agent.name.clone()}</dd>
                <dt>"Description"</dt>
                <dd>{if agent.description.is_empty() { "—".to_string() } else { agent.description.clone() }}</dd>
                <dt>"Version"</dt>
                <dd data-testid="agent-version">{agent.version.clone()}</dd>
                <dt>"Agent ID"</dt>
                <dd><code>{agent.id.clone()}</code></dd>
                <dt>"Installed"</dt>
                <dd><RelativeTime at_ms=agent.created_at_ms /></dd>
                <dt>"Updated"</dt>
                <dd><RelativeTime at_ms=agent.updated_at_ms /></dd>
            </dl>
            <h3>"Configuration"</h3>
            <pre class="code-block" data-testid="agent-config">{agent.config.clone()}</pre>
        </section>
        <Dialog open=editing title="Edit agent">
            <AgentForm existing=Some(existing.clone()) open=editing on_saved=Callback::new(move |_| resource.refetch()) />
        </Dialog>
        <ConfirmDialog
            open=confirming_delete
            title=format!("Delete {}?", agent.name)
            confirm_label="Delete agent"
            pending=deleting.pending()
            error=delete_error
            on_confirm=Callback::new(move |()| {
                deleting.dispatch(id.clone());
            })
        >
            <p>"The agent is deleted for good. Its deployment tokens are revoked at once: programs using them are refused from their next request."</p>
        </ConfirmDialog>
    }
}

/// Install (no `existing`) or edit an agent; closes the dialog and reports success.
#[component]
fn AgentForm(
    existing: Option<AgentView>,
    open: RwSignal<bool>,
    on_saved: Callback<AgentView>,
) -> impl IntoView {
    let editing_id = existing.as_ref().map(|a| a.id.clone());
    let field = |get: fn(&AgentView) -> String| {
        RwSignal::new(existing.as_ref().map(get).unwrap_or_default())
    };
    let name = field(|a| a.name.clone());
    let description = field(|a| a.description.clone());
    let version = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.version.clone())
            .unwrap_or_else(|| "1.0.0".into()),
    );
    let config = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.config.clone())
            .unwrap_or_else(|| "{}".into()),
    );
    let save = Action::new(
        move |input: &(Option<String>, String, String, String, String)| {
            let (id, name, description, version, config) = input.clone();
            async move {
                match id {
                    Some(id) => update_agent(id, name, description, version, config).await,
                    None => install_agent(name, description, version, config).await,
                }
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(agent)) = save.value().get() {
            open.set(false);
            on_saved.run(agent);
        }
    });
    let answer = save.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || answer.with(|a| field_message(a, field)));
    // A refused config: select the first field a problem names, where it is in the text.
    Effect::new(move |_| {
        let Some(Err(AppError::Validation(errors))) = answer.get() else {
            return;
        };
        let text = config.get_untracked();
        let first = errors
            .keys()
            .filter_map(|key| key.strip_prefix("config/"))
            .filter_map(|pointer| crate::agents::pointer::locate(&text, &format!("/{pointer}")))
            .min_by_key(|range| range.start);
        if let Some(range) = first {
            crate::ui::browser::select_text_range("agent-config", &text, range);
        }
    });
    let is_new = editing_id.is_none();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch((
            editing_id.clone(),
            name.get(),
            description.get(),
            version.get(),
            config.get(),
        ));
    };
    view! {
        <form on:submit=on_submit novalidate>
            <TextField id="agent-name" label="Name" value=name error=error_for("name") required=true maxlength=MAX_NAME_CHARS as u32 autofocus=true />
            <TextAreaField id="agent-description" label="Description (optional)" value=description error=error_for("description") rows=2 />
            <TextField id="agent-version" label="Version" value=version error=error_for("version") required=true maxlength=MAX_VERSION_CHARS as u32 />
            <TextAreaField id="agent-config" label="Configuration (JSON)" value=config error=error_for("config") rows=8 class="mono" hint="The steps the agent runs, for example {\"steps\": [{\"id\": \"greet\", \"kind\": \"template\", \"template\": \"hello {{ input.who }}\"}]}." />
            <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {if is_new { "Install agent" } else { "Save changes" }}
                </button>
            </div>
        </form>
    }
}
