//! UTC calendar dates from the API's times (milliseconds since the Unix epoch), without a date
//! library (it would add its tables to the browser's bundle): the exact time a `<time>`
//! element carries, the short day labels of charts, the CLI's tables.

/// Milliseconds in a UTC day.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// `2026-11-22T16:40:12Z`, computed without a date library (days-from-civil inverse).
pub fn utc_iso(ms: i64) -> String {
    let (date, seconds_of_day) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS) / 1000);
    let (year, month, day) = civil_from_days(date);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds_of_day / 3600,
        seconds_of_day / 60 % 60,
        seconds_of_day % 60
    )
}

/// `2026-11-22`: the UTC calendar day of an instant.
pub fn utc_date(ms: i64) -> String {
    let (year, month, day) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{year:04}-{month:02}-{day:02}")
}

/// `Nov 28`: a UTC day (days since 1970-01-01) in few characters, for chart axes.
pub fn short_utc_day(day: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, month, day) = civil_from_days(day);
    let name = usize::try_from(month - 1)
        .ok()
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or("");
    format!("{name} {day}")
}

/// Howard Hinnant's algorithm: days since 1970-01-01 → (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_formatting_matches_known_instants() {
        assert_eq!(utc_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_iso(1_795_365_612_000), "2026-11-22T16:40:12Z");
        assert_eq!(utc_iso(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(utc_date(-DAY_MS), "1969-12-31");
        assert_eq!(short_utc_day(1_795_365_612_000 / DAY_MS), "Nov 22");
        assert_eq!(short_utc_day(0), "Jan 1");
        assert_eq!(short_utc_day(-1), "Dec 31");
    }
}
