//! `/api/assistant/chat`: ask the assistant (the answer streams as typed events) and read
//! the history (SPEC §4.3).

use reqwest::header::ACCEPT;
use reqwest::Method;
use tessera_wire::assistant::{
    ChatRequest, Conversation, ConversationPage, ConversationQuery, ConversationSummary,
};

use super::handle;
use crate::chat::ChatStream;
use crate::error::Result;
use crate::paging::{all_pages, ItemStream};

handle! {
    /// The assistant: `client.assistant()`.
    ///
    /// ```no_run
    /// use std::io::Write;
    /// use tessera_sdk::StreamExt;
    /// use tessera_sdk::wire::assistant::{ChatEvent, ChatRequest};
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// let mut answer = tessera.assistant()
    ///     .chat(&ChatRequest { message: "When is the lamp cleaned?".into(), conversation_id: None })
    ///     .await?;
    /// while let Some(event) = answer.next().await {
    ///     match event? {
    ///         ChatEvent::Delta(text) => print!("{}", text.delta),
    ///         ChatEvent::Citation(source) => eprintln!("[{}] {}", source.n, source.title),
    ///         ChatEvent::Completed(done) => println!("\n({:?})", done.finish_reason),
    ///         ChatEvent::Error(problem) => eprintln!("{}", problem.detail),
    ///         ChatEvent::Created(_) => {}
    ///     }
    ///     std::io::stdout().flush()?;
    /// }
    /// # Ok(()) }
    /// ```
    Assistant
}

impl Assistant {
    /// `POST /api/assistant/chat`: the answer as it is written. A refusal before the stream
    /// starts (an empty question, a conversation that is not the token's, too many answers
    /// at once) is an error here; a failure midway is an `Error` event.
    pub async fn chat(&self, request: &ChatRequest) -> Result<ChatStream> {
        let request = self
            .client
            .request(Method::POST, &["api", "assistant", "chat"])
            .header(ACCEPT, "text/event-stream")
            .json(request);
        let response = self.client.transport().send(request).await?;
        Ok(ChatStream::new(response))
    }

    /// `GET /api/assistant/chat/history`: the conversations the token may read, latest first.
    pub async fn history(&self, query: &ConversationQuery) -> Result<ConversationPage> {
        let request = self
            .client
            .request(Method::GET, &["api", "assistant", "chat", "history"])
            .query(query);
        self.client.json(request).await
    }

    /// Every conversation, page by page.
    pub fn history_all(&self, query: ConversationQuery) -> ItemStream<ConversationSummary> {
        let assistant = self.clone();
        all_pages(query, move |query| {
            let assistant = assistant.clone();
            async move { assistant.history(&query).await }
        })
    }

    /// `GET /api/assistant/chat/history/{conversation_id}`: its questions and answers.
    pub async fn conversation(&self, conversation_id: &str) -> Result<Conversation> {
        let request = self.client.request(
            Method::GET,
            &["api", "assistant", "chat", "history", conversation_id],
        );
        self.client.json(request).await
    }
}
