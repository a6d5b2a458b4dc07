//! Paging rules every list shares (SPEC §4): `limit` 1–500, default 50; `offset` from 0.

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// The page size actually used for a requested one.
pub fn effective_limit(requested: Option<i64>) -> i64 {
    requested.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

/// The number of items actually skipped for a requested offset.
pub fn effective_offset(requested: Option<i64>) -> i64 {
    requested.unwrap_or(0).max(0)
}
