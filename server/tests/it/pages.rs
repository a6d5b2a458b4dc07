//! Server-rendered pages over real HTTP: the session gate, and pages and static files served
//! while other requests (and other servers in the same process) are busy.

use crate::common::{get_within_10s, TestServer};
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
    let mut owner = crate::common::set_up_owner(&server).await;
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

/// A site folder laid out as a release build leaves it: a hashed bundle file with its gzip
/// and brotli copies, and an unhashed favicon.
fn release_site(bundle: &[u8]) -> tempfile::TempDir {
    use std::io::Write;
    let site = tempfile::tempdir().expect("test fixture");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("test fixture");
    std::fs::write(pkg.join("tessera.H4sh.wasm"), bundle).expect("test fixture");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bundle).expect("test fixture");
    std::fs::write(
        pkg.join("tessera.H4sh.wasm.gz"),
        gzip.finish().expect("test fixture"),
    )
    .expect("test fixture");
    let mut br = Vec::new();
    brotli::BrotliCompress(&mut &bundle[..], &mut br, &Default::default()).expect("test fixture");
    std::fs::write(pkg.join("tessera.H4sh.wasm.br"), br).expect("test fixture");
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").expect("test fixture");
    site
}

fn decode(encoding: Option<&str>, body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match encoding {
        None => out.extend_from_slice(body),
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .expect("test fixture");
        }
        Some("br") => {
            brotli::BrotliDecompress(&mut &body[..], &mut out).expect("test fixture");
        }
        Some(other) => panic!("unexpected encoding {other}"),
    }
    out
}

#[tokio::test]
async fn the_bundle_travels_compressed_and_is_cached_for_good() {
    let bundle: Vec<u8> = (0..200_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    let site = release_site(&bundle);
    let site_root = site.path().to_str().unwrap().to_owned();
    let server = TestServer::start_with(|config| {
        config.site_root = site_root;
        config.hash_files = true;
    })
    .await;
    for accept in [None, Some("gzip"), Some("br"), Some("gzip, deflate, br")] {
        let mut request = server.client.get(server.url("/pkg/tessera.H4sh.wasm"));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{accept:?}"
        );
        let encoding = headers
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_owned());
        let expected = match accept {
            None => None,
            Some("gzip") => Some("gzip"),
            Some(_) => Some("br"),
        };
        assert_eq!(encoding.as_deref(), expected, "{accept:?}");
        let body = response.bytes().await.unwrap();
        if expected.is_some() {
            assert!(body.len() < bundle.len() / 4, "{accept:?}: {}", body.len());
        }
        assert!(decode(expected, &body) == bundle, "{accept:?}: other bytes");
    }
    // A file whose name carries no hash is revalidated, not kept.
    let favicon = server
        .client
        .get(server.url("/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(favicon.headers()["cache-control"], "no-cache");
    server.stop().await;
}

#[tokio::test]
async fn pages_are_revalidated_compressed_and_isolated_while_the_api_gets_only_its_headers() {
    let server = TestServer::start_with(|config| config.secure_cookies = true).await;
    let page = server
        .client
        .get(server.url("/settings/tokens"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    let headers = page.headers().clone();
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    assert!(headers["permissions-policy"]
        .to_str()
        .unwrap()
        .contains("camera=()"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["strict-transport-security"], "max-age=63072000");
    let html = String::from_utf8(decode(Some("gzip"), &page.bytes().await.unwrap())).unwrap();
    assert!(html.contains("Welcome to Tessera"), "{html}");

    let api = server
        .client
        .get(server.url("/api/openapi.json"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    let headers = api.headers().clone();
    assert_eq!(
        headers["content-encoding"], "br",
        "large JSON is compressed"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["strict-transport-security"], "max-age=63072000");
    for page_only in [
        "x-frame-options",
        "permissions-policy",
        "cross-origin-opener-policy",
    ] {
        assert!(!headers.contains_key(page_only), "{page_only} on JSON");
    }
    let document: serde_json::Value =
        serde_json::from_slice(&decode(Some("br"), &api.bytes().await.unwrap())).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1."));

    // Small answers go out as they are.
    let ping = server
        .client
        .get(server.url("/api/ping"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(!ping.headers().contains_key("content-encoding"));
    server.stop().await;
}

#[tokio::test]
async fn plain_http_gets_no_hsts() {
    let server = TestServer::start().await;
    let page = server.client.get(server.url("/")).send().await.unwrap();
    assert!(!page.headers().contains_key("strict-transport-security"));
    server.stop().await;
}
