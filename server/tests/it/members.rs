//! Members, invites and the workspace name over real HTTP: every server function, its
//! refusals (401, 403, another workspace's ids, bad input), the one-time invite code, the
//! last-owner guards, and the audit trail.

use crate::common::{
    add_user, other_workspace_owner, set_up_owner, workspace_of, Browser, RpcAnswer, TestServer,
    OWNER_EMAIL, OWNER_PASSWORD,
};
use app::auth::model::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

const INVITEE_PASSWORD: &str = "invitee passphrase 42";

fn ok(answer: &RpcAnswer) -> &Value {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    &answer.body
}

fn field_errors<'a>(answer: &'a RpcAnswer, field: &str) -> &'a Vec<Value> {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    answer.body["Validation"][field]
        .as_array()
        .unwrap_or_else(|| panic!("a validation error on {field}: {}", answer.body))
}

fn conflict_message(answer: &RpcAnswer) -> String {
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    answer.body["Conflict"]
        .as_str()
        .expect("a message")
        .to_owned()
}

async fn invite(browser: &mut Browser<'_>, email: &str, role: &str) -> RpcAnswer {
    browser
        .call("create_invite", &[("email", email), ("role", role)])
        .await
}

/// Creates an invite that must succeed; returns (invite view, code).
async fn invited(browser: &mut Browser<'_>, email: &str, role: &str) -> (Value, String) {
    let answer = invite(browser, email, role).await;
    let body = ok(&answer).clone();
    let code = body["link_path"]
        .as_str()
        .and_then(|path| path.strip_prefix("/invite/"))
        .expect("an /invite/ link")
        .to_owned();
    (body["invite"].clone(), code)
}

async fn accept(browser: &mut Browser<'_>, code: &str, name: &str, password: &str) -> RpcAnswer {
    browser
        .call(
            "accept_invite",
            &[("code", code), ("name", name), ("password", password)],
        )
        .await
}

async fn members(browser: &mut Browser<'_>) -> Vec<Value> {
    let answer = browser.call("list_members", &[]).await;
    ok(&answer).as_array().expect("a list").clone()
}

async fn pending_invites(browser: &mut Browser<'_>) -> Vec<Value> {
    let answer = browser.call("list_invites", &[]).await;
    ok(&answer).as_array().expect("a list").clone()
}

/// The user id of the member with this email, as `list_members` shows it.
async fn user_id(browser: &mut Browser<'_>, email: &str) -> String {
    members(browser)
        .await
        .iter()
        .find(|m| m["email"] == email)
        .and_then(|m| m["user_id"].as_str())
        .unwrap_or_else(|| panic!("{email} is a member"))
        .to_owned()
}

async fn role_of(browser: &mut Browser<'_>, email: &str) -> Value {
    members(browser)
        .await
        .iter()
        .find(|m| m["email"] == email)
        .map(|m| m["role"].clone())
        .unwrap_or(Value::Null)
}

/// `(action, target_label)` of every event whose action starts with `prefix`, in order.
async fn events(server: &TestServer, prefix: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT action, target_label FROM audit_events WHERE action LIKE $1 \
         ORDER BY occurred_at, action",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(server.state.db.pool())
    .await
    .expect("the audit events")
}

async fn invite_count(server: &TestServer) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invites")
        .fetch_one(server.state.db.pool())
        .await
        .expect("a row count");
    count
}

