//! Durable background work. The `jobs` table is the queue: a job is a row until it is done, a
//! worker claims one by taking its lease, and a lease that runs out — its instance died or
//! was killed mid-job — makes the job claimable again, up to its attempt limit. On
//! PostgreSQL claims use `FOR UPDATE SKIP LOCKED` and new work is announced with `NOTIFY`,
//! so several instances share one queue and each job runs on one of them at a time.
//!
//! `queue` is the SQL; `handle` is what `AppState` holds; `worker` runs the loops that claim
//! and run jobs. What a job does is
//! decided by its kind (`JobKind`), in `worker::run_job`.

pub mod handle;
pub mod outcome;
pub mod queue;
pub mod worker;

/// What a job does. Stored as text in `jobs.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Extract, chunk and index a knowledge-base document (`subject_id`).
    IngestDocument,
    /// Run an agent's execution (`subject_id`) through its steps.
    RunExecution,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::IngestDocument => "ingest_document",
            JobKind::RunExecution => "run_execution",
        }
    }

    pub fn parse(text: &str) -> Option<JobKind> {
        match text {
            "ingest_document" => Some(JobKind::IngestDocument),
            "run_execution" => Some(JobKind::RunExecution),
            _ => None,
        }
    }

    /// How many times a job is started before it is given up. A job whose instance keeps
    /// dying under it (a file that crashes the process) stops being retried here.
    pub fn max_attempts(self) -> i64 {
        match self {
            JobKind::IngestDocument | JobKind::RunExecution => 3,
        }
    }
}
