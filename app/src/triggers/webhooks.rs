//! Events sent to webhook triggers (`POST /api/webhook/{trigger_id}`, SPEC §4.3 "Webhooks"):
//! admitted by a bearer token allowed to send to the trigger, or by a Standard Webhooks
//! signature under its signing secret (`signing`); recorded without credentials or
//! signatures; each starts an execution with the event as its input, in the same
//! transaction (`intake`). A repeated `webhook-id` or `Idempotency-Key` answers the first delivery's ids
//! and starts nothing.

use std::collections::BTreeMap;
use std::net::IpAddr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

use super::intake::NewEvent;
use super::model::{Delivered, TriggerKind};
use super::repo::{self, TriggerRow};
use super::service::{deployment_of, signing_binding};
use super::signing::{self, Signed};
use crate::access::{authorize, reach, Action, Op, Principal, Resource};
use crate::clock::{new_id, now_ms};
use crate::error::AppError;
use crate::state::AppState;

const SEND: Action = Action::new(Resource::Webhooks, Op::Send);
/// Largest event body accepted (413 beyond it).
pub const MAX_EVENT_BYTES: usize = 1024 * 1024;
/// Headers never recorded: credentials and signatures.
const UNRECORDED_HEADERS: [&str; 7] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "webhook-signature",
    "x-api-key",
    "x-auth-token",
    "x-hub-signature-256",
];

/// A delivery as it arrived.
pub struct Delivery<'a> {
    /// Lower-case names, in arrival order.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub source_addr: Option<IpAddr>,
}

impl Delivery<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Why a delivery is refused.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    App(#[from] AppError),
    /// Neither a token nor a valid signature: 401, saying what was wrong.
    #[error("{0}")]
    Unsigned(String),
}

/// Admits, records and starts. `caller` is the bearer token's principal, if one was sent.
#[tracing::instrument(name = "webhooks.deliver", skip_all, fields(trigger_id = %trigger_id))]
pub async fn deliver(
    state: &AppState,
    caller: Option<&Principal>,
    trigger_id: &str,
    delivery: &Delivery<'_>,
) -> Result<(Delivered, bool), Refusal> {
    let trigger = admit(state, caller, trigger_id, delivery).await?;
    if trigger.kind != TriggerKind::Webhook.as_str() {
        return Err(AppError::Conflict(format!(
            "This is a {} trigger; only webhook triggers take events.",
            trigger.kind
        ))
        .into());
    }
    if trigger.enabled == 0 {
        return Err(AppError::Conflict(
            "The trigger is disabled; it takes no events until it is enabled.".into(),
        )
        .into());
    }
    let webhook_id = delivery.header("webhook-id");
    let idempotency_key = delivery.header("idempotency-key");
    for (name, value) in [
        ("webhook-id", webhook_id),
        ("Idempotency-Key", idempotency_key),
    ] {
        if value.is_some_and(|value| value.is_empty() || value.chars().count() > 255) {
            return Err(AppError::field(name, format!("{name} has 1 to 255 characters.")).into());
        }
    }
    Ok(record(state, &trigger, (webhook_id, idempotency_key), delivery).await?)
}

/// The trigger, if the sender may send to it: a token with `webhooks:write` reaching its
/// deployment, or a signature under its secret. Anything else looks like a trigger that does
/// not exist or a bad signature — never which secret or why beyond the headers.
async fn admit(
    state: &AppState,
    caller: Option<&Principal>,
    trigger_id: &str,
    delivery: &Delivery<'_>,
) -> Result<TriggerRow, Refusal> {
    if let Some(principal) = caller {
        reach(principal, SEND)?;
        let trigger = repo::find(state.db.pool(), &principal.workspace_id, trigger_id)
            .await
            .map_err(AppError::from)?
            .ok_or(AppError::NotFound)?;
        authorize(principal, SEND, deployment_of(&trigger))?;
        return Ok(trigger);
    }
    let (Some(webhook_id), Some(timestamp), Some(signature)) = (
        delivery.header("webhook-id"),
        delivery.header("webhook-timestamp"),
        delivery.header("webhook-signature"),
    ) else {
        return Err(Refusal::Unsigned(
            "Send a bearer token, or sign the event: webhook-id, webhook-timestamp and \
             webhook-signature (Standard Webhooks)."
                .into(),
        ));
    };
    let trigger = repo::find_any(state.db.pool(), trigger_id)
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::NotFound)?;
    let secrets = open_secrets(state, &trigger).await?;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let signed = Signed {
        webhook_id,
        timestamp,
        signature,
    };
    signing::verify(&secrets, &signed, delivery.body, now_ms() / 1000)
        .map_err(|problem| Refusal::Unsigned(problem.to_string()))?;
    Ok(trigger)
}

