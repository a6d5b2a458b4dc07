//! `GET /healthz`: liveness plus database reachability, for load balancers and tests.

use std::time::Duration;

use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

const DATABASE_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let reachable = matches!(
        tokio::time::timeout(DATABASE_CHECK_TIMEOUT, state.db.ping()).await,
        Ok(Ok(()))
    );
    if reachable {
        (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": "ok" })),
        )
    } else {
        tracing::warn!("health check: database unreachable");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": "unreachable" })),
        )
    }
}
