//! The per-token action menu and the dialogs its actions open. The menu lists only what
//! `domain::allowed_actions` allows for the token's current status; the server checks again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::shown_once::ShownOnce;
use super::TokenStore;
use crate::tokens::domain::allowed_actions;
use crate::tokens::model::{GracePeriod, TokenAction, TokenView};
use crate::tokens::server_fns::{
    activate_token, delete_token, regenerate_token, revoke_token, suspend_token,
};
use crate::ui::{ConfirmDialog, Dialog, ErrorAlert, MenuButton, MenuItem};

/// "Actions for <name>", for owners and admins only.
#[component]
pub(crate) fn TokenActionMenu(current: Memo<Option<TokenView>>) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    if !store.can_write {
        return None;
    }
    let label = Signal::derive(move || {
        current.with(|t| {
            t.as_ref()
                .map(|t| format!("Actions for {}", t.name))
                .unwrap_or_default()
        })
    });
    Some(view! {
        <MenuButton label class="token-menu">
            {move || {
                current
                    .get()
                    .map(|token| {
                        allowed_actions(token.status)
                            .into_iter()
                            .map(|action| {
                                let token = token.clone();
                                let danger = matches!(action, TokenAction::Revoke | TokenAction::Delete);
                                view! {
                                    <MenuItem danger description=action.description() on_select=Callback::new(move |()| run(store, action, token.clone()))>
                                        {action.label()}
                                    </MenuItem>
                                }
                            })
                            .collect_view()
                    })
            }}
        </MenuButton>
    })
}

/// Carries out a menu choice: at once for copy, suspend and activate; through a dialog for
/// regenerate, revoke and delete.
fn run(store: TokenStore, action: TokenAction, token: TokenView) {
    match action {
        TokenAction::CopyPrefix => spawn_local(async move {
            let copied = crate::ui::browser::copy_to_clipboard(token.prefix.clone()).await;
            store.notice.set(Some(if copied {
                super::Notice::Done(format!(
                    "Copied the prefix {} to the clipboard.",
                    token.prefix
                ))
            } else {
                super::Notice::Refused("The browser did not allow copying to the clipboard.".into())
            }));
        }),
        TokenAction::Suspend => spawn_local(async move {
            store.working(&token.id, action);
            let answer = suspend_token(token.id.clone()).await;
            store.done_working(&token.id);
            match answer {
                Ok(view) => store.updated(view, format!("Suspended {}.", token.name)),
                Err(error) => store.refused(error),
            }
        }),
        TokenAction::Activate => spawn_local(async move {
            store.working(&token.id, action);
            let answer = activate_token(token.id.clone()).await;
            store.done_working(&token.id);
            match answer {
                Ok(view) => store.updated(view, format!("Activated {}.", token.name)),
                Err(error) => store.refused(error),
            }
        }),
        TokenAction::Regenerate => store.open(store.regenerating, token),
        TokenAction::Revoke => store.open(store.revoking, token),
        TokenAction::Delete => store.open(store.deleting, token),
    }
}

/// The dialogs behind the menu, once per list rather than once per token.
#[component]
pub(crate) fn TokenActionDialogs() -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let target_name = move || {
        store
            .target
            .with(|t| t.as_ref().map(|t| t.name.clone()).unwrap_or_default())
    };
    let busy = RwSignal::new(false);
    let no_error = Signal::derive(|| None::<String>);

    let confirm = move |action: TokenAction| {
        Callback::new(move |()| {
            let Some(token) = store.target.get_untracked() else {
                return;
            };
            busy.set(true);
            spawn_local(async move {
                let dialog = if action == TokenAction::Revoke {
                    store.revoking
                } else {
                    store.deleting
                };
                let result = if action == TokenAction::Revoke {
                    revoke_token(token.id.clone())
                        .await
                        .map(|view| store.updated(view, format!("Revoked {}.", token.name)))
                } else {
                    delete_token(token.id.clone()).await.map(|()| {
                        store.removed(token.id.clone(), format!("Deleted {}.", token.name))
                    })
                };
                busy.set(false);
                dialog.set(false);
                if let Err(error) = result {
                    store.refused(error);
                }
            });
        })
    };

    view! {
        <Dialog open=store.regenerating title=Signal::derive(move || format!("Regenerate {}", target_name()))>
            <RegenerateForm />
        </Dialog>
        <ConfirmDialog
            open=store.revoking
            title=Signal::derive(move || format!("Revoke {}?", target_name()))
            confirm_label="Revoke token"
            pending=busy
            error=no_error
            on_confirm=confirm(TokenAction::Revoke)
        >
            <p>
                "Revoking is permanent: programs using this token are refused from their next request, and a revoked token can never be activated again."
            </p>
        </ConfirmDialog>
        <ConfirmDialog
            open=store.deleting
            title=Signal::derive(move || format!("Delete {}?", target_name()))
            confirm_label="Delete token"
            pending=busy
            error=no_error
            on_confirm=confirm(TokenAction::Delete)
        >
            <p>"The token disappears from this list. The audit log keeps its history."</p>
        </ConfirmDialog>
        <Dialog open=store.viewing title=Signal::derive(target_name)>
            {move || store.target.get().map(|token| view! { <super::token_detail::TokenDetail token /> })}
        </Dialog>
    }
}

/// Choose a grace period, regenerate, then show the new value once.
#[component]
fn RegenerateForm() -> impl IntoView {
    let store = expect_context::<TokenStore>();
    let grace = RwSignal::new(GracePeriod::None);
    let regenerate =
        Action::new(|(id, grace): &(String, GracePeriod)| regenerate_token(id.clone(), *grace));
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match regenerate.value().get() {
        Some(Ok(created)) => {
            let name = created.token.name.clone();
            store.updated(created.token, format!("Regenerated {name}."));
        }
        Some(Err(refusal)) => {
            error.set(Some(refusal.to_string()));
            store.reload();
        }
        None => {}
    });
    let plaintext = move || {
        regenerate.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|c| c.plaintext.clone())
        })
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(token) = store.target.get_untracked() {
            error.set(None);
            regenerate.dispatch((token.id, grace.get_untracked()));
        }
    };
    view! {
        {move || match plaintext() {
            Some(value) => view! { <ShownOnce plaintext=value open=store.regenerating /> }.into_any(),
            None => view! {
                <form on:submit=on_submit novalidate>
                    <p>"A new value replaces the current one. Name, scope, expiry and usage stay the same."</p>
                    <fieldset class="token-grace">
                        <legend>"The current value stops working"</legend>
                        {GracePeriod::ALL
                            .into_iter()
                            .map(|period| view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="grace"
                                        prop:checked=move || grace.get() == period
                                        on:change=move |_| grace.set(period)
                                    />
                                    {period.label()}
                                </label>
                            })
                            .collect_view()}
                    </fieldset>
                    <ErrorAlert message=error />
                    <div class="dialog-actions">
                        <button type="button" autofocus on:click=move |_| store.regenerating.set(false)>"Cancel"</button>
                        <button type="submit" class="primary" disabled=move || regenerate.pending().get()>
                            "Regenerate token"
                        </button>
                    </div>
                </form>
            }
            .into_any(),
        }}
    }
}
