//! Bearer authentication for the REST API at cache speed (SPEC §3): shape and checksum with no
//! I/O; key id → token rows from a cache that every change invalidates; a verified-value cache
//! so argon2 runs once per token value rather than once per request; failure limits checked
//! before any argon2 work; argon2 itself behind the process's one argon2 bound (`crypto::pool`),
//! with drop guards so a request abandoned while it waits leaves nothing behind; status, expiry
//! and scope against the clock on every request; usage counted in memory and flushed in
//! batches. The rules a matching row must pass are in `admit`.

pub mod admit;
pub mod cache;
pub mod changes;
pub mod usage;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::watch;

use crate::access::Principal;
use crate::auth::rate_limit::{addr_key, FailureLimiter, Reservation};
use crate::crypto::SecretHasher;
use crate::db::{Db, Engine};
use crate::error::AppError;
use crate::tokens::domain::parse_token;
use crate::tokens::repo;

pub use self::admit::{admit, credential_for, AuthFailure};

use self::cache::{CachedRows, Fingerprint, RowCache, VerifiedCache};
use self::usage::UsageCounter;

/// Tunables, with defaults suited to production; tests shorten them.
#[derive(Debug, Clone)]
pub struct BearerSettings {
    /// Failed authentications one client address may make at once, and the refill interval.
    pub failures_per_addr: (u32, Duration),
    /// Failed authentications against one key id from one client address at once, and the
    /// refill interval. Not per key id alone: anyone who saw a token's public prefix could
    /// then keep its owner's first uses refused. (A 190-bit secret needs no limit of its own
    /// against guessing; the address limit and the argon2 bound protect the CPU.)
    pub failures_per_key: (u32, Duration),
    /// How often counted usage is written to the database.
    pub usage_flush_every: Duration,
    /// How long a rate-limited refusal is held before it is sent. A flooding client that waits
    /// on its answers sends far fewer requests, so the flood stops eating the CPU that good
    /// traffic needs; the server only keeps a timer per held request.
    pub limited_refusal_delay: Duration,
}

impl Default for BearerSettings {
    fn default() -> Self {
        BearerSettings {
            failures_per_addr: (20, Duration::from_secs(3)),
            failures_per_key: (10, Duration::from_secs(6)),
            usage_flush_every: Duration::from_secs(2),
            limited_refusal_delay: Duration::from_millis(250),
        }
    }
}

/// Why a bearer token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BearerError {
    /// The token itself is no good (or, for `Internal`, could not be checked).
    Refused(AuthFailure),
    /// Too many failures from this address or against this key id: no work was done.
    RateLimited { retry_after_secs: u64 },
}

impl From<AuthFailure> for BearerError {
    fn from(failure: AuthFailure) -> Self {
        BearerError::Refused(failure)
    }
}

/// The hot path's state: caches, limits, usage tally and background tasks. Cheap to clone.
#[derive(Clone)]
pub struct BearerAuth(Arc<Inner>);

struct Inner {
    rows: RowCache,
    verified: VerifiedCache,
    usage: UsageCounter,
    by_addr: FailureLimiter,
    by_key: FailureLimiter,
    /// Verifications in progress, by value: see `BearerAuth::gate`.
    gates: std::sync::Mutex<HashMap<Fingerprint, Arc<tokio::sync::Mutex<()>>>>,
    settings: BearerSettings,
    stop: watch::Sender<bool>,
}

impl BearerAuth {
    /// On PostgreSQL the row cache starts switched off: it is switched on once the change
    /// listener (see [`BearerAuth::start`]) is connected.
    pub fn new(engine: Engine, settings: BearerSettings) -> Self {
        let (stop, _) = watch::channel(false);
        BearerAuth(Arc::new(Inner {
            rows: RowCache::new(engine == Engine::Sqlite),
            verified: VerifiedCache::default(),
            usage: UsageCounter::default(),
            by_addr: FailureLimiter::new(
                settings.failures_per_addr.0,
                settings.failures_per_addr.1,
            ),
            by_key: FailureLimiter::new(settings.failures_per_key.0, settings.failures_per_key.1),
            gates: std::sync::Mutex::new(HashMap::new()),
            settings,
            stop,
        }))
    }

    pub fn settings(&self) -> &BearerSettings {
        &self.0.settings
    }

    pub fn rows(&self) -> &RowCache {
        &self.0.rows
    }

    pub fn usage(&self) -> &UsageCounter {
        &self.0.usage
    }

