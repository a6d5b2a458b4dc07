//! `/api/knowledge-base/storage`: list, upload (multipart or a raw body), download and
//! delete files (SPEC §4.3) through `storage::service`, the same code as the Knowledge base
//! page. Uploads are exempt from the 64 KiB body limit (`bounds`): the service streams and
//! counts them against the upload limit and the workspace quota.

use app::state::AppState;
use app::storage::model::{FilePage, FileQuery, StoredFile, Upload, UploadedFiles};
use app::storage::service;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;

use super::auth::Caller;
use super::body::ApiQuery;
use super::problem::{Problem, ProblemBody};
use crate::files;

/// One or several files as `multipart/form-data` parts (any field name; each part's file
/// name is kept for display).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the body for the OpenAPI document only.
pub struct UploadForm {
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

#[utoipa::path(get, path = "/api/knowledge-base/storage", tag = "storage", params(FileQuery),
    responses((status = 200, description = "One page of the workspace's files, newest first", body = FilePage)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<FileQuery>,
) -> Result<Json<FilePage>, Problem> {
    Ok(Json(service::list(&state, &principal, &query).await?))
}

#[utoipa::path(post, path = "/api/knowledge-base/storage", tag = "storage",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored, in the order sent (a file whose bytes the workspace already holds answers the existing file)", body = UploadedFiles),
        (status = 413, description = "A file is over the upload limit or the workspace's quota; nothing from the request is kept", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    Caller(principal): Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<UploadedFiles>), Problem> {
    let uploads = files::upload_multipart(&state, &principal, &headers, body).await?;
    let items = uploads.into_iter().map(Upload::into_file).collect();
    Ok((StatusCode::CREATED, Json(UploadedFiles { items })))
}

#[utoipa::path(put, path = "/api/knowledge-base/storage/{file}", tag = "storage",
    params(("file" = String, Path, description = "The file's name (shown in lists and used for downloads)")),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes; Content-Type says what they are"),
    responses(
        (status = 201, description = "Stored", body = StoredFile),
        (status = 200, description = "The workspace already holds these bytes: its file", body = StoredFile),
        (status = 413, description = "Over the upload limit or the workspace's quota; nothing is kept", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn put(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<StoredFile>), Problem> {
    Ok(
        match files::upload_raw(&state, &principal, &name, &headers, body).await? {
            Upload::Created(file) => (StatusCode::CREATED, Json(file)),
            Upload::Duplicate(file) => (StatusCode::OK, Json(file)),
        },
    )
}

#[utoipa::path(get, path = "/api/knowledge-base/storage/{file}", tag = "storage",
    params(("file" = String, Path, description = "The file's id")),
    responses((status = 200, description = "The file's bytes, as an attachment", content_type = "application/octet-stream")))]
pub async fn download(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let download = service::download(&state, &principal, &id).await?;
    Ok(files::download_response(download))
}

#[utoipa::path(delete, path = "/api/knowledge-base/storage/{file}", tag = "storage",
    params(("file" = String, Path, description = "The file's id")),
    responses((status = 204, description = "Deleted, with its knowledge-base document and search passages")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    service::delete(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
