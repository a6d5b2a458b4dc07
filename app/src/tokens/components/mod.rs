//! The token screens: Settings › API Tokens ([`TokensTab`]) and Agent › Deployments
//! ([`AgentDeploymentsTab`]). Both list tokens through the same card/table components and act
//! on them through one [`TokenStore`]: the page of tokens from the server plus the changes the
//! person made since, so every action updates its card or row in place.

mod action_menu;
mod create_dialog;
mod deployments_tab;
mod dialog_body;
mod expiry_field;
mod facts;
mod grace_notice;
mod permission_choice;
mod permissions_grid;
mod regenerate_form;
mod shown_once;
mod token_card;
mod token_detail;
mod token_permissions;
mod token_table;
mod tokens_tab;
mod usage_chart;
mod usage_help;

use std::collections::HashMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::tokens::domain::status_as_of;
use crate::tokens::model::{TokenAction, TokenPage, TokenQuery, TokenView};
use crate::ui::time::use_now;
use crate::ui::Loaded;

pub use deployments_tab::AgentDeploymentsTab;
pub use tokens_tab::TokensTab;

/// How often an open token list asks the server for newer figures.
#[cfg(feature = "hydrate")]
const POLL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// What the last action did, shown above the list: a quiet confirmation or a refusal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Notice {
    Done(String),
    Refused(String),
}

/// The list state shared by a tab, its cards or rows, their menus and the action dialogs.
#[derive(Clone, Copy)]
pub(crate) struct TokenStore {
    pub page: Loaded<Result<TokenPage, AppError>>,
    /// Tokens changed (`Some`) or deleted (`None`) since the page was loaded, by id.
    pub patches: RwSignal<HashMap<String, Option<TokenView>>>,
    pub notice: RwSignal<Option<Notice>>,
    pub can_write: bool,
    /// The token the open dialog is about.
    pub target: RwSignal<Option<TokenView>>,
    pub regenerating: RwSignal<bool>,
    pub revoking: RwSignal<bool>,
    pub deleting: RwSignal<bool>,
    pub viewing: RwSignal<bool>,
    /// Tokens with an action on its way to the server, and what it is.
    pub busy: RwSignal<HashMap<String, TokenAction>>,
}

impl TokenStore {
    pub fn new(page: Loaded<Result<TokenPage, AppError>>, can_write: bool) -> Self {
        TokenStore {
            page,
            patches: RwSignal::new(HashMap::new()),
            notice: RwSignal::new(None),
            can_write,
            target: RwSignal::new(None),
            regenerating: RwSignal::new(false),
            revoking: RwSignal::new(false),
            deleting: RwSignal::new(false),
            viewing: RwSignal::new(false),
            busy: RwSignal::new(HashMap::new()),
        }
    }

    /// The page's tokens with the local changes applied.
    pub fn apply(&self, items: &[TokenView]) -> Vec<TokenView> {
        self.patches.with(|patches| {
            items
                .iter()
                .filter_map(|token| match patches.get(&token.id) {
                    Some(Some(newer)) => Some(newer.clone()),
                    Some(None) => None,
                    None => Some(token.clone()),
                })
                .collect()
        })
    }

    /// How many of these tokens were deleted here since loading.
    pub fn deleted_among(&self, items: &[TokenView]) -> i64 {
        self.patches.with(|patches| {
            items
                .iter()
                .filter(|token| matches!(patches.get(&token.id), Some(None)))
                .count() as i64
        })
    }

    pub fn working(&self, id: &str, action: TokenAction) {
        self.busy.update(|busy| {
            busy.insert(id.to_owned(), action);
        });
    }

    pub fn done_working(&self, id: &str) {
        self.busy.try_update(|busy| busy.remove(id));
    }

