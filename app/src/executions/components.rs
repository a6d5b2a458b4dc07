//! An agent's Executions tab: its runs, newest first, with status, trigger, environment and
//! duration, filtered by status and environment; a run's detail shows its input, output,
//! error and step log. While anything shown is queued or running the tab asks again every
//! second, so a run's steps appear as they happen. Owners and admins can cancel a run that
//! is not over.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::environments::server_fns::list_environments;
use crate::executions::model::{Execution, ExecutionStatus, StepLogEntry};
use crate::executions::server_fns::{cancel_execution, get_execution, list_executions};
use crate::session::use_user;
use crate::ui::field::form_message;
use crate::ui::{EmptyState, ErrorAlert, LoadError, RelativeTime, SelectField};

/// How often a tab showing unfinished runs asks again.
const REFRESH_MS: u64 = 1_000;

fn status_badge(status: ExecutionStatus) -> impl IntoView {
    view! {
        <span class=format!("badge execution-status status-{}", status.as_str()) data-testid="execution-status">
            {status.label()}
        </span>
    }
}

fn duration_text(execution: &Execution) -> String {
    match (execution.started_at_ms, execution.finished_at_ms) {
        (Some(start), Some(end)) => milliseconds(end - start),
        (Some(_), None) => "running".into(),
        _ => "—".into(),
    }
}

fn milliseconds(ms: i64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1_000.0)
    }
}

/// Asks `refresh` every second while `active` says something shown is unfinished.
fn refresh_while(active: Signal<bool>, refresh: impl Fn() + Clone + 'static) {
    Effect::new(move |_| {
        if !active.get() {
            return;
        }
        let refresh = refresh.clone();
        if let Ok(handle) =
            set_interval_with_handle(refresh, std::time::Duration::from_millis(REFRESH_MS))
        {
            on_cleanup(move || handle.clear());
        }
    });
}

