//! `/api/tokens`: the calling token, and managing tokens with `tokens:write` (SPEC §4.1).

use reqwest::Method;
use tessera_wire::tokens::{
    CreateTokenRequest, CreatedToken, RegenerateRequest, TokenPage, TokenQuery, TokenSelf,
    TokenView, UpdateTokenRequest,
};

use super::handle;
use crate::error::Result;
use crate::paging::{all_pages, ItemStream};

handle! {
    /// Tokens: `client.tokens()`.
    ///
    /// ```no_run
    /// use tessera_sdk::wire::tokens::{CreateTokenRequest, TokenQuery};
    /// use tessera_sdk::wire::access::{Level, Permissions};
    /// use tessera_sdk::StreamExt;
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// let me = tessera.tokens().current().await?;
    /// println!("{} may write agents: {}", me.name, me.permissions.agents == Level::Write);
    ///
    /// let created = tessera.tokens().create(&CreateTokenRequest {
    ///     name: "nightly import".into(),
    ///     scope: None, // an account token
    ///     expires_at_ms: None,
    ///     permissions: Some(Permissions::read_only()),
    /// }).await?;
    /// // `created.plaintext` is the new token, shown this once: store it, never log it.
    /// tessera.tokens().suspend(&created.token.id).await?;
    ///
    /// let mut all = tessera.tokens().list_all(TokenQuery::default());
    /// while let Some(token) = all.next().await {
    ///     println!("{} {}", token?.prefix, tessera_sdk::wire::tokens::EffectiveStatus::Active);
    /// }
    /// # Ok(()) }
    /// ```
    Tokens
}

impl Tokens {
    /// `GET /api/tokens/self`: the calling token, with its effective permissions.
    pub async fn current(&self) -> Result<TokenSelf> {
        let request = self.client.request(Method::GET, &["api", "tokens", "self"]);
        self.client.json(request).await
    }

    /// `GET /api/tokens`: one page.
    pub async fn list(&self, query: &TokenQuery) -> Result<TokenPage> {
        let request = self
            .client
            .request(Method::GET, &["api", "tokens"])
            .query(query);
        self.client.json(request).await
    }

    /// Every token matching `query`, page by page.
    pub fn list_all(&self, query: TokenQuery) -> ItemStream<TokenView> {
        let tokens = self.clone();
        all_pages(query, move |query| {
            let tokens = tokens.clone();
            async move { tokens.list(&query).await }
        })
    }

    /// `POST /api/tokens`: the new token; its `plaintext` is shown this once.
    pub async fn create(&self, request: &CreateTokenRequest) -> Result<CreatedToken> {
        let request = self
            .client
            .request(Method::POST, &["api", "tokens"])
            .json(request);
        self.client.json(request).await
    }

    /// `GET /api/tokens/{id}`.
    pub async fn get(&self, id: &str) -> Result<TokenView> {
        let request = self.client.request(Method::GET, &["api", "tokens", id]);
        self.client.json(request).await
    }

    /// `PATCH /api/tokens/{id}`: narrows its permissions (they can never be widened).
    pub async fn update(&self, id: &str, request: &UpdateTokenRequest) -> Result<TokenView> {
        let request = self
            .client
            .request(Method::PATCH, &["api", "tokens", id])
            .json(request);
        self.client.json(request).await
    }

    /// `POST /api/tokens/{id}/regenerate`: a new secret; the old one works for the grace
    /// period.
    pub async fn regenerate(&self, id: &str, request: &RegenerateRequest) -> Result<CreatedToken> {
        let request = self
            .client
            .request(Method::POST, &["api", "tokens", id, "regenerate"])
            .json(request);
        self.client.json(request).await
    }

    /// `POST /api/tokens/{id}/suspend`.
    pub async fn suspend(&self, id: &str) -> Result<TokenView> {
        self.action(id, "suspend").await
    }

    /// `POST /api/tokens/{id}/activate`.
    pub async fn activate(&self, id: &str) -> Result<TokenView> {
        self.action(id, "activate").await
    }

    /// `POST /api/tokens/{id}/revoke`: for good.
    pub async fn revoke(&self, id: &str) -> Result<TokenView> {
        self.action(id, "revoke").await
    }

    /// `DELETE /api/tokens/{id}`: only a revoked token.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let request = self.client.request(Method::DELETE, &["api", "tokens", id]);
        self.client.empty(request).await
    }

    async fn action(&self, id: &str, action: &str) -> Result<TokenView> {
        let request = self
            .client
            .request(Method::POST, &["api", "tokens", id, action]);
        self.client.json(request).await
    }
}
