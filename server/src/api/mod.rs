//! The REST API under `/api`, for programs holding a bearer token. Every route but the
//! OpenAPI document and its readable page (`/api/docs`) sits behind the bearer middleware
//! (`auth`; optional only on `/api/ping`); every error is problem+json (`problem`).

pub mod agents;
pub mod assistant;
pub mod auth;
pub mod body;
pub mod docs;
pub mod executions;
pub mod integrations;
pub mod knowledge;
pub mod openapi;
pub mod problem;
pub mod storage;
pub mod tokens;
pub mod triggers;
pub mod webhooks;

use std::sync::Arc;

use app::state::AppState;
use app::AppError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Json, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::openapi::{ApiDocument, Door};
use self::problem::Problem;

/// The REST API: one list of routes builds both the router and the OpenAPI document, so no
/// route can exist undocumented. Each group's door (public, optional token, required token)
/// sets its middleware and its document entries together.
pub fn router(state: &AppState) -> Router<AppState> {
    let shared = Arc::new(state.clone());
    let public = OpenApiRouter::new()
        .routes(routes!(openapi::document))
        .routes(routes!(docs::page));
    let optional_token = OpenApiRouter::new()
        .routes(routes!(ping))
        .routes(routes!(webhooks::deliver));
    let token = OpenApiRouter::new()
        .routes(routes!(tokens::token_self))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::show, tokens::update, tokens::delete))
        .routes(routes!(tokens::regenerate))
        .routes(routes!(tokens::suspend))
        .routes(routes!(tokens::activate))
        .routes(routes!(tokens::revoke))
        .routes(routes!(agents::list, agents::install))
        .routes(routes!(triggers::list, triggers::create))
        .routes(routes!(triggers::show, triggers::update, triggers::delete))
        .routes(routes!(triggers::execute))
        .routes(routes!(triggers::rotate_secret))
        .routes(routes!(executions::list))
        .routes(routes!(executions::show))
        .routes(routes!(executions::cancel))
        .routes(routes!(agents::show, agents::update, agents::delete))
        .routes(routes!(integrations::list, integrations::create))
        .routes(routes!(
            integrations::show,
            integrations::update,
            integrations::delete
        ))
        .routes(routes!(integrations::test))
        .routes(routes!(knowledge::list))
        .routes(routes!(knowledge::search))
        .routes(routes!(knowledge::show))
        .routes(routes!(storage::list, storage::upload))
        .routes(routes!(storage::put, storage::download, storage::delete))
        .routes(routes!(assistant::chat))
        .routes(routes!(assistant::history))
        .routes(routes!(assistant::conversation));

    let mut document = openapi::base();
    let mut router = Router::new();
    for (routes, door) in [
        (public, Door::Public),
        (optional_token, Door::OptionalToken),
        (token, Door::Token),
    ] {
        let (routes, mut part) = routes.split_for_parts();
        door.describe(&mut part);
        document.merge(part);
        router = router.merge(match door {
            Door::Public => routes,
            Door::OptionalToken => {
                routes.route_layer(from_fn_with_state(shared.clone(), auth::optional_bearer))
            }
            Door::Token => {
                routes.route_layer(from_fn_with_state(shared.clone(), auth::require_bearer))
            }
        });
    }
    router
        .route(
            "/api/{*unknown}",
            any(|| async { Problem::from(AppError::NotFound) }),
        )
        .layer(Extension(Arc::new(ApiDocument::new(document))))
}

pub use tessera_wire::Pong;

/// Liveness for API clients: the cheapest JSON route. Needs no token, but checks one that is
/// sent, so it also answers "is this token good?" and serves as the benchmark's route for
/// the same answer with and without authentication.
#[utoipa::path(get, path = "/api/ping", tag = "system",
    responses((status = 200, description = "The API is up", body = Pong)))]
pub async fn ping() -> Json<Pong> {
    Json(Pong {
        status: "ok".to_owned(),
    })
}

/// Outside the body-size limit and the request timeout: their bare 413 and 408 become
/// problems for `/api` callers.
pub async fn problems_for_bare_refusals(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if !is_api || is_problem {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => body::too_large().into_response(),
        StatusCode::REQUEST_TIMEOUT => Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "request-timeout",
            "The request took too long to arrive; send it again.",
        )
        .into_response(),
        _ => response,
    }
}
