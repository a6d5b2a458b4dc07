//! SQL for the assistant's history. Every statement names the workspace, so another
//! workspace's id behaves like one that does not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

/// Who started a conversation: `("user", id)` or `("token", id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Starter<'a> {
    pub kind: &'a str,
    pub id: &'a str,
}

#[derive(Debug, Clone, FromRow)]
pub struct ConversationRow {
    pub id: String,
    pub started_by_kind: String,
    pub started_by_id: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub message_count: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct MessageRow {
    pub id: String,
    pub question: String,
    pub answer: String,
    /// JSON of `Vec<Citation>`.
    pub citations: String,
    pub answerer: String,
    pub state: String,
    pub finish_reason: Option<String>,
    pub created_at: i64,
    pub first_delta_ms: Option<i64>,
    pub completed_ms: Option<i64>,
}

const CONVERSATION: &str = "SELECT c.id, c.started_by_kind, c.started_by_id, c.title, \
     c.created_at, c.updated_at, \
     (SELECT COUNT(*) FROM assistant_messages m WHERE m.conversation_id = c.id) AS message_count \
     FROM assistant_conversations c";

const MESSAGE: &str = "SELECT id, question, answer, citations, answerer, state, finish_reason, \
     created_at, first_delta_ms, completed_ms FROM assistant_messages";

/// The workspace's conversations (`$1`), or those one starter (`$2`, `$3`) started (`$2`
/// empty: all).
const STARTED_BY: &str = "c.workspace_id = $1 \
     AND ($2 = '' OR (c.started_by_kind = $2 AND c.started_by_id = $3))";

/// A page of conversations, latest activity first: every one of the workspace's, or only
/// those `starter` started.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    starter: Option<Starter<'_>>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ConversationRow>, i64), sqlx::Error> {
    let (kind, id) = starter.map_or(("", ""), |starter| (starter.kind, starter.id));
    let (total,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM assistant_conversations c WHERE {STARTED_BY}"
    ))
    .bind(workspace_id)
    .bind(kind)
    .bind(id)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query_as(&format!(
        "{CONVERSATION} WHERE {STARTED_BY} ORDER BY c.updated_at DESC, c.id LIMIT $4 OFFSET $5"
    ))
    .bind(workspace_id)
    .bind(kind)
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

pub async fn find(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<Option<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CONVERSATION} WHERE c.workspace_id = $1 AND c.id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A conversation's messages, oldest first.
pub async fn messages(
    pool: &AnyPool,
    workspace_id: &str,
    conversation_id: &str,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MESSAGE} WHERE workspace_id = $1 AND conversation_id = $2 ORDER BY position"
    ))
    .bind(workspace_id)
    .bind(conversation_id)
    .fetch_all(pool)
    .await
}

pub struct NewConversation<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub starter: Starter<'a>,
    pub title: &'a str,
    pub now: i64,
}

pub async fn insert_conversation(
    conn: &mut AnyConnection,
    conversation: &NewConversation<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assistant_conversations \
         (id, workspace_id, started_by_kind, started_by_id, title, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(conversation.id)
    .bind(conversation.workspace_id)
    .bind(conversation.starter.kind)
    .bind(conversation.starter.id)
    .bind(conversation.title)
    .bind(conversation.now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub struct NewMessage<'a> {
    pub id: &'a str,
    pub conversation_id: &'a str,
    pub workspace_id: &'a str,
    pub question: &'a str,
    pub answerer: &'a str,
    pub now: i64,
}

/// Adds a question at the end of its conversation, its answer still to stream, and marks
/// the conversation active.
pub async fn insert_message(
    conn: &mut AnyConnection,
    message: &NewMessage<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assistant_messages \
         (id, conversation_id, workspace_id, position, question, answer, citations, answerer, \
          state, created_at) \
         SELECT $1, $2, $3, COALESCE(MAX(position), -1) + 1, $4, '', '[]', $5, 'streaming', $6 \
         FROM assistant_messages WHERE conversation_id = $2",
    )
    .bind(message.id)
    .bind(message.conversation_id)
    .bind(message.workspace_id)
    .bind(message.question)
    .bind(message.answerer)
    .bind(message.now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE assistant_conversations SET updated_at = $3 WHERE workspace_id = $1 AND id = $2",
    )
    .bind(message.workspace_id)
    .bind(message.conversation_id)
    .bind(message.now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// How an answer ended, as kept.
pub struct Ending<'a> {
    pub answer: &'a str,
    pub citations: &'a str,
    pub answerer: &'a str,
    pub state: &'a str,
    pub finish_reason: Option<&'a str>,
    pub first_delta_ms: Option<i64>,
    pub completed_ms: Option<i64>,
}

pub async fn finish_message(
    pool: &AnyPool,
    workspace_id: &str,
    id: &str,
    ending: &Ending<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assistant_messages SET answer = $3, citations = $4, answerer = $5, state = $6, \
         finish_reason = $7, first_delta_ms = $8, completed_ms = $9 \
         WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(ending.answer)
    .bind(ending.citations)
    .bind(ending.answerer)
    .bind(ending.state)
    .bind(ending.finish_reason)
    .bind(ending.first_delta_ms)
    .bind(ending.completed_ms)
    .execute(pool)
    .await
    .map(|_| ())
}

/// The workspace's chosen `llm` integration for the assistant, if any.
pub async fn chosen_model(
    pool: &AnyPool,
    workspace_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT assistant_integration_id FROM workspaces WHERE id = $1")
            .bind(workspace_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(id,)| id))
}

/// Chooses (or, with `None`, forgets) the workspace's model for the assistant. The
/// integration must be one of the workspace's own `llm` integrations: false when it is not.
pub async fn choose_model(
    conn: &mut AnyConnection,
    workspace_id: &str,
    integration_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE workspaces SET assistant_integration_id = $2 WHERE id = $1 AND \
         (CAST($2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM integrations i \
          WHERE i.id = $2 AND i.workspace_id = $1 AND i.kind = 'llm'))",
    )
    .bind(workspace_id)
    .bind(integration_id)
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}
