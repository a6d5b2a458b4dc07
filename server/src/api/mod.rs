//! The REST API under `/api`, for programs holding a bearer token. Every route but the
//! OpenAPI document and its readable page (`/api/docs`) sits behind the bearer middleware
//! (`auth`; optional only on `/api/ping`);
//! every error is problem+json (`problem`).

pub mod auth;
pub mod body;
pub mod docs;
pub mod openapi;
pub mod problem;
pub mod tokens;

use app::state::AppState;
use app::AppError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use self::problem::Problem;

pub fn router(state: &AppState) -> Router<AppState> {
    let shared = std::sync::Arc::new(state.clone());
    let protected =
        tokens::router().route_layer(from_fn_with_state(shared.clone(), auth::require_bearer));
    let ping_route = get(ping).route_layer(from_fn_with_state(shared, auth::optional_bearer));
    Router::new()
        .route("/ping", ping_route)
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(docs::page))
        .merge(protected)
        .fallback(|| async { Problem::from(AppError::NotFound) })
}

/// The answer of `/api/ping`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pong {
    pub status: &'static str,
}

/// Liveness for API clients: the cheapest JSON route. Needs no token, but checks one that is
/// sent, so it also answers "is this token good?" and serves as the benchmark's route for
/// the same answer with and without authentication.
#[utoipa::path(get, path = "/api/ping", tag = "system", security((), ("bearer" = [])),
    responses((status = 200, description = "The API is up", body = Pong)))]
pub async fn ping() -> Json<Pong> {
    Json(Pong { status: "ok" })
}

/// Outside the body-size limit: its bare 413 becomes a problem for `/api` callers.
pub async fn problem_for_oversized_bodies(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if is_api && response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_problem {
        return body::too_large().into_response();
    }
    response
}
