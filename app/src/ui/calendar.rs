//! UTC calendar dates from epoch milliseconds: shared with the CLI in `tessera_wire::time`.

pub use tessera_wire::time::{short_utc_day, utc_date, utc_iso};
