//! What commands print: aligned tables and `key: value` lists for people, JSON for scripts
//! (`--json`: one JSON document on stdout, nothing else there).

use std::io::Write;

use serde::Serialize;
use tessera_sdk::wire::time::civil_from_days;

use crate::failure::Outcome;

/// How to print: for people, or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value)?;
    writeln!(stdout)?;
    Ok(())
}

/// A table: a header row, then the rows, columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        println!("(none)");
        return;
    }
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|header| header.chars().count())
        .collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// `key: value` lines, keys aligned.
pub fn fields(pairs: &[(&str, String)]) {
    let width = pairs.iter().map(|(key, _)| key.len()).max().unwrap_or(0) + 1;
    for (key, value) in pairs {
        println!("{:<width$} {value}", format!("{key}:"));
    }
}

/// A line for people on stderr (kept off stdout so `--json` output stays one document).
pub fn note(text: impl AsRef<str>) {
    eprintln!("{}", text.as_ref());
}

/// UTC milliseconds since 1970 as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn time(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// An optional time, or `-`.
pub fn maybe_time(ms: Option<i64>) -> String {
    ms.map_or_else(|| "-".to_owned(), time)
}

/// A serde value's JSON text without quotes for strings (enum names such as `succeeded`).
pub fn name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}

/// A text cut to `max` characters for a table cell.
pub fn clip(text: &str, max: usize) -> String {
    let single: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if single.chars().count() <= max {
        single
    } else {
        let cut: String = single.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_dates() {
        assert_eq!(time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(time(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(time(1_767_225_599_000), "2025-12-31 23:59:59 UTC");
    }
}
