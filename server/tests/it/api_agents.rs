//! `/api/agent-base` over real HTTP: install, list (paging, name search), details, update and
//! delete through the same service as the Agents page, audited with the token as actor; bad
//! input and other workspaces' ids refused without changing anything.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{create_token, other_workspace_owner, set_up_owner, Api, TestServer};

async fn audit_actions(server: &TestServer) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT action, actor_label FROM audit_events WHERE action LIKE 'agent.%' \
         ORDER BY occurred_at, id",
    )
    .fetch_all(server.state.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn an_account_token_installs_lists_updates_and_deletes_agents() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, token) = create_token(&mut owner, &[("name", "deployer")]).await;
    let api = Api::new(&server, &token);

    let config = json!({"steps": [{"id": "greet", "kind": "template", "template": "hello"}]});
    let installed = api
        .post(
            "/api/agent-base",
            json!({"name": "Support bot", "description": "Answers", "version": "1.2.0", "config": config}),
        )
        .await;
    assert_eq!(installed.status, StatusCode::CREATED, "{}", installed.body);
    assert_eq!(installed.body["config"], config, "config is JSON both ways");
    let id = installed.body["id"].as_str().unwrap().to_owned();
    for name in ["Billing bot", "Triage"] {
        let answer = api
            .post("/api/agent-base", json!({"name": name, "version": "1"}))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert_eq!(answer.body["config"], json!({}), "absent config is {{}}");
    }

    // The browser sees what the API installed.
    let listed = owner.call("list_agents", &[]).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 3);

    let page = api.get("/api/agent-base?limit=2").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body["total"], 3);
    let names: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|agent| agent["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Billing bot", "Support bot"], "alphabetical");
    let rest = api.get("/api/agent-base?limit=2&offset=2").await;
    assert_eq!(rest.body["items"][0]["name"], "Triage");
    let found = api.get("/api/agent-base?search=BOT").await;
    assert_eq!(found.body["total"], 2, "search ignores case");
    let literal = api.get("/api/agent-base?search=%25").await;
    assert_eq!(literal.body["total"], 0, "% is a character, not a wildcard");
    let unknown_param = api.get("/api/agent-base?colour=red").await;
    assert_eq!(unknown_param.status, StatusCode::BAD_REQUEST);

    let shown = api.get(&format!("/api/agent-base/{id}")).await;
    assert_eq!(shown.body["description"], "Answers");

    let updated = api
        .put(
            &format!("/api/agent-base/{id}"),
            json!({"name": "Support bot", "version": "1.3.0", "config": {"steps": []}}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["version"], "1.3.0");
    assert_eq!(updated.body["description"], "", "PUT replaces every field");

    // A deployment token of the agent dies with it.
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
    let environment_id = environment.body["id"].as_str().unwrap();
    let deployment = api
        .post(
            "/api/tokens",
            json!({"name": "bot", "scope": {"kind": "deployment", "agent_id": id, "environment_id": environment_id}}),
        )
        .await;
    let bot = Api::new(&server, deployment.body["plaintext"].as_str().unwrap());
    assert_eq!(bot.get("/api/agent-base").await.body["total"], 1);

    let deleted = api.delete(&format!("/api/agent-base/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.get(&format!("/api/agent-base/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let refused = bot.get("/api/agent-base").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body["detail"].as_str().unwrap().contains("revoked"));

    let events = audit_actions(&server).await;
    let actions: Vec<&str> = events.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "agent.installed",
            "agent.installed",
            "agent.installed",
            "agent.updated",
            "agent.deleted"
        ]
    );
    for (_, actor) in &events {
        assert_eq!(actor, "API token \u{201c}deployer\u{201d}");
    }
}

