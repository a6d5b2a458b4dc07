//! Rules for integrations that need no database: what a valid integration is, field by
//! field, for both kinds. Every problem is reported at once, keyed by the field's path
//! (`settings.base_url`, `secrets.X-Api-Key`).

use std::collections::BTreeMap;

use axum::http::{HeaderName, HeaderValue};

use super::model::{IntegrationKind, IntegrationRequest, IntegrationSettings};
use crate::auth::domain::{is_deceptive, name_key, parse_name};
use crate::crypto::sealing::Plaintext;
use crate::error::FieldErrors;

pub const MAX_URL_CHARS: usize = 2_048;
pub const MAX_HEADERS: usize = 20;
pub const MAX_HEADER_VALUE_CHARS: usize = 4_096;
pub const MAX_SECRET_CHARS: usize = 8_192;
pub const MAX_MODEL_CHARS: usize = 200;
/// The one secret of an `llm` integration.
pub const API_KEY: &str = "api_key";

/// Headers the HTTP client sets itself; an integration may not.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-connection",
];

/// A request that passed every rule.
#[derive(Debug)]
pub struct IntegrationInput {
    pub name: String,
    pub name_key: String,
    pub kind: IntegrationKind,
    pub settings: IntegrationSettings,
    /// Field → new value, or `None` to clear. Fields not named keep their value.
    pub secrets: BTreeMap<String, Option<Plaintext>>,
}

impl IntegrationInput {
    pub fn parse(request: IntegrationRequest) -> Result<IntegrationInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut fail = |field: String, message: String| {
            errors.entry(field).or_default().push(message);
        };
        let name = parse_name(&request.name, "Name")
            .map_err(|message| fail("name".into(), message))
            .ok();
        let kind = request.kind;
        let IntegrationSettings {
            base_url,
            model,
            headers,
        } = request.settings;
        let base_url = parse_base_url(&base_url)
            .map_err(|message| fail("settings.base_url".into(), message))
            .ok();
        let model = match (kind, model) {
            (IntegrationKind::Llm, Some(model)) => {
                let model = model.trim().to_owned();
                if model.is_empty()
                    || model.chars().count() > MAX_MODEL_CHARS
                    || model.chars().any(is_deceptive)
                {
                    fail(
                        "settings.model".into(),
                        format!("Name the model in 1 to {MAX_MODEL_CHARS} characters."),
                    );
                }
                Some(model)
            }
            (IntegrationKind::Llm, None) => {
                fail("settings.model".into(), "Name the model to use.".into());
                None
            }
            (IntegrationKind::Http, Some(_)) => {
                fail(
                    "settings.model".into(),
                    "Only model integrations have a model.".into(),
                );
                None
            }
            (IntegrationKind::Http, None) => None,
        };
        if kind == IntegrationKind::Llm && !headers.is_empty() {
            fail(
                "settings.headers".into(),
                "Model integrations send only their API key.".into(),
            );
        }
        if headers.len() > MAX_HEADERS {
            fail(
                "settings.headers".into(),
                format!("At most {MAX_HEADERS} headers."),
            );
        }
        let mut plain_headers = BTreeMap::new();
        for (header, value) in headers {
            let field = format!("settings.headers.{header}");
            match (check_header_name(&header), check_header_value(&value)) {
                (Ok(header), Ok(())) => {
                    plain_headers.insert(header, value);
                }
                (name, value) => {
                    for message in [name.err(), value.err()].into_iter().flatten() {
                        fail(field.clone(), message);
                    }
                }
            }
        }
        let mut secrets = BTreeMap::new();
        for (field, value) in request.secrets {
            let path = format!("secrets.{field}");
            let field = match kind {
                IntegrationKind::Llm if field == API_KEY => Ok(field),
                IntegrationKind::Llm => {
                    Err(format!("Model integrations have one secret, {API_KEY}."))
                }
                IntegrationKind::Http => check_header_name(&field).and_then(|name| {
                    if plain_headers.contains_key(&name) {
                        Err("This header is already a plain header.".to_owned())
                    } else {
                        Ok(name)
                    }
                }),
            };
            let value = value
                .map(|value| check_secret(&value).map(|()| Plaintext::new(value)))
                .transpose();
            match (field, value) {
                (Ok(field), Ok(value)) => {
                    secrets.insert(field, value);
                }
                (field, value) => {
                    for message in [field.err(), value.err()].into_iter().flatten() {
                        fail(path.clone(), message);
                    }
                }
            }
        }
        match (name, base_url) {
            (Some(name), Some(base_url)) if errors.is_empty() => Ok(IntegrationInput {
                name_key: name_key(&name),
                name,
                kind,
                settings: IntegrationSettings {
                    base_url,
                    model,
                    headers: plain_headers,
                },
                secrets,
            }),
            _ => Err(errors),
        }
    }
}

