//! Test support shared by every crate's database tests: a fresh database per test on the
//! engine the test run was started for.
//!
//! `TESSERA_TEST_POSTGRES_URL` unset → a new SQLite file in a temporary folder.
//! Set (to a role that may `CREATE DATABASE`) → a new PostgreSQL database per test.
//! `scripts/test.sh` runs the whole suite once each way.

use std::path::PathBuf;
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};

use crate::db::{Db, Engine};

pub const POSTGRES_URL_VAR: &str = "TESSERA_TEST_POSTGRES_URL";

/// A database that exists for one test. SQLite files are removed when it drops; PostgreSQL
/// databases are left for the test script to drop with the throwaway cluster's role.
pub struct TestDatabase {
    pub url: String,
    pub engine: Engine,
    sqlite_dir: Option<PathBuf>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl TestDatabase {
    pub async fn new() -> TestDatabase {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        match std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        {
            None => {
                let dir = std::env::temp_dir().join(format!("tessera-test-{unique}"));
                std::fs::create_dir_all(&dir).expect("create a temporary folder");
                TestDatabase {
                    url: format!("sqlite://{}/tessera.db", dir.display()),
                    engine: Engine::Sqlite,
                    sqlite_dir: Some(dir),
                }
            }
            Some(admin_url) => {
                let name = format!("tessera_test_{unique}");
                let options = PgConnectOptions::from_str(&admin_url).expect("a PostgreSQL URL");
                let mut admin = options
                    .connect()
                    .await
                    .expect("connect to the test PostgreSQL");
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create a test database");
                admin.close().await.expect("close the admin connection");
                let url = options.database(&name).to_url_lossy().to_string();
                TestDatabase {
                    url,
                    engine: Engine::Postgres,
                    sqlite_dir: None,
                }
            }
        }
    }

    /// The same database under a second handle that does not remove it on drop: for a second
    /// server instance.
    pub fn shared(&self) -> TestDatabase {
        TestDatabase {
            url: self.url.clone(),
            engine: self.engine,
            sqlite_dir: None,
        }
    }

    /// Connects and migrates.
    pub async fn connect(&self) -> Db {
        let db = Db::connect(&self.url, 5)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        db
    }
}