/// The trigger's secrets that verify now: the current one, and the previous one within its
/// grace period. Plaintext only in this request's memory.
async fn open_secrets(state: &AppState, trigger: &TriggerRow) -> Result<Vec<String>, AppError> {
    let Some(row) = repo::secrets(state.db.pool(), &trigger.id).await? else {
        return Ok(Vec::new());
    };
    let previous = row.previous_secret.filter(|_| {
        row.previous_secret_until
            .is_some_and(|until| until > now_ms())
    });
    let binding = signing_binding(&trigger.workspace_id, &trigger.id);
    let mut opened = Vec::new();
    for sealed in row.signing_secret.into_iter().chain(previous) {
        match state.sealer.open(&sealed, binding) {
            Ok(secret) => opened.push(secret.value.expose().to_owned()),
            Err(error) => {
                tracing::warn!(trigger_id = %trigger.id, %error, "a signing secret does not open; rotate it");
            }
        }
    }
    Ok(opened)
}

/// Records the event and queues its execution (through this instance's [`Intake`], which
/// writes events in batches); `false` when the keys named an earlier delivery (then nothing
/// is recorded or started).
async fn record(
    state: &AppState,
    trigger: &TriggerRow,
    keys: (Option<&str>, Option<&str>),
    delivery: &Delivery<'_>,
) -> Result<(Delivered, bool), AppError> {
    let (webhook_id, idempotency_key) = keys;
    let now = now_ms();
    let event_id = new_id();
    let content_type = delivery.header("content-type").unwrap_or("").to_owned();
    let headers: BTreeMap<&str, &str> = delivery
        .headers
        .iter()
        .filter(|(name, _)| !UNRECORDED_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let input = json!({
        "event_id": event_id,
        "webhook_id": webhook_id,
        "received_at_ms": now,
        "content_type": content_type,
        "headers": headers,
        "body": body_value(&content_type, delivery.body),
    });
    let event = NewEvent {
        event_id,
        workspace_id: trigger.workspace_id.clone(),
        agent_id: trigger.agent_id.clone(),
        environment_id: trigger.environment_id.clone(),
        trigger_id: trigger.id.clone(),
        trigger_name: trigger.name.clone(),
        webhook_id: webhook_id.map(str::to_owned),
        idempotency_key: idempotency_key.map(str::to_owned),
        headers_json: serde_json::to_string(&headers).unwrap_or_else(|_| "{}".into()),
        content_type,
        body_base64: STANDARD.encode(delivery.body),
        source_addr: delivery.source_addr.map(|addr| addr.to_string()),
        received_at: now,
        input,
    };
    let recorded = state.webhook_intake.record(event).await?;
    if recorded.1 {
        state.jobs.wake();
    }
    Ok(recorded)
}

/// The body as the steps see it: JSON when it says so and is, else text (bytes that are not
/// UTF-8 as base64, under `base64`).
fn body_value(content_type: &str, body: &[u8]) -> Value {
    match std::str::from_utf8(body) {
        Ok(text) => {
            if content_type.contains("json") {
                if let Ok(value) = serde_json::from_str(text) {
                    return value;
                }
            }
            Value::String(text.to_owned())
        }
        Err(_) => json!({ "base64": STANDARD.encode(body) }),
    }
}
