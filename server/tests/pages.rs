//! Server-rendered pages over real HTTP: the session gate, and pages and static files served
//! while other requests (and other servers in the same process) are busy.

mod common;

use common::{get_within_10s, TestServer};
use reqwest::StatusCode;

/// Leptos's route discovery suspends resource loading process-wide. It once ran for every
/// server as it started, so a page rendering on another server at that moment waited for
/// its session forever. Discovery now happens once per process (`page_routes`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_while_other_servers_start() {
    for round in 0..60 {
        let (a, b) = (TestServer::start().await, TestServer::start().await);
        let mut requests = tokio::task::JoinSet::new();
        for path in ["/", "/agents", "/settings/members"] {
            for server in [&a, &b] {
                requests.spawn(get_within_10s(server.client.clone(), server.url(path)));
            }
        }
        for answer in requests.join_all().await {
            let (status, html) =
                answer.unwrap_or_else(|problem| panic!("round {round}: {problem}"));
            assert_eq!(status, StatusCode::OK);
            assert!(html.contains("Welcome to Tessera"), "round {round}: {html}");
        }
        a.stop().await;
        b.stop().await;
    }
}

/// A static file keeps its 200 while 404 pages render beside it. Leptos leaves each render's
/// owner in a thread-local, and the static-file handler adopted it, 404 status included,
/// until `owner_isolation` cleared it around every request.
#[tokio::test]
async fn static_files_keep_their_status_while_404_pages_render() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/probe.css"), "body{}").unwrap();
    let site_root = site.path().to_str().unwrap().to_owned();
    let server = TestServer::start_with(|config| config.site_root = site_root).await;
    let mut wrong_statuses = Vec::new();
    for _ in 0..50 {
        let mut requests = tokio::task::JoinSet::new();
        for _ in 0..4 {
            requests.spawn(get_within_10s(
                server.client.clone(),
                server.url("/no/such/page"),
            ));
            requests.spawn(get_within_10s(
                server.client.clone(),
                server.url("/pkg/probe.css"),
            ));
        }
        for answer in requests.join_all().await {
            let (status, body) = answer.unwrap();
            let is_the_file = body == "body{}";
            let expected = if is_the_file {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            if status != expected {
                wrong_statuses.push((status, is_the_file));
            }
        }
    }
    assert_eq!(wrong_statuses, vec![]);
    server.stop().await;
}

#[tokio::test]
async fn pages_are_server_rendered_behind_the_session_gate() {
    let server = TestServer::start().await;
    // Before first run, every address renders setup (with the hydration script).
    for path in ["/", "/agents", "/settings/members"] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("Welcome to Tessera"), "{path}: {html}");
        assert!(
            html.contains("/pkg/tessera.js"),
            "the page loads the WASM bundle"
        );
    }
    let mut owner = common::set_up_owner(&server).await;
    let workspace = owner.call("get_session_state", &[]).await.body["SignedIn"]["workspace_name"]
        .as_str()
        .unwrap()
        .to_owned();
    // Without a session: sign-in, at the address asked for.
    let html = server
        .client
        .get(server.url("/settings/members"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sign in to Tessera"), "{html}");
    assert!(!html.contains("Welcome to Tessera"));
    // With the owner's session cookie: the page itself, with the workspace in the navbar.
    let html = owner.get_page("/settings/members").await;
    assert!(html.contains("Workspace settings"), "{html}");
    assert!(html.contains(&workspace), "{html}");
    assert!(!html.contains("Sign in to Tessera"));
    server.stop().await;
}
