//! A token's permissions in its detail: the summary, each resource's level as it takes effect
//! (the scope's ceiling applied, capped levels marked), and for owners and admins "Edit
//! permissions", which can only narrow them (SPEC §4.2: never widened after creation).

use leptos::prelude::*;

use super::permissions_grid::{first_focus_id, scope_note, GridBounds, PermissionsGrid};
use super::{PermissionsBadge, TokenStore};
use crate::access::policy::ceiling;
use crate::access::{Permissions, Resource};
use crate::tokens::model::{EffectiveStatus, TokenView};
use crate::tokens::server_fns::narrow_token_permissions;
use crate::ui::browser::focus_by_id;
use crate::ui::field::{field_message, form_message};
use crate::ui::{ErrorAlert, FieldError};

const EDIT_ID: &str = "token-edit-permissions";
const GRID_ID: &str = "narrow-permission";

#[component]
pub(crate) fn TokenPermissions(shown: RwSignal<TokenView>) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let editing = RwSignal::new(false);
    let open_editor = move |_| {
        editing.set(true);
        // The grid is drawn on the next frame; focus goes to it, as to a dialog's first field.
        let focus = shown
            .with_untracked(|token| first_focus_id(GRID_ID, &token.permissions, &bounds_of(token)));
        request_animation_frame(move || focus_by_id(&focus));
    };
    let on_done = Callback::new(move |saved: Option<TokenView>| {
        if let Some(token) = saved {
            let message = format!("Narrowed the permissions of {}.", token.name);
            shown.set(token.clone());
            store.updated(token, message);
        }
        editing.set(false);
        request_animation_frame(|| focus_by_id(EDIT_ID));
    });
    // Revoked tokens never work again: their permissions no longer matter.
    let may_edit = move || store.can_write && shown.with(|t| t.status != EffectiveStatus::Revoked);
    view! {
        <section class="token-permissions-detail" aria-labelledby="token-permissions-heading">
            <h3 id="token-permissions-heading">"Permissions"</h3>
            {move || {
                if editing.get() {
                    let token = shown.get_untracked();
                    view! { <PermissionsEditor token on_done /> }.into_any()
                } else {
                    view! {
                        {move || shown.with(|token| view! { <PermissionLevels token=token.clone() /> })}
                        <Show when=may_edit>
                            <button type="button" id=EDIT_ID class="small" on:click=open_editor>
                                "Edit permissions"
                            </button>
                        </Show>
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
#[component]
fn PermissionLevels(token: TokenView) -> impl IntoView {
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
                <li data-resource=resource.as_str()>
                    <span class="permission-resource">{resource.label()}</span>
                    <span data-testid="permission-level">{granted.min(cap).label()}</span>
                    {capped}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="token-permission-summary"><PermissionsBadge permissions=token.permissions /></p>
        <ul class="permission-levels" aria-label="Permissions per resource">
            {rows}
        </ul>
    }
    .into_any()
}

/// The grid, pre-filled with what the token has, offering only lower levels.
#[component]
fn PermissionsEditor(token: TokenView, on_done: Callback<Option<TokenView>>) -> impl IntoView {
    let original: Permissions = token.permissions;
    let value = RwSignal::new(original);
    let bounds = bounds_of(&token);
    let id = token.id.clone();
    let save = Action::new(move |permissions: &Permissions| {
        narrow_token_permissions(id.clone(), *permissions)
    });
    Effect::new(move |_| {
        if let Some(Ok(token)) = save.value().get() {
            on_done.run(Some(token));
        }
    });
    let answer = save.value();
    let field_error = Signal::derive(move || answer.with(|a| field_message(a, "permissions")));
    let general_error = Signal::derive(move || answer.with(form_message));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(value.get_untracked());
    };
    let unchanged = move || value.get() == original;
    view! {
        <form class="permissions-editor" on:submit=on_submit novalidate>
            <PermissionsGrid id=GRID_ID value bounds />
            <p class="hint" data-testid="permission-summary" aria-live="polite">
                {move || format!("After saving: {}", value.get().summary())}
            </p>
            <FieldError id="narrow-permission-error" message=field_error />
            <ErrorAlert message=general_error />
            <div class="dialog-actions">
                <button type="button" on:click=move |_| on_done.run(None)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || unchanged() || save.pending().get()>
                    "Save permissions"
                </button>
            </div>
        </form>
    }
    .into_any()
}
