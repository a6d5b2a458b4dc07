//! What this installation is running on: the database engine and its schema version.
//! The home page reads it through a server function, which proves the whole stack works.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemInfo {
    pub engine: String,
    pub migrations_applied: i64,
    pub latest_migration: Option<String>,
}

#[server(prefix = "/rpc", endpoint = "get_system_info")]
pub async fn get_system_info() -> Result<SystemInfo, AppError> {
    let state = use_context::<crate::state::AppState>().ok_or(AppError::Internal)?;
    repo::system_info(&state.db).await
}

#[cfg(feature = "ssr")]
mod repo {
    use super::SystemInfo;
    use crate::db::Db;
    use crate::error::AppError;

    pub async fn system_info(db: &Db) -> Result<SystemInfo, AppError> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = $1")
                .bind(true)
                .fetch_one(db.pool())
                .await?;
        let latest: Option<(String,)> = sqlx::query_as(
            "SELECT description FROM _sqlx_migrations ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(db.pool())
        .await?;
        Ok(SystemInfo {
            engine: db.engine().name().to_owned(),
            migrations_applied: count,
            latest_migration: latest.map(|(description,)| description),
        })
    }
}
