//! Rules for account input: parse, don't validate. Each type can only hold a valid value.
//! Names of every kind (people, workspaces, environments, agents, tokens) follow one rule,
//! [`check_name`], and are unique by one key, [`name_key`].

use unicode_normalization::UnicodeNormalization;

/// Longest name of a person, workspace, environment or agent.
pub const MAX_NAME_CHARS: usize = 64;
pub const MIN_PASSWORD_CHARS: usize = 12;
/// argon2 hashes any length, but a cap keeps one request from costing unbounded work.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The longest email address (RFC 5321's path limit less its angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a name was refused; each kind of name words its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong {
        chars: usize,
    },
    /// A control, invisible or line-breaking character (see [`is_deceptive`]).
    Deceptive,
}

/// The one rule for names: trimmed, 1–64 characters, nothing that makes the name look other
/// than it is. HTML is allowed and is always rendered as text.
pub fn check_name(input: &str) -> Result<&str, NameProblem> {
    let name = input.trim();
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong { chars });
    }
    let chars: Vec<char> = name.chars().collect();
    let hidden = chars.iter().enumerate().any(|(i, &c)| {
        // A zero-width joiner builds emoji (👩‍💻) between two symbols; between letters it only
        // makes "CI" and "C‍I" two names.
        let joins_symbols = c == ZERO_WIDTH_JOINER
            && i > 0
            && chars.get(i + 1).is_some_and(|next| !next.is_alphanumeric())
            && !chars[i - 1].is_alphanumeric();
        is_deceptive(c) && !joins_symbols
    });
    if hidden {
        return Err(NameProblem::Deceptive);
    }
    Ok(name)
}

const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// A character that hides in a name or breaks its line: control codes (Cc, tabs and line
/// breaks included), Unicode's invisible format characters (Cf: zero-width space and joiners,
/// bidi embeddings, overrides and isolates such as U+202E, word joiner, the BOM, soft hyphen,
/// tag characters …) and the line and paragraph separators U+2028/U+2029 (Zl, Zp). Listed
/// from Unicode 15's general categories; a table crate would weigh more in the browser bundle.
pub fn is_deceptive(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// A display name of a person, workspace, environment or agent, with messages naming `what`.
pub fn parse_name(input: &str, what: &str) -> Result<String, String> {
    match check_name(input) {
        Ok(name) => Ok(name.to_owned()),
        Err(NameProblem::Empty) => Err(format!("{what} is required.")),
        Err(NameProblem::TooLong { .. }) => Err(format!(
            "{what} must be at most {MAX_NAME_CHARS} characters."
        )),
        Err(NameProblem::Deceptive) => Err(format!(
            "{what} cannot contain control or invisible characters."
        )),
    }
}

/// The form name uniqueness is enforced on: compatibility-normalised (NFKC, so full-width
/// "ＣＩ" is "CI") and lower-cased, so names that look alike are the same name.
pub fn name_key(name: &str) -> String {
    name.nfkc().collect::<String>().to_lowercase()
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
    fn invisible_and_line_breaking_characters_are_refused() {
        for sneaky in [
            "C\u{200B}I",
            "C\u{200D}I",
            "\u{200D}I",
            "I\u{200D}",
            "\u{202E}gnp.exe",
            "a\u{2066}b",
            "line\u{2028}break",
            "para\u{2029}graph",
            "soft\u{AD}hyphen",
            "bom\u{FEFF}",
            "tag\u{E0041}",
            "tab\there",
        ] {
            assert_eq!(
                check_name(sneaky),
                Err(NameProblem::Deceptive),
                "{sneaky:?}"
            );
        }
        for fine in [
            "CI",
            "Zürich – prod",
            "日本語",
            "emoji 🚀👩\u{200D}💻",
            "a b",
        ] {
            assert!(check_name(fine).is_ok(), "{fine:?}");
        }
    }

    #[test]
    fn look_alike_names_share_one_key() {
        assert_eq!(name_key("ＣＩ"), name_key("ci"));
        assert_eq!(name_key("CI"), "ci");
        assert_eq!(name_key("\u{212B}ngström"), name_key("Ångström"));
        assert_eq!(name_key("ﬁle"), name_key("FILE"));
        assert_ne!(name_key("CI"), name_key("C1"));
    }

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
