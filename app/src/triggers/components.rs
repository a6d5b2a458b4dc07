//! An agent's Triggers tab: its triggers with what starts each (by hand, a schedule in words
//! with its next fire time, a webhook address to copy), and for owners and admins: create
//! (a schedule previews its next five fire times as it is typed; a webhook's signing secret
//! and a ready `curl` command are shown once), run now with an input, enable or disable,
//! rotate a webhook's secret, delete.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::auth::domain::MAX_NAME_CHARS;
use crate::environments::server_fns::list_environments;
use crate::session::use_user;
use crate::triggers::model::{Trigger, TriggerKind, TriggerRequest};
use crate::triggers::server_fns::{
    delete_trigger, list_triggers, preview_schedule, rotate_trigger_secret, run_trigger,
    save_trigger,
};
use crate::ui::field::{field_message, form_message};
use crate::ui::{
    load, ConfirmDialog, CopyButton, Dialog, EmptyState, ErrorAlert, LoadError, Loaded, MenuButton,
    MenuItem, RelativeTime, SelectField, TextAreaField, TextField,
};

/// A webhook trigger's secret, shown once after it was created or rotated.
#[derive(Debug, Clone, PartialEq)]
struct ShownSecret {
    trigger_name: String,
    path: String,
    secret: String,
}