    /// Starts the periodic usage flush and, on PostgreSQL, the change listener (`database_url`
    /// is used for its own connection). Both stop at [`BearerAuth::shutdown`].
    pub fn start(&self, db: &Db, database_url: &str) {
        let pool = db.pool().clone();
        let every = self.0.settings.usage_flush_every;
        let usage_owner = self.clone();
        let mut stop = self.0.stop.subscribe();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = stopped(&mut stop) => return,
                    _ = ticks.tick() => {
                        if let Err(error) = usage_owner.usage().flush(&pool).await {
                            tracing::error!(%error, "could not write token usage; will retry");
                        }
                    }
                }
            }
        });
        if db.engine() == Engine::Postgres {
            tokio::spawn(changes::listen(
                self.clone(),
                database_url.to_owned(),
                self.0.stop.subscribe(),
            ));
        }
    }

    /// Stops the background tasks and writes the usage still in memory. Call after the server
    /// has drained its requests and before the pool closes.
    pub async fn shutdown(&self, pool: &AnyPool) {
        self.0.stop.send_replace(true);
        match self.0.usage.flush(pool).await {
            Ok(calls) => tracing::info!(calls, "token usage written"),
            Err(error) => tracing::error!(%error, "could not write token usage at shutdown"),
        }
    }

    /// Forgets the cached rows of these key ids on this instance (after a change committed).
    pub fn invalidate<'a>(&self, key_ids: impl IntoIterator<Item = &'a str>) {
        self.0.rows.invalidate(key_ids);
    }

    /// Forgets every cached row on this instance.
    pub fn invalidate_all(&self) {
        self.0.rows.clear();
    }

    /// The hot path. `client_addr` is the caller's IP address, for failure limits.
    #[tracing::instrument(name = "tokens.bearer", skip_all)]
    pub async fn authenticate(
        &self,
        pool: &AnyPool,
        hasher: &SecretHasher,
        token: &str,
        client_addr: Option<IpAddr>,
        now: i64,
    ) -> Result<Principal, BearerError> {
        let inner = &*self.0;
        let parsed = parse_token(token).map_err(AuthFailure::Malformed)?;
        let key_id = parsed.key_id.as_str();
        let fingerprint = inner.verified.fingerprint(token);
        // A value never verified may cost a database read and argon2: not while the caller or
        // the key id has no failures left.
        if !inner.verified.known(&fingerprint) {
            self.check_limits(client_addr, key_id)?;
        }
        let rows = self
            .rows_for(pool, key_id, inner.verified.known(&fingerprint))
            .await?;
        let Some((row, hash)) = credential_for(&rows, key_id, now) else {
            // A failure of the address only: an unknown key id has no secret to guess, and a
            // bucket per made-up key id would let a flood grow the limiter without bound.
            self.record_failure(client_addr);
            return Err(AuthFailure::UnknownKey.into());
        };
        if !inner.verified.verified(&fingerprint, hash) {
            // One argon2 per value however many requests bring it at once: the others wait
            // for its verdict instead of spending failures and CPU of their own.
            // The gate leaves the map when its last user is done or dropped.
            let gate = self.gate(fingerprint);
            let _turn = gate.lock.lock().await;
            if !inner.verified.verified(&fingerprint, hash) {
                self.verify_once(hasher, &parsed.secret, hash, client_addr, key_id)
                    .await?;
                inner.verified.remember(fingerprint, hash);
            }
        }
        let principal = admit(row, now, client_addr.map(|addr| addr.to_string()))?;
        inner.usage.record(&row.id, now);
        Ok(principal)
    }

    /// The lock that serialises verifications of one value.
    fn gate(&self, fingerprint: Fingerprint) -> Gate<'_> {
        let lock = self.lock_gates().entry(fingerprint).or_default().clone();
        Gate {
            auth: self,
            fingerprint,
            lock,
        }
    }

    /// Values with a verification in progress or waiting (each holds one gate in the map).
    pub fn gates_in_use(&self) -> usize {
        self.lock_gates().len()
    }

    fn lock_gates(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<Fingerprint, Arc<tokio::sync::Mutex<()>>>> {
        // A panic while holding this lock cannot leave the map half-written; carry on.
        self.0
            .gates
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reserves a failure of the address and of the key id (spent at once, so concurrent
    /// attempts cannot all pass a check none has spent yet), waits for a turn at argon2, runs
    /// it, and gives the reservation back if the secret matched. Dropped while it waits for
    /// its turn, it gives the reservation back too: nothing was tried.
    async fn verify_once(
        &self,
        hasher: &SecretHasher,
        secret: &crate::tokens::domain::TokenSecret,
        hash: &str,
        client_addr: Option<IpAddr>,
        key_id: &str,
    ) -> Result<(), BearerError> {
        let mut reservation = self.reserve(client_addr, key_id)?;
        let turn = hasher.turn().await.map_err(|_| AuthFailure::Internal)?;
        reservation.started();
        match turn
            .verify(secret.expose().to_owned(), Some(hash.to_owned()))
            .await
        {
            Ok(true) => {
                reservation.refund();
                Ok(())
            }
            Ok(false) => Err(AuthFailure::WrongSecret.into()),
            Err(_) => {
                reservation.refund();
                Err(AuthFailure::Internal.into())
            }
        }
    }

    /// The rows of `key_id`, from the cache or the database. For a value that once verified
    /// (`known`), "no rows" is cached too: a client still sending a deleted or regenerated
    /// token skips the failure limits (its value is known), and must not cost a database read
    /// per request. Unknown values are not: made-up key ids would fill the cache.
    async fn rows_for(
        &self,
        pool: &AnyPool,
        key_id: &str,
        known: bool,
    ) -> Result<CachedRows, AuthFailure> {
        if let Some(rows) = self.0.rows.get(key_id) {
            return Ok(rows);
        }
        let epoch = self.0.rows.epoch();
        let rows = repo::find_by_key(pool, key_id).await.map_err(|error| {
            tracing::error!(%error, "token lookup failed");
            AuthFailure::Internal
        })?;
        let rows = Arc::new(rows);
        if known || !rows.is_empty() {
            self.0.rows.fill(key_id, rows.clone(), epoch);
        }
        Ok(rows)
    }

    /// Spends one failure of the address and one of the key id, or neither.
    // Addresses become limiter keys only here, off the verified path.
    fn reserve(
        &self,
        client_addr: Option<IpAddr>,
        key_id: &str,
    ) -> Result<Reservation<'_>, BearerError> {
        let addr = client_addr.map(addr_key);
        let by_key = (&self.0.by_key, addr_and_key(addr.as_deref(), key_id));
        let by_addr = addr.map(|addr| (&self.0.by_addr, addr));
        Reservation::take(by_addr.into_iter().chain([by_key])).map_err(limited)
    }

    /// Whether the address and the key id have failures left, without spending any.
    fn check_limits(&self, client_addr: Option<IpAddr>, key_id: &str) -> Result<(), BearerError> {
        let addr = client_addr.map(addr_key);
        if let Some(addr) = &addr {
            self.0.by_addr.check(addr).map_err(limited)?;
        }
        self.0
            .by_key
            .check(&addr_and_key(addr.as_deref(), key_id))
            .map_err(limited)
    }

    fn record_failure(&self, client_addr: Option<IpAddr>) {
        if let Some(addr) = client_addr {
            self.0.by_addr.record_failure(&addr_key(addr));
        }
    }
}

/// A value's verification lock, taken from the map by [`BearerAuth::gate`]. Dropping it —
/// after the verdict, or with a request abandoned while waiting — removes the map's entry once
/// nobody else holds it.
struct Gate<'a> {
    auth: &'a BearerAuth,
    fingerprint: Fingerprint,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl Drop for Gate<'_> {
    fn drop(&mut self) {
        // Under the map's lock nobody can take a new reference, so two (the map's and this
        // one) means nobody else is verifying or waiting.
        let mut gates = self.auth.lock_gates();
        if gates
            .get(&self.fingerprint)
            .is_some_and(|gate| Arc::strong_count(gate) == 2)
        {
            gates.remove(&self.fingerprint);
        }
    }
}

/// The key-id limiter's key: the key id as tried from one client address.
fn addr_and_key(addr: Option<&str>, key_id: &str) -> String {
    format!("{} {key_id}", addr.unwrap_or("-"))
}

fn limited(error: AppError) -> BearerError {
    match error {
        AppError::RateLimited { retry_after_secs } => BearerError::RateLimited { retry_after_secs },
        _ => AuthFailure::Internal.into(),
    }
}

/// Resolves once `stop` says so (at once if it already has).
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is dropped here, not held in a `select!` across awaits.
    let _ = stop.wait_for(|stopped| *stopped).await;
}
