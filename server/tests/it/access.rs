//! SPEC §4.2 over real HTTP: for each resource that exists (tokens, agents), every scope ×
//! permission level gets exactly the answer the table gives, and a refusal changes nothing;
//! a token never grants more than it holds; permissions narrow and never widen.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{create_token, set_up_owner, Api, ApiAnswer, Browser, TestServer};

/// A workspace with an environment, two agents and a full-access account token.
pub struct World<'a> {
    pub owner: Browser<'a>,
    pub admin: Api<'a>,
    pub environment: String,
    pub agent_a: String,
    pub agent_b: String,
}

pub async fn world(server: &TestServer) -> World<'_> {
    let mut owner = set_up_owner(server).await;
    let (_, admin) = create_token(&mut owner, &[("name", "admin")]).await;
    let admin = Api::new(server, &admin);
    let environment = owner
        .call(
            "create_environment",
            &[
                ("name", "Prod"),
                ("purpose", "production"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(environment.status, StatusCode::OK, "{}", environment.body);
    let mut agents = Vec::new();
    for name in ["Agent A", "Agent B"] {
        let installed = admin
            .post("/api/agent-base", json!({"name": name, "version": "1.0"}))
            .await;
        assert_eq!(installed.status, StatusCode::CREATED, "{}", installed.body);
        agents.push(installed.body["id"].as_str().unwrap().to_owned());
    }
    World {
        owner,
        admin,
        environment: environment.body["id"].as_str().unwrap().to_owned(),
        agent_b: agents.pop().unwrap(),
        agent_a: agents.pop().unwrap(),
    }
}

pub fn scopes(world: &World<'_>) -> [(&'static str, Value); 3] {
    [
        ("account", json!({"kind": "account"})),
        (
            "environment",
            json!({"kind": "environment", "environment_id": world.environment}),
        ),
        (
            "deployment",
            json!({"kind": "deployment", "environment_id": world.environment, "agent_id": world.agent_a}),
        ),
    ]
}

/// Creates a token through the API and returns its plaintext.
pub async fn token(admin: &Api<'_>, name: &str, scope: &Value, permissions: Value) -> String {
    let created = admin
        .post(
            "/api/tokens",
            json!({"name": name, "scope": scope, "permissions": permissions}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["plaintext"].as_str().unwrap().to_owned()
}

/// Asserts a 403 `insufficient-scope` naming `required`.
pub fn refused(answer: &ApiAnswer, required: &str, case: &str) {
    assert_eq!(
        answer.status,
        StatusCode::FORBIDDEN,
        "{case}: {}",
        answer.body
    );
    assert_eq!(
        answer.body["type"], "https://tessera.dev/problems/insufficient-scope",
        "{case}"
    );
    assert_eq!(answer.body["required"], required, "{case}");
    assert!(
        answer
            .header("www-authenticate")
            .is_some_and(|value| value.contains("insufficient_scope")),
        "{case}"
    );
}

fn status(answer: &ApiAnswer, expected: StatusCode, case: &str) {
    assert_eq!(answer.status, expected, "{case}: {}", answer.body);
}

/// What the agents a workspace holds look like, to show a refusal changed nothing.
async fn agents_snapshot(admin: &Api<'_>) -> Value {
    let list = admin.get("/api/agent-base?limit=500").await;
    assert_eq!(list.status, StatusCode::OK);
    list.body["items"].clone()
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_agents() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    for (scope_name, scope) in scopes(&w) {
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with agents:{level}");
            let plaintext = token(
                &w.admin,
                &format!("{scope_name}-{level}"),
                &scope,
                json!({"agents": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);
            let before = agents_snapshot(&w.admin).await;

            // Reading: none is refused; an account or environment token reads every agent;
            // a deployment token reads its own agent only (another is "not found").
            let list = api.get("/api/agent-base").await;
            let show_a = api.get(&format!("/api/agent-base/{}", w.agent_a)).await;
            let show_b = api.get(&format!("/api/agent-base/{}", w.agent_b)).await;
            if level == "none" {
                for answer in [&list, &show_a, &show_b] {
                    refused(answer, "agents:read", &case);
                }
            } else {
                status(&list, StatusCode::OK, &case);
                status(&show_a, StatusCode::OK, &case);
                if scope_name == "deployment" {
                    assert_eq!(list.body["total"], 1, "{case}");
                    assert_eq!(list.body["items"][0]["id"], w.agent_a.as_str(), "{case}");
                    status(&show_b, StatusCode::NOT_FOUND, &case);
                } else {
                    assert_eq!(list.body["total"], 2, "{case}");
                    status(&show_b, StatusCode::OK, &case);
                }
            }

            // Writing: only an account token with agents:write.
            let install = api
                .post(
                    "/api/agent-base",
                    json!({"name": format!("new by {case}"), "version": "1"}),
                )
                .await;
            let update = api
                .put(
                    &format!("/api/agent-base/{}", w.agent_a),
                    json!({"name": "Agent A", "version": "2.0"}),
                )
                .await;
            if scope_name == "account" && level == "write" {
                status(&install, StatusCode::CREATED, &case);
                status(&update, StatusCode::OK, &case);
                let id = install.body["id"].as_str().unwrap();
                let deleted = api.delete(&format!("/api/agent-base/{id}")).await;
                status(&deleted, StatusCode::NO_CONTENT, &case);
                // Put A back as it was, for the next cases.
                let restored = api
                    .put(
                        &format!("/api/agent-base/{}", w.agent_a),
                        json!({"name": "Agent A", "version": "1.0"}),
                    )
                    .await;
                status(&restored, StatusCode::OK, &case);
            } else {
                let delete = api.delete(&format!("/api/agent-base/{}", w.agent_b)).await;
                // Below write, or above the scope's ceiling: the same refusal.
                for answer in [&install, &update, &delete] {
                    refused(answer, "agents:write", &case);
                }
                assert_eq!(
                    agents_snapshot(&w.admin).await,
                    before,
                    "{case} changed nothing"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_tokens() {
    let server = TestServer::start().await;
    let mut w = world(&server).await;
    let (target_id, _) = create_token(&mut w.owner, &[("name", "target")]).await;
    for (scope_name, scope) in scopes(&w) {
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with tokens:{level}");
            let plaintext = token(
                &w.admin,
                &format!("{scope_name}-{level}"),
                &scope,
                json!({"tokens": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);

            // Every token describes itself, whatever it may do.
            let itself = api.get("/api/tokens/self").await;
            status(&itself, StatusCode::OK, &case);
            let expected_level = if scope_name == "account" {
                level
            } else {
                "none"
            };
            assert_eq!(
                itself.body["permissions"]["tokens"], expected_level,
                "{case}"
            );
            assert_eq!(itself.body["permissions"]["agents"], "none", "{case}");

            let list = api.get("/api/tokens").await;
            let show = api.get(&format!("/api/tokens/{target_id}")).await;
            let suspend = api
                .post(&format!("/api/tokens/{target_id}/suspend"), json!({}))
                .await;
            let create = api
                .post(
                    "/api/tokens",
                    json!({"name": format!("by {case}"), "permissions": {}}),
                )
                .await;
            let manages = scope_name == "account";
            if manages && level != "none" {
                status(&list, StatusCode::OK, &case);
                status(&show, StatusCode::OK, &case);
            } else {
                refused(&list, "tokens:read", &case);
                refused(&show, "tokens:read", &case);
            }
            if manages && level == "write" {
                status(&suspend, StatusCode::OK, &case);
                status(&create, StatusCode::CREATED, &case);
                let activated = api
                    .post(&format!("/api/tokens/{target_id}/activate"), json!({}))
                    .await;
                status(&activated, StatusCode::OK, &case);
            } else {
                refused(&suspend, "tokens:write", &case);
                refused(&create, "tokens:write", &case);
                let target = w.admin.get(&format!("/api/tokens/{target_id}")).await;
                assert_eq!(target.body["status"], "active", "{case} changed nothing");
            }
        }
    }
}

#[tokio::test]
async fn self_reports_permissions_after_the_scope_ceiling() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let [_, (_, environment), (_, deployment)] = scopes(&w);
    let full = token(&w.admin, "env full", &environment, json!(null)).await;
    let answer = Api::new(&server, &full).get("/api/tokens/self").await;
    let permissions = &answer.body["permissions"];
    assert_eq!(
        permissions.as_object().unwrap().len(),
        9,
        "every resource is named: {permissions}"
    );
    for (resource, level) in [
        ("agents", "read"),
        ("executions", "write"),
        ("triggers", "write"),
        ("webhooks", "write"),
        ("integrations", "read"),
        ("knowledge_base", "read"),
        ("storage", "read"),
        ("assistant", "read"),
        ("tokens", "none"),
    ] {
        assert_eq!(permissions[resource], level, "environment {resource}");
    }
    let bot = token(
        &w.admin,
        "bot",
        &deployment,
        json!({"integrations": "write", "storage": "write"}),
    )
    .await;
    let answer = Api::new(&server, &bot).get("/api/tokens/self").await;
    assert_eq!(answer.body["permissions"]["integrations"], "none");
    assert_eq!(answer.body["permissions"]["storage"], "read");
    assert_eq!(answer.body["permissions"]["agents"], "none");
    assert_eq!(answer.body["scope"]["agent_id"], w.agent_a.as_str());
}

#[tokio::test]
async fn a_token_never_creates_one_with_more_than_it_holds() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let account = json!({"kind": "account"});
    let resources = [
        "agents",
        "executions",
        "triggers",
        "webhooks",
        "integrations",
        "knowledge_base",
        "storage",
        "assistant",
    ];
    // A token that manages tokens and reads everything else.
    let mut grant = serde_json::Map::new();
    for resource in resources {
        grant.insert(resource.into(), json!("read"));
    }
    grant.insert("tokens".into(), json!("write"));
    let manager = token(&w.admin, "manager", &account, Value::Object(grant.clone())).await;
    let api = Api::new(&server, &manager);
    let count = || async { w.admin.get("/api/tokens").await.body["total"].clone() };
    let before = count().await;

    for resource in resources {
        let mut asked = grant.clone();
        asked.insert(resource.into(), json!("write"));
        let answer = api
            .post(
                "/api/tokens",
                json!({"name": format!("wider {resource}"), "permissions": asked}),
            )
            .await;
        refused(&answer, &format!("{resource}:write"), resource);
    }
    // No map means full access, which is more than it holds.
    let answer = api.post("/api/tokens", json!({"name": "full"})).await;
    refused(&answer, "agents:write", "no map");
    assert_eq!(count().await, before, "nothing was created");

    // The same or less is fine.
    let same = api
        .post("/api/tokens", json!({"name": "same", "permissions": grant}))
        .await;
    status(&same, StatusCode::CREATED, "same");
    let less = api
        .post(
            "/api/tokens",
            json!({"name": "less", "permissions": {"storage": "read"}}),
        )
        .await;
    status(&less, StatusCode::CREATED, "less");
    assert_eq!(less.body["token"]["permissions"]["storage"], "read");
    assert_eq!(less.body["token"]["permissions"]["agents"], "none");

    // Scope: tokens below the account cannot make tokens at all.
    for (name, scope) in scopes(&w).into_iter().skip(1) {
        let limited = token(&w.admin, &format!("{name} maker"), &scope, json!(null)).await;
        let answer = Api::new(&server, &limited)
            .post("/api/tokens", json!({"name": "x", "scope": scope}))
            .await;
        refused(&answer, "tokens:write", name);
    }
    // Unknown resources and levels are bad requests, not silent grants.
    for permissions in [json!({"agent": "read"}), json!({"agents": "admin"})] {
        let answer = api
            .post(
                "/api/tokens",
                json!({"name": "odd", "permissions": permissions}),
            )
            .await;
        status(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown key or level",
        );
    }
}

#[tokio::test]
async fn permissions_narrow_at_once_and_never_widen() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let created = w.admin.post("/api/tokens", json!({"name": "worker"})).await;
    status(&created, StatusCode::CREATED, "create");
    let id = created.body["token"]["id"].as_str().unwrap().to_owned();
    let worker = Api::new(&server, created.body["plaintext"].as_str().unwrap());
    // Authenticated (and cached) before the change.
    let installed = worker
        .post("/api/agent-base", json!({"name": "Before", "version": "1"}))
        .await;
    status(&installed, StatusCode::CREATED, "before narrowing");

    let narrowed = w
        .admin
        .patch(
            &format!("/api/tokens/{id}"),
            json!({"permissions": {"agents": "read", "tokens": "read"}}),
        )
        .await;
    status(&narrowed, StatusCode::OK, "narrow");
    assert_eq!(narrowed.body["permissions"]["agents"], "read");
    assert_eq!(narrowed.body["permissions"]["storage"], "none");
    let refused_now = worker
        .post("/api/agent-base", json!({"name": "After", "version": "1"}))
        .await;
    refused(&refused_now, "agents:write", "after narrowing");
    status(
        &worker.get("/api/agent-base").await,
        StatusCode::OK,
        "still reads",
    );

    // Widening is refused and changes nothing.
    let widened = w
        .admin
        .patch(
            &format!("/api/tokens/{id}"),
            json!({"permissions": {"agents": "write", "tokens": "read"}}),
        )
        .await;
    status(&widened, StatusCode::UNPROCESSABLE_ENTITY, "widen");
    assert!(widened.body["errors"]["permissions"].is_array());
    let shown = w.admin.get(&format!("/api/tokens/{id}")).await;
    assert_eq!(shown.body["permissions"]["agents"], "read");

    // Regenerating keeps them.
    let regenerated = w
        .admin
        .post(&format!("/api/tokens/{id}/regenerate"), json!({}))
        .await;
    status(&regenerated, StatusCode::OK, "regenerate");
    let renewed = Api::new(&server, regenerated.body["plaintext"].as_str().unwrap());
    let itself = renewed.get("/api/tokens/self").await;
    assert_eq!(itself.body["permissions"]["agents"], "read");
    assert_eq!(itself.body["permissions"]["tokens"], "read");
    assert_eq!(itself.body["permissions"]["storage"], "none");

    // A revoked token's permissions no longer change.
    let revoked = w
        .admin
        .post(&format!("/api/tokens/{id}/revoke"), json!({}))
        .await;
    status(&revoked, StatusCode::OK, "revoke");
    let late = w
        .admin
        .patch(&format!("/api/tokens/{id}"), json!({"permissions": {}}))
        .await;
    status(&late, StatusCode::CONFLICT, "narrow a revoked token");
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_storage_and_the_knowledge_base() {
    use crate::knowledge_base::settled;
    use crate::storage::put_file;

    let server = TestServer::start().await;
    let w = world(&server).await;
    let stored = put_file(
        &w.admin,
        "kept.txt",
        b"a kept passage".to_vec(),
        "text/plain",
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let file_id = stored.body["id"].as_str().unwrap().to_owned();
    let document_id = stored.body["document_id"].as_str().unwrap().to_owned();
    settled(&w.admin, &document_id).await;
    let before = files(&w.admin).await.body["items"].clone();

    for (scope_name, scope) in scopes(&w) {
        for level in ["none", "read", "write"] {
            // Storage: write uploads and deletes (account tokens only: the other scopes'
            // ceiling is read); read lists and downloads.
            let case = format!("{scope_name} token with storage:{level}");
            let plaintext = token(
                &w.admin,
                &format!("{scope_name}-storage-{level}"),
                &scope,
                json!({"storage": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);
            let list = files(&api).await;
            let download = api
                .get(&format!("/api/knowledge-base/storage/{file_id}"))
                .await;
            if level == "none" {
                refused(&list, "storage:read", &case);
                refused(&download, "storage:read", &case);
            } else {
                status(&list, StatusCode::OK, &case);
                status(&download, StatusCode::OK, &case);
                assert_eq!(download.body, "a kept passage", "{case}");
            }
            let upload = put_file(&api, "new.txt", case.clone().into_bytes(), "text/plain").await;
            if scope_name == "account" && level == "write" {
                status(&upload, StatusCode::CREATED, &case);
                let id = upload.body["id"].as_str().unwrap();
                let deleted = api
                    .delete(&format!("/api/knowledge-base/storage/{id}"))
                    .await;
                status(&deleted, StatusCode::NO_CONTENT, &case);
            } else {
                let delete = api
                    .delete(&format!("/api/knowledge-base/storage/{file_id}"))
                    .await;
                refused(&upload, "storage:write", &case);
                refused(&delete, "storage:write", &case);
            }
            assert_eq!(
                files(&w.admin).await.body["items"],
                before,
                "{case} changed nothing"
            );

            // The knowledge base: read (list, details, search) in every scope.
            let case = format!("{scope_name} token with knowledge_base:{level}");
            let plaintext = token(
                &w.admin,
                &format!("{scope_name}-kb-{level}"),
                &scope,
                json!({"knowledge_base": level}),
            )
            .await;
            let api = Api::new(&server, &plaintext);
            let answers = [
                api.get("/api/knowledge-base").await,
                api.get(&format!("/api/knowledge-base/{document_id}")).await,
                api.get("/api/knowledge-base/search?q=kept").await,
            ];
            for answer in &answers {
                if level == "none" {
                    refused(answer, "knowledge_base:read", &case);
                } else {
                    status(answer, StatusCode::OK, &case);
                }
            }
            if level != "none" {
                assert_eq!(answers[2].body["total"], 1, "{case}");
            }
        }
    }
}

async fn files(api: &Api<'_>) -> ApiAnswer {
    api.get("/api/knowledge-base/storage?limit=500").await
}
