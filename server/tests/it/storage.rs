//! Storage over real HTTP (SPEC §4.3): bytes round-trip exactly, downloads are attachments,
//! and an upload over the per-file limit or the workspace quota — declared, streamed,
//! concurrent, or cut off by the client — leaves nothing behind: no row, no blob.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

use crate::common::{create_token, set_up_owner, workspace_of, Api, ApiAnswer, TestServer};

/// A workspace owner's full-access API token and the workspace id.
pub async fn admin(server: &TestServer) -> (Api<'_>, String) {
    let mut owner = set_up_owner(server).await;
    let workspace = workspace_of(&mut owner).await;
    let (_, token) = create_token(&mut owner, &[("name", "admin")]).await;
    (Api::new(server, &token), workspace)
}

/// `PUT /api/knowledge-base/storage/{name}` with `bytes` as the body.
pub async fn put_file(api: &Api<'_>, name: &str, bytes: Vec<u8>, content_type: &str) -> ApiAnswer {
    let response = api
        .server
        .client
        .put(
            api.server
                .url(&format!("/api/knowledge-base/storage/{}", urlencode(name))),
        )
        .bearer_auth(&api.token)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .expect("upload");
    crate::common::answer(response).await
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Bytes that do not compress and cover every byte value.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// What the workspace holds: file rows, document rows, chunk rows, the storage counter and
/// the blobs under its prefix.
pub async fn holdings(server: &TestServer, workspace: &str) -> (i64, i64, i64, i64, usize) {
    let pool = server.state.db.pool();
    let count = |table: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM {table} WHERE workspace_id = $1"
        ))
        .bind(workspace)
        .fetch_one(pool)
        .await
        .unwrap();
        n
    };
    let (used,): (i64,) = sqlx::query_as("SELECT storage_used_bytes FROM workspaces WHERE id = $1")
        .bind(workspace)
        .fetch_one(pool)
        .await
        .unwrap();
    let blobs = server.state.blobs.keys(workspace).await.unwrap().len();
    (
        count("stored_files").await,
        count("kb_documents").await,
        count("kb_chunks").await,
        used,
        blobs,
    )
}

/// Every file under the blob folder, staging files included.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files_under(&path));
            } else {
                found.push(path);
            }
        }
    }
    found
}

fn too_large(answer: &ApiAnswer, case: &str) {
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{case}: {}",
        answer.body
    );
    assert_eq!(
        answer.body["type"], "https://tessera.dev/problems/payload-too-large",
        "{case}"
    );
}

async fn download(api: &Api<'_>, id: &str) -> reqwest::Response {
    api.server
        .client
        .get(api.server.url(&format!("/api/knowledge-base/storage/{id}")))
        .bearer_auth(&api.token)
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap()
}

/// The upload/download/list/delete round trip, on whichever blob store the server has.
pub async fn round_trip(server: &TestServer) {
    let (api, workspace) = admin(server).await;
    // Larger than one 5 MiB upload part, so the multipart path is exercised.
    let bytes = noise(6 * 1024 * 1024 + 123, 7);
    let stored = put_file(
        &api,
        "../secret/ré sumé \"v2\".bin",
        bytes.clone(),
        "image/png",
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let file = &stored.body;
    assert_eq!(file["name"], "ré sumé \"v2\".bin", "the path is dropped");
    assert_eq!(file["size"], bytes.len() as i64);
    assert_eq!(file["content_type"], "image/png");
    assert!(file["document_id"].is_null(), "not a document kind");
    let id = file["id"].as_str().unwrap().to_owned();
    let keys = server.state.blobs.keys(&workspace).await.unwrap();
    assert_eq!(
        keys,
        [format!("{workspace}/{id}")],
        "stored under generated ids only"
    );

    let response = download(&api, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["content-length"], bytes.len().to_string().as_str());
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.get("content-encoding").is_none(), "sent as stored");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"r_ sum_ _v2_.bin\"; filename*=UTF-8''r%C3%A9%20sum%C3%A9%20%22v2%22.bin"
    );
    let body = response.bytes().await.unwrap();
    assert!(body[..] == bytes[..], "the bytes come back exactly");

    let again = put_file(&api, "copy.bin", bytes.clone(), "application/octet-stream").await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "the same bytes are the same file"
    );
    assert_eq!(again.body["id"], id.as_str());

    let list = api.get("/api/knowledge-base/storage").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["sha256"], file["sha256"]);

    let deleted = api
        .delete(&format!("/api/knowledge-base/storage/{id}"))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(download(&api, &id).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(holdings(server, &workspace).await, (0, 0, 0, 0, 0));
}

