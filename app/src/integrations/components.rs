//! Settings › Integrations: the list, the create/edit dialog with write-only secret fields,
//! Test connection, and delete with confirmation. A secret is never shown: a set one reads
//! "Set · updated …" with Replace and Clear.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::auth::domain::MAX_NAME_CHARS;
use crate::error::AppError;
use crate::integrations::model::{
    ConnectionCheck, Integration, IntegrationKind, IntegrationRequest, IntegrationSettings,
    SecretState,
};
use crate::integrations::server_fns::{
    delete_integration, integrations_tab, save_integration, test_integration,
};
use crate::session::use_user;
use crate::ui::field::{field_message, form_message};
use crate::ui::{
    load, ConfirmDialog, Dialog, EmptyState, ErrorAlert, LoadError, RelativeTime, SelectField,
    TextAreaField, TextField,
};

/// The one secret of a model integration.
const API_KEY: &str = "api_key";

#[component]
pub fn IntegrationsTab() -> impl IntoView {
    let can_write = use_user().can_write();
    let integrations = load(|| (), |_| integrations_tab());
    let creating = RwSignal::new(false);
    let reload = Callback::new(move |()| integrations.refetch());
    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Integrations"</h2>
                    <p class="muted">
                        "Connections to outside services that agents call. Secret values are write-only: once saved, nobody can read them back."
                    </p>
                </div>
                <Show when=move || can_write>
                    <button type="button" class="primary" on:click=move |_| creating.set(true)>
                        "New integration"
                    </button>
                </Show>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading integrations…"</p> }>
                {move || Suspend::new(async move {
                    match integrations.await.map(|data| (data.items, data.assistant_model)) {
                        Ok((list, _)) if list.is_empty() => view! {
                            <EmptyState
                                title="No integrations yet."
                                hint=if can_write {
                                    "Add an HTTP service or an OpenAI-compatible model endpoint."
                                } else {
                                    "An owner or admin can add them."
                                }
                            />
                        }
                        .into_any(),
                        Ok((list, assistant_model)) => view! {
                            <ul class="item-list" aria-label="Integrations">
                                {list
                                    .into_iter()
                                    .map(|integration| {
                                        let answers_assistant = assistant_model.as_deref() == Some(integration.id.as_str());
                                        view! { <IntegrationItem integration answers_assistant can_write reload /> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Dialog open=creating title="New integration">
            <IntegrationForm existing=None open=creating on_saved=reload />
        </Dialog>
    }
}

fn kind_label(kind: IntegrationKind) -> &'static str {
    match kind {
        IntegrationKind::Http => "HTTP service",
        IntegrationKind::Llm => "Model (OpenAI-compatible)",
    }
}

/// How a secret is named in the page.
fn secret_label(field: &str) -> String {
    if field == API_KEY {
        "API key".to_owned()
    } else {
        format!("Header {field}")
    }
}

#[component]
fn IntegrationItem(
    integration: Integration,
    /// This model writes the assistant's answers.
    answers_assistant: bool,
    can_write: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let choosing =
        Action::new(|id: &String| crate::assistant::server_fns::choose_assistant_model(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = choosing.value().get() {
            reload.run(());
        }
    });
    let choose_error = Signal::derive(move || choosing.value().with(form_message));
    let is_model = integration.kind == IntegrationKind::Llm;
    let model_id = integration.id.clone();
    let editing = RwSignal::new(false);
    let testing = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let deleting = Action::new(|id: &String| delete_integration(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = deleting.value().get() {
            confirming_delete.set(false);
            reload.run(());
        }
    });
    let delete_error = Signal::derive(move || deleting.value().with(form_message));
    let id = integration.id.clone();
    let test_id = integration.id.clone();
    let name = integration.name.clone();
    let existing = integration.clone();
    let secrets: Vec<(String, SecretState)> = integration.secrets.clone().into_iter().collect();
    view! {
        <li class="item" data-testid="integration">
            <div class="item-main">
                <h3 class="item-title">{integration.name.clone()}</h3>
                <span class="badge">{kind_label(integration.kind)}</span>
                <p class="id-line"><code>{integration.settings.base_url.clone()}</code></p>
                {integration.settings.model.clone().map(|model| view! { <p class="muted small">"Model " <code>{model}</code></p> })}
                {answers_assistant.then(|| view! { <p class="badge assistant-model" data-testid="assistant-model">"Writes the assistant’s answers"</p> })}
                <ul class="secret-states" aria-label=format!("Secrets of {}", integration.name)>
                    {secrets
                        .into_iter()
                        .map(|(field, state)| view! {
                            <li>
                                {secret_label(&field)} " · set, updated "
                                <RelativeTime at_ms=state.updated_at_ms />
                            </li>
                        })
                        .collect_view()}
                </ul>
            </div>
            <Show when=move || can_write>
                <div class="item-actions">
                    {is_model.then(|| {
                        // Choosing none hands the answers back to the knowledge base alone.
                        let (choice, label) = if answers_assistant {
                            (String::new(), "Stop using for the assistant")
                        } else {
                            (model_id.clone(), "Use for the assistant")
                        };
                        view! {
                            <button type="button" disabled=move || choosing.pending().get() on:click=move |_| { choosing.dispatch(choice.clone()); }>{label}</button>
                        }
                    })}
                    <button type="button" aria-label=format!("Test connection of {name}") on:click=move |_| testing.set(true)>"Test connection"</button>
                    <button type="button" aria-label=format!("Edit {name}") on:click=move |_| editing.set(true)>"Edit"</button>
                    <button type="button" class="danger-outline" aria-label=format!("Delete {name}") on:click=move |_| confirming_delete.set(true)>"Delete"</button>
                </div>
            </Show>
            <ErrorAlert message=choose_error />
            <Dialog open=editing title=format!("Edit {}", integration.name)>
                <IntegrationForm existing=Some(existing.clone()) open=editing on_saved=reload />
            </Dialog>
            <Dialog open=testing title=format!("Test {}", integration.name)>
                <ConnectionTest id=test_id.clone() kind=integration.kind open=testing />
            </Dialog>
            <ConfirmDialog
                open=confirming_delete
                title=format!("Delete {}?", integration.name)
                confirm_label="Delete integration"
                pending=deleting.pending()
                error=delete_error
                on_confirm=Callback::new({
                    let id = id.clone();
                    move |()| {
                        deleting.dispatch(id.clone());
                    }
                })
            >
                <p>"The integration and its secrets are deleted for good. Agent steps that use it will fail until they use another."</p>
            </ConfirmDialog>
        </li>
    }
}

/// What the form will do to a secret that is set.
#[derive(Clone, PartialEq)]
enum SecretChange {
    Keep,
    Replace,
    Clear,
}

/// Create (no `existing`) or edit an integration; closes the dialog and reloads on success.
#[component]
fn IntegrationForm(
    existing: Option<Integration>,
    open: RwSignal<bool>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let editing_id = existing.as_ref().map(|e| e.id.clone());
    let is_new = editing_id.is_none();
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|e| e.name.clone())
            .unwrap_or_default(),
    );
    let kind = RwSignal::new(
        existing
            .as_ref()
            .map_or(IntegrationKind::Llm, |e| e.kind)
            .as_str()
            .to_owned(),
    );
    let settings = existing
        .as_ref()
        .map(|e| e.settings.clone())
        .unwrap_or_default();
    let base_url = RwSignal::new(settings.base_url.clone());
    let model = RwSignal::new(settings.model.clone().unwrap_or_default());
    let headers = RwSignal::new(
        settings
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    // Secrets already set: each keeps, gets a new value, or is cleared.
    let set_secrets: Vec<(
        String,
        SecretState,
        RwSignal<SecretChange>,
        RwSignal<String>,
    )> = existing
        .as_ref()
        .map(|e| {
            e.secrets
                .iter()
                .map(|(field, state)| {
                    (
                        field.clone(),
                        state.clone(),
                        RwSignal::new(SecretChange::Keep),
                        RwSignal::new(String::new()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let api_key_set = set_secrets.iter().any(|(field, ..)| field == API_KEY);
    // A new secret: the API key of a model, or one more secret header of a service.
    let new_secret_name = RwSignal::new(String::new());
    let new_secret_value = RwSignal::new(String::new());

    let save = Action::new(move |input: &(Option<String>, IntegrationRequest)| {
        let (id, request) = input.clone();
        save_integration(id, request)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            open.set(false);
            on_saved.run(());
        }
    });
    let answer = save.value();
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            answer.with(|a: &Option<Result<Integration, AppError>>| field_message(a, field))
        })
    };
    // Errors for a group of fields (each header, each secret) under one line.
    let errors_under = move |prefix: &'static str| {
        Signal::derive(move || {
            answer.with(|a| match a {
                Some(Err(AppError::Validation(errors))) => {
                    let messages: Vec<String> = errors
                        .iter()
                        .filter(|(field, _)| field.starts_with(prefix))
                        .map(|(field, messages)| {
                            format!(
                                "{}: {}",
                                field.trim_start_matches(prefix),
                                messages.join(" ")
                            )
                        })
                        .collect();
                    (!messages.is_empty()).then(|| messages.join(" "))
                }
                _ => None,
            })
        })
    };
    let is_llm = move || kind.get() == "llm";
    let changes = set_secrets.clone();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let kind_value = IntegrationKind::parse(&kind.get()).unwrap_or(IntegrationKind::Llm);
        let mut secrets: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (field, _, change, value) in &changes {
            match change.get() {
                SecretChange::Keep => {}
                SecretChange::Replace => {
                    secrets.insert(field.clone(), Some(value.get()));
                }
                SecretChange::Clear => {
                    secrets.insert(field.clone(), None);
                }
            }
        }
        let new_value = new_secret_value.get();
        if !new_value.is_empty() {
            let field = if kind_value == IntegrationKind::Llm {
                API_KEY.to_owned()
            } else {
                new_secret_name.get()
            };
            secrets.insert(field, Some(new_value));
        }
        let plain_headers: BTreeMap<String, String> = headers
            .get()
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| match line.split_once(':') {
                Some((name, value)) => (name.trim().to_owned(), value.trim().to_owned()),
                None => (line.trim().to_owned(), String::new()),
            })
            .collect();
        let request = IntegrationRequest {
            name: name.get(),
            kind: kind_value,
            settings: IntegrationSettings {
                base_url: base_url.get(),
                model: (kind_value == IntegrationKind::Llm).then(|| model.get()),
                headers: if kind_value == IntegrationKind::Http {
                    plain_headers
                } else {
                    BTreeMap::new()
                },
            },
            secrets,
        };
        save.dispatch((editing_id.clone(), request));
    };
    let kinds = vec![
        (
            "llm".to_owned(),
            kind_label(IntegrationKind::Llm).to_owned(),
        ),
        (
            "http".to_owned(),
            kind_label(IntegrationKind::Http).to_owned(),
        ),
    ];
    view! {
        <form on:submit=on_submit novalidate class="integration-form">
            <TextField id="integration-name" label="Name" value=name error=error_for("name") required=true maxlength=MAX_NAME_CHARS as u32 autofocus=true />
            {if is_new {
                view! { <SelectField id="integration-kind" label="Kind" value=kind options=kinds error=error_for("kind") /> }.into_any()
            } else {
                view! { <p class="muted">"Kind: " {kind_label(IntegrationKind::parse(&kind.get_untracked()).unwrap_or(IntegrationKind::Llm))}</p> }.into_any()
            }}
            <TextField id="integration-base-url" label="Base URL" value=base_url error=error_for("settings.base_url") required=true hint="For example https://api.example.com/v1" />
            <Show when=is_llm>
                <TextField id="integration-model" label="Model" value=model error=error_for("settings.model") required=true />
            </Show>
            <Show when=move || !is_llm()>
                <TextAreaField id="integration-headers" label="Headers (optional, one “Name: value” per line; not secret)" value=headers error=errors_under("settings.headers") />
            </Show>
            <fieldset class="secrets">
                <legend>"Secrets"</legend>
                <p class="muted small">"Write-only: a saved secret is never shown again, only whether it is set."</p>
                {set_secrets
                    .iter()
                    .cloned()
                    .map(|(field, state, change, value)| {
                        let label = secret_label(&field);
                        let input_id = format!("secret-{}", field.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                        view! {
                            <div class="integration-secret" data-testid="secret-row">
                                <p>
                                    <strong>{label.clone()}</strong>
                                    {move || match change.get() {
                                        SecretChange::Keep => view! { <span>" · set, updated " <RelativeTime at_ms=state.updated_at_ms /></span> }.into_any(),
                                        SecretChange::Replace => view! { <span>" · will be replaced"</span> }.into_any(),
                                        SecretChange::Clear => view! { <span>" · will be cleared"</span> }.into_any(),
                                    }}
                                </p>
                                <Show when=move || change.get() == SecretChange::Replace>
                                    <TextField id=input_id.clone() label=format!("New value for {label}") value=value input_type="password" autocomplete="off" />
                                </Show>
                                <div class="secret-actions">
                                    <Show when=move || change.get() == SecretChange::Keep fallback=move || view! {
                                        <button type="button" on:click=move |_| { change.set(SecretChange::Keep); value.set(String::new()); }>"Undo"</button>
                                    }>
                                        <button type="button" aria-label=format!("Replace {}", secret_label(&field)) on:click=move |_| change.set(SecretChange::Replace)>"Replace"</button>
                                        <button type="button" aria-label=format!("Clear {}", secret_label(&field)) on:click=move |_| change.set(SecretChange::Clear)>"Clear"</button>
                                    </Show>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
                <Show when=move || is_llm() && !api_key_set>
                    <TextField id="integration-api-key" label="API key" value=new_secret_value input_type="password" autocomplete="off" />
                </Show>
                <Show when=move || !is_llm()>
                    <div class="new-secret">
                        <TextField id="integration-secret-header" label="Secret header name (optional)" value=new_secret_name hint="Sent with every request, such as Authorization or X-Api-Key" />
                        <TextField id="integration-secret-value" label="Secret header value" value=new_secret_value input_type="password" autocomplete="off" />
                    </div>
                </Show>
                <p class="field-error">{move || errors_under("secrets.").get()}</p>
            </fieldset>
            <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {if is_new { "Create integration" } else { "Save changes" }}
                </button>
            </div>
        </form>
    }
}

/// Sends one request through the integration and shows what came back.
#[component]
fn ConnectionTest(id: String, kind: IntegrationKind, open: RwSignal<bool>) -> impl IntoView {
    let path = RwSignal::new(String::new());
    let check = Action::new(move |input: &(String, String)| {
        let (id, path) = input.clone();
        test_integration(id, path)
    });
    let answer = check.value();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        check.dispatch((id.clone(), path.get()));
    };
    let outcome = move || {
        answer
            .get()
            .map(|result: Result<ConnectionCheck, AppError>| match result {
                Ok(checked) => {
                    let class = if checked.ok {
                        "check-result ok"
                    } else {
                        "check-result failed"
                    };
                    view! {
                        <p class=class role="status" data-testid="connection-result">
                            {if checked.ok { "Connected. " } else { "Not connected. " }}
                            {checked.message.clone()}
                            {format!(" ({} ms)", checked.latency_ms)}
                        </p>
                    }
                    .into_any()
                }
                Err(error) => {
                    view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any()
                }
            })
    };
    view! {
        <form on:submit=on_submit novalidate>
            {match kind {
                IntegrationKind::Http => view! {
                    <TextField id="connection-path" label="Path to GET" value=path hint="Under the base URL, such as /health" error=Signal::derive(move || answer.with(|a| field_message(a, "path"))) />
                }
                .into_any(),
                IntegrationKind::Llm => view! { <p class="muted">"Lists the endpoint's models with the API key."</p> }.into_any(),
            }}
            {outcome}
            <div class="dialog-actions">
                <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                <button type="submit" class="primary" disabled=move || check.pending().get()>"Send request"</button>
            </div>
        </form>
    }
}
