//! "Create API token" (account scope) and "Create deployment token" (one agent in one
//! environment): name, expiry, permissions and, for a deployment, the environment; then the
//! full token, shown once. The value lives only in this form's state, which closing the
//! dialog drops.

use leptos::prelude::*;

use super::expiry_field::{expiry_from_choice, ExpiryField};
use super::permission_choice::{chosen_permissions, PermissionChoice};
use super::permissions_grid::GridBounds;
use super::shown_once::ShownOnce;
use crate::access::permissions::Preset;
use crate::access::policy::ceiling;
use crate::access::{Permissions, TokenScope};
use crate::environments::model::EnvironmentView;
use crate::error::AppError;
use crate::tokens::domain::MAX_NAME_CHARS;
use crate::tokens::model::{CreatedToken, TokenScopeKind};
use crate::tokens::server_fns::create_token;
use crate::ui::browser::parse_local_datetime;
use crate::ui::field::{field_message, form_message};
use crate::ui::{ErrorAlert, SelectField, TextField};

/// Where a new token goes: the workspace, or one agent's deployment in a chosen environment.
#[derive(Clone)]
pub(crate) enum NewTokenScope {
    Account,
    Deployment {
        agent_id: String,
        environments: Vec<EnvironmentView>,
    },
}

impl NewTokenScope {
    /// The most the new token could be allowed, whatever is chosen. A scope's ceiling depends
    /// on its kind only, not on which environment, so it is known before one is chosen.
    fn bounds(&self) -> GridBounds {
        let scope = match self {
            NewTokenScope::Account => TokenScope::Account,
            NewTokenScope::Deployment { agent_id, .. } => TokenScope::Deployment {
                agent_id: agent_id.clone(),
                environment_id: String::new(),
            },
        };
        GridBounds {
            scope_kind: scope.kind(),
            ceiling: ceiling(&scope),
            granted: None,
        }
    }
}

type CreateInput = (String, Option<String>, Option<i64>, Option<Permissions>);

#[component]
pub(crate) fn CreateTokenForm(
    scope: NewTokenScope,
    open: RwSignal<bool>,
    /// Runs once the token exists (the list reloads while the value is still shown).
    on_created: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let expiry = RwSignal::new("never".to_string());
    let custom_at = RwSignal::new(String::new());
    let environment = RwSignal::new(String::new());
    let expiry_error = RwSignal::new(None::<String>);
    let preset = RwSignal::new(Preset::FullAccess);
    // Custom starts from no access: the person adds what the program needs, nothing more.
    let custom_levels = RwSignal::new(Permissions::default());
    let bounds = scope.bounds();
    let agent_id = match &scope {
        NewTokenScope::Deployment { agent_id, .. } => Some(agent_id.clone()),
        NewTokenScope::Account => None,
    };
    let environments = match &scope {
        NewTokenScope::Deployment { environments, .. } => Some(environments.clone()),
        NewTokenScope::Account => None,
    };
    let create = Action::new(
        move |(name, environment_id, expires_at_ms, permissions): &CreateInput| {
            let (name, environment_id, expires_at_ms, permissions) = (
                name.clone(),
                environment_id.clone(),
                *expires_at_ms,
                *permissions,
            );
            let agent_id = agent_id.clone();
            let scope_kind = agent_id.as_ref().map(|_| TokenScopeKind::Deployment);
            create_token(
                name,
                scope_kind,
                environment_id,
                agent_id,
                expires_at_ms,
                permissions,
            )
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            on_created.run(());
        }
    });
    let answer = create.value();
    let name_error = Signal::derive(move || {
        answer.with(|a: &Option<Result<CreatedToken, AppError>>| match a {
            // The one conflict on create is a duplicate name: it belongs to the name field.
            Some(Err(AppError::Conflict(message))) => Some(message.clone()),
            other => field_message(other, "name"),
        })
    });
    let server_expiry_error = Signal::derive(move || {
        expiry_error
            .get()
            .or_else(|| answer.with(|a| field_message(a, "expires_at_ms")))
    });
    let environment_error =
        Signal::derive(move || answer.with(|a| field_message(a, "environment_id")));
    let permissions_error =
        Signal::derive(move || answer.with(|a| field_message(a, "permissions")));
    let general_error = Signal::derive(move || {
        answer.with(|a| match a {
            Some(Err(AppError::Conflict(_))) => None,
            other => form_message(other),
        })
    });
    let is_deployment = environments.is_some();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let now = crate::ui::browser::now_ms();
        let custom = parse_local_datetime(&custom_at.get_untracked());
        match expiry_from_choice(&expiry.get_untracked(), custom, now) {
            Ok(expires_at_ms) => {
                expiry_error.set(None);
                let environment_id = is_deployment
                    .then(|| environment.get_untracked())
                    .filter(|e| !e.is_empty());
                let permissions =
                    chosen_permissions(preset.get_untracked(), custom_levels.get_untracked());
                create.dispatch((
                    name.get_untracked(),
                    environment_id,
                    expires_at_ms,
                    permissions,
                ));
            }
            Err(message) => expiry_error.set(Some(message)),
        }
    };
    let environment_options = StoredValue::new(environments.map(|list| {
        let mut options = vec![(String::new(), "Choose an environment…".to_string())];
        options.extend(
            list.into_iter()
                .map(|e| (e.id, format!("{} ({})", e.name, e.purpose.label()))),
        );
        options
    }));
    let environment_field = move || {
        environment_options.get_value().map(|options| {
            view! { <SelectField id="token-environment" label="Environment" value=environment options error=environment_error /> }
        })
    };
    let submit_label = if is_deployment {
        "Create deployment token"
    } else {
        "Create token"
    };
    let plaintext = move || {
        answer.with(|a| {
            a.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|c| c.plaintext.clone())
        })
    };

    view! {
        {move || match plaintext() {
            Some(value) => view! { <ShownOnce plaintext=value open /> }.into_any(),
            None => view! {
                <form on:submit=on_submit novalidate>
                    <TextField id="token-name" label="Name" value=name error=name_error required=true limit=MAX_NAME_CHARS autofocus=true hint="What uses it, e.g. “CI deploys”." />
                    {environment_field()}
                    <ExpiryField choice=expiry custom_at error=server_expiry_error />
                    <PermissionChoice preset custom=custom_levels bounds error=permissions_error />
                    <ErrorAlert message=general_error />
                    <div class="dialog-actions">
                        <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="submit" class="primary" disabled=move || create.pending().get()>
                            {submit_label}
                        </button>
                    </div>
                </form>
            }
            .into_any(),
        }}
    }
    .into_any()
}
