//! Rules for agent input: parse, don't validate. `AgentInput::parse` is the one place a name,
//! description, version and config become acceptable; the service always goes through it.

use crate::auth::domain::{name_key, parse_name};
use crate::environments::domain::parse_description;
use crate::error::FieldErrors;

pub const MAX_VERSION_CHARS: usize = 32;
/// Largest stored (compact) configuration, in bytes.
pub const MAX_CONFIG_BYTES: usize = 16 * 1024;

/// A version label such as `1.4.2` or `2024-06 beta`: trimmed, 1–32 characters, no control
/// characters. Deliberately not semver-only: agents come from many vendors.
pub fn parse_version(input: &str) -> Result<String, String> {
    let version = input.trim();
    if version.is_empty() {
        return Err("Version is required.".to_owned());
    }
    if version.chars().count() > MAX_VERSION_CHARS {
        return Err(format!(
            "Version must be at most {MAX_VERSION_CHARS} characters."
        ));
    }
    if version.chars().any(char::is_control) {
        return Err("Version cannot contain control characters.".to_owned());
    }
    Ok(version.to_owned())
}

/// A JSON configuration, returned compact (insignificant whitespace removed, object keys
/// sorted). Blank means `{}`. Invalid JSON is refused with serde_json's own description,
/// which names the line and column.
pub fn parse_config(input: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Ok("{}".to_owned());
    }
    let value: serde_json::Value =
        serde_json::from_str(input).map_err(|error| format!("Invalid JSON: {error}"))?;
    let compact = value.to_string();
    if compact.len() > MAX_CONFIG_BYTES {
        return Err(format!(
            "Config must be at most {} KiB.",
            MAX_CONFIG_BYTES / 1024
        ));
    }
    Ok(compact)
}

/// A stored (compact) configuration, pretty-printed for people. Text that is somehow not JSON
/// is shown as it is rather than hidden.
pub fn pretty_config(stored: &str) -> String {
    serde_json::from_str::<serde_json::Value>(stored)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| stored.to_owned())
}

/// Install or update input that has passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentInput {
    pub name: String,
    /// The case-folded name that uniqueness is enforced on.
    pub name_key: String,
    pub description: String,
    pub version: String,
    /// Compact JSON.
    pub config: String,
}

impl AgentInput {
    /// Checks every field and reports all problems at once, keyed by form field.
    pub fn parse(
        name: &str,
        description: &str,
        version: &str,
        config: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut check = |field: &str, result: Result<String, String>| {
            result
                .map_err(|message| errors.insert(field.to_owned(), vec![message]))
                .ok()
        };
        let name = check("name", parse_name(name, "Name"));
        let description = check("description", parse_description(description));
        let version = check("version", parse_version(version));
        let config = check("config", parse_config(config));
        match (name, description, version, config) {
            (Some(name), Some(description), Some(version), Some(config)) => Ok(AgentInput {
                name_key: name_key(&name),
                name,
                description,
                version,
                config,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(parse_version(" 1.2.3 "), Ok("1.2.3".to_owned()));
        assert!(parse_version("").is_err());
        assert!(parse_version("   ").is_err());
        assert!(parse_version(&"9".repeat(32)).is_ok());
        assert!(parse_version(&"9".repeat(33)).is_err());
        assert!(
            parse_version("1.0\n").is_ok(),
            "trailing newline is trimmed"
        );
        assert!(parse_version("1\u{0}0").is_err());
        assert!(parse_version("1.0\tbeta").is_err());
    }

    #[test]
    fn configs_are_json_stored_compact_and_shown_pretty() {
        assert_eq!(
            parse_config("{ \"b\": [1, 2],\n  \"a\": \"x\" }"),
            Ok(r#"{"a":"x","b":[1,2]}"#.to_owned())
        );
        assert_eq!(parse_config("  "), Ok("{}".to_owned()));
        assert_eq!(parse_config("42"), Ok("42".to_owned()));
        let error = parse_config("{\"a\": }").unwrap_err();
        assert!(error.contains("line 1 column"), "{error}");
        assert!(parse_config("{'a': 1}").is_err());
        assert!(parse_config("{} {}").is_err(), "trailing characters");
        assert_eq!(pretty_config(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_config("not json"), "not json");
    }

    #[test]
    fn configs_are_limited_to_16_kib_compact() {
        let fits = format!("\"{}\"", "x".repeat(MAX_CONFIG_BYTES - 2));
        assert!(parse_config(&fits).is_ok());
        let too_big = format!("\"{}\"", "x".repeat(MAX_CONFIG_BYTES - 1));
        assert!(parse_config(&too_big).is_err());
        // Whitespace that normalisation removes does not count.
        let padded = format!("{}{{}}", " ".repeat(MAX_CONFIG_BYTES * 2));
        assert_eq!(parse_config(&padded), Ok("{}".to_owned()));
    }

    #[test]
    fn input_reports_every_bad_field_at_once() {
        let errors = AgentInput::parse(&"n".repeat(65), &"d".repeat(501), "", "{").unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["config", "description", "name", "version"]
        );
        let ok = AgentInput::parse(" Support Bot ", "", "1.0", "").unwrap();
        assert_eq!(ok.name_key, "support bot");
        assert_eq!(ok.config, "{}");
    }
}
