//! Failure limiting: each key (a client address, an email, a token's key id) has a bucket of
//! allowed failures that refills over time. Checking does not spend; only failures do, so a
//! person who types their password right is never slowed down by the limiter.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

pub struct FailureLimiter {
    capacity: f64,
    refill_per_second: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Above this many tracked keys, full buckets are forgotten (they carry no information).
const PRUNE_ABOVE: usize = 10_000;

impl FailureLimiter {
    /// `burst` failures at once, then one more every `refill`.
    pub fn new(burst: u32, refill: Duration) -> Self {
        FailureLimiter {
            capacity: f64::from(burst.max(1)),
            refill_per_second: 1.0 / refill.as_secs_f64().max(0.001),
            buckets: Mutex::new(HashMap::new()),
        }
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
        let now = Instant::now();
        let mut buckets = self.lock();
        let tokens = match buckets.get(key) {
            Some(bucket) => self.refilled(*bucket, now),
            None => self.capacity,
        };
        if tokens < 1.0 {
            let wait = ((1.0 - tokens) / self.refill_per_second).ceil().max(1.0);
            return Err(AppError::RateLimited {
                retry_after_secs: wait as u64,
            });
        }
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| self.refilled(*bucket, now) < self.capacity);
        }
        buckets.insert(
            key.to_owned(),
            Bucket {
                tokens: tokens - 1.0,
                updated: now,
            },
        );
        Ok(())
    }

    /// Returns a failure reserved by an attempt that succeeded.
    pub fn refund(&self, key: &str) {
        let now = Instant::now();
        let mut buckets = self.lock();
        if let Some(bucket) = buckets.get(key).copied() {
            let tokens = (self.refilled(bucket, now) + 1.0).min(self.capacity);
            buckets.insert(
                key.to_owned(),
                Bucket {
                    tokens,
                    updated: now,
                },
            );
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), AppError> {
        let buckets = self.lock();
        let Some(bucket) = buckets.get(key) else {
            return Ok(());
        };
        let tokens = self.refilled(*bucket, now);
        if tokens >= 1.0 {
            Ok(())
        } else {
            let wait = ((1.0 - tokens) / self.refill_per_second).ceil().max(1.0);
            Err(AppError::RateLimited {
                retry_after_secs: wait as u64,
            })
        }
    }

    fn record_failure_at(&self, key: &str, now: Instant) {
        let mut buckets = self.lock();
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| self.refilled(*bucket, now) < self.capacity);
        }
        let tokens = match buckets.get(key) {
            Some(bucket) => self.refilled(*bucket, now),
            None => self.capacity,
        };
        buckets.insert(
            key.to_owned(),
            Bucket {
                tokens: (tokens - 1.0).max(0.0),
                updated: now,
            },
        );
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        (bucket.tokens + elapsed * self.refill_per_second).min(self.capacity)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Bucket>> {
        // A panic while holding this lock cannot leave a bucket half-written; carry on.
        self.buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    fn checking_does_not_spend() {
        let limiter = FailureLimiter::new(1, Duration::from_secs(60));
        for _ in 0..100 {
            assert!(limiter.check("k").is_ok());
        }
    }
}
