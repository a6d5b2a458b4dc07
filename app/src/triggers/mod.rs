//! Triggers: what starts an agent in one environment (SPEC §4.3 "Triggers"). A `manual`
//! trigger runs when asked, with an optional JSON input and an idempotency key; each run is
//! an execution (app/src/executions). A `webhook` trigger runs for each event sent to
//! `POST /api/webhook/{id}` with its token or its Standard Webhooks signature (`webhooks`).

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod intake;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod scheduler;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod webhooks;