#[component]
pub fn AgentTriggersTab() -> impl IntoView {
    let can_write = use_user().can_write();
    let params = use_params_map();
    let agent_id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let triggers = load(move || agent_id.get(), list_triggers);
    let environments = load(|| (), |_| list_environments());
    let creating = RwSignal::new(false);
    let secret_open = RwSignal::new(false);
    let shown_secret = RwSignal::new(None::<ShownSecret>);
    let show_secret = Callback::new(move |trigger: Trigger| {
        if let (Some(secret), Some(path)) = (trigger.signing_secret, trigger.webhook_path) {
            shown_secret.set(Some(ShownSecret {
                trigger_name: trigger.name,
                path,
                secret,
            }));
            secret_open.set(true);
        }
    });
    let on_changed = Callback::new(move |()| triggers.refetch());
    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Triggers"</h2>
                    <p class="muted">"What starts this agent in an environment: by hand, on a schedule, or when an event arrives."</p>
                </div>
                <Show when=move || can_write>
                    <button type="button" class="primary" on:click=move |_| creating.set(true)>"Create trigger"</button>
                </Show>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading triggers…"</p> }>
                {move || Suspend::new(async move {
                    let (listed, known) = (triggers.await, environments.await);
                    let names: HashMap<String, String> = known
                        .map(|list| list.into_iter().map(|e| (e.id, e.name)).collect())
                        .unwrap_or_default();
                    match listed {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState
                                testid="triggers-empty"
                                title="No triggers yet."
                                hint=if can_write { "Create one to run this agent by hand, on a schedule or from a webhook." } else { "An owner or admin can create triggers." }
                            />
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="data-table" aria-label="Triggers">
                                    <thead>
                                        <tr><th>"Name"</th><th>"Kind"</th><th>"Environment"</th><th>"Starts"</th><th>"State"</th><th><span class="visually-hidden">"Actions"</span></th></tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|trigger| {
                                                let environment = names.get(&trigger.environment_id).cloned().unwrap_or_else(|| "—".into());
                                                view! { <TriggerRow trigger environment can_write on_changed show_secret /> }
                                            })
                                            .collect_view()}
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
        <Dialog open=creating title="Create trigger">
            <TriggerForm
                agent_id=agent_id.get_untracked()
                environments
                open=creating
                on_saved=Callback::new(move |trigger: Trigger| {
                    on_changed.run(());
                    show_secret.run(trigger);
                })
            />
        </Dialog>
        <Dialog open=secret_open title="Webhook signing secret">
            {move || shown_secret.get().map(|shown| view! { <SecretShownOnce shown /> })}
            <div class="dialog-actions">
                <button type="button" class="primary" on:click=move |_| secret_open.set(false)>"I have stored it"</button>
            </div>
        </Dialog>
    }
}

#[component]
fn TriggerRow(
    trigger: Trigger,
    environment: String,
    can_write: bool,
    on_changed: Callback<()>,
    show_secret: Callback<Trigger>,
) -> impl IntoView {
    let agent_id = trigger.agent_id.clone();
    let running = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let toggle = Action::new(move |trigger: &Trigger| {
        let trigger = trigger.clone();
        async move {
            let request = TriggerRequest {
                name: trigger.name,
                agent_id: trigger.agent_id,
                environment_id: trigger.environment_id,
                kind: trigger.kind,
                enabled: Some(!trigger.enabled),
                cron: trigger.cron,
                time_zone: trigger.time_zone,
            };
            save_trigger(Some(trigger.id), request).await
        }
    });
    let rotate = Action::new(|id: &String| rotate_trigger_secret(id.clone()));
    let deleting = Action::new(|id: &String| delete_trigger(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = toggle.value().get() {
            on_changed.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(rotated)) = rotate.value().get() {
            show_secret.run(rotated);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = deleting.value().get() {
            confirming_delete.set(false);
            on_changed.run(());
        }
    });
    let row_error = Signal::derive(move || {
        toggle
            .value()
            .with(form_message)
            .or_else(|| rotate.value().with(form_message))
    });
    let delete_error = Signal::derive(move || deleting.value().with(form_message));
    let starts = match trigger.kind {
        TriggerKind::Manual => view! { <span class="muted">"By hand"</span> }.into_any(),
        TriggerKind::Schedule => view! {
            <span>{trigger.schedule_description.clone().unwrap_or_default()}</span>
            <span class="muted small">{trigger.time_zone.clone().map(|zone| format!(" ({zone})"))}</span>
            {trigger.next_fire_at_ms.map(|at| view! { <br /><span class="muted small">"Next " <RelativeTime at_ms=at /></span> })}
        }
        .into_any(),
        TriggerKind::Webhook => {
            // The path is shown (the server renders it too); the copy is the whole address,
            // which only the browser knows.
            let path = trigger.webhook_path.clone().unwrap_or_default();
            let url = format!("{}{path}", crate::ui::browser::origin());
            view! {
                <code class="small" data-testid="webhook-url">{path}</code>
                " "
                <CopyButton text=url label="Copy URL" class="small" />
            }
            .into_any()
        }
    };
    let for_toggle = trigger.clone();
    let id_for_rotate = trigger.id.clone();
    let id_for_delete = trigger.id.clone();
    let is_webhook = trigger.kind == TriggerKind::Webhook;
    let enabled = trigger.enabled;
    let run_target = trigger.clone();
    let menu_label = format!("More actions for {}", trigger.name);
    view! {
        <tr data-testid="trigger">
            <td>{trigger.name.clone()}</td>
            <td><span class="badge badge-neutral">{trigger.kind.label()}</span></td>
            <td>{environment}</td>
            <td>{starts}</td>
            <td>
                {if enabled {
                    view! { <span class="badge trigger-state state-enabled">"Enabled"</span> }.into_any()
                } else {
                    view! { <span class="badge trigger-state state-disabled">"Disabled"</span> }.into_any()
                }}
            </td>
            <td>
                {can_write.then(move || view! {
                    <div class="item-actions">
                        <button type="button" disabled=!enabled on:click=move |_| running.set(true)>"Run now"</button>
                        <MenuButton label=menu_label class="trigger-menu">
                            {
                                let for_toggle = for_toggle.clone();
                                let id_for_rotate = id_for_rotate.clone();
                                move || {
                                    let for_toggle = for_toggle.clone();
                                    let id_for_rotate = id_for_rotate.clone();
                                    view! {
                                        <MenuItem on_select=Callback::new(move |()| { toggle.dispatch(for_toggle.clone()); })>
                                            {if enabled { "Disable" } else { "Enable" }}
                                        </MenuItem>
                                        {is_webhook.then(|| view! {
                                            <MenuItem
                                                description=Some("A new signing secret; the old one works for 24 hours")
                                                on_select=Callback::new(move |()| { rotate.dispatch(id_for_rotate.clone()); })
                                            >
                                                "Rotate secret"
                                            </MenuItem>
                                        })}
                                        <MenuItem danger=true on_select=Callback::new(move |()| confirming_delete.set(true))>
                                            "Delete"
                                        </MenuItem>
                                    }
                                }
                            }
                        </MenuButton>
                    </div>
                    <ErrorAlert message=row_error />
                })}
                // Dialogs live in the cell: a <dialog> directly in <tbody> is not valid HTML,
                // and the browser would move it, out of step with hydration.
                <Dialog open=running title=format!("Run {}", trigger.name)>
                    <RunForm trigger=run_target.clone() agent_id=agent_id.clone() open=running />
                </Dialog>
                <ConfirmDialog
                    open=confirming_delete
                    title=format!("Delete {}?", trigger.name)
                    confirm_label="Delete trigger"
                    pending=deleting.pending()
                    error=delete_error
                    on_confirm=Callback::new(move |()| {
                        deleting.dispatch(id_for_delete.clone());
                    })
                >
                    <p>"It starts nothing from now on; a webhook address stops taking events. Its executions stay in the Executions tab."</p>
                </ConfirmDialog>
            </td>
        </tr>
    }
}

/// Runs a trigger with an input, then opens the execution in the Executions tab.
#[component]
fn RunForm(trigger: Trigger, agent_id: String, open: RwSignal<bool>) -> impl IntoView {
    let input = RwSignal::new("{}".to_owned());
    let run = Action::new(|(id, input): &(String, String)| run_trigger(id.clone(), input.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(executed)) = run.value().get() {
            open.set(false);
            navigate(
                &format!(
                    "/agents/{agent_id}/executions?open={}",
                    executed.execution_id
                ),
                Default::default(),
            );
        }
    });
    let answer = run.value();
    let id = trigger.id.clone();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        run.dispatch((id.clone(), input.get()));
    };
    view! {
        <form on:submit=on_submit novalidate>
            <TextAreaField
                id="run-input"
                label="Input (JSON)"
                value=input
                rows=6
                class="mono"
                error=Signal::derive(move || answer.with(|a| field_message(a, "input")))
                hint="The steps see it as input, for example {{ input.who }}."
            />
            <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || run.pending().get()>"Run"</button>
            </div>
        </form>
    }
}

