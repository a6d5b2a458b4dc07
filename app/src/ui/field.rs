//! Labelled form inputs that show the server's message for their field right below them.

use leptos::prelude::*;

use crate::error::AppError;

/// The messages for `field` in the last answer, joined, if that answer was a refusal naming it.
pub fn field_message<T>(answer: &Option<Result<T, AppError>>, field: &str) -> Option<String> {
    match answer {
        Some(Err(error)) => error
            .field_messages(field)
            .map(|messages| messages.join(" ")),
        _ => None,
    }
}

/// A message for the whole form: any refusal that does not belong to one field.
pub fn form_message<T>(answer: &Option<Result<T, AppError>>) -> Option<String> {
    match answer {
        Some(Err(AppError::Validation(_))) | None | Some(Ok(_)) => None,
        Some(Err(error)) => Some(error.to_string()),
    }
}

/// The ids a field's hint and error line get, and the input's `aria-describedby` naming them.
struct FieldIds {
    error_id: String,
    hint_id: String,
    described_by: String,
}

impl FieldIds {
    fn new(id: &str, has_hint: bool) -> Self {
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described_by = if has_hint {
            format!("{hint_id} {error_id}")
        } else {
            error_id.clone()
        };
        FieldIds {
            error_id,
            hint_id,
            described_by,
        }
    }
}

/// `aria-invalid` for an input whose field error is `error`.
fn aria_invalid(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Send + Sync + Copy {
    move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// The error line under a field; its id lets the input point at it with `aria-describedby`.
#[component]
pub fn FieldError(
    #[prop(into)] id: String,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id>
            {move || message.get()}
        </p>
    }
}

/// A labelled `<input>` bound to a signal, with an optional hint and its field error.
#[component]
pub fn TextField(
    /// The element id; the error line gets `{id}-error`.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, default = "text".to_string())] input_type: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    /// A length limit that is counted rather than enforced by cutting (as `maxlength` does,
    /// silently, to pasted text): within ten characters of it a counter appears, and past it
    /// the field says by how much and is marked invalid.
    #[prop(optional)]
    limit: Option<usize>,
    /// Takes focus when its dialog opens (the browser honours `autofocus` in `showModal`).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let FieldIds {
        error_id,
        hint_id,
        described_by,
    } = FieldIds::new(&id, hint.is_some());
    let count_id = format!("{id}-count");
    let described_by = match limit {
        Some(_) => format!("{described_by} {count_id}"),
        None => described_by,
    };
    let length = move || value.with(|v| v.chars().count());
    let invalid = Signal::derive(move || {
        error
            .get()
            .or_else(|| limit.filter(|max| length() > *max).map(|_| String::new()))
    });
    let counter = limit.map(|max| {
        view! {
            <p class="hint field-counter" id=count_id aria-live="polite" data-testid="field-counter">
                {move || counter_text(length(), max)}
            </p>
        }
    });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=input_type
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                autofocus=autofocus
                aria-invalid=aria_invalid(invalid)
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
            {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
            {counter}
            <FieldError id=error_id message=error />
        </div>
    }
    .into_any()
}

/// "58 of 64 characters" near the limit, "70 of 64 characters: 6 too many" past it.
fn counter_text(count: usize, limit: usize) -> Option<String> {
    if count + 10 < limit {
        None
    } else if count <= limit {
        Some(format!("{count} of {limit} characters"))
    } else {
        Some(format!(
            "{count} of {limit} characters: {} too many. The limit is {limit}; nothing was cut, so choose what to drop.",
            count - limit
        ))
    }
}

/// A labelled `<textarea>` bound to a signal, with its field error.
#[component]
pub fn TextAreaField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    let FieldIds {
        error_id,
        hint_id,
        described_by,
    } = FieldIds::new(&id, hint.is_some());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                rows=rows
                class=class
                aria-invalid=aria_invalid(error)
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
            {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
            <FieldError id=error_id message=error />
        </div>
    }
}

/// A labelled `<select>` over fixed `(value, label)` options, bound to a signal.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                aria-invalid=aria_invalid(error)
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:change=move |event| value.set(event_target_value(&event))
            >
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected_value = option.clone();
                        view! {
                            <option value=option selected=move || value.get() == selected_value>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError id=error_id message=error />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::counter_text;

    #[test]
    fn the_counter_appears_near_the_limit_and_says_how_far_past_it() {
        assert_eq!(counter_text(0, 64), None);
        assert_eq!(counter_text(53, 64), None);
        assert_eq!(counter_text(54, 64).as_deref(), Some("54 of 64 characters"));
        assert_eq!(counter_text(64, 64).as_deref(), Some("64 of 64 characters"));
        let over = counter_text(70, 64).unwrap_or_default();
        assert!(
            over.starts_with("70 of 64 characters: 6 too many."),
            "{over}"
        );
    }
}
