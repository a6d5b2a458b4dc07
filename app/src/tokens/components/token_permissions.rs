//! A token's permissions in its detail: the summary, each resource's level as it takes effect
//! (the scope's ceiling applied, capped levels marked), and for owners and admins "Edit
//! permissions", which can only narrow them (SPEC §4.2: never widened after creation).
//!
//! Written lean on purpose: every component, action and effect adds to the one WASM bundle
//! every page downloads (see `scripts/bundle_size.py`), so the list is a plain function and
//! saving is a task rather than an `Action`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::permissions_grid::{first_focus_id, scope_note, GridBounds, PermissionsGrid};
use super::{permissions_badge, TokenStore};
use crate::access::policy::ceiling;
use crate::access::{Permissions, Resource};
use crate::error::AppError;
use crate::tokens::model::{EffectiveStatus, TokenView};
use crate::tokens::server_fns::narrow_token_permissions;
use crate::ui::browser::focus_by_id;
use crate::ui::field::{field_message, form_message};
use crate::ui::{ErrorAlert, FieldError};

const EDIT_ID: &str = "token-edit-permissions";
const GRID_ID: &str = "narrow-permission";

/// Focus moves once the view that holds `id` has been drawn.
fn focus_next_frame(id: String) {
    request_animation_frame(move || focus_by_id(&id));
}

#[component]
pub(crate) fn TokenPermissions(shown: RwSignal<TokenView>) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let editing = RwSignal::new(false);
    let open_editor = move |_| {
        editing.set(true);
        focus_next_frame(shown.with_untracked(|token| {
            first_focus_id(GRID_ID, &token.permissions, &bounds_of(token))
        }));
    };
    let on_done = Callback::new(move |saved: Option<TokenView>| {
        if let Some(token) = saved {
            let message = format!("Narrowed the permissions of {}.", token.name);
            shown.set(token.clone());
            store.updated(token, message);
        }
        editing.set(false);
        focus_next_frame(EDIT_ID.to_owned());
    });
    // Revoked tokens never work again: their permissions no longer matter.
    let may_edit = move || store.can_write && shown.with(|t| t.status != EffectiveStatus::Revoked);
    view! {
        <section class="token-permissions-detail" aria-labelledby="token-permissions-heading">
            <h3 id="token-permissions-heading">"Permissions"</h3>
            {move || {
                if editing.get() {
                    view! { <PermissionsEditor token=shown.get_untracked() on_done /> }.into_any()
                } else {
                    view! {
                        // `AnyView`s, so these share the render code every other such slot uses.
                        {move || shown.with(|token| permission_levels(token).into_any())}
                        {move || may_edit().then(|| view! {
                            <button type="button" id=EDIT_ID class="small" on:click=open_editor>
                                "Edit permissions"
                            </button>
                        }.into_any())}
                    }
                    .into_any()
                }
            }}
        </section>
    }
    .into_any()
}

fn bounds_of(token: &TokenView) -> GridBounds {
    GridBounds {
        scope_kind: token.scope.kind(),
        ceiling: ceiling(&token.scope),
        granted: Some(token.permissions),
    }
}

/// The summary, then each resource at the level that takes effect.
fn permission_levels(token: &TokenView) -> impl IntoView {
    let ceiling = ceiling(&token.scope);
    let kind = token.scope.kind();
    let rows = Resource::ALL
        .into_iter()
        .map(|resource| {
            let granted = token.permissions.get(resource);
            let cap = ceiling.get(resource);
            let capped = (granted > cap).then(|| {
                view! {
                    <span class="muted small" title=scope_note(kind, resource, cap)>
                        {format!(" (capped by the scope; granted: {})", granted.label())}
                    </span>
                }
            });
            view! {
                <li>
                    <span class="permission-resource">{resource.label()}</span>
                    <span data-testid="permission-level">{granted.min(cap).label()}</span>
                    {capped}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="token-permission-summary">{permissions_badge(&token.permissions)}</p>
        <ul class="permission-levels" aria-label="Permissions per resource">
            {rows}
        </ul>
    }
}

/// The grid, pre-filled with what the token has, offering only lower levels.
#[component]
fn PermissionsEditor(token: TokenView, on_done: Callback<Option<TokenView>>) -> impl IntoView {
    let original: Permissions = token.permissions;
    let value = RwSignal::new(original);
    let bounds = bounds_of(&token);
    let id = StoredValue::new(token.id);
    let pending = RwSignal::new(false);
    // The last refusal, read the way the other forms read theirs.
    let refusal = RwSignal::new(None::<Result<(), AppError>>);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        pending.set(true);
        let permissions = value.get_untracked();
        spawn_local(async move {
            let answer = narrow_token_permissions(id.get_value(), permissions).await;
            pending.set(false);
            match answer {
                Ok(token) => on_done.run(Some(token)),
                Err(error) => refusal.set(Some(Err(error))),
            }
        });
    };
    view! {
        <form class="permissions-editor" on:submit=on_submit novalidate>
            <PermissionsGrid id=GRID_ID value bounds />
            <p class="hint" data-testid="permission-summary" aria-live="polite">
                {move || format!("After saving: {}", value.get().summary())}
            </p>
            <FieldError id="narrow-permission-error" message=Signal::derive(move || refusal.with(|r| field_message(r, "permissions"))) />
            <ErrorAlert message=Signal::derive(move || refusal.with(form_message)) />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| on_done.run(None)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || pending.get() || value.get() == original>
                    "Save permissions"
                </button>
            </div>
        </form>
    }
    .into_any()
}