/// `?documents=` splits the list into the files the knowledge base reads and the others; the
/// totals follow the filter, and a value that is not a boolean is refused.
#[tokio::test]
async fn the_file_list_filters_documents_from_other_files() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let notes = put_file(
        &api,
        "notes.md",
        b"# Notes\n\nQuokkas.\n".to_vec(),
        "text/markdown",
    )
    .await;
    let picture = put_file(&api, "pixel.png", noise(64, 3), "image/png").await;
    let archive = put_file(&api, "bundle.bin", noise(64, 4), "application/octet-stream").await;
    for answer in [&notes, &picture, &archive] {
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    let names = |list: &Value| -> Vec<String> {
        let mut names: Vec<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };

    let all = api.get("/api/knowledge-base/storage").await;
    assert_eq!(all.body["total"], 3);
    let documents = api.get("/api/knowledge-base/storage?documents=true").await;
    assert_eq!(documents.status, StatusCode::OK, "{}", documents.body);
    assert_eq!(names(&documents.body), ["notes.md"]);
    assert_eq!(documents.body["total"], 1);
    let others = api
        .get("/api/knowledge-base/storage?documents=false&limit=1")
        .await;
    assert_eq!(others.status, StatusCode::OK, "{}", others.body);
    assert_eq!(others.body["total"], 2, "the total counts every page");
    assert_eq!(others.body["items"].as_array().unwrap().len(), 1);
    let others = api.get("/api/knowledge-base/storage?documents=false").await;
    assert_eq!(names(&others.body), ["bundle.bin", "pixel.png"]);
    assert!(others.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["document_id"].is_null()));

    let bad = api.get("/api/knowledge-base/storage?documents=maybe").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
}

#[tokio::test]
async fn bytes_round_trip_exactly_on_the_folder_store() {
    let server = TestServer::start().await;
    round_trip(&server).await;
}

/// A bucket of its own on the S3-compatible server `scripts/test.sh` starts (moto).
pub async fn start_on_s3(configure: impl FnOnce(&mut tessera::config::Config)) -> TestServer {
    let endpoint = std::env::var("TESSERA_TEST_S3_ENDPOINT")
        .expect("TESSERA_TEST_S3_ENDPOINT: an S3-compatible server (scripts/test.sh starts one)");
    let bucket = format!("tessera-test-{}", uuid::Uuid::new_v4().simple());
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("reach the S3 server");
    assert!(
        created.status().is_success(),
        "create the bucket: {}",
        created.status()
    );
    TestServer::start_with(|config| {
        config.blobs = Some(app::blobs::BlobSettings::S3 {
            bucket,
            endpoint: Some(endpoint),
            region: "us-east-1".into(),
        });
        configure(config);
    })
    .await
}

#[tokio::test]
#[ignore = "needs an S3-compatible server: scripts/test.sh starts one and runs it"]
async fn bytes_round_trip_exactly_on_s3() {
    let server = start_on_s3(|_| {}).await;
    round_trip(&server).await;
}

#[tokio::test]
#[ignore = "needs an S3-compatible server: scripts/test.sh starts one and runs it"]
async fn refused_uploads_leave_nothing_on_s3() {
    let server = start_on_s3(small_limits).await;
    refused_uploads_leave_nothing(&server).await;
}

const MIB: u64 = 1024 * 1024;

fn small_limits(config: &mut tessera::config::Config) {
    config.storage_limits.max_upload_bytes = MIB;
    config.storage_limits.quota_bytes = 3 * MIB;
}

async fn limited_server() -> TestServer {
    TestServer::start_with(small_limits).await
}

#[tokio::test]
async fn refused_uploads_leave_nothing_on_the_folder_store() {
    let server = limited_server().await;
    refused_uploads_leave_nothing(&server).await;
}

