//! `/api/knowledge-base`: the documents made from uploaded files, and ranked search over
//! them (SPEC §4.3). Files are added through [`Storage`](super::Storage).

use std::time::{Duration, Instant};

use reqwest::Method;
use tessera_wire::knowledge::{
    Document, DocumentPage, DocumentQuery, DocumentStatus, SearchQuery, SearchResults,
};

use super::handle;
use crate::error::{Error, Result};
use crate::paging::{all_pages, ItemStream};

handle! {
    /// The knowledge base: `client.knowledge_base()`.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use tessera_sdk::UploadSource;
    /// use tessera_sdk::wire::knowledge::SearchQuery;
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// let file = tessera.storage().put("handbook.md", UploadSource::file("handbook.md").await?).await?;
    /// if let Some(document_id) = &file.document_id {
    ///     // Text is extracted and indexed in the background.
    ///     tessera.knowledge_base().wait_until_indexed(document_id, Duration::from_secs(60)).await?;
    /// }
    /// let hits = tessera.knowledge_base()
    ///     .search(&SearchQuery { q: "lamp \"soft cloth\" -oil".into(), limit: Some(5) })
    ///     .await?;
    /// for hit in hits.items {
    ///     println!("{} › {}: {}", hit.title, hit.heading, hit.snippet);
    /// }
    /// # Ok(()) }
    /// ```
    KnowledgeBase
}

impl KnowledgeBase {
    /// `GET /api/knowledge-base`: one page of documents, newest first.
    pub async fn list(&self, query: &DocumentQuery) -> Result<DocumentPage> {
        let request = self
            .client
            .request(Method::GET, &["api", "knowledge-base"])
            .query(query);
        self.client.json(request).await
    }

    /// Every document matching `query`, page by page.
    pub fn list_all(&self, query: DocumentQuery) -> ItemStream<Document> {
        let knowledge = self.clone();
        all_pages(query, move |query| {
            let knowledge = knowledge.clone();
            async move { knowledge.list(&query).await }
        })
    }

    /// `GET /api/knowledge-base/{document_id}`.
    pub async fn get(&self, document_id: &str) -> Result<Document> {
        let request = self
            .client
            .request(Method::GET, &["api", "knowledge-base", document_id]);
        self.client.json(request).await
    }

    /// `GET /api/knowledge-base/search?q=`: plain words, `"quoted phrases"`, `-excluded`.
    pub async fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        let request = self
            .client
            .request(Method::GET, &["api", "knowledge-base", "search"])
            .query(query);
        self.client.json(request).await
    }

    /// Polls until the document is `ready` or `failed` (answered as it is), at most
    /// `timeout` ([`Error::Timeout`] after that).
    pub async fn wait_until_indexed(
        &self,
        document_id: &str,
        timeout: Duration,
    ) -> Result<Document> {
        let deadline = Instant::now() + timeout;
        let pause = Duration::from_millis(100);
        loop {
            let document = self.get(document_id).await?;
            if document.status != DocumentStatus::Pending {
                return Ok(document);
            }
            if Instant::now() + pause > deadline {
                return Err(Error::Timeout(format!(
                    "document {document_id} is still being indexed after {} s",
                    timeout.as_secs()
                )));
            }
            tokio::time::sleep(pause).await;
        }
    }
}