#[component]
fn TriggerForm(
    agent_id: String,
    environments: Loaded<
        Result<Vec<crate::environments::model::EnvironmentView>, crate::error::AppError>,
    >,
    open: RwSignal<bool>,
    on_saved: Callback<Trigger>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let environment_id = RwSignal::new(String::new());
    let kind = RwSignal::new(TriggerKind::Manual.as_str().to_owned());
    let cron = RwSignal::new("0 9 * * MON-FRI".to_owned());
    let time_zone = RwSignal::new(crate::ui::browser::time_zone());
    let save = Action::new(|request: &TriggerRequest| save_trigger(None, request.clone()));
    Effect::new(move |_| {
        if let Some(Ok(trigger)) = save.value().get() {
            open.set(false);
            on_saved.run(trigger);
        }
    });
    // The first environment is chosen until someone picks another.
    Effect::new(move |_| {
        if let Some(Ok(list)) = environments.get() {
            if environment_id.get_untracked().is_empty() {
                if let Some(first) = list.first() {
                    environment_id.set(first.id.clone());
                }
            }
        }
    });
    let preview = load(
        move || (kind.get(), cron.get(), time_zone.get()),
        |(kind, cron, time_zone)| async move {
            if kind == TriggerKind::Schedule.as_str() {
                Some(preview_schedule(cron, time_zone).await)
            } else {
                None
            }
        },
    );
    let answer = save.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || answer.with(|a| field_message(a, field)));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let kind = TriggerKind::parse(&kind.get()).unwrap_or(TriggerKind::Manual);
        let schedule = kind == TriggerKind::Schedule;
        save.dispatch(TriggerRequest {
            name: name.get(),
            agent_id: agent_id.clone(),
            environment_id: environment_id.get(),
            kind,
            enabled: Some(true),
            cron: schedule.then(|| cron.get()),
            time_zone: schedule.then(|| time_zone.get()),
        });
    };
    let kinds = [
        (
            TriggerKind::Manual,
            "Manual: run it by hand or from the API",
        ),
        (
            TriggerKind::Schedule,
            "Schedule: at the times of a cron expression",
        ),
        (
            TriggerKind::Webhook,
            "Webhook: when an event is sent to its address",
        ),
    ]
    .map(|(kind, label)| (kind.as_str().to_owned(), label.to_owned()))
    .to_vec();
    view! {
        <form on:submit=on_submit novalidate>
            <TextField id="trigger-name" label="Name" value=name error=error_for("name") required=true maxlength=MAX_NAME_CHARS as u32 autofocus=true />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let options: Vec<(String, String)> = environments
                        .await
                        .map(|list| list.into_iter().map(|e| (e.id, e.name)).collect())
                        .unwrap_or_default();
                    view! { <SelectField id="trigger-environment" label="Environment" value=environment_id options error=error_for("environment_id") /> }
                })}
            </Transition>
            <SelectField id="trigger-kind" label="Kind" value=kind options=kinds error=error_for("kind") />
            <Show when=move || kind.get() == TriggerKind::Schedule.as_str()>
                <TextField id="trigger-cron" label="Cron expression" value=cron error=error_for("cron") hint="Minute hour day month weekday, for example 0 9 * * MON-FRI or @daily." />
                <TextField id="trigger-time-zone" label="Time zone" value=time_zone error=error_for("time_zone") hint="An IANA name, such as UTC or Europe/Berlin." />
                <Transition fallback=|| ()>
                    {move || {
                        // After Create, the fields say what is wrong: the preview does not
                        // say it a second time (a preview that works still shows).
                        let fields_refused = answer.with(|a| {
                            field_message(a, "cron").is_some() || field_message(a, "time_zone").is_some()
                        });
                        Suspend::new(async move {
                        match preview.await {
                            Some(Ok(preview)) => view! {
                                <div class="schedule-preview" data-testid="schedule-preview">
                                    <p>{preview.description}</p>
                                    <ol class="muted small">
                                        {preview.fire_times_ms.into_iter().map(|at| view! { <li>{crate::ui::browser::local_exact(at)}</li> }).collect_view()}
                                    </ol>
                                </div>
                            }
                            .into_any(),
                            Some(Err(_)) if fields_refused => ().into_any(),
                            Some(Err(error)) => {
                                let message = match &error {
                                    crate::error::AppError::Validation(fields) => fields.values().flatten().cloned().collect::<Vec<_>>().join(" "),
                                    other => other.to_string(),
                                };
                                view! { <p class="muted small" data-testid="schedule-preview">{message}</p> }.into_any()
                            }
                            None => ().into_any(),
                        }
                    })
                    }}
                </Transition>
            </Show>
            <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"Create trigger"</button>
            </div>
        </form>
    }
}

