//! The knowledge base over real HTTP (SPEC §4.3): uploads become documents through the
//! durable ingestion job, search ranks and filters as the syntax says and never errors, a
//! deleted file's passages are gone, another workspace's are never seen, and a job cut off
//! by a dead instance is finished by another.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{Api, TestServer};
use crate::storage::{admin, holdings, put_file, urlencode};

/// Polls the document until it is no longer pending.
pub async fn settled(api: &Api<'_>, document_id: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let answer = api.get(&format!("/api/knowledge-base/{document_id}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        if answer.body["status"] != "pending" {
            return answer.body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still pending: {}",
            answer.body
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Uploads a text file and waits for its document; returns it.
pub async fn ingest(api: &Api<'_>, name: &str, text: &str, content_type: &str) -> Value {
    let stored = put_file(api, name, text.as_bytes().to_vec(), content_type).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let document_id = stored.body["document_id"].as_str().expect("a document");
    settled(api, document_id).await
}

pub async fn search(api: &Api<'_>, q: &str) -> Value {
    let answer = api
        .get(&format!("/api/knowledge-base/search?q={}", urlencode(q)))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{q:?}: {}", answer.body);
    answer.body
}

fn titles(results: &Value) -> Vec<String> {
    results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn documents_are_ingested_searched_and_deleted() {
    let server = TestServer::start().await;
    let (api, workspace) = admin(&server).await;
    let guide = ingest(
        &api,
        "guide.md",
        "# Files guide\n\n## Reading files\n\nTo read a file line by line, loop over the file \
         object.\n\n## Writing files\n\nOpen the file in write mode and call write.\n",
        "text/markdown",
    )
    .await;
    assert_eq!(guide["status"], "ready", "{guide}");
    assert!(guide["chunk_count"].as_i64().unwrap() >= 1);
    let notes = ingest(
        &api,
        "notes.txt",
        "Cooking notes: boil the pasta, then drain it.",
        "text/plain",
    )
    .await;
    assert_eq!(notes["status"], "ready", "{notes}");

    let list = api.get("/api/knowledge-base?status=ready").await;
    assert_eq!(list.body["total"], 2, "{}", list.body);

    let results = search(&api, "reading lines").await;
    assert_eq!(results["total"], 1, "{results}");
    let hit = &results["items"][0];
    assert_eq!(hit["document_id"], guide["id"]);
    assert_eq!(hit["file_id"], guide["file_id"]);
    // Every highlight points at a word of the query, by stem.
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|range| {
            let (start, end) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            snippet[start..end]
                .iter()
                .collect::<String>()
                .to_lowercase()
        })
        .collect();
    assert!(!marked.is_empty(), "{hit}");
    assert!(
        marked
            .iter()
            .all(|word| word.starts_with("read") || word.starts_with("line")),
        "{marked:?}"
    );

    // Exclusions, and words no passage holds together fall back to any of them.
    assert_eq!(
        search(&api, "file -write").await["total"],
        1,
        "only the reading passage"
    );
    assert_eq!(
        titles(&search(&api, "pasta -boil").await),
        Vec::<String>::new()
    );
    let either = search(&api, "pasta loop").await;
    assert_eq!(
        either["total"], 2,
        "no passage has both: any of them ranks: {either}"
    );

    let deleted = api
        .delete(&format!(
            "/api/knowledge-base/storage/{}",
            guide["file_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        search(&api, "reading lines").await["total"],
        0,
        "deleted passages are not found"
    );
    let gone = api
        .get(&format!(
            "/api/knowledge-base/{}",
            guide["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let (files, documents, chunks, _, blobs) = holdings(&server, &workspace).await;
    assert_eq!((files, documents, blobs), (1, 1, 1));
    assert_eq!(chunks, notes["chunk_count"].as_i64().unwrap());
}

#[tokio::test]
async fn an_exact_phrase_ranks_above_scattered_words() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    ingest(
        &api,
        "scattered.txt",
        "The queue was full, so the worker waited. Later a lease expired and the job moved on.",
        "text/plain",
    )
    .await;
    ingest(
        &api,
        "together.txt",
        "When the lease expired the job queue moved it.",
        "text/plain",
    )
    .await;
    let ranked = titles(&search(&api, "lease expired queue").await);
    assert_eq!(ranked.len(), 2);
    assert_eq!(ranked[0], "together.txt", "{ranked:?}");
    let phrase = search(&api, "\"lease expired\" queue").await;
    assert_eq!(phrase["total"], 2);
    let exact = titles(&search(&api, "\"job queue\"").await);
    assert_eq!(exact, ["together.txt"]);
}

#[tokio::test]
async fn a_malformed_file_fails_its_document_only() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let broken = put_file(
        &api,
        "broken.txt",
        vec![0xff, 0xfe, 0xfd, b'a', 0x80],
        "text/plain",
    )
    .await;
    assert_eq!(
        broken.status,
        StatusCode::CREATED,
        "stored all the same: {}",
        broken.body
    );
    let fine = ingest(&api, "fine.txt", "still searchable", "text/plain").await;
    let broken = settled(&api, broken.body["document_id"].as_str().unwrap()).await;
    assert_eq!(broken["status"], "failed");
    assert!(
        broken["failure"]
            .as_str()
            .is_some_and(|reason| !reason.is_empty()),
        "{broken}"
    );
    assert_eq!(fine["status"], "ready");
    assert_eq!(search(&api, "searchable").await["total"], 1);
}

#[tokio::test]
async fn search_never_errors_on_any_input() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    ingest(
        &api,
        "a.txt",
        "alpha beta gamma \"quoted\" NOT AND OR NEAR * ^ : -",
        "text/plain",
    )
    .await;
    let alphabet: Vec<char> = "ab \"-*^:()+~'\\/NOTANDORNEAR{}[]é字\u{0}\t\n%_.,;!?@#$&|<>="
        .chars()
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let mut text = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for n in 0..(state % 24) {
            let index =
                ((state >> (n % 48)) as usize).wrapping_add(n as usize * 31) % alphabet.len();
            text.push(alphabet[index]);
        }
        let answer = api
            .get(&format!(
                "/api/knowledge-base/search?q={}&limit=5",
                urlencode(&text)
            ))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{text:?}: {}", answer.body);
        assert!(answer.body["items"].is_array(), "{text:?}");
    }
    // Odd texts mean what the syntax says, on both engines.
    for (text, total) in [
        ("\"", 0),
        ("-", 0),
        ("*", 0),
        ("\"alpha", 1),
        ("-alpha", 0),
        ("alpha:beta", 1),
        ("gamma -quoted", 0),
        ("gamma -\"quoted\"", 0),
        ("\"beta alpha\"", 0),
    ] {
        assert_eq!(search(&api, text).await["total"], total, "{text}");
    }
}

#[tokio::test]
async fn another_workspaces_files_and_hits_are_never_visible() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let mine = ingest(
        &api,
        "mine.txt",
        "the shared secret word zebra",
        "text/plain",
    )
    .await;

    let mut other_owner = crate::common::other_workspace_owner(&server, "other@example.com").await;
    let (_, other_token) =
        crate::common::create_token(&mut other_owner, &[("name", "other")]).await;
    let other = Api::new(&server, &other_token);
    ingest(&other, "theirs.txt", "another zebra here", "text/plain").await;

    let hits = search(&other, "zebra").await;
    assert_eq!(titles(&hits), ["theirs.txt"]);
    assert_eq!(other.get("/api/knowledge-base").await.body["total"], 1);
    assert_eq!(
        other.get("/api/knowledge-base/storage").await.body["total"],
        1
    );
    let file_id = mine["file_id"].as_str().unwrap();
    for path in [
        format!("/api/knowledge-base/{}", mine["id"].as_str().unwrap()),
        format!("/api/knowledge-base/storage/{file_id}"),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let delete = other
        .delete(&format!("/api/knowledge-base/storage/{file_id}"))
        .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(search(&api, "zebra").await["total"], 1, "mine is untouched");
}

#[tokio::test]
async fn ingestion_resumes_after_its_instance_dies_mid_job() {
    // An instance that only serves requests: the job waits in the queue.
    let first = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let (api, _) = admin(&first).await;
    let stored = put_file(
        &api,
        "later.txt",
        b"resumable ingestion".to_vec(),
        "text/plain",
    )
    .await;
    let document_id = stored.body["document_id"].as_str().unwrap().to_owned();
    // As if an instance had claimed it and died: running, under a lease that ran out.
    sqlx::query(
        "UPDATE jobs SET state = 'running', attempts = 1, lease_owner = 'dead', lease_until = 1",
    )
    .execute(first.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        app::jobs::queue::outstanding(&first.state.db)
            .await
            .unwrap(),
        1
    );

    let second = TestServer::start_sharing(&first).await;
    let second_api = Api::new(&second, &api.token);
    let document = settled(&second_api, &document_id).await;
    assert_eq!(document["status"], "ready", "{document}");
    assert_eq!(search(&second_api, "resumable").await["total"], 1);
    assert_eq!(
        app::jobs::queue::outstanding(&second.state.db)
            .await
            .unwrap(),
        0
    );
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn a_job_that_keeps_killing_its_instance_is_given_up() {
    let first = TestServer::start_with(|config| config.jobs.workers = 0).await;
    let (api, _) = admin(&first).await;
    let stored = put_file(&api, "poison.txt", b"never indexed".to_vec(), "text/plain").await;
    let document_id = stored.body["document_id"].as_str().unwrap().to_owned();
    sqlx::query(
        "UPDATE jobs SET state = 'running', attempts = max_attempts, lease_owner = 'dead', lease_until = 1",
    )
    .execute(first.state.db.pool())
    .await
    .unwrap();
    let second = TestServer::start_sharing(&first).await;
    let document = settled(&Api::new(&second, &api.token), &document_id).await;
    assert_eq!(document["status"], "failed");
    assert!(
        document["failure"]
            .as_str()
            .unwrap()
            .contains("interrupted"),
        "{document}"
    );
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn every_file_kind_becomes_a_searchable_document() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../extract/tests/fixtures");
    // (file, type the client declares, the title it gets, a word only it holds)
    let cases = [
        ("sample.txt", "text/plain", "sample.txt", "fixture"),
        ("sample.csv", "text/csv", "sample.csv", "uses"),
        ("sample.json", "application/json", "sample.json", "tokens"),
        ("sample.md", "text/markdown", "Tessera Guide", "presets"),
        (
            "sample.html",
            "text/html",
            "Tessera — Knowledge Base",
            "phrases",
        ),
        ("sample.pdf", "application/pdf", "The PDF Title", "gap"),
        (
            "sample.docx",
            "application/octet-stream",
            "Core & Title",
            "cell",
        ),
    ];
    for (file, content_type, title, word) in cases {
        let bytes = std::fs::read(format!("{fixtures}/{file}")).unwrap();
        let stored = put_file(&api, file, bytes, content_type).await;
        assert_eq!(
            stored.status,
            StatusCode::CREATED,
            "{file}: {}",
            stored.body
        );
        let document = settled(&api, stored.body["document_id"].as_str().unwrap()).await;
        assert_eq!(document["status"], "ready", "{file}: {document}");
        assert_eq!(document["title"], title, "{file}");
        let hits = search(&api, word).await;
        assert!(
            hits["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|hit| hit["document_id"] == document["id"]),
            "{file}: {word:?} finds it: {hits}"
        );
    }
    // Recognised by its bytes, not its name: the DOCX was declared as octet-stream.
    let docs = api.get("/api/knowledge-base?limit=50").await;
    let docx = docs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file_name"] == "sample.docx")
        .unwrap()
        .clone();
    assert_eq!(
        docx["content_type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
}
