//! SPEC §4.2 for the agent runtime over real HTTP, on both engines: for triggers, executions
//! and webhooks, every scope × permission level gets exactly the answer the table gives —
//! the table's rows, read as written:
//!
//! | resource | account | environment E | deployment (agent A in E) |
//! |---|---|---|---|
//! | executions | write | read, cancel those in E | read those of A in E |
//! | triggers | write | read all; execute those in E | read and execute A's triggers in E |
//! | webhooks (send) | any webhook trigger | webhook triggers in E | A's webhook triggers in E |
//!
//! Within the level a token holds, a thing beyond its scope is "not found"; below the level,
//! or where the scope allows nothing, the answer is 403 naming what was needed. A refusal
//! changes nothing.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::access::{refused, scopes, token, world, World};
use crate::common::{Api, ApiAnswer, TestServer};

/// Where a trigger or an execution lives: agent A or B, in environment E or O.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    AInE,
    BInE,
    AInO,
}

const PLACES: [Place; 3] = [Place::AInE, Place::BInE, Place::AInO];

/// What a scope reaches for an operation, as the table says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The scope allows nothing of the kind: 403 even with the permission.
    Nothing,
    Everywhere,
    /// Environment E only.
    InE,
    /// Agent A in environment E only.
    AInE,
}

impl Reach {
    fn contains(self, place: Place) -> bool {
        match self {
            Reach::Nothing => false,
            Reach::Everywhere => true,
            Reach::InE => place != Place::AInO,
            Reach::AInE => place == Place::AInE,
        }
    }
}

/// The table, per scope: (read triggers, execute triggers, write triggers, read executions,
/// cancel executions, send webhooks).
struct Row {
    read_triggers: Reach,
    execute_triggers: Reach,
    write_triggers: Reach,
    read_executions: Reach,
    cancel_executions: Reach,
    send_webhooks: Reach,
}

fn row(scope_name: &str) -> Row {
    match scope_name {
        "account" => Row {
            read_triggers: Reach::Everywhere,
            execute_triggers: Reach::Everywhere,
            write_triggers: Reach::Everywhere,
            read_executions: Reach::Everywhere,
            cancel_executions: Reach::Everywhere,
            send_webhooks: Reach::Everywhere,
        },
        "environment" => Row {
            read_triggers: Reach::Everywhere,
            execute_triggers: Reach::InE,
            write_triggers: Reach::Nothing,
            read_executions: Reach::InE,
            cancel_executions: Reach::InE,
            send_webhooks: Reach::InE,
        },
        "deployment" => Row {
            read_triggers: Reach::AInE,
            execute_triggers: Reach::AInE,
            write_triggers: Reach::Nothing,
            read_executions: Reach::AInE,
            cancel_executions: Reach::Nothing,
            send_webhooks: Reach::AInE,
        },
        other => panic!("no scope {other}"),
    }
}

/// The answer the table gives: `allowed` when the level suffices and the place is reached,
/// else 404 when the level suffices and the scope reaches elsewhere only, else 403.
fn expect(
    answer: &ApiAnswer,
    allowed: StatusCode,
    holds_level: bool,
    reach: Reach,
    place: Place,
    required: &str,
    case: &str,
) {
    if !holds_level || reach == Reach::Nothing {
        refused(answer, required, case);
    } else if reach.contains(place) {
        assert_eq!(answer.status, allowed, "{case}: {}", answer.body);
    } else {
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{case}: {}",
            answer.body
        );
    }
}

struct Runtime<'a> {
    world: World<'a>,
    other_environment: String,
    manual: Vec<(Place, String)>,
    webhook: Vec<(Place, String)>,
}

