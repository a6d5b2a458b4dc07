//! `POST /api/webhook/{trigger_id}` over real HTTP on both engines: signed events (Standard
//! Webhooks) and token-carrying ones are recorded and start an execution; every bad signature
//! is refused and records nothing; a rotated secret keeps the old one for its grace period;
//! repeated deliveries start nothing; each scope sends only where SPEC §4.2 says.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::access::{token, world, World};
use crate::common::{answer, ApiAnswer, TestServer};
use app::triggers::signing::sign;

async fn webhook_trigger(world: &World<'_>, agent_id: &str) -> (String, String) {
    let created = world
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": format!("Hook {agent_id}"), "agent_id": agent_id,
                   "environment_id": world.environment, "kind": "webhook"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["webhook_path"], format!("/api/webhook/{id}"));
    let secret = created.body["signing_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    (id, secret)
}

fn now_secs() -> i64 {
    app::clock::now_ms() / 1000
}

/// Sends `body` with the three signature headers (`signature` as given).
async fn send_signed(
    server: &TestServer,
    trigger_id: &str,
    webhook_id: &str,
    timestamp: i64,
    signature: &str,
    body: &str,
) -> ApiAnswer {
    let response = server
        .client
        .post(server.url(&format!("/api/webhook/{trigger_id}")))
        .header("content-type", "application/json")
        .header("webhook-id", webhook_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .header("x-delivery", "yes")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    answer(response).await
}

async fn count(server: &TestServer, table: &str) -> i64 {
    let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    count
}

#[tokio::test]
async fn a_signed_event_is_recorded_and_runs_the_agent_once() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let steps = json!({"steps": [{"id": "ack", "kind": "template",
                                  "template": "order {{ input.body.order }} via {{ input.headers['x-delivery'] }}"}]});
    let updated = w
        .admin
        .put(
            &format!("/api/agent-base/{}", w.agent_a),
            json!({"name": "Agent A", "version": "1", "config": steps}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let (trigger, secret) = webhook_trigger(&w, &w.agent_a).await;
    let shown = w
        .admin
        .get(&format!("/api/agent-base/triggers/{trigger}"))
        .await;
    assert!(
        shown.body.get("signing_secret").is_none(),
        "shown once only"
    );

    let body = r#"{"order": 42}"#;
    let at = now_secs();
    let signature = sign(&secret, "msg_1", at, body.as_bytes()).unwrap();
    let delivered = send_signed(&server, &trigger, "msg_1", at, &signature, body).await;
    assert_eq!(delivered.status, StatusCode::ACCEPTED, "{}", delivered.body);
    let execution_id = delivered.body["execution_id"].as_str().unwrap().to_owned();
    let event_id = delivered.body["event_id"].as_str().unwrap().to_owned();

    let path = format!("/api/agent-base/{}/executions/{execution_id}", w.agent_a);
    let mut execution = Value::Null;
    for _ in 0..200 {
        execution = w.admin.get(&path).await.body;
        if execution["status"] == "succeeded" || execution["status"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(execution["status"], "succeeded", "{execution}");
    assert_eq!(execution["output"], "order 42 via yes");
    assert_eq!(execution["input"]["event_id"], event_id.as_str());
    assert_eq!(execution["input"]["content_type"], "application/json");

    // Recorded as it came, but without its signature.
    let (headers, body_base64): (String, String) =
        sqlx::query_as("SELECT headers, body_base64 FROM webhook_events WHERE id = $1")
            .bind(&event_id)
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert!(headers.contains("x-delivery") && headers.contains("webhook-id"));
    assert!(!headers.contains("webhook-signature") && !headers.contains(&signature));
    assert_eq!(
        body_base64, "eyJvcmRlciI6IDQyfQ==",
        "the body's exact bytes, base64"
    );

    // The same webhook-id again: the first delivery's ids, nothing started.
    let again = send_signed(&server, &trigger, "msg_1", at, &signature, body).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["execution_id"], execution_id.as_str());
    assert_eq!(again.body["event_id"], event_id.as_str());
    assert_eq!(count(&server, "executions").await, 1);
    assert_eq!(count(&server, "webhook_events").await, 1);
    server.stop().await;
}

#[tokio::test]
async fn every_bad_signature_is_refused_and_records_nothing() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let (trigger, secret) = webhook_trigger(&w, &w.agent_a).await;
    let (_, other_secret) = webhook_trigger(&w, &w.agent_b).await;
    let body = r#"{"a":1}"#;
    let at = now_secs();
    let good = sign(&secret, "m", at, body.as_bytes()).unwrap();
    let cases = [
        (
            "wrong secret",
            at,
            sign(&other_secret, "m", at, body.as_bytes()).unwrap(),
            body,
        ),
        ("tampered body", at, good.clone(), r#"{"a":2}"#),
        (
            "old timestamp",
            at - 600,
            sign(&secret, "m", at - 600, body.as_bytes()).unwrap(),
            body,
        ),
        (
            "future timestamp",
            at + 600,
            sign(&secret, "m", at + 600, body.as_bytes()).unwrap(),
            body,
        ),
        ("malformed header", at, "sha256=abcdef".to_owned(), body),
    ];
    for (case, timestamp, signature, sent) in cases {
        let refused = send_signed(&server, &trigger, "m", timestamp, &signature, sent).await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "{case}: {}",
            refused.body
        );
        assert_eq!(
            refused.body["type"], "https://tessera.dev/problems/invalid-signature",
            "{case}"
        );
        assert!(!refused.body.to_string().contains(&secret), "{case}");
    }
    let unsigned = server
        .client
        .post(server.url(&format!("/api/webhook/{trigger}")))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let nowhere = send_signed(&server, "no-such-trigger", "m", at, &good, body).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&server, "webhook_events").await, 0);
    assert_eq!(count(&server, "executions").await, 0);

    // A valid one still passes after all that.
    let passed = send_signed(&server, &trigger, "m", at, &good, body).await;
    assert_eq!(passed.status, StatusCode::ACCEPTED, "{}", passed.body);
    server.stop().await;
}

