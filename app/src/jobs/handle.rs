//! This instance's job machinery as the rest of the app holds it (in `AppState`): settings,
//! the signal that wakes idle workers, and the running loops to stop. `worker::start` starts
//! them; this file knows nothing of what jobs do.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Loops per instance; 0 runs none (the instance only serves requests).
    pub workers: usize,
    /// How long a claim holds before another instance may take the job over. Renewed every
    /// third of it while the job runs.
    pub lease: Duration,
    /// How often an idle worker looks for work nobody announced.
    pub poll_every: Duration,
    /// An execution's step that runs longer ends it as `timed_out`.
    pub step_timeout: Duration,
    /// An execution attempt that runs longer ends as `timed_out`.
    pub execution_timeout: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            workers: 2,
            lease: Duration::from_secs(60),
            poll_every: Duration::from_secs(2),
            step_timeout: Duration::from_secs(60),
            execution_timeout: Duration::from_secs(300),
        }
    }
}

/// The running workers of this instance: wake them, stop them.
#[derive(Clone)]
pub struct Jobs {
    settings: JobSettings,
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Jobs {
    pub fn new(settings: JobSettings) -> Jobs {
        Jobs {
            settings,
            wake: Arc::new(Notify::new()),
            stop: watch::channel(false).0,
            tasks: Arc::default(),
        }
    }

    /// Tells an idle worker of this instance that a job was queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn settings(&self) -> &JobSettings {
        &self.settings
    }

    /// What an idle worker waits on.
    pub fn wake_signal(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Turns true when the workers must stop.
    pub fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Keeps a started loop, so `shutdown` can wait for it.
    pub fn keep(&self, task: JoinHandle<()>) {
        self.tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(task);
    }

    /// Stops every loop: running jobs go back to the queue. Returns when all have stopped.
    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        for task in tasks {
            let _ = task.await;
        }
    }
}