#[tokio::test]
async fn an_invitee_joins_once_and_lands_signed_in() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;

    let answer = invite(&mut owner, "  New.Person@Example.COM ", "member").await;
    let created = ok(&answer).clone();
    let link = created["link_path"].as_str().unwrap().to_owned();
    let code = link.strip_prefix("/invite/").expect("an invite path");
    assert_eq!(code.len(), 43, "256 bits, base64url");
    assert!(code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    let view = &created["invite"];
    assert_eq!(view["email"], "new.person@example.com");
    assert_eq!(view["role"], "member");
    assert_eq!(view["invited_by"], "Olive Owner");
    let week_ms = 7 * 24 * 60 * 60 * 1000;
    assert_eq!(
        view["expires_at_ms"].as_i64().unwrap() - view["created_at_ms"].as_i64().unwrap(),
        week_ms
    );

    // Only the SHA-256 of the code is stored.
    let (stored,): (String,) = sqlx::query_as("SELECT code_hash FROM invites")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, app::crypto::sha256_hex(code));
    assert!(!stored.contains(code));

    // The list shows the invite as create returned it, and never the code.
    let listed = pending_invites(&mut owner).await;
    assert_eq!(listed, std::slice::from_ref(view));
    assert!(!answer_text(&listed).contains(code));

    // Anyone with the link sees what it leads to.
    let mut invitee = Browser::new(&server);
    let preview = invitee.call("get_invite", &[("code", code)]).await;
    assert_eq!(
        ok(&preview),
        &json!({
            "workspace_name": "Acme",
            "email": "new.person@example.com",
            "role": "member",
            "expires_at_ms": view["expires_at_ms"],
        })
    );

    let answer = accept(&mut invitee, code, " <b>Nïna</b> 🚀 ", INVITEE_PASSWORD).await;
    assert_eq!(ok(&answer), &Value::Null);
    let cookie = answer.set_cookie.as_deref().expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");

    // Signed in as a member of Acme, with the name stored as text.
    let state = invitee.call("get_session_state", &[]).await;
    let me = &ok(&state)["SignedIn"];
    assert_eq!(me["name"], "<b>Nïna</b> 🚀");
    assert_eq!(me["email"], "new.person@example.com");
    assert_eq!(me["role"], "member");
    assert_eq!(me["workspace_name"], "Acme");
    let listed = members(&mut invitee).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["email"], OWNER_EMAIL);
    assert_eq!(listed[0]["is_you"], false);
    assert_eq!(listed[1]["name"], "<b>Nïna</b> 🚀");
    assert_eq!(listed[1]["is_you"], true);
    assert_eq!(listed[1]["role"], "member");
    assert!(listed[1]["joined_at_ms"].as_i64().unwrap() >= view["created_at_ms"].as_i64().unwrap());

    // The password is stored as argon2id; the new account can sign in with it.
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM users WHERE email = 'new.person@example.com'")
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let mut again = Browser::new(&server);
    let signed_in = again
        .call(
            "sign_in",
            &[
                ("email", "new.person@example.com"),
                ("password", INVITEE_PASSWORD),
            ],
        )
        .await;
    ok(&signed_in);

    // The code worked once: it is gone from the list, its preview and a second acceptance.
    assert!(pending_invites(&mut owner).await.is_empty());
    let mut other = Browser::new(&server);
    let preview = other.call("get_invite", &[("code", code)]).await;
    assert_eq!(preview.status, StatusCode::NOT_FOUND);
    assert_eq!(preview.body, json!("NotFound"));
    let second = accept(&mut other, code, "Mallory", "another long password").await;
    assert_eq!(second.status, StatusCode::NOT_FOUND);
    assert!(second.set_cookie.is_none());

    let (accepted_by,): (Option<String>,) = sqlx::query_as("SELECT accepted_by FROM invites")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(accepted_by.as_deref(), listed[1]["user_id"].as_str());
    assert_eq!(
        events(&server, "invite.").await,
        [(
            "invite.created".to_owned(),
            "new.person@example.com as member".to_owned()
        )]
    );
    assert_eq!(
        events(&server, "member.").await,
        [(
            "member.joined".to_owned(),
            "<b>Nïna</b> 🚀 (new.person@example.com) as member".to_owned()
        )]
    );
}

fn answer_text(values: &[Value]) -> String {
    serde_json::to_string(values).expect("JSON")
}

#[tokio::test]
async fn admins_invite_admins_and_members() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
    let (as_admin, code) = invited(&mut admin, "second-admin@example.com", "admin").await;
    assert_eq!(as_admin["role"], "admin");
    assert_eq!(as_admin["invited_by"], "a");
    invited(&mut admin, "m@example.com", "member").await;
    assert_eq!(pending_invites(&mut admin).await.len(), 2);

    let mut invitee = Browser::new(&server);
    ok(&accept(&mut invitee, &code, "Second Admin", INVITEE_PASSWORD).await);
    assert_eq!(
        role_of(&mut owner, "second-admin@example.com").await,
        "admin"
    );
}

