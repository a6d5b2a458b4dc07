//! Retries, against a small HTTP/1.1 server in the test: a 503 with `Retry-After: 1` is
//! waited out and retried when the request may be repeated, and never for a plain POST.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tessera_sdk::wire::triggers::ExecuteRequest;
use tessera_sdk::{Client, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::common::{forged_token, refusal};

/// One canned answer: status line, extra headers, body.
type Answer = (&'static str, &'static str, String);

/// Serves `answers` in order (the last one again once they run out); records each request's
/// head (request line and headers).
async fn serve(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut served = 0;
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut request = Vec::new();
            let mut buffer = [0_u8; 4096];
            // The head, then as much body as Content-Length says.
            let head_end = loop {
                let read = socket.read(&mut buffer).await.unwrap_or(0);
                if read == 0 {
                    break None;
                }
                request.extend_from_slice(&buffer[..read]);
                if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(end + 4);
                }
            };
            let Some(head_end) = head_end else { continue };
            let head = String::from_utf8_lossy(&request[..head_end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            while request.len() < head_end + length {
                let read = socket.read(&mut buffer).await.unwrap_or(0);
                if read == 0 {
                    break;
                }
                request.extend_from_slice(&buffer[..read]);
            }
            log.lock().unwrap().push(head);
            let (status, headers, body) = &answers[served.min(answers.len() - 1)];
            served += 1;
            let response = format!(
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, seen)
}

fn unavailable() -> Answer {
    (
        "503 Service Unavailable",
        "Retry-After: 1\r\nContent-Type: application/problem+json\r\n",
        json!({"type": "https://tessera.dev/problems/unavailable", "title": "Service Unavailable",
               "status": 503, "detail": "Try again shortly."})
        .to_string(),
    )
}

fn client(url: &str) -> Client {
    Client::builder()
        .token(forged_token())
        .base_url(url)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_503_with_retry_after_is_waited_out_and_retried() {
    let ok = (
        "200 OK",
        "Content-Type: application/json\r\n",
        json!({"status": "ok"}).to_string(),
    );
    let (url, seen) = serve(vec![unavailable(), ok]).await;
    let started = Instant::now();
    let pong = client(&url).system().ping().await.unwrap();
    assert_eq!(pong.status, "ok");
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests.iter().all(|r| r.starts_with("GET /api/ping ")));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "did not wait for Retry-After"
    );
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried() {
    let executed = json!({"execution_id": "e1", "execution": {
        "id": "e1", "agent_id": "a", "environment_id": "env", "trigger_id": "t", "trigger_name": "t",
        "status": "queued", "input": {}, "output": null, "error": null, "attempts": 0,
        "cancel_requested": false, "created_at_ms": 0, "started_at_ms": null, "finished_at_ms": null}});
    let accepted = (
        "202 Accepted",
        "Content-Type: application/json\r\n",
        executed.to_string(),
    );
    let (url, seen) = serve(vec![unavailable(), accepted]).await;
    let run = client(&url)
        .triggers()
        .execute("t", &ExecuteRequest::default(), Some("key-1"))
        .await
        .unwrap();
    assert_eq!(run.execution_id, "e1");
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| r.to_ascii_lowercase().contains("idempotency-key: key-1")));
}

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_not_retried() {
    let (url, seen) = serve(vec![unavailable()]).await;
    let problem = refusal(client(&url).tokens().suspend("some-token").await);
    assert_eq!(problem.status, 503);
    assert_eq!(problem.kind(), "unavailable");
    assert_eq!(problem.retry_after, Some(Duration::from_secs(1)));
    assert_eq!(seen.lock().unwrap().len(), 1, "a plain POST was sent twice");
}

#[tokio::test]
async fn retries_are_bounded() {
    let (url, seen) = serve(vec![(
        "429 Too Many Requests",
        "Retry-After: 0\r\n",
        String::new(),
    )])
    .await;
    let client = Client::builder()
        .token(forged_token())
        .base_url(&url)
        .retry(RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let problem = refusal(client.agents().get("a").await);
    assert_eq!(problem.status, 429);
    assert_eq!(
        problem.type_uri, "about:blank",
        "not problem+json: kept as it is"
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
}