async fn refused_uploads_leave_nothing(server: &TestServer) {
    let (api, workspace) = admin(server).await;
    let limit = server.state.storage_limits.max_upload_bytes as usize;

    // Declared too large: refused before a byte is read.
    let declared = put_file(
        &api,
        "big.bin",
        noise(limit + 1, 1),
        "application/octet-stream",
    )
    .await;
    too_large(&declared, "declared over the limit");
    assert!(declared.body["detail"]
        .as_str()
        .unwrap()
        .contains("per file"));

    // Streamed without a length: refused when the count passes the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = noise(limit + 10, 2)
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let streamed = api
        .server
        .client
        .put(server.url("/api/knowledge-base/storage/stream.bin"))
        .bearer_auth(&api.token)
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    too_large(
        &crate::common::answer(streamed).await,
        "streamed over the limit",
    );
    assert_eq!(holdings(server, &workspace).await, (0, 0, 0, 0, 0));

    // The quota (when it is smaller than the limit × files): three fit, the fourth does not.
    let quota = server.state.storage_limits.quota_bytes as usize;
    let size = quota / 3;
    for n in 0..3 {
        let fits = put_file(
            &api,
            &format!("{n}.bin"),
            noise(size, 10 + n),
            "application/octet-stream",
        )
        .await;
        assert_eq!(fits.status, StatusCode::CREATED, "{}", fits.body);
    }
    let over = put_file(&api, "3.bin", noise(size, 13), "application/octet-stream").await;
    too_large(&over, "over the quota");
    assert!(over.body["detail"].as_str().unwrap().contains("quota"));
    let (files, _, _, used, blobs) = holdings(server, &workspace).await;
    assert_eq!((files, used as usize, blobs), (3, 3 * size, 3));
}

#[tokio::test]
async fn concurrent_uploads_cannot_pass_the_quota_together() {
    const SIZE: usize = 100 * 1024;
    let server = TestServer::start_with(|config| {
        config.storage_limits.quota_bytes = 5 * SIZE as u64;
    })
    .await;
    let (api, workspace) = admin(&server).await;
    let uploads = (0..12).map(|n| {
        put_file(
            &api,
            "f.bin",
            noise(SIZE, 100 + n),
            "application/octet-stream",
        )
    });
    let answers = futures::future::join_all(uploads).await;
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.status == StatusCode::PAYLOAD_TOO_LARGE)
        .count();
    assert_eq!(
        (created, refused),
        (5, 7),
        "exactly the quota's worth is kept"
    );
    let (files, _, _, used, blobs) = holdings(&server, &workspace).await;
    assert_eq!((files, used as usize, blobs), (5, 5 * SIZE, 5));
}

#[tokio::test]
async fn a_client_that_disconnects_halfway_leaves_nothing() {
    let server = TestServer::start().await;
    let (api, workspace) = admin(&server).await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "PUT /api/knowledge-base/storage/half.bin HTTP/1.1\r\nHost: x\r\n\
         Authorization: Bearer {}\r\nContent-Length: {}\r\n\r\n",
        api.token,
        2 * MIB
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&noise(MIB as usize, 3)).await.unwrap();
    stream.flush().await.unwrap();
    // Long enough for the server to have started writing the blob.
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(stream);

    let blob_dir = server.data_dir().join("blobs");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = files_under(&blob_dir);
        if left.is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "partial upload files remain: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(holdings(&server, &workspace).await, (0, 0, 0, 0, 0));
}

#[tokio::test]
async fn multipart_uploads_store_several_files_or_none() {
    let server = limited_server().await;
    let (api, workspace) = admin(&server).await;
    let form = |parts: Vec<(&'static str, Vec<u8>)>| {
        let mut form = reqwest::multipart::Form::new().text("note", "ignored");
        for (name, bytes) in parts {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        }
        form
    };
    let post = |form: reqwest::multipart::Form| {
        api.server
            .client
            .post(server.url("/api/knowledge-base/storage"))
            .bearer_auth(&api.token)
            .multipart(form)
            .send()
    };
    let both = post(form(vec![
        ("a.txt", b"alpha".to_vec()),
        ("b.md", b"# Beta\n\nbeta".to_vec()),
    ]))
    .await
    .unwrap();
    let both = crate::common::answer(both).await;
    assert_eq!(both.status, StatusCode::CREATED, "{}", both.body);
    let names: Vec<&str> = both.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "b.md"]);
    let before = holdings(&server, &workspace).await;

    let limit = server.state.storage_limits.max_upload_bytes as usize;
    let refused = post(form(vec![
        ("c.txt", b"gamma".to_vec()),
        ("big.bin", noise(limit + 1, 4)),
    ]))
    .await
    .unwrap();
    too_large(
        &crate::common::answer(refused).await,
        "a multipart part over the limit",
    );
    let after = holdings(&server, &workspace).await;
    assert_eq!(
        (after.0, after.3, after.4),
        (before.0, before.3, before.4),
        "c.txt was undone too"
    );

    let none = api
        .server
        .client
        .post(server.url("/api/knowledge-base/storage"))
        .bearer_auth(&api.token)
        .header("content-type", "text/plain")
        .body("not multipart")
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn other_routes_keep_the_small_body_limit() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let big = json!({"name": "x".repeat(tessera::MAX_BODY_BYTES + 1), "version": "1"});
    let answer: Value = api.post("/api/agent-base", big).await.body;
    assert_eq!(answer["status"], 413);
}
