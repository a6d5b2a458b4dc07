//! Environments over real HTTP: every server function, its refusals, and the audit trail.

use crate::common::{
    add_user, other_workspace_owner, set_up_owner, workspace_of, Browser, TestServer,
};
use app::auth::model::Role;
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

fn id_of(view: &Value) -> String {
    view["id"].as_str().expect("an id").to_owned()
}

async fn list(browser: &mut Browser<'_>) -> Vec<Value> {
    let answer = browser.call("list_environments", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body.as_array().expect("a list").clone()
}

async fn environment_count(server: &TestServer) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM environments")
        .fetch_one(server.state.db.pool())
        .await
        .expect("a row count");
    count
}

/// `(action, target_kind, target_id, target_label)` of every environment event, any order.
async fn environment_events(server: &TestServer) -> Vec<(String, String, String, String)> {
    let mut events: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT action, target_kind, target_id, target_label FROM audit_events \
         WHERE action LIKE 'environment.%'",
    )
    .fetch_all(server.state.db.pool())
    .await
    .expect("the audit events");
    events.sort();
    events
}

fn field_errors<'a>(answer: &'a crate::common::RpcAnswer, field: &str) -> &'a Vec<Value> {
    answer.body["Validation"][field]
        .as_array()
        .unwrap_or_else(|| panic!("a validation error on {field}: {}", answer.body))
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
    let names: Vec<Value> = list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("dev"), json!("Production EU")]);
    assert_eq!(
        list(&mut owner).await[1],
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
    assert_eq!(list(&mut owner).await[1], updated);

    let answer = owner.call("delete_environment", &[("id", &id)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body, Value::Null);
    let names: Vec<Value> = list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("dev")]);

    // Deleting again: it is gone.
    let again = owner.call("delete_environment", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.body, json!("NotFound"));

    let dev_id = id_of(&list(&mut owner).await[0]);
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
    assert_eq!(environment_events(&server).await, expected);
    let log = owner.call("list_audit_events", &[]).await;
    let first = &log.body[0];
    assert_eq!(first["actor_label"], "Olive Owner (owner@example.com)");
    assert_eq!(first["client_addr"], "127.0.0.1");
}

#[tokio::test]
async fn admins_manage_environments_too() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
    let view = created(&mut admin, "Staging", "staging").await;
    let id = id_of(&view);
    let answer = admin
        .call(
            "update_environment",
            &[
                ("id", &id),
                ("name", "QA"),
                ("purpose", "testing"),
                ("description", "x"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        admin
            .call("delete_environment", &[("id", &id)])
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unauthenticated_calls_get_401_and_change_nothing() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let id = id_of(&created(&mut owner, "Prod", "production").await);
    let mut anonymous = Browser::new(&server);
    let calls: [(&str, Vec<(&str, &str)>); 4] = [
        ("list_environments", vec![]),
        (
            "create_environment",
            vec![("name", "X"), ("purpose", "staging")],
        ),
        (
            "update_environment",
            vec![
                ("id", &id),
                ("name", "X"),
                ("purpose", "staging"),
                ("description", ""),
            ],
        ),
        ("delete_environment", vec![("id", &id)]),
    ];
    for (function, form) in &calls {
        let answer = anonymous.call(function, form).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{function}");
        assert_eq!(answer.body, json!("Unauthorized"), "{function}");
    }
    anonymous.cookie = Some("tessera_session=forged".into());
    for (function, form) in &calls {
        let answer = anonymous.call(function, form).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{function}");
    }
    let names: Vec<Value> = list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("Prod")]);
    assert_eq!(environment_events(&server).await.len(), 1);
}

#[tokio::test]
async fn members_read_environments_but_cannot_change_them() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let prod = created(&mut owner, "Prod", "production").await;
    let id = id_of(&prod);
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;

    assert_eq!(list(&mut member).await, std::slice::from_ref(&prod));
    let refused = [
        member
            .call(
                "create_environment",
                &[("name", "New"), ("purpose", "staging")],
            )
            .await,
        member
            .call(
                "update_environment",
                &[
                    ("id", &id),
                    ("name", "Renamed"),
                    ("purpose", "staging"),
                    ("description", ""),
                ],
            )
            .await,
        member.call("delete_environment", &[("id", &id)]).await,
    ];
    for answer in refused {
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        assert_eq!(answer.body, json!("Forbidden"));
    }
    assert_eq!(list(&mut owner).await, [prod]);
    assert_eq!(environment_count(&server).await, 1);
    assert_eq!(
        environment_events(&server).await.len(),
        1,
        "only the owner's create"
    );
}