#[tokio::test]
async fn a_rotated_secret_keeps_the_old_one_for_its_grace_period() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let (trigger, old) = webhook_trigger(&w, &w.agent_a).await;
    let rotated = w
        .admin
        .post(
            &format!("/api/agent-base/triggers/{trigger}/rotate-secret"),
            json!(null),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let new = rotated.body["signing_secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);

    let at = now_secs();
    for (n, secret) in [&old, &new].into_iter().enumerate() {
        let id = format!("m{n}");
        let signature = sign(secret, &id, at, b"{}").unwrap();
        let sent = send_signed(&server, &trigger, &id, at, &signature, "{}").await;
        assert_eq!(
            sent.status,
            StatusCode::ACCEPTED,
            "secret {n}: {}",
            sent.body
        );
    }
    // Once the grace period is over, only the new secret verifies.
    sqlx::query("UPDATE triggers SET previous_secret_until = 0")
        .execute(server.state.db.pool())
        .await
        .unwrap();
    let by_old = sign(&old, "m9", at, b"{}").unwrap();
    let late = send_signed(&server, &trigger, "m9", at, &by_old, "{}").await;
    assert_eq!(late.status, StatusCode::UNAUTHORIZED, "{}", late.body);

    // The secret is sealed in the database, never stored as it is.
    let stored: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT signing_secret, previous_secret FROM triggers")
            .fetch_all(server.state.db.pool())
            .await
            .unwrap();
    let text = format!("{stored:?}");
    let key = |secret: &str| secret.trim_start_matches("whsec_").to_owned();
    assert!(!text.contains(&key(&old)) && !text.contains(&key(&new)));
    server.stop().await;
}

#[tokio::test]
async fn tokens_send_where_their_scope_reaches_and_wrong_triggers_are_refused() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let (hook_a, _) = webhook_trigger(&w, &w.agent_a).await;
    let (hook_b, _) = webhook_trigger(&w, &w.agent_b).await;
    let post = |token: String, trigger: String, body: Vec<u8>| {
        let request = server
            .client
            .post(server.url(&format!("/api/webhook/{trigger}")))
            .bearer_auth(token)
            .header("content-type", "text/plain")
            .body(body)
            .send();
        async move { answer(request.await.unwrap()).await }
    };
    let scope =
        json!({"kind": "deployment", "environment_id": w.environment, "agent_id": w.agent_a});
    let deployment = token(&w.admin, "dep", &scope, json!({"webhooks": "write"})).await;
    let sent = post(deployment.clone(), hook_a.clone(), b"plain text".to_vec()).await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.body);
    let elsewhere = post(deployment, hook_b.clone(), b"x".to_vec()).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "another agent's trigger"
    );

    let reader = token(
        &w.admin,
        "ro",
        &json!({"kind": "account"}),
        json!({"webhooks": "read"}),
    )
    .await;
    let refused = post(reader, hook_a.clone(), b"x".to_vec()).await;
    crate::access::refused(
        &refused,
        "webhooks:write",
        "a token that may only read webhooks",
    );

    let account = token(
        &w.admin,
        "acc",
        &json!({"kind": "account"}),
        json!({"webhooks": "write"}),
    )
    .await;
    let too_big = post(account.clone(), hook_b.clone(), vec![b'x'; 1024 * 1024 + 1]).await;
    assert_eq!(
        too_big.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_big.body
    );
    let fits = post(account.clone(), hook_b.clone(), vec![b'x'; 1024 * 1024]).await;
    assert_eq!(fits.status, StatusCode::ACCEPTED, "{}", fits.body);

    // A manual trigger takes no events; a disabled webhook trigger takes none either.
    let manual = w
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": "Manual", "agent_id": w.agent_a, "environment_id": w.environment, "kind": "manual"}),
        )
        .await;
    let manual_id = manual.body["id"].as_str().unwrap().to_owned();
    let wrong_kind = post(account.clone(), manual_id, b"x".to_vec()).await;
    assert_eq!(
        wrong_kind.status,
        StatusCode::CONFLICT,
        "{}",
        wrong_kind.body
    );
    let disabled = w
        .admin
        .put(
            &format!("/api/agent-base/triggers/{hook_b}"),
            json!({"name": "Hook B", "agent_id": w.agent_b, "environment_id": w.environment,
                   "kind": "webhook", "enabled": false}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    let off = post(account, hook_b, b"x".to_vec()).await;
    assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.body);
    assert_eq!(count(&server, "webhook_events").await, 2);
    assert_eq!(count(&server, "executions").await, 2);
    server.stop().await;
}

