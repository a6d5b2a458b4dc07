//! Agents over real HTTP: every server function, its refusals, and the audit trail.

use crate::common::{set_up_owner, workspace_of, Browser, RpcAnswer, TestServer};
use crate::named_crud::{field_errors, id_of, AGENTS};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn install(browser: &mut Browser<'_>, name: &str, config: &str) -> RpcAnswer {
    browser
        .call(
            "install_agent",
            &[
                ("name", name),
                ("description", ""),
                ("version", "1.0.0"),
                ("config", config),
            ],
        )
        .await
}

/// Installs an agent that must succeed and returns its view.
async fn installed(browser: &mut Browser<'_>, name: &str) -> Value {
    let answer = install(
        browser,
        name,
        r#"{"steps": [{"id": "greet", "kind": "template", "template": "hi"}]}"#,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

async fn update(
    browser: &mut Browser<'_>,
    id: &str,
    name: &str,
    version: &str,
    config: &str,
) -> RpcAnswer {
    browser
        .call(
            "update_agent",
            &[
                ("id", id),
                ("name", name),
                ("description", "updated"),
                ("version", version),
                ("config", config),
            ],
        )
        .await
}

async fn stored_config(server: &TestServer, id: &str) -> String {
    let (config,): (String,) = sqlx::query_as("SELECT config FROM agents WHERE id = $1")
        .bind(id)
        .fetch_one(server.state.db.pool())
        .await
        .expect("the stored config");
    config
}

#[tokio::test]
async fn owners_install_list_get_update_and_delete_agents() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;

    let answer = owner
        .call(
            "install_agent",
            &[
                ("name", " Support Bot "),
                ("description", " Answers tickets.\nPolitely. "),
                ("version", " 2.1.0 "),
                (
                    "config",
                    "{\n  \"steps\": [{\"id\": \"greet\", \"kind\": \"template\", \"template\": \"hi\"}]\n}",
                ),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let bot = answer.body;
    assert_eq!(bot["name"], "Support Bot");
    assert_eq!(bot["description"], "Answers tickets.\nPolitely.");
    assert_eq!(bot["version"], "2.1.0");
    assert_eq!(
        bot["config"],
        "{\n  \"steps\": [\n    {\n      \"id\": \"greet\",\n      \"kind\": \"template\",\n      \"template\": \"hi\"\n    }\n  ]\n}"
    );
    assert_eq!(bot["created_at_ms"], bot["updated_at_ms"]);
    let id = id_of(&bot);
    assert_eq!(
        stored_config(&server, &id).await,
        r#"{"steps":[{"id":"greet","kind":"template","template":"hi"}]}"#,
        "stored compact"
    );

    // Description and config are optional; no config means an empty object.
    let answer = owner
        .call("install_agent", &[("name", "analyst"), ("version", "0.1")])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["description"], "");
    assert_eq!(answer.body["config"], "{}");
    let analyst_id = id_of(&answer.body);

    assert_eq!(AGENTS.names(&mut owner).await, ["analyst", "Support Bot"]);
    assert_eq!(AGENTS.list(&mut owner).await[1], bot);
    let got = owner.call("get_agent", &[("id", &id)]).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.body, bot);

    let answer = update(
        &mut owner,
        &id,
        "Support Bot 2",
        "3.0.0-beta",
        r#"{"steps": []}"#,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let updated = answer.body;
    assert_eq!(updated["id"], bot["id"]);
    assert_eq!(updated["name"], "Support Bot 2");
    assert_eq!(updated["description"], "updated");
    assert_eq!(updated["version"], "3.0.0-beta");
    assert_eq!(updated["config"], "{\n  \"steps\": []\n}");
    assert_eq!(updated["created_at_ms"], bot["created_at_ms"]);
    assert!(updated["updated_at_ms"].as_i64() >= bot["updated_at_ms"].as_i64());
    assert_eq!(owner.call("get_agent", &[("id", &id)]).await.body, updated);

    let answer = owner.call("delete_agent", &[("id", &id)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body, Value::Null);
    assert_eq!(AGENTS.names(&mut owner).await, ["analyst"]);
    let gone = owner.call("get_agent", &[("id", &id)]).await;
    assert_eq!(
        (gone.status, gone.body),
        (StatusCode::NOT_FOUND, json!("NotFound"))
    );
    assert_eq!(
        owner.call("delete_agent", &[("id", &id)]).await.status,
        StatusCode::NOT_FOUND
    );

    let event = |action: &str, id: &str, label: &str| {
        (
            action.to_owned(),
            "agent".to_owned(),
            id.to_owned(),
            label.to_owned(),
        )
    };
    let mut expected = vec![
        event("agent.installed", &id, "Support Bot"),
        event("agent.installed", &analyst_id, "analyst"),
        event("agent.updated", &id, "Support Bot 2"),
        event("agent.deleted", &id, "Support Bot 2"),
    ];
    expected.sort();
    assert_eq!(AGENTS.event_details(&server).await, expected);
    let log = owner.call("list_audit_events", &[]).await;
    assert_eq!(
        log.body[0]["actor_label"],
        "Olive Owner (owner@example.com)"
    );
}

#[tokio::test]
async fn invalid_input_is_refused_field_by_field() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let long_name = "n".repeat(65);
    let long_description = "d".repeat(501);
    let long_version = "1".repeat(33);
    let huge_config = format!("{{\"x\": \"{}\"}}", "y".repeat(16 * 1024));
    let cases: [(&str, &str, &str, &str, &str); 13] = [
        ("", "", "1", "{}", "name"),
        (&long_name, "", "1", "{}", "name"),
        ("bell\u{7}", "", "1", "{}", "name"),
        ("a\nb", "", "1", "{}", "name"),
        ("Bot", &long_description, "1", "{}", "description"),
        ("Bot", "nul\u{0}", "1", "{}", "description"),
        ("Bot", "", "", "{}", "version"),
        ("Bot", "", &long_version, "{}", "version"),
        ("Bot", "", "1\u{1b}[31m", "{}", "version"),
        ("Bot", "", "1", "{", "config"),
        ("Bot", "", "1", "{'single': 'quotes'}", "config"),
        ("Bot", "", "1", "{} trailing", "config"),
        ("Bot", "", "1", &huge_config, "config"),
    ];
    for (name, description, version, config, field) in cases {
        let answer = owner
            .call(
                "install_agent",
                &[
                    ("name", name),
                    ("description", description),
                    ("version", version),
                    ("config", config),
                ],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.body
        );
        assert_eq!(field_errors(&answer, field).len(), 1, "{}", answer.body);
        assert_eq!(
            answer.body["Validation"].as_object().unwrap().len(),
            1,
            "only {field} is wrong: {}",
            answer.body
        );
    }
    // serde_json's own description, with where it went wrong.
    let answer = install(&mut owner, "Bot", "{\"a\": 1,}").await;
    let message = field_errors(&answer, "config")[0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("trailing comma"), "{message}");
    assert!(message.contains("line 1 column 9"), "{message}");
    // Everything at once.
    let answer = owner
        .call(
            "install_agent",
            &[
                ("name", ""),
                ("description", &long_description),
                ("version", ""),
                ("config", "nope"),
            ],
        )
        .await;
    for field in ["name", "description", "version", "config"] {
        field_errors(&answer, field);
    }
    assert_eq!(AGENTS.count(&server).await, 0);

    // Updates obey the same rules and leave the row alone.
    let bot = installed(&mut owner, "Bot").await;
    let id = id_of(&bot);
    let answer = update(&mut owner, &id, &long_name, "1", "{\"broken\"").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    field_errors(&answer, "name");
    field_errors(&answer, "config");
    assert_eq!(AGENTS.list(&mut owner).await, [bot]);
    assert_eq!(AGENTS.event_details(&server).await.len(), 1);
}

#[tokio::test]
async fn html_and_unicode_are_stored_and_returned_as_text() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let name = "<script>alert(1)</script> Ünïcødé 🚀";
    let description = "<img src=x onerror=alert(1)> & \"quotes\" — 日本語";
    let answer = owner
        .call(
            "install_agent",
            &[
                ("name", name),
                ("description", description),
                ("version", "β-2 <b>"),
                (
                    "config",
                    r#"{"steps": [{"id": "hi", "kind": "template", "template": "<b>héllo</b> 👋"}]}"#,
                ),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let got = owner
        .call("get_agent", &[("id", &id_of(&answer.body))])
        .await
        .body;
    assert_eq!(got["name"], name);
    assert_eq!(got["description"], description);
    assert_eq!(got["version"], "β-2 <b>");
    let config: Value = serde_json::from_str(got["config"].as_str().unwrap()).unwrap();
    assert_eq!(config["steps"][0]["template"], json!("<b>héllo</b> 👋"));
}

/// The race path itself: when the early check is passed and the unique index refuses the
/// write, the error is recognised as a name conflict on this engine.
#[tokio::test]
async fn the_unique_name_index_violation_is_recognised() {
    use app::agents::repo::{self, AgentFields};
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let fields = |name_key| AgentFields {
        name: "Racer",
        name_key,
        description: "",
        version: "1",
        config: "{}",
        now: 1,
    };
    let mut conn = server.state.db.pool().acquire().await.unwrap();
    repo::insert(&mut conn, "a", &workspace_id, &fields("racer"))
        .await
        .unwrap();
    let error = repo::insert(&mut conn, "b", &workspace_id, &fields("racer"))
        .await
        .unwrap_err();
    assert_eq!(
        app::db::name_taken_or_internal(error, "agents", "agent"),
        app::AppError::name_taken("agent")
    );
    let error = repo::insert(&mut conn, "a", &workspace_id, &fields("other"))
        .await
        .unwrap_err();
    assert_eq!(
        app::db::name_taken_or_internal(error, "agents", "agent"),
        app::AppError::Internal,
        "a primary key clash is not a name clash"
    );
}
