//! What this installation is running on: the database engine and its schema version.
//! Settings shows it to members (it proves the whole stack works); nobody else learns it.

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
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        service::info(&state, &principal).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod service {
    use super::SystemInfo;
    use crate::access::{authorize, Action, Op, Principal, Target};
    use crate::error::AppError;
    use crate::state::AppState;

    /// Members of a workspace may see what it runs on; anonymous callers may not.
    pub async fn info(state: &AppState, principal: &Principal) -> Result<SystemInfo, AppError> {
        authorize(principal, Action::settings(Op::Read), Target::Any)?;
        super::repo::system_info(&state.db).await
    }
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
