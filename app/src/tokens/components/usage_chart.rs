//! Calls per day over the last 30 days as a small inline SVG bar chart: no chart library.
//! Labelled axes (the peak and zero; the first day and today), the day under the pointer with
//! its count, a zero day drawn as a zero line, and the same figures as a table for screen
//! readers and anyone who wants the numbers.

use leptos::prelude::*;

use super::facts::calls;
use super::group_thousands;
use crate::tokens::model::UsageDay;
use crate::ui::calendar::short_utc_day;

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 80.0;

#[component]
pub(crate) fn UsageChart(days: Vec<UsageDay>) -> impl IntoView {
    let total: i64 = days.iter().map(|d| d.calls).sum();
    let peak = days.iter().map(|d| d.calls).max().unwrap_or(0);
    let scale = peak.max(1);
    let slot = WIDTH / days.len().max(1) as f64;
    let last = days.len().saturating_sub(1);
    let label_of = move |i: usize, day: i64| {
        if i == last {
            "Today".to_string()
        } else {
            short_utc_day(day)
        }
    };
    let hovered = RwSignal::new(None::<usize>);
    let readouts = StoredValue::new(
        days.iter()
            .enumerate()
            .map(|(i, d)| format!("{}: {}", label_of(i, d.day), calls(d.calls)))
            .collect::<Vec<_>>(),
    );
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let height = if day.calls == 0 {
                1.0
            } else {
                (day.calls as f64 / scale as f64 * (HEIGHT - 4.0)).max(2.0)
            };
            let x = i as f64 * slot;
            let calls_of_day = day.calls;
            let class = move || {
                let mut class = String::from("usage-bar");
                if calls_of_day == 0 {
                    class.push_str(" empty");
                }
                if hovered.get() == Some(i) {
                    class.push_str(" hovered");
                }
                class
            };
            view! {
                <g on:pointerenter=move |_| hovered.set(Some(i))>
                    // The whole column answers the pointer, not only the bar.
                    <rect class="usage-hit" x=format!("{x:.2}") y="0" width=format!("{slot:.2}") height=format!("{HEIGHT}") data-testid="usage-day" />
                    <rect
                        class=class
                        x=format!("{:.2}", x + slot * 0.15)
                        y=format!("{:.2}", HEIGHT - height)
                        width=format!("{:.2}", slot * 0.7)
                        height=format!("{height:.2}")
                    />
                </g>
            }
        })
        .collect_view();
    let first_label = days
        .first()
        .map(|d| short_utc_day(d.day))
        .unwrap_or_default();
    let rows = days
        .iter()
        .enumerate()
        .map(|(i, d)| view! { <tr><th scope="row">{label_of(i, d.day)}</th><td class="numeric">{group_thousands(d.calls)}</td></tr> })
        .collect_view();
    let summary = format!(
        "Calls per day, last {} days: {} in total, at most {} on one day",
        days.len(),
        group_thousands(total),
        group_thousands(peak)
    );
    view! {
        <figure class="usage-chart">
            <p class="usage-readout" data-testid="usage-readout" aria-hidden="true">
                {move || match hovered.get() {
                    Some(i) => readouts.with_value(|r| r.get(i).cloned()).unwrap_or_default(),
                    None => "Point at a day to see its calls.".to_string(),
                }}
            </p>
            <div class="usage-plot">
                <div class="usage-axis-y" data-testid="usage-axis-y" aria-hidden="true">
                    <span>{group_thousands(peak)}</span>
                    <span class="usage-axis-title">"calls"</span>
                    <span>"0"</span>
                </div>
                <svg
                    role="img"
                    aria-label=summary.clone()
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    preserveAspectRatio="none"
                    data-testid="usage-chart"
                    on:pointerleave=move |_| hovered.set(None)
                >
                    {bars}
                </svg>
                <div class="usage-axis-x" data-testid="usage-axis-x" aria-hidden="true">
                    <span>{first_label}</span>
                    <span class="usage-axis-title">"day (UTC)"</span>
                    <span>"Today"</span>
                </div>
            </div>
            <figcaption class="muted small" data-testid="usage-caption">{format!("{} in the last {} days", calls(total), days.len())}</figcaption>
            <details class="usage-numbers">
                <summary>"Show the numbers"</summary>
                <table class="data-table usage-table" aria-label=summary>
                    <thead><tr><th scope="col">"Day (UTC)"</th><th scope="col" class="numeric">"Calls"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
