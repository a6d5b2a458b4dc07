//! Schedule triggers' fire times: a five-field cron expression (minute hour day month weekday,
//! with names, ranges, steps, `L`, `#`, `W` and `@daily`-style nicknames; croner) read in an
//! IANA time zone (chrono-tz), so `0 9 * * MON-FRI` in `Europe/Berlin` follows Berlin's
//! daylight-saving changes. Pure: no I/O.

use chrono::{TimeZone, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds, Year};
use croner::Cron;

/// Fire times a trigger's details (and the editor's preview) show.
pub const PREVIEW_COUNT: usize = 5;

/// A valid schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    zone: Tz,
}

/// What is wrong with a schedule, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleProblems {
    pub cron: Option<String>,
    pub time_zone: Option<String>,
}

impl Schedule {
    /// Reads a cron expression (minutes are the finest step: no seconds field) and a time
    /// zone name; every problem at once.
    pub fn parse(expression: &str, time_zone: &str) -> Result<Schedule, ScheduleProblems> {
        let parser = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build();
        let cron = parser.parse(expression.trim()).map_err(|error| {
            format!(
                "Not a cron expression ({error}); use five fields: minute hour day month weekday."
            )
        });
        let zone = time_zone
            .trim()
            .parse::<Tz>()
            .map_err(|_| "Use an IANA time zone name, such as UTC or Europe/Berlin.".to_owned());
        // A pattern that never matches (30 February) is refused too.
        let cron = cron.and_then(|cron| {
            let now = Utc::now().with_timezone(&Tz::UTC);
            match cron.find_next_occurrence(&now, false) {
                Ok(_) => Ok(cron),
                Err(_) => Err("This expression never fires.".to_owned()),
            }
        });
        match (cron, zone) {
            (Ok(cron), Ok(zone)) => Ok(Schedule { cron, zone }),
            (cron, zone) => Err(ScheduleProblems {
                cron: cron.err(),
                time_zone: zone.err(),
            }),
        }
    }

    /// The first fire time strictly after `after_ms` (ms since 1970, UTC).
    pub fn next_after(&self, after_ms: i64) -> Option<i64> {
        // Whole seconds: croner keeps the start's fraction of a second in what it finds.
        let after = self
            .zone
            .timestamp_opt(after_ms.div_euclid(1000), 0)
            .single()?;
        self.cron
            .find_next_occurrence(&after, false)
            .ok()
            .map(|next| next.timestamp_millis())
    }

    /// The next `count` fire times after `after_ms`.
    pub fn upcoming(&self, after_ms: i64, count: usize) -> Vec<i64> {
        let mut times = Vec::with_capacity(count);
        let mut from = after_ms;
        while times.len() < count {
            match self.next_after(from) {
                Some(next) => {
                    times.push(next);
                    from = next;
                }
                None => break,
            }
        }
        times
    }

    /// The expression in words ("At 09:00 on Monday through Friday").
    pub fn describe(&self) -> String {
        self.cron.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(rfc3339: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn fire_times_follow_the_time_zone_across_daylight_saving() {
        let schedule = Schedule::parse("0 9 * * *", "Europe/Berlin").unwrap();
        // Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
        let times = schedule.upcoming(ms("2026-03-27T12:00:00Z"), 3);
        assert_eq!(
            times,
            [
                ms("2026-03-28T08:00:00Z"),
                ms("2026-03-29T07:00:00Z"),
                ms("2026-03-30T07:00:00Z")
            ]
        );
        assert_eq!(
            schedule.next_after(ms("2026-03-28T08:00:00Z")),
            Some(ms("2026-03-29T07:00:00Z")),
            "strictly after"
        );
        assert_eq!(
            schedule.next_after(ms("2026-03-28T07:59:59.750Z")),
            Some(ms("2026-03-28T08:00:00Z")),
            "on the whole minute, whatever the start's milliseconds"
        );
    }

    #[test]
    fn bad_expressions_and_zones_are_each_named() {
        let both = Schedule::parse("every day", "Mars/Olympus").unwrap_err();
        assert!(both.cron.unwrap().starts_with("Not a cron expression"));
        assert!(both.time_zone.unwrap().contains("IANA"));
        let seconds = Schedule::parse("*/5 * * * * *", "UTC").unwrap_err();
        assert!(seconds.cron.is_some(), "no seconds field");
        assert!(seconds.time_zone.is_none());
        let never = Schedule::parse("0 0 30 2 *", "UTC").unwrap_err();
        assert_eq!(never.cron.as_deref(), Some("This expression never fires."));
        assert!(Schedule::parse("@daily", "UTC").is_ok());
        assert!(Schedule::parse("0 9 * * MON-FRI", "America/New_York").is_ok());
    }

    #[test]
    fn descriptions_are_words() {
        let schedule = Schedule::parse("0 9 * * MON-FRI", "UTC").unwrap();
        let words = schedule.describe();
        assert!(words.contains("09:00"), "{words}");
    }
}
