//! The client: where the server is, the token, and the one path every request takes
//! (bearer header, retries, problem answers become [`Error::Api`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::{Method, RequestBuilder, Response, Url};
use serde::de::DeserializeOwned;

use crate::error::{Error, Problem, Result};
use crate::resources::{
    Agents, Assistant, Executions, Integrations, KnowledgeBase, Storage, System, Tokens, Triggers,
    Webhooks,
};
use crate::retry::{self, RetryPolicy};
use crate::token::{ApiToken, TokenError};

/// The environment variable holding the API token.
pub const TOKEN_ENV: &str = "TESSERA_API_TOKEN";
/// The environment variable holding the server's base URL.
pub const URL_ENV: &str = "TESSERA_API_URL";
/// Where the server is when nothing says otherwise.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:3000";

/// A client for one server with one token. Cheap to clone (the connection pool is shared).
///
/// ```no_run
/// # async fn run() -> tessera_sdk::Result<()> {
/// // TESSERA_API_TOKEN, and TESSERA_API_URL (default http://127.0.0.1:3000):
/// let tessera = tessera_sdk::Client::from_env()?;
/// let me = tessera.tokens().current().await?;
/// println!("{} in workspace {}", me.name, me.workspace_id);
///
/// // Or say it in code:
/// let tessera = tessera_sdk::Client::builder()
///     .token(std::env::var("MY_TOKEN").unwrap_or_default())
///     .base_url("https://tessera.example.com")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    token: ApiToken,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.base_url.as_str())
            .field("token", &self.inner.token)
            .field("retry", &self.inner.transport.retry)
            .finish()
    }
}

impl Client {
    /// A client from `TESSERA_API_TOKEN` and `TESSERA_API_URL`. Fails without sending
    /// anything when the token is missing or malformed.
    pub fn from_env() -> Result<Client> {
        Client::builder().build()
    }

    /// A builder; what it is not told it takes from the environment, like [`Client::from_env`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The server's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url.as_str().trim_end_matches('/')
    }

    /// The token the client sends.
    pub fn token(&self) -> &ApiToken {
        &self.inner.token
    }

    pub fn tokens(&self) -> Tokens {
        Tokens::new(self.clone())
    }
    pub fn agents(&self) -> Agents {
        Agents::new(self.clone())
    }
    pub fn triggers(&self) -> Triggers {
        Triggers::new(self.clone())
    }
    pub fn executions(&self) -> Executions {
        Executions::new(self.clone())
    }
    pub fn integrations(&self) -> Integrations {
        Integrations::new(self.clone())
    }
    pub fn knowledge_base(&self) -> KnowledgeBase {
        KnowledgeBase::new(self.clone())
    }
    pub fn storage(&self) -> Storage {
        Storage::new(self.clone())
    }
    pub fn assistant(&self) -> Assistant {
        Assistant::new(self.clone())
    }
    pub fn webhooks(&self) -> Webhooks {
        Webhooks::new(self.clone())
    }
    pub fn system(&self) -> System {
        System::new(self.clone())
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// A request to `/<segments…>` (each segment percent-encoded) carrying the token.
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", self.inner.token.expose_secret()))
                // A parsed token is ASCII letters and digits, so this cannot fail; if it did, the
                // server's 401 would say so without the token in any message.
                .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        bearer.set_sensitive(true);
        self.inner
            .transport
            .request(method, segments)
            .header(AUTHORIZATION, bearer)
    }

    /// Sends and reads a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = self.inner.transport.send(request).await?;
        read_json(response).await
    }

    /// Sends and expects no body (204).
    pub(crate) async fn empty(&self, request: RequestBuilder) -> Result<()> {
        self.inner.transport.send(request).await.map(drop)
    }
}

pub(crate) async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T> {
    let bytes = response.bytes().await?;
    serde_json::from_slice(&bytes).map_err(|error| Error::Decode(error.to_string()))
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: Option<String>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// The API token; without one, `TESSERA_API_TOKEN`.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The server, e.g. `https://tessera.example.com`; without one, `TESSERA_API_URL`, else
    /// [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How 429 and 503 answers are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A `reqwest` client of your own (proxies, timeouts, TLS roots).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the token and the URL; sends nothing.
    pub fn build(self) -> Result<Client> {
        let token = match self.token {
            Some(token) => ApiToken::parse(&token, "the token given to the client")?,
            None => match std::env::var(TOKEN_ENV) {
                Ok(token) if !token.trim().is_empty() => ApiToken::parse(&token, TOKEN_ENV)?,
                _ => return Err(TokenError::Missing.into()),
            },
        };
        let transport = Transport::new(self.base_url, self.retry, self.http)?;
        Ok(Client {
            inner: Arc::new(Inner { transport, token }),
        })
    }
}

/// Where requests go and how they are sent; no credentials (a signed webhook needs none).
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: Url,
    retry: RetryPolicy,
}

impl Transport {
    pub(crate) fn new(
        base_url: Option<String>,
        retry: Option<RetryPolicy>,
        http: Option<reqwest::Client>,
    ) -> Result<Transport> {
        let base_url = match base_url {
            Some(url) => url,
            None => std::env::var(URL_ENV)
                .ok()
                .filter(|url| !url.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        };
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!("tessera-sdk-rust/", env!("CARGO_PKG_VERSION")))
                // No overall timeout: a chat answer or a download may stream for long.
                .connect_timeout(Duration::from_secs(10))
                .build()?,
        };
        Ok(Transport {
            http,
            base_url: parse_base_url(&base_url)?,
            retry: retry.unwrap_or_default(),
        })
    }

    pub(crate) fn base_url(&self) -> &Url {
        &self.base_url
    }

    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let mut url = self.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        self.http.request(method, url)
    }

    /// Sends, retrying 429 and 503 answers when the request may be repeated; a non-2xx
    /// answer becomes [`Error::Api`].
    pub(crate) async fn send(&self, request: RequestBuilder) -> Result<Response> {
        let mut request = request.build()?;
        let repeatable = retry::may_repeat(&request);
        let mut attempt = 1;
        loop {
            // A streamed body cannot be cloned, so such a request is sent once.
            let spare = if repeatable && attempt < self.retry.max_attempts {
                request.try_clone()
            } else {
                None
            };
            let response = self.http.execute(request).await?;
            if response.status().is_success() {
                return Ok(response);
            }
            if let Some(next) = spare.filter(|_| retry::is_retryable(response.status())) {
                let asked = retry::retry_after(response.headers());
                if let Some(wait) = self.retry.delay(attempt, asked) {
                    drop(response);
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                    continue;
                }
            }
            return Err(Problem::from_response(response).await.into());
        }
    }
}

fn parse_base_url(text: &str) -> Result<Url> {
    let text = text.trim();
    let url = Url::parse(text).map_err(|error| {
        Error::BaseUrl(format!("the server URL {text:?} is not a URL: {error}"))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::BaseUrl(format!(
            "the server URL {text:?} must start with http:// or https://"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::BaseUrl(
            "the server URL must not carry credentials; use the API token".to_owned(),
        ));
    }
    Ok(url)
}
