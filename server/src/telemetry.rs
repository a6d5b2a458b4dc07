//! Logging: `tracing` to stdout, filtered by `RUST_LOG`, as text or JSON lines.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(filter: &str, json: bool) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(true);
    // `try_init`: a second call (tests building several servers) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
