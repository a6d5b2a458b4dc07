//! Schedule triggers on both engines: expressions and time zones validated with each problem
//! named; details preview the next fire times; each due time fires once even when two
//! instances look at once; missed times fire once, not in a burst; the running loop fires a
//! due schedule and its execution runs.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::access::{world, World};
use crate::common::TestServer;
use app::clock::now_ms;
use app::triggers::scheduler::fire_due;

async fn schedule_trigger(world: &World<'_>, cron: &str, time_zone: &str) -> Value {
    let created = world
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": "Every minute", "agent_id": world.agent_a, "environment_id": world.environment,
                   "kind": "schedule", "cron": cron, "time_zone": time_zone}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body
}

/// Makes the trigger due `ago_ms` ago, as if its instance had been down since.
async fn due_since(server: &TestServer, trigger_id: &str, ago_ms: i64) -> i64 {
    let due = now_ms() - ago_ms;
    sqlx::query("UPDATE triggers SET next_fire_at = $1 WHERE id = $2")
        .bind(due)
        .bind(trigger_id)
        .execute(server.state.db.pool())
        .await
        .unwrap();
    due
}

async fn executions(server: &TestServer) -> Vec<(String, String)> {
    sqlx::query_as("SELECT input, status FROM executions ORDER BY created_at")
        .fetch_all(server.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn schedules_are_validated_and_preview_their_fire_times() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let bad = w
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": "Bad", "agent_id": w.agent_a, "environment_id": w.environment,
                   "kind": "schedule", "cron": "every day", "time_zone": "Mars/Olympus"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["cron"][0].is_string());
    assert!(bad.body["errors"]["time_zone"][0]
        .as_str()
        .unwrap()
        .contains("IANA"));
    let not_a_schedule = w
        .admin
        .post(
            "/api/agent-base/triggers",
            json!({"name": "Manual", "agent_id": w.agent_a, "environment_id": w.environment,
                   "kind": "manual", "cron": "* * * * *"}),
        )
        .await;
    assert_eq!(not_a_schedule.status, StatusCode::UNPROCESSABLE_ENTITY);

    let created = schedule_trigger(&w, "0 9 * * MON-FRI", "Europe/Berlin").await;
    assert_eq!(created["time_zone"], "Europe/Berlin");
    assert!(created["schedule_description"]
        .as_str()
        .unwrap()
        .contains("09:00"));
    let id = created["id"].as_str().unwrap();
    let shown = w.admin.get(&format!("/api/agent-base/triggers/{id}")).await;
    let upcoming: Vec<i64> = shown.body["upcoming_fire_times_ms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|time| time.as_i64().unwrap())
        .collect();
    assert_eq!(upcoming.len(), 5);
    assert!(upcoming.windows(2).all(|pair| pair[0] < pair[1]));
    // Computed when it was created: the first upcoming time, unless one passed since.
    let next = shown.body["next_fire_at_ms"].as_i64().unwrap();
    assert!(
        next <= upcoming[0] && next > now_ms() - 60_000,
        "{next} {upcoming:?}"
    );
    assert!(upcoming[0] > now_ms());
    server.stop().await;
}

#[tokio::test]
async fn each_due_time_fires_once_with_two_instances_looking_at_once() {
    let first = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let second = TestServer::start_sharing_with(&first, |config| config.jobs.workers = 0).await;
    let w = world(&first).await;
    let trigger = schedule_trigger(&w, "* * * * *", "UTC").await;
    let id = trigger["id"].as_str().unwrap().to_owned();
    let due = due_since(&first, &id, 1_000).await;

    let looks = (0..10).map(|n| {
        let state = if n % 2 == 0 {
            &first.state
        } else {
            &second.state
        };
        fire_due(state, now_ms())
    });
    let fired: usize = futures::future::join_all(looks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .sum();
    assert_eq!(fired, 1, "one look fired it");
    let runs = executions(&first).await;
    assert_eq!(runs.len(), 1);
    let input: Value = serde_json::from_str(&runs[0].0).unwrap();
    assert_eq!(input["scheduled_at_ms"], due);
    let (next,): (i64,) = sqlx::query_as("SELECT next_fire_at FROM triggers WHERE id = $1")
        .bind(&id)
        .fetch_one(first.state.db.pool())
        .await
        .unwrap();
    assert!(
        next > now_ms() - 1_000 && next <= now_ms() + 60_000,
        "the next minute"
    );
    assert_eq!(
        fire_due(&second.state, now_ms()).await.unwrap(),
        0,
        "nothing due now"
    );
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn missed_fire_times_run_once_and_disabled_schedules_never() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let w = world(&server).await;
    let trigger = schedule_trigger(&w, "* * * * *", "UTC").await;
    let id = trigger["id"].as_str().unwrap().to_owned();
    // Down for ten minutes: ten fire times missed, one run.
    let due = due_since(&server, &id, 10 * 60_000).await;
    assert_eq!(fire_due(&server.state, now_ms()).await.unwrap(), 1);
    assert_eq!(fire_due(&server.state, now_ms()).await.unwrap(), 0);
    let runs = executions(&server).await;
    assert_eq!(runs.len(), 1);
    let input: Value = serde_json::from_str(&runs[0].0).unwrap();
    assert_eq!(input["scheduled_at_ms"], due, "the earliest missed time");

    let disabled = w
        .admin
        .put(
            &format!("/api/agent-base/triggers/{id}"),
            json!({"name": "Every minute", "agent_id": w.agent_a, "environment_id": w.environment,
                   "kind": "schedule", "cron": "* * * * *", "enabled": false}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert!(disabled.body.get("next_fire_at_ms").is_none());
    due_since(&server, &id, 60_000).await;
    assert_eq!(fire_due(&server.state, now_ms()).await.unwrap(), 0);
    assert_eq!(executions(&server).await.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn the_running_loop_fires_a_due_schedule_and_its_execution_runs() {
    let server = TestServer::start_with(|config| {
        config.jobs.workers = 1;
        config.jobs.poll_every = Duration::from_millis(50);
    })
    .await;
    let w = world(&server).await;
    let steps = json!({"steps": [{"id": "at", "kind": "template", "template": "due {{ input.scheduled_at_ms }}"}]});
    let updated = w
        .admin
        .put(
            &format!("/api/agent-base/{}", w.agent_a),
            json!({"name": "Agent A", "version": "1", "config": steps}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let trigger = schedule_trigger(&w, "* * * * *", "UTC").await;
    let due = due_since(&server, trigger["id"].as_str().unwrap(), 1).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let runs = executions(&server).await;
        if runs.iter().any(|(_, status)| status == "succeeded") {
            let listed = w
                .admin
                .get(&format!("/api/agent-base/{}/executions", w.agent_a))
                .await;
            assert_eq!(listed.body["items"][0]["output"], format!("due {due}"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{runs:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop().await;
}
