//! `/api/assistant/chat`: ask the assistant (the answer streams as Server-Sent Events) and
//! read the history (SPEC §4.3), through `assistant::service`, the same code as the
//! Assistant page.

use app::assistant::model::{
    ChatProblem, ChatRequest, Citation, Conversation, ConversationPage, ConversationQuery,
    MessageCompleted, MessageCreated, TextDelta,
};
use app::assistant::service;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;

use super::auth::Caller;
use super::body::{ApiJson, ApiQuery};
use super::problem::Problem;
use crate::chat::event_stream;

/// The events of an answer, in order (each is an SSE `event:` name with its JSON `data:`):
/// `message.created`, one `citation` per source, `text.delta`s, `message.completed`; an
/// `error` (a problem body) comes before `message.completed` when something fails. Comment
/// lines keep the stream alive.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the stream for the OpenAPI document only.
pub enum ChatStreamEvent {
    #[schema(rename = "message.created")]
    Created(MessageCreated),
    #[schema(rename = "citation")]
    Citation(Citation),
    #[schema(rename = "text.delta")]
    Delta(TextDelta),
    #[schema(rename = "message.completed")]
    Completed(MessageCompleted),
    #[schema(rename = "error")]
    Error(ChatProblem),
}

#[utoipa::path(post, path = "/api/assistant/chat", tag = "assistant",
    request_body = ChatRequest,
    responses(
        (status = 200, description = "The answer as it is written, as `text/event-stream`. Refused before the stream starts: 404 for a conversation the token did not start, 422 for an empty or too long question, 429 while too many of the token's answers are streaming", content_type = "text/event-stream", body = ChatStreamEvent),
    ))]
pub async fn chat(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(request): ApiJson<ChatRequest>,
) -> Result<Response, Problem> {
    let events = service::chat(&state, &principal, request).await?;
    Ok(event_stream(events))
}

#[utoipa::path(get, path = "/api/assistant/chat/history", tag = "assistant", params(ConversationQuery),
    responses((status = 200, description = "The conversations the token may read (its own; an account token's, every one of the workspace), latest activity first", body = ConversationPage)))]
pub async fn history(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ConversationQuery>,
) -> Result<Json<ConversationPage>, Problem> {
    Ok(Json(service::history(&state, &principal, &query).await?))
}

#[utoipa::path(get, path = "/api/assistant/chat/history/{conversation_id}", tag = "assistant",
    params(("conversation_id" = String, Path, description = "Conversation id")),
    responses((status = 200, description = "The conversation with its questions and answers, oldest first", body = Conversation)))]
pub async fn conversation(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> Result<Json<Conversation>, Problem> {
    Ok(Json(service::conversation(&state, &principal, &id).await?))
}