#[tokio::test]
async fn fifty_deliveries_of_one_event_at_once_start_one_execution() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let (trigger, secret) = webhook_trigger(&w, &w.agent_a).await;
    let at = now_secs();
    let signature = sign(&secret, "evt_1", at, b"{}").unwrap();
    let deliveries = (0..50).map(|_| send_signed(&server, &trigger, "evt_1", at, &signature, "{}"));
    let answers = futures::future::join_all(deliveries).await;
    let accepted = answers
        .iter()
        .filter(|answer| answer.status == StatusCode::ACCEPTED)
        .count();
    assert_eq!(
        accepted,
        1,
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert!(answers.iter().all(|answer| answer.status.is_success()
        && answer.body["event_id"] == answers[0].body["event_id"]));
    assert_eq!(count(&server, "webhook_events").await, 1);
    assert_eq!(count(&server, "executions").await, 1);

    // An Idempotency-Key names its first delivery for a day; then it records anew. (A
    // webhook-id names its event for good.)
    let keyed = |key: &'static str| {
        server
            .client
            .post(server.url(&format!("/api/webhook/{trigger}")))
            .bearer_auth(&w.admin.token)
            .header("Idempotency-Key", key)
            .body("{}")
            .send()
    };
    let first = answer(keyed("delivery-7").await.unwrap()).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.body);
    let repeated = answer(keyed("delivery-7").await.unwrap()).await;
    assert_eq!(repeated.status, StatusCode::OK);
    assert_eq!(repeated.body["event_id"], first.body["event_id"]);
    let day_and_a_minute = app::executions::queue::IDEMPOTENCY_WINDOW_MS + 60_000;
    sqlx::query("UPDATE webhook_events SET received_at = received_at - $1")
        .bind(day_and_a_minute)
        .execute(server.state.db.pool())
        .await
        .unwrap();
    let later = answer(keyed("delivery-7").await.unwrap()).await;
    assert_eq!(later.status, StatusCode::ACCEPTED, "{}", later.body);
    assert_ne!(later.body["event_id"], first.body["event_id"]);
    let replayed = send_signed(&server, &trigger, "evt_1", at, &signature, "{}").await;
    assert_eq!(replayed.status, StatusCode::OK, "{}", replayed.body);
    assert_eq!(count(&server, "webhook_events").await, 3);
    server.stop().await;
}

