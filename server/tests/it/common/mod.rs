//! A real Tessera server for integration tests: a fresh database (SQLite or PostgreSQL, see
//! `app::testing`), the real router, a real TCP listener on an ephemeral port.

// Test scaffolding: a failed set-up step should panic loudly, like an assertion.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;

use app::access::Principal;
use app::bearer::{AuthFailure, BearerError};
use app::state::AppState;
use app::testing::TestDatabase;
use tessera::config::Config;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    pub client: reqwest::Client,
    pub database: TestDatabase,
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), tessera::StartError>>>,
    _data_dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server whose configuration `configure` adjusts first (say, shorter rate limits).
    pub async fn start_with(configure: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_on(TestDatabase::new().await, None, configure).await
    }

    /// A second instance on this server's database, as behind a load balancer.
    pub async fn start_sharing(other: &TestServer) -> TestServer {
        Self::start_sharing_with(other, |_| {}).await
    }

    /// A second instance on this server's database, configured by `configure` (a rotated
    /// server key, say).
    pub async fn start_sharing_with(
        other: &TestServer,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        // Its data folder holds the server key: every instance of a database shares it.
        let data_dir = other._data_dir.path().to_path_buf();
        Self::start_on(other.database.shared(), Some(data_dir), configure).await
    }

    async fn start_on(
        database: TestDatabase,
        shared_data_dir: Option<std::path::PathBuf>,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        let mut config = Config::from_lookup(|_| None).expect("default configuration");
        config.database_url = database.url.clone();
        config.data_dir = shared_data_dir.unwrap_or_else(|| data_dir.path().to_path_buf());
        config.listen_addr = "127.0.0.1:0".parse().expect("an address");
        configure(&mut config);
        let state = tessera::build_state(&config).await.expect("server state");
        let listener = tokio::net::TcpListener::bind(config.listen_addr)
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("bound address");
        let (tx, rx) = oneshot::channel();
        let shutdown = async {
            let _ = rx.await;
        };
        let task = tokio::spawn(tessera::serve(
            state.clone(),
            listener,
            shutdown,
            config.patience(),
        ));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        TestServer {
            config,
            addr,
            state,
            client,
            database,
            shutdown: Some(tx),
            task: Some(task),
            _data_dir: data_dir,
        }
    }

    /// The server's data folder (secret key, and the blob folder unless S3 is configured).
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.config.data_dir.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The row cache of a PostgreSQL instance switches on once its change listener is
    /// connected (at once on SQLite).
    pub async fn wait_for_listener(&self) {
        for _ in 0..500 {
            if self.state.bearer.rows().is_enabled() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the change listener never connected");
    }

    /// Waits until this instance has applied every token change announced so far. On
    /// PostgreSQL a change reaches the cache twice: invalidated at once by the writer, and
    /// again when its notification arrives, which may be after a later request refilled the
    /// entry. A marker announced now arrives after them all (notifications keep commit order).
    pub async fn settle_token_changes(&self) {
        self.wait_for_listener().await;
        if self.state.db.engine() != app::db::Engine::Postgres {
            return;
        }
        const MARKER: &str = "test-marker";
        let rows = self.state.bearer.rows();
        rows.fill(MARKER, std::sync::Arc::new(Vec::new()), rows.epoch());
        let mut conn = self.state.db.pool().acquire().await.expect("a connection");
        app::bearer::changes::announce(&mut conn, &[MARKER])
            .await
            .expect("announced");
        for _ in 0..500 {
            if rows.get(MARKER).is_none() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the change listener never delivered the marker");
    }

    /// Graceful shutdown, keeping the database for inspection afterwards.
    pub async fn stop_keeping_database(mut self) -> TestDatabase {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server stopped cleanly");
        }
        self.database
    }

    /// Graceful shutdown, as on SIGTERM; returns once the server has drained and stopped.
    pub async fn stop(self) {
        self.stop_keeping_database().await;
    }
}

