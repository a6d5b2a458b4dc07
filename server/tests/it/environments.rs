//! Environments over real HTTP: every server function, its refusals, and the audit trail.

use crate::common::{set_up_owner, workspace_of, Browser, TestServer};
use crate::named_crud::{field_errors, id_of, ENVIRONMENTS};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn create(browser: &mut Browser<'_>, name: &str, purpose: &str) -> crate::common::RpcAnswer {
    browser
        .call(
            "create_environment",
            &[("name", name), ("purpose", purpose), ("description", "")],
        )
        .await
}

/// Creates an environment that must succeed and returns its view.
async fn created(browser: &mut Browser<'_>, name: &str, purpose: &str) -> Value {
    let answer = create(browser, name, purpose).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

#[tokio::test]
async fn owners_create_list_update_and_delete_environments() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;

    let answer = owner
        .call(
            "create_environment",
            &[
                ("name", "  Production EU "),
                ("purpose", "production"),
                ("description", " Customer traffic.\nEU only. "),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let prod = answer.body;
    assert_eq!(prod["name"], "Production EU");
    assert_eq!(prod["purpose"], "production");
    assert_eq!(prod["description"], "Customer traffic.\nEU only.");
    assert_eq!(prod["created_at_ms"], prod["updated_at_ms"]);
    let public_id = prod["public_id"].as_str().unwrap().to_owned();
    let random = public_id.strip_prefix("env_").expect("env_ prefix");
    assert_eq!(random.len(), 20);
    assert!(random.chars().all(|c| c.is_ascii_alphanumeric()));

    // The description is optional.
    let answer = owner
        .call(
            "create_environment",
            &[("name", "dev"), ("purpose", "Development")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["description"], "");
    assert_eq!(answer.body["purpose"], "development");
    assert_ne!(answer.body["public_id"], prod["public_id"]);

    // Alphabetical, case-insensitively.
    let names: Vec<Value> = ENVIRONMENTS
        .list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("dev"), json!("Production EU")]);
    assert_eq!(
        ENVIRONMENTS.list(&mut owner).await[1],
        prod,
        "the list shows what create returned"
    );

    let id = id_of(&prod);
    let answer = owner
        .call(
            "update_environment",
            &[
                ("id", &id),
                ("name", "Production"),
                ("purpose", "staging"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let updated = answer.body;
    assert_eq!(updated["id"], prod["id"]);
    assert_eq!(
        updated["public_id"], prod["public_id"],
        "the public id never changes"
    );
    assert_eq!(updated["name"], "Production");
    assert_eq!(updated["purpose"], "staging");
    assert_eq!(updated["description"], "");
    assert_eq!(updated["created_at_ms"], prod["created_at_ms"]);
    assert!(updated["updated_at_ms"].as_i64() >= prod["updated_at_ms"].as_i64());
    assert_eq!(ENVIRONMENTS.list(&mut owner).await[1], updated);

    let answer = owner.call("delete_environment", &[("id", &id)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body, Value::Null);
    let names: Vec<Value> = ENVIRONMENTS
        .list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("dev")]);

    // Deleting again: it is gone.
    let again = owner.call("delete_environment", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.body, json!("NotFound"));

    let dev_id = id_of(&ENVIRONMENTS.list(&mut owner).await[0]);
    let mut expected = vec![
        (
            "environment.created".to_owned(),
            "environment".to_owned(),
            id.clone(),
            "Production EU".to_owned(),
        ),
        (
            "environment.created".to_owned(),
            "environment".to_owned(),
            dev_id,
            "dev".to_owned(),
        ),
        (
            "environment.updated".to_owned(),
            "environment".to_owned(),
            id.clone(),
            "Production".to_owned(),
        ),
        (
            "environment.deleted".to_owned(),
            "environment".to_owned(),
            id,
            "Production".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(ENVIRONMENTS.event_details(&server).await, expected);
    let log = owner.call("list_audit_events", &[]).await;
    let first = &log.body[0];
    assert_eq!(first["actor_label"], "Olive Owner (owner@example.com)");
    assert_eq!(first["client_addr"], "127.0.0.1");
}

#[tokio::test]
async fn invalid_input_is_refused_field_by_field() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let long_name = "n".repeat(65);
    let long_description = "d".repeat(501);
    let cases: [(&str, &str, &str, &str); 9] = [
        ("", "production", "", "name"),
        ("   ", "production", "", "name"),
        (&long_name, "production", "", "name"),
        ("tab\there", "production", "", "name"),
        ("new\nline", "production", "", "name"),
        ("Prod", "prod", "", "purpose"),
        ("Prod", "", "", "purpose"),
        ("Prod", "production", &long_description, "description"),
        ("Prod", "production", "bell\u{7}", "description"),
    ];
    for (name, purpose, description, field) in cases {
        let answer = owner
            .call(
                "create_environment",
                &[
                    ("name", name),
                    ("purpose", purpose),
                    ("description", description),
                ],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?} {purpose:?}: {}",
            answer.body
        );
        assert_eq!(field_errors(&answer, field).len(), 1, "{}", answer.body);
    }
    // All problems at once.
    let answer = owner
        .call(
            "create_environment",
            &[
                ("name", ""),
                ("purpose", "qa"),
                ("description", &long_description),
            ],
        )
        .await;
    for field in ["name", "purpose", "description"] {
        field_errors(&answer, field);
    }
    assert_eq!(field_errors(&answer, "name")[0], "Name is required.");
    // A missing argument is refused as a malformed request, with the status that says so
    // (the framework answers 500 itself; `rpc_status` corrects it).
    let answer = owner.call("create_environment", &[("name", "Prod")]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    field_errors(&answer, "request");
    assert_eq!(ENVIRONMENTS.count(&server).await, 0);

    // Updates obey the same rules and leave the row alone.
    let prod = created(&mut owner, "Prod", "production").await;
    let id = id_of(&prod);
    let answer = owner
        .call(
            "update_environment",
            &[
                ("id", &id),
                ("name", &long_name),
                ("purpose", "nightly"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    field_errors(&answer, "name");
    field_errors(&answer, "purpose");
    assert_eq!(ENVIRONMENTS.list(&mut owner).await, [prod]);
    assert_eq!(ENVIRONMENTS.event_details(&server).await.len(), 1);
}

#[tokio::test]
async fn html_and_unicode_are_stored_and_returned_as_text() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let name = "<script>alert(1)</script> Ünïcødé 🚀";
    let description = "<img src=x onerror=alert(1)> & \"quotes\" — 日本語";
    let answer = owner
        .call(
            "create_environment",
            &[
                ("name", name),
                ("purpose", "testing"),
                ("description", description),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["name"], name);
    assert_eq!(answer.body["description"], description);
    let listed = ENVIRONMENTS.list(&mut owner).await;
    assert_eq!(listed[0]["name"], name);
    assert_eq!(listed[0]["description"], description);
    // 64 characters is the limit, whatever their byte length.
    created(&mut owner, &"é".repeat(64), "testing").await;
}

/// The race path itself: when the early check is passed and the unique index refuses the
/// write, the error is recognised as a name conflict on this engine.
#[tokio::test]
async fn the_unique_name_index_violation_is_recognised() {
    use app::environments::repo::{self, NewEnvironmentRow};
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let pool = server.state.db.pool();
    let insert = |id: &'static str, public_id: &'static str| NewEnvironmentRow {
        id,
        workspace_id: &workspace_id,
        public_id,
        name: "Race",
        name_key: "race",
        purpose: "staging",
        description: "",
        now: 1,
    };
    let mut conn = pool.acquire().await.unwrap();
    repo::insert(&mut conn, &insert("a", "env_a"))
        .await
        .unwrap();
    let error = repo::insert(&mut conn, &insert("b", "env_b"))
        .await
        .unwrap_err();
    assert_eq!(
        app::db::name_taken_or_internal(error, "environments", "environment"),
        app::AppError::name_taken("environment")
    );
    let other = NewEnvironmentRow {
        name_key: "other",
        ..insert("c", "env_a")
    };
    let error = repo::insert(&mut conn, &other).await.unwrap_err();
    assert_eq!(
        app::db::name_taken_or_internal(error, "environments", "environment"),
        app::AppError::Internal,
        "a public id clash is not a name clash"
    );
}

#[tokio::test]
async fn deleting_an_environment_or_agent_revokes_the_tokens_scoped_to_it() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let staging = id_of(&created(&mut owner, "Staging", "staging").await);
    let agent = owner
        .call(
            "install_agent",
            &[
                ("name", "Support bot"),
                ("version", "1.0.0"),
                ("config", "{}"),
            ],
        )
        .await;
    let agent_id = agent.body["id"].as_str().unwrap().to_owned();
    let env_token = owner
        .call(
            "create_token",
            &[
                ("name", "env"),
                ("scope_kind", "environment"),
                ("environment_id", &staging),
            ],
        )
        .await;
    assert_eq!(env_token.status, StatusCode::OK, "{}", env_token.body);
    let deploy_token = owner
        .call(
            "create_token",
            &[
                ("name", "deploy"),
                ("scope_kind", "deployment"),
                ("environment_id", &staging),
                ("agent_id", &agent_id),
            ],
        )
        .await;
    assert_eq!(deploy_token.status, StatusCode::OK, "{}", deploy_token.body);
    let account_token = owner.call("create_token", &[("name", "account")]).await;
    let plaintext =
        |answer: &crate::common::RpcAnswer| answer.body["plaintext"].as_str().unwrap().to_owned();
    let authenticate = |token: String| {
        let server = &server;
        async move { crate::common::authenticate(server, &token).await }
    };
    assert!(authenticate(plaintext(&deploy_token)).await.is_ok());

    let deleted = owner.call("delete_environment", &[("id", &staging)]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(
        authenticate(plaintext(&env_token)).await.is_err(),
        "environment token refused"
    );
    assert!(
        authenticate(plaintext(&deploy_token)).await.is_err(),
        "deployment token refused"
    );
    assert!(
        authenticate(plaintext(&account_token)).await.is_ok(),
        "account token untouched"
    );
    let statuses: Vec<(String, String)> =
        sqlx::query_as("SELECT name, status FROM tokens ORDER BY name")
            .fetch_all(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [
            ("account".into(), "active".into()),
            ("deploy".into(), "revoked".into()),
            ("env".into(), "revoked".into())
        ]
    );
    let (revocations,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'token.revoked'")
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(revocations, 2, "each revocation is audited");
}
