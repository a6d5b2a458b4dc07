//! Settings › Audit log: the workspace's events, newest first.

use leptos::prelude::*;

use crate::audit::model::AuditEventView;
use crate::audit::server_fns::list_audit_events;
use crate::ui::{load, LoadError, RelativeTime};

#[component]
pub fn AuditLogTab() -> impl IntoView {
    let events = load(|| (), |_| list_audit_events());
    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Audit log"</h2>
                    <p class="muted">"Who changed what in this workspace, newest first."</p>
                </div>
                <button type="button" on:click=move |_| events.refetch()>"Refresh"</button>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty-state">"Nothing has happened yet."</p> }.into_any(),
                        Ok(list) => view! { <AuditTable events=list /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditTable(events: Vec<AuditEventView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table" aria-label="Audit events">
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"From"</th>
                    </tr>
                </thead>
                <tbody>
                    {events
                        .into_iter()
                        .map(|event| view! {
                            <tr data-testid="audit-event" data-action=event.action.clone()>
                                <td><RelativeTime at_ms=event.occurred_at_ms /></td>
                                <td>{event.actor_label}</td>
                                <td>{describe_action(&event.action)}</td>
                                <td>{event.target_label.unwrap_or_default()}</td>
                                <td class="muted">{event.client_addr.unwrap_or_default()}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `environment.created` → "Created environment"; unknown actions are shown as stored.
pub fn describe_action(action: &str) -> String {
    let Some((subject, verb)) = action.split_once('.') else {
        return action.to_string();
    };
    let verb = match verb {
        "signed_in" => return "Signed in".into(),
        "signed_out" => return "Signed out".into(),
        "role_changed" => return format!("Changed {subject} role"),
        "grace_ended" => return format!("Ended the {subject}'s grace period"),
        other => other.replace('_', " "),
    };
    let mut sentence = verb;
    if let Some(first) = sentence.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{sentence} {}", subject.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::describe_action;

    #[test]
    fn actions_read_as_sentences() {
        assert_eq!(
            describe_action("environment.created"),
            "Created environment"
        );
        assert_eq!(describe_action("token.regenerated"), "Regenerated token");
        assert_eq!(
            describe_action("token.grace_ended"),
            "Ended the token's grace period"
        );
        assert_eq!(describe_action("user.signed_in"), "Signed in");
        assert_eq!(
            describe_action("member.role_changed"),
            "Changed member role"
        );
        assert_eq!(describe_action("invite.created"), "Created invite");
        assert_eq!(describe_action("odd"), "odd");
    }
}