/// A browser-like session against a `TestServer`: keeps the session cookie, calls server
/// functions the way the hydrated app does (form-encoded POST to `/rpc/...`).
pub struct Browser<'a> {
    pub server: &'a TestServer,
    pub cookie: Option<String>,
}

pub struct RpcAnswer {
    pub status: reqwest::StatusCode,
    pub body: serde_json::Value,
    pub set_cookie: Option<String>,
    pub cache_control: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(server: &'a TestServer) -> Self {
        Browser {
            server,
            cookie: None,
        }
    }

    pub async fn call(&mut self, function: &str, form: &[(&str, &str)]) -> RpcAnswer {
        let mut request = self
            .server
            .client
            .post(self.server.url(&format!("/rpc/{function}")))
            .header("sec-fetch-site", "same-origin")
            .form(form);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("server function call");
        let status = response.status();
        let set_cookie = response
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().expect("ascii cookie").to_owned());
        if let Some(set_cookie) = &set_cookie {
            let pair = set_cookie.split(';').next().unwrap_or_default().to_owned();
            self.cookie = if pair.ends_with('=') {
                None
            } else {
                Some(pair)
            };
        }
        let cache_control = response
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().expect("ascii header").to_owned());
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        RpcAnswer {
            status,
            body,
            set_cookie,
            cache_control,
        }
    }

    /// A server-rendered page as this browser (with its session cookie) gets it.
    pub async fn get_page(&self, path: &str) -> String {
        let mut request = self.server.client.get(self.server.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("page");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        response.text().await.expect("html")
    }
}

pub const OWNER_EMAIL: &str = "owner@example.com";
pub const OWNER_PASSWORD: &str = "correct horse battery staple";

/// Runs first-run setup and returns the owner's signed-in browser.
pub async fn set_up_owner(server: &TestServer) -> Browser<'_> {
    let mut browser = Browser::new(server);
    let answer = browser
        .call(
            "setup_workspace",
            &[
                ("workspace_name", "Acme"),
                ("name", "Olive Owner"),
                ("email", OWNER_EMAIL),
                ("password", OWNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, reqwest::StatusCode::OK, "{:?}", answer.body);
    browser
}

/// Creates a user with `role` in `workspace_id` directly through the repositories (the invite
/// flow has its own tests) and returns their signed-in browser.
pub async fn add_user<'a>(
    server: &'a TestServer,
    workspace_id: &str,
    email: &str,
    role: app::auth::model::Role,
) -> Browser<'a> {
    use app::auth::{repo, sessions};
    let now = app::clock::now_ms();
    let password_hash = server
        .state
        .hasher
        .hash(OWNER_PASSWORD.into())
        .await
        .unwrap();
    let user = repo::UserRow {
        id: app::clock::new_id(),
        email: email.to_owned(),
        name: email.split('@').next().unwrap().to_owned(),
        password_hash,
    };
    let mut tx = server.state.db.pool().begin().await.unwrap();
    repo::insert_user(&mut tx, &user, now).await.unwrap();
    repo::insert_membership(&mut tx, workspace_id, &user.id, role, now)
        .await
        .unwrap();
    let session_id = sessions::start(&mut tx, &user.id, workspace_id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Browser {
        server,
        cookie: Some(format!("{}={session_id}", sessions::SESSION_COOKIE)),
    }
}

/// A second, unrelated workspace with its own owner: for "another workspace's id" tests.
pub async fn other_workspace_owner<'a>(server: &'a TestServer, email: &str) -> Browser<'a> {
    let workspace_id = app::clock::new_id();
    let mut tx = server.state.db.pool().begin().await.unwrap();
    app::auth::repo::insert_workspace(&mut tx, &workspace_id, "Other", app::clock::now_ms())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    add_user(server, &workspace_id, email, app::auth::model::Role::Owner).await
}

