//! The API token as the client holds it: checked for shape and checksum when it is set, so a
//! mistyped, truncated or wrongly pasted token fails here with the reason instead of as a 401
//! from the server — and never printed, not even by `Debug`.

use std::fmt;

use tessera_wire::token_format::{parse_token, TokenFormatError, DISPLAY_PREFIX_LEN};

/// A well-formed Tessera API token (`tsr_` + key id + secret + checksum).
///
/// Well-formed is all it promises: whether the server accepts it is another matter.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    /// Checks `text` (surrounding whitespace, such as a pasted newline, is ignored).
    /// `origin` names where the token came from (`TESSERA_API_TOKEN`, `--token` …) so the
    /// error can say which one to fix without repeating the token itself.
    pub fn parse(text: &str, origin: &str) -> Result<Self, TokenError> {
        let text = text.trim();
        parse_token(text).map_err(|reason| TokenError::Malformed {
            origin: origin.to_owned(),
            reason,
        })?;
        Ok(ApiToken(text.to_owned()))
    }

    /// The leading characters the web app shows for a token (`tsr_Ab3x`): safe to print.
    pub fn display_prefix(&self) -> &str {
        // A parsed token is ASCII, so any byte index is a character boundary.
        self.0.get(..DISPLAY_PREFIX_LEN).unwrap_or("tsr_")
    }

    /// The whole token, for sending it or storing it where it belongs. Never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiToken({}…[redacted])", self.display_prefix())
    }
}

/// Why there is no usable token. The messages never contain the token or any part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Neither the code nor the environment gave one.
    #[error(
        "no API token: set TESSERA_API_TOKEN or pass one with Client::builder().token(…) \
         (create one on the Tokens page of the web app)"
    )]
    Missing,
    /// The text is not a Tessera token: wrong prefix, length, characters or checksum.
    #[error("{origin} is not a valid Tessera API token: {reason}")]
    Malformed {
        origin: String,
        reason: TokenFormatError,
    },
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use tessera_wire::token_format::token_checksum;

    use super::*;

    fn token() -> String {
        let body = format!("tsr_{}", "aB3".repeat(44).get(..44).unwrap());
        let sum = token_checksum(&body);
        format!("{body}{sum}")
    }

    #[test]
    fn a_well_formed_token_parses_and_its_debug_hides_it() {
        let text = token();
        let parsed = ApiToken::parse(&format!(" {text}\n"), "test").unwrap();
        assert_eq!(parsed.expose_secret(), text);
        let debug = format!("{parsed:?}");
        assert!(!debug.contains(&text[8..]), "{debug}");
        assert!(debug.starts_with("ApiToken(tsr_"));
    }

    #[test]
    fn malformed_tokens_are_refused_without_repeating_them() {
        let text = token();
        let mut flipped = text.clone().into_bytes();
        flipped[20] = if flipped[20] == b'a' { b'b' } else { b'a' };
        let flipped = String::from_utf8(flipped).unwrap();
        for (bad, reason) in [
            (String::new(), "empty"),
            (text.replace("tsr_", "tsk_"), "tsr_"),
            (text[..40].to_owned(), "characters"),
            (format!("{}-{}", &text[..30], &text[31..]), "character 31"),
            (flipped, "checksum"),
        ] {
            let error = ApiToken::parse(&bad, "TESSERA_API_TOKEN").unwrap_err();
            let message = error.to_string();
            assert!(message.starts_with("TESSERA_API_TOKEN"), "{message}");
            assert!(message.contains(reason), "{message} lacks {reason}");
            assert!(!message.contains(&text[4..20]), "{message}");
        }
    }
}
