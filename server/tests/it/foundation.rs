//! The foundation over real HTTP: health, migrations, routing split, shutdown.

use crate::common::TestServer;
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_reports_a_reachable_database() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    server.stop().await;
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_is_gone() {
    let server = TestServer::start().await;
    server.state.db.close().await;
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn migrations_ran_at_start_up() {
    let server = TestServer::start().await;
    // The portable migrations and this engine's own.
    let sql_files = |folder: &str| {
        std::fs::read_dir(format!(
            "{}/../migrations{folder}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count() as i64
    };
    let engine_folder = match server.database.engine {
        app::db::Engine::Sqlite => "/sqlite",
        app::db::Engine::Postgres => "/postgres",
    };
    let migration_files = sql_files("") + sql_files(engine_folder);
    let (applied,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = $1")
            .bind(true)
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(applied, migration_files);
    // A table from the first migration exists and is empty.
    let (workspaces,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM workspaces")
        .fetch_one(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(workspaces, 0);
    server.stop().await;
}

#[tokio::test]
async fn server_function_reads_the_database_under_rpc_for_members_only() {
    let server = TestServer::start().await;
    // Anonymous callers learn nothing about what the installation runs on.
    let response = server
        .client
        .post(server.url("/rpc/get_system_info"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = response.text().await.unwrap();
    assert!(!body.contains(server.database.engine.name()), "{body}");

    let mut owner = crate::common::set_up_owner(&server).await;
    let answer = owner.call("get_system_info", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["engine"], server.database.engine.name());
    assert!(answer.body["migrations_applied"].as_i64().unwrap() >= 1);
    server.stop().await;
}

#[tokio::test]
async fn unknown_paths_answer_404_in_the_door_they_belong_to() {
    let server = TestServer::start().await;

    let api = server
        .client
        .get(server.url("/api/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = api.json().await.unwrap();
    assert_eq!(problem["status"], 404);
    assert!(problem["type"].as_str().unwrap().ends_with("/not-found"));

    let rpc = server
        .client
        .post(server.url("/rpc/no_such_function"))
        .send()
        .await
        .unwrap();
    assert_eq!(rpc.status(), StatusCode::NOT_FOUND);
    assert_eq!(rpc.headers()["content-type"], "application/problem+json");

    let page = server
        .client
        .get(server.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("Page not found"));
    server.stop().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let server = TestServer::start().await;
    let body = vec![b'x'; tessera::MAX_BODY_BYTES + 1];
    let response = server
        .client
        .post(server.url("/rpc/get_system_info"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    server.stop().await;
}

#[tokio::test]
async fn graceful_shutdown_stops_cleanly_and_closes_the_port() {
    let server = TestServer::start().await;
    let client = server.client.clone();
    let url = server.url("/healthz");
    assert_eq!(
        client.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    // `stop` panics unless the serve task returned Ok after draining.
    server.stop().await;
    let after = client.get(&url).send().await;
    assert!(after.is_err(), "nothing listens after shutdown: {after:?}");
}

#[tokio::test]
async fn a_server_function_call_with_an_undecodable_argument_is_a_422_not_a_500() {
    let server = TestServer::start().await;
    let mut owner = crate::common::set_up_owner(&server).await;
    // `role` must be one of owner/admin/member: the framework refuses before our code runs.
    let answer = owner
        .call(
            "create_invite",
            &[("email", "x@example.com"), ("role", "emperor")],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(
        answer.body["Validation"]["request"].is_array(),
        "{}",
        answer.body
    );
    server.stop().await;
}

/// A request still arriving when shutdown begins is finished, not cut: its token is created,
/// its answer sent, and only then does the server stop.
#[tokio::test]
async fn graceful_shutdown_finishes_a_request_in_flight() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = TestServer::start().await;
    let owner = crate::common::set_up_owner(&server).await;
    let cookie = owner.cookie.clone().unwrap();
    let body = "name=in-flight";
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /rpc/create_token HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\
         Sec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..4]).await.unwrap();
    // The request is in flight: its headers are read, its body is not complete.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let stopping = tokio::spawn(server.stop_keeping_database());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !stopping.is_finished(),
        "the server waits for the request in flight"
    );
    stream.write_all(&body.as_bytes()[4..]).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("tsr_"),
        "the created token's answer arrived"
    );
    let database = stopping.await.unwrap();
    let db = database.connect().await;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tokens WHERE name = $1")
        .bind("in-flight")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(count, 1);
    db.close().await;
}

/// A client trickling a body forever cannot hold a shutdown past its drain deadline, and the
/// usage counted before is still written: the periodic flush is an hour away, so only the
/// shutdown flush can write it.
#[tokio::test]
async fn a_trickling_client_cannot_hold_shutdown_past_the_drain_deadline() {
    use tokio::io::AsyncWriteExt;

    let drain = std::time::Duration::from_millis(1500);
    let server = TestServer::start_with(|config| {
        config.drain_deadline = drain;
        config.bearer.usage_flush_every = std::time::Duration::from_secs(3600);
    })
    .await;
    let mut owner = crate::common::set_up_owner(&server).await;
    let (id, token) = crate::common::create_token(&mut owner, &[("name", "counted")]).await;
    let api = crate::common::Api::new(&server, &token);
    for _ in 0..7 {
        assert_eq!(api.get("/api/tokens/self").await.status, StatusCode::OK);
    }

    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/tokens HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{{\"name\": \"",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let trickle = tokio::spawn(async move {
        // One byte every 100 ms: a body that would take ten minutes.
        while stream.write_all(b"x").await.is_ok() {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let started = std::time::Instant::now();
    let database = server.stop_keeping_database().await;
    let took = started.elapsed();
    assert!(
        took >= drain && took < drain + std::time::Duration::from_secs(5),
        "stopped after {took:?}; the deadline is {drain:?}"
    );
    let db = database.connect().await;
    // 7 calls, plus the trickling request's authentication.
    assert_eq!(crate::common::stored_usage(db.pool(), &id).await.0, 8);
    db.close().await;
    trickle.abort();
}

/// A client that starts a request and never finishes its headers is disconnected once the
/// header timeout passes (slowloris), and the server goes on answering others.
#[tokio::test]
async fn a_client_dribbling_headers_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let timeout = std::time::Duration::from_secs(1);
    let server = TestServer::start_with(|config| config.header_read_timeout = timeout).await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: tessera\r\nX-Slow: ")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(timeout * 5, stream.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "still connected after {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() >= timeout / 2,
        "closed after {:?}, before the timeout",
        started.elapsed()
    );
    let healthy = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(healthy.status(), StatusCode::OK);
}

/// A client trickling its body gets a 408 problem once the request timeout passes, and the
/// request changes nothing.
#[tokio::test]
async fn a_trickled_body_times_out_with_408_and_changes_nothing() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let timeout = std::time::Duration::from_secs(1);
    let server = TestServer::start_with(|config| config.request_timeout = timeout).await;
    let mut owner = crate::common::set_up_owner(&server).await;
    let (_, token) = crate::common::create_token(&mut owner, &[("name", "admin")]).await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/tokens HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n\
         {{\"name\": \"tri",
        server.addr
    );
    let started = std::time::Instant::now();
    stream.write_all(head.as_bytes()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        while writer.write_all(b"c").await.is_ok() {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    });
    let mut answer = String::new();
    tokio::time::timeout(timeout * 10, reader.read_to_string(&mut answer))
        .await
        .expect("an answer before the body ends")
        .ok();
    trickle.abort();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(started.elapsed() >= timeout, "{:?}", started.elapsed());
    let listed = crate::common::Api::new(&server, &token)
        .get("/api/tokens")
        .await;
    assert_eq!(listed.body["total"], 1, "nothing was created");
}
