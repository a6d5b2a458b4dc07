//! Execution types that cross the wire. They compile for WASM: no server-only crates here.

use serde::{Deserialize, Serialize};

/// Where an execution is in its life: `queued → running → succeeded | failed | canceled |
/// timed_out`. A running execution that loses its instance goes back to `queued` for
/// another attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExecutionStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
    TimedOut,
}

impl ExecutionStatus {
    pub const ALL: [ExecutionStatus; 6] = [
        ExecutionStatus::Queued,
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::Canceled,
        ExecutionStatus::TimedOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Queued => "queued",
            ExecutionStatus::Running => "running",
            ExecutionStatus::Succeeded => "succeeded",
            ExecutionStatus::Failed => "failed",
            ExecutionStatus::Canceled => "canceled",
            ExecutionStatus::TimedOut => "timed_out",
        }
    }

    pub fn parse(text: &str) -> Option<ExecutionStatus> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            ExecutionStatus::Queued => "Queued",
            ExecutionStatus::Running => "Running",
            ExecutionStatus::Succeeded => "Succeeded",
            ExecutionStatus::Failed => "Failed",
            ExecutionStatus::Canceled => "Canceled",
            ExecutionStatus::TimedOut => "Timed out",
        }
    }

    /// Over: nothing changes it any more.
    pub fn is_final(self) -> bool {
        !matches!(self, ExecutionStatus::Queued | ExecutionStatus::Running)
    }
}

/// One step of an execution's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepLogEntry {
    /// The step's `id` in the agent's config.
    pub step_id: String,
    pub kind: String,
    /// `running`, `succeeded`, `failed`, `canceled` or `timed_out`.
    pub status: String,
    pub started_at_ms: i64,
    /// Absent while the step runs.
    pub duration_ms: Option<i64>,
    /// The step's output as JSON text, cut to 4 KiB (`truncated` says so).
    pub output: Option<String>,
    pub truncated: bool,
    pub error: Option<String>,
}

/// An execution as both doors show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Execution {
    pub id: String,
    pub agent_id: String,
    pub environment_id: String,
    /// The trigger that started it; absent once that trigger is deleted.
    pub trigger_id: Option<String>,
    /// The trigger's name when it started the execution.
    pub trigger_name: String,
    pub status: ExecutionStatus,
    /// What the execution was started with: any JSON.
    pub input: serde_json::Value,
    /// The last step's output, once succeeded: any JSON (a template step's is a string).
    pub output: Option<serde_json::Value>,
    pub error: Option<String>,
    /// Attempts started so far (an attempt is retried when its instance dies).
    pub attempts: i64,
    /// Cancel was asked while it ran; it stops at the next step boundary.
    pub cancel_requested: bool,
    pub created_at_ms: i64,
    pub started_at_ms: Option<i64>,
    pub finished_at_ms: Option<i64>,
    /// Present in details, absent in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepLogEntry>>,
}

/// Which executions of an agent to list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct ExecutionQuery {
    /// Only executions in this status.
    pub status: Option<ExecutionStatus>,
    /// Only executions in this environment.
    pub environment_id: Option<String>,
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Executions to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

/// One page of executions, newest first, with the number matching in all pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExecutionPage {
    pub items: Vec<Execution>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}