/// An absolute `http`/`https` URL with a host and no credentials (those belong in secrets).
pub fn parse_base_url(input: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("Enter the service's base URL.".into());
    }
    if text.chars().count() > MAX_URL_CHARS {
        return Err(format!("At most {MAX_URL_CHARS} characters."));
    }
    let url = url::Url::parse(text)
        .map_err(|_| "Enter a full URL, such as https://api.example.com/v1.".to_owned())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("Use an http:// or https:// URL.".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("The URL needs a host.".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Put credentials in a secret, not in the URL.".into());
    }
    if url.fragment().is_some() {
        return Err("The URL cannot have a #fragment.".into());
    }
    Ok(text.to_owned())
}

/// A header name as HTTP spells it (lowercase), not one the client sets itself.
fn check_header_name(name: &str) -> Result<String, String> {
    let header = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| "Not a valid header name.".to_owned())?;
    if RESERVED_HEADERS.contains(&header.as_str()) {
        return Err(format!("{header} is set by Tessera itself."));
    }
    Ok(header.as_str().to_owned())
}

fn check_header_value(value: &str) -> Result<(), String> {
    if value.chars().count() > MAX_HEADER_VALUE_CHARS {
        return Err(format!("At most {MAX_HEADER_VALUE_CHARS} characters."));
    }
    HeaderValue::from_str(value)
        .map(|_| ())
        .map_err(|_| "A header value cannot contain line breaks or control characters.".into())
}

fn check_secret(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("Enter the secret, or send null to clear it.".into());
    }
    if value.chars().count() > MAX_SECRET_CHARS {
        return Err(format!("At most {MAX_SECRET_CHARS} characters."));
    }
    // Secrets are sent as header values (API keys as bearer tokens).
    check_header_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: IntegrationKind, settings: IntegrationSettings) -> IntegrationRequest {
        IntegrationRequest {
            name: "Service".into(),
            kind,
            settings,
            secrets: BTreeMap::new(),
        }
    }

    #[test]
    fn base_urls_are_absolute_http_without_credentials() {
        assert!(parse_base_url("https://api.example.com/v1").is_ok());
        assert!(
            parse_base_url("http://127.0.0.1:8080").is_ok(),
            "the egress guard decides reach"
        );
        for bad in [
            "",
            "api.example.com",
            "ftp://x",
            "https://u:p@x.example",
            "https://x/#f",
            "file:///etc/passwd",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_kind_has_its_own_fields() {
        let llm = request(
            IntegrationKind::Llm,
            IntegrationSettings {
                base_url: "https://llm.example".into(),
                model: Some("gpt".into()),
                headers: BTreeMap::new(),
            },
        );
        let mut with_key = llm.clone();
        with_key
            .secrets
            .insert("api_key".into(), Some("sk-1".into()));
        assert!(IntegrationInput::parse(with_key).is_ok());
        let mut wrong_secret = llm.clone();
        wrong_secret
            .secrets
            .insert("token".into(), Some("x".into()));
        let errors = IntegrationInput::parse(wrong_secret).unwrap_err();
        assert!(errors.contains_key("secrets.token"), "{errors:?}");
        let mut no_model = llm;
        no_model.settings.model = None;
        assert!(IntegrationInput::parse(no_model)
            .unwrap_err()
            .contains_key("settings.model"));

        let mut http = request(
            IntegrationKind::Http,
            IntegrationSettings {
                base_url: "https://api.example".into(),
                model: None,
                headers: [("Accept".to_owned(), "application/json".to_owned())].into(),
            },
        );
        http.secrets.insert("X-Api-Key".into(), Some("k".into()));
        http.secrets.insert("Authorization".into(), None);
        let input = IntegrationInput::parse(http.clone()).expect("valid");
        assert_eq!(
            input.settings.headers.keys().collect::<Vec<_>>(),
            ["accept"]
        );
        assert_eq!(
            input.secrets.keys().collect::<Vec<_>>(),
            ["authorization", "x-api-key"]
        );
        http.settings.headers.insert("Host".into(), "x".into());
        http.secrets.insert("accept".into(), Some("dup".into()));
        http.secrets.insert("X-Evil".into(), Some("a\r\nb".into()));
        let errors = IntegrationInput::parse(http).unwrap_err();
        for field in ["settings.headers.Host", "secrets.accept", "secrets.X-Evil"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
