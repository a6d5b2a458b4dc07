//! `/api/integrations-base`: named connections to outside services (SPEC §4.3). Secrets go
//! in and never come out: answers say `{set, updated_at_ms}` per secret.

use reqwest::Method;
use tessera_wire::integrations::{
    ConnectionCheck, ConnectionCheckRequest, Integration, IntegrationPage, IntegrationQuery,
    IntegrationRequest,
};

use super::handle;
use crate::error::Result;
use crate::paging::{all_pages, ItemStream};

handle! {
    /// Integrations: `client.integrations()`.
    ///
    /// ```no_run
    /// use std::collections::BTreeMap;
    /// use tessera_sdk::wire::integrations::{ConnectionCheckRequest, IntegrationKind, IntegrationRequest, IntegrationSettings};
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// let crm = tessera.integrations().create(&IntegrationRequest {
    ///     name: "crm".into(),
    ///     kind: IntegrationKind::Http,
    ///     settings: IntegrationSettings { base_url: "https://crm.example.com".into(), ..Default::default() },
    ///     // Sealed on the server; answers only say that it is set.
    ///     secrets: BTreeMap::from([("Authorization".into(), Some("Bearer …".into()))]),
    /// }).await?;
    /// assert!(crm.secrets["authorization"].set); // header names as HTTP spells them
    /// let check = tessera.integrations()
    ///     .check_connection(&crm.id, &ConnectionCheckRequest { path: "/health".into() })
    ///     .await?;
    /// println!("ok: {} in {} ms", check.ok, check.latency_ms);
    /// # Ok(()) }
    /// ```
    Integrations
}

impl Integrations {
    /// `GET /api/integrations-base`: one page, alphabetical.
    pub async fn list(&self, query: &IntegrationQuery) -> Result<IntegrationPage> {
        let request = self
            .client
            .request(Method::GET, &["api", "integrations-base"])
            .query(query);
        self.client.json(request).await
    }

    /// Every integration, page by page.
    pub fn list_all(&self, query: IntegrationQuery) -> ItemStream<Integration> {
        let integrations = self.clone();
        all_pages(query, move |query| {
            let integrations = integrations.clone();
            async move { integrations.list(&query).await }
        })
    }

    /// `POST /api/integrations-base`.
    pub async fn create(&self, request: &IntegrationRequest) -> Result<Integration> {
        let request = self
            .client
            .request(Method::POST, &["api", "integrations-base"])
            .json(request);
        self.client.json(request).await
    }

    /// `GET /api/integrations-base/{id}`.
    pub async fn get(&self, id: &str) -> Result<Integration> {
        let request = self
            .client
            .request(Method::GET, &["api", "integrations-base", id]);
        self.client.json(request).await
    }

    /// `PUT /api/integrations-base/{id}`: a secret left out keeps its value, `None` clears it.
    pub async fn update(&self, id: &str, request: &IntegrationRequest) -> Result<Integration> {
        let request = self
            .client
            .request(Method::PUT, &["api", "integrations-base", id])
            .json(request);
        self.client.json(request).await
    }

    /// `DELETE /api/integrations-base/{id}`.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let request = self
            .client
            .request(Method::DELETE, &["api", "integrations-base", id]);
        self.client.empty(request).await
    }

    /// `POST /api/integrations-base/{id}/test`: one request through the integration.
    pub async fn check_connection(
        &self,
        id: &str,
        request: &ConnectionCheckRequest,
    ) -> Result<ConnectionCheck> {
        let request = self
            .client
            .request(Method::POST, &["api", "integrations-base", id, "test"])
            .json(request);
        self.client.json(request).await
    }
}
