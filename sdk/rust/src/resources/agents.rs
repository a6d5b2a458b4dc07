//! `/api/agent-base`: install, list, show, update and delete agents (SPEC §4.3).

use reqwest::Method;
use tessera_wire::agents::{Agent, AgentList, AgentQuery, AgentRequest};

use super::handle;
use crate::error::Result;
use crate::paging::{all_pages, ItemStream};

handle! {
    /// Agents: `client.agents()`.
    ///
    /// ```no_run
    /// use serde_json::json;
    /// use tessera_sdk::wire::agents::{AgentQuery, AgentRequest};
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// let agent = tessera.agents().install(&AgentRequest {
    ///     name: "greeter".into(),
    ///     description: String::new(),
    ///     version: "1.0.0".into(),
    ///     config: Some(json!({"steps": [
    ///         {"id": "greet", "kind": "template", "template": "Hello {{ input.name }}"}
    ///     ]})),
    /// }).await?;
    /// let page = tessera.agents().list(&AgentQuery { search: Some("greet".into()), ..Default::default() }).await?;
    /// assert!(page.items.iter().any(|a| a.id == agent.id));
    /// tessera.agents().delete(&agent.id).await?;
    /// # Ok(()) }
    /// ```
    Agents
}

impl Agents {
    /// `GET /api/agent-base`: one page, alphabetical.
    pub async fn list(&self, query: &AgentQuery) -> Result<AgentList> {
        let request = self
            .client
            .request(Method::GET, &["api", "agent-base"])
            .query(query);
        self.client.json(request).await
    }

    /// Every agent matching `query`, page by page.
    pub fn list_all(&self, query: AgentQuery) -> ItemStream<Agent> {
        let agents = self.clone();
        all_pages(query, move |query| {
            let agents = agents.clone();
            async move { agents.list(&query).await }
        })
    }

    /// `POST /api/agent-base`: installs an agent; a bad config is 422 naming the field.
    pub async fn install(&self, request: &AgentRequest) -> Result<Agent> {
        let request = self
            .client
            .request(Method::POST, &["api", "agent-base"])
            .json(request);
        self.client.json(request).await
    }

    /// `GET /api/agent-base/{id}`.
    pub async fn get(&self, id: &str) -> Result<Agent> {
        let request = self.client.request(Method::GET, &["api", "agent-base", id]);
        self.client.json(request).await
    }

    /// `PUT /api/agent-base/{id}`: every field is replaced.
    pub async fn update(&self, id: &str, request: &AgentRequest) -> Result<Agent> {
        let request = self
            .client
            .request(Method::PUT, &["api", "agent-base", id])
            .json(request);
        self.client.json(request).await
    }

    /// `DELETE /api/agent-base/{id}`: its deployment tokens are revoked.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let request = self
            .client
            .request(Method::DELETE, &["api", "agent-base", id]);
        self.client.empty(request).await
    }
}
