//! Calls per day over the last 30 days as a small inline SVG bar chart: no chart library, a
//! spoken summary for screen readers and a tooltip per bar.

use leptos::prelude::*;

use super::group_thousands;
use super::token_card::calls;
use crate::clock::DAY_MS;
use crate::tokens::model::UsageDay;
use crate::ui::time::utc_date;

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 80.0;

#[component]
pub(crate) fn UsageChart(days: Vec<UsageDay>) -> impl IntoView {
    let total: i64 = days.iter().map(|d| d.calls).sum();
    let peak = days.iter().map(|d| d.calls).max().unwrap_or(0).max(1);
    let slot = WIDTH / days.len().max(1) as f64;
    let label = format!(
        "Calls per day, last {} days: {} in total, at most {} on one day",
        days.len(),
        group_thousands(total),
        group_thousands(if total == 0 { 0 } else { peak })
    );
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let height = if day.calls == 0 {
                1.0
            } else {
                (day.calls as f64 / peak as f64 * (HEIGHT - 4.0)).max(2.0)
            };
            let x = i as f64 * slot + slot * 0.15;
            let tip = format!(
                "{}: {}",
                utc_date(day.day * DAY_MS),
                group_thousands(day.calls)
            );
            view! {
                <rect
                    class=if day.calls == 0 { "usage-bar empty" } else { "usage-bar" }
                    x=format!("{x:.2}")
                    y=format!("{:.2}", HEIGHT - height)
                    width=format!("{:.2}", slot * 0.7)
                    height=format!("{height:.2}")
                >
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <figure class="usage-chart">
            <svg role="img" aria-label=label.clone() viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" data-testid="usage-chart">
                {bars}
            </svg>
            <figcaption class="muted small" data-testid="usage-caption">{format!("{} in the last {} days", calls(total), days.len())}</figcaption>
        </figure>
    }
}
