//! Every integration test in one binary (one link, shared helpers): a module per feature,
//! each starting real servers around fresh databases on SQLite or PostgreSQL (see `common`).

// Test code: helpers outside `#[test]` functions unwrap too, and a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

mod access;
mod agents;
mod api_agents;
mod api_auth;
mod api_openapi;
mod api_tokens;
mod argon2_bound;
mod assistant;
mod auth;
mod client_addr;
mod environments;
mod executions;
mod foundation;
mod integrations;
mod jobs;
mod knowledge_base;
mod limits;
mod logs;
mod members;
mod named_crud;
mod pages;
mod runtime_access;
mod schedules;
mod storage;
mod tokens;
mod webhooks;
