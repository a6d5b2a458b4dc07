//! The process's argon2 capacity: one semaphore bounds how many argon2 computations run at once,
//! and each running computation borrows one of at most `bound` reusable block buffers. argon2
//! therefore never holds more than `bound × 19 MiB`, however many requests ask for it, and
//! that memory is allocated once instead of per hash (an allocator keeps what 19 MiB
//! allocations on many blocking threads freed: 1.26 GB resident after a few hundred hashes).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argon2::Block;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// The default bound: one argon2 per core (each is one core busy for ~20 ms).
pub fn default_bound() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// Figures for tests and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Stats {
    /// At most this many argon2 computations run at once.
    pub bound: usize,
    /// Computations running now.
    pub running: usize,
    /// The most that ever ran at once (since start or [`Argon2Pool::reset_peak`]).
    pub peak: usize,
    /// Computations finished.
    pub completed: u64,
    /// Requests waiting for a turn.
    pub waiting: usize,
    /// Block buffers allocated (never more than `bound`).
    pub buffers: usize,
}

pub struct Argon2Pool {
    bound: usize,
    permits: Arc<Semaphore>,
    /// Buffers not in use. Together with those lent out there are never more than `bound`.
    idle: Mutex<Vec<Vec<Block>>>,
    allocated: AtomicUsize,
    running: AtomicUsize,
    peak: AtomicUsize,
    completed: AtomicU64,
    waiting: AtomicUsize,
}

impl Argon2Pool {
    pub fn new(bound: usize) -> Self {
        let bound = bound.max(1);
        Argon2Pool {
            bound,
            permits: Arc::new(Semaphore::new(bound)),
            idle: Mutex::new(Vec::with_capacity(bound)),
            allocated: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            completed: AtomicU64::new(0),
            waiting: AtomicUsize::new(0),
        }
    }

    pub fn stats(&self) -> Argon2Stats {
        Argon2Stats {
            bound: self.bound,
            running: self.running.load(Ordering::SeqCst),
            peak: self.peak.load(Ordering::SeqCst),
            completed: self.completed.load(Ordering::SeqCst),
            waiting: self.waiting.load(Ordering::SeqCst),
            buffers: self.allocated.load(Ordering::SeqCst),
        }
    }

    /// Starts a new peak measurement from what is running now.
    pub fn reset_peak(&self) {
        self.peak
            .store(self.running.load(Ordering::SeqCst), Ordering::SeqCst);
    }

    /// Waits for a turn. Dropping the future while it waits takes nothing and leaves nothing.
    pub async fn turn(self: &Arc<Self>) -> Result<Argon2Slot, AppError> {
        let waiting = Waiting::enter(&self.waiting);
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| {
            tracing::error!("the argon2 semaphore is closed");
            AppError::Internal
        })?;
        drop(waiting);
        Ok(Argon2Slot {
            pool: self.clone(),
            _permit: permit,
        })
    }

    fn take_buffer(&self) -> Vec<Block> {
        if let Some(buffer) = self.lock_idle().pop() {
            return buffer;
        }
        self.allocated.fetch_add(1, Ordering::SeqCst);
        Vec::new()
    }

    fn give_back(&self, buffer: Vec<Block>) {
        self.lock_idle().push(buffer);
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
        // A panic while holding this lock cannot leave the list half-written; carry on.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One turn at argon2: a permit of the pool's semaphore.
pub struct Argon2Slot {
    pool: Arc<Argon2Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Argon2Slot {
    /// Runs `work` on the blocking pool with a buffer of at least `blocks` blocks. The permit
    /// and the buffer stay with the work until it ends, even if the caller stops waiting for
    /// it: the bound counts computations, not callers.
    pub async fn run<T, F>(self, blocks: usize, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut [Block]) -> T + Send + 'static,
    {
        tokio::task::spawn_blocking(move || {
            let pool = &self.pool;
            let mut buffer = pool.take_buffer();
            if buffer.len() < blocks {
                buffer.resize(blocks, Block::default());
            }
            let running = Running::enter(pool);
            let result = work(&mut buffer);
            drop(running);
            pool.give_back(buffer);
            result
        })
        .await
        .map_err(AppError::from)
    }
}

/// Counts a computation as running while it lives (also through a panic).
struct Running<'a>(&'a Argon2Pool);

impl<'a> Running<'a> {
    fn enter(pool: &'a Argon2Pool) -> Self {
        let now = pool.running.fetch_add(1, Ordering::SeqCst) + 1;
        pool.peak.fetch_max(now, Ordering::SeqCst);
        Running(pool)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.completed.fetch_add(1, Ordering::SeqCst);
    }
}

/// Counts a caller as waiting while it lives (also when its future is dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Waiting(counter)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn never_runs_more_than_the_bound_and_reuses_its_buffers() {
        let pool = Arc::new(Argon2Pool::new(2));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let pool = pool.clone();
            tasks.push(tokio::spawn(async move {
                let slot = pool.turn().await.unwrap();
                slot.run(8, |blocks| {
                    assert!(blocks.len() >= 8);
                    std::thread::sleep(Duration::from_millis(5));
                })
                .await
                .unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let stats = pool.stats();
        assert_eq!(stats.completed, 16);
        assert_eq!(stats.running, 0);
        assert_eq!(stats.waiting, 0);
        assert!(stats.peak <= 2, "{stats:?}");
        assert!(stats.buffers <= 2, "{stats:?}");
    }

    #[tokio::test]
    async fn a_caller_that_gives_up_waiting_leaves_nothing_behind() {
        let pool = Arc::new(Argon2Pool::new(1));
        let held = pool.turn().await.unwrap();
        let waiter = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.turn().await.map(|_| ()) })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(pool.stats().waiting, 1);
        waiter.abort();
        let _ = waiter.await;
        assert_eq!(pool.stats().waiting, 0);
        drop(held);
        // The permit the aborted waiter never got is still there for the next caller.
        let next = tokio::time::timeout(Duration::from_secs(1), pool.turn()).await;
        assert!(next.is_ok());
    }
}
