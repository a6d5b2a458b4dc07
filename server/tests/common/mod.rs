//! A real Tessera server for integration tests: a fresh database (SQLite or PostgreSQL, see
//! `app::testing`), the real router, a real TCP listener on an ephemeral port.

#![allow(dead_code)]

use std::net::SocketAddr;

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
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), tessera::StartError>>>,
    _data_dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let database = TestDatabase::new().await;
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        let mut config = Config::from_lookup(|_| None).expect("default configuration");
        config.database_url = database.url.clone();
        config.data_dir = data_dir.path().to_path_buf();
        config.listen_addr = "127.0.0.1:0".parse().expect("an address");
        let state = tessera::build_state(&config).await.expect("server state");
        let listener = tokio::net::TcpListener::bind(config.listen_addr)
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("bound address");
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(tessera::serve(state.clone(), listener, async {
            let _ = rx.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        TestServer {
            addr,
            state,
            client,
            database,
            shutdown: Some(tx),
            task: Some(task),
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Graceful shutdown, as on SIGTERM; returns once the server has drained and stopped.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }
}
