//! The two caches of the hot path. `RowCache` maps a key id to its token rows (status, expiry,
//! scope, hashes) and is invalidated on every change; `VerifiedCache` remembers which argon2
//! hash a token value has already been verified against, keyed by an HMAC of the value.
//!
//! Neither caches a time decision: expiry and grace periods are checked against the clock on
//! every request, from the cached row.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::tokens::repo::TokenAuthRow;

/// Above this many entries a cache starts over: a crude bound, but a full cache only costs
/// each token one database read (rows) or one argon2 verify (verified values) to refill.
const MAX_ENTRIES: usize = 100_000;

/// The rows whose current or previous key id is this key id (usually one).
pub type CachedRows = Arc<Vec<TokenAuthRow>>;

/// Token rows by key id.
///
/// A fill races an invalidation when the row was read before a change committed but stored
/// after the change's invalidation ran. The epoch closes that window: every invalidation bumps
/// it before removing entries, and a fill re-reads it after storing and withdraws its entry if
/// it moved since the fill started reading the database.
pub struct RowCache {
    map: RwLock<HashMap<String, CachedRows>>,
    epoch: AtomicU64,
    /// Off while changes from other instances cannot be heard (PostgreSQL listener down).
    enabled: AtomicBool,
}

impl RowCache {
    pub fn new(enabled: bool) -> Self {
        RowCache {
            map: RwLock::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            enabled: AtomicBool::new(enabled),
        }
    }

    pub fn get(&self, key_id: &str) -> Option<CachedRows> {
        if !self.enabled.load(Ordering::SeqCst) {
            return None;
        }
        read(&self.map).get(key_id).cloned()
    }

    /// Call before reading the database for a fill.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Stores rows read after `epoch` was taken, unless an invalidation ran meanwhile.
    pub fn fill(&self, key_id: &str, rows: CachedRows, epoch: u64) {
        if !self.enabled.load(Ordering::SeqCst) {
            return;
        }
        {
            let mut map = write(&self.map);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key_id.to_owned(), rows);
        }
        if self.epoch.load(Ordering::SeqCst) != epoch {
            write(&self.map).remove(key_id);
        }
    }

    pub fn invalidate<'a>(&self, key_ids: impl IntoIterator<Item = &'a str>) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        let mut map = write(&self.map);
        for key_id in key_ids {
            map.remove(key_id);
        }
    }

    pub fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        write(&self.map).clear();
    }

    /// Turning the cache off (or on) also empties it: nothing heard while deaf is trusted.
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::SeqCst);
        self.clear();
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    pub fn len(&self) -> usize {
        read(&self.map).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An HMAC-SHA256 of a presented token under a key that lives only in this process's memory:
/// the cache never holds the token, and its keys are useless outside this process.
pub type Fingerprint = [u8; 32];

/// Token values that passed argon2, each with the PHC hash it passed against. A hit counts only
/// while the token row still carries that same hash, so regenerating a token needs no
/// invalidation here, and a value that verified once stays verified for as long as it is valid.
pub struct VerifiedCache {
    /// The HMAC keyed once (its inner and outer pads already hashed): each request clones it.
    mac: Option<Hmac<Sha256>>,
    map: RwLock<HashMap<Fingerprint, Arc<str>>>,
}

impl Default for VerifiedCache {
    fn default() -> Self {
        let mut key = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        VerifiedCache {
            // HMAC accepts keys of any length, so this is always `Some`.
            mac: Hmac::<Sha256>::new_from_slice(&key).ok(),
            map: RwLock::new(HashMap::new()),
        }
    }
}

impl VerifiedCache {
    pub fn fingerprint(&self, token: &str) -> Fingerprint {
        let Some(mut mac) = self.mac.clone() else {
            // Unreachable (see `default`); a constant would only make every value a miss.
            return [0; 32];
        };
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Whether this value ever verified (against any hash).
    pub fn known(&self, fingerprint: &Fingerprint) -> bool {
        read(&self.map).contains_key(fingerprint)
    }

    /// Whether this value already verified against `hash`.
    pub fn verified(&self, fingerprint: &Fingerprint, hash: &str) -> bool {
        read(&self.map)
            .get(fingerprint)
            .is_some_and(|known| &**known == hash)
    }

    pub fn remember(&self, fingerprint: Fingerprint, hash: &str) {
        let mut map = write(&self.map);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(fingerprint, Arc::from(hash));
    }

    pub fn clear(&self) {
        write(&self.map).clear();
    }
}

// A panic while holding one of these locks cannot leave a map half-written; carry on.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> CachedRows {
        Arc::new(Vec::new())
    }

    #[test]
    fn a_fill_that_raced_an_invalidation_is_withdrawn() {
        let cache = RowCache::new(true);
        let epoch = cache.epoch();
        cache.invalidate(["k"]);
        cache.fill("k", rows(), epoch);
        assert!(cache.get("k").is_none());
        let epoch = cache.epoch();
        cache.fill("k", rows(), epoch);
        assert!(cache.get("k").is_some());
        cache.invalidate(["k"]);
        assert!(cache.get("k").is_none());
    }

    #[test]
    fn a_disabled_cache_holds_nothing() {
        let cache = RowCache::new(false);
        cache.fill("k", rows(), cache.epoch());
        assert!(cache.get("k").is_none());
        cache.set_enabled(true);
        cache.fill("k", rows(), cache.epoch());
        assert!(cache.get("k").is_some());
        cache.set_enabled(false);
        assert!(cache.is_empty());
    }

    #[test]
    fn verified_values_count_only_for_their_hash() {
        let cache = VerifiedCache::default();
        let a = cache.fingerprint("tsr_a");
        assert_ne!(a, cache.fingerprint("tsr_b"));
        assert_ne!(
            a,
            VerifiedCache::default().fingerprint("tsr_a"),
            "keyed per process"
        );
        assert!(!cache.verified(&a, "$h1"));
        cache.remember(a, "$h1");
        assert!(cache.verified(&a, "$h1"));
        assert!(!cache.verified(&a, "$h2"));
    }
}
