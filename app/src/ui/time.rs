//! Times as people read them: "3 days ago" in the text, the exact local time on hover.
//! "Now" is one signal for the whole page, ticking every 30 s in the browser, so every
//! relative time on screen ages together and none of them owns a timer.

use leptos::prelude::*;

use super::calendar::utc_iso;
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

/// The page's [`Now`] (a private clock where none was provided).
pub fn use_now() -> RwSignal<i64> {
    use_context::<Now>()
        .map(|Now(now)| now)
        .unwrap_or_else(|| RwSignal::new(super::browser::now_ms()))
}

/// `<time>` with a relative label, the exact local time as its tooltip and ISO as `datetime`.
#[component]
pub fn RelativeTime(at_ms: i64) -> impl IntoView {
    let now = use_now();
    // UTC on the server, the reader's zone once hydrated (see `browser::local_time`).
    let exact = RwSignal::new(utc_iso(at_ms));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        exact.set(super::browser::local_time(at_ms));
        // Something new on the page (a token just made, an event just logged) is measured
        // against the present, not against the last tick up to 30 s ago.
        let fresh = super::browser::now_ms();
        if fresh - now.get_untracked() > 1_000 {
            now.set(fresh);
        }
    });
    view! {
        <time datetime=utc_iso(at_ms) title=move || exact.get()>
            {move || relative_label(at_ms, now.get())}
        </time>
    }
}

/// How far either side of now still reads "just now".
const JUST_NOW_MS: i64 = 10_000;

/// "just now", "5 minutes ago", "in 3 days", "2 months ago" … Rounded to the nearest whole
/// unit, so a token made to last 7 days reads "in 7 days", not "in 6 days", a moment later.
pub fn relative_label(at_ms: i64, now_ms: i64) -> String {
    let delta = now_ms - at_ms;
    let future = delta < 0;
    let span = delta.unsigned_abs() as i64;
    // A few seconds either side is "just now": the server's clock and the browser's differ a
    // little, and a token made a moment ago must not read "Created in a moment".
    if span < MINUTE_MS {
        return if future && span >= JUST_NOW_MS {
            "in less than a minute".into()
        } else {
            "just now".into()
        };
    }
    let rounded = |unit: i64| (span + unit / 2) / unit;
    // The largest unit that holds at least one; a count that rounds up to the next unit's
    // size moves to that unit ("60 minutes" is "1 hour").
    let (count, unit) = [
        (MINUTE_MS, 60, "minute"),
        (HOUR_MS, 24, "hour"),
        (DAY_MS, 30, "day"),
        (30 * DAY_MS, 12, "month"),
    ]
    .into_iter()
    .map(|(size, limit, name)| (rounded(size), limit, name))
    .find(|(count, limit, _)| count < limit)
    .map_or_else(
        || (rounded(365 * DAY_MS).max(1), "year"),
        |(count, _, name)| (count, name),
    );
    let plural = if count == 1 { "" } else { "s" };
    if future {
        format!("in {count} {unit}{plural}")
    } else {
        format!("{count} {unit}{plural} ago")
    }
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
        // Rounded, not cut: a 7-day token a moment after creation, and unit boundaries.
        assert_eq!(relative_label(now + 7 * DAY_MS - 1_500, now), "in 7 days");
        assert_eq!(
            relative_label(now + 7 * DAY_MS - 13 * HOUR_MS, now),
            "in 6 days"
        );
        assert_eq!(
            relative_label(now - 59 * MINUTE_MS - 40_000, now),
            "1 hour ago"
        );
        assert_eq!(
            relative_label(now - 23 * HOUR_MS - 40 * MINUTE_MS, now),
            "1 day ago"
        );
        assert_eq!(
            relative_label(now + 29 * DAY_MS + 20 * HOUR_MS, now),
            "in 1 month"
        );
        assert_eq!(relative_label(now - 360 * DAY_MS, now), "1 year ago");
        assert_eq!(relative_label(now + 1_000, now), "just now");
        assert_eq!(relative_label(now + 9_999, now), "just now");
        assert_eq!(relative_label(now + 30_000, now), "in less than a minute");
        assert_eq!(relative_label(now - 59_000, now), "just now");
    }
}