#[tokio::test]
async fn bad_input_and_other_workspaces_ids_change_nothing() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, token) = create_token(&mut owner, &[("name", "deployer")]).await;
    let api = Api::new(&server, &token);
    let installed = api
        .post("/api/agent-base", json!({"name": "Bot", "version": "1"}))
        .await;
    let id = installed.body["id"].as_str().unwrap().to_owned();

    // The same duplicate-name answer as tokens and environments give, browser and REST alike.
    let duplicate = api
        .post("/api/agent-base", json!({"name": " bot ", "version": "2"}))
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = duplicate.body["errors"]["name"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let token_duplicate = api.post("/api/tokens", json!({"name": "DEPLOYER"})).await;
    assert_eq!(token_duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        token_duplicate.body["errors"]["name"][0]
            .as_str()
            .unwrap()
            .replace("token", "agent"),
        message
    );
    let browser_duplicate = owner
        .call("install_agent", &[("name", "BOT"), ("version", "1")])
        .await;
    assert_eq!(browser_duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        browser_duplicate.body["Validation"]["name"][0],
        message.as_str()
    );

    let too_big = "x".repeat(app::agents::domain::MAX_CONFIG_BYTES);
    for (body, field) in [
        (json!({"name": "", "version": "1"}), "name"),
        (json!({"name": "ok", "version": ""}), "version"),
        (
            json!({"name": "ok", "version": "1", "config": {"text": too_big}}),
            "config",
        ),
    ] {
        let answer = api.post("/api/agent-base", body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            answer.body["errors"][field].is_array(),
            "{field}: {}",
            answer.body
        );
    }
    let shapeless = api
        .post(
            "/api/agent-base",
            json!({"name": "x", "version": "1", "colour": "red"}),
        )
        .await;
    assert_eq!(shapeless.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another workspace's token sees none of this, exactly as if it did not exist.
    let mut stranger = other_workspace_owner(&server, "eve@example.com").await;
    let (_, foreign) = create_token(&mut stranger, &[("name", "eve")]).await;
    let foreign = Api::new(&server, &foreign);
    assert_eq!(foreign.get("/api/agent-base").await.body["total"], 0);
    let path = format!("/api/agent-base/{id}");
    assert_eq!(foreign.get(&path).await.status, StatusCode::NOT_FOUND);
    let hijack = foreign
        .put(&path, json!({"name": "Mine", "version": "9"}))
        .await;
    assert_eq!(hijack.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.delete(&path).await.status, StatusCode::NOT_FOUND);

    let after = api.get("/api/agent-base").await;
    assert_eq!(after.body["total"], 1);
    let agent: &Value = &after.body["items"][0];
    assert_eq!(agent["name"], "Bot");
    assert_eq!(agent["version"], "1");
}

/// Issue 16 item 1: a config is steps of known kinds, each field checked; a bad one is 422
/// with every problem keyed `config` and the JSON pointer of its field, and nothing changes.
#[tokio::test]
async fn a_bad_config_is_refused_at_each_field_it_gets_wrong() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, token) = create_token(&mut owner, &[("name", "deployer")]).await;
    let api = Api::new(&server, &token);
    let model = api
        .post(
            "/api/integrations-base",
            json!({"name": "Model", "kind": "llm",
                   "settings": {"base_url": "https://llm.example/v1", "model": "m"}}),
        )
        .await;
    assert_eq!(model.status, StatusCode::CREATED, "{}", model.body);

    let bad = json!({"steps": [
        {"id": "greet", "kind": "template", "template": "hello {{ input.who"},
        {"id": "call", "kind": "http_request", "integration": "Model", "path": "tickets"},
        {"id": "write", "kind": "llm", "integration": "Nobody", "prompt": "hi"},
        {"id": "find", "kind": "kb_search", "query": "q", "limit": 0},
        {"id": "what", "kind": "teleport"},
    ]});
    let refused = api
        .post(
            "/api/agent-base",
            json!({"name": "Bot", "version": "1", "config": bad}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let mut fields: Vec<&str> = refused.body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "config",
            "config/steps/0/template",
            "config/steps/1/path",
            "config/steps/3/limit",
            "config/steps/4/kind",
        ],
        "syntax problems first; integrations are looked up once the steps read"
    );
    let listed = api.get("/api/agent-base").await;
    assert_eq!(listed.body["total"], 0, "nothing was installed");

    // Once the steps read, each integration must be the workspace's, of the step's kind.
    let unknown = json!({"steps": [
        {"id": "call", "kind": "http_request", "integration": "model", "path": "/tickets"},
        {"id": "write", "kind": "llm", "integration": "Nobody", "prompt": "hi"},
        {"id": "ok", "kind": "llm", "integration": "MODEL", "prompt": "{{ steps.call }}"},
    ]});
    let refused = api
        .post(
            "/api/agent-base",
            json!({"name": "Bot", "version": "1", "config": unknown}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = refused.body["errors"].as_object().unwrap();
    assert_eq!(errors.len(), 3, "{}", refused.body);
    assert_eq!(
        errors["config"][0].as_str().unwrap(),
        "/steps/0/integration: \u{201c}model\u{201d} is not an integration of kind http.",
        "the editor's summary names each problem by its pointer"
    );
    assert!(errors["config/steps/0/integration"][0]
        .as_str()
        .unwrap()
        .contains("not an integration of kind http"));
    assert!(errors["config/steps/1/integration"][0]
        .as_str()
        .unwrap()
        .contains("No integration is called"));

    // The smallest useful agent, and one naming the model by its id.
    let model_id = model.body["id"].as_str().unwrap();
    for config in [
        json!({"steps": [{"id": "greet", "kind": "template", "template": "hello {{ input.who }}"}]}),
        json!({"steps": [{"id": "write", "kind": "llm", "integration": model_id, "prompt": "hi"}]}),
    ] {
        let name = format!("Bot {}", config["steps"][0]["id"]);
        let installed = api
            .post(
                "/api/agent-base",
                json!({"name": name, "version": "1", "config": config}),
            )
            .await;
        assert_eq!(installed.status, StatusCode::CREATED, "{}", installed.body);
    }
}
