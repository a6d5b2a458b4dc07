//! Triggers and executions over real HTTP on both engines: a manual trigger runs an agent's
//! steps as a durable job and logs each step; idempotency keys dedupe under concurrency;
//! failures, time limits and cancel end an execution in the right state; a worker that dies
//! mid-execution leaves it to another, which finishes it once; each scope reaches what
//! SPEC §4.2 says.

use std::time::Duration;

use axum::routing::{get, post};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::access::{token, world, World};
use crate::common::{Api, ApiAnswer, TestServer};

const SECRET: &str = "hdr-secret-31337";

/// Permissions at `level` on every resource.
fn every(level: &str) -> Value {
    app::access::Resource::ALL
        .into_iter()
        .map(|resource| (resource.as_str().to_owned(), json!(level)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Sets agent A's steps.
async fn configure(world: &World<'_>, agent_id: &str, steps: Value) {
    let answer = world
        .admin
        .put(
            &format!("/api/agent-base/{agent_id}"),
            json!({"name": format!("Agent {agent_id}"), "version": "1", "config": {"steps": steps}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

async fn manual_trigger(world: &World<'_>, name: &str, agent_id: &str) -> String {
    let created = world
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": name, "agent_id": agent_id, "environment_id": world.environment, "kind": "manual"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

async fn execute(api: &Api<'_>, trigger_id: &str, input: Value) -> ApiAnswer {
    api.post(
        &format!("/api/agent-base/triggers/{trigger_id}/execute"),
        json!({ "input": input }),
    )
    .await
}

/// The execution once it is over (or whatever it is after 10 s).
async fn finished(api: &Api<'_>, agent_id: &str, execution_id: &str) -> Value {
    let path = format!("/api/agent-base/{agent_id}/executions/{execution_id}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let answer = api.get(&path).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let status = answer.body["status"].as_str().unwrap().to_owned();
        if !matches!(status.as_str(), "queued" | "running")
            || tokio::time::Instant::now() > deadline
        {
            return answer.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn executions_in_db(server: &TestServer) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM executions")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    count
}

#[tokio::test]
async fn a_manual_trigger_runs_the_steps_in_order_and_logs_each() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    configure(
        &w,
        &w.agent_a,
        json!([
            {"id": "greet", "kind": "template", "template": "hello {{ input.who }}"},
            {"id": "search", "kind": "kb_search", "query": "{{ input.who }}"},
            {"id": "shout", "kind": "template",
             "template": "{{ steps.greet | upper }} ({{ steps.search | length }} hits)"}
        ]),
    )
    .await;
    let trigger = manual_trigger(&w, "Run now", &w.agent_a).await;

    let started = execute(&w.admin, &trigger, json!({"who": "ada"})).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    assert_eq!(started.body["execution"]["status"], "queued");
    assert_eq!(started.body["execution"]["trigger_name"], "Run now");

    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        done["output"], "HELLO ADA (0 hits)",
        "the last step's output"
    );
    assert_eq!(done["input"], json!({"who": "ada"}));
    assert_eq!(done["attempts"], 1);
    assert!(done["finished_at_ms"].as_i64() >= done["started_at_ms"].as_i64());
    let steps = done["steps"].as_array().unwrap();
    let logged: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|step| {
            (
                step["step_id"].as_str().unwrap(),
                step["kind"].as_str().unwrap(),
                step["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        logged,
        [
            ("greet", "template", "succeeded"),
            ("search", "kb_search", "succeeded"),
            ("shout", "template", "succeeded")
        ]
    );
    assert_eq!(
        steps[0]["output"], "\"hello ada\"",
        "outputs are logged as JSON"
    );
    assert!(steps
        .iter()
        .all(|step| step["duration_ms"].as_i64().is_some()));

    // Lists: newest first, filtered by status, and the trigger's recent executions.
    let second = execute(&w.admin, &trigger, json!({"who": "bob"})).await;
    let second_id = second.body["execution_id"].as_str().unwrap().to_owned();
    finished(&w.admin, &w.agent_a, &second_id).await;
    let listed = w
        .admin
        .get(&format!("/api/agent-base/{}/executions", w.agent_a))
        .await;
    assert_eq!(listed.body["total"], 2, "{}", listed.body);
    assert_eq!(listed.body["items"][0]["id"], second_id.as_str());
    assert!(
        listed.body["items"][0].get("steps").is_none(),
        "no step log in lists"
    );
    let failed_only = w
        .admin
        .get(&format!(
            "/api/agent-base/{}/executions?status=failed",
            w.agent_a
        ))
        .await;
    assert_eq!(failed_only.body["total"], 0);
    let elsewhere = w
        .admin
        .get(&format!(
            "/api/agent-base/{}/executions?environment_id=nope",
            w.agent_a
        ))
        .await;
    assert_eq!(elsewhere.body["total"], 0);
    let shown = w
        .admin
        .get(&format!("/api/agent-base/triggers/{trigger}"))
        .await;
    assert_eq!(shown.body["recent_executions"].as_array().unwrap().len(), 2);
    // Under the other agent the execution does not exist.
    let wrong_agent = w
        .admin
        .get(&format!("/api/agent-base/{}/executions/{id}", w.agent_b))
        .await;
    assert_eq!(wrong_agent.status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn fifty_identical_requests_at_once_start_one_execution() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let trigger = manual_trigger(&w, "Once", &w.agent_a).await;
    let url = server.url(&format!("/api/agent-base/triggers/{trigger}/execute"));
    let token = token(
        &w.admin,
        "runner",
        &json!({"kind": "account"}),
        every("write"),
    )
    .await;
    let requests = (0..50).map(|_| {
        server
            .client
            .post(&url)
            .bearer_auth(&token)
            .header("Idempotency-Key", "order-42")
            .json(&json!({"input": {"n": 1}}))
            .send()
    });
    let answers = futures::future::join_all(requests).await;
    let mut accepted = 0;
    let mut ids = std::collections::HashSet::new();
    for answer in answers {
        let answer = crate::common::answer(answer.unwrap()).await;
        match answer.status {
            StatusCode::ACCEPTED => accepted += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}: {}", answer.body),
        }
        ids.insert(answer.body["execution_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(accepted, 1, "one request started it");
    assert_eq!(ids.len(), 1, "every answer names the same execution");
    assert_eq!(executions_in_db(&server).await, 1);

    // Another key starts another; no key always does.
    let other = server
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("Idempotency-Key", "order-43")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::ACCEPTED);
    let plain = execute(&w.admin, &trigger, json!(null)).await;
    assert_eq!(plain.status, StatusCode::ACCEPTED);
    assert_eq!(executions_in_db(&server).await, 3);

    // A day later the key is free again: it starts a new execution, once.
    let day_and_a_minute = app::executions::queue::IDEMPOTENCY_WINDOW_MS + 60_000;
    sqlx::query("UPDATE executions SET created_at = created_at - $1 WHERE idempotency_key = $2")
        .bind(day_and_a_minute)
        .bind("order-42")
        .execute(server.state.db.pool())
        .await
        .unwrap();
    let again = || {
        server
            .client
            .post(&url)
            .bearer_auth(&token)
            .header("Idempotency-Key", "order-42")
            .send()
    };
    let renewed = crate::common::answer(again().await.unwrap()).await;
    assert_eq!(renewed.status, StatusCode::ACCEPTED, "{}", renewed.body);
    assert!(!ids.contains(renewed.body["execution_id"].as_str().unwrap()));
    let repeated = crate::common::answer(again().await.unwrap()).await;
    assert_eq!(repeated.status, StatusCode::OK);
    assert_eq!(repeated.body["execution_id"], renewed.body["execution_id"]);
    assert_eq!(executions_in_db(&server).await, 4);
    server.stop().await;
}

/// A service on 127.0.0.1: `/echo` answers the headers it got; `/slow` answers after 3 s.
pub async fn outside() -> String {
    let app = axum::Router::new()
        .route(
            "/echo",
            post(|headers: axum::http::HeaderMap, body: String| async move {
                let headers: serde_json::Map<String, Value> = headers
                    .iter()
                    .map(|(name, value)| (name.to_string(), json!(value.to_str().unwrap())))
                    .collect();
                axum::Json(json!({"headers": headers, "body": body}))
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "late"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// The service [`outside`] starts, and a server whose egress setting lets steps reach it
/// (loopback), with `tune` applied to the rest of its configuration.
async fn server_reaching_outside(
    tune: impl FnOnce(&mut tessera::config::Config),
) -> (TestServer, String) {
    let url = outside().await;
    let server = TestServer::start_with(|config| {
        config.egress_allow = "127.0.0.1".parse().unwrap();
        tune(config);
    })
    .await;
    (server, url)
}

async fn http_integration(world: &World<'_>, base_url: &str) {
    let created = world
        .admin
        .post(
            "/api/integrations-base",
            json!({"name": "Service", "kind": "http", "settings": {"base_url": base_url},
                   "secrets": {"X-Api-Key": SECRET}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}

#[tokio::test]
async fn http_steps_send_secrets_that_never_reach_the_log_and_refuse_private_addresses() {
    // Allowed: loopback opened by the egress setting.
    let (server, url) = server_reaching_outside(|config| {
        config.jobs.step_timeout = Duration::from_millis(500);
    })
    .await;
    let w = world(&server).await;
    http_integration(&w, &url).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "call", "kind": "http_request", "integration": "service", "method": "POST",
                "path": "/echo", "headers": {"X-Who": "{{ input.who }}"}, "body": "hi {{ input.who }}"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Call", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({"who": "ada"})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["output"]["status"], 200);
    assert_eq!(done["output"]["body"]["body"], "hi ada");
    assert_eq!(done["output"]["body"]["headers"]["x-who"], "ada");
    assert_eq!(
        done["output"]["body"]["headers"]["x-api-key"], "[secret]",
        "the secret was sent, and blotted out of what came back"
    );
    let everything = sqlx::query_as::<_, (String,)>(
        "SELECT COALESCE(output, '') || COALESCE(error, '') FROM execution_steps \
         UNION ALL SELECT COALESCE(output, '') || COALESCE(error, '') || input FROM executions",
    )
    .fetch_all(server.state.db.pool())
    .await
    .unwrap();
    assert!(everything.iter().all(|(text,)| !text.contains(SECRET)));

    // A step over its limit ends the execution timed_out; later steps never run.
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "wait", "kind": "http_request", "integration": "Service", "path": "/slow"},
               {"id": "after", "kind": "template", "template": "never"}]),
    )
    .await;
    let slow = execute(&w.admin, &trigger, json!({})).await;
    let slow_id = slow.body["execution_id"].as_str().unwrap().to_owned();
    let timed_out = finished(&w.admin, &w.agent_a, &slow_id).await;
    assert_eq!(timed_out["status"], "timed_out", "{timed_out}");
    assert_eq!(timed_out["steps"].as_array().unwrap().len(), 1);
    assert_eq!(timed_out["steps"][0]["status"], "timed_out");
    server.stop().await;

    // Not allowed: the default guard refuses loopback, and the step fails saying so.
    let guarded = TestServer::start().await;
    let w = world(&guarded).await;
    http_integration(&w, &url).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "call", "kind": "http_request", "integration": "Service", "method": "POST", "path": "/echo"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Call", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "failed", "{done}");
    let error = done["error"].as_str().unwrap();
    assert!(error.starts_with("Step call failed"), "{error}");
    assert!(
        done["steps"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not a public address"),
        "{done}"
    );
    guarded.stop().await;
}

#[tokio::test]
async fn quick_steps_are_logged_with_the_end_or_before_a_slow_step_shows_as_running() {
    let (server, url) = server_reaching_outside(|_| {}).await;
    let w = world(&server).await;
    http_integration(&w, &url).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "one", "kind": "template", "template": "1"},
               {"id": "two", "kind": "template", "template": "2"},
               {"id": "wait", "kind": "http_request", "integration": "Service", "path": "/slow"},
               {"id": "three", "kind": "template", "template": "3"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Go", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    let path = format!("/api/agent-base/{}/executions/{id}", w.agent_a);

    // While the slow step runs (3 s), the quick ones before it are already in the log, in
    // order, and the slow one shows as running.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let running = loop {
        let seen = w.admin.get(&path).await.body;
        if seen["steps"]
            .as_array()
            .is_some_and(|steps| steps.len() == 3)
        {
            break seen;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the slow step never showed: {seen}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(running["status"], "running", "{running}");
    let statuses = |execution: &Value| -> Vec<(String, String)> {
        execution["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| {
                (
                    step["step_id"].as_str().unwrap().to_owned(),
                    step["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |id: &str, status: &str| (id.to_owned(), status.to_owned());
    assert_eq!(
        statuses(&running),
        [
            pair("one", "succeeded"),
            pair("two", "succeeded"),
            pair("wait", "running")
        ]
    );

    // The quick step after it is written with the end.
    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        statuses(&done),
        [
            pair("one", "succeeded"),
            pair("two", "succeeded"),
            pair("wait", "succeeded"),
            pair("three", "succeeded")
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn an_attempt_over_its_time_limit_times_out_whatever_its_steps_limit() {
    let (server, url) = server_reaching_outside(|config| {
        config.jobs.step_timeout = Duration::from_secs(60);
        config.jobs.execution_timeout = Duration::from_millis(300);
    })
    .await;
    let w = world(&server).await;
    http_integration(&w, &url).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "first", "kind": "template", "template": "quick"},
               {"id": "wait", "kind": "http_request", "integration": "Service", "path": "/slow"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Slow", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "timed_out", "{done}");
    assert_eq!(done["steps"][0]["status"], "succeeded");
    assert_eq!(done["steps"][1]["status"], "timed_out");
    let limit = done["steps"][1]["error"].as_str().unwrap();
    assert!(
        limit.contains("0.3 s") || limit.contains("0.2 s"),
        "the attempt's time left: {limit}"
    );
    server.stop().await;
}

#[tokio::test]
async fn cancel_stops_a_queued_execution_and_refuses_one_that_is_over() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let trigger = manual_trigger(&w, "Later", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    let cancel = format!("/api/agent-base/{}/executions/{id}/cancel", w.agent_a);

    let canceled = w.admin.post(&cancel, json!(null)).await;
    assert_eq!(canceled.status, StatusCode::OK, "{}", canceled.body);
    assert_eq!(canceled.body["status"], "canceled");
    let again = w.admin.post(&cancel, json!(null)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body["detail"].as_str().unwrap().contains("canceled"));

    // Its job, when a worker takes it, finds it over and runs nothing.
    app::executions::run::run(&server.state, &id).await.unwrap();
    let shown = w
        .admin
        .get(&format!("/api/agent-base/{}/executions/{id}", w.agent_a))
        .await;
    assert_eq!(shown.body["status"], "canceled");
    assert_eq!(shown.body["attempts"], 0);
    assert_eq!(shown.body["steps"], json!([]));

    // A disabled trigger starts nothing.
    let disabled = w
        .admin
        .put(
            &format!("/api/agent-base/triggers/{trigger}"),
            json!({"name": "Later", "agent_id": w.agent_a, "environment_id": w.environment,
                   "kind": "manual", "enabled": false}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    let refused = execute(&w.admin, &trigger, json!({})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(executions_in_db(&server).await, 1);
    server.stop().await;
}

#[tokio::test]
async fn an_execution_that_is_over_stays_as_it_ended() {
    use app::executions::repo;
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "one", "kind": "template", "template": "1"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Go", &w.agent_a).await;
    let pool = server.state.db.pool();
    let now = app::clock::now_ms();
    for ending in ["succeeded", "failed", "canceled", "timed_out"] {
        let started = execute(&w.admin, &trigger, json!({})).await;
        let id = started.body["execution_id"].as_str().unwrap().to_owned();
        let path = format!("/api/agent-base/{}/executions/{id}", w.agent_a);
        // queued → running → the ending, as a worker takes it there.
        assert!(repo::begin_attempt(pool, &id, now).await.unwrap().is_some());
        assert!(repo::start_step(pool, &id, 0, "one", "template", now)
            .await
            .unwrap());
        let mut conn = pool.acquire().await.unwrap();
        repo::finish(&mut conn, &id, ending, None, Some("ended"), now)
            .await
            .unwrap();
        let before = w.admin.get(&path).await.body;
        assert_eq!(before["status"], ending);

        // Every way out of it is refused or changes nothing.
        assert!(
            repo::begin_attempt(pool, &id, now).await.unwrap().is_none(),
            "{ending}: no new attempt"
        );
        assert!(
            !repo::start_step(pool, &id, 1, "late", "template", now)
                .await
                .unwrap(),
            "{ending}: no step starts"
        );
        let other = if ending == "succeeded" {
            "failed"
        } else {
            "succeeded"
        };
        repo::finish(&mut conn, &id, other, Some("2"), None, now)
            .await
            .unwrap();
        drop(conn);
        repo::requeue(pool, &id).await.unwrap();
        let cancel = w.admin.post(&format!("{path}/cancel"), json!(null)).await;
        assert_eq!(
            cancel.status,
            StatusCode::CONFLICT,
            "{ending}: {}",
            cancel.body
        );
        app::executions::run::run(&server.state, &id).await.unwrap();
        assert_eq!(
            w.admin.get(&path).await.body,
            before,
            "{ending} stayed as it was"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_running_execution_canceled_stops_at_its_next_step() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "one", "kind": "template", "template": "1"},
               {"id": "two", "kind": "template", "template": "2"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Go", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();
    // A worker is running it: cancel is recorded as asked, and the run stops before a step.
    let db = &server.state.db;
    app::executions::repo::begin_attempt(db.pool(), &id, app::clock::now_ms())
        .await
        .unwrap()
        .unwrap();
    let asked = w
        .admin
        .post(
            &format!("/api/agent-base/{}/executions/{id}/cancel", w.agent_a),
            json!(null),
        )
        .await;
    assert_eq!(asked.body["status"], "running", "{}", asked.body);
    assert_eq!(asked.body["cancel_requested"], true);
    app::executions::run::run(&server.state, &id).await.unwrap();
    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "canceled", "{done}");
    assert_eq!(done["steps"], json!([]), "no step ran after the cancel");
    server.stop().await;
}

#[tokio::test]
async fn an_execution_whose_worker_died_is_retried_and_finishes_once() {
    let first = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&first).await;
    configure(
        &w,
        &w.agent_a,
        json!([{"id": "one", "kind": "template", "template": "{{ input.n + 1 }}"}]),
    )
    .await;
    let trigger = manual_trigger(&w, "Go", &w.agent_a).await;
    let started = execute(&w.admin, &trigger, json!({"n": 41})).await;
    let id = started.body["execution_id"].as_str().unwrap().to_owned();

    // A worker claims it with a lease that runs out at once, starts it, and dies.
    let db = &first.state.db;
    let now = app::clock::now_ms();
    let claimed = app::jobs::queue::claim(db, "dead-worker", now, now + 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.subject_id, id);
    app::executions::repo::begin_attempt(db.pool(), &id, now)
        .await
        .unwrap();
    let logged = app::executions::repo::start_step(db.pool(), &id, 0, "one", "template", now)
        .await
        .unwrap();
    assert!(logged, "the dead attempt got as far as starting its step");

    // Another instance takes the job over when the lease has run out.
    let second = TestServer::start_sharing_with(&first, |config| {
        config.jobs.workers = 1;
        config.jobs.poll_every = Duration::from_millis(50);
    })
    .await;
    let done = finished(&w.admin, &w.agent_a, &id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["output"], "42");
    assert_eq!(done["attempts"], 2, "the dead worker's attempt counts");
    assert_eq!(
        done["steps"].as_array().unwrap().len(),
        1,
        "one log, the last attempt's"
    );
    assert_eq!(done["steps"][0]["status"], "succeeded", "{done}");
    assert_eq!(app::jobs::queue::outstanding(db).await.unwrap(), 0);
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn each_scope_reaches_the_triggers_and_executions_the_table_gives() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let trigger_a = manual_trigger(&w, "A", &w.agent_a).await;
    let trigger_b = manual_trigger(&w, "B", &w.agent_b).await;
    let started = execute(&w.admin, &trigger_a, json!({})).await;
    let execution_a = started.body["execution_id"].as_str().unwrap().to_owned();
    let started = execute(&w.admin, &trigger_b, json!({})).await;
    let execution_b = started.body["execution_id"].as_str().unwrap().to_owned();

    let environment_scope = json!({"kind": "environment", "environment_id": w.environment});
    let env_token = token(&w.admin, "env", &environment_scope, every("write")).await;
    let env = Api::new(&server, &env_token);
    // Reads every trigger, executes those in its environment, creates none.
    assert_eq!(env.get("/api/agent-base/triggers").await.body["total"], 2);
    assert_eq!(
        execute(&env, &trigger_b, json!({})).await.status,
        StatusCode::ACCEPTED
    );
    let create = env
        .post(
            "/api/agent-base/triggers",
            json!({"name": "X", "agent_id": w.agent_a, "environment_id": w.environment, "kind": "manual"}),
        )
        .await;
    crate::access::refused(
        &create,
        "triggers:write",
        "environment token creates a trigger",
    );
    // Reads and cancels executions in its environment.
    let cancel_b = format!(
        "/api/agent-base/{}/executions/{execution_b}/cancel",
        w.agent_b
    );
    assert_eq!(
        env.post(&cancel_b, json!(null)).await.status,
        StatusCode::OK
    );

    let deployment_scope =
        json!({"kind": "deployment", "environment_id": w.environment, "agent_id": w.agent_a});
    let dep_token = token(&w.admin, "dep", &deployment_scope, every("write")).await;
    let dep = Api::new(&server, &dep_token);
    let listed = dep.get("/api/agent-base/triggers").await;
    assert_eq!(listed.body["total"], 1, "its own agent's only");
    assert_eq!(listed.body["items"][0]["id"], trigger_a.as_str());
    assert_eq!(
        execute(&dep, &trigger_a, json!({})).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        execute(&dep, &trigger_b, json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let own = dep
        .get(&format!(
            "/api/agent-base/{}/executions/{execution_a}",
            w.agent_a
        ))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let other = dep
        .get(&format!(
            "/api/agent-base/{}/executions/{execution_b}",
            w.agent_b
        ))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let other_list = dep
        .get(&format!("/api/agent-base/{}/executions", w.agent_b))
        .await;
    assert_eq!(other_list.status, StatusCode::NOT_FOUND);
    // A deployment token reads executions but cannot cancel them.
    let cancel_a = format!(
        "/api/agent-base/{}/executions/{execution_a}/cancel",
        w.agent_a
    );
    crate::access::refused(
        &dep.post(&cancel_a, json!(null)).await,
        "executions:write",
        "deployment token cancels",
    );

    // Read-only permissions: no execute.
    let read_only = token(&w.admin, "ro", &json!({"kind": "account"}), every("read")).await;
    let ro = Api::new(&server, &read_only);
    crate::access::refused(
        &execute(&ro, &trigger_a, json!({})).await,
        "triggers:write",
        "read-only token executes",
    );
    assert_eq!(executions_in_db(&server).await, 4);
    server.stop().await;
}

#[tokio::test]
async fn bad_trigger_input_is_refused_field_by_field() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let bad = w
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": "", "agent_id": "nope", "environment_id": "nope", "kind": "schedule"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields: Vec<&str> = bad.body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(fields, ["agent_id", "cron", "environment_id", "name"]);
    let trigger = manual_trigger(&w, "Same", &w.agent_a).await;
    let duplicate = w
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": "same", "agent_id": w.agent_a, "environment_id": w.environment, "kind": "manual"}),
        )
        .await;
    assert_eq!(
        duplicate.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        duplicate.body
    );
    assert!(duplicate.body["errors"]["name"][0]
        .as_str()
        .unwrap()
        .contains("already has this name"));
    let long_key = server
        .client
        .post(server.url(&format!("/api/agent-base/triggers/{trigger}/execute")))
        .bearer_auth(token(&w.admin, "k", &json!({"kind": "account"}), every("write")).await)
        .header("Idempotency-Key", "k".repeat(256))
        .send()
        .await
        .unwrap();
    assert_eq!(long_key.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let deleted = w
        .admin
        .delete(&format!("/api/agent-base/triggers/{trigger}"))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(executions_in_db(&server).await, 0);
    let gone = execute(&w.admin, &trigger, json!({})).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    server.stop().await;
}
