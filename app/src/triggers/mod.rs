//! Triggers: what starts an agent in one environment (SPEC §4.3 "Triggers"). A `manual`
//! trigger runs when asked, with an optional JSON input and an idempotency key; each run is
//! an execution (app/src/executions).

pub mod model;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
