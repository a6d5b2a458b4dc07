//! The job queue's SQL. Every state change of a running job names its lease owner, so a
//! worker whose lease was taken over (it stalled past the lease) can no longer touch the job.

use sqlx::{AnyConnection, FromRow};

use super::JobKind;
use crate::clock::new_id;
use crate::db::{Db, Engine};

/// The channel PostgreSQL instances hear new jobs on.
pub const CHANNEL: &str = "tessera_jobs";

#[derive(Debug, Clone, FromRow)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    pub subject_id: String,
    /// Including this one.
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Adds a job, inside the caller's transaction: it exists exactly when the change that needs
/// it commits. On PostgreSQL the announcement is delivered on commit too.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: JobKind,
    subject_id: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO jobs (id, kind, subject_id, state, attempts, max_attempts, run_after, created_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5)",
    )
    .bind(&id)
    .bind(kind.as_str())
    .bind(subject_id)
    .bind(kind.max_attempts())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if conn.backend_name() == "PostgreSQL" {
        // pg_notify returns `void`, which the Any driver cannot decode: select a number.
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM (SELECT pg_notify($1, '')) AS notified")
            .bind(CHANNEL)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// A job whose lease ran out (its instance died), oldest lease first.
const LEASE_RAN_OUT: &str =
    "state = 'running' AND lease_until < $3 ORDER BY lease_until, created_at";
/// A queued job that is due, in queue order.
const DUE: &str = "state = 'queued' AND run_after <= $3 ORDER BY run_after, created_at";

/// Takes the lease of the oldest claimable job until `lease_until`, counting an attempt: a
/// job whose lease ran out first, else the first queued job that is due.
pub async fn claim(
    db: &Db,
    worker_id: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    claim_first(db, worker_id, now, lease_until, &[LEASE_RAN_OUT, DUE]).await
}

/// [`claim`] without looking for leases that ran out: what a busy worker does between its
/// periodic looks (a dead instance's job waits at most that long), one statement per job.
pub async fn claim_due(
    db: &Db,
    worker_id: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    claim_first(db, worker_id, now, lease_until, &[DUE]).await
}

/// Tries each kind of claimable job in turn. Each try is one statement, so two workers never
/// take the same job: SQLite runs writers one at a time, and PostgreSQL skips rows another
/// transaction has locked. Through `jobs_claim_order` a try reads only running jobs (one per
/// busy worker) or one queued entry, whatever the backlog; a single statement with both
/// conditions sorted every queued job.
async fn claim_first(
    db: &Db,
    worker_id: &str,
    now: i64,
    lease_until: i64,
    kinds: &[&str],
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    let lock = match db.engine() {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    for claimable in kinds {
        let claimed = sqlx::query_as(&format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = $1, \
             lease_until = $2 \
             WHERE id = (SELECT id FROM jobs WHERE {claimable} LIMIT 1 {lock}) \
             RETURNING id, kind, subject_id, attempts, max_attempts"
        ))
        .bind(worker_id)
        .bind(lease_until)
        .bind(now)
        .fetch_optional(db.pool())
        .await?;
        if claimed.is_some() {
            return Ok(claimed);
        }
    }
    Ok(None)
}

/// Extends a held lease; false when the lease is no longer this worker's.
pub async fn renew(
    db: &Db,
    job_id: &str,
    worker_id: &str,
    lease_until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'",
    )
    .bind(lease_until)
    .bind(job_id)
    .bind(worker_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The job is over (done, or given up on): its row goes.
pub async fn finish(db: &Db, job_id: &str, worker_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease_owner = $2")
        .bind(job_id)
        .bind(worker_id)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Hands a job back unrun (this instance is shutting down): queued again, its attempt not
/// counted.
pub async fn release(db: &Db, job_id: &str, worker_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, \
         lease_until = NULL WHERE id = $1 AND lease_owner = $2",
    )
    .bind(job_id)
    .bind(worker_id)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Queues a job again after a failure worth retrying, from `run_after` on.
pub async fn retry_later(
    db: &Db,
    job_id: &str,
    worker_id: &str,
    run_after: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET state = 'queued', run_after = $1, lease_owner = NULL, \
         lease_until = NULL WHERE id = $2 AND lease_owner = $3",
    )
    .bind(run_after)
    .bind(job_id)
    .bind(worker_id)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Jobs not yet finished (queued or running), for tests and health figures.
pub async fn outstanding(db: &Db) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs")
        .fetch_one(db.pool())
        .await?;
    Ok(count)
}
