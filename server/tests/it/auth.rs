//! First-run setup, sign-in, sign-out, sessions and the audit log, over real HTTP.

use crate::common::{set_up_owner, Browser, TestServer, OWNER_EMAIL, OWNER_PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn setup_creates_the_owner_signs_them_in_and_then_is_gone_for_good() {
    let server = TestServer::start().await;
    let mut anonymous = Browser::new(&server);
    let state = anonymous.call("get_session_state", &[]).await;
    assert_eq!(state.body, json!("NeedsSetup"));

    let mut owner = set_up_owner(&server).await;
    let state = owner.call("get_session_state", &[]).await;
    assert_eq!(state.body["SignedIn"]["role"], "owner");
    assert_eq!(state.body["SignedIn"]["workspace_name"], "Acme");
    assert_eq!(state.body["SignedIn"]["email"], OWNER_EMAIL);

    let again = Browser::new(&server)
        .call(
            "setup_workspace",
            &[
                ("workspace_name", "Evil"),
                ("name", "Mallory"),
                ("email", "m@example.com"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.set_cookie.is_none());
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(users, 1, "the second setup changed nothing");
    assert_eq!(
        anonymous.call("get_session_state", &[]).await.body,
        json!("SignedOut")
    );
}

#[tokio::test]
async fn session_cookie_is_http_only_lax_and_stored_only_hashed() {
    let server = TestServer::start().await;
    let mut browser = Browser::new(&server);
    let answer = browser
        .call(
            "setup_workspace",
            &[
                ("workspace_name", "Acme"),
                ("name", "Olive"),
                ("email", OWNER_EMAIL),
                ("password", OWNER_PASSWORD),
            ],
        )
        .await;
    let set_cookie = answer.set_cookie.expect("a session cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "not configured for HTTPS here"
    );
    let session_id = browser
        .cookie
        .clone()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let stored: Vec<(String,)> = sqlx::query_as("SELECT id_hash FROM sessions")
        .fetch_all(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(
        stored[0].0, session_id,
        "the raw session id is never stored"
    );
}

#[tokio::test]
async fn setup_input_is_validated_field_by_field() {
    let server = TestServer::start().await;
    let answer = Browser::new(&server)
        .call(
            "setup_workspace",
            &[
                ("workspace_name", "  "),
                ("name", &"n".repeat(65)),
                ("email", "not-an-email"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &answer.body["Validation"];
    for field in ["workspace_name", "name", "email", "password"] {
        assert!(
            fields[field].is_array(),
            "{field} has an error: {}",
            answer.body
        );
    }
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn html_and_unicode_names_are_stored_as_text() {
    let server = TestServer::start().await;
    let mut browser = Browser::new(&server);
    let answer = browser
        .call(
            "setup_workspace",
            &[
                ("workspace_name", "<script>alert(1)</script> Ünïcødé 🚀"),
                ("name", "Zoë"),
                ("email", OWNER_EMAIL),
                ("password", OWNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.body["workspace_name"],
        "<script>alert(1)</script> Ünïcødé 🚀"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let server = TestServer::start().await;
    set_up_owner(&server).await;
    let wrong_password = Browser::new(&server)
        .call(
            "sign_in",
            &[
                ("email", OWNER_EMAIL),
                ("password", "not the password at all"),
            ],
        )
        .await;
    let unknown_email = Browser::new(&server)
        .call(
            "sign_in",
            &[
                ("email", "nobody@example.com"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    assert_eq!(wrong_password.status, unknown_email.status);
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(
        wrong_password.body,
        json!({ "Conflict": "Invalid email or password." })
    );
    assert!(wrong_password.set_cookie.is_none());

    let mut ok = Browser::new(&server);
    // Email matching ignores case and surrounding spaces.
    let answer = ok
        .call(
            "sign_in",
            &[
                ("email", "  OWNER@example.com "),
                ("password", OWNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        ok.call("get_session_state", &[]).await.body["SignedIn"]["role"],
        "owner"
    );
}

#[tokio::test]
async fn repeated_failures_for_one_email_are_rate_limited() {
    let server = TestServer::start().await;
    set_up_owner(&server).await;
    let mut browser = Browser::new(&server);
    for _ in 0..5 {
        let answer = browser
            .call(
                "sign_in",
                &[("email", OWNER_EMAIL), ("password", "wrong password 123")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::CONFLICT);
    }
    let limited = browser
        .call(
            "sign_in",
            &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let seconds = limited.body["RateLimited"]["retry_after_secs"]
        .as_u64()
        .unwrap();
    assert!((1..=30).contains(&seconds), "{seconds}");
    // Another account from the same address is not locked out by this one.
    let other = browser
        .call(
            "sign_in",
            &[
                ("email", "other@example.com"),
                ("password", "whatever 12345"),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let stolen_cookie = owner.cookie.clone();
    let answer = owner.call("sign_out", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(owner.cookie.is_none(), "the cookie is cleared");
    // Replaying the old cookie does not work: the session is gone from the database.
    let mut replay = Browser {
        server: &server,
        cookie: stolen_cookie,
    };
    assert_eq!(
        replay.call("get_session_state", &[]).await.body,
        json!("SignedOut")
    );
    assert_eq!(
        replay.call("list_audit_events", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unauthenticated_calls_get_401() {
    let server = TestServer::start().await;
    set_up_owner(&server).await;
    let mut anonymous = Browser::new(&server);
    let answer = anonymous.call("list_audit_events", &[]).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body, json!("Unauthorized"));
    anonymous.cookie = Some("tessera_session=forged".into());
    assert_eq!(
        anonymous.call("list_audit_events", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn cross_site_server_function_calls_are_refused() {
    let server = TestServer::start().await;
    // The same setup call a foreign page could make, marked cross-site in two ways.
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let response = server
            .client
            .post(server.url("/rpc/setup_workspace"))
            .header(header, value)
            .form(&[
                ("workspace_name", "Evil"),
                ("name", "M"),
                ("email", "m@example.com"),
                ("password", "long enough password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{header}: {value}"
        );
    }
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn audit_log_lists_sign_ins_newest_first() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let mut second = Browser::new(&server);
    second
        .call(
            "sign_in",
            &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
        )
        .await;
    let events = owner.call("list_audit_events", &[]).await;
    assert_eq!(events.status, StatusCode::OK);
    let actions: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["user.signed_in", "workspace.created"]);
    assert_eq!(events.body[0]["client_addr"], "127.0.0.1");
}

#[tokio::test]
async fn pages_carry_security_headers_with_a_nonce_policy() {
    let server = TestServer::start().await;
    let response = server.client.get(server.url("/")).send().await.unwrap();
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let html = response.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the loader script carries the policy's nonce"
    );
}

#[tokio::test]
async fn test_helpers_create_members_and_separate_workspaces() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = crate::common::workspace_of(&mut owner).await;
    let mut member = crate::common::add_user(
        &server,
        &workspace_id,
        "m@example.com",
        app::auth::model::Role::Member,
    )
    .await;
    let state = member.call("get_session_state", &[]).await;
    assert_eq!(state.body["SignedIn"]["role"], "member");
    assert_eq!(
        state.body["SignedIn"]["workspace_id"],
        workspace_id.as_str()
    );
    let mut stranger = crate::common::other_workspace_owner(&server, "s@example.com").await;
    assert_ne!(
        crate::common::workspace_of(&mut stranger).await,
        workspace_id
    );
    // Members read the audit log too; strangers see only their own (empty) log.
    assert_eq!(
        member.call("list_audit_events", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        stranger.call("list_audit_events", &[]).await.body,
        json!([])
    );
}

#[tokio::test]
async fn ended_sessions_are_deleted_at_sign_in() {
    let server = TestServer::start().await;
    let owner = set_up_owner(&server).await;
    let pool = server.state.db.pool();
    let (user_id, workspace_id): (String, String) =
        sqlx::query_as("SELECT user_id, workspace_id FROM sessions")
            .fetch_one(pool)
            .await
            .unwrap();
    let now = app::clock::now_ms();
    let idle = now - app::auth::sessions::IDLE_TIMEOUT_MS - 1;
    for (id_hash, last_seen, expires) in [
        ("expired", now - 10, now - 1),
        ("idle", idle, now + app::clock::DAY_MS),
        ("recent", now - 10, now + app::clock::DAY_MS),
    ] {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, workspace_id, created_at, last_seen_at, \
             expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(id_hash)
        .bind(&user_id)
        .bind(&workspace_id)
        .bind(last_seen)
        .bind(expires)
        .execute(pool)
        .await
        .unwrap();
    }
    let mut again = Browser::new(&server);
    let signed_in = again
        .call(
            "sign_in",
            &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let mut left: Vec<String> = sqlx::query_as::<_, (String,)>("SELECT id_hash FROM sessions")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(id,)| id)
        .filter(|id| ["expired", "idle", "recent"].contains(&id.as_str()))
        .collect();
    left.sort();
    assert_eq!(left, ["recent"], "ended sessions are gone, live ones stay");
    drop(owner);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_only() {
    let server = TestServer::start_with(|config| config.secure_cookies = true).await;
    let mut owner = set_up_owner(&server).await;
    let cookie = owner.cookie.clone().unwrap();
    assert!(cookie.starts_with("__Host-tessera_session="), "{cookie}");
    // The session works under that name, and the plain name is not accepted in its place.
    assert_eq!(owner.call("list_tokens", &[]).await.status, StatusCode::OK);
    let value = cookie.split_once('=').unwrap().1;
    owner.cookie = Some(format!("tessera_session={value}"));
    assert_eq!(
        owner.call("list_tokens", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}
