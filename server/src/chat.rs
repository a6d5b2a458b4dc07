//! The assistant's answers as Server-Sent Events, for both doors: `/api/assistant/chat` (a
//! bearer token, `api::assistant`) and `/rpc/assistant/chat` (the Assistant page's session,
//! here). Both hand the question to `assistant::service::chat` and stream what it says.
//!
//! The page posts with `fetch` and reads the body as it arrives: a browser's `EventSource`
//! can only `GET`. Cross-site posts are refused with every other `/rpc` write
//! (`security::same_origin_rpc`).

use std::convert::Infallible;
use std::time::Duration;

use app::assistant::model::{ChatEvent, ChatRequest};
use app::assistant::service;
use app::rpc::session_of;
use app::state::AppState;
use app::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use tokio::sync::mpsc;

/// `POST` a `ChatRequest` as JSON.
pub const CHAT_PATH: &str = "/rpc/assistant/chat";
/// A comment line this often while the answer is quiet, so proxies keep the stream open.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

pub fn routes() -> Router<AppState> {
    Router::new().route(CHAT_PATH, post(chat))
}

/// The answer's events as `text/event-stream`, with keep-alive comments; nothing between
/// here and the client may cache or buffer it.
pub fn event_stream(events: mpsc::Receiver<ChatEvent>) -> Response {
    let stream = futures::stream::unfold(events, |mut events| async move {
        let event = events.recv().await?;
        let sse = Event::default().event(event.name()).data(event.data());
        Some((Ok::<_, Infallible>(sse), events))
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    response
}

async fn chat(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let asked = async {
        let session = session_of(&state, &parts).await?;
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|_| AppError::field("message", "The question could not be read."))?;
        let request: ChatRequest = serde_json::from_slice(&bytes)
            .map_err(|_| AppError::field("message", "Send a question as JSON."))?;
        service::chat(&state, &session.principal, request).await
    };
    match asked.await {
        Ok(events) => event_stream(events),
        Err(error) => {
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Json(error)).into_response()
        }
    }
}
