//! The token dialogs' forms — create, regenerate, a token's detail — load the first time one
//! opens. They are the largest part of the token pages' code and no dialog is open when a page
//! is first drawn, so they have a chunk of their own in the split bundle (see docs/bundle.md):
//! a visit that opens none never downloads it. Pointing at "Create API token" fetches it ahead.

use leptos::prelude::*;

use super::create_dialog::{CreateTokenForm, NewTokenScope};
use super::regenerate_form::RegenerateForm;
use super::token_detail::TokenDetail;
use crate::tokens::model::TokenView;

/// Which form a dialog shows, with what it needs.
pub(crate) enum TokenDialogBody {
    Create {
        scope: NewTokenScope,
        open: RwSignal<bool>,
        on_created: Callback<()>,
    },
    Regenerate,
    Detail(TokenView),
}

#[lazy]
fn token_dialog_body(body: TokenDialogBody) -> AnyView {
    match body {
        TokenDialogBody::Create {
            scope,
            open,
            on_created,
        } => view! { <CreateTokenForm scope open on_created /> }.into_any(),
        TokenDialogBody::Regenerate => view! { <RegenerateForm /> }.into_any(),
        TokenDialogBody::Detail(token) => view! { <TokenDetail token /> }.into_any(),
    }
}

/// The form `body` describes, once its code is here (at once after the first time).
pub(crate) fn lazy_dialog_body(
    body: impl Fn() -> TokenDialogBody + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || {
                let loading = token_dialog_body(body());
                Suspend::new(async move {
                    let form = loading.await;
                    crate::ui::browser::focus_dialog_autofocus();
                    form
                })
            }}
        </Suspense>
    }
}

/// Starts fetching the dialogs' chunk, for a person about to open one.
pub(crate) fn preload_dialog_bodies() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(__preload_token_dialog_body());
}