/// The signing secret with a copy button and a ready `curl` command that signs an event.
#[component]
fn SecretShownOnce(shown: ShownSecret) -> impl IntoView {
    let url = format!("{}{}", crate::ui::browser::origin(), shown.path);
    let curl = format!(
        "SECRET='{secret}'\nID=msg_$(date +%s%N); TS=$(date +%s); BODY='{{\"hello\": \"world\"}}'\n\
         SIG=$(printf '%s' \"$ID.$TS.$BODY\" | openssl dgst -sha256 -mac HMAC \\\n  -macopt hexkey:$(printf '%s' \"${{SECRET#whsec_}}\" | base64 -d | od -An -tx1 | tr -d ' \\n') -binary | base64)\n\
         curl -X POST '{url}' -H 'content-type: application/json' \\\n  -H \"webhook-id: $ID\" -H \"webhook-timestamp: $TS\" -H \"webhook-signature: v1,$SIG\" \\\n  -d \"$BODY\"",
        secret = shown.secret,
    );
    view! {
        <p>
            "Store the signing secret of " <strong>{shown.trigger_name}</strong>
            " now: it is not shown again. Senders sign each event with it (Standard Webhooks); rotating it keeps the old one valid for 24 hours."
        </p>
        <div class="secret-box">
            <code data-testid="signing-secret">{shown.secret.clone()}</code>
            <CopyButton text=shown.secret label="Copy secret" />
        </div>
        <p class="muted small">"Send a signed event:"</p>
        <pre class="code-block" data-testid="webhook-curl">{curl.clone()}</pre>
        <CopyButton text=curl label="Copy command" />
    }
}
