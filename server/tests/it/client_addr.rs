//! Which address a request counts as, over real HTTP: behind a trusted proxy the client named
//! in `X-Forwarded-For` (for bearer failure limits and the audit log); otherwise the
//! connection's own address, whatever the header claims.

use std::time::Duration;

use crate::common::{create_token, set_up_owner, Browser, TestServer, OWNER_EMAIL, OWNER_PASSWORD};
use app::bearer::BearerSettings;
use app::tokens::domain::{assemble_token, generate_token, parse_token, KeyId};
use reqwest::StatusCode;

/// Three failures per address, no refill within the test, no tarpit: the fourth is a 429.
async fn server_trusting(proxies: &str) -> TestServer {
    let proxies = proxies.parse().unwrap();
    TestServer::start_with(|config| {
        config.trusted_proxies = proxies;
        config.bearer = BearerSettings {
            failures_per_addr: (3, Duration::from_secs(600)),
            failures_per_key: (100, Duration::from_secs(600)),
            limited_refusal_delay: Duration::ZERO,
            ..BearerSettings::default()
        };
    })
    .await
}

/// `GET /api/tokens/self` with a wrong secret for a real key id, "forwarded for" `client`.
async fn wrong_secret_from(server: &TestServer, key_id: &KeyId, client: &str) -> StatusCode {
    let wrong = assemble_token(key_id, &generate_token().secret).into_string();
    server
        .client
        .get(server.url("/api/tokens/self"))
        .bearer_auth(wrong)
        .header("x-forwarded-for", client)
        .send()
        .await
        .unwrap()
        .status()
}

/// Signs in "forwarded for" `client` and answers the address the audit log recorded.
async fn audited_sign_in_from(server: &TestServer, client: &str) -> String {
    let response = server
        .client
        .post(server.url("/rpc/sign_in"))
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", client)
        .form(&[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut owner = Browser::new(server);
    owner
        .call(
            "sign_in",
            &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
        )
        .await;
    let events = owner.call("list_audit_events", &[]).await;
    // Newest first: the owner's own sign-in, then the forwarded one.
    assert_eq!(
        events.body[1]["action"], "user.signed_in",
        "{}",
        events.body
    );
    events.body[1]["client_addr"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_limited_and_audited() {
    let server = server_trusting("127.0.0.1").await;
    let mut owner = set_up_owner(&server).await;
    let (_, token) = create_token(&mut owner, &[("name", "probe")]).await;
    let key_id = parse_token(&token).unwrap().key_id;

    for _ in 0..3 {
        assert_eq!(
            wrong_secret_from(&server, &key_id, "203.0.113.5").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        wrong_secret_from(&server, &key_id, "203.0.113.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy has a budget of its own.
    assert_eq!(
        wrong_secret_from(&server, &key_id, "203.0.113.6").await,
        StatusCode::UNAUTHORIZED
    );
    // What the client wrote left of the proxy's entry is not believed.
    assert_eq!(
        wrong_secret_from(&server, &key_id, "198.51.100.1, 203.0.113.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    assert_eq!(
        audited_sign_in_from(&server, "198.51.100.20").await,
        "198.51.100.20"
    );
    server.stop().await;
}

#[tokio::test]
async fn without_trusted_proxies_a_forged_header_changes_nothing() {
    let server = server_trusting("").await;
    let mut owner = set_up_owner(&server).await;
    let (_, token) = create_token(&mut owner, &[("name", "probe")]).await;
    let key_id = parse_token(&token).unwrap().key_id;

    // A new "address" on every attempt does not buy a new budget.
    for attempt in 1..=3 {
        assert_eq!(
            wrong_secret_from(&server, &key_id, &format!("203.0.113.{attempt}")).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        wrong_secret_from(&server, &key_id, "203.0.113.99").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    assert_eq!(
        audited_sign_in_from(&server, "198.51.100.20").await,
        "127.0.0.1"
    );
    server.stop().await;
}
