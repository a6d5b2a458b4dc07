//! The Rust SDK against a real server: `scripts/sdks.sh test` starts one and sets
//! TESSERA_API_URL, TESSERA_API_TOKEN (an account token with every permission) and
//! TESSERA_TEST_ENVIRONMENT_ID. One test binary, a module per resource; every test makes
//! its own resources under unique names, so they run in any order and in parallel.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod agents;
mod assistant;
mod common;
mod config;
mod coverage;
mod integrations;
mod retry;
mod storage;
mod tokens;
mod webhooks;
