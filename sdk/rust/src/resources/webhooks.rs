//! `POST /api/webhook/{trigger_id}`: events for webhook triggers, sent with the client's
//! token or signed with the trigger's secret (see [`crate::webhook`] for senders without a
//! token).

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use tessera_wire::triggers::Delivered;

use super::handle;
use crate::error::Result;
use crate::retry::IDEMPOTENCY_KEY;
use crate::webhook::{new_message_id, signed_request, WebhookSecret};

handle! {
    /// Webhook deliveries: `client.webhooks()`.
    ///
    /// ```no_run
    /// # async fn run(tessera: tessera_sdk::Client, trigger_id: &str) -> tessera_sdk::Result<()> {
    /// let body = br#"{"event": "order.paid", "order": 42}"#.to_vec();
    /// let first = tessera.webhooks().send(trigger_id, body, "application/json", Some("order-42-paid")).await?;
    /// println!("event {} started execution {}", first.event_id, first.execution_id);
    /// # Ok(()) }
    /// ```
    Webhooks
}

impl Webhooks {
    /// Sends `body` with the client's token. The `idempotency_key` (a fresh one when `None`)
    /// makes a repeat answer the first delivery's ids, so the request is retried on 429/503.
    pub async fn send(
        &self,
        trigger_id: &str,
        body: Vec<u8>,
        content_type: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Delivered> {
        let key = idempotency_key.map_or_else(new_message_id, str::to_owned);
        let request = self
            .client
            .request(Method::POST, &["api", "webhook", trigger_id])
            .header(CONTENT_TYPE, content_type)
            .header(IDEMPOTENCY_KEY, key)
            .body(body);
        self.client.json(request).await
    }

    /// Sends `body` signed with the trigger's secret (Standard Webhooks) and without the
    /// token.
    pub async fn send_signed(
        &self,
        trigger_id: &str,
        secret: &WebhookSecret,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<Delivered> {
        signed_request(
            self.client.transport(),
            trigger_id,
            secret,
            body,
            content_type,
        )
        .await
    }
}
