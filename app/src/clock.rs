//! Time as the database stores it: UTC milliseconds since the Unix epoch.

pub const SECOND_MS: i64 = 1_000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

#[cfg(feature = "ssr")]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A fresh random identifier for a row (32 hex characters).
#[cfg(feature = "ssr")]
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