/// The workspace id of a signed-in browser.
pub async fn workspace_of(browser: &mut Browser<'_>) -> String {
    let state = browser.call("get_session_state", &[]).await;
    state.body["SignedIn"]["workspace_id"]
        .as_str()
        .expect("signed in")
        .to_owned()
}

/// A REST client holding one bearer token.
pub struct Api<'a> {
    pub server: &'a TestServer,
    pub token: String,
}

pub struct ApiAnswer {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl ApiAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ascii header"))
    }
}

impl<'a> Api<'a> {
    pub fn new(server: &'a TestServer, token: &str) -> Self {
        Api {
            server,
            token: token.to_owned(),
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> ApiAnswer {
        let mut request = self
            .server
            .client
            .request(method, self.server.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("API call")).await
    }

    pub async fn get(&self, path: &str) -> ApiAnswer {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> ApiAnswer {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> ApiAnswer {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: serde_json::Value) -> ApiAnswer {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> ApiAnswer {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

pub async fn answer(response: reqwest::Response) -> ApiAnswer {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    ApiAnswer {
        status,
        headers,
        body,
    }
}

/// Creates a token through the owner's server functions; returns `(id, plaintext)`.
pub async fn create_token(browser: &mut Browser<'_>, form: &[(&str, &str)]) -> (String, String) {
    let answer = browser.call("create_token", form).await;
    assert_eq!(answer.status, reqwest::StatusCode::OK, "{}", answer.body);
    (
        answer.body["token"]["id"].as_str().unwrap().to_owned(),
        answer.body["plaintext"].as_str().unwrap().to_owned(),
    )
}

/// Authenticates `token` exactly as the REST API does (`state.bearer`, caches included), as a
/// client without an address. A test that changes token rows with SQL of its own must call
/// `state.bearer.invalidate_all()` after, as the services do after their changes.
pub async fn authenticate(server: &TestServer, token: &str) -> Result<Principal, AuthFailure> {
    let state = &server.state;
    state
        .bearer
        .authenticate(
            state.db.pool(),
            &state.hasher,
            token,
            None,
            app::clock::now_ms(),
        )
        .await
        .map_err(|error| match error {
            BearerError::Refused(failure) => failure,
            BearerError::RateLimited { .. } => panic!("a test was rate-limited"),
        })
}

/// Writes the usage counted in memory now (the background task would within seconds).
pub async fn flush_usage(server: &TestServer) -> i64 {
    server
        .state
        .bearer
        .usage()
        .flush(server.state.db.pool())
        .await
        .unwrap()
}

/// `(usage_count, last_used_at)` of a token, straight from the database.
pub async fn stored_usage(pool: &sqlx::AnyPool, id: &str) -> (i64, Option<i64>) {
    sqlx::query_as("SELECT usage_count, last_used_at FROM tokens WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// GETs `url` and answers its status and body, or says what had arrived when it gave up:
/// a page whose stream never ends must fail the test, not hang it.
pub async fn get_within_10s(
    client: reqwest::Client,
    url: String,
) -> Result<(reqwest::StatusCode, String), String> {
    let received = std::sync::Arc::new(std::sync::Mutex::new(String::from("(no headers)")));
    let sink = received.clone();
    let fetch = async move {
        let mut response = client.get(&url).send().await.map_err(|e| e.to_string())?;
        sink.lock().unwrap().clear();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk));
        }
        let body = sink.lock().unwrap().clone();
        Ok((response.status(), body))
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), fetch)
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "timed out after receiving: {}",
                received.lock().unwrap()
            ))
        })
}

/// A sign-in as a browser behind a trusted proxy would send it, from client address `addr`.
pub async fn sign_in_from(
    server: &TestServer,
    addr: &str,
    email: &str,
    password: &str,
) -> reqwest::StatusCode {
    server
        .client
        .post(server.url("/rpc/sign_in"))
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", addr)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}
