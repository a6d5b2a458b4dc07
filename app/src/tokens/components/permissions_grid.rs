//! The resource × level grid of a token's permissions (SPEC §4.2), shared by the create dialog
//! and "Edit permissions". Each resource is a row of native radio buttons under one name, so
//! the browser gives it the keyboard behaviour people know (Tab reaches the row, arrow keys
//! move within it and skip what is disabled). A level the token cannot have is disabled with
//! the reason in words beside it, because a greyed-out button alone does not say why.

use leptos::prelude::*;

use crate::access::{Level, Permissions, Resource};
use crate::tokens::model::TokenScopeKind;

/// What bounds the choices: the scope's ceiling (`access::policy::ceiling`) and, when
/// narrowing an existing token, what it has now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GridBounds {
    pub scope_kind: TokenScopeKind,
    pub ceiling: Permissions,
    /// `Some` when editing: levels above these are not on offer (only narrowing is allowed).
    pub granted: Option<Permissions>,
}

/// Why a level is not on offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unavailable {
    /// Above what the token's scope allows at all.
    Scope,
    /// Above what the token has now: permissions are never widened after creation.
    Narrowing,
}

impl GridBounds {
    fn unavailable(&self, resource: Resource, level: Level) -> Option<Unavailable> {
        if level > self.ceiling.get(resource) {
            Some(Unavailable::Scope)
        } else if self.granted.is_some_and(|g| level > g.get(resource)) {
            Some(Unavailable::Narrowing)
        } else {
            None
        }
    }
}

/// Said once above the grid when editing.
pub(crate) const NARROWING_NOTE: &str =
    "Permissions can only be narrowed; create a new token for more access.";

/// "Agent deployment tokens cannot write agents.": the scope's limit on one resource, if it
/// has one.
pub(crate) fn scope_note(
    kind: TokenScopeKind,
    resource: Resource,
    ceiling: Level,
) -> Option<String> {
    // The wire name with spaces reads as the lower-case label; `to_lowercase` would put
    // Unicode's case tables into the WASM bundle for nine ASCII words.
    let what = resource.as_str().replace('_', " ");
    match ceiling {
        Level::Write => None,
        Level::Read => Some(format!("{} tokens cannot write {what}.", kind.label())),
        Level::None => Some(format!("{} tokens cannot reach {what}.", kind.label())),
    }
}

/// The id of the radio button for `level` in `resource`'s row: where focus goes when the
/// grid appears.
pub(crate) fn cell_id(grid_id: &str, resource: Resource, level: Level) -> String {
    format!("{grid_id}-{}-{}", resource.as_str(), level.as_str())
}

/// The first row's checked button, or its "No access" (never disabled) when the checked one
/// is above the scope's ceiling: a radio group is entered at its checked button.
pub(crate) fn first_focus_id(grid_id: &str, value: &Permissions, bounds: &GridBounds) -> String {
    let resource = Resource::ALL[0];
    let level = Some(value.get(resource))
        .filter(|level| bounds.unavailable(resource, *level).is_none())
        .unwrap_or(Level::None);
    cell_id(grid_id, resource, level)
}

