//! Rules for environment input: parse, don't validate. `EnvironmentInput::parse` is the one
//! place a name, purpose and description become acceptable; the service always goes through it.

use crate::auth::domain::{name_key, parse_name};
use crate::environments::model::EnvironmentPurpose;
use crate::error::FieldErrors;

/// Longest description of an environment or agent, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
/// Every public Environment ID starts with this.
pub const PUBLIC_ID_PREFIX: &str = "env_";
/// Random base62 characters after the prefix (~119 bits).
pub const PUBLIC_ID_RANDOM_LEN: usize = 20;

/// A purpose from a form: the stored text or the label, any case, surrounding spaces ignored.
pub fn parse_purpose(input: &str) -> Result<EnvironmentPurpose, String> {
    let text = input.trim().to_lowercase();
    EnvironmentPurpose::parse(&text)
        .ok_or_else(|| "Choose Development, Staging, Testing or Production.".to_owned())
}

/// An optional description: trimmed, at most 500 characters, line breaks allowed (normalised
/// to `\n`) but no other control characters. Empty means "no description".
pub fn parse_description(input: &str) -> Result<String, String> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(format!(
            "Description must be at most {MAX_DESCRIPTION_CHARS} characters."
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err("Description cannot contain control characters.".to_owned());
    }
    Ok(text.to_owned())
}

/// Create or update input that has passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentInput {
    pub name: String,
    /// The case-folded name that uniqueness is enforced on.
    pub name_key: String,
    pub purpose: EnvironmentPurpose,
    pub description: String,
}

impl EnvironmentInput {
    /// Checks every field and reports all problems at once, keyed by form field.
    pub fn parse(name: &str, purpose: &str, description: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = parse_name(name, "Name")
            .map_err(|message| errors.insert("name".into(), vec![message]))
            .ok();
        let purpose = parse_purpose(purpose)
            .map_err(|message| errors.insert("purpose".into(), vec![message]))
            .ok();
        let description = parse_description(description)
            .map_err(|message| errors.insert("description".into(), vec![message]))
            .ok();
        match (name, purpose, description) {
            (Some(name), Some(purpose), Some(description)) => Ok(EnvironmentInput {
                name_key: name_key(&name),
                name,
                purpose,
                description,
            }),
            _ => Err(errors),
        }
    }
}

/// A new public Environment ID: `env_` and 20 base62 characters from the OS CSPRNG.
/// `Uniform` samples by rejection, so every character is equally likely.
#[cfg(feature = "ssr")]
pub fn generate_public_id() -> String {
    use rand::distributions::{Distribution, Uniform};
    use rand::rngs::OsRng;

    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let random: String = Uniform::from(0..ALPHABET.len())
        .sample_iter(OsRng)
        .take(PUBLIC_ID_RANDOM_LEN)
        .map(|index| char::from(ALPHABET[index]))
        .collect();
    format!("{PUBLIC_ID_PREFIX}{random}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_accept_stored_text_and_labels_in_any_case() {
        assert_eq!(
            parse_purpose("production"),
            Ok(EnvironmentPurpose::Production)
        );
        assert_eq!(parse_purpose(" Staging "), Ok(EnvironmentPurpose::Staging));
        assert_eq!(parse_purpose("TESTING"), Ok(EnvironmentPurpose::Testing));
        for bad in ["", "prod", "qa", "develop", "production\u{0}"] {
            assert!(parse_purpose(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn descriptions_are_trimmed_bounded_and_keep_only_line_breaks() {
        assert_eq!(parse_description("  "), Ok(String::new()));
        assert_eq!(parse_description(" a\r\nb\rc "), Ok("a\nb\nc".to_owned()));
        assert!(parse_description(&"é".repeat(500)).is_ok());
        assert!(parse_description(&"x".repeat(501)).is_err());
        assert!(parse_description("tab\there").is_err());
        assert!(parse_description("bell\u{7}").is_err());
        assert_eq!(
            parse_description("<b>Ünïcødé</b> 🚀"),
            Ok("<b>Ünïcødé</b> 🚀".to_owned())
        );
    }

    #[test]
    fn input_reports_every_bad_field_at_once() {
        let errors = EnvironmentInput::parse("", "qa", &"x".repeat(501)).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["description", "name", "purpose"]
        );
        let ok = EnvironmentInput::parse(" Prod EU ", "production", "").unwrap();
        assert_eq!(ok.name, "Prod EU");
        assert_eq!(ok.name_key, "prod eu");
        assert_eq!(ok.purpose, EnvironmentPurpose::Production);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn public_ids_have_the_prefix_and_twenty_base62_characters() {
        let id = generate_public_id();
        let random = id.strip_prefix(PUBLIC_ID_PREFIX).unwrap();
        assert_eq!(random.len(), PUBLIC_ID_RANDOM_LEN);
        assert!(random.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(generate_public_id(), id);
    }
}
