//! Integrations over real HTTP (SPEC §4.3): secrets are write-only — never in an answer,
//! never in the database in plaintext — open only where they were sealed, survive a key
//! rotation, and go out only through the egress guard. Each scope × permission cell of §4.2.

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use axum::routing::get;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{create_token, Api, TestServer};
use crate::storage::admin;

const API_KEY: &str = "sk-live-very-secret-4242";
const HEADER_SECRET: &str = "hdr-secret-7777";

/// A small outside service on 127.0.0.1: `/models` answers 200 and records the
/// `Authorization` header it got; `/redirect?to=URL` redirects.
struct Outside {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn outside() -> Outside {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let recorded = seen.clone();
    let app = axum::Router::new()
        .route(
            "/models",
            get(move |headers: HeaderMap| {
                let recorded = recorded.clone();
                async move {
                    for name in ["authorization", "x-api-key"] {
                        if let Some(value) = headers.get(name) {
                            recorded
                                .lock()
                                .unwrap()
                                .push(format!("{name}: {}", value.to_str().unwrap()));
                        }
                    }
                    axum::Json(json!({"data": [{"id": "model-1"}]}))
                }
            }),
        )
        .route(
            "/redirect",
            get(
                |axum::extract::Query(to): axum::extract::Query<
                    std::collections::HashMap<String, String>,
                >| async move { axum::response::Redirect::temporary(&to["to"]) },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Outside { url, seen }
}

fn allowing_loopback(config: &mut tessera::config::Config) {
    config.egress_allow = "127.0.0.1".parse().unwrap();
}

async fn create_llm(api: &Api<'_>, name: &str, base_url: &str) -> Value {
    let created = api
        .post(
            "/api/integrations-base",
            json!({"name": name, "kind": "llm",
                   "settings": {"base_url": base_url, "model": "model-1"},
                   "secrets": {"api_key": API_KEY}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body
}

async fn check(api: &Api<'_>, id: &str, path: &str) -> Value {
    let answer = api
        .post(
            &format!("/api/integrations-base/{id}/test"),
            json!({"path": path}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// Every text value in every column of every table, for scanning.
async fn every_stored_text(server: &TestServer) -> Vec<String> {
    let pool = server.state.db.pool();
    let columns: Vec<(String, String)> = match server.database.engine {
        app::db::Engine::Sqlite => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'kb_chunks_fts%' AND name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            let mut columns = Vec::new();
            for (table,) in tables {
                let names: Vec<(String,)> =
                    sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')"))
                        .fetch_all(pool)
                        .await
                        .unwrap();
                columns.extend(names.into_iter().map(|(column,)| (table.clone(), column)));
            }
            columns
        }
        app::db::Engine::Postgres => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    let mut texts = Vec::new();
    for (table, column) in columns {
        let values: Vec<(Option<String>,)> = sqlx::query_as(&format!(
            "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\""
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        texts.extend(values.into_iter().filter_map(|(value,)| value));
    }
    texts
}

#[tokio::test]
async fn secrets_are_write_only_and_never_stored_in_plaintext() {
    let server = TestServer::start_with(allowing_loopback).await;
    let service = outside().await;
    let (api, _) = admin(&server).await;
    let llm = create_llm(&api, "Model", &service.url).await;
    let http = api
        .post(
            "/api/integrations-base",
            json!({"name": "Service", "kind": "http",
                   "settings": {"base_url": service.url, "headers": {"Accept": "application/json"}},
                   "secrets": {"X-Api-Key": HEADER_SECRET}}),
        )
        .await;
    assert_eq!(http.status, StatusCode::CREATED, "{}", http.body);
    assert_eq!(llm["secrets"]["api_key"]["set"], true);
    assert_eq!(http.body["secrets"]["x-api-key"]["set"], true);
    assert_eq!(
        http.body["settings"]["headers"]["accept"],
        "application/json"
    );

    let llm_id = llm["id"].as_str().unwrap();
    let http_id = http.body["id"].as_str().unwrap();
    let mut answers = vec![llm.to_string(), http.body.to_string()];
    for path in [
        "/api/integrations-base".to_owned(),
        format!("/api/integrations-base/{llm_id}"),
        format!("/api/integrations-base/{http_id}"),
    ] {
        answers.push(api.get(&path).await.body.to_string());
    }
    for secret in [API_KEY, HEADER_SECRET] {
        assert!(
            answers.iter().all(|a| !a.contains(secret)),
            "{secret} in an answer"
        );
        let stored = every_stored_text(&server).await;
        assert!(!stored.is_empty());
        assert!(
            stored.iter().all(|text| !text.contains(secret)),
            "{secret} stored in plaintext"
        );
    }

    // The secrets are used where they belong: on the request to the service.
    assert_eq!(check(&api, llm_id, "").await["ok"], true);
    assert_eq!(check(&api, http_id, "/models").await["ok"], true);
    let seen = service.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            format!("authorization: Bearer {API_KEY}"),
            format!("x-api-key: {HEADER_SECRET}")
        ]
    );
}

#[tokio::test]
async fn an_update_keeps_omitted_secrets_replaces_given_ones_and_clears_nulls() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let created = create_llm(&api, "Model", "https://llm.example/v1").await;
    let id = created["id"].as_str().unwrap();
    let body = |secrets: Value| {
        json!({"name": "Model 2", "kind": "llm",
               "settings": {"base_url": "https://llm.example/v2", "model": "m"},
               "secrets": secrets})
    };
    let kept = api
        .put(&format!("/api/integrations-base/{id}"), body(json!({})))
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert_eq!(
        kept.body["secrets"], created["secrets"],
        "omitted: kept as it was"
    );
    assert_eq!(kept.body["settings"]["base_url"], "https://llm.example/v2");

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let replaced = api
        .put(
            &format!("/api/integrations-base/{id}"),
            body(json!({"api_key": "new"})),
        )
        .await;
    assert!(
        replaced.body["secrets"]["api_key"]["updated_at_ms"].as_i64()
            > created["secrets"]["api_key"]["updated_at_ms"].as_i64()
    );
    let cleared = api
        .put(
            &format!("/api/integrations-base/{id}"),
            body(json!({"api_key": null})),
        )
        .await;
    assert_eq!(cleared.body["secrets"], json!({}));

    let kind = api
        .put(
            &format!("/api/integrations-base/{id}"),
            json!({"name": "Model", "kind": "http", "settings": {"base_url": "https://x.example"}}),
        )
        .await;
    assert_eq!(kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kind.body["errors"]["kind"].is_array(), "{}", kind.body);
    let bad = api
        .post(
            "/api/integrations-base",
            json!({"name": "Bad", "kind": "http",
                   "settings": {"base_url": "https://user:pw@x.example", "headers": {"Host": "x"}},
                   "secrets": {"Bad Header": "v"}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "settings.base_url",
        "settings.headers.Host",
        "secrets.Bad Header",
    ] {
        assert!(
            bad.body["errors"][field].is_array(),
            "{field}: {}",
            bad.body
        );
    }
    let duplicate = api
        .post(
            "/api/integrations-base",
            json!({"name": "MODEL 2", "kind": "llm", "settings": {"base_url": "https://x.example", "model": "m"}}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_ciphertext_moved_elsewhere_does_not_open_and_says_so() {
    let server = TestServer::start_with(allowing_loopback).await;
    let service = outside().await;
    let (api, _) = admin(&server).await;
    let a = create_llm(&api, "A", &service.url).await;
    let b = create_llm(&api, "B", &service.url).await;
    // B's sealed key replaced by A's: the same server key, another integration.
    sqlx::query(
        "UPDATE integration_secrets SET sealed = \
         (SELECT sealed FROM integration_secrets WHERE integration_id = $1) \
         WHERE integration_id = $2",
    )
    .bind(a["id"].as_str().unwrap())
    .bind(b["id"].as_str().unwrap())
    .execute(server.state.db.pool())
    .await
    .unwrap();
    let checked = check(&api, b["id"].as_str().unwrap(), "").await;
    assert_eq!(checked["ok"], false);
    assert!(
        checked["message"]
            .as_str()
            .unwrap()
            .contains("cannot be read"),
        "{checked}"
    );
    assert!(service.seen.lock().unwrap().is_empty(), "nothing was sent");
    assert_eq!(check(&api, a["id"].as_str().unwrap(), "").await["ok"], true);
}

#[tokio::test]
async fn a_rotated_server_key_still_opens_old_secrets_and_reseals_them() {
    let old_key = app::crypto::SecretKey::new(vec![1; 32]);
    let new_key = app::crypto::SecretKey::new(vec![2; 32]);
    let service = outside().await;
    let first = TestServer::start_with(|config| {
        allowing_loopback(config);
        config.secret_key = Some(old_key.clone());
    })
    .await;
    let (api, _) = admin(&first).await;
    let created = create_llm(&api, "Model", &service.url).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let sealed_before: (String,) = sqlx::query_as("SELECT sealed FROM integration_secrets")
        .fetch_one(first.state.db.pool())
        .await
        .unwrap();

    // Restarted with a new key and the old one as previous: resealed at start.
    let rotated = TestServer::start_sharing_with(&first, |config| {
        allowing_loopback(config);
        config.secret_key = Some(new_key.clone());
        config.previous_secret_key = Some(old_key.clone());
    })
    .await;
    let sealed_after: (String,) = sqlx::query_as("SELECT sealed FROM integration_secrets")
        .fetch_one(rotated.state.db.pool())
        .await
        .unwrap();
    assert_ne!(sealed_before.0, sealed_after.0);
    assert_ne!(
        sealed_before.0.split('.').nth(1),
        sealed_after.0.split('.').nth(1),
        "another key id"
    );

    // And the new key alone opens it.
    let later = TestServer::start_sharing_with(&first, |config| {
        allowing_loopback(config);
        config.secret_key = Some(new_key.clone());
    })
    .await;
    // The server key also peppers token and password hashes, so the old token no longer
    // authenticates here: ask the service directly, as the workspace's owner.
    let (workspace_id, user_id): (String, String) =
        sqlx::query_as("SELECT workspace_id, user_id FROM memberships")
            .fetch_one(later.state.db.pool())
            .await
            .unwrap();
    let owner = app::access::Principal::user(
        workspace_id,
        user_id,
        app::auth::model::Role::Owner,
        ("Owner", "owner@example.com"),
        None,
    );
    let checked = app::integrations::service::check_connection(
        &later.state,
        &owner,
        &id,
        &Default::default(),
    )
    .await
    .unwrap();
    assert!(checked.ok, "{checked:?}");
    assert_eq!(
        service.seen.lock().unwrap().last().cloned(),
        Some(format!("authorization: Bearer {API_KEY}"))
    );
}

#[tokio::test]
async fn the_egress_guard_refuses_private_addresses_unless_allowed() {
    let service = outside().await;
    let guarded = TestServer::start().await;
    let (api, _) = admin(&guarded).await;
    let port = service.url.rsplit(':').next().unwrap().to_owned();
    for base in [
        service.url.clone(),
        format!("http://localhost:{port}"),
        "http://169.254.169.254".to_owned(),
        "http://10.0.0.1".to_owned(),
        "http://[::1]:9".to_owned(),
    ] {
        let created = create_llm(&api, &format!("to {base}"), &base).await;
        let checked = check(&api, created["id"].as_str().unwrap(), "").await;
        assert_eq!(checked["ok"], false, "{base}: {checked}");
        assert!(
            checked["message"]
                .as_str()
                .unwrap()
                .contains("not a public address"),
            "{base}: {checked}"
        );
    }
    assert!(service.seen.lock().unwrap().is_empty());

    // Allowed, the service is reached; a redirect from it to a private address is not.
    let allowed = TestServer::start_with(allowing_loopback).await;
    let (api, _) = admin(&allowed).await;
    let http = api
        .post(
            "/api/integrations-base",
            json!({"name": "Service", "kind": "http", "settings": {"base_url": service.url}}),
        )
        .await;
    let id = http.body["id"].as_str().unwrap();
    assert_eq!(check(&api, id, "/models").await["ok"], true);
    let redirected = check(&api, id, "/redirect?to=http://10.0.0.1/").await;
    assert_eq!(redirected["ok"], false, "{redirected}");
    assert!(redirected["message"]
        .as_str()
        .unwrap()
        .contains("not a public address"));
    let off_host = api
        .post(
            &format!("/api/integrations-base/{id}/test"),
            json!({"path": "@evil.example/"}),
        )
        .await;
    assert_eq!(off_host.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn every_scope_and_level_gets_the_tables_answer_for_integrations() {
    let server = TestServer::start().await;
    let mut owner = crate::common::set_up_owner(&server).await;
    let (_, admin_token) = create_token(&mut owner, &[("name", "admin")]).await;
    let admin_api = Api::new(&server, &admin_token);
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
    let environment_id = environment.body["id"].as_str().unwrap().to_owned();
    let agent = admin_api
        .post("/api/agent-base", json!({"name": "Agent", "version": "1"}))
        .await;
    let agent_id = agent.body["id"].as_str().unwrap().to_owned();
    let existing = create_llm(&admin_api, "Existing", "https://llm.example").await;
    let existing_id = existing["id"].as_str().unwrap();
    for (scope_name, scope) in [
        ("account", json!({"kind": "account"})),
        (
            "environment",
            json!({"kind": "environment", "environment_id": environment_id}),
        ),
        (
            "deployment",
            json!({"kind": "deployment", "environment_id": environment_id, "agent_id": agent_id}),
        ),
    ] {
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with integrations:{level}");
            let created = admin_api
                .post(
                    "/api/tokens",
                    json!({"name": case, "scope": scope, "permissions": {"integrations": level}}),
                )
                .await;
            assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
            let api = Api::new(&server, created.body["plaintext"].as_str().unwrap());
            let reads = [
                api.get("/api/integrations-base").await,
                api.get(&format!("/api/integrations-base/{existing_id}"))
                    .await,
            ];
            let may_read = level != "none" && scope_name != "deployment";
            for answer in &reads {
                if may_read {
                    assert_eq!(answer.status, StatusCode::OK, "{case}: {}", answer.body);
                } else {
                    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{case}");
                    assert_eq!(answer.body["required"], "integrations:read", "{case}");
                }
            }
            let create = api
                .post(
                    "/api/integrations-base",
                    json!({"name": format!("by {case}"), "kind": "http",
                           "settings": {"base_url": "https://x.example"}}),
                )
                .await;
            if scope_name == "account" && level == "write" {
                assert_eq!(create.status, StatusCode::CREATED, "{case}");
            } else {
                let delete = api
                    .delete(&format!("/api/integrations-base/{existing_id}"))
                    .await;
                for answer in [&create, &delete] {
                    assert_eq!(
                        answer.status,
                        StatusCode::FORBIDDEN,
                        "{case}: {}",
                        answer.body
                    );
                    assert_eq!(answer.body["required"], "integrations:write", "{case}");
                }
            }
        }
    }
    let still = admin_api
        .get(&format!("/api/integrations-base/{existing_id}"))
        .await;
    assert_eq!(still.status, StatusCode::OK, "refusals changed nothing");
}

#[tokio::test]
async fn the_settings_tabs_server_functions_never_answer_a_secret() {
    let server = TestServer::start().await;
    let mut owner = crate::common::set_up_owner(&server).await;
    let cookie = owner.cookie.clone().unwrap();
    let saved = server
        .client
        .post(server.url("/rpc/save_integration"))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &cookie)
        .json(&json!({"id": null, "request": {
            "name": "Model", "kind": "llm",
            "settings": {"base_url": "https://llm.example", "model": "m"},
            "secrets": {"api_key": API_KEY}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["secrets"]["api_key"]["set"], true);
    let listed = owner.call("list_integrations", &[]).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body[0]["name"], "Model");
    for answer in [saved.to_string(), listed.body.to_string()] {
        assert!(!answer.contains(API_KEY), "{answer}");
    }
    // Through the session door the guard applies too.
    let id = saved["id"].as_str().unwrap();
    let checked = owner
        .call("test_integration", &[("id", id), ("path", "")])
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(checked.body["ok"], false);
}
