//! `/api/agent-base/triggers`: create, list, show, update, delete, execute and rotate the
//! signing secret of triggers (SPEC §4.3).

use reqwest::Method;
use tessera_wire::triggers::{
    ExecuteRequest, Executed, Trigger, TriggerPage, TriggerQuery, TriggerRequest,
};

use super::handle;
use crate::error::Result;
use crate::paging::{all_pages, ItemStream};
use crate::retry::IDEMPOTENCY_KEY;

handle! {
    /// Triggers: `client.triggers()`.
    ///
    /// ```no_run
    /// use serde_json::json;
    /// use tessera_sdk::wire::triggers::{ExecuteRequest, TriggerKind, TriggerRequest};
    /// # async fn run(tessera: tessera_sdk::Client, agent_id: String, environment_id: String) -> tessera_sdk::Result<()> {
    /// let trigger = tessera.triggers().create(&TriggerRequest {
    ///     name: "by hand".into(),
    ///     agent_id,
    ///     environment_id,
    ///     kind: TriggerKind::Manual,
    ///     enabled: None,
    ///     cron: None,
    ///     time_zone: None,
    /// }).await?;
    /// // The same key within 24 hours answers the same execution: safe to retry.
    /// let run = tessera.triggers()
    ///     .execute(&trigger.id, &ExecuteRequest { input: Some(json!({"name": "Ada"})) }, Some("order-42"))
    ///     .await?;
    /// println!("execution {} is {:?}", run.execution_id, run.execution.status);
    /// # Ok(()) }
    /// ```
    Triggers
}

impl Triggers {
    /// `GET /api/agent-base/triggers`: one page, alphabetical.
    pub async fn list(&self, query: &TriggerQuery) -> Result<TriggerPage> {
        let request = self
            .client
            .request(Method::GET, &["api", "agent-base", "triggers"])
            .query(query);
        self.client.json(request).await
    }

    /// Every trigger matching `query`, page by page.
    pub fn list_all(&self, query: TriggerQuery) -> ItemStream<Trigger> {
        let triggers = self.clone();
        all_pages(query, move |query| {
            let triggers = triggers.clone();
            async move { triggers.list(&query).await }
        })
    }

    /// `POST /api/agent-base/triggers`. A webhook trigger's answer carries its signing
    /// secret, shown this once.
    pub async fn create(&self, request: &TriggerRequest) -> Result<Trigger> {
        let request = self
            .client
            .request(Method::POST, &["api", "agent-base", "triggers"])
            .json(request);
        self.client.json(request).await
    }

    /// `GET /api/agent-base/triggers/{id}`: with its next fire times and latest executions.
    pub async fn get(&self, id: &str) -> Result<Trigger> {
        let request = self
            .client
            .request(Method::GET, &["api", "agent-base", "triggers", id]);
        self.client.json(request).await
    }

    /// `PUT /api/agent-base/triggers/{id}`.
    pub async fn update(&self, id: &str, request: &TriggerRequest) -> Result<Trigger> {
        let request = self
            .client
            .request(Method::PUT, &["api", "agent-base", "triggers", id])
            .json(request);
        self.client.json(request).await
    }

    /// `DELETE /api/agent-base/triggers/{id}`: its executions stay.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let request = self
            .client
            .request(Method::DELETE, &["api", "agent-base", "triggers", id]);
        self.client.empty(request).await
    }

    /// `POST /api/agent-base/triggers/{id}/execute`: queues an execution. With an
    /// `idempotency_key` the request is deduplicated for 24 hours (and so retried on 429/503).
    pub async fn execute(
        &self,
        id: &str,
        request: &ExecuteRequest,
        idempotency_key: Option<&str>,
    ) -> Result<Executed> {
        let mut request = self
            .client
            .request(
                Method::POST,
                &["api", "agent-base", "triggers", id, "execute"],
            )
            .json(request);
        if let Some(key) = idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        self.client.json(request).await
    }

    /// `POST /api/agent-base/triggers/{id}/rotate-secret`: a webhook trigger's new signing
    /// secret (in the answer, this once); the previous one still verifies for 24 hours.
    pub async fn rotate_secret(&self, id: &str) -> Result<Trigger> {
        let request = self.client.request(
            Method::POST,
            &["api", "agent-base", "triggers", id, "rotate-secret"],
        );
        self.client.json(request).await
    }
}