#[tokio::test]
async fn invites_are_refused_without_a_session_or_the_right_role() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let (view, _) = invited(&mut owner, "x@example.com", "member").await;
    let id = view["id"].as_str().unwrap();

    let mut anonymous = Browser::new(&server);
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;
    for (browser, status) in [
        (&mut anonymous, StatusCode::UNAUTHORIZED),
        (&mut member, StatusCode::FORBIDDEN),
    ] {
        let answer = invite(browser, "y@example.com", "member").await;
        assert_eq!(answer.status, status, "{}", answer.body);
        let answer = browser.call("list_invites", &[]).await;
        assert_eq!(answer.status, status, "{}", answer.body);
        let answer = browser.call("revoke_invite", &[("invite_id", id)]).await;
        assert_eq!(answer.status, status, "{}", answer.body);
    }
    assert_eq!(invite_count(&server).await, 1);
    assert_eq!(pending_invites(&mut owner).await, [view]);
}

#[tokio::test]
async fn invite_input_is_checked() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    add_user(&server, &workspace_id, "member@example.com", Role::Member).await;

    for bad in [
        "",
        "   ",
        "not-an-email",
        "a b@example.com",
        "a@b@example.com",
    ] {
        let answer = invite(&mut owner, bad, "member").await;
        assert_eq!(field_errors(&answer, "email").len(), 1, "{bad:?}");
    }
    let long = format!("{}@example.com", "x".repeat(250));
    field_errors(&invite(&mut owner, &long, "member").await, "email");

    // Owners are made, not invited.
    let answer = invite(&mut owner, "boss@example.com", "owner").await;
    let messages = field_errors(&answer, "role");
    assert!(messages[0].as_str().unwrap().contains("admin or member"));
    // Both problems at once.
    let answer = invite(&mut owner, "", "owner").await;
    field_errors(&answer, "email");
    field_errors(&answer, "role");
    // A role that is not a role at all fails to decode: a malformed request. (Its HTTP status
    // is decided by the server-function framework before our code runs; see environments.rs.)
    let answer = invite(&mut owner, "boss@example.com", "boss").await;
    assert_ne!(answer.status, StatusCode::OK);
    assert!(
        answer.body["Validation"]["request"].is_array(),
        "{}",
        answer.body
    );

    // Existing members, in any case.
    for existing in [OWNER_EMAIL, " MEMBER@example.com"] {
        let answer = invite(&mut owner, existing, "admin").await;
        let messages = field_errors(&answer, "email");
        assert!(
            messages[0].as_str().unwrap().contains("already a member"),
            "{messages:?}"
        );
    }
    assert_eq!(invite_count(&server).await, 0);
    assert!(events(&server, "invite.").await.is_empty());
}

#[tokio::test]
async fn inviting_the_same_email_again_replaces_the_open_invite() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (first, first_code) = invited(&mut owner, "x@example.com", "member").await;
    let (second, second_code) = invited(&mut owner, "X@example.com", "admin").await;
    assert_ne!(first_code, second_code);
    assert_eq!(
        pending_invites(&mut owner).await,
        std::slice::from_ref(&second)
    );

    let mut invitee = Browser::new(&server);
    let old = invitee.call("get_invite", &[("code", &first_code)]).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    let new = invitee.call("get_invite", &[("code", &second_code)]).await;
    assert_eq!(ok(&new)["role"], "admin");

    let revoked: Vec<(String, String)> = vec![
        ("invite.created".into(), "x@example.com as member".into()),
        ("invite.revoked".into(), "x@example.com".into()),
        ("invite.created".into(), "x@example.com as admin".into()),
    ];
    let mut got = events(&server, "invite.").await;
    let mut expected = revoked;
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    let (revoked_id,): (String,) =
        sqlx::query_as("SELECT target_id FROM audit_events WHERE action = 'invite.revoked'")
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(revoked_id, first["id"].as_str().unwrap());
}

