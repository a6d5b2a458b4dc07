//! The API's own routes: liveness (`/api/ping`) and its description (`/api/openapi.json`,
//! `/api/docs`).

use reqwest::Method;
use tessera_wire::Pong;

use super::handle;
use crate::error::Result;

handle! {
    /// The API itself: `client.system()`.
    ///
    /// ```no_run
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// assert_eq!(tessera.system().ping().await?.status, "ok");
    /// let document = tessera.system().openapi().await?;
    /// println!("{} routes", document["paths"].as_object().map_or(0, |paths| paths.len()));
    /// # Ok(()) }
    /// ```
    System
}

impl System {
    /// `GET /api/ping`: the cheapest route; with the token, also checks it.
    pub async fn ping(&self) -> Result<Pong> {
        let request = self.client.request(Method::GET, &["api", "ping"]);
        self.client.json(request).await
    }

    /// `GET /api/openapi.json`: the OpenAPI 3.1 document.
    pub async fn openapi(&self) -> Result<serde_json::Value> {
        let request = self
            .client
            .transport()
            .request(Method::GET, &["api", "openapi.json"]);
        self.client.json(request).await
    }

    /// `GET /api/docs`: the document as a page people read (HTML).
    pub async fn docs_page(&self) -> Result<String> {
        let request = self
            .client
            .transport()
            .request(Method::GET, &["api", "docs"]);
        Ok(self.client.transport().send(request).await?.text().await?)
    }
}