    /// "Suspending…" while an action on token `id` runs.
    pub fn progress(&self, id: &str) -> Option<&'static str> {
        self.busy
            .with(|busy| busy.get(id).copied())
            .and_then(TokenAction::progress)
    }

    pub fn updated(&self, token: TokenView, message: String) {
        self.patches.update(|p| {
            p.insert(token.id.clone(), Some(token));
        });
        self.notice.set(Some(Notice::Done(message)));
    }

    pub fn removed(&self, id: String, message: String) {
        self.patches.update(|p| {
            p.insert(id, None);
        });
        self.notice.set(Some(Notice::Done(message)));
    }

    /// The server said no (say, someone else revoked the token meanwhile): say why and show
    /// the list as it now is.
    pub fn refused(&self, error: AppError) {
        self.notice.set(Some(Notice::Refused(error.to_string())));
        self.reload();
    }

    /// Drops local changes and loads the page again (after a create, a refusal, new filters).
    pub fn reload(&self) {
        self.patches.set(HashMap::new());
        self.page.refetch();
    }

    /// Newer figures for a token the page shows (status, usage, last used), quietly.
    pub fn refreshed(&self, token: TokenView) {
        self.refresh_from(vec![token]);
    }

    /// Newer figures from the server for the tokens this page shows: only those that changed
    /// are patched, so only their cards or rows render again (an open menu stays open).
    /// Tokens deleted here stay deleted; tokens new to the list wait for the next load.
    pub fn refresh_from(&self, fresh: Vec<TokenView>) {
        let loaded = self.page.get_untracked().and_then(Result::ok);
        let Some(loaded) = loaded else {
            return;
        };
        let changed: Vec<TokenView> = self.patches.with_untracked(|patches| {
            fresh
                .into_iter()
                .filter(|token| {
                    let shown = match patches.get(&token.id) {
                        Some(patched) => patched.as_ref(),
                        None => loaded.items.iter().find(|t| t.id == token.id),
                    };
                    shown.is_some_and(|shown| shown != token)
                })
                .collect()
        });
        if !changed.is_empty() {
            self.patches.update(|patches| {
                for token in changed {
                    patches.insert(token.id.clone(), Some(token));
                }
            });
        }
    }

    /// Keeps the page current while it is visible: every 15 s (`POLL_INTERVAL`) it asks the server
    /// for the same list (`query` reads the filters untracked) and applies what changed. One
    /// light read per open tab; nothing while the tab is hidden or a read is still out.
    pub fn keep_current(&self, query: impl Fn() -> TokenQuery + Send + Sync + 'static) {
        #[cfg(feature = "hydrate")]
        {
            use std::sync::atomic::{AtomicBool, Ordering};
            use std::sync::Arc;
            let store = *self;
            let reading = Arc::new(AtomicBool::new(false));
            let tick = move || {
                if document().hidden() || reading.swap(true, Ordering::AcqRel) {
                    return;
                }
                let reading = reading.clone();
                let query = query();
                leptos::task::spawn_local(async move {
                    if let Ok(page) = crate::tokens::server_fns::list_tokens(query).await {
                        store.refresh_from(page.items);
                    }
                    reading.store(false, Ordering::Release);
                });
            };
            if let Ok(handle) = set_interval_with_handle(tick, POLL_INTERVAL) {
                on_cleanup(move || handle.clear());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = query;
    }

    /// Token `id` of `tokens` as it stands now, for one card or row. Its status follows the
    /// page's clock, so an expiry that passes while the page is open turns it Expired, and its
    /// menu with it; the clock is woken at that moment rather than at the next tick.
    pub fn current(tokens: Memo<Vec<TokenView>>, id: String) -> Memo<Option<TokenView>> {
        let now = use_now();
        let current = Memo::new(move |_| {
            let token = tokens.with(|list| list.iter().find(|t| t.id == id).cloned());
            token.map(|mut token| {
                token.status = status_as_of(token.status, token.expires_at_ms, now.get());
                token
            })
        });
        Effect::new(move |_| {
            let expires = current.with(|t| t.as_ref().and_then(|t| t.expires_at_ms));
            let wait = expires.map(|at| at - crate::ui::browser::now_ms());
            if let Some(wait @ 0..crate::clock::DAY_MS) = wait {
                set_timeout(
                    move || {
                        now.try_set(crate::ui::browser::now_ms());
                    },
                    std::time::Duration::from_millis(wait.unsigned_abs() + 50),
                );
            }
        });
        current
    }

    pub fn open(&self, dialog: RwSignal<bool>, token: TokenView) {
        self.target.set(Some(token));
        dialog.set(true);
    }
}

/// `1,000` (thousands grouped the English way, as the rest of the app's text is English).
pub(crate) fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The status badge: colour and text differ for each status.
#[component]
pub(crate) fn StatusBadge(status: crate::tokens::model::EffectiveStatus) -> impl IntoView {
    view! {
        <span class=format!("badge token-status status-{}", status.as_str()) data-testid="token-status">
            {status.label()}
        </span>
    }
}

/// "Read only", "Custom: 4 resources": what the token may do, at a glance, as granted (its
/// scope may cap it further; the detail says where). A function, not a component: it is drawn
/// in every card and row, and a component costs bundle size for nothing here.
pub(crate) fn permissions_badge(permissions: &crate::access::Permissions) -> impl IntoView {
    view! {
        <span class="badge badge-neutral" data-testid="token-permissions">
            {permissions.summary()}
        </span>
    }
}

/// "Suspending…" beside the badge while an action on the token is on its way.
#[component]
pub(crate) fn Progress(id: String) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    view! {
        <span class="token-progress" role="status" data-testid="token-progress">
            {move || store.progress(&id)}
        </span>
    }
}

/// The messages shown above a list after an action.
#[component]
pub(crate) fn NoticeLine() -> impl IntoView {
    let store = expect_context::<TokenStore>();
    view! {
        <div class="token-notice" aria-live="polite" role="status">
            {move || match store.notice.get() {
                Some(Notice::Done(text)) => Some(view! { <p class="token-notice-done">{text}</p> }.into_any()),
                Some(Notice::Refused(_)) | None => None,
            }}
        </div>
        {move || match store.notice.get() {
            Some(Notice::Refused(text)) => Some(view! {
                <div class="alert alert-error token-refusal" role="alert">
                    <span>{text}</span>
                    <button type="button" class="icon-button" aria-label="Dismiss" on:click=move |_| store.notice.set(None)>"✕"</button>
                </div>
            }),
            _ => None,
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-1000), "-1,000");
    }
}
