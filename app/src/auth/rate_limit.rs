//! Failure limiting: each key (a client address, an address and an email, a token's key id)
//! has a bucket of allowed failures that refills over time. Checking does not spend; only
//! failures do, so a person who types their password right is never slowed down by the limiter.
//!
//! Memory is bounded whatever the traffic: keys longer than [`MAX_KEY_BYTES`] are stored as
//! their SHA-256, and at most `max_keys` buckets are kept in two generations — when the newer
//! one fills, the older one is dropped whole (the least recently touched keys), so eviction
//! costs O(1) per insert amortised and no request waits on a scan of the whole map.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

/// Keys longer than this are kept as their SHA-256 (hex): an email of 64 KiB costs no more
/// than one of 20 bytes.
pub const MAX_KEY_BYTES: usize = 128;

/// Buckets one limiter keeps at most (about 100 bytes each), unless told otherwise.
pub const DEFAULT_MAX_KEYS: usize = 100_000;

/// The limiter key of a client address: IPv4 as is, IPv6 by its /64 — one subscriber gets a
/// whole /64, so keying single IPv6 addresses would give everyone 2^64 fresh budgets.
pub fn addr_key(addr: IpAddr) -> String {
    match addr.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// [`addr_key`] of an address given as text (the audit log's form); text that is not an
/// address is used as it is (length-bounded by the limiter).
pub fn addr_text_key(addr: &str) -> String {
    addr.parse::<IpAddr>()
        .map_or_else(|_| addr.to_owned(), addr_key)
}

pub struct FailureLimiter {
    capacity: f64,
    refill_per_second: f64,
    max_keys: usize,
    buckets: Mutex<Generations>,
}

/// Recently touched buckets in `current`, the generation before in `previous`.
#[derive(Default)]
struct Generations {
    current: HashMap<String, Bucket>,
    previous: HashMap<String, Bucket>,
}

impl Generations {
    fn get(&self, key: &str) -> Option<Bucket> {
        self.current
            .get(key)
            .or_else(|| self.previous.get(key))
            .copied()
    }

    /// Stores `bucket` in the newer generation; returns a generation to drop (outside the
    /// lock) when the newer one was full.
    fn put(
        &mut self,
        key: &str,
        bucket: Bucket,
        max_keys: usize,
    ) -> Option<HashMap<String, Bucket>> {
        self.previous.remove(key);
        self.current.insert(key.to_owned(), bucket);
        if self.current.len() >= (max_keys / 2).max(1) {
            let full = std::mem::take(&mut self.current);
            return Some(std::mem::replace(&mut self.previous, full));
        }
        None
    }

    fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

fn bounded(key: &str) -> Cow<'_, str> {
    if key.len() <= MAX_KEY_BYTES {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(crate::crypto::sha256_hex(key))
    }
}

impl FailureLimiter {
    /// `burst` failures at once, then one more every `refill`.
    pub fn new(burst: u32, refill: Duration) -> Self {
        Self::with_max_keys(burst, refill, DEFAULT_MAX_KEYS)
    }

    /// As [`FailureLimiter::new`], keeping at most `max_keys` buckets.
    pub fn with_max_keys(burst: u32, refill: Duration, max_keys: usize) -> Self {
        FailureLimiter {
            capacity: f64::from(burst.max(1)),
            refill_per_second: 1.0 / refill.as_secs_f64().max(0.001),
            max_keys: max_keys.max(2),
            buckets: Mutex::new(Generations::default()),
        }
    }

    /// Buckets kept now (never more than `max_keys`).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `Err(RateLimited)` while the key has no failures left.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        self.check_at(key, Instant::now())
    }

    pub fn record_failure(&self, key: &str) {
        self.record_failure_at(key, Instant::now());
    }

    /// Checks and spends one failure at once, for work that must be paid for before its
    /// outcome is known: concurrent requests cannot all pass a check that none has spent yet.
    /// Give it back with [`FailureLimiter::refund`] when the attempt succeeds.
    pub fn reserve(&self, key: &str) -> Result<(), AppError> {
        let key = bounded(key);
        let now = Instant::now();
        let mut buckets = self.lock();
        let tokens = match buckets.get(&key) {
            Some(bucket) => self.refilled(bucket, now),
            None => self.capacity,
        };
        if tokens < 1.0 {
            return Err(self.refusal(tokens));
        }
        let bucket = Bucket {
            tokens: tokens - 1.0,
            updated: now,
        };
        let dropped = buckets.put(&key, bucket, self.max_keys);
        drop(buckets);
        drop(dropped);
        Ok(())
    }

    /// Returns a failure reserved by an attempt that succeeded.
    pub fn refund(&self, key: &str) {
        let key = bounded(key);
        let now = Instant::now();
        let mut buckets = self.lock();
        if let Some(bucket) = buckets.get(&key) {
            let tokens = (self.refilled(bucket, now) + 1.0).min(self.capacity);
            let bucket = Bucket {
                tokens,
                updated: now,
            };
            let dropped = buckets.put(&key, bucket, self.max_keys);
            drop(buckets);
            drop(dropped);
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), AppError> {
        let key = bounded(key);
        let Some(bucket) = self.lock().get(&key) else {
            return Ok(());
        };
        let tokens = self.refilled(bucket, now);
        if tokens >= 1.0 {
            Ok(())
        } else {
            Err(self.refusal(tokens))
        }
    }

    fn record_failure_at(&self, key: &str, now: Instant) {
        let key = bounded(key);
        let mut buckets = self.lock();
        let tokens = match buckets.get(&key) {
            Some(bucket) => self.refilled(bucket, now),
            None => self.capacity,
        };
        let bucket = Bucket {
            tokens: (tokens - 1.0).max(0.0),
            updated: now,
        };
        let dropped = buckets.put(&key, bucket, self.max_keys);
        drop(buckets);
        drop(dropped);
    }

    fn refusal(&self, tokens: f64) -> AppError {
        let wait = ((1.0 - tokens) / self.refill_per_second).ceil().max(1.0);
        AppError::RateLimited {
            retry_after_secs: wait as u64,
        }
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        (bucket.tokens + elapsed * self.refill_per_second).min(self.capacity)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // A panic while holding this lock cannot leave a bucket half-written; carry on.
        self.buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Failures spent in advance, from one or more limiters, by an attempt whose outcome is not
/// known yet (it needs argon2). Until [`Reservation::started`] a dropped reservation — a request
/// that gave up waiting for its turn — gives its failures back; after it, the failures stay
/// spent unless the attempt succeeds and calls [`Reservation::refund`].
#[must_use]
pub struct Reservation<'a> {
    spent: Vec<(&'a FailureLimiter, String)>,
    keep_on_drop: bool,
}

impl<'a> Reservation<'a> {
    /// Spends one failure of every `(limiter, key)`, or none if any of them has none left.
    pub fn take(
        keys: impl IntoIterator<Item = (&'a FailureLimiter, String)>,
    ) -> Result<Self, AppError> {
        let mut reservation = Reservation {
            spent: Vec::new(),
            keep_on_drop: false,
        };
        for (limiter, key) in keys {
            // On refusal the reservation drops here and gives back what it already spent.
            limiter.reserve(&key)?;
            reservation.spent.push((limiter, key));
        }
        Ok(reservation)
    }

    /// The attempt's argon2 has its turn: from now on the failures count even if the caller
    /// goes away.
    pub fn started(&mut self) {
        self.keep_on_drop = true;
    }

    /// The attempt succeeded (or could not be judged): its failures are given back.
    pub fn refund(mut self) {
        self.keep_on_drop = false;
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.keep_on_drop {
            for (limiter, key) in &self.spent {
                limiter.refund(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_of_failures_then_refuses_then_recovers() {
        let limiter = FailureLimiter::new(3, Duration::from_secs(10));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at("a", start).is_ok());
            limiter.record_failure_at("a", start);
        }
        match limiter.check_at("a", start) {
            Err(AppError::RateLimited { retry_after_secs }) => assert_eq!(retry_after_secs, 10),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(limiter.check_at("b", start).is_ok(), "keys are independent");
        let later = start + Duration::from_secs(4);
        match limiter.check_at("a", later) {
            Err(AppError::RateLimited { retry_after_secs }) => assert_eq!(retry_after_secs, 6),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(limiter
            .check_at("a", start + Duration::from_secs(10))
            .is_ok());
    }

    #[test]
    fn reservations_spend_at_once_and_refunds_give_back() {
        let limiter = FailureLimiter::new(2, Duration::from_secs(60));
        assert!(limiter.reserve("k").is_ok());
        assert!(limiter.reserve("k").is_ok());
        assert!(
            limiter.reserve("k").is_err(),
            "two in flight use up a burst of two"
        );
        limiter.refund("k");
        assert!(limiter.check("k").is_ok());
        assert!(limiter.reserve("k").is_ok());
        assert!(limiter.check("k").is_err());
    }

    #[test]
    fn a_reservation_is_all_or_nothing_and_given_back_unless_started() {
        let a = FailureLimiter::new(2, Duration::from_secs(60));
        let b = FailureLimiter::new(1, Duration::from_secs(60));
        let first = Reservation::take([(&a, "x".into()), (&b, "y".into())]).unwrap();
        // `b` has nothing left: the second takes nothing from `a` either.
        assert!(Reservation::take([(&a, "x".into()), (&b, "y".into())]).is_err());
        drop(first);
        // Dropped before it started (a caller that gave up waiting): everything is back.
        let mut second = Reservation::take([(&a, "x".into()), (&b, "y".into())]).unwrap();
        second.started();
        drop(second);
        // Started, then dropped: a failure that counts.
        assert!(b.check("y").is_err());
        assert!(a.check("x").is_ok());
        let mut third = Reservation::take([(&a, "x".into())]).unwrap();
        third.started();
        third.refund();
        assert!(a.reserve("x").is_ok(), "a success gives its failure back");
        assert!(a.check("x").is_err());
    }

    #[test]
    fn a_flood_of_distinct_keys_keeps_memory_flat_and_recent_keys_limited() {
        let limiter = FailureLimiter::with_max_keys(1, Duration::from_secs(3600), 1_000);
        limiter.record_failure("attacker");
        for n in 0..100_000 {
            limiter.record_failure(&format!("flood-{n}"));
            if n % 100 == 0 {
                // A key in active use stays in the newer generation.
                assert!(limiter.check("attacker").is_err());
                limiter.record_failure("attacker");
            }
            assert!(limiter.len() <= 1_000);
        }
        assert!(
            limiter.check("flood-99999").is_err(),
            "recent keys are kept"
        );
        assert!(limiter.check("flood-0").is_ok(), "the oldest were evicted");
    }

    #[test]
    fn long_keys_are_stored_bounded_and_still_distinct() {
        let limiter = FailureLimiter::new(1, Duration::from_secs(3600));
        let long_a = format!("{}a@example.com", "x".repeat(64 * 1024));
        let long_b = format!("{}b@example.com", "x".repeat(64 * 1024));
        limiter.record_failure(&long_a);
        assert!(limiter.check(&long_a).is_err());
        assert!(limiter.check(&long_b).is_ok());
        let stored = limiter.lock();
        assert!(stored.current.keys().all(|key| key.len() <= MAX_KEY_BYTES));
    }

    #[test]
    fn ipv6_addresses_are_keyed_by_their_64_and_ipv4_whole() {
        let key = |text: &str| addr_key(text.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("192.0.2.1"), "192.0.2.1");
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
        assert_eq!(key("::ffff:192.0.2.1"), "192.0.2.1");
        assert_eq!(addr_text_key("2001:db8::7"), key("2001:db8::1"));
        assert_eq!(addr_text_key("not an address"), "not an address");
    }

    #[test]
    fn checking_does_not_spend() {
        let limiter = FailureLimiter::new(1, Duration::from_secs(60));
        for _ in 0..100 {
            assert!(limiter.check("k").is_ok());
        }
    }
}
