//! The Knowledge base page's file transfers. They are plain routes rather than server
//! functions because a browser reports upload progress only for a request it sends itself
//! (XMLHttpRequest) with the file as the body, and downloads are links. Same session door
//! (`rpc::session_of`), same service as the REST API; errors are `AppError` JSON, as server
//! functions answer. Cross-site calls are refused with every other `/rpc` write
//! (`security::same_origin_rpc`).

use app::rpc::session_of;
use app::state::AppState;
use app::storage::model::{StoredFile, Upload};
use app::storage::service;
use app::AppError;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::files;

/// `POST` the file as the body, `?name=` its name.
pub const UPLOAD_PATH: &str = "/rpc/storage/upload";
/// `GET` a file by id, as an attachment.
pub const DOWNLOAD_PATH: &str = "/rpc/storage/files/{id}";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(UPLOAD_PATH, post(upload))
        .route(DOWNLOAD_PATH, get(download))
}

#[derive(Deserialize)]
struct UploadName {
    name: String,
}

/// What the page learns about an upload: the file, and whether it was already stored.
#[derive(Serialize)]
struct Uploaded {
    file: StoredFile,
    duplicate: bool,
}

struct Refusal(AppError);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Refusal(error)
    }
}

async fn upload(
    State(state): State<AppState>,
    Query(UploadName { name }): Query<UploadName>,
    request: Request,
) -> Result<(StatusCode, Json<Uploaded>), Refusal> {
    let (parts, body): (_, Body) = request.into_parts();
    let session = session_of(&state, &parts).await?;
    let upload = files::upload_raw(&state, &session.principal, &name, &parts.headers, body).await?;
    Ok(match upload {
        Upload::Created(file) => (
            StatusCode::CREATED,
            Json(Uploaded {
                file,
                duplicate: false,
            }),
        ),
        Upload::Duplicate(file) => (
            StatusCode::OK,
            Json(Uploaded {
                file,
                duplicate: true,
            }),
        ),
    })
}

async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, Refusal> {
    let (parts, _) = request.into_parts();
    let session = session_of(&state, &parts).await?;
    let download = service::download(&state, &session.principal, &id).await?;
    Ok(files::download_response(download))
}
