//! This instance's assistant settings and bookkeeping: how many answers each caller may have
//! streaming (and how many they have), and how patient the assistant is with a model. Held
//! by `AppState`; depends on nothing else of the assistant.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::AppError;

/// Time limits on the model: for its first word, and for each further piece.
#[derive(Debug, Clone, Copy)]
pub struct ModelPatience {
    pub first_piece: Duration,
    pub between_pieces: Duration,
}

impl Default for ModelPatience {
    fn default() -> Self {
        ModelPatience {
            first_piece: Duration::from_secs(15),
            between_pieces: Duration::from_secs(10),
        }
    }
}

/// This instance's assistant: its limits, and the answers streaming now per caller.
pub struct AssistantRuntime {
    pub streams_per_caller: usize,
    pub patience: ModelPatience,
    streaming: Mutex<HashMap<String, usize>>,
}

impl Default for AssistantRuntime {
    fn default() -> Self {
        AssistantRuntime::new(4, ModelPatience::default())
    }
}

impl AssistantRuntime {
    pub fn new(streams_per_caller: usize, patience: ModelPatience) -> Self {
        AssistantRuntime {
            streams_per_caller,
            patience,
            streaming: Mutex::new(HashMap::new()),
        }
    }

    /// A place among the caller's streams, or 429 when they are all taken.
    pub(super) fn admit(self: &Arc<Self>, caller: &str) -> Result<StreamPermit, AppError> {
        let mut streaming = self.lock();
        let count = streaming.entry(caller.to_owned()).or_default();
        if *count >= self.streams_per_caller {
            return Err(AppError::RateLimited {
                retry_after_secs: 1,
            });
        }
        *count += 1;
        Ok(StreamPermit {
            runtime: self.clone(),
            caller: caller.to_owned(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        // A panic while holding the lock cannot leave a count half-written.
        self.streaming
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One of a caller's streams; given back when dropped.
pub(super) struct StreamPermit {
    runtime: Arc<AssistantRuntime>,
    caller: String,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut streaming = self.runtime.lock();
        if let Some(count) = streaming.get_mut(&self.caller) {
            *count -= 1;
            if *count == 0 {
                streaming.remove(&self.caller);
            }
        }
    }
}