#[tokio::test]
async fn revoked_invites_stop_working() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
    let (view, code) = invited(&mut owner, "x@example.com", "member").await;
    let id = view["id"].as_str().unwrap();

    // Another workspace's owner cannot see or revoke it.
    let mut stranger = other_workspace_owner(&server, "s@example.com").await;
    assert!(pending_invites(&mut stranger).await.is_empty());
    let answer = stranger.call("revoke_invite", &[("invite_id", id)]).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.body, json!("NotFound"));
    let unknown = owner.call("revoke_invite", &[("invite_id", "nope")]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(pending_invites(&mut owner).await.len(), 1);

    // An admin of the workspace can.
    ok(&admin.call("revoke_invite", &[("invite_id", id)]).await);
    assert!(pending_invites(&mut owner).await.is_empty());
    let again = owner.call("revoke_invite", &[("invite_id", id)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    let mut invitee = Browser::new(&server);
    let preview = invitee.call("get_invite", &[("code", &code)]).await;
    assert_eq!(preview.status, StatusCode::NOT_FOUND);
    let answer = accept(&mut invitee, &code, "X", INVITEE_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.set_cookie.is_none());
    let (users,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = 'x@example.com'")
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(users, 0);
    assert_eq!(
        events(&server, "invite.revoked").await,
        [("invite.revoked".to_owned(), "x@example.com".to_owned())]
    );
}

#[tokio::test]
async fn expired_invites_do_not_work() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, code) = invited(&mut owner, "x@example.com", "member").await;
    sqlx::query("UPDATE invites SET expires_at = $1")
        .bind(app::clock::now_ms() - 1)
        .execute(server.state.db.pool())
        .await
        .unwrap();

    assert!(pending_invites(&mut owner).await.is_empty());
    let mut invitee = Browser::new(&server);
    let preview = invitee.call("get_invite", &[("code", &code)]).await;
    assert_eq!(preview.status, StatusCode::NOT_FOUND);
    assert_eq!(preview.body, json!("NotFound"));
    let answer = accept(&mut invitee, &code, "X", INVITEE_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(members(&mut owner).await.len(), 1);
}

#[tokio::test]
async fn acceptance_checks_name_and_password_and_keeps_the_code_until_it_succeeds() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, code) = invited(&mut owner, "x@example.com", "member").await;
    let mut invitee = Browser::new(&server);

    let answer = accept(&mut invitee, &code, "   ", "too short").await;
    field_errors(&answer, "name");
    field_errors(&answer, "password");
    assert!(answer.set_cookie.is_none());
    field_errors(
        &accept(&mut invitee, &code, &"n".repeat(65), INVITEE_PASSWORD).await,
        "name",
    );
    field_errors(
        &accept(&mut invitee, &code, "tab\there", INVITEE_PASSWORD).await,
        "name",
    );
    field_errors(
        &accept(&mut invitee, &code, "Ok", "elevenchars").await,
        "password",
    );
    field_errors(
        &accept(&mut invitee, &code, "Ok", &"p".repeat(257)).await,
        "password",
    );
    let wrong_code = accept(&mut invitee, "not-the-code", "Ok", INVITEE_PASSWORD).await;
    assert_eq!(wrong_code.status, StatusCode::NOT_FOUND);
    assert_eq!(members(&mut owner).await.len(), 1);

    // Sixty-four characters, twelve-character password: exactly at the limits.
    let name = "é".repeat(64);
    ok(&accept(&mut invitee, &code, &name, "twelve chars").await);
    assert_eq!(members(&mut invitee).await[1]["name"], name);
}

#[tokio::test]
async fn an_existing_account_joins_with_its_own_password() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    // Someone who owns another workspace is invited here.
    let mut elsewhere = other_workspace_owner(&server, "elsewhere@example.com").await;
    let (_, code) = invited(&mut owner, "elsewhere@example.com", "admin").await;

    let mut invitee = Browser::new(&server);
    let wrong = accept(&mut invitee, &code, "Ignored", "not their password").await;
    let messages = field_errors(&wrong, "password");
    assert!(messages[0].as_str().unwrap().contains("already exists"));
    assert!(wrong.set_cookie.is_none());

    ok(&accept(&mut invitee, &code, "Ignored", OWNER_PASSWORD).await);
    let state = invitee.call("get_session_state", &[]).await;
    let me = &ok(&state)["SignedIn"];
    assert_eq!(me["workspace_name"], "Acme");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["name"], "elsewhere", "the account keeps its name");
    // Still one account, now in two workspaces; the old session still works there.
    let (users,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = 'elsewhere@example.com'")
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(users, 1);
    assert_eq!(members(&mut elsewhere).await.len(), 1);
    assert_eq!(members(&mut owner).await.len(), 2);
}

