//! No log line ever contains a token or an integration secret: every log event of a busy
//! token life and of integrations used, at the most verbose level, is captured and searched
//! for every full token and every secret handed out.
//! Its own test binary: it installs the process-wide log subscriber, which would capture (and
//! slow) every other test in the shared binary.

// Test code: helpers outside `#[test]` functions unwrap too, and a panic is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "it/common/mod.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use app::tokens::domain::{assemble_token, generate_token, parse_token};
use common::{create_token, flush_usage, set_up_owner, Api, TestServer};
use serde_json::json;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_log_line_contains_a_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let server = TestServer::start_with(|config| {
        config.egress_allow = "127.0.0.1".parse().unwrap();
    })
    .await;
    let mut owner = set_up_owner(&server).await;
    let (id, first) = create_token(&mut owner, &[("name", "ci")]).await;
    let mut handed_out = vec![first.clone()];

    let api = Api::new(&server, &first);
    api.get("/api/tokens/self").await;
    let created = api
        .post("/api/tokens", json!({"name": "made by api"}))
        .await;
    handed_out.push(created.body["plaintext"].as_str().unwrap().to_owned());
    let wrong = assemble_token(
        &parse_token(&first).unwrap().key_id,
        &generate_token().secret,
    )
    .into_string();
    handed_out.push(wrong.clone());
    Api::new(&server, &wrong).get("/api/tokens/self").await;
    let mut bad_checksum = first.clone();
    bad_checksum.replace_range(20..21, if &first[20..21] == "A" { "B" } else { "A" });
    Api::new(&server, &bad_checksum)
        .get("/api/tokens/self")
        .await;
    handed_out.push(bad_checksum);

    let other_id = created.body["token"]["id"].as_str().unwrap().to_owned();
    let regenerated = api
        .post(
            &format!("/api/tokens/{other_id}/regenerate"),
            json!({"grace": "one_day"}),
        )
        .await;
    handed_out.push(regenerated.body["plaintext"].as_str().unwrap().to_owned());
    let rotated = owner
        .call("regenerate_token", &[("id", &id), ("grace", "one_hour")])
        .await;
    handed_out.push(rotated.body["plaintext"].as_str().unwrap().to_owned());
    Api::new(&server, &first).get("/api/tokens/self").await;
    owner.call("revoke_token", &[("id", &id)]).await;
    Api::new(&server, &first).get("/api/tokens/self").await;

    // Integration secrets: set, replaced, used on a request, and used where they do not open.
    let outside = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let outside_url = format!("http://{}", outside.local_addr().unwrap());
    let service = axum::Router::new().route("/models", axum::routing::get(|| async { "{}" }));
    tokio::spawn(async move { axum::serve(outside, service).await });
    let integration_secrets = [
        "sk-first-secret-value-1",
        "sk-second-secret-value-2",
        "hdr-secret-3",
    ];
    let admin = Api::new(&server, &handed_out[1]);
    let llm = admin
        .post(
            "/api/integrations-base",
            json!({"name": "Model", "kind": "llm",
                   "settings": {"base_url": outside_url, "model": "m"},
                   "secrets": {"api_key": integration_secrets[0]}}),
        )
        .await;
    let llm_id = llm.body["id"].as_str().unwrap().to_owned();
    admin
        .put(
            &format!("/api/integrations-base/{llm_id}"),
            json!({"name": "Model", "kind": "llm",
                   "settings": {"base_url": outside_url, "model": "m"},
                   "secrets": {"api_key": integration_secrets[1]}}),
        )
        .await;
    let http = admin
        .post(
            "/api/integrations-base",
            json!({"name": "Service", "kind": "http",
                   "settings": {"base_url": outside_url},
                   "secrets": {"x-api-key": integration_secrets[2]}}),
        )
        .await;
    let checked = admin
        .post(&format!("/api/integrations-base/{llm_id}/test"), json!({}))
        .await;
    assert_eq!(checked.body["ok"], true, "{}", checked.body);
    // The HTTP integration's sealed header moved onto the model: it does not open there.
    sqlx::query(
        "UPDATE integration_secrets SET sealed = \
         (SELECT sealed FROM integration_secrets WHERE integration_id = $1) \
         WHERE integration_id = $2",
    )
    .bind(http.body["id"].as_str().unwrap())
    .bind(&llm_id)
    .execute(server.state.db.pool())
    .await
    .unwrap();
    let unreadable = admin
        .post(&format!("/api/integrations-base/{llm_id}/test"), json!({}))
        .await;
    assert_eq!(unreadable.body["ok"], false, "{}", unreadable.body);

    flush_usage(&server).await;
    server.stop().await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("bearer token refused"),
        "the capture works and saw the refusals"
    );
    for token in &handed_out {
        assert_eq!(token.len(), 54);
        assert!(!logs.contains(token.as_str()), "a full token was logged");
        let secret = &token[16..48];
        assert!(!logs.contains(secret), "a token secret was logged");
    }
    assert!(
        logs.contains("a secret does not open"),
        "the failed opening was logged"
    );
    for secret in integration_secrets {
        assert!(!logs.contains(secret), "an integration secret was logged");
    }
}
