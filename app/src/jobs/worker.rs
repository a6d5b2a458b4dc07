//! The loops that run jobs. Each instance runs `workers` of them; each claims a job, runs it
//! while renewing its lease, and records the outcome. They wake when a job is queued here
//! (`Jobs::wake`), when another PostgreSQL instance announces one, and every `poll_every`
//! otherwise (which also picks up jobs whose lease ran out).
//!
//! On shutdown a running job is handed back to the queue unfinished, for this or another
//! instance to run again; nothing queued is lost.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::postgres::PgListener;
use tokio::sync::{watch, Notify};

use super::handle::JobSettings;
use super::outcome::JobError;
use super::queue::{self, ClaimedJob};
use super::JobKind;
use crate::clock::{new_id, now_ms};
use crate::executions;
use crate::knowledge::ingest;
use crate::state::AppState;

/// Starts this instance's workers, the loop that fires schedule triggers (and, on
/// PostgreSQL, the listener for other instances' jobs), under `state.jobs`. `database_url` is never logged: it may hold a password.
pub fn start(state: &AppState, database_url: &str) {
    let jobs = &state.jobs;
    let settings = jobs.settings().clone();
    if settings.workers == 0 {
        return;
    }
    let instance = new_id();
    for n in 0..settings.workers {
        let worker = Worker {
            id: format!("{instance}-{n}"),
            state: state.clone(),
            settings: settings.clone(),
            wake: jobs.wake_signal(),
            stop: jobs.stop_signal(),
        };
        jobs.keep(tokio::spawn(worker.run()));
    }
    jobs.keep(tokio::spawn(crate::triggers::scheduler::run(
        state.clone(),
        jobs.stop_signal(),
    )));
    if state.db.engine() == crate::db::Engine::Postgres {
        jobs.keep(tokio::spawn(listen(
            database_url.to_owned(),
            jobs.wake_signal(),
            jobs.stop_signal(),
        )));
    }
}

struct Worker {
    id: String,
    state: AppState,
    settings: JobSettings,
    wake: Arc<Notify>,
    stop: watch::Receiver<bool>,
}

impl Worker {
    async fn run(mut self) {
        // Leases that ran out are looked for once every `poll_every`, not before every job.
        let mut leases_checked: Option<Instant> = None;
        loop {
            if *self.stop.borrow() {
                return;
            }
            let now = now_ms();
            let lease_until = now + lease_ms(&self.settings);
            let check_leases =
                leases_checked.is_none_or(|at| at.elapsed() >= self.settings.poll_every);
            let claimed = if check_leases {
                leases_checked = Some(Instant::now());
                queue::claim(&self.state.db, &self.id, now, lease_until).await
            } else {
                queue::claim_due(&self.state.db, &self.id, now, lease_until).await
            };
            match claimed {
                Ok(Some(job)) => {
                    self.run_claimed(job).await;
                    continue;
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "cannot claim jobs"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.settings.poll_every) => {}
                () = stopped(&mut self.stop) => return,
            }
        }
    }

