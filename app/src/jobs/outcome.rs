//! How a job's run can fail: what each kind of job returns to the worker that ran it.

/// How a job's run ended, when it did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt later (the database or blob store was unreachable).
    #[error("{0}")]
    Retry(String),
}
