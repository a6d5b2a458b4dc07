//! Server functions for the Assistant page and the workspace's assistant setting: thin
//! adapters over `assistant::service`. The answer itself streams from `/rpc/assistant/chat`,
//! a plain route (server functions do not stream events).

use leptos::prelude::*;

use crate::assistant::model::{Conversation, ConversationPage};
use crate::error::AppError;

/// The caller's conversations, latest first (as many as one page may hold).
#[server(prefix = "/rpc", endpoint = "list_conversations")]
pub async fn list_conversations() -> Result<ConversationPage, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = super::model::ConversationQuery {
            limit: Some(crate::paging::MAX_LIMIT),
            ..Default::default()
        };
        super::service::history(&state, &principal, &query).await
    })
    .await
}

/// One of the caller's conversations with its messages.
#[server(prefix = "/rpc", endpoint = "get_conversation")]
pub async fn get_conversation(id: String) -> Result<Conversation, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::conversation(&state, &principal, &id).await
    })
    .await
}

/// The model integration the assistant answers with (`None`: the knowledge base alone).
#[server(prefix = "/rpc", endpoint = "assistant_model")]
pub async fn assistant_model() -> Result<Option<String>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::chosen_model(&state, &principal).await
    })
    .await
}

/// Chooses the assistant's model integration; an empty id chooses none.
#[server(prefix = "/rpc", endpoint = "choose_assistant_model")]
pub async fn choose_assistant_model(integration_id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let chosen = Some(integration_id.as_str()).filter(|id| !id.is_empty());
        super::service::choose_model(&state, &principal, chosen).await
    })
    .await
}
