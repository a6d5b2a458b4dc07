//! Rules for account input: parse, don't validate. Each type can only hold a valid value.

/// Longest name of a person, workspace, environment or agent.
pub const MAX_NAME_CHARS: usize = 64;
pub const MIN_PASSWORD_CHARS: usize = 12;
/// argon2 hashes any length, but a cap keeps one request from costing unbounded work.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The longest email address (RFC 5321's path limit less its angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A display name: trimmed, 1–64 characters, no control characters. HTML is allowed and is
/// always rendered as text.
pub fn parse_name(input: &str, what: &str) -> Result<String, String> {
    let name = input.trim();
    if name.is_empty() {
        return Err(format!("{what} is required."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "{what} must be at most {MAX_NAME_CHARS} characters."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{what} cannot contain control characters."));
    }
    Ok(name.to_owned())
}

/// The case-folded form that name uniqueness is enforced on.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// An email address, trimmed and lower-cased. Deliberately permissive (one `@`, a dot in the
/// domain, no spaces): the invite and sign-in flows prove an address works, not a regex.
pub fn parse_email(input: &str) -> Result<String, String> {
    let email = input.trim().to_lowercase();
    let invalid = || Err("Enter a valid email address.".to_owned());
    if email.is_empty() || email.chars().count() > MAX_EMAIL_CHARS {
        return invalid();
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid();
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            Ok(email)
        }
        _ => invalid(),
    }
}

/// A new password: at least 12 characters. Not trimmed: spaces are part of a passphrase.
pub fn parse_new_password(input: &str) -> Result<String, String> {
    let chars = input.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Password must be at least {MIN_PASSWORD_CHARS} characters."
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "Password must be at most {MAX_PASSWORD_CHARS} characters."
        ));
    }
    Ok(input.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(parse_name("  Acme  ", "Name").unwrap(), "Acme");
        assert!(parse_name("", "Name").is_err());
        assert!(parse_name("   ", "Name").is_err());
        assert!(parse_name(&"x".repeat(64), "Name").is_ok());
        assert!(parse_name(&"x".repeat(65), "Name").is_err());
        assert!(
            parse_name(&"é".repeat(64), "Name").is_ok(),
            "characters, not bytes"
        );
        assert!(parse_name("a\nb", "Name").is_err());
        assert!(parse_name("a\u{7}b", "Name").is_err());
        assert_eq!(
            parse_name("<b>Ünïcødé</b> 🚀", "Name").unwrap(),
            "<b>Ünïcødé</b> 🚀"
        );
        assert_eq!(
            parse_name("", "Workspace name").unwrap_err(),
            "Workspace name is required."
        );
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            parse_email("  Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
            "ada@com.",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(parse_new_password("short").is_err());
        assert!(parse_new_password("elevenchars").is_err());
        assert!(parse_new_password("twelve chars").is_ok());
        assert!(parse_new_password(&"p".repeat(257)).is_err());
    }
}
