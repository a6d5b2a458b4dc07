//! The per-token action menu and the dialogs its actions open. The menu lists only what
//! `domain::allowed_actions` allows for the token's current status; the server checks again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::dialog_body::{lazy_dialog_body, TokenDialogBody};
use super::TokenStore;
use crate::tokens::domain::allowed_actions;
use crate::tokens::model::{TokenAction, TokenView};
use crate::tokens::server_fns::{activate_token, delete_token, revoke_token, suspend_token};
use crate::ui::{ConfirmDialog, Dialog, MenuButton, MenuItem};

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
            {lazy_dialog_body(|| TokenDialogBody::Regenerate)}
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
            {move || store.target.get().map(|token| lazy_dialog_body(move || TokenDialogBody::Detail(token.clone())))}
        </Dialog>
    }
}
