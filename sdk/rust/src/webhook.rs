//! Standard Webhooks signatures (<https://www.standardwebhooks.com>), for senders that hold a
//! webhook trigger's signing secret instead of a token: `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the decoded
//! `whsec_<base64>` secret.
//!
//! ```no_run
//! use tessera_sdk::webhook::{WebhookSecret, WebhookSender};
//! # async fn run() -> tessera_sdk::Result<()> {
//! let secret = WebhookSecret::parse(&std::env::var("TRIGGER_SECRET").unwrap_or_default())?;
//! // Only the server's URL (TESSERA_API_URL) is needed: the signature is the credential.
//! let sender = WebhookSender::from_env()?;
//! let delivered = sender
//!     .send("trigger-id", &secret, br#"{"order": 42}"#.to_vec(), "application/json")
//!     .await?;
//! println!("execution {}", delivered.execution_id);
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::distributions::Alphanumeric;
use rand::Rng;
use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use tessera_wire::triggers::Delivered;
use tessera_wire::webhook_signature::{decode_secret, signature};

use crate::client::{read_json, Transport};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// A webhook trigger's signing secret (`whsec_<base64>`), decoded. Its `Debug` shows nothing.
#[derive(Clone)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

impl WebhookSecret {
    /// Reads the secret as the trigger showed it when it was created or rotated.
    pub fn parse(text: &str) -> Result<Self> {
        let key = decode_secret(text.trim())
            .filter(|key| !key.is_empty())
            .ok_or(Error::WebhookSecret)?;
        Ok(WebhookSecret { key })
    }

    /// The `webhook-signature` value for one delivery.
    pub fn sign(&self, webhook_id: &str, timestamp: i64, body: &[u8]) -> String {
        // HMAC takes keys of any length, so there is always a signature.
        signature(&self.key, webhook_id, timestamp, body).unwrap_or_default()
    }

    /// The three headers for `body`, with a fresh id and the current time.
    pub fn signed_headers(&self, body: &[u8]) -> SignedHeaders {
        let webhook_id = new_message_id();
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        let signature = self.sign(&webhook_id, timestamp, body);
        SignedHeaders {
            webhook_id,
            timestamp,
            signature,
        }
    }
}

/// What a signed delivery carries besides its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `webhook-id`: a repeated id is answered with the first delivery's ids.
    pub webhook_id: String,
    /// `webhook-timestamp`: seconds since 1970; the server allows five minutes either way.
    pub timestamp: i64,
    /// `webhook-signature`: `v1,<base64>`.
    pub signature: String,
}

/// A fresh `msg_…` id, for a delivery or an idempotency key.
pub(crate) fn new_message_id() -> String {
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(24)
        .map(char::from)
        .collect();
    format!("msg_{suffix}")
}

/// Sends signed events to webhook triggers; needs the server's URL and no token.
#[derive(Clone)]
pub struct WebhookSender {
    transport: Transport,
}

impl fmt::Debug for WebhookSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSender")
            .field("base_url", &self.transport.base_url().as_str())
            .finish()
    }
}

impl WebhookSender {
    /// For the server at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Result<Self> {
        Ok(WebhookSender {
            transport: Transport::new(Some(base_url.into()), None, None)?,
        })
    }

    /// For the server at `TESSERA_API_URL` (default `http://127.0.0.1:3000`).
    pub fn from_env() -> Result<Self> {
        Ok(WebhookSender {
            transport: Transport::new(None, None, None)?,
        })
    }

    /// With another retry policy for 429/503 answers (a signed delivery is safe to repeat:
    /// its `webhook-id` is deduplicated).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Result<Self> {
        self.transport = Transport::new(
            Some(self.transport.base_url().to_string()),
            Some(policy),
            None,
        )?;
        Ok(self)
    }

    /// `POST /api/webhook/{trigger_id}` signed with `secret`: the event is recorded and an
    /// execution queued. The same delivery sent again answers the first one's ids.
    pub async fn send(
        &self,
        trigger_id: &str,
        secret: &WebhookSecret,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<Delivered> {
        signed_request(&self.transport, trigger_id, secret, body, content_type).await
    }
}

pub(crate) async fn signed_request(
    transport: &Transport,
    trigger_id: &str,
    secret: &WebhookSecret,
    body: Vec<u8>,
    content_type: &str,
) -> Result<Delivered> {
    let signed = secret.signed_headers(&body);
    let request = transport
        .request(Method::POST, &["api", "webhook", trigger_id])
        .header(CONTENT_TYPE, content_type)
        .header("webhook-id", &signed.webhook_id)
        .header("webhook-timestamp", signed.timestamp.to_string())
        .header("webhook-signature", &signed.signature)
        .body(body);
    read_json(transport.send(request).await?).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn signs_as_the_standard_webhooks_example() {
        // The test vector of the Standard Webhooks reference libraries.
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert_eq!(format!("{secret:?}"), "WebhookSecret([redacted])");
    }

    #[test]
    fn a_secret_must_be_whsec_base64() {
        for bad in [
            "",
            "whsec_",
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_!!!",
        ] {
            assert!(matches!(
                WebhookSecret::parse(bad),
                Err(Error::WebhookSecret)
            ));
        }
    }
}
