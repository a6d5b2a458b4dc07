//! Token management over the REST API with an account token: the same service as the server
//! functions, audited with the calling token as actor, errors as problem+json.

use crate::common::{create_token, other_workspace_owner, set_up_owner, Api, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn problem_type(body: &Value) -> &str {
    body["type"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_account_token_manages_tokens_through_their_whole_life() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (admin_id, admin) = create_token(&mut owner, &[("name", "admin")]).await;
    let api = Api::new(&server, &admin);

    // Create: 201, the full token once, not to be cached.
    let created = api
        .post(
            "/api/tokens",
            json!({"name": "deploy bot", "expires_at_ms": null}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let id = created.body["token"]["id"].as_str().unwrap().to_owned();
    let plaintext = created.body["plaintext"].as_str().unwrap().to_owned();
    assert_eq!(created.body["token"]["status"], "active");
    assert_eq!(created.body["token"]["scope"], json!({"kind": "account"}));
    assert_eq!(
        created.body["token"]["created_by"],
        "API token \u{201c}admin\u{201d}"
    );
    assert_eq!(
        Api::new(&server, &plaintext)
            .get("/api/tokens/self")
            .await
            .status,
        StatusCode::OK
    );

    // List (with the UI's filters) and get.
    let page = api.get("/api/tokens?search=BOT&sort=name_asc").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["total"], 1);
    assert_eq!(page.body["items"][0]["id"], id.as_str());
    let all = api.get("/api/tokens?status=active&limit=1").await;
    assert_eq!(
        (all.body["total"].clone(), all.body["limit"].clone()),
        (json!(2), json!(1))
    );
    let shown = api.get(&format!("/api/tokens/{id}")).await;
    assert_eq!(shown.body["name"], "deploy bot");
    let bad_filter = api.get("/api/tokens?status=sleeping").await;
    assert_eq!(bad_filter.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        problem_type(&bad_filter.body),
        "https://tessera.dev/problems/invalid-query"
    );

    // Suspend, activate, regenerate with grace, revoke, delete.
    let suspended = api
        .post(&format!("/api/tokens/{id}/suspend"), json!({}))
        .await;
    assert_eq!(suspended.body["status"], "suspended", "{}", suspended.body);
    let again = api
        .post(&format!("/api/tokens/{id}/suspend"), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        problem_type(&again.body),
        "https://tessera.dev/problems/conflict"
    );
    assert!(again.body["detail"].as_str().unwrap().len() > 10);
    let activated = api
        .post(&format!("/api/tokens/{id}/activate"), json!(null))
        .await;
    assert_eq!(activated.body["status"], "active", "{}", activated.body);
    let regenerated = api
        .post(
            &format!("/api/tokens/{id}/regenerate"),
            json!({"grace": "one_hour"}),
        )
        .await;
    assert_eq!(regenerated.status, StatusCode::OK, "{}", regenerated.body);
    assert_eq!(regenerated.header("cache-control"), Some("no-store"));
    let renewed = regenerated.body["plaintext"].as_str().unwrap().to_owned();
    assert_ne!(renewed, plaintext);
    for value in [&plaintext, &renewed] {
        assert_eq!(
            Api::new(&server, value)
                .get("/api/tokens/self")
                .await
                .status,
            StatusCode::OK
        );
    }
    let bare_regenerate = server
        .client
        .post(server.url(&format!("/api/tokens/{id}/regenerate")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        bare_regenerate.status(),
        StatusCode::OK,
        "no body means no grace"
    );
    let early_delete = api.delete(&format!("/api/tokens/{id}")).await;
    assert_eq!(early_delete.status, StatusCode::CONFLICT);
    let revoked = api
        .post(&format!("/api/tokens/{id}/revoke"), json!({}))
        .await;
    assert_eq!(revoked.body["status"], "revoked");
    let deleted = api.delete(&format!("/api/tokens/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let missing = api.get(&format!("/api/tokens/{id}")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.header("content-type"),
        Some("application/problem+json")
    );

    // Audited, with the calling token as the actor.
    let events: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT action, actor_kind, actor_id, actor_label FROM audit_events \
         WHERE target_id = $1 ORDER BY occurred_at, id",
    )
    .bind(&id)
    .fetch_all(server.state.db.pool())
    .await
    .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "token.created",
            "token.suspended",
            "token.activated",
            "token.regenerated",
            "token.regenerated",
            "token.revoked",
            "token.deleted"
        ]
    );
    for (_, kind, actor_id, label) in &events {
        assert_eq!(
            (kind.as_str(), actor_id.as_str()),
            ("token", admin_id.as_str())
        );
        assert_eq!(label, "API token \u{201c}admin\u{201d}");
    }
}

#[tokio::test]
async fn environment_and_deployment_tokens_are_made_through_the_api() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, admin) = create_token(&mut owner, &[("name", "admin")]).await;
    let api = Api::new(&server, &admin);
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
    let env_id = environment.body["id"].as_str().unwrap().to_owned();
    let agent = owner
        .call("install_agent", &[("name", "Bot"), ("version", "1.0.0")])
        .await;
    let agent_id = agent.body["id"].as_str().unwrap().to_owned();

    let env_token = api
        .post(
            "/api/tokens",
            json!({"name": "prod", "scope": {"kind": "environment", "environment_id": env_id}}),
        )
        .await;
    assert_eq!(env_token.status, StatusCode::CREATED, "{}", env_token.body);
    assert_eq!(env_token.body["token"]["scope_label"], "Environment (Prod)");
    let deployment = api
        .post(
            "/api/tokens",
            json!({"name": "bot", "scope": {"kind": "deployment", "environment_id": env_id, "agent_id": agent_id}}),
        )
        .await;
    assert_eq!(
        deployment.status,
        StatusCode::CREATED,
        "{}",
        deployment.body
    );
    let filtered = api.get("/api/tokens?scope_kind=environment").await;
    assert_eq!(filtered.body["total"], 1);

    // Bad input is refused field by field; ids of other workspaces do not exist.
    let other = other_workspace_owner(&server, "eve@example.com").await;
    drop(other);
    let invalid = api
        .post(
            "/api/tokens",
            json!({"name": "  ", "scope": {"kind": "environment", "environment_id": "nope"}, "expires_at_ms": 1}),
        )
        .await;
    assert_eq!(
        invalid.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        invalid.body
    );
    assert_eq!(
        problem_type(&invalid.body),
        "https://tessera.dev/problems/validation"
    );
    for field in ["name", "environment_id", "expires_at_ms"] {
        assert!(
            invalid.body["errors"][field].is_array(),
            "{field}: {}",
            invalid.body
        );
    }
    let shapeless = api.post("/api/tokens", json!({"title": "x"})).await;
    assert_eq!(shapeless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_type(&shapeless.body),
        "https://tessera.dev/problems/invalid-body"
    );
    let not_json = server
        .client
        .post(server.url("/api/tokens"))
        .bearer_auth(&admin)
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn other_workspaces_tokens_are_not_found() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, admin) = create_token(&mut owner, &[("name", "admin")]).await;
    let mut stranger = other_workspace_owner(&server, "eve@example.com").await;
    let (foreign_id, _) = create_token(&mut stranger, &[("name", "theirs")]).await;
    let api = Api::new(&server, &admin);
    for answer in [
        api.get(&format!("/api/tokens/{foreign_id}")).await,
        api.post(&format!("/api/tokens/{foreign_id}/revoke"), json!({}))
            .await,
        api.post(&format!("/api/tokens/{foreign_id}/suspend"), json!({}))
            .await,
        api.post(&format!("/api/tokens/{foreign_id}/regenerate"), json!({}))
            .await,
        api.delete(&format!("/api/tokens/{foreign_id}")).await,
    ] {
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
        assert_eq!(
            problem_type(&answer.body),
            "https://tessera.dev/problems/not-found"
        );
    }
    let narrowed = api
        .patch(
            &format!("/api/tokens/{foreign_id}"),
            json!({"permissions": {}}),
        )
        .await;
    assert_eq!(narrowed.status, StatusCode::NOT_FOUND);

    // Another workspace's real environment and agent are refused exactly like made-up ids.
    let environment = stranger
        .call(
            "create_environment",
            &[
                ("name", "Theirs"),
                ("purpose", "production"),
                ("description", ""),
            ],
        )
        .await;
    let foreign_environment = environment.body["id"].as_str().unwrap().to_owned();
    let agent = stranger
        .call("install_agent", &[("name", "Their bot"), ("version", "1")])
        .await;
    let foreign_agent = agent.body["id"].as_str().unwrap().to_owned();
    for (scope, field) in [
        (
            json!({"kind": "environment", "environment_id": foreign_environment}),
            "environment_id",
        ),
        (
            json!({"kind": "environment", "environment_id": "nope"}),
            "environment_id",
        ),
        (
            json!({"kind": "deployment", "environment_id": foreign_environment, "agent_id": foreign_agent}),
            "agent_id",
        ),
    ] {
        let answer = api
            .post("/api/tokens", json!({"name": "sneaky", "scope": scope}))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
        assert_eq!(
            answer.body["errors"][field][0],
            if field == "agent_id" {
                "There is no such agent in this workspace."
            } else {
                "There is no such environment in this workspace."
            }
        );
    }
    let foreign_agent_path = format!("/api/agent-base/{foreign_agent}");
    assert_eq!(
        api.get(&foreign_agent_path).await.status,
        StatusCode::NOT_FOUND
    );

    let listed = api.get("/api/tokens").await;
    assert_eq!(listed.body["total"], 1, "only our own");
    let theirs = stranger.call("get_token", &[("id", &foreign_id)]).await;
    assert_eq!(theirs.body["status"], "active");
}

#[tokio::test]
async fn oversized_bodies_and_unknown_routes_are_problems() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, admin) = create_token(&mut owner, &[("name", "admin")]).await;
    let huge = "x".repeat(tessera::MAX_BODY_BYTES + 1);
    let answer = crate::common::answer(
        server
            .client
            .post(server.url("/api/tokens"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(format!(r#"{{"name":"{huge}"}}"#))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        answer.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        problem_type(&answer.body),
        "https://tessera.dev/problems/payload-too-large"
    );

    let unknown = Api::new(&server, &admin).get("/api/nothing-here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.header("content-type"),
        Some("application/problem+json")
    );

    let ping = crate::common::answer(
        server
            .client
            .get(server.url("/api/ping"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (ping.status, ping.body),
        (StatusCode::OK, json!({"status": "ok"}))
    );
}