#[tokio::test]
async fn a_rotated_server_key_reseals_signing_secrets_that_keep_verifying() {
    let old_key = app::crypto::SecretKey::new(vec![1; 32]);
    let new_key = app::crypto::SecretKey::new(vec![2; 32]);
    let first = TestServer::start_with(|config| {
        config.jobs.workers = 0;
        config.secret_key = Some(old_key.clone());
    })
    .await;
    let w = world(&first).await;
    let (id, old_secret) = webhook_trigger(&w, &w.agent_a).await;
    let rotated = w
        .admin
        .post(
            &format!("/api/agent-base/triggers/{id}/rotate-secret"),
            json!(null),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let new_secret = rotated.body["signing_secret"].as_str().unwrap().to_owned();
    let key_ids = |sealed: &(String, String)| {
        let key_id = |value: &str| value.split('.').nth(1).unwrap().to_owned();
        (key_id(&sealed.0), key_id(&sealed.1))
    };
    let sealed = |server: &TestServer| {
        let pool = server.state.db.pool().clone();
        let id = id.clone();
        async move {
            sqlx::query_as::<_, (String, String)>(
                "SELECT signing_secret, previous_secret FROM triggers WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let before = sealed(&first).await;

    // Restarted with a new key and the old one as previous: both secrets resealed at start.
    let rekeyed = TestServer::start_sharing_with(&first, |config| {
        config.jobs.workers = 0;
        config.secret_key = Some(new_key.clone());
        config.previous_secret_key = Some(old_key.clone());
    })
    .await;
    let after = sealed(&rekeyed).await;
    let (current_before, previous_before) = key_ids(&before);
    let (current_after, previous_after) = key_ids(&after);
    assert_eq!(current_before, previous_before, "both under the old key");
    assert_ne!(current_after, current_before, "the current secret resealed");
    assert_eq!(previous_after, current_after, "the previous one too");
    rekeyed.stop().await;

    // The new key alone: events signed with either secret still verify.
    let later = TestServer::start_sharing_with(&first, |config| {
        config.jobs.workers = 0;
        config.secret_key = Some(new_key.clone());
    })
    .await;
    for (n, secret) in [(1, &new_secret), (2, &old_secret)] {
        let body = format!(r#"{{"n": {n}}}"#);
        let webhook_id = format!("evt-rekeyed-{n}");
        let timestamp = now_secs();
        let signature = sign(secret, &webhook_id, timestamp, body.as_bytes()).unwrap();
        let sent = send_signed(&later, &id, &webhook_id, timestamp, &signature, &body).await;
        assert_eq!(
            sent.status,
            StatusCode::ACCEPTED,
            "secret {n}: {}",
            sent.body
        );
    }
    later.stop().await;
    drop(w);
    first.stop().await;
}