#[tokio::test]
async fn accepting_when_already_a_member_changes_nothing() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let (_, code) = invited(&mut owner, "late@example.com", "admin").await;
    // They were added some other way after the invite was sent.
    add_user(&server, &workspace_id, "late@example.com", Role::Member).await;

    let mut invitee = Browser::new(&server);
    let answer = accept(&mut invitee, &code, "Late", OWNER_PASSWORD).await;
    assert!(conflict_message(&answer).contains("already a member"));
    assert!(answer.set_cookie.is_none());
    assert_eq!(role_of(&mut owner, "late@example.com").await, "member");
    let preview = invitee.call("get_invite", &[("code", &code)]).await;
    ok(&preview);
}

#[tokio::test]
async fn an_invite_code_works_exactly_once_under_concurrency() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, code) = invited(&mut owner, "x@example.com", "member").await;
    let mut first = Browser::new(&server);
    let mut second = Browser::new(&server);
    let (a, b) = tokio::join!(
        accept(&mut first, &code, "First", INVITEE_PASSWORD),
        accept(&mut second, &code, "Second", INVITEE_PASSWORD),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    // The loser either lost the claim (404) or found the account the winner just created.
    assert_eq!(statuses[0], StatusCode::OK, "{} / {}", a.body, b.body);
    assert_ne!(statuses[1], StatusCode::OK, "{} / {}", a.body, b.body);
    assert_eq!(members(&mut owner).await.len(), 2);
    assert_eq!(events(&server, "member.joined").await.len(), 1);
}

#[tokio::test]
async fn failed_invite_lookups_are_rate_limited_per_address() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, code) = invited(&mut owner, "x@example.com", "member").await;
    let mut prober = Browser::new(&server);
    for attempt in 0..20 {
        let answer = prober
            .call("get_invite", &[("code", &format!("guess-{attempt}"))])
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "attempt {attempt}");
    }
    // Now even the right code waits: the limit is on the address, not on the code.
    let limited = prober.call("get_invite", &[("code", &code)]).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    let limited = accept(&mut prober, &code, "X", INVITEE_PASSWORD).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
}

