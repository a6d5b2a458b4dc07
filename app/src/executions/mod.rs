//! Executions: one run of an agent's steps in one environment, started by a trigger, with its
//! input, output, status and step log (SPEC §4.3 "Executions"). Each runs as a durable job
//! (app/src/jobs, kind `run_execution`): queued work survives restarts and crashes, and each
//! execution runs on one instance at a time.

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod service;
