//! What the built server writes to its log, at its most talkative, holds no secret: the
//! binary (`CARGO_BIN_EXE_tessera`, as people run it) runs with `RUST_LOG=debug` on either
//! engine while a password, an account token, an integration secret and a webhook signing
//! secret pass through it — set-up and sign-in, every call made with the token, an
//! `http_request` step that sends the integration's secret, a signed webhook event — and its
//! whole output is searched for each afterwards.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use app::testing::TestDatabase;

const PASSWORD: &str = "a password only this test knows";
const INTEGRATION_SECRET: &str = "integration-secret-5c1f9e";

/// The server binary running as a child process, its output going to a file.
struct Running {
    child: Child,
    base: String,
    log: PathBuf,
    client: reqwest::Client,
    cookie: String,
    _data_dir: tempfile::TempDir,
}

impl Running {
    fn start(database: &TestDatabase) -> Running {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let data_dir = tempfile::tempdir().unwrap();
        let log = data_dir.path().join("server.log");
        let output = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_tessera"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TESSERA_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &database.url)
            .env("TESSERA_DATA_DIR", data_dir.path())
            .env("TESSERA_EGRESS_ALLOW", "127.0.0.1")
            .env("RUST_LOG", "debug")
            .stdout(Stdio::from(output.try_clone().unwrap()))
            .stderr(Stdio::from(output))
            .spawn()
            .unwrap();
        Running {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
            client: reqwest::Client::new(),
            cookie: String::new(),
            _data_dir: data_dir,
        }
    }

    async fn wait_until_healthy(&self) {
        for _ in 0..300 {
            let answer = self
                .client
                .get(format!("{}/healthz", self.base))
                .send()
                .await;
            if answer.is_ok_and(|answer| answer.status() == StatusCode::OK) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the server never answered /healthz; see {}",
            self.log.display()
        );
    }

    /// A server function called as the browser calls it, with the session cookie.
    async fn rpc(&mut self, function: &str, form: &[(&str, &str)]) -> Value {
        let answer = self
            .client
            .post(format!("{}/rpc/{function}", self.base))
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{function}");
        if let Some(cookie) = answer.headers().get("set-cookie") {
            let pair = cookie.to_str().unwrap().split(';').next().unwrap();
            self.cookie = pair.to_owned();
        }
        serde_json::from_str(&answer.text().await.unwrap()).unwrap_or(Value::Null)
    }

    async fn api(&self, token: &str, method: reqwest::Method, path: &str, body: Value) -> Value {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if !body.is_null() {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
        answer.json().await.unwrap()
    }

    /// The execution once it is over.
    async fn finished(&self, token: &str, agent_id: &str, id: &str) -> Value {
        let path = format!("/api/agent-base/{agent_id}/executions/{id}");
        for _ in 0..200 {
            let execution = self
                .api(token, reqwest::Method::GET, &path, Value::Null)
                .await;
            if !matches!(execution["status"].as_str(), Some("queued" | "running")) {
                return execution;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("execution {id} never finished");
    }

    /// Stops the server as a service manager does (SIGTERM) and returns what it wrote.
    fn stop(mut self) -> String {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(stopped.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server stopped cleanly: {status}");
        read(&self.log)
    }
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

#[tokio::test]
async fn a_debug_log_of_the_built_server_holds_no_secret() {
    let echo = crate::executions::outside().await;
    let database = TestDatabase::new().await;
    let mut server = Running::start(&database);
    server.wait_until_healthy().await;

    server
        .rpc(
            "setup_workspace",
            &[
                ("workspace_name", "Logs"),
                ("name", "Lou Logs"),
                ("email", "lou@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    server.rpc("sign_out", &[]).await;
    server
        .rpc(
            "sign_in",
            &[("email", "lou@example.com"), ("password", PASSWORD)],
        )
        .await;
    let created = server.rpc("create_token", &[("name", "logged")]).await;
    let token = created["plaintext"].as_str().unwrap().to_owned();
    let environment = server
        .rpc(
            "create_environment",
            &[
                ("name", "Prod"),
                ("purpose", "production"),
                ("description", ""),
            ],
        )
        .await;
    let environment_id = environment["id"].as_str().unwrap().to_owned();

    use reqwest::Method;
    server
        .api(
            &token,
            Method::POST,
            "/api/integrations-base",
            json!({"name": "Service", "kind": "http", "settings": {"base_url": echo},
                   "secrets": {"X-Api-Key": INTEGRATION_SECRET}}),
        )
        .await;
    let agent = server
        .api(
            &token,
            Method::POST,
            "/api/agent-base",
            json!({"name": "Caller", "version": "1", "config": {"steps": [
                {"id": "call", "kind": "http_request", "integration": "Service",
                 "method": "POST", "path": "/echo", "body": "{{ input }}"}]}}),
        )
        .await;
    let agent_id = agent["id"].as_str().unwrap().to_owned();
    let trigger = |kind: &str| {
        json!({"name": format!("{kind} trigger"), "agent_id": agent_id,
               "environment_id": environment_id, "kind": kind})
    };

    // An http_request step sends the secret; the answer echoes it back.
    let manual = server
        .api(
            &token,
            Method::POST,
            "/api/agent-base/triggers",
            trigger("manual"),
        )
        .await;
    let path = format!(
        "/api/agent-base/triggers/{}/execute",
        manual["id"].as_str().unwrap()
    );
    let started = server
        .api(&token, Method::POST, &path, json!({"input": {"n": 1}}))
        .await;
    let execution_id = started["execution_id"].as_str().unwrap().to_owned();
    let done = server.finished(&token, &agent_id, &execution_id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["output"]["body"]["headers"]["x-api-key"], "[secret]");

    // A signed webhook event, under the secret shown once.
    let webhook = server
        .api(
            &token,
            Method::POST,
            "/api/agent-base/triggers",
            trigger("webhook"),
        )
        .await;
    let signing_secret = webhook["signing_secret"].as_str().unwrap().to_owned();
    let body = br#"{"n": 2}"#;
    let timestamp = app::clock::now_ms() / 1000;
    let signature =
        app::triggers::signing::sign(&signing_secret, "evt-1", timestamp, body).unwrap();
    let delivered = server
        .client
        .post(format!(
            "{}{}",
            server.base,
            webhook["webhook_path"].as_str().unwrap()
        ))
        .header("content-type", "application/json")
        .header("webhook-id", "evt-1")
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", &signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(delivered.status(), StatusCode::ACCEPTED);
    let delivered: Value = delivered.json().await.unwrap();
    let event_execution = delivered["execution_id"].as_str().unwrap();
    let done = server.finished(&token, &agent_id, event_execution).await;
    assert_eq!(done["status"], "succeeded", "{done}");

    let log = server.stop();
    // The log is talkative: the run and the event are in it, at debug level.
    assert!(log.contains("DEBUG"), "RUST_LOG=debug took effect");
    assert!(log.contains(&execution_id), "the execution was logged");
    assert!(
        log.contains(event_execution),
        "the event's execution was logged"
    );
    // … and holds none of the secrets that went through.
    // `tsr_`, the key id (12), the secret (32), the checksum (6).
    let token_secret = &token[16..48];
    let signing_key = signing_secret.trim_start_matches("whsec_");
    for (what, secret) in [
        ("the password", PASSWORD),
        ("the token", token.as_str()),
        ("the token's secret part", token_secret),
        ("the integration secret", INTEGRATION_SECRET),
        ("the signing secret", signing_key),
        ("the event's signature", signature.as_str()),
    ] {
        assert!(!log.contains(secret), "{what} is in the log");
    }
}