#[tokio::test]
async fn members_are_listed_owners_first_to_members_of_the_workspace_only() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut member = add_user(&server, &workspace_id, "bea@example.com", Role::Member).await;
    add_user(&server, &workspace_id, "al@example.com", Role::Admin).await;
    add_user(&server, &workspace_id, "zed@example.com", Role::Owner).await;
    let mut stranger = other_workspace_owner(&server, "s@example.com").await;

    let listed = members(&mut member).await;
    let rows: Vec<(&str, &str, bool)> = listed
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap(),
                m["role"].as_str().unwrap(),
                m["is_you"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (OWNER_EMAIL, "owner", false),
            ("zed@example.com", "owner", false),
            ("al@example.com", "admin", false),
            ("bea@example.com", "member", true),
        ]
    );
    assert_eq!(listed[0]["name"], "Olive Owner");
    let stranger_view = members(&mut stranger).await;
    assert_eq!(stranger_view.len(), 1);
    assert_eq!(stranger_view[0]["email"], "s@example.com");

    let answer = Browser::new(&server).call("list_members", &[]).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_owners_change_roles() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;
    let mut stranger = other_workspace_owner(&server, "s@example.com").await;
    let member_id = user_id(&mut owner, "m@example.com").await;
    let stranger_id = user_id(&mut stranger, "s@example.com").await;

    for (browser, status) in [
        (&mut Browser::new(&server), StatusCode::UNAUTHORIZED),
        (&mut admin, StatusCode::FORBIDDEN),
        (&mut member, StatusCode::FORBIDDEN),
    ] {
        let answer = browser
            .call(
                "change_member_role",
                &[("user_id", &member_id), ("role", "admin")],
            )
            .await;
        assert_eq!(answer.status, status, "{}", answer.body);
    }
    assert_eq!(role_of(&mut owner, "m@example.com").await, "member");

    // Another workspace's user is as unknown as a made-up id, and untouched.
    for id in [stranger_id.as_str(), "nope"] {
        let answer = owner
            .call("change_member_role", &[("user_id", id), ("role", "member")])
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert_eq!(answer.body, json!("NotFound"));
    }
    assert_eq!(role_of(&mut stranger, "s@example.com").await, "owner");
    let bad = owner
        .call(
            "change_member_role",
            &[("user_id", &member_id), ("role", "root")],
        )
        .await;
    assert_ne!(bad.status, StatusCode::OK);
    assert!(bad.body["Validation"]["request"].is_array(), "{}", bad.body);

    ok(&owner
        .call(
            "change_member_role",
            &[("user_id", &member_id), ("role", "admin")],
        )
        .await);
    assert_eq!(role_of(&mut owner, "m@example.com").await, "admin");
    // The promoted member's very next call acts with the new role.
    ok(&invite(&mut member, "new@example.com", "member").await);
    ok(&owner
        .call(
            "change_member_role",
            &[("user_id", &member_id), ("role", "owner")],
        )
        .await);
    assert_eq!(role_of(&mut owner, "m@example.com").await, "owner");
    // Same role again: nothing to do, nothing recorded.
    ok(&owner
        .call(
            "change_member_role",
            &[("user_id", &member_id), ("role", "owner")],
        )
        .await);
    assert_eq!(
        events(&server, "member.role_changed").await,
        [
            (
                "member.role_changed".to_owned(),
                "m (m@example.com): member → admin".to_owned()
            ),
            (
                "member.role_changed".to_owned(),
                "m (m@example.com): admin → owner".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn the_last_owner_cannot_be_demoted_or_removed() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let owner_id = user_id(&mut owner, OWNER_EMAIL).await;

    for role in ["admin", "member"] {
        let answer = owner
            .call(
                "change_member_role",
                &[("user_id", &owner_id), ("role", role)],
            )
            .await;
        assert!(conflict_message(&answer).contains("at least one owner"));
    }
    let answer = owner.call("remove_member", &[("user_id", &owner_id)]).await;
    assert!(conflict_message(&answer).contains("last owner"));
    assert_eq!(role_of(&mut owner, OWNER_EMAIL).await, "owner");

    // With a second owner, the first may step down, and then the second is the last one.
    let mut second = add_user(&server, &workspace_id, "two@example.com", Role::Owner).await;
    let second_id = user_id(&mut owner, "two@example.com").await;
    ok(&owner
        .call(
            "change_member_role",
            &[("user_id", &owner_id), ("role", "admin")],
        )
        .await);
    let answer = second
        .call(
            "change_member_role",
            &[("user_id", &second_id), ("role", "member")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    // The demoted first owner can no longer change roles at all.
    let answer = owner
        .call(
            "change_member_role",
            &[("user_id", &second_id), ("role", "member")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(role_of(&mut second, "two@example.com").await, "owner");
}

#[tokio::test]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let server = TestServer::start().await;
    let mut first = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut first).await;
    let mut second = add_user(&server, &workspace_id, "two@example.com", Role::Owner).await;
    let first_id = user_id(&mut first, OWNER_EMAIL).await;
    let second_id = user_id(&mut first, "two@example.com").await;
    let demote_second = [("user_id", second_id.as_str()), ("role", "member")];
    let demote_first = [("user_id", first_id.as_str()), ("role", "member")];
    let (a, b) = tokio::join!(
        first.call("change_member_role", &demote_second),
        second.call("change_member_role", &demote_first),
    );
    let successes = [a.status, b.status]
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(successes, 1, "{} / {}", a.body, b.body);
    let (owners,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE role = 'owner'")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(owners, 1);
}

#[tokio::test]
async fn removed_members_are_signed_out_at_once() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;
    let member_id = user_id(&mut owner, "m@example.com").await;
    ok(&member.call("list_members", &[]).await);

    ok(&owner
        .call("remove_member", &[("user_id", &member_id)])
        .await);
    let answer = member.call("list_members", &[]).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(&member_id)
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0, "their sessions are deleted");
    assert_eq!(members(&mut owner).await.len(), 1);
    // They can be invited again, and join with their existing account's password.
    let (_, code) = invited(&mut owner, "m@example.com", "member").await;
    ok(&accept(&mut Browser::new(&server), &code, "", OWNER_PASSWORD).await);
    assert_eq!(members(&mut owner).await.len(), 2);

    let again = owner.call("remove_member", &[("user_id", "nope")]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        events(&server, "member.removed").await,
        [("member.removed".to_owned(), "m (m@example.com)".to_owned())]
    );
}

#[tokio::test]
async fn who_may_remove_whom() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
    add_user(&server, &workspace_id, "a2@example.com", Role::Admin).await;
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;
    add_user(&server, &workspace_id, "m2@example.com", Role::Member).await;
    let mut stranger = other_workspace_owner(&server, "s@example.com").await;
    let owner_id = user_id(&mut owner, OWNER_EMAIL).await;
    let admin2_id = user_id(&mut owner, "a2@example.com").await;
    let member_id = user_id(&mut owner, "m@example.com").await;
    let member2_id = user_id(&mut owner, "m2@example.com").await;
    let stranger_id = user_id(&mut stranger, "s@example.com").await;

    let anonymous = Browser::new(&server)
        .call("remove_member", &[("user_id", &member_id)])
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let answer = member
        .call("remove_member", &[("user_id", &member2_id)])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // Admins remove plain members only.
    for target in [&owner_id, &admin2_id] {
        let answer = admin.call("remove_member", &[("user_id", target)]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    }
    for browser in [&mut admin, &mut owner] {
        let answer = browser
            .call("remove_member", &[("user_id", &stranger_id)])
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(members(&mut stranger).await.len(), 1);
    assert_eq!(members(&mut owner).await.len(), 5);

    ok(&admin
        .call("remove_member", &[("user_id", &member2_id)])
        .await);
    ok(&owner
        .call("remove_member", &[("user_id", &admin2_id)])
        .await);
    let left: Vec<Value> = members(&mut owner)
        .await
        .iter()
        .map(|m| m["email"].clone())
        .collect();
    assert_eq!(
        left,
        [
            json!(OWNER_EMAIL),
            json!("a@example.com"),
            json!("m@example.com")
        ]
    );
    assert_eq!(events(&server, "member.removed").await.len(), 2);
}

#[tokio::test]
async fn owners_and_admins_rename_the_workspace() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;
    let mut stranger = other_workspace_owner(&server, "s@example.com").await;

    let answer = member.call("get_workspace", &[]).await;
    let before = ok(&answer).clone();
    assert_eq!(before["id"], workspace_id.as_str());
    assert_eq!(before["name"], "Acme");
    assert!(before["created_at_ms"].as_i64().unwrap() > 0);

    let answer = owner
        .call("rename_workspace", &[("name", "  <i>Äcme</i> & Co 🚀 ")])
        .await;
    let renamed = ok(&answer).clone();
    assert_eq!(renamed["name"], "<i>Äcme</i> & Co 🚀");
    assert_eq!(renamed["id"], before["id"]);
    assert_eq!(renamed["created_at_ms"], before["created_at_ms"]);
    assert_eq!(ok(&member.call("get_workspace", &[]).await), &renamed);
    let state = member.call("get_session_state", &[]).await;
    assert_eq!(
        ok(&state)["SignedIn"]["workspace_name"],
        "<i>Äcme</i> & Co 🚀"
    );
    ok(&admin
        .call("rename_workspace", &[("name", "Acme Inc")])
        .await);
    // Only the caller's own workspace changes.
    assert_eq!(
        ok(&stranger.call("get_workspace", &[]).await)["name"],
        "Other"
    );

    let forbidden = member.call("rename_workspace", &[("name", "Mine")]).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let mut anonymous = Browser::new(&server);
    for (function, form) in [
        ("get_workspace", vec![]),
        ("rename_workspace", vec![("name", "Mine")]),
    ] {
        let answer = anonymous.call(function, &form).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{function}");
    }
    for bad in ["", "   ", "tab\there"] {
        let answer = owner.call("rename_workspace", &[("name", bad)]).await;
        field_errors(&answer, "name");
    }
    let long = "w".repeat(65);
    field_errors(
        &owner.call("rename_workspace", &[("name", &long)]).await,
        "name",
    );
    assert_eq!(
        ok(&owner.call("get_workspace", &[]).await)["name"],
        "Acme Inc"
    );

    assert_eq!(
        events(&server, "workspace.renamed").await,
        [
            (
                "workspace.renamed".to_owned(),
                "<i>Äcme</i> & Co 🚀".to_owned()
            ),
            ("workspace.renamed".to_owned(), "Acme Inc".to_owned()),
        ]
    );
}
