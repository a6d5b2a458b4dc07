//! File bodies in and out over HTTP, for both doors (the REST API and the Knowledge base
//! page): a raw or multipart upload handed to the storage service as a stream, and a download
//! streamed back as an attachment.

use app::access::Principal;
use app::state::AppState;
use app::storage::domain::content_disposition;
use app::storage::model::Upload;
use app::storage::service::{self, Download, Incoming};
use app::AppError;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

/// Most files one multipart request may carry.
pub const MAX_FILES_PER_REQUEST: usize = 20;

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Stores a raw body as the file `name`.
pub async fn upload_raw(
    state: &AppState,
    principal: &Principal,
    name: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Upload, AppError> {
    let incoming = Incoming {
        name: name.to_owned(),
        content_type: header_text(headers, header::CONTENT_TYPE).map(str::to_owned),
        declared_len: header_text(headers, header::CONTENT_LENGTH).and_then(|v| v.parse().ok()),
        body: body.into_data_stream(),
    };
    service::upload(state, principal, incoming).await
}

/// Stores every file part of a `multipart/form-data` body, in order. All or nothing: when
/// one part is refused, the files stored before it in this request are deleted again.
pub async fn upload_multipart(
    state: &AppState,
    principal: &Principal,
    headers: &HeaderMap,
    body: Body,
) -> Result<Vec<Upload>, AppError> {
    let boundary = header_text(headers, header::CONTENT_TYPE)
        .and_then(|value| multer::parse_boundary(value).ok())
        .ok_or_else(|| {
            AppError::field(
                "file",
                "Send the files as multipart/form-data (or one raw body with PUT).",
            )
        })?;
    let mut parts = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut stored: Vec<Upload> = Vec::new();
    let outcome = async {
        loop {
            let field = match parts.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(error) => {
                    tracing::info!(%error, "malformed multipart body");
                    return Err(AppError::field("file", "The multipart body is malformed."));
                }
            };
            // Form fields that are not files are ignored, as browsers send them alongside.
            let Some(name) = field.file_name().map(str::to_owned) else {
                continue;
            };
            if stored.len() == MAX_FILES_PER_REQUEST {
                return Err(AppError::field(
                    "file",
                    format!("Send at most {MAX_FILES_PER_REQUEST} files per request."),
                ));
            }
            let incoming = Incoming {
                name,
                content_type: field.content_type().map(ToString::to_string),
                declared_len: None,
                body: field.boxed(),
            };
            stored.push(service::upload(state, principal, incoming).await?);
        }
        if stored.is_empty() {
            return Err(AppError::field("file", "The request holds no file."));
        }
        Ok(())
    }
    .await;
    if let Err(error) = outcome {
        for upload in stored {
            if let Upload::Created(file) = upload {
                if let Err(undo) = service::delete(state, principal, &file.id).await {
                    tracing::warn!(error = %undo, file_id = %file.id, "could not undo an upload");
                }
            }
        }
        return Err(error);
    }
    Ok(stored)
}

/// The file as an attachment: its stored type and exact length, never run by a browser
/// (`nosniff` is on every answer) and never cached by a shared cache.
pub fn download_response(download: Download) -> Response {
    let Download { file, body } = download;
    let mut response =
        Body::from_stream(body.map(|piece| piece.map_err(std::io::Error::other))).into_response();
    let headers = response.headers_mut();
    let value = |text: &str| {
        HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, value(&file.content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    if let Ok(disposition) = HeaderValue::from_str(&content_disposition(&file.name)) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}
