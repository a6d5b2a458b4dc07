//! No log line ever contains a token: every log event of a busy token life, at the most verbose
//! level, is captured and searched for every full token and every secret handed out.
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

    let server = TestServer::start().await;
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
}
