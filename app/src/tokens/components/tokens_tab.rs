//! Settings › API Tokens: every token of the workspace as cards or a table, with filters,
//! search, sorting and pages of 25. The filters live in the address (`?status=active&q=ci`),
//! so a reload or a shared link shows the same list and the server renders it right away; the
//! card/table choice is a browser preference.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use super::action_menu::TokenActionDialogs;
use super::create_dialog::NewTokenScope;
use super::dialog_body::{lazy_dialog_body, preload_dialog_bodies, TokenDialogBody};
use super::token_card::TokenCards;
use super::token_table::TokenTable;
use super::usage_help::UsageHelp;
use super::{group_thousands, NoticeLine, TokenStore};
use crate::session::use_user;
use crate::tokens::model::{EffectiveStatus, TokenQuery, TokenScopeKind, TokenSort};
use crate::tokens::server_fns::list_tokens;
use crate::ui::browser::{load_preference, save_preference};
use crate::ui::{load, Dialog, EmptyState, LoadError};

pub(crate) const PAGE_SIZE: i64 = 25;
const VIEW_PREFERENCE: &str = "tessera_token_view";
const SEARCH_DEBOUNCE_MS: u64 = 250;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ViewMode {
    Cards,
    Table,
}

/// The list's filters, order and page, as the address holds them.
#[derive(Debug, Clone, PartialEq, Default)]
struct Filters {
    status: Option<EffectiveStatus>,
    scope: Option<TokenScopeKind>,
    search: String,
    sort: TokenSort,
    /// Zero-based page number.
    page: i64,
}

impl Filters {
    fn from_params(params: &ParamsMap) -> Self {
        Filters {
            status: params
                .get("status")
                .as_deref()
                .and_then(EffectiveStatus::parse),
            scope: params
                .get("scope")
                .as_deref()
                .and_then(TokenScopeKind::parse),
            search: params.get("q").unwrap_or_default(),
            sort: params
                .get("sort")
                .as_deref()
                .and_then(TokenSort::parse)
                .unwrap_or_default(),
            page: params
                .get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .map_or(0, |p| (p - 1).max(0)),
        }
    }

    fn is_filtered(&self) -> bool {
        self.status.is_some() || self.scope.is_some() || !self.search.trim().is_empty()
    }

    fn to_query(&self) -> TokenQuery {
        TokenQuery {
            status: self.status,
            scope_kind: self.scope,
            search: Some(self.search.trim().to_owned()).filter(|s| !s.is_empty()),
            sort: self.sort,
            limit: Some(PAGE_SIZE),
            offset: Some(self.page * PAGE_SIZE),
            ..TokenQuery::default()
        }
    }

