//! Settings › Environments: the list, the create/edit dialog and delete with confirmation.

use leptos::prelude::*;

use crate::auth::domain::MAX_NAME_CHARS;
use crate::environments::model::{EnvironmentPurpose, EnvironmentView};
use crate::environments::server_fns::{
    create_environment, delete_environment, list_environments, update_environment,
};
use crate::error::AppError;
use crate::session::use_user;
use crate::ui::field::{field_message, form_message};
use crate::ui::{
    load, ConfirmDialog, CopyButton, Dialog, EmptyState, ErrorAlert, LoadError, RelativeTime,
    SelectField, TextAreaField, TextField,
};

#[component]
pub fn EnvironmentsTab() -> impl IntoView {
    let can_write = use_user().can_write();
    let environments = load(|| (), |_| list_environments());
    let creating = RwSignal::new(false);
    let reload = Callback::new(move |()| environments.refetch());

    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Environments"</h2>
                    <p class="muted">
                        "Where your agents run. Environment and deployment tokens are scoped to one environment."
                    </p>
                </div>
                <Show when=move || can_write>
                    <button type="button" class="primary" on:click=move |_| creating.set(true)>
                        "New environment"
                    </button>
                </Show>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading environments…"</p> }>
                {move || Suspend::new(async move {
                    match environments.await {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState
                                title="No environments yet."
                                hint=if can_write {
                                    "Create one for each place your agents run, such as Development and Production."
                                } else {
                                    "An owner or admin can create them."
                                }
                            />
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="item-list" aria-label="Environments">
                                {list
                                    .into_iter()
                                    .map(|environment| view! { <EnvironmentItem environment can_write reload /> })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Dialog open=creating title="New environment">
            <EnvironmentForm existing=None open=creating on_saved=reload />
        </Dialog>
    }
}

#[component]
fn EnvironmentItem(
    environment: EnvironmentView,
    can_write: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let deleting = Action::new(|id: &String| delete_environment(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = deleting.value().get() {
            confirming_delete.set(false);
            reload.run(());
        }
    });
    let delete_error = Signal::derive(move || deleting.value().with(form_message));
    let id = environment.id.clone();
    let name = environment.name.clone();
    let edit_title = format!("Edit {}", environment.name);
    let delete_title = format!("Delete {}?", environment.name);
    let existing = environment.clone();
    view! {
        <li class="item" data-testid="environment">
            <div class="item-main">
                <h3 class="item-title">{environment.name.clone()}</h3>
                <span class=format!("badge purpose-{}", environment.purpose.as_str())>{environment.purpose.label()}</span>
                {(!environment.description.is_empty()).then(|| view! { <p class="item-description">{environment.description.clone()}</p> })}
                <p class="id-line">
                    <span class="muted">"Environment ID "</span>
                    <code>{environment.public_id.clone()}</code>
                    <CopyButton text=environment.public_id.clone() label=format!("Copy Environment ID of {}", environment.name) class="small" />
                </p>
                <p class="muted small">"Created " <RelativeTime at_ms=environment.created_at_ms /></p>
            </div>
            <Show when=move || can_write>
                <div class="item-actions">
                    <button type="button" aria-label=format!("Edit {name}") on:click=move |_| editing.set(true)>"Edit"</button>
                    <button type="button" class="danger-outline" aria-label=format!("Delete {}", name.clone()) on:click=move |_| confirming_delete.set(true)>"Delete"</button>
                </div>
            </Show>
            <Dialog open=editing title=edit_title>
                <EnvironmentForm existing=Some(existing.clone()) open=editing on_saved=reload />
            </Dialog>
            <ConfirmDialog
                open=confirming_delete
                title=delete_title
                confirm_label="Delete environment"
                pending=deleting.pending()
                error=delete_error
                on_confirm=Callback::new({
                    let id = id.clone();
                    move |()| {
                        deleting.dispatch(id.clone());
                    }
                })
            >
                <p>
                    "The environment is deleted for good. Every environment and deployment token scoped to it is revoked at once: programs using those tokens are refused from their next request."
                </p>
            </ConfirmDialog>
        </li>
    }
}

/// Create (no `existing`) or edit an environment; closes the dialog and reloads on success.
#[component]
fn EnvironmentForm(
    existing: Option<EnvironmentView>,
    open: RwSignal<bool>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let editing_id = existing.as_ref().map(|e| e.id.clone());
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|e| e.name.clone())
            .unwrap_or_default(),
    );
    let purpose = RwSignal::new(
        existing
            .as_ref()
            .map(|e| e.purpose)
            .unwrap_or(EnvironmentPurpose::Development)
            .as_str()
            .to_string(),
    );
    let description = RwSignal::new(
        existing
            .as_ref()
            .map(|e| e.description.clone())
            .unwrap_or_default(),
    );
    let save = Action::new(move |input: &(Option<String>, String, String, String)| {
        let (id, name, purpose, description) = input.clone();
        async move {
            match id {
                Some(id) => update_environment(id, name, purpose, description).await,
                None => create_environment(name, purpose, description).await,
            }
        }
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
            answer.with(|a: &Option<Result<EnvironmentView, AppError>>| field_message(a, field))
        })
    };
    let is_new = editing_id.is_none();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch((
            editing_id.clone(),
            name.get(),
            purpose.get(),
            description.get(),
        ));
    };
    let purposes = EnvironmentPurpose::ALL
        .into_iter()
        .map(|p| (p.as_str().to_string(), p.label().to_string()))
        .collect::<Vec<_>>();
    view! {
        <form on:submit=on_submit novalidate>
            <TextField id="environment-name" label="Name" value=name error=error_for("name") required=true maxlength=MAX_NAME_CHARS as u32 autofocus=true />
            <SelectField id="environment-purpose" label="Purpose" value=purpose options=purposes error=error_for("purpose") />
            <TextAreaField id="environment-description" label="Description (optional)" value=description error=error_for("description") />
            <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {if is_new { "Create environment" } else { "Save changes" }}
                </button>
            </div>
        </form>
    }
}
