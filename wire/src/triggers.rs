//! Trigger types that cross the wire. They compile for WASM: no server-only crates here.

use serde::{Deserialize, Serialize};

use crate::executions::Execution;

/// How a trigger starts its agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// When asked: `POST /api/agent-base/triggers/{id}/execute` or Run now.
    Manual,
    /// At the fire times of a cron expression in a time zone.
    Schedule,
    /// When an event is sent to `POST /api/webhook/{id}`.
    Webhook,
}

impl TriggerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerKind::Manual => "manual",
            TriggerKind::Schedule => "schedule",
            TriggerKind::Webhook => "webhook",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TriggerKind::Manual => "Manual",
            TriggerKind::Schedule => "Schedule",
            TriggerKind::Webhook => "Webhook",
        }
    }

    pub fn parse(text: &str) -> Option<TriggerKind> {
        [
            TriggerKind::Manual,
            TriggerKind::Schedule,
            TriggerKind::Webhook,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// A trigger as both doors show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trigger {
    pub id: String,
    pub name: String,
    pub agent_id: String,
    pub environment_id: String,
    pub kind: TriggerKind,
    /// A disabled trigger starts nothing.
    pub enabled: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// A schedule trigger's cron expression (five fields) and IANA time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// A schedule trigger's expression in words ("At 09:00 on Monday through Friday").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_description: Option<String>,
    /// When an enabled schedule trigger fires next (ms since 1970, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_fire_at_ms: Option<i64>,
    /// In details: its next five fire times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upcoming_fire_times_ms: Option<Vec<i64>>,
    /// A webhook trigger's address: `POST` events here (`/api/webhook/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_path: Option<String>,
    /// A webhook trigger's signing secret (`whsec_…`), in the answer that created or rotated
    /// it and never again: store it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_secret: Option<String>,
    /// In details: the latest executions it started, newest first (when the caller may read
    /// executions there). Absent in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_executions: Option<Vec<Execution>>,
}

/// A trigger to create, or the new state of one (every field is replaced; the kind cannot
/// change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TriggerRequest {
    /// Unique in the workspace (case-insensitively); no control characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    pub agent_id: String,
    pub environment_id: String,
    pub kind: TriggerKind,
    /// Absent means true.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// For `schedule`: five fields, minute hour day month weekday (`0 9 * * MON-FRI`), or a
    /// nickname such as `@daily`.
    #[serde(default)]
    pub cron: Option<String>,
    /// For `schedule`: an IANA time zone the expression is read in; absent means `UTC`.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Which triggers to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct TriggerQuery {
    /// Only this agent's triggers.
    pub agent_id: Option<String>,
    /// Only triggers in this environment.
    pub environment_id: Option<String>,
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Triggers to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

/// One page of triggers, alphabetical, with the number matching in all pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriggerPage {
    pub items: Vec<Trigger>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// What `execute` answers: the execution it started (or, for a repeated idempotency key, the
/// one it started before).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Executed {
    pub execution_id: String,
    pub execution: Execution,
}

/// What a webhook delivery answers: the recorded event and the execution it started (or, for
/// a repeated `webhook-id` or `Idempotency-Key`, the ones the first delivery got).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivered {
    pub event_id: String,
    pub execution_id: String,
}

/// What to run a trigger with.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExecuteRequest {
    /// Any JSON; the steps see it as `input`. Absent means `{}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub input: Option<serde_json::Value>,
}
