//! Settings › Members (people, roles, invites) and the page an invite link opens.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::auth::domain::MAX_NAME_CHARS;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::members::domain::{may_change_roles, may_manage_invites, may_remove};
use crate::members::model::{CreatedInvite, InviteView, MemberView};
use crate::members::server_fns::{
    accept_invite, change_member_role, create_invite, get_invite, list_invites, list_members,
    remove_member, revoke_invite,
};
use crate::session::{use_session, use_user};
use crate::ui::field::{field_message, form_message};
use crate::ui::{
    load, ConfirmDialog, CopyButton, Dialog, ErrorAlert, LoadError, RelativeTime, SelectField,
    TextField,
};

#[component]
pub fn MembersTab() -> impl IntoView {
    let user = use_user();
    // The UI hides what the service would refuse; `members::domain` holds the rules.
    let my_role = user.0.with_untracked(|u| u.role);
    let members = load(|| (), |_| list_members());
    let reload_members = Callback::new(move |()| members.refetch());
    // What the last change did, read out by screen readers; rows are rebuilt on reload, so
    // the line lives here rather than in a row.
    let notice = RwSignal::new(None::<String>);
    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Members"</h2>
                    <p class="muted">"Owners and admins manage the workspace; members can look but not change."</p>
                </div>
            </header>
            <p class="notice-line" role="status" aria-live="polite" data-testid="members-notice">
                {move || notice.get()}
            </p>
            <Transition fallback=|| view! { <p class="muted">"Loading members…"</p> }>
                {move || Suspend::new(async move {
                    match members.await {
                        Ok(list) => view! { <MembersTable members=list my_role reload=reload_members notice /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Show when=move || may_manage_invites(my_role)>
            <InvitesSection />
        </Show>
    }
}

#[component]
fn MembersTable(
    members: Vec<MemberView>,
    my_role: Role,
    reload: Callback<()>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table" aria-label="Members">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Joined"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {members.into_iter().map(|member| view! { <MemberRow member my_role reload notice /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MemberRow(
    member: MemberView,
    my_role: Role,
    reload: Callback<()>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let role = RwSignal::new(member.role.as_str().to_string());
    let changing = Action::new(|input: &(String, Role)| {
        let (user_id, role) = input.clone();
        change_member_role(user_id, role)
    });
    let removing = Action::new(|user_id: &String| remove_member(user_id.clone()));
    let confirming_removal = RwSignal::new(false);
    let original_role = member.role;
    let name = member.name.clone();
    Effect::new(move |_| match changing.value().get() {
        Some(Ok(())) => {
            let now = Role::parse(&role.get_untracked()).unwrap_or(original_role);
            notice.set(Some(format!("{name} is now {}.", now.label())));
            reload.run(());
        }
        // Refused (say, the last owner): put the select back to what is true.
        Some(Err(_)) => role.set(original_role.as_str().to_string()),
        None => {}
    });
    let name = member.name.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = removing.value().get() {
            confirming_removal.set(false);
            notice.set(Some(format!("{name} was removed from the workspace.")));
            reload.run(());
        }
    });
    let role_error = Signal::derive(move || changing.value().with(form_message));
    let remove_error = Signal::derive(move || removing.value().with(form_message));
    let user_id = member.user_id.clone();
    let label = if member.is_you {
        format!("{} (you)", member.name)
    } else {
        member.name.clone()
    };
    let can_remove = may_remove(my_role, member.role);
    let select_id = format!("role-{}", member.user_id);
    let remove_title = format!("Remove {}?", member.name);
    let name_for_labels = member.name.clone();
    view! {
        <tr data-testid="member" data-email=member.email.clone()>
            <td>{label}</td>
            <td class="muted">{member.email.clone()}</td>
            <td>
                {if may_change_roles(my_role) {
                    let user_id = user_id.clone();
                    view! {
                        <label class="visually-hidden" for=select_id.clone()>{format!("Role of {name_for_labels}")}</label>
                        <select
                            id=select_id
                            prop:value=move || role.get()
                            disabled=move || changing.pending().get()
                            on:change=move |event| {
                                let value = event_target_value(&event);
                                role.set(value.clone());
                                if let Some(new_role) = Role::parse(&value) {
                                    changing.dispatch((user_id.clone(), new_role));
                                }
                            }
                        >
                            {[Role::Owner, Role::Admin, Role::Member]
                                .into_iter()
                                .map(|r| view! { <option value=r.as_str() selected=r == original_role>{r.label()}</option> })
                                .collect_view()}
                        </select>
                        <ErrorAlert message=role_error />
                    }
                        .into_any()
                } else {
                    view! { <span class="badge badge-neutral">{member.role.label()}</span> }.into_any()
                }}
            </td>
            <td><RelativeTime at_ms=member.joined_at_ms /></td>
            <td class="actions-cell">
                {can_remove.then(|| view! {
                    <button type="button" class="danger-outline small" aria-label=format!("Remove {}", member.name) on:click=move |_| confirming_removal.set(true)>
                        "Remove"
                    </button>
                })}
                <ConfirmDialog
                    open=confirming_removal
                    title=remove_title
                    confirm_label="Remove member"
                    pending=removing.pending()
                    error=remove_error
                    on_confirm=Callback::new(move |()| {
                        removing.dispatch(user_id.clone());
                    })
                >
                    <p>"They lose access to this workspace at once and are signed out. Tokens they created keep working until you revoke them."</p>
                </ConfirmDialog>
            </td>
        </tr>
    }
}

#[component]
fn InvitesSection() -> impl IntoView {
    let invites = load(|| (), |_| list_invites());
    let inviting = RwSignal::new(false);
    let reload = Callback::new(move |()| invites.refetch());
    view! {
        <section class="card">
            <header class="section-header">
                <div>
                    <h2>"Invites"</h2>
                    <p class="muted">"Invite links work once and expire after 7 days."</p>
                </div>
                <button type="button" class="primary" on:click=move |_| inviting.set(true)>"Invite member"</button>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading invites…"</p> }>
                {move || Suspend::new(async move {
                    match invites.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No pending invites."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="item-list" aria-label="Pending invites">
                                {list.into_iter().map(|invite| view! { <InviteItem invite reload /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Dialog open=inviting title="Invite member">
            <InviteForm open=inviting on_created=reload />
        </Dialog>
    }
}

#[component]
fn InviteItem(invite: InviteView, reload: Callback<()>) -> impl IntoView {
    let revoking = Action::new(|id: &String| revoke_invite(id.clone()));
    Effect::new(move |_| {
        if revoking.value().get().is_some() {
            reload.run(());
        }
    });
    let error = Signal::derive(move || revoking.value().with(form_message));
    let id = invite.id.clone();
    view! {
        <li class="item" data-testid="invite">
            <div class="item-main">
                <p class="item-title">{invite.email.clone()}</p>
                <p class="muted small">
                    {format!("{} · invited by {} · expires ", invite.role.label(), invite.invited_by)}
                    <RelativeTime at_ms=invite.expires_at_ms />
                </p>
                <ErrorAlert message=error />
            </div>
            <div class="item-actions">
                <button type="button" class="danger-outline small" aria-label=format!("Revoke invite for {}", invite.email) on:click=move |_| { revoking.dispatch(id.clone()); }>
                    "Revoke"
                </button>
            </div>
        </li>
    }
}

/// Asks for email and role, then shows the link once.
#[component]
fn InviteForm(open: RwSignal<bool>, on_created: Callback<()>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Member.as_str().to_string());
    let creating = Action::new(|input: &(String, Role)| {
        let (email, role) = input.clone();
        create_invite(email, role)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = creating.value().get() {
            on_created.run(());
        }
    });
    let answer = creating.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || answer.with(|a| field_message(a, field)));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = Role::parse(&role.get()).unwrap_or(Role::Member);
        creating.dispatch((email.get(), chosen));
    };
    let roles = vec![
        (
            Role::Member.as_str().to_string(),
            "Member — can view".to_string(),
        ),
        (
            Role::Admin.as_str().to_string(),
            "Admin — can manage".to_string(),
        ),
    ];
    view! {
        {move || match answer.get() {
            Some(Ok(created)) => view! { <InviteCreated created open /> }.into_any(),
            _ => view! {
                <form on:submit=on_submit novalidate>
                    <TextField id="invite-email" label="Email" input_type="email" value=email error=error_for("email") required=true autofocus=true />
                    <SelectField id="invite-role" label="Role" value=role options=roles.clone() error=error_for("role") />
                    <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
                    <div class="dialog-actions">
                        <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="submit" class="primary" disabled=move || creating.pending().get()>"Create invite link"</button>
                    </div>
                </form>
            }
            .into_any(),
        }}
    }
}

#[component]
fn InviteCreated(created: CreatedInvite, open: RwSignal<bool>) -> impl IntoView {
    let link = RwSignal::new(created.link_path.clone());
    // The page's own origin makes the link absolute; the server only knows the path.
    #[cfg(feature = "hydrate")]
    {
        let path = created.link_path.clone();
        Effect::new(move |_| {
            if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
                link.set(format!("{origin}{path}"));
            }
        });
    }
    view! {
        <p>
            {format!("Send this link to {}. It lets them join as ", created.invite.email)}
            <strong>{created.invite.role.label()}</strong>
            ", works once and expires in 7 days."
        </p>
        <div class="secret-box">
            <label for="invite-link">"Invite link"</label>
            <div class="secret-row">
                <input id="invite-link" readonly prop:value=move || link.get() on:focus=|event| select_all(&event) />
                <CopyButton text=link label="Copy invite link" />
            </div>
        </div>
        <p class="alert alert-warning" role="status">"This link is shown only once. Copy it now."</p>
        <div class="dialog-actions">
            <button type="button" class="primary" on:click=move |_| open.set(false)>"Done"</button>
        </div>
    }
}

/// Selects a read-only field's text on focus, so it can be copied by hand.
pub fn select_all(event: &leptos::ev::FocusEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

/// `/invite/{code}`: the invitee sets their name and password and joins.
#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let preview = load(code, get_invite);
    view! {
        <main class="page auth-page">
            <section class="card narrow">
                <Transition fallback=|| view! { <p class="muted">"Checking your invite…"</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(preview) => view! {
                                <h1>{format!("Join {}", preview.workspace_name)}</h1>
                                <p class="lede">
                                    {format!("You are invited as {} with {}. ", preview.role.label(), preview.email)}
                                    "The link expires " <RelativeTime at_ms=preview.expires_at_ms /> "."
                                </p>
                                <AcceptInviteForm code=code() email=preview.email.clone() />
                            }
                            .into_any(),
                            Err(AppError::RateLimited { retry_after_secs }) => view! {
                                <h1>"Too many attempts"</h1>
                                <p class="alert alert-error" role="alert">{format!("Try again in {retry_after_secs} s.")}</p>
                            }
                            .into_any(),
                            Err(_) => view! {
                                <h1>"This invite link does not work"</h1>
                                <p>"It may have expired, been used already or been revoked. Ask the person who invited you for a new link."</p>
                                <a href="/">"Go to Tessera"</a>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
            </section>
        </main>
    }
}

#[component]
fn AcceptInviteForm(code: String, email: String) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let joining = Action::new(|input: &(String, String, String)| {
        let (code, name, password) = input.clone();
        accept_invite(code, name, password)
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = joining.value().get() {
            session.refresh();
            navigate("/agents", Default::default());
        }
    });
    let answer = joining.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || answer.with(|a| field_message(a, field)));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        joining.dispatch((code.clone(), name.get(), password.get()));
    };
    view! {
        <form on:submit=on_submit novalidate>
            <div class="field">
                <label for="invite-accept-email">"Email"</label>
                <input id="invite-accept-email" type="email" readonly value=email autocomplete="username" />
            </div>
            <TextField id="invite-accept-name" label="Your name" value=name error=error_for("name") autocomplete="name" required=true maxlength=MAX_NAME_CHARS as u32 />
            <TextField id="invite-accept-password" label="Password" input_type="password" value=password error=error_for("password") autocomplete="new-password" hint="At least 12 characters. If you already have a Tessera account with this email, enter its password." required=true />
            <ErrorAlert message=Signal::derive(move || answer.with(form_message)) />
            <button type="submit" class="primary wide" disabled=move || joining.pending().get()>"Join workspace"</button>
        </form>
    }
}
