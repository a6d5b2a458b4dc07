//! Usage counting off the request path: each authenticated request adds one to an in-memory
//! tally; a background task (and graceful shutdown) moves the tally to the database in one
//! transaction. The tally is taken out whole under its lock, so a call is counted in exactly
//! one flush; a failed flush puts its counts back.

use std::collections::HashMap;
use std::sync::Mutex;

use sqlx::AnyPool;

use crate::clock::DAY_MS;

/// One token's calls since the last flush.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Pending {
    last_used_at: i64,
    /// UTC day → calls.
    days: HashMap<i64, i64>,
}

impl Pending {
    fn calls(&self) -> i64 {
        self.days.values().sum()
    }

    fn merge(&mut self, other: Pending) {
        self.last_used_at = self.last_used_at.max(other.last_used_at);
        for (day, calls) in other.days {
            *self.days.entry(day).or_default() += calls;
        }
    }
}

#[derive(Default)]
pub struct UsageCounter {
    pending: Mutex<HashMap<String, Pending>>,
    /// One flush at a time, so a shutdown flush waits for a periodic one in progress.
    flushing: tokio::sync::Mutex<()>,
}

impl UsageCounter {
    /// Counts one call by `token_id` at `now` (ms). A lock and a hash-map update: no I/O.
    pub fn record(&self, token_id: &str, now: i64) {
        let mut pending = self.lock();
        let entry = match pending.get_mut(token_id) {
            Some(entry) => entry,
            None => pending.entry(token_id.to_owned()).or_default(),
        };
        entry.last_used_at = entry.last_used_at.max(now);
        *entry.days.entry(now.div_euclid(DAY_MS)).or_default() += 1;
    }

    /// Calls counted and not yet written.
    pub fn unflushed(&self) -> i64 {
        self.lock().values().map(Pending::calls).sum()
    }

    /// Writes everything counted so far; returns how many calls were written.
    #[tracing::instrument(name = "tokens.usage_flush", skip_all)]
    pub async fn flush(&self, pool: &AnyPool) -> Result<i64, sqlx::Error> {
        let _one_at_a_time = self.flushing.lock().await;
        let taken = std::mem::take(&mut *self.lock());
        if taken.is_empty() {
            return Ok(0);
        }
        match write(pool, &taken).await {
            Ok(()) => Ok(taken.values().map(Pending::calls).sum()),
            Err(error) => {
                let mut pending = self.lock();
                for (token_id, counts) in taken {
                    pending.entry(token_id).or_default().merge(counts);
                }
                Err(error)
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Pending>> {
        // A panic while holding this lock cannot leave an entry half-written; carry on.
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One transaction for the whole batch. Tokens deleted since they were used are skipped (the
/// `UPDATE` finds no row; the daily insert requires the token to exist).
async fn write(pool: &AnyPool, taken: &HashMap<String, Pending>) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for (token_id, counts) in taken {
        crate::tokens::repo::add_usage(&mut tx, token_id, counts.calls(), counts.last_used_at)
            .await?;
        for (day, calls) in &counts.days {
            crate::tokens::repo::add_daily_usage(&mut tx, token_id, *day, *calls).await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_tallied_per_token_and_day() {
        let counter = UsageCounter::default();
        counter.record("a", 10);
        counter.record("a", 5);
        counter.record("a", DAY_MS + 1);
        counter.record("b", 7);
        assert_eq!(counter.unflushed(), 4);
        let pending = counter.lock();
        let a = &pending["a"];
        assert_eq!(a.last_used_at, DAY_MS + 1);
        assert_eq!(a.days[&0], 2);
        assert_eq!(a.days[&1], 1);
    }
}
