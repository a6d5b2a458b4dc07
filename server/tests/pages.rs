//! Server-rendered pages behind the session gate, over real HTTP.
//!
//! In a test binary of its own: when several servers in one process render their first pages
//! at the same moment, a page's stream occasionally never finishes (about 1 run in 20 of the
//! old combined binary; never with one server per process, as in production and Playwright).
//! The cause is still open: see the session note.

mod common;

use common::TestServer;
use reqwest::StatusCode;

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
