//! When a new token stops working: never, a preset ("7 days" means 7 × 24 h from now), or a
//! date and time in the person's own time zone, which the field names. Before Create the
//! field says the exact local instant the choice means.

use leptos::prelude::*;

use crate::clock::DAY_MS;
use crate::tokens::domain::validate_expiry;
use crate::ui::browser::{local_datetime_value, local_exact, parse_local_datetime, time_zone};
use crate::ui::time::use_now;
use crate::ui::FieldError;

/// The expiry choices of the form, as `(value, label)`.
const EXPIRY_CHOICES: [(&str, &str); 6] = [
    ("never", "Never"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("60", "60 days"),
    ("90", "90 days"),
    ("custom", "Custom date and time"),
];

/// What the form turns an expiry choice into: epoch ms, `None` for never, or a message.
/// `custom_at` is the instant the date-and-time input names (the browser parses it in the
/// reader's zone).
pub(crate) fn expiry_from_choice(
    choice: &str,
    custom_at: Option<i64>,
    now_ms: i64,
) -> Result<Option<i64>, String> {
    match choice {
        "never" => Ok(None),
        "custom" => {
            let at = custom_at.ok_or("Choose a date and time.")?;
            validate_expiry(Some(at), now_ms)
        }
        days => days
            .parse::<i64>()
            .map(|d| Some(now_ms + d * DAY_MS))
            .map_err(|_| "Choose an expiration.".into()),
    }
}

#[component]
pub(crate) fn ExpiryField(
    /// One of the `EXPIRY_CHOICES` values.
    choice: RwSignal<String>,
    /// The date-and-time input's value (`2030-12-31T23:30`, local).
    custom_at: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let now = use_now();
    let zone = RwSignal::new(String::new());
    Effect::new(move |_| zone.set(time_zone()));
    let on_choice = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        // A sensible starting point for a custom time: the same time of day, 30 days on.
        if value == "custom" && custom_at.get_untracked().is_empty() {
            let start = now.get_untracked().max(crate::ui::browser::now_ms()) + 30 * DAY_MS;
            custom_at.set(local_datetime_value(start));
        }
        choice.set(value);
    };
    let preview = move || {
        now.track();
        let at = parse_local_datetime(&custom_at.get());
        match expiry_from_choice(&choice.get(), at, crate::ui::browser::now_ms()) {
            Ok(None) => "The token never expires.".to_string(),
            Ok(Some(at_ms)) => format!("Expires {} ({}).", local_exact(at_ms), zone.get()),
            Err(message) => message,
        }
    };
    view! {
        <div class="field">
            <label for="token-expiry">"Expiration"</label>
            <select
                id="token-expiry"
                aria-describedby="token-expiry-preview token-expiry-error"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                prop:value=move || choice.get()
                on:change=on_choice
            >
                {EXPIRY_CHOICES
                    .into_iter()
                    .map(|(value, text)| view! { <option value=value selected=move || choice.get() == value>{text}</option> })
                    .collect_view()}
            </select>
            <Show when=move || choice.get() == "custom">
                <label for="token-expiry-at" class="token-expiry-at-label">
                    "Expires at "
                    <span class="muted">{move || format!("({})", zone.get())}</span>
                </label>
                <input
                    id="token-expiry-at"
                    type="datetime-local"
                    prop:value=move || custom_at.get()
                    on:input=move |event| custom_at.set(event_target_value(&event))
                />
            </Show>
            <p class="hint" id="token-expiry-preview" data-testid="token-expiry-preview" aria-live="polite">{preview}</p>
            <FieldError id="token-expiry-error" message=error />
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_choices_become_instants() {
        let now = 20_000 * DAY_MS + 5_000;
        assert_eq!(expiry_from_choice("never", None, now), Ok(None));
        assert_eq!(
            expiry_from_choice("7", None, now),
            Ok(Some(now + 7 * DAY_MS))
        );
        assert_eq!(
            expiry_from_choice("90", None, now),
            Ok(Some(now + 90 * DAY_MS))
        );
        // A custom instant is taken as it is, to the minute the person chose.
        let later = now + 3 * DAY_MS + 17 * 60_000;
        assert_eq!(
            expiry_from_choice("custom", Some(later), now),
            Ok(Some(later))
        );
        assert!(expiry_from_choice("custom", None, now).is_err());
        assert!(expiry_from_choice("custom", Some(now - 60_000), now).is_err());
        assert!(expiry_from_choice("custom", Some(now), now).is_err());
        assert!(expiry_from_choice("sometime", None, now).is_err());
    }
}
