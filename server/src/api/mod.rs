//! The REST API under `/api`, for programs holding a bearer token.

pub mod problem;

use app::state::AppState;
use app::AppError;
use axum::Router;

use self::problem::Problem;

pub fn router() -> Router<AppState> {
    Router::new().fallback(|| async { Problem::from(AppError::NotFound) })
}