#[component]
pub(crate) fn PermissionsGrid(
    /// Prefix of the grid's ids and radio names; unique on the page.
    id: &'static str,
    value: RwSignal<Permissions>,
    bounds: GridBounds,
) -> impl IntoView {
    let narrowing_id = format!("{id}-narrowing");
    let rows = Resource::ALL
        .into_iter()
        .map(|resource| {
            let row_id = format!("{id}-{}", resource.as_str());
            let label_id = format!("{row_id}-label");
            let labelled_by = label_id.clone();
            let note_id = format!("{row_id}-note");
            let note = scope_note(bounds.scope_kind, resource, bounds.ceiling.get(resource));
            let cells = Level::ALL
                .into_iter()
                .map(|level| {
                    let unavailable = bounds.unavailable(resource, level);
                    let (reason, described_by) = match unavailable {
                        Some(Unavailable::Scope) => (note.clone(), Some(note_id.clone())),
                        Some(Unavailable::Narrowing) => {
                            (Some(NARROWING_NOTE.to_owned()), Some(narrowing_id.clone()))
                        }
                        None => (None, None),
                    };
                    view! {
                        <label class="permission-cell" title=reason>
                            <input
                                type="radio"
                                id=cell_id(id, resource, level)
                                name=row_id.clone()
                                value=level.as_str()
                                disabled=unavailable.is_some()
                                aria-describedby=described_by
                                prop:checked=move || value.with(|p| p.get(resource) == level)
                                on:change=move |_| value.update(|p| p.set(resource, level))
                            />
                            <span class="sr-only">{level.label()}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <div class="permission-row" role="radiogroup" aria-labelledby=labelled_by>
                    <span class="permission-resource" id=label_id>{resource.label()}</span>
                    {cells}
                    {note.map(|text| view! { <p class="permission-note" id=note_id>{text}</p> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="permission-grid" data-testid="permission-grid">
            {bounds.granted.map(|_| view! { <p class="hint" id=narrowing_id.clone()>{NARROWING_NOTE}</p> })}
            // The column heads repeat what each button's own label says to assistive technology.
            <div class="permission-row permission-head" aria-hidden="true">
                <span>"Resource"</span>
                {Level::ALL.map(|level| view! { <span>{level.label()}</span> }).collect_view()}
            </div>
            {rows}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::policy::ceiling;
    use crate::access::TokenScope;

    fn deployment() -> GridBounds {
        GridBounds {
            scope_kind: TokenScopeKind::Deployment,
            ceiling: ceiling(&TokenScope::Deployment {
                agent_id: "a".into(),
                environment_id: "e".into(),
            }),
            granted: None,
        }
    }

    #[test]
    fn levels_above_the_scope_are_refused_with_the_scope_named() {
        let bounds = deployment();
        assert_eq!(
            bounds.unavailable(Resource::Agents, Level::Write),
            Some(Unavailable::Scope)
        );
        assert_eq!(bounds.unavailable(Resource::Agents, Level::Read), None);
        assert_eq!(bounds.unavailable(Resource::Triggers, Level::Write), None);
        assert_eq!(
            bounds.unavailable(Resource::Integrations, Level::Read),
            Some(Unavailable::Scope)
        );
        assert_eq!(
            scope_note(TokenScopeKind::Deployment, Resource::Agents, Level::Read).as_deref(),
            Some("Agent deployment tokens cannot write agents.")
        );
        assert_eq!(
            scope_note(
                TokenScopeKind::Deployment,
                Resource::KnowledgeBase,
                Level::None
            )
            .as_deref(),
            Some("Agent deployment tokens cannot reach knowledge base.")
        );
        assert_eq!(
            scope_note(TokenScopeKind::Account, Resource::Agents, Level::Write),
            None
        );
    }

    #[test]
    fn when_narrowing_only_lower_levels_are_offered() {
        let mut granted = Permissions::read_only();
        granted.set(Resource::Triggers, Level::Write);
        granted.set(Resource::Storage, Level::None);
        let bounds = GridBounds {
            granted: Some(granted),
            ..deployment()
        };
        assert_eq!(bounds.unavailable(Resource::Triggers, Level::Write), None);
        assert_eq!(
            bounds.unavailable(Resource::Storage, Level::Read),
            Some(Unavailable::Narrowing)
        );
        // The scope's reason wins where both apply: it is the one a new token would meet too.
        assert_eq!(
            bounds.unavailable(Resource::Agents, Level::Write),
            Some(Unavailable::Scope)
        );
        for resource in Resource::ALL {
            assert_eq!(bounds.unavailable(resource, Level::None), None);
        }
    }

    #[test]
    fn focus_enters_at_an_enabled_button() {
        let bounds = deployment();
        let full = Permissions::full();
        assert_eq!(first_focus_id("g", &full, &bounds), "g-agents-none");
        let read = Permissions::read_only();
        assert_eq!(first_focus_id("g", &read, &bounds), "g-agents-read");
    }
}