#[tokio::test]
async fn another_workspaces_environment_is_not_found_and_untouched() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let prod = created(&mut owner, "Prod", "production").await;
    let id = id_of(&prod);
    let mut stranger = other_workspace_owner(&server, "s@example.com").await;

    assert_eq!(list(&mut stranger).await, Vec::<Value>::new());
    let update = stranger
        .call(
            "update_environment",
            &[
                ("id", &id),
                ("name", "Mine now"),
                ("purpose", "staging"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(update.status, StatusCode::NOT_FOUND, "{}", update.body);
    assert_eq!(update.body, json!("NotFound"));
    let delete = stranger.call("delete_environment", &[("id", &id)]).await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(delete.body, json!("NotFound"));

    // Exactly the answer for an id that never existed.
    let missing = stranger
        .call(
            "delete_environment",
            &[("id", "0123456789abcdef0123456789abcdef")],
        )
        .await;
    assert_eq!((missing.status, missing.body), (delete.status, delete.body));

    assert_eq!(list(&mut owner).await, [prod]);
    assert_eq!(environment_events(&server).await.len(), 1);

    // Names are unique per workspace, not globally.
    let theirs = created(&mut stranger, "PROD", "production").await;
    assert_eq!(list(&mut stranger).await, [theirs]);
}

#[tokio::test]
async fn updating_or_deleting_a_missing_environment_is_not_found() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    created(&mut owner, "Prod", "production").await;
    for id in [
        "",
        "nope",
        "0123456789abcdef0123456789abcdef",
        "' OR 1=1 --",
    ] {
        let update = owner
            .call(
                "update_environment",
                &[
                    ("id", id),
                    ("name", "Other"),
                    ("purpose", "staging"),
                    ("description", ""),
                ],
            )
            .await;
        assert_eq!(
            update.status,
            StatusCode::NOT_FOUND,
            "{id:?}: {}",
            update.body
        );
        let delete = owner.call("delete_environment", &[("id", id)]).await;
        assert_eq!(delete.status, StatusCode::NOT_FOUND, "{id:?}");
    }
    let names: Vec<Value> = list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("Prod")]);
    assert_eq!(environment_events(&server).await.len(), 1);
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
    assert_eq!(environment_count(&server).await, 0);

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
    assert_eq!(list(&mut owner).await, [prod]);
    assert_eq!(environment_events(&server).await.len(), 1);
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
    let listed = list(&mut owner).await;
    assert_eq!(listed[0]["name"], name);
    assert_eq!(listed[0]["description"], description);
    // 64 characters is the limit, whatever their byte length.
    created(&mut owner, &"é".repeat(64), "testing").await;
}

#[tokio::test]
async fn names_are_unique_per_workspace_ignoring_case() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let prod = created(&mut owner, "Production", "production").await;
    let staging = created(&mut owner, "Staging", "staging").await;

    let duplicate = create(&mut owner, " PRODUCTION ", "staging").await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = field_errors(&duplicate, "name");
    assert!(
        messages[0]
            .as_str()
            .unwrap()
            .contains("already has this name"),
        "{messages:?}"
    );
    let unicode = created(&mut owner, "ÉTÉ", "testing").await;
    let duplicate = create(&mut owner, "été", "testing").await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    field_errors(&duplicate, "name");

    // Renaming onto another environment's name is refused too.
    let answer = owner
        .call(
            "update_environment",
            &[
                ("id", &id_of(&staging)),
                ("name", "production"),
                ("purpose", "staging"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    field_errors(&answer, "name");
    // Changing the case of one's own name is fine.
    let answer = owner
        .call(
            "update_environment",
            &[
                ("id", &id_of(&prod)),
                ("name", "PRODUCTION"),
                ("purpose", "production"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["name"], "PRODUCTION");

    let names: Vec<Value> = list(&mut owner)
        .await
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("PRODUCTION"), json!("Staging"), json!("ÉTÉ")]);
    assert_eq!(unicode["name"], "ÉTÉ");
    assert_eq!(environment_count(&server).await, 3);
}

#[tokio::test]
async fn concurrent_creates_with_one_name_leave_exactly_one_environment() {
    let server = TestServer::start().await;
    let owner = set_up_owner(&server).await;
    let same_session = || Browser {
        server: &server,
        cookie: owner.cookie.clone(),
    };
    let (mut a, mut b, mut c, mut d) = (
        same_session(),
        same_session(),
        same_session(),
        same_session(),
    );
    let answers = tokio::join!(
        create(&mut a, "Race", "staging"),
        create(&mut b, "RACE", "staging"),
        create(&mut c, "race", "testing"),
        create(&mut d, "Race", "production"),
    );
    let answers = [answers.0, answers.1, answers.2, answers.3];
    let ok = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!(ok, 1, "exactly one wins");
    for answer in answers.iter().filter(|a| a.status != StatusCode::OK) {
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
        field_errors(answer, "name");
    }
    assert_eq!(environment_count(&server).await, 1);
    assert_eq!(environment_events(&server).await.len(), 1);
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