impl Runtime<'_> {
    fn place(&self, place: Place) -> (&str, &str) {
        match place {
            Place::AInE => (&self.world.agent_a, &self.world.environment),
            Place::BInE => (&self.world.agent_b, &self.world.environment),
            Place::AInO => (&self.world.agent_a, &self.other_environment),
        }
    }

    fn agent(&self, place: Place) -> &str {
        self.place(place).0
    }

    async fn trigger(&self, place: Place, kind: &str) -> String {
        let (agent_id, environment_id) = self.place(place);
        let created = self
            .world
            .admin
            .post(
                "/api/agent-base/triggers",
                json!({"name": format!("{kind} {place:?}"), "agent_id": agent_id,
                       "environment_id": environment_id, "kind": kind}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        created.body["id"].as_str().unwrap().to_owned()
    }

    /// A fresh queued execution at `place` (workers are off), started by the admin.
    async fn queued_execution(&self, place: Place) -> String {
        let trigger = &self.manual.iter().find(|(at, _)| *at == place).unwrap().1;
        let started = execute(&self.world.admin, trigger).await;
        assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
        started.body["execution_id"].as_str().unwrap().to_owned()
    }

    /// Everything a refusal must leave as it was: the triggers as the admin sees them, and
    /// the executions, their statuses and the webhook events in the database.
    async fn snapshot(&self, server: &TestServer) -> (Value, Vec<(String, String)>, i64) {
        let triggers = self
            .world
            .admin
            .get("/api/agent-base/triggers?limit=100")
            .await;
        assert_eq!(triggers.status, StatusCode::OK);
        let pool = server.state.db.pool();
        let executions = sqlx::query_as("SELECT id, status FROM executions ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
        let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_events")
            .fetch_one(pool)
            .await
            .unwrap();
        (triggers.body["items"].clone(), executions, events)
    }
}

async fn execute(api: &Api<'_>, trigger_id: &str) -> ApiAnswer {
    api.post(
        &format!("/api/agent-base/triggers/{trigger_id}/execute"),
        json!({"input": {}}),
    )
    .await
}

async fn runtime(server: &TestServer) -> Runtime<'_> {
    let mut world = world(server).await;
    let other = world
        .owner
        .call(
            "create_environment",
            &[
                ("name", "Other"),
                ("purpose", "staging"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    let mut runtime = Runtime {
        world,
        other_environment: other.body["id"].as_str().unwrap().to_owned(),
        manual: Vec::new(),
        webhook: Vec::new(),
    };
    for place in PLACES {
        let manual = runtime.trigger(place, "manual").await;
        runtime.manual.push((place, manual));
        let webhook = runtime.trigger(place, "webhook").await;
        runtime.webhook.push((place, webhook));
    }
    runtime
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_triggers() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let rt = runtime(&server).await;
    for (scope_name, scope) in scopes(&rt.world) {
        let table = row(scope_name);
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with triggers:{level}");
            let plaintext = token(
                &rt.world.admin,
                &format!("{scope_name}-triggers-{level}"),
                &scope,
                json!({"triggers": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);
            let reads = level != "none";
            let writes = level == "write";

            // Reading: the list holds what the scope reaches; each trigger shows or is absent.
            let list = api.get("/api/agent-base/triggers?limit=100").await;
            if reads {
                assert_eq!(list.status, StatusCode::OK, "{case}: {}", list.body);
                let reached = PLACES
                    .iter()
                    .filter(|place| table.read_triggers.contains(**place))
                    .count();
                assert_eq!(list.body["total"], 2 * reached, "{case}");
            } else {
                refused(&list, "triggers:read", &case);
            }
            for (place, id) in rt.manual.iter().chain(&rt.webhook) {
                let shown = api.get(&format!("/api/agent-base/triggers/{id}")).await;
                let case = format!("{case}, show {place:?}");
                expect(
                    &shown,
                    StatusCode::OK,
                    reads,
                    table.read_triggers,
                    *place,
                    "triggers:read",
                    &case,
                );
            }

            // Executing: write, where the scope executes.
            for (place, id) in &rt.manual {
                let before = rt.snapshot(&server).await;
                let started = execute(&api, id).await;
                let case = format!("{case}, execute {place:?}");
                expect(
                    &started,
                    StatusCode::ACCEPTED,
                    writes,
                    table.execute_triggers,
                    *place,
                    "triggers:write",
                    &case,
                );
                if started.status != StatusCode::ACCEPTED {
                    assert_eq!(rt.snapshot(&server).await, before, "{case} changed nothing");
                }
            }

            // Changing triggers: account tokens with write only; a refusal changes nothing.
            let before = rt.snapshot(&server).await;
            let (_, manual_ae) = &rt.manual[0];
            let (_, webhook_ae) = &rt.webhook[0];
            let (agent_id, environment_id) = rt.place(Place::AInE);
            let create = api
                .post(
                    "/api/agent-base/triggers",
                    json!({"name": format!("new by {case}"), "agent_id": agent_id,
                           "environment_id": environment_id, "kind": "manual"}),
                )
                .await;
            let update = api
                .put(
                    &format!("/api/agent-base/triggers/{manual_ae}"),
                    json!({"name": "renamed", "agent_id": agent_id, "environment_id": environment_id,
                           "kind": "manual", "enabled": false}),
                )
                .await;
            let rotate = api
                .post(
                    &format!("/api/agent-base/triggers/{webhook_ae}/rotate-secret"),
                    json!(null),
                )
                .await;
            if writes && table.write_triggers == Reach::Everywhere {
                assert_eq!(
                    create.status,
                    StatusCode::CREATED,
                    "{case}: {}",
                    create.body
                );
                assert_eq!(update.status, StatusCode::OK, "{case}: {}", update.body);
                assert_eq!(rotate.status, StatusCode::OK, "{case}: {}", rotate.body);
                let created = create.body["id"].as_str().unwrap();
                let deleted = api
                    .delete(&format!("/api/agent-base/triggers/{created}"))
                    .await;
                assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{case}");
                let restored = api
                    .put(
                        &format!("/api/agent-base/triggers/{manual_ae}"),
                        json!({"name": "manual AInE", "agent_id": agent_id,
                               "environment_id": environment_id, "kind": "manual"}),
                    )
                    .await;
                assert_eq!(restored.status, StatusCode::OK, "{case}: {}", restored.body);
            } else {
                let delete = api
                    .delete(&format!("/api/agent-base/triggers/{manual_ae}"))
                    .await;
                for answer in [&create, &update, &rotate, &delete] {
                    refused(answer, "triggers:write", &case);
                }
                assert_eq!(rt.snapshot(&server).await, before, "{case} changed nothing");
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_executions() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let rt = runtime(&server).await;
    for (scope_name, scope) in scopes(&rt.world) {
        let table = row(scope_name);
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with executions:{level}");
            let plaintext = token(
                &rt.world.admin,
                &format!("{scope_name}-executions-{level}"),
                &scope,
                json!({"executions": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);
            let reads = level != "none";
            let writes = level == "write";
            let mut executions = Vec::new();
            for place in PLACES {
                executions.push((place, rt.queued_execution(place).await));
            }

            // Reading one, and each agent's list: only what the scope reaches is counted.
            for (place, id) in &executions {
                let agent_id = rt.agent(*place);
                let shown = api
                    .get(&format!("/api/agent-base/{agent_id}/executions/{id}"))
                    .await;
                let case = format!("{case}, show {place:?}");
                expect(
                    &shown,
                    StatusCode::OK,
                    reads,
                    table.read_executions,
                    *place,
                    "executions:read",
                    &case,
                );
            }
            for (agent, places) in [
                ("A", [Place::AInE, Place::AInO].as_slice()),
                ("B", [Place::BInE].as_slice()),
            ] {
                let agent_id = rt.agent(places[0]);
                let all: Vec<Value> = rt
                    .world
                    .admin
                    .get(&format!("/api/agent-base/{agent_id}/executions?limit=100"))
                    .await
                    .body["items"]
                    .as_array()
                    .unwrap()
                    .clone();
                let list = api
                    .get(&format!("/api/agent-base/{agent_id}/executions?limit=100"))
                    .await;
                let case = format!("{case}, list agent {agent}");
                if !reads {
                    refused(&list, "executions:read", &case);
                    continue;
                }
                let reached: Vec<&Value> = all
                    .iter()
                    .filter(|execution| {
                        let in_e = execution["environment_id"] == rt.world.environment.as_str();
                        let place = match (agent, in_e) {
                            ("A", true) => Place::AInE,
                            ("A", false) => Place::AInO,
                            _ => Place::BInE,
                        };
                        table.read_executions.contains(place)
                    })
                    .collect();
                if reached.is_empty() && table.read_executions == Reach::AInE {
                    // A deployment token's other agent does not exist for it.
                    assert_eq!(list.status, StatusCode::NOT_FOUND, "{case}: {}", list.body);
                } else {
                    assert_eq!(list.status, StatusCode::OK, "{case}: {}", list.body);
                    let listed: Vec<&Value> =
                        list.body["items"].as_array().unwrap().iter().collect();
                    assert_eq!(listed, reached, "{case}");
                }
            }

            // Cancelling: write, where the scope cancels; a refusal changes nothing.
            for (place, id) in &executions {
                let agent_id = rt.agent(*place);
                let before = rt.snapshot(&server).await;
                let canceled = api
                    .post(
                        &format!("/api/agent-base/{agent_id}/executions/{id}/cancel"),
                        json!(null),
                    )
                    .await;
                let case = format!("{case}, cancel {place:?}");
                expect(
                    &canceled,
                    StatusCode::OK,
                    writes,
                    table.cancel_executions,
                    *place,
                    "executions:write",
                    &case,
                );
                if canceled.status == StatusCode::OK {
                    assert_eq!(canceled.body["status"], "canceled", "{case}");
                } else {
                    assert_eq!(rt.snapshot(&server).await, before, "{case} changed nothing");
                }
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_webhooks() {
    let server = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let rt = runtime(&server).await;
    for (scope_name, scope) in scopes(&rt.world) {
        let table = row(scope_name);
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with webhooks:{level}");
            let plaintext = token(
                &rt.world.admin,
                &format!("{scope_name}-webhooks-{level}"),
                &scope,
                json!({"webhooks": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);
            for (place, id) in &rt.webhook {
                let before = rt.snapshot(&server).await;
                let case = format!("{case}, send to {place:?}");
                let sent = api
                    .post(&format!("/api/webhook/{id}"), json!({"from": case}))
                    .await;
                expect(
                    &sent,
                    StatusCode::ACCEPTED,
                    level == "write",
                    table.send_webhooks,
                    *place,
                    "webhooks:write",
                    &case,
                );
                if sent.status == StatusCode::ACCEPTED {
                    let agent_id = rt.agent(*place);
                    let execution_id = sent.body["execution_id"].as_str().unwrap();
                    let execution = rt
                        .world
                        .admin
                        .get(&format!(
                            "/api/agent-base/{agent_id}/executions/{execution_id}"
                        ))
                        .await;
                    assert_eq!(
                        execution.body["input"]["body"]["from"],
                        case.as_str(),
                        "{case}"
                    );
                } else {
                    assert_eq!(rt.snapshot(&server).await, before, "{case} changed nothing");
                }
            }
            // A manual trigger takes no events, whoever sends them.
            if level == "write" && table.send_webhooks != Reach::Nothing {
                let (_, manual_ae) = &rt.manual[0];
                let sent = api
                    .post(&format!("/api/webhook/{manual_ae}"), json!({}))
                    .await;
                assert_eq!(sent.status, StatusCode::CONFLICT, "{case}: {}", sent.body);
            }
        }
    }
    server.stop().await;
}
