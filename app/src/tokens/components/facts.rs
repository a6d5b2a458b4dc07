//! A token's facts as the card, the table row and the detail all show them: a time or
//! "Never", a call count, the person who created it. Below every view, so each can use them.

use leptos::prelude::*;

use super::group_thousands;
use crate::ui::RelativeTime;

/// A point in time as a relative time with the exact one on hover, or "Never" (no expiry,
/// never used).
pub(crate) fn time_or_never(at: Option<i64>) -> AnyView {
    match at {
        Some(at_ms) => view! { <RelativeTime at_ms /> }.into_any(),
        None => "Never".into_any(),
    }
}

pub(crate) fn calls(count: i64) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("{} call{plural}", group_thousands(count))
}

/// A person's name or e-mail address; an address may wrap after its `@`, never mid-word.
pub(crate) fn person(text: &str) -> AnyView {
    match text.split_once('@') {
        Some((local, domain)) => {
            let (local, domain) = (format!("{local}@"), domain.to_owned());
            view! { {local}<wbr />{domain} }.into_any()
        }
        None => text.to_owned().into_any(),
    }
}