    /// `?status=active&q=ci…` with only what differs from the defaults.
    fn to_search(&self) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if let Some(scope) = self.scope {
            parts.push(format!("scope={}", scope.as_str()));
        }
        if !self.search.is_empty() {
            parts.push(format!("q={}", percent_encode(&self.search)));
        }
        if self.sort != TokenSort::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.page > 0 {
            parts.push(format!("page={}", self.page + 1));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Every byte but the unreserved characters of RFC 3986 as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn TokensTab() -> impl IntoView {
    let can_write = use_user().can_write();
    let params = use_query_map();
    let filters = Memo::new(move |_| params.with(Filters::from_params));
    let page = load(move || filters.get().to_query(), list_tokens);
    let store = TokenStore::new(page, can_write);
    provide_context(store);
    store.keep_current(move || filters.get_untracked().to_query());

    let navigate = use_navigate();
    let change = Callback::new(move |edit: Box<dyn FnOnce(&mut Filters) + Send + Sync>| {
        let mut next = filters.get_untracked();
        edit(&mut next);
        store.patches.set(Default::default());
        store.notice.set(None);
        navigate(
            &format!("/settings/tokens{}", next.to_search()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });

    // A cookie both sides read: the server renders the remembered view and hydration agrees.
    let mode = RwSignal::new(
        if load_preference(VIEW_PREFERENCE).as_deref() == Some("table") {
            ViewMode::Table
        } else {
            ViewMode::Cards
        },
    );
    let choose_mode = move |chosen: ViewMode| {
        mode.set(chosen);
        save_preference(
            VIEW_PREFERENCE,
            if chosen == ViewMode::Table {
                "table"
            } else {
                "cards"
            },
        );
    };

    let creating = RwSignal::new(false);

    view! {
        <section class="card tokens-section">
            <header class="section-header">
                <div>
                    <h2>"API Tokens"</h2>
                    <p class="muted">
                        "Tokens let scripts and SDKs call the Tessera API. Account tokens reach the whole workspace; deployment tokens are made on an agent’s Deployments tab."
                    </p>
                    <details class="token-usage-intro">
                        <summary>"How to use a token"</summary>
                        <UsageHelp />
                    </details>
                </div>
                <Show when=move || can_write>
                    <button
                        type="button"
                        class="primary"
                        on:pointerenter=|_| preload_dialog_bodies()
                        on:focus=|_| preload_dialog_bodies()
                        on:click=move |_| creating.set(true)
                    >
                        "Create API token"
                    </button>
                </Show>
            </header>
            <TokenToolbar filters change mode choose_mode=Callback::new(choose_mode) />
            <NoticeLine />
            <TokenPageView mode filters change />
        </section>
        <Dialog open=creating title="Create API token">
            {lazy_dialog_body(move || TokenDialogBody::Create {
                scope: NewTokenScope::Account,
                open: creating,
                on_created: Callback::new(move |()| store.reload()),
            })}
        </Dialog>
        <TokenActionDialogs />
    }
}

type Change = Callback<Box<dyn FnOnce(&mut Filters) + Send + Sync>>;

#[component]
fn TokenToolbar(
    filters: Memo<Filters>,
    change: Change,
    mode: RwSignal<ViewMode>,
    choose_mode: Callback<ViewMode>,
) -> impl IntoView {
    let search = RwSignal::new(filters.get_untracked().search);
    // Keep the box in step when the address changes (say, "Clear filters").
    Effect::new(move |_| {
        let from_address = filters.with(|f| f.search.clone());
        if search.get_untracked().trim() != from_address.trim() {
            search.set(from_address);
        }
    });
    let typed = StoredValue::new(0_u64);
    let on_search = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        search.set(text.clone());
        typed.update_value(|n| *n += 1);
        let generation = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() == generation {
                    change.run(Box::new(move |f: &mut Filters| {
                        f.search = text;
                        f.page = 0;
                    }));
                }
            },
            std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS),
        );
    };
    let status_options = std::iter::once(("".to_string(), "All statuses".to_string()))
        .chain(
            EffectiveStatus::ALL
                .into_iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect::<Vec<_>>();
    let scope_options = std::iter::once(("".to_string(), "All scopes".to_string()))
        .chain(
            TokenScopeKind::ALL
                .into_iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect::<Vec<_>>();
    let sort_options = TokenSort::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect::<Vec<_>>();
    let toggle = move |value: ViewMode, text: &'static str| {
        view! {
            <button
                type="button"
                aria-pressed=move || if mode.get() == value { "true" } else { "false" }
                on:click=move |_| choose_mode.run(value)
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="token-toolbar" role="search" aria-label="Find tokens">
            <div class="field token-search">
                <label for="token-search">"Search"</label>
                <input id="token-search" type="search" placeholder="Token name" autocomplete="off" prop:value=move || search.get() on:input=on_search />
            </div>
            <FilterSelect id="token-filter-status" label="Status" options=status_options
                current=Signal::derive(move || filters.with(|f| f.status.map(|s| s.as_str().to_string()).unwrap_or_default()))
                on_change=Callback::new(move |value: String| change.run(Box::new(move |f: &mut Filters| { f.status = EffectiveStatus::parse(&value); f.page = 0; }))) />
            <FilterSelect id="token-filter-scope" label="Scope" options=scope_options
                current=Signal::derive(move || filters.with(|f| f.scope.map(|s| s.as_str().to_string()).unwrap_or_default()))
                on_change=Callback::new(move |value: String| change.run(Box::new(move |f: &mut Filters| { f.scope = TokenScopeKind::parse(&value); f.page = 0; }))) />
            <FilterSelect id="token-sort" label="Sort by" options=sort_options
                current=Signal::derive(move || filters.with(|f| f.sort.as_str().to_string()))
                on_change=Callback::new(move |value: String| change.run(Box::new(move |f: &mut Filters| {
                    f.sort = TokenSort::parse(&value).unwrap_or_default();
                    f.page = 0;
                }))) />
            <div class="field token-view-toggle">
                <span class="field-label" id="token-view-label">"View"</span>
                <div class="segmented" role="group" aria-labelledby="token-view-label">
                    {toggle(ViewMode::Cards, "Cards")}
                    {toggle(ViewMode::Table, "Table")}
                </div>
            </div>
        </div>
    }
}

#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    current: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id prop:value=move || current.get() on:change=move |event| on_change.run(event_target_value(&event))>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value.clone();
                        view! { <option value=value selected=move || current.get() == selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Skeleton cards of the real cards' height, so nothing jumps when the data arrives.
#[component]
pub(crate) fn TokenSkeleton() -> impl IntoView {
    view! {
        <div class="token-skeleton" aria-hidden="true">
            {(0..3).map(|_| view! { <div class="token-skeleton-item"></div> }).collect_view()}
        </div>
        <p class="sr-only" role="status">"Loading tokens…"</p>
    }
}

#[component]
fn TokenPageView(
    mode: RwSignal<ViewMode>,
    filters: Memo<Filters>,
    change: Change,
) -> impl IntoView {
    let store = expect_context::<TokenStore>();
    view! {
        <Transition fallback=|| view! { <TokenSkeleton /> }>
            {move || Suspend::new(async move {
                match store.page.await {
                    Ok(result) if result.total == 0 => {
                        let filtered = filters.with_untracked(Filters::is_filtered);
                        view! { <EmptyTokens filtered can_write=store.can_write change /> }.into_any()
                    }
                    Ok(result) => {
                        let items = result.items;
                        let offset = result.offset;
                        let total = result.total;
                        let counted = items.clone();
                        let tokens = Memo::new(move |_| store.apply(&items));
                        let shown_total = Signal::derive(move || total - store.deleted_among(&counted));
                        view! {
                            <div class="token-list">
                                {move || match mode.get() {
                                    ViewMode::Cards => view! { <TokenCards tokens /> }.into_any(),
                                    ViewMode::Table => view! { <TokenTable tokens /> }.into_any(),
                                }}
                            </div>
                            <Pager offset shown=Signal::derive(move || tokens.with(Vec::len) as i64) total=shown_total change />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EmptyTokens(filtered: bool, can_write: bool, change: Change) -> impl IntoView {
    if filtered {
        view! {
            <EmptyState testid="tokens-empty" title="No tokens match these filters." hint="Try another name, or show every token.">
                <button type="button" on:click=move |_| change.run(Box::new(|f: &mut Filters| *f = Filters { sort: f.sort, ..Filters::default() }))>
                    "Clear filters"
                </button>
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <EmptyState
                testid="tokens-empty"
                title="No API tokens yet."
                hint=if can_write {
                    "Create an API token to let a script or SDK call the API. You will see its value once, so have somewhere safe to keep it."
                } else {
                    "An owner or admin can create them."
                }
            />
        }
        .into_any()
    }
}

#[component]
fn Pager(offset: i64, shown: Signal<i64>, total: Signal<i64>, change: Change) -> impl IntoView {
    let first = offset + 1;
    let has_previous = offset > 0;
    let has_next = move || offset + PAGE_SIZE < total.get();
    view! {
        <nav class="pager" aria-label="Pages">
            <p class="muted" data-testid="token-range">
                {move || {
                    let last = offset + shown.get();
                    if last < first { format!("0 of {}", group_thousands(total.get())) } else { format!("{}–{} of {}", group_thousands(first), group_thousands(last), group_thousands(total.get())) }
                }}
            </p>
            <div class="pager-buttons">
                <button type="button" disabled=!has_previous on:click=move |_| change.run(Box::new(|f: &mut Filters| f.page = (f.page - 1).max(0)))>
                    "Previous"
                </button>
                <button type="button" disabled=move || !has_next() on:click=move |_| change.run(Box::new(|f: &mut Filters| f.page += 1))>
                    "Next"
                </button>
            </div>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_address() {
        let filters = Filters {
            status: Some(EffectiveStatus::Suspended),
            scope: Some(TokenScopeKind::Deployment),
            search: "ci & co".into(),
            sort: TokenSort::NameAsc,
            page: 2,
        };
        let search = filters.to_search();
        assert_eq!(
            search,
            "?status=suspended&scope=deployment&q=ci%20%26%20co&sort=name_asc&page=3"
        );
        let mut params = ParamsMap::new();
        params.insert("status", "suspended".to_string());
        params.insert("scope", "deployment".to_string());
        params.insert("q", "ci & co".to_string());
        params.insert("sort", "name_asc".to_string());
        params.insert("page", "3".to_string());
        assert_eq!(Filters::from_params(&params), filters);
        assert_eq!(Filters::default().to_search(), "");
        let query = filters.to_query();
        assert_eq!(query.offset, Some(50));
        assert_eq!(query.limit, Some(PAGE_SIZE));
    }

    #[test]
    fn unknown_values_fall_back_to_defaults() {
        let mut params = ParamsMap::new();
        params.insert("status", "bogus".to_string());
        params.insert("sort", "sideways".to_string());
        params.insert("page", "-4".to_string());
        assert_eq!(Filters::from_params(&params), Filters::default());
        assert!(!Filters {
            search: "  ".into(),
            ..Filters::default()
        }
        .is_filtered());
    }
}