    /// Runs one claimed job to its outcome, renewing the lease meanwhile.
    async fn run_claimed(&mut self, job: ClaimedJob) {
        let db = &self.state.db;
        let Some(kind) = JobKind::parse(&job.kind) else {
            tracing::error!(job_id = %job.id, kind = %job.kind, "unknown job kind; dropping it");
            let _ = queue::finish(db, &job.id, &self.id).await;
            return;
        };
        if job.attempts > job.max_attempts {
            give_up(&self.state, kind, &job, "it was interrupted too many times").await;
            let _ = queue::finish(db, &job.id, &self.id).await;
            return;
        }
        let span = tracing::info_span!("job", job_id = %job.id, kind = kind.as_str(), attempt = job.attempts);
        let work = run_job(&self.state, kind, &job.subject_id);
        tokio::pin!(work);
        let mut renewals = tokio::time::interval(self.settings.lease / 3);
        renewals.tick().await;
        loop {
            tokio::select! {
                outcome = &mut work => {
                    let _enter = span.enter();
                    self.record(kind, &job, outcome).await;
                    return;
                }
                _ = renewals.tick() => {
                    let until = now_ms() + lease_ms(&self.settings);
                    match queue::renew(db, &job.id, &self.id, until).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!(parent: &span, "lost the job's lease; leaving it to its new owner");
                            return;
                        }
                        Err(error) => tracing::warn!(parent: &span, %error, "cannot renew the job's lease"),
                    }
                }
                () = stopped(&mut self.stop) => {
                    tracing::info!(parent: &span, "shutting down; the job goes back to the queue");
                    if let Err(error) = queue::release(db, &job.id, &self.id).await {
                        tracing::warn!(parent: &span, %error, "cannot hand the job back; its lease will run out");
                    }
                    handed_back(&self.state, kind, &job.subject_id).await;
                    return;
                }
            }
        }
    }

    async fn record(&self, kind: JobKind, job: &ClaimedJob, outcome: Result<(), JobError>) {
        let db = &self.state.db;
        let result = match outcome {
            Ok(()) => queue::finish(db, &job.id, &self.id).await,
            Err(JobError::Retry(reason)) if job.attempts < job.max_attempts => {
                // 5 s, 20 s, 45 s …: long enough for a restarted database to come back.
                let pause_ms = 5_000 * job.attempts * job.attempts;
                tracing::warn!(%reason, pause_ms, "job failed; it will be retried");
                queue::retry_later(db, &job.id, &self.id, now_ms() + pause_ms).await
            }
            Err(JobError::Retry(reason)) => {
                give_up(&self.state, kind, job, &reason).await;
                queue::finish(db, &job.id, &self.id).await
            }
        };
        if let Err(error) = result {
            tracing::warn!(%error, "cannot record the job's outcome; its lease will run out");
        }
    }
}

/// What each kind of job does.
async fn run_job(state: &AppState, kind: JobKind, subject_id: &str) -> Result<(), JobError> {
    match kind {
        JobKind::IngestDocument => ingest::run(state, subject_id).await,
        JobKind::RunExecution => executions::run::run(state, subject_id).await,
    }
}

/// A job handed back unfinished (this instance is stopping) leaves its subject waiting again.
async fn handed_back(state: &AppState, kind: JobKind, subject_id: &str) {
    match kind {
        JobKind::IngestDocument => {}
        JobKind::RunExecution => executions::run::handed_back(state, subject_id).await,
    }
}

/// A job that will not be tried again leaves its subject saying why.
async fn give_up(state: &AppState, kind: JobKind, job: &ClaimedJob, reason: &str) {
    tracing::warn!(job_id = %job.id, %reason, "giving up on a job");
    match kind {
        JobKind::IngestDocument => ingest::give_up(state, &job.subject_id, reason).await,
        JobKind::RunExecution => executions::run::give_up(state, &job.subject_id, reason).await,
    }
}

fn lease_ms(settings: &JobSettings) -> i64 {
    i64::try_from(settings.lease.as_millis()).unwrap_or(i64::MAX / 2)
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Wakes this instance's workers whenever another instance queues a job (PostgreSQL).
async fn listen(url: String, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
    loop {
        let connected = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(queue::CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            () = stopped(&mut stop) => return,
            result = connected => match result {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for new jobs; polling only");
                    tokio::time::sleep(RECONNECT_PAUSE).await;
                    continue;
                }
            },
        };
        loop {
            tokio::select! {
                () = stopped(&mut stop) => return,
                received = listener.try_recv() => match received {
                    Ok(Some(_)) => wake.notify_one(),
                    Ok(None) | Err(_) => break,
                },
            }
        }
        tokio::time::sleep(RECONNECT_PAUSE).await;
    }
}
