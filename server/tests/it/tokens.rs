//! API tokens over real HTTP (server functions) and through the service (authentication,
//! scoped revocation), on SQLite or PostgreSQL as the test run chooses.

use crate::common::{
    add_user, authenticate, other_workspace_owner, set_up_owner, workspace_of, Browser, TestServer,
};
use app::access::{Actor, Permissions, Principal};
use app::auth::model::Role;
use app::bearer::AuthFailure;
use app::clock::{now_ms, DAY_MS, HOUR_MS};
use app::db::Engine;
use app::tokens::domain::{assemble_token, generate_token, parse_token};
use app::tokens::model::TokenStatus;
use app::tokens::service;
use reqwest::StatusCode;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Creates an account token and returns the whole answer (`token` and `plaintext`).
async fn create(browser: &mut Browser<'_>, name: &str) -> Value {
    let answer = browser.call("create_token", &[("name", name)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    // The one answer that carries the full token: no cache may keep it.
    assert_eq!(answer.cache_control.as_deref(), Some("no-store"));
    answer.body
}

fn id_of(created: &Value) -> String {
    created["token"]["id"]
        .as_str()
        .expect("a token id")
        .to_owned()
}

fn plaintext_of(created: &Value) -> String {
    created["plaintext"]
        .as_str()
        .expect("a plaintext")
        .to_owned()
}

async fn list(owner: &mut Browser<'_>, form: &[(&str, &str)]) -> Value {
    let answer = owner.call("list_tokens", form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

async fn create_with(owner: &mut Browser<'_>, form: &[(&str, &str)]) -> Value {
    let answer = owner.call("create_token", form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

async fn execute(server: &TestServer, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.execute(server.state.db.pool()).await.unwrap();
}

async fn set_time(server: &TestServer, column: &str, id: &str, at: i64) {
    sqlx::query(&format!("UPDATE tokens SET {column} = $1 WHERE id = $2"))
        .bind(at)
        .bind(id)
        .execute(server.state.db.pool())
        .await
        .unwrap();
    // Behind the services' back: drop what the REST API's cache knows, as they would.
    server.state.bearer.invalidate_all();
}

async fn stored_status(server: &TestServer, id: &str) -> Option<String> {
    sqlx::query_as::<_, (String,)>("SELECT status FROM tokens WHERE id = $1")
        .bind(id)
        .fetch_optional(server.state.db.pool())
        .await
        .unwrap()
        .map(|(status,)| status)
}

/// `(action, target_id, target_label, client_addr)` of every token event, oldest first.
async fn token_events(server: &TestServer) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT action, target_id, target_label, client_addr FROM audit_events \
         WHERE action LIKE 'token.%' ORDER BY occurred_at, id",
    )
    .fetch_all(server.state.db.pool())
    .await
    .unwrap()
}

async fn insert_environment(server: &TestServer, workspace_id: &str, name: &str) -> String {
    let id = app::clock::new_id();
    sqlx::query(
        "INSERT INTO environments (id, workspace_id, name, name_key, purpose, description, \
                                   public_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'production', '', $5, $6, $6)",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(name)
    .bind(name.to_lowercase())
    .bind(format!("env_{id}"))
    .bind(now_ms())
    .execute(server.state.db.pool())
    .await
    .unwrap();
    id
}

async fn insert_agent(server: &TestServer, workspace_id: &str, name: &str) -> String {
    let id = app::clock::new_id();
    sqlx::query(
        "INSERT INTO agents (id, workspace_id, name, name_key, description, version, config, \
                             created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '', '1.0.0', '{}', $5, $5)",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(name)
    .bind(name.to_lowercase())
    .bind(now_ms())
    .execute(server.state.db.pool())
    .await
    .unwrap();
    id
}

/// An owner acting outside any door, for driving a service directly.
fn owner_principal(workspace_id: &str) -> Principal {
    Principal::user(
        workspace_id.to_owned(),
        "test-owner".into(),
        Role::Owner,
        ("Test", "test@example.com"),
        None,
    )
}

/// Every column of every table, cast to text, that contains `needle`: `table.column` names.
async fn columns_containing(server: &TestServer, needle: &str) -> Vec<String> {
    let pool = server.state.db.pool();
    let columns: Vec<(String, String)> = match server.database.engine {
        Engine::Sqlite => {
            let tables: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let mut columns = Vec::new();
            for (table,) in tables {
                let names: Vec<(String,)> =
                    sqlx::query_as("SELECT name FROM pragma_table_info($1)")
                        .bind(&table)
                        .fetch_all(pool)
                        .await
                        .unwrap();
                columns.extend(names.into_iter().map(|(c,)| (table.clone(), c)));
            }
            columns
        }
        Engine::Postgres => sqlx::query_as(
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) \
             FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    assert!(
        columns
            .iter()
            .any(|(t, c)| t == "tokens" && c == "secret_hash"),
        "the scan sees the tokens table"
    );
    let mut found = Vec::new();
    for (table, column) in columns {
        let sql =
            format!("SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1");
        let (count,): (i64,) = sqlx::query_as(&sql)
            .bind(format!("%{needle}%"))
            .fetch_one(pool)
            .await
            .unwrap();
        if count > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------
// Create, get, list
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_shows_the_token_once_and_stores_only_its_hash() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "  CI deploy ").await;
    let plaintext = plaintext_of(&created);
    let parsed = parse_token(&plaintext).expect("a well-formed token");
    let token = &created["token"];
    assert_eq!(token["name"], "CI deploy");
    assert_eq!(token["prefix"], &plaintext[..8]);
    assert_eq!(token["status"], "active");
    assert_eq!(token["scope"], json!({"kind": "account"}));
    assert_eq!(token["scope_label"], "Account");
    assert_eq!(token["usage_count"], 0);
    assert_eq!(token["expires_at_ms"], Value::Null);
    assert_eq!(token["last_used_at_ms"], Value::Null);
    assert!(token["created_by"]
        .as_str()
        .unwrap()
        .contains("owner@example.com"));

    let id = id_of(&created);
    let got = owner.call("get_token", &[("id", &id)]).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        &got.body, token,
        "get shows what create showed, without the plaintext"
    );
    let listed = owner.call("list_tokens", &[]).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body["total"], 1);
    assert_eq!(&listed.body["items"][0], token);
    for body in [&got.body, &listed.body] {
        let text = body.to_string();
        assert!(!text.contains("argon2") && !text.contains("hash"), "{text}");
        assert!(!text.contains(parsed.secret.expose()));
    }

    let (key_id, hash): (String, String) =
        sqlx::query_as("SELECT key_id, secret_hash FROM tokens WHERE id = $1")
            .bind(&id)
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(key_id, parsed.key_id.as_str());
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );

    let events = token_events(&server).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "token.created");
    assert_eq!(events[0].1, id);
    assert_eq!(events[0].2, "CI deploy");
    assert_eq!(events[0].3.as_deref(), Some("127.0.0.1"));
}

#[tokio::test]
async fn create_validates_name_expiry_and_scope() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;

    let blank = owner.call("create_token", &[("name", "  ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank.body["Validation"]["name"].is_array(),
        "{}",
        blank.body
    );

    let past = (now_ms() - 1000).to_string();
    let expired = owner
        .call(
            "create_token",
            &[("name", "x\ny"), ("expires_at_ms", &past)],
        )
        .await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(expired.body["Validation"]["expires_at_ms"].is_array());
    assert!(expired.body["Validation"]["name"].is_array());

    create(&mut owner, "CI").await;
    for look_alike in [" ci ", "ＣＩ"] {
        let duplicate = owner.call("create_token", &[("name", look_alike)]).await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(duplicate.body["Validation"]["name"][0]
            .as_str()
            .unwrap()
            .contains("already has this name"));
    }
    let hidden = owner.call("create_token", &[("name", "C\u{200B}I")]).await;
    assert_eq!(hidden.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(hidden.body["Validation"]["name"][0]
        .as_str()
        .unwrap()
        .contains("invisible"));

    let future = (now_ms() + DAY_MS).to_string();
    let expiring = owner
        .call(
            "create_token",
            &[("name", "Nightly"), ("expires_at_ms", &future)],
        )
        .await;
    assert_eq!(expiring.status, StatusCode::OK);
    assert_eq!(
        expiring.body["token"]["expires_at_ms"],
        json!(future.parse::<i64>().unwrap())
    );

    // Scopes: an environment or agent of this workspace only.
    let production = insert_environment(&server, &workspace_id, "Production").await;
    let bot = insert_agent(&server, &workspace_id, "Support bot").await;
    let mut stranger = other_workspace_owner(&server, "other@example.com").await;
    let other_workspace = workspace_of(&mut stranger).await;
    let foreign_env = insert_environment(&server, &other_workspace, "Theirs").await;
    let foreign_agent = insert_agent(&server, &other_workspace, "Their bot").await;

    let environment = owner
        .call(
            "create_token",
            &[
                ("name", "Prod"),
                ("scope_kind", "environment"),
                ("environment_id", &production),
            ],
        )
        .await;
    assert_eq!(environment.status, StatusCode::OK, "{}", environment.body);
    assert_eq!(
        environment.body["token"]["scope"],
        json!({"kind": "environment", "environment_id": production})
    );
    assert_eq!(
        environment.body["token"]["scope_label"],
        "Environment (Production)"
    );

    let deployment = owner
        .call(
            "create_token",
            &[
                ("name", "Bot in prod"),
                ("scope_kind", "deployment"),
                ("environment_id", &production),
                ("agent_id", &bot),
            ],
        )
        .await;
    assert_eq!(deployment.status, StatusCode::OK, "{}", deployment.body);
    assert_eq!(
        deployment.body["token"]["scope_label"],
        "Agent deployment (Support bot · Production)"
    );

    for (environment_id, agent_id, field) in [
        (foreign_env.as_str(), bot.as_str(), "environment_id"),
        (production.as_str(), foreign_agent.as_str(), "agent_id"),
        ("no-such-environment", bot.as_str(), "environment_id"),
    ] {
        let refused = owner
            .call(
                "create_token",
                &[
                    ("name", "Sneaky"),
                    ("scope_kind", "deployment"),
                    ("environment_id", environment_id),
                    ("agent_id", agent_id),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body["Validation"][field].is_array(),
            "{}",
            refused.body
        );
    }
    let missing = owner
        .call(
            "create_token",
            &[("name", "Half"), ("scope_kind", "environment")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["Validation"]["environment_id"].is_array());

    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tokens")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 4, "only the valid requests created tokens");
}

#[tokio::test]
async fn list_filters_searches_sorts_and_pages() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let staging = insert_environment(&server, &workspace_id, "Staging").await;

    let alpha = id_of(&create(&mut owner, "Alpha CI").await);
    let beta = id_of(&create(&mut owner, "beta 100%").await);
    let gamma = id_of(&create(&mut owner, "Gamma").await);
    let delta = id_of(&create(&mut owner, "Délta ÜBER").await);
    let env_token = owner
        .call(
            "create_token",
            &[
                ("name", "Staging ci"),
                ("scope_kind", "environment"),
                ("environment_id", &staging),
            ],
        )
        .await;
    let env_token = id_of(&env_token.body);
    // Distinct creation and use times, so the orders are well defined.
    for (index, id) in [&alpha, &beta, &gamma, &delta, &env_token]
        .iter()
        .enumerate()
    {
        set_time(&server, "created_at", id, 1_000 + index as i64).await;
    }
    set_time(&server, "last_used_at", &gamma, now_ms() - HOUR_MS).await;
    set_time(&server, "last_used_at", &alpha, now_ms() - DAY_MS).await;

    assert_eq!(
        owner.call("suspend_token", &[("id", &beta)]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        owner.call("revoke_token", &[("id", &gamma)]).await.status,
        StatusCode::OK
    );
    set_time(&server, "expires_at", &delta, now_ms() - 1).await;

    let (alpha, beta, gamma, delta, env_token) = (
        alpha.as_str(),
        beta.as_str(),
        gamma.as_str(),
        delta.as_str(),
        env_token.as_str(),
    );
    let ids = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = list(&mut owner, &[]).await;
    assert_eq!(all["total"], 5);
    assert_eq!(ids(&all), [env_token, delta, gamma, beta, alpha]);

    for (status, expected) in [
        ("active", vec![env_token, alpha]),
        ("suspended", vec![beta]),
        ("revoked", vec![gamma]),
        ("expired", vec![delta]),
    ] {
        let page = list(&mut owner, &[("query[status]", status)]).await;
        assert_eq!(ids(&page), expected, "{status}");
        assert_eq!(page["total"], expected.len());
        if status == "expired" {
            assert_eq!(page["items"][0]["status"], "expired");
        }
    }
    let scoped = list(&mut owner, &[("query[scope_kind]", "environment")]).await;
    assert_eq!(ids(&scoped), [env_token]);
    let in_staging = list(&mut owner, &[("query[environment_id]", &staging)]).await;
    assert_eq!(ids(&in_staging), [env_token]);

    let search = list(&mut owner, &[("query[search]", " CI ")]).await;
    assert_eq!(
        ids(&search),
        [env_token, alpha],
        "case-insensitive substring"
    );
    let wildcard = list(&mut owner, &[("query[search]", "%")]).await;
    assert_eq!(ids(&wildcard), [beta], "% is a character, not a wildcard");
    let unicode = list(&mut owner, &[("query[search]", "über")]).await;
    assert_eq!(ids(&unicode), [delta]);
    let none = list(&mut owner, &[("query[search]", "zzz")]).await;
    assert_eq!(none["total"], 0);

    let by_name = list(&mut owner, &[("query[sort]", "name_asc")]).await;
    assert_eq!(ids(&by_name), [alpha, beta, delta, gamma, env_token]);
    let by_name_desc = list(&mut owner, &[("query[sort]", "name_desc")]).await;
    assert_eq!(ids(&by_name_desc), [env_token, gamma, delta, beta, alpha]);
    let oldest = list(&mut owner, &[("query[sort]", "created_asc")]).await;
    assert_eq!(ids(&oldest), [alpha, beta, gamma, delta, env_token]);
    let used = list(&mut owner, &[("query[sort]", "last_used_desc")]).await;
    assert_eq!(ids(&used)[..2], [gamma, alpha], "never used last");
    let least_used = list(&mut owner, &[("query[sort]", "last_used_asc")]).await;
    assert_eq!(ids(&least_used)[..2], [alpha, gamma]);

    let page = list(
        &mut owner,
        &[
            ("query[sort]", "created_asc"),
            ("query[limit]", "2"),
            ("query[offset]", "2"),
        ],
    )
    .await;
    assert_eq!(ids(&page), [gamma, delta]);
    assert_eq!(page["total"], 5);
    assert_eq!(page["limit"], 2);
    assert_eq!(page["offset"], 2);
    let filtered_page = list(
        &mut owner,
        &[("query[status]", "active"), ("query[limit]", "1")],
    )
    .await;
    assert_eq!(filtered_page["total"], 2);
    assert_eq!(ids(&filtered_page).len(), 1);

    // Another workspace sees none of them.
    let mut stranger = other_workspace_owner(&server, "other@example.com").await;
    let theirs = stranger.call("list_tokens", &[]).await;
    assert_eq!(theirs.body["total"], 0);
}

// ---------------------------------------------------------------------------------------
// Who may call what
// ---------------------------------------------------------------------------------------

const READS: [&str; 3] = ["list_tokens", "get_token", "token_usage"];
const WRITES: [&str; 5] = [
    "regenerate_token",
    "suspend_token",
    "activate_token",
    "revoke_token",
    "delete_token",
];

#[tokio::test]
async fn every_function_requires_a_session() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let id = id_of(&create(&mut owner, "CI").await);
    let mut anonymous = Browser::new(&server);
    let create = anonymous.call("create_token", &[("name", "x")]).await;
    assert_eq!(create.status, StatusCode::UNAUTHORIZED);
    for function in READS.into_iter().chain(WRITES) {
        let answer = anonymous.call(function, &[("id", &id)]).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{function}");
    }
    assert_eq!(stored_status(&server, &id).await.as_deref(), Some("active"));
    assert_eq!(token_events(&server).await.len(), 1);
}

#[tokio::test]
async fn members_read_but_cannot_write() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let id = id_of(&create(&mut owner, "CI").await);
    let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;
    let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;

    for function in READS {
        let answer = member.call(function, &[("id", &id)]).await;
        assert_eq!(answer.status, StatusCode::OK, "{function}: {}", answer.body);
    }
    let create = member.call("create_token", &[("name", "Mine")]).await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    for function in WRITES {
        let answer = member.call(function, &[("id", &id)]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{function}");
    }
    assert_eq!(stored_status(&server, &id).await.as_deref(), Some("active"));
    assert_eq!(token_events(&server).await.len(), 1);

    // Admins manage everything.
    let by_admin = admin.call("create_token", &[("name", "Admin's")]).await;
    assert_eq!(by_admin.status, StatusCode::OK);
    assert!(by_admin.body["token"]["created_by"]
        .as_str()
        .unwrap()
        .contains("a@example.com"));
    assert_eq!(
        admin.call("suspend_token", &[("id", &id)]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn another_workspaces_token_is_not_found() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);
    let mut stranger = other_workspace_owner(&server, "other@example.com").await;
    for function in READS.into_iter().chain(WRITES) {
        if function == "list_tokens" {
            continue; // takes no id; the list test checks it shows nothing foreign
        }
        let answer = stranger.call(function, &[("id", &id)]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{function}");
    }
    // Not even a revoked one can be deleted from outside.
    assert_eq!(
        owner.call("revoke_token", &[("id", &id)]).await.status,
        StatusCode::OK
    );
    let delete = stranger.call("delete_token", &[("id", &id)]).await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(
        stored_status(&server, &id).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(token_events(&server).await.len(), 2);
    let unknown = owner.call("get_token", &[("id", "nope")]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn lifecycle_suspend_activate_revoke_delete() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);

    let suspended = owner.call("suspend_token", &[("id", &id)]).await;
    assert_eq!(suspended.status, StatusCode::OK);
    assert_eq!(suspended.body["status"], "suspended");
    let activated = owner.call("activate_token", &[("id", &id)]).await;
    assert_eq!(activated.status, StatusCode::OK);
    assert_eq!(activated.body["status"], "active");
    let revoked = owner.call("revoke_token", &[("id", &id)]).await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(revoked.body["status"], "revoked");
    let deleted = owner.call("delete_token", &[("id", &id)]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(stored_status(&server, &id).await, None, "the row is gone");
    assert_eq!(
        owner.call("get_token", &[("id", &id)]).await.status,
        StatusCode::NOT_FOUND
    );

    let actions: Vec<String> = token_events(&server)
        .await
        .into_iter()
        .map(|(action, target_id, label, addr)| {
            assert_eq!(target_id, id);
            assert_eq!(label, "CI");
            assert_eq!(addr.as_deref(), Some("127.0.0.1"));
            action
        })
        .collect();
    assert_eq!(
        actions,
        [
            "token.created",
            "token.suspended",
            "token.activated",
            "token.revoked",
            "token.deleted"
        ]
    );
    // The name is free again.
    create(&mut owner, "ci").await;
}

#[tokio::test]
async fn stale_actions_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let active = id_of(&create(&mut owner, "Active").await);
    let revoked = id_of(&create(&mut owner, "Revoked").await);
    assert_eq!(
        owner.call("revoke_token", &[("id", &revoked)]).await.status,
        StatusCode::OK
    );
    let expired = id_of(&create(&mut owner, "Expired").await);
    set_time(&server, "expires_at", &expired, now_ms() - 1).await;
    let events_before = token_events(&server).await.len();
    let updated_before: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, updated_at FROM tokens ORDER BY id")
            .fetch_all(server.state.db.pool())
            .await
            .unwrap();

    for (function, id, message) in [
        ("revoke_token", &revoked, "This token is already revoked."),
        (
            "activate_token",
            &revoked,
            "This token is revoked; revoked tokens cannot be activated.",
        ),
        (
            "regenerate_token",
            &revoked,
            "This token is revoked; revoked tokens cannot be regenerated.",
        ),
        (
            "delete_token",
            &active,
            "Only revoked tokens can be deleted; revoke this token first.",
        ),
        ("activate_token", &active, "This token is already active."),
        (
            "suspend_token",
            &expired,
            "This token has expired; expired tokens cannot be suspended.",
        ),
    ] {
        let answer = owner.call(function, &[("id", id)]).await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{function}");
        assert_eq!(answer.body, json!({ "Conflict": message }), "{function}");
    }
    assert_eq!(
        stored_status(&server, &active).await.as_deref(),
        Some("active")
    );
    assert_eq!(
        stored_status(&server, &revoked).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(token_events(&server).await.len(), events_before);
    let updated_after: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, updated_at FROM tokens ORDER BY id")
            .fetch_all(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(updated_after, updated_before);

    // Expired tokens can still be revoked.
    let answer = owner.call("revoke_token", &[("id", &expired)]).await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_revokes_give_one_success_and_one_refusal() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let id = id_of(&create(&mut owner, "CI").await);
    let mut first = Browser {
        server: &server,
        cookie: owner.cookie.clone(),
    };
    let mut second = Browser {
        server: &server,
        cookie: owner.cookie.clone(),
    };
    let form = [("id", id.as_str())];
    let (a, b) = tokio::join!(
        first.call("revoke_token", &form),
        second.call("revoke_token", &form)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.body,
        b.body
    );
    let refusal = if a.status == StatusCode::CONFLICT {
        a.body
    } else {
        b.body
    };
    assert_eq!(
        refusal,
        json!({"Conflict": "This token is already revoked."})
    );
    let revocations = token_events(&server)
        .await
        .into_iter()
        .filter(|e| e.0 == "token.revoked")
        .count();
    assert_eq!(revocations, 1);

    // The guard itself: a write expecting a status the row no longer has changes nothing.
    let workspace_id = workspace_of(&mut owner).await;
    let mut conn = server.state.db.pool().acquire().await.unwrap();
    let changed = app::tokens::repo::change_status(
        &mut conn,
        &workspace_id,
        &id,
        TokenStatus::Active,
        TokenStatus::Revoked,
        now_ms(),
    )
    .await
    .unwrap();
    assert!(!changed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_regenerates_give_one_success_and_one_refusal() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);
    let workspace_id = workspace_of(&mut owner).await;
    // Hold the row's write lock so that both requests read the token, hash their new secret
    // and then queue at their guarded UPDATE: a real overlap however loaded the machine is.
    let mut blocker = server.state.db.pool().begin().await.unwrap();
    sqlx::query("UPDATE tokens SET updated_at = updated_at WHERE id = $1")
        .bind(&id)
        .execute(&mut *blocker)
        .await
        .unwrap();
    let regenerate = || {
        let (state, workspace_id, id) = (server.state.clone(), workspace_id.clone(), id.clone());
        tokio::spawn(async move {
            service::regenerate(
                &state,
                &owner_principal(&workspace_id),
                &id,
                Default::default(),
            )
            .await
        })
    };
    let (first, second) = (regenerate(), regenerate());
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    blocker.commit().await.unwrap();
    let (a, b) = (first.await.unwrap(), second.await.unwrap());
    let (winner, loser) = match (a, b) {
        (Ok(winner), Err(loser)) | (Err(loser), Ok(winner)) => (winner, loser),
        other => panic!("expected one success and one refusal, got {other:?}"),
    };
    assert_eq!(
        loser,
        app::AppError::Conflict(
            "Someone else changed this token at the same moment. Reload and try again.".into()
        )
    );
    let regenerations = token_events(&server)
        .await
        .into_iter()
        .filter(|e| e.0 == "token.regenerated")
        .count();
    assert_eq!(regenerations, 1);
    // The winner's value is the one that works; the original does not.
    assert!(authenticate(&server, &winner.plaintext).await.is_ok());
    assert_eq!(
        authenticate(&server, &plaintext_of(&created)).await,
        Err(AuthFailure::UnknownKey)
    );
}

#[tokio::test]
async fn regenerate_keeps_the_record_and_shows_the_new_value_once() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let future = (now_ms() + DAY_MS).to_string();
    let created = owner
        .call(
            "create_token",
            &[("name", "CI"), ("expires_at_ms", &future)],
        )
        .await
        .body;
    let id = id_of(&created);
    set_time(&server, "usage_count", &id, 42).await;
    assert_eq!(
        owner.call("suspend_token", &[("id", &id)]).await.status,
        StatusCode::OK
    );

    let answer = owner
        .call("regenerate_token", &[("id", &id), ("grace", "one_hour")])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.cache_control.as_deref(), Some("no-store"));
    let new_plaintext = plaintext_of(&answer.body);
    assert_ne!(new_plaintext, plaintext_of(&created));
    let token = &answer.body["token"];
    assert_eq!(token["id"], id.as_str());
    assert_eq!(token["name"], "CI");
    assert_eq!(
        token["status"], "suspended",
        "regenerating keeps the status"
    );
    assert_eq!(token["usage_count"], 42);
    assert_eq!(token["expires_at_ms"], created["token"]["expires_at_ms"]);
    assert_eq!(token["created_at_ms"], created["token"]["created_at_ms"]);
    assert_eq!(token["prefix"], &new_plaintext[..8]);
    let (until,): (Option<i64>,) =
        sqlx::query_as("SELECT previous_valid_until FROM tokens WHERE id = $1")
            .bind(&id)
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    let until = until.expect("a grace period");
    assert!(
        (until - (now_ms() + HOUR_MS)).abs() < 60_000,
        "about an hour from now"
    );
    let events = token_events(&server).await;
    assert_eq!(events.last().unwrap().0, "token.regenerated");
}

#[tokio::test]
async fn no_table_holds_the_plaintext_or_the_secret() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);
    let regenerated = owner
        .call("regenerate_token", &[("id", &id), ("grace", "seven_days")])
        .await;
    assert_eq!(regenerated.status, StatusCode::OK);
    let again = owner.call("regenerate_token", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::OK);

    for plaintext in [
        plaintext_of(&created),
        plaintext_of(&regenerated.body),
        plaintext_of(&again.body),
    ] {
        let parsed = parse_token(&plaintext).unwrap();
        for needle in [plaintext.as_str(), parsed.secret.expose()] {
            let found = columns_containing(&server, needle).await;
            assert!(found.is_empty(), "found in {found:?}");
        }
    }
    // The scan does find what is stored: the current key id.
    let current = parse_token(&plaintext_of(&again.body)).unwrap();
    let found = columns_containing(&server, current.key_id.as_str()).await;
    assert_eq!(found, ["tokens.key_id"]);
}

// ---------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn authenticate_follows_the_token_through_its_life() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);
    let first = plaintext_of(&created);

    let principal = authenticate(&server, &first).await.expect("a valid token");
    assert_eq!(
        principal,
        Principal::token(
            workspace_id.clone(),
            id.clone(),
            "CI".into(),
            app::tokens::model::TokenScope::Account,
            Permissions::full(),
            None,
        )
    );

    // Malformed: refused before any lookup; wrong secret with the right key id.
    assert!(matches!(
        authenticate(&server, "tsr_nope").await,
        Err(AuthFailure::Malformed(_))
    ));
    let mut typo = first.clone().into_bytes();
    typo[20] = if typo[20] == b'a' { b'b' } else { b'a' };
    assert!(matches!(
        authenticate(&server, &String::from_utf8(typo).unwrap()).await,
        Err(AuthFailure::Malformed(_))
    ));
    let real = parse_token(&first).unwrap();
    let forged = assemble_token(&real.key_id, &generate_token().secret);
    assert_eq!(
        authenticate(&server, forged.expose()).await,
        Err(AuthFailure::WrongSecret)
    );
    let unknown = generate_token();
    assert_eq!(
        authenticate(&server, unknown.plaintext.expose()).await,
        Err(AuthFailure::UnknownKey)
    );

    // Regenerate without grace: the old value is dead at once.
    let second = owner.call("regenerate_token", &[("id", &id)]).await;
    let second = plaintext_of(&second.body);
    assert_eq!(
        authenticate(&server, &first).await,
        Err(AuthFailure::UnknownKey)
    );
    assert!(authenticate(&server, &second).await.is_ok());

    // With grace: both work until previous_valid_until.
    let third = owner
        .call("regenerate_token", &[("id", &id), ("grace", "one_day")])
        .await;
    let third = plaintext_of(&third.body);
    assert!(authenticate(&server, &third).await.is_ok());
    assert_eq!(
        authenticate(&server, &second)
            .await
            .map(|p| p.token_id().map(str::to_owned)),
        Ok(Some(id.clone()))
    );
    set_time(&server, "previous_valid_until", &id, now_ms() - 1).await;
    assert_eq!(
        authenticate(&server, &second).await,
        Err(AuthFailure::UnknownKey)
    );
    assert!(authenticate(&server, &third).await.is_ok());

    // Suspended, reactivated, expired, revoked, deleted.
    owner.call("suspend_token", &[("id", &id)]).await;
    assert_eq!(
        authenticate(&server, &third).await,
        Err(AuthFailure::Suspended)
    );
    owner.call("activate_token", &[("id", &id)]).await;
    assert!(authenticate(&server, &third).await.is_ok());
    set_time(&server, "expires_at", &id, now_ms() - 1).await;
    assert_eq!(
        authenticate(&server, &third).await,
        Err(AuthFailure::Expired)
    );
    owner.call("revoke_token", &[("id", &id)]).await;
    assert_eq!(
        authenticate(&server, &third).await,
        Err(AuthFailure::Revoked)
    );
    let deleted = owner.call("delete_token", &[("id", &id)]).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        authenticate(&server, &third).await,
        Err(AuthFailure::UnknownKey)
    );
}

#[tokio::test]
async fn a_grace_period_is_shown_and_can_be_ended_at_once() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);
    assert!(created["token"]["previous_valid_until_ms"].is_null());
    // Nothing to end yet.
    let refused = owner.call("end_token_grace", &[("id", &id)]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);

    let regenerated = owner
        .call("regenerate_token", &[("id", &id), ("grace", "one_hour")])
        .await;
    let until = regenerated.body["token"]["previous_valid_until_ms"]
        .as_i64()
        .expect("the view says until when the old value works");
    assert!((until - (now_ms() + HOUR_MS)).abs() < 60_000);
    assert!(authenticate(&server, &plaintext_of(&created)).await.is_ok());

    let ended = owner.call("end_token_grace", &[("id", &id)]).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert!(ended.body["previous_valid_until_ms"].is_null());
    assert_eq!(
        authenticate(&server, &plaintext_of(&created)).await,
        Err(AuthFailure::UnknownKey)
    );
    assert!(authenticate(&server, &plaintext_of(&regenerated.body))
        .await
        .is_ok());
    let events = token_events(&server).await;
    assert_eq!(events.last().unwrap().0, "token.grace_ended");
    let again = owner.call("end_token_grace", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_grace_period_does_not_outlive_suspension() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let created = create(&mut owner, "CI").await;
    let id = id_of(&created);
    let regenerated = owner
        .call("regenerate_token", &[("id", &id), ("grace", "seven_days")])
        .await;
    assert_eq!(regenerated.status, StatusCode::OK);
    owner.call("suspend_token", &[("id", &id)]).await;
    assert_eq!(
        authenticate(&server, &plaintext_of(&created)).await,
        Err(AuthFailure::Suspended)
    );
}

#[tokio::test]
async fn deleting_an_environment_or_agent_revokes_its_tokens() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let workspace_id = workspace_of(&mut owner).await;
    let production = insert_environment(&server, &workspace_id, "Production").await;
    let staging = insert_environment(&server, &workspace_id, "Staging").await;
    let bot = insert_agent(&server, &workspace_id, "Support bot").await;

    let account = create_with(&mut owner, &[("name", "Account")]).await;
    let env_token = create_with(
        &mut owner,
        &[
            ("name", "Prod"),
            ("scope_kind", "environment"),
            ("environment_id", &production),
        ],
    )
    .await;
    let deployment = create_with(
        &mut owner,
        &[
            ("name", "Bot in prod"),
            ("scope_kind", "deployment"),
            ("environment_id", &production),
            ("agent_id", &bot),
        ],
    )
    .await;
    let staged_bot = create_with(
        &mut owner,
        &[
            ("name", "Bot in staging"),
            ("scope_kind", "deployment"),
            ("environment_id", &staging),
            ("agent_id", &bot),
        ],
    )
    .await;
    let principal = authenticate(&server, &plaintext_of(&deployment))
        .await
        .unwrap();
    let Actor::Token { scope, .. } = principal.actor else {
        panic!("a token's principal")
    };
    assert_eq!(
        scope,
        app::tokens::model::TokenScope::Deployment {
            agent_id: bot.clone(),
            environment_id: production.clone()
        }
    );

    // Deleting the environment revokes its environment and deployment tokens.
    let deleted = owner
        .call("delete_environment", &[("id", &production)])
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);

    assert!(authenticate(&server, &plaintext_of(&account)).await.is_ok());
    for gone in [&env_token, &deployment] {
        assert_eq!(
            authenticate(&server, &plaintext_of(gone)).await,
            Err(AuthFailure::Revoked)
        );
    }
    assert!(authenticate(&server, &plaintext_of(&staged_bot))
        .await
        .is_ok());
    let shown = owner
        .call("get_token", &[("id", &id_of(&deployment))])
        .await;
    assert_eq!(shown.body["status"], "revoked");
    assert_eq!(
        shown.body["scope_label"],
        "Agent deployment (Support bot · deleted)"
    );

    // The agent goes too: its remaining deployment token is revoked.
    let deleted = owner.call("delete_agent", &[("id", &bot)]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        authenticate(&server, &plaintext_of(&staged_bot)).await,
        Err(AuthFailure::Revoked)
    );
    let events: Vec<_> = token_events(&server)
        .await
        .into_iter()
        .filter(|e| e.0 == "token.revoked")
        .map(|e| e.1)
        .collect();
    assert_eq!(events.len(), 3);
    assert!(events.contains(&id_of(&staged_bot)));

    // Even if the scoped revocation had been skipped, a token without its scope is refused.
    let orphan = create_with(
        &mut owner,
        &[
            ("name", "Staging"),
            ("scope_kind", "environment"),
            ("environment_id", &staging),
        ],
    )
    .await;
    execute(
        &server,
        "DELETE FROM environments WHERE id = $1",
        &[&staging],
    )
    .await;
    assert_eq!(
        authenticate(&server, &plaintext_of(&orphan)).await,
        Err(AuthFailure::ScopeGone)
    );
}

// ---------------------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn usage_reports_thirty_days_zero_filled() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let id = id_of(&create(&mut owner, "CI").await);
    let today = now_ms().div_euclid(DAY_MS);
    for (day, calls) in [
        (today, 7_i64),
        (today - 3, 2),
        (today - 29, 1),
        (today - 30, 99),
    ] {
        sqlx::query("INSERT INTO token_usage_daily (token_id, day, calls) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(day)
            .bind(calls)
            .execute(server.state.db.pool())
            .await
            .unwrap();
    }
    let answer = owner.call("token_usage", &[("id", &id)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let days = answer.body.as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[0], json!({"day": today - 29, "calls": 1}));
    assert_eq!(days[26], json!({"day": today - 3, "calls": 2}));
    assert_eq!(days[28], json!({"day": today - 1, "calls": 0}));
    assert_eq!(days[29], json!({"day": today, "calls": 7}));
    let total: i64 = days.iter().map(|d| d["calls"].as_i64().unwrap()).sum();
    assert_eq!(total, 10, "the 31st day back is outside the window");

    // Deleting the token removes its usage rows with it.
    owner.call("revoke_token", &[("id", &id)]).await;
    owner.call("delete_token", &[("id", &id)]).await;
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM token_usage_daily")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 0);
}