#[component]
pub fn AgentExecutionsTab() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let agent_id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let status = RwSignal::new(String::new());
    let environment = RwSignal::new(String::new());
    // `?open=<id>` opens that execution (Run now lands here): read at once for the server's
    // render, and followed afterwards (a client-side navigation may bring it later).
    let selected = RwSignal::new(query.with_untracked(|q| q.get("open")));
    Effect::new(move |_| {
        if let Some(open) = query.with(|q| q.get("open")) {
            selected.set(Some(open));
        }
    });
    let executions = Resource::new(
        move || (agent_id.get(), status.get(), environment.get()),
        |(agent, status, environment)| list_executions(agent, status, environment),
    );
    let environments = Resource::new(|| (), |_| list_environments());
    let active = Signal::derive(move || {
        executions.with(|page| {
            matches!(page, Some(Ok(page)) if page.items.iter().any(|e| !e.status.is_final()))
        })
    });
    refresh_while(active, move || executions.refetch());

    let mut status_options = vec![(String::new(), "Any status".to_owned())];
    status_options.extend(
        ExecutionStatus::ALL
            .into_iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
    );
    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Executions"</h2>
                    <p class="muted">"Every run of this agent, newest first. Open one for its input, output and step log."</p>
                </div>
            </header>
            <div class="filters">
                <SelectField id="executions-status" label="Status" value=status options=status_options />
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let mut options = vec![(String::new(), "Any environment".to_owned())];
                        if let Ok(list) = environments.await {
                            options.extend(list.into_iter().map(|e| (e.id, e.name)));
                        }
                        view! { <SelectField id="executions-environment" label="Environment" value=environment options /> }
                    })}
                </Transition>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading executions…"</p> }>
                {move || Suspend::new(async move {
                    let (listed, known) = (executions.await, environments.await);
                    let names: HashMap<String, String> = known
                        .map(|list| list.into_iter().map(|e| (e.id, e.name)).collect())
                        .unwrap_or_default();
                    match listed {
                        Ok(page) if page.items.is_empty() => view! {
                            <EmptyState testid="executions-empty" title="No executions yet." hint="Run a trigger from the Triggers tab, or send its webhook an event." />
                        }
                        .into_any(),
                        Ok(page) => view! {
                            <div class="table-wrap">
                                <table class="data-table" aria-label="Executions">
                                    <thead>
                                        <tr><th>"Status"</th><th>"Trigger"</th><th>"Environment"</th><th>"Started"</th><th>"Duration"</th><th><span class="visually-hidden">"Open"</span></th></tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|execution| {
                                            let environment = names.get(&execution.environment_id).cloned().unwrap_or_else(|| "—".into());
                                            let id = execution.id.clone();
                                            let is_selected = {
                                                let id = id.clone();
                                                move || selected.get().as_deref() == Some(id.as_str())
                                            };
                                            view! {
                                                <tr data-testid="execution" class:selected=is_selected>
                                                    <td>{status_badge(execution.status)}</td>
                                                    <td>{execution.trigger_name.clone()}</td>
                                                    <td>{environment}</td>
                                                    <td><RelativeTime at_ms=execution.created_at_ms /></td>
                                                    <td>{duration_text(&execution)}</td>
                                                    <td><button type="button" on:click=move |_| selected.set(Some(id.clone()))>"Open"</button></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        {move || selected.get().map(|id| view! { <ExecutionDetail agent_id=agent_id.get_untracked() id selected on_changed=Callback::new(move |()| executions.refetch()) /> })}
    }
}

#[component]
fn ExecutionDetail(
    agent_id: String,
    id: String,
    selected: RwSignal<Option<String>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let can_write = use_user().can_write();
    let key = (agent_id.clone(), id.clone());
    let detail = Resource::new(move || key.clone(), |(agent, id)| get_execution(agent, id));
    let active = Signal::derive(move || {
        detail.with(|found| matches!(found, Some(Ok(execution)) if !execution.status.is_final()))
    });
    refresh_while(active, move || detail.refetch());
    let cancel = Action::new(move |(agent, id): &(String, String)| {
        cancel_execution(agent.clone(), id.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value().get() {
            detail.refetch();
            on_changed.run(());
        }
    });
    let cancel_error = Signal::derive(move || cancel.value().with(form_message));
    view! {
        <section class="card execution-detail" aria-label="Execution" data-testid="execution-detail">
            <Transition fallback=|| view! { <p class="muted">"Loading execution…"</p> }>
                {move || {
                    let agent_id = agent_id.clone();
                    Suspend::new(async move {
                        match detail.await {
                            Ok(execution) => {
                                let unfinished = !execution.status.is_final();
                                let target = (agent_id.clone(), execution.id.clone());
                                view! {
                                    <header class="section-header">
                                        <h2>"Execution " {status_badge(execution.status)}</h2>
                                        <div class="item-actions">
                                            {(can_write && unfinished).then(|| view! {
                                                <button type="button" class="danger-outline" disabled=move || cancel.pending().get() on:click=move |_| { cancel.dispatch(target.clone()); }>"Cancel"</button>
                                            })}
                                            <button type="button" on:click=move |_| selected.set(None)>"Close"</button>
                                        </div>
                                    </header>
                                    <ErrorAlert message=cancel_error />
                                    <ExecutionFacts execution />
                                }
                                .into_any()
                            }
                            Err(error) => view! { <LoadError error /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn ExecutionFacts(execution: Execution) -> impl IntoView {
    let pretty = |value: &serde_json::Value| {
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    };
    let steps = execution.steps.clone().unwrap_or_default();
    view! {
        <dl class="details">
            <dt>"Execution ID"</dt>
            <dd><code>{execution.id.clone()}</code></dd>
            <dt>"Trigger"</dt>
            <dd>{execution.trigger_name.clone()}</dd>
            <dt>"Queued"</dt>
            <dd><RelativeTime at_ms=execution.created_at_ms /></dd>
            <dt>"Duration"</dt>
            <dd>{duration_text(&execution)}</dd>
            <dt>"Attempts"</dt>
            <dd>{execution.attempts}</dd>
        </dl>
        {execution.cancel_requested.then(|| view! { <p class="muted">"Cancel was asked: it stops before its next step."</p> })}
        {execution.error.clone().map(|error| view! { <p class="form-error" role="alert" data-testid="execution-error">{error}</p> })}
        <h3>"Input"</h3>
        <pre class="code-block" data-testid="execution-input">{pretty(&execution.input)}</pre>
        {execution.output.as_ref().map(|output| view! {
            <h3>"Output"</h3>
            <pre class="code-block" data-testid="execution-output">{pretty(output)}</pre>
        })}
        <h3>"Steps"</h3>
        {if steps.is_empty() {
            view! { <p class="muted">"No step has run yet."</p> }.into_any()
        } else {
            view! {
                <ol class="step-log" aria-label="Step log">
                    {steps.into_iter().map(|step| view! { <StepLine step /> }).collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}

#[component]
fn StepLine(step: StepLogEntry) -> impl IntoView {
    let status = ExecutionStatus::parse(&step.status).unwrap_or(ExecutionStatus::Running);
    view! {
        <li class="step" data-testid="step">
            <div class="step-head">
                <strong>{step.step_id.clone()}</strong>
                <span class="badge badge-neutral">{step.kind.clone()}</span>
                {status_badge(status)}
                <span class="muted small">{step.duration_ms.map(milliseconds).unwrap_or_else(|| "running".into())}</span>
            </div>
            {step.output.clone().map(|output| view! {
                <pre class="code-block small">{output}</pre>
                {step.truncated.then(|| view! { <p class="muted small">"Cut to 4 KiB in the log."</p> })}
            })}
            {step.error.clone().map(|error| view! { <p class="form-error">{error}</p> })}
        </li>
    }
}
