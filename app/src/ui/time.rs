//! Times as people read them: "3 days ago" in the text, the exact local time on hover.
//! "Now" is one signal for the whole page, ticking every 30 s in the browser, so every
//! relative time on screen ages together and none of them owns a timer.

use leptos::prelude::*;

use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};

/// The page's idea of the current time (epoch ms).
#[derive(Clone, Copy)]
pub struct Now(pub RwSignal<i64>);

/// Provides [`Now`]; call once near the root.
pub fn provide_now() {
    let now = RwSignal::new(super::browser::now_ms());
    #[cfg(feature = "hydrate")]
    {
        // The server's clock rendered the first paint; the browser's takes over at once.
        Effect::new(move |_| now.set(super::browser::now_ms()));
        let _ = set_interval_with_handle(
            move || now.set(super::browser::now_ms()),
            std::time::Duration::from_secs(30),
        );
    }
    provide_context(Now(now));
}

fn now_signal() -> RwSignal<i64> {
    use_context::<Now>()
        .map(|Now(now)| now)
        .unwrap_or_else(|| RwSignal::new(super::browser::now_ms()))
}

/// `<time>` with a relative label, the exact local time as its tooltip and ISO as `datetime`.
#[component]
pub fn RelativeTime(at_ms: i64) -> impl IntoView {
    let now = now_signal();
    // UTC on the server, the reader's zone once hydrated (see `browser::local_time`).
    let exact = RwSignal::new(utc_iso(at_ms));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| exact.set(super::browser::local_time(at_ms)));
    view! {
        <time datetime=utc_iso(at_ms) title=move || exact.get()>
            {move || relative_label(at_ms, now.get())}
        </time>
    }
}

/// "just now", "5 minutes ago", "in 3 days", "2 months ago" …
pub fn relative_label(at_ms: i64, now_ms: i64) -> String {
    let delta = now_ms - at_ms;
    let future = delta < 0;
    let span = delta.unsigned_abs() as i64;
    if span < MINUTE_MS {
        return if future {
            "in a moment".into()
        } else {
            "just now".into()
        };
    }
    let (count, unit) = if span < HOUR_MS {
        (span / MINUTE_MS, "minute")
    } else if span < DAY_MS {
        (span / HOUR_MS, "hour")
    } else if span < 30 * DAY_MS {
        (span / DAY_MS, "day")
    } else if span < 365 * DAY_MS {
        (span / (30 * DAY_MS), "month")
    } else {
        (span / (365 * DAY_MS), "year")
    };
    let plural = if count == 1 { "" } else { "s" };
    if future {
        format!("in {count} {unit}{plural}")
    } else {
        format!("{count} {unit}{plural} ago")
    }
}

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

/// Howard Hinnant's algorithm: days since 1970-01-01 → (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
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

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (as an `<input type=date>` gives it).
pub fn days_from_iso_date(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // Reject 2026-02-31 and the like: the round trip must give the same date back.
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_labels_pick_the_largest_whole_unit() {
        let now = 1_000 * DAY_MS;
        assert_eq!(relative_label(now - 10_000, now), "just now");
        assert_eq!(relative_label(now - MINUTE_MS, now), "1 minute ago");
        assert_eq!(
            relative_label(now - 5 * MINUTE_MS - 1, now),
            "5 minutes ago"
        );
        assert_eq!(relative_label(now - 3 * HOUR_MS, now), "3 hours ago");
        assert_eq!(relative_label(now - 3 * DAY_MS, now), "3 days ago");
        assert_eq!(relative_label(now - 65 * DAY_MS, now), "2 months ago");
        assert_eq!(relative_label(now - 800 * DAY_MS, now), "2 years ago");
        assert_eq!(relative_label(now + 7 * DAY_MS, now), "in 7 days");
        assert_eq!(relative_label(now + 1_000, now), "in a moment");
    }

    #[test]
    fn iso_formatting_matches_known_instants() {
        assert_eq!(utc_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_iso(1_795_365_612_000), "2026-11-22T16:40:12Z");
        assert_eq!(utc_iso(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(utc_date(-DAY_MS), "1969-12-31");
    }

    #[test]
    fn iso_dates_parse_and_round_trip() {
        assert_eq!(days_from_iso_date("1970-01-01"), Some(0));
        assert_eq!(
            days_from_iso_date("2000-02-29"),
            Some(951_782_400_000 / DAY_MS)
        );
        assert_eq!(days_from_iso_date("2026-02-31"), None);
        assert_eq!(days_from_iso_date("2026-13-01"), None);
        assert_eq!(days_from_iso_date("tomorrow"), None);
        for days in [-1000, 0, 19_000, 20_779] {
            assert_eq!(days_from_iso_date(&utc_date(days * DAY_MS)), Some(days));
        }
    }
}
