//! The token format (SPEC §2): `tsr_` + a 12-character key id + a 32-character secret + a
//! 6-character base62 CRC-32 checksum. The server parses bearer tokens with it before any
//! database work; the SDKs check a configured token with it before any request.

use std::fmt;

/// Every token starts with this, so secret scanners can find them.
pub const TOKEN_PREFIX: &str = "tsr_";
pub const KEY_ID_LEN: usize = 12;
pub const SECRET_LEN: usize = 32;
pub const CHECKSUM_LEN: usize = 6;
/// The characters covered by the checksum: prefix, key id and secret.
pub const CHECKSUMMED_LEN: usize = TOKEN_PREFIX.len() + KEY_ID_LEN + SECRET_LEN;
/// `tsr_` + 12 + 32 + 6.
pub const TOKEN_LEN: usize = CHECKSUMMED_LEN + CHECKSUM_LEN;
/// How many leading characters the UI shows (`tsr_Ab3x`).
pub const DISPLAY_PREFIX_LEN: usize = 8;

/// Base62 digits in value order; the order is part of the checksum encoding.
pub const BASE62_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn is_base62(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

// ---------------------------------------------------------------------------------------
// Format
// ---------------------------------------------------------------------------------------

/// The public half of a token: looked up in the database, safe to log.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(String);

/// Why a text is not a key id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyIdError {
    #[error("a key id has {expected} characters, got {got}", expected = KEY_ID_LEN)]
    WrongLength { got: usize },
    /// 1-based, as a person counts.
    #[error("a key id may only contain 0-9, A-Z and a-z; character {position} is not one of them")]
    InvalidCharacter { position: usize },
}

impl KeyId {
    /// Accepts exactly 12 base62 characters, e.g. a key id read back from the database.
    pub fn parse(text: &str) -> Result<Self, KeyIdError> {
        let got = text.chars().count();
        if got != KEY_ID_LEN {
            return Err(KeyIdError::WrongLength { got });
        }
        if let Some(index) = text.chars().position(|c| !is_base62(c)) {
            return Err(KeyIdError::InvalidCharacter {
                position: index + 1,
            });
        }
        Ok(KeyId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The first 8 characters of any token with this key id; the prefix depends on the key id
    /// alone, so the server can show it without ever keeping the token.
    pub fn display_prefix(&self) -> String {
        let shown = DISPLAY_PREFIX_LEN - TOKEN_PREFIX.len();
        // Always 12 ASCII characters (checked in `parse`), so the slice exists.
        let head = self.0.get(..shown).unwrap_or(&self.0);
        format!("{TOKEN_PREFIX}{head}")
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The secret half of a token. Not `Serialize`, not `Clone`, and its `Debug` is redacted, so
/// it cannot slip into a response, a log line or an error by accident; read it with
/// [`TokenSecret::expose`] only to hash or verify it.
pub struct TokenSecret(String);

impl TokenSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSecret([redacted])")
    }
}

/// A whole token as the user receives it (`tsr_…`, 54 characters). Same precautions as
/// [`TokenSecret`]: the only ways out are the explicit [`expose`](Self::expose) and
/// [`into_string`](Self::into_string), used once, for the create/regenerate response.
pub struct PlaintextToken(String);

impl PlaintextToken {
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The part the UI may show.
    pub fn prefix(&self) -> &str {
        token_prefix(&self.0)
    }
}

impl fmt::Debug for PlaintextToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlaintextToken([redacted])")
    }
}

/// A token that passed the shape and checksum checks; it may still be unknown or wrong.
#[derive(Debug)]
pub struct ParsedToken {
    pub key_id: KeyId,
    pub secret: TokenSecret,
}

/// Why a text is not a well-formed token. The messages never repeat the token or any of its
/// characters: the input may be a real secret pasted into the wrong place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenFormatError {
    #[error("the token is empty")]
    Empty,
    #[error("the token does not start with `{prefix}`", prefix = TOKEN_PREFIX)]
    MissingPrefix,
    #[error("the token has {got} characters; expected {expected}")]
    WrongLength { got: usize, expected: usize },
    /// 1-based position of the first offending character in the whole token.
    #[error(
        "character {position} of the token (in the {part}) is not one of 0-9, A-Z, a-z",
        part = token_part(*.position)
    )]
    InvalidCharacter { position: usize },
    #[error("the token's checksum does not match; it was probably mistyped or truncated")]
    ChecksumMismatch,
}

/// Which section of the token a 1-based position falls in, for error messages.
fn token_part(position: usize) -> &'static str {
    let index = position.saturating_sub(1);
    if index < TOKEN_PREFIX.len() {
        "prefix"
    } else if index < TOKEN_PREFIX.len() + KEY_ID_LEN {
        "key id"
    } else if index < CHECKSUMMED_LEN {
        "secret"
    } else {
        "checksum"
    }
}

/// Checks shape and checksum without any I/O, so a malformed bearer token is refused before
/// it costs a database lookup. Strict: callers trim transport whitespace themselves.
pub fn parse_token(text: &str) -> Result<ParsedToken, TokenFormatError> {
    if text.is_empty() {
        return Err(TokenFormatError::Empty);
    }
    if !text.starts_with(TOKEN_PREFIX) {
        return Err(TokenFormatError::MissingPrefix);
    }
    // Count characters, not bytes, so a pasted non-ASCII character is reported as an invalid
    // character at its position rather than as a puzzling length.
    let got = text.chars().count();
    if got != TOKEN_LEN {
        return Err(TokenFormatError::WrongLength {
            got,
            expected: TOKEN_LEN,
        });
    }
    if let Some(index) = text
        .chars()
        .skip(TOKEN_PREFIX.len())
        .position(|c| !is_base62(c))
    {
        return Err(TokenFormatError::InvalidCharacter {
            position: TOKEN_PREFIX.len() + index + 1,
        });
    }

    // From here every character is ASCII, so byte offsets are character offsets.
    let (body, checksum) = text.split_at(CHECKSUMMED_LEN);
    if checksum != token_checksum(body) {
        return Err(TokenFormatError::ChecksumMismatch);
    }
    let key_id = &body[TOKEN_PREFIX.len()..TOKEN_PREFIX.len() + KEY_ID_LEN];
    let secret = &body[TOKEN_PREFIX.len() + KEY_ID_LEN..];
    Ok(ParsedToken {
        key_id: KeyId(key_id.to_owned()),
        secret: TokenSecret(secret.to_owned()),
    })
}

/// The 6-character checksum of the first 48 characters (`tsr_` + key id + secret): CRC-32
/// (IEEE, as in zlib) of their ASCII bytes as a big-endian base62 number, zero-padded. Public
/// so that offline secret scanners and tests share the one definition.
pub fn token_checksum(body: &str) -> String {
    let mut value = crc32fast::hash(body.as_bytes());
    // 62^6 > 2^32, so six digits always hold a CRC-32.
    let mut digits = [b'0'; CHECKSUM_LEN];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62_ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

/// Builds the full token text from its parts.
pub fn assemble_token(key_id: &KeyId, secret: &TokenSecret) -> PlaintextToken {
    let body = format!("{TOKEN_PREFIX}{}{}", key_id.as_str(), secret.expose());
    let checksum = token_checksum(&body);
    PlaintextToken(body + &checksum)
}

/// The first 8 characters of a token (or all of it, if shorter): what the UI may show.
pub fn token_prefix(token: &str) -> &str {
    match token.char_indices().nth(DISPLAY_PREFIX_LEN) {
        Some((end, _)) => &token[..end],
        None => token,
    }
}

/// A freshly generated token and its parts: the key id and secret for storage (the secret to
/// be hashed), the plaintext for the one response that shows it.
#[derive(Debug)]
pub struct GeneratedToken {
    pub key_id: KeyId,
    pub secret: TokenSecret,
    pub plaintext: PlaintextToken,
}

/// `len` base62 characters from the OS CSPRNG. `Uniform` draws indices by rejection, not by
/// reducing modulo 62, so every character is equally likely (no modulo bias).
#[cfg(feature = "generate")]
fn random_base62(len: usize) -> String {
    use rand::distributions::{Distribution, Uniform};
    use rand::rngs::OsRng;

    Uniform::from(0..BASE62_ALPHABET.len())
        .sample_iter(OsRng)
        .take(len)
        .map(|index| char::from(BASE62_ALPHABET[index]))
        .collect()
}

/// A new random key id (12 base62 characters, ~71 bits).
#[cfg(feature = "generate")]
pub fn generate_key_id() -> KeyId {
    KeyId(random_base62(KEY_ID_LEN))
}

/// A new token: random key id, random 32-character secret (~190 bits), checksum.
/// Panics only if the operating system cannot supply randomness, where carrying on with a
/// weaker source would be worse than failing the request.
#[cfg(feature = "generate")]
pub fn generate_token() -> GeneratedToken {
    let key_id = generate_key_id();
    let secret = TokenSecret(random_base62(SECRET_LEN));
    let plaintext = assemble_token(&key_id, &secret);
    GeneratedToken {
        key_id,
        secret,
        plaintext,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The known vector: key id `AbCdEf012345`, secret `0123456789abcdefghijABCDEFGHIJxy`.
    /// Its checksum was computed with Python's `zlib.crc32` (829623771 = base62 `u912Z`).
    const KNOWN_BODY: &str = "tsr_AbCdEf0123450123456789abcdefghijABCDEFGHIJxy";
    const KNOWN_TOKEN: &str = "tsr_AbCdEf0123450123456789abcdefghijABCDEFGHIJxy0u912Z";

    /// An independent base62 encoding (string building, most significant digit first), so the
    /// test does not merely repeat the implementation.
    fn independent_checksum(body: &str) -> String {
        let alphabet: Vec<char> = ('0'..='9').chain('A'..='Z').chain('a'..='z').collect();
        assert_eq!(alphabet.len(), 62);
        let mut n = u64::from(crc32fast::hash(body.as_bytes()));
        let mut out = String::new();
        while n > 0 {
            out.insert(0, alphabet[(n % 62) as usize]);
            n /= 62;
        }
        format!("{out:0>6}")
    }

    fn replace_char(text: &str, index: usize, with: char) -> String {
        text.chars()
            .enumerate()
            .map(|(i, c)| if i == index { with } else { c })
            .collect()
    }

    fn looks_like_token(text: &str) -> bool {
        // The secret-scanner pattern `^tsr_[0-9A-Za-z]{50}$`, spelled out.
        text.len() == 54
            && text.starts_with("tsr_")
            && text[4..].bytes().all(|b| b.is_ascii_alphanumeric())
    }

    // --- format: known vector ----------------------------------------------------------

    #[test]
    fn alphabet_is_digits_then_upper_then_lower() {
        let expected: String = ('0'..='9').chain('A'..='Z').chain('a'..='z').collect();
        assert_eq!(BASE62_ALPHABET.as_slice(), expected.as_bytes());
        assert_eq!(TOKEN_LEN, 54);
        assert_eq!(CHECKSUMMED_LEN, 48);
    }

    #[test]
    fn known_vector_checksum_matches_an_independent_computation() {
        assert_eq!(KNOWN_BODY.len(), 48);
        assert_eq!(crc32fast::hash(KNOWN_BODY.as_bytes()), 829_623_771);
        assert_eq!(independent_checksum(KNOWN_BODY), "0u912Z");
        assert_eq!(token_checksum(KNOWN_BODY), "0u912Z");
    }

    #[test]
    fn known_vector_parses_into_its_parts() {
        let parsed = parse_token(KNOWN_TOKEN).unwrap();
        assert_eq!(parsed.key_id.as_str(), "AbCdEf012345");
        assert_eq!(parsed.secret.expose(), "0123456789abcdefghijABCDEFGHIJxy");
        assert_eq!(token_prefix(KNOWN_TOKEN), "tsr_AbCd");
        assert_eq!(parsed.key_id.display_prefix(), "tsr_AbCd");
    }

    #[test]
    fn known_vector_assembles_from_its_parts() {
        let key_id = KeyId::parse("AbCdEf012345").unwrap();
        let secret = TokenSecret("0123456789abcdefghijABCDEFGHIJxy".to_owned());
        let token = assemble_token(&key_id, &secret);
        assert_eq!(token.expose(), KNOWN_TOKEN);
        assert_eq!(token.prefix(), "tsr_AbCd");
    }

    #[test]
    fn checksum_pads_and_uses_the_full_range() {
        // Whatever the CRC, the encoding is six base62 digits.
        for body in [
            "",
            "a",
            KNOWN_BODY,
            "tsr_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ] {
            let checksum = token_checksum(body);
            assert_eq!(checksum.len(), 6);
            assert_eq!(checksum, independent_checksum(body));
        }
        // CRC-32 of the empty input is 0.
        assert_eq!(token_checksum(""), "000000");
    }

    // --- format: generation ----------------------------------------------------------------

    #[cfg(feature = "generate")]
    #[test]
    fn generated_tokens_round_trip() {
        for _ in 0..2_000 {
            let generated = generate_token();
            let text = generated.plaintext.expose();
            assert!(looks_like_token(text), "bad shape: {text}");
            let parsed = parse_token(text).unwrap();
            assert_eq!(parsed.key_id, generated.key_id);
            assert_eq!(parsed.secret.expose(), generated.secret.expose());
            assert_eq!(generated.plaintext.prefix().chars().count(), 8);
            assert_eq!(
                generated.plaintext.prefix(),
                generated.key_id.display_prefix()
            );
            assert_eq!(&text[48..], independent_checksum(&text[..48]));
        }
    }

    #[cfg(feature = "generate")]
    #[test]
    fn generated_tokens_differ() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1_000 {
            assert!(seen.insert(generate_token().plaintext.into_string()));
        }
    }

    #[cfg(feature = "generate")]
    #[test]
    fn generated_key_ids_parse() {
        for _ in 0..1_000 {
            let key_id = generate_key_id();
            assert_eq!(KeyId::parse(key_id.as_str()), Ok(key_id));
        }
    }

    #[cfg(feature = "generate")]
    #[test]
    fn generated_characters_cover_the_alphabet_evenly() {
        // 3,000 tokens × 44 random characters ≈ 2,129 per symbol (σ ≈ 46); the bounds are
        // ~10σ wide, so only a broken or biased generator fails this.
        let mut counts = [0usize; 62];
        for _ in 0..3_000 {
            let generated = generate_token();
            let random = format!("{}{}", generated.key_id.as_str(), generated.secret.expose());
            for b in random.bytes() {
                let index = BASE62_ALPHABET.iter().position(|&a| a == b).unwrap();
                counts[index] += 1;
            }
        }
        for (index, &count) in counts.iter().enumerate() {
            assert!(
                (1_650..=2_600).contains(&count),
                "symbol {} drawn {count} times",
                char::from(BASE62_ALPHABET[index])
            );
        }
    }

    #[cfg(feature = "generate")]
    #[test]
    fn secrets_do_not_show_in_debug() {
        let generated = generate_token();
        let debug = format!("{generated:?}");
        assert!(!debug.contains(generated.secret.expose()));
        assert!(!debug.contains(generated.plaintext.expose()));
        assert!(debug.contains(generated.key_id.as_str()));
        let parsed = parse_token(generated.plaintext.expose()).unwrap();
        assert!(!format!("{parsed:?}").contains(generated.secret.expose()));
    }

    // --- format: defects -------------------------------------------------------------------

    #[test]
    fn empty_is_refused() {
        assert_eq!(parse_token("").unwrap_err(), TokenFormatError::Empty);
    }

    #[test]
    fn wrong_prefix_is_refused() {
        for bad in [
            "TSR_AbCdEf0123450123456789abcdefghijABCDEFGHIJxy0u912Z",
            "tsx_AbCdEf0123450123456789abcdefghijABCDEFGHIJxy0u912Z",
            "tsrAbCdEf0123450123456789abcdefghijABCDEFGHIJxy0u912Zx",
            " tsr_AbCdEf0123450123456789abcdefghijABCDEFGHIJxy0u912Z",
            "sk_live_abc",
            "t",
        ] {
            assert_eq!(
                parse_token(bad).unwrap_err(),
                TokenFormatError::MissingPrefix,
                "{bad}"
            );
        }
        for index in 0..4 {
            let bad = replace_char(KNOWN_TOKEN, index, 'x');
            assert_eq!(
                parse_token(&bad).unwrap_err(),
                TokenFormatError::MissingPrefix
            );
        }
    }

    #[test]
    fn each_length_off_by_one_is_refused() {
        let short = &KNOWN_TOKEN[..53];
        let long = format!("{KNOWN_TOKEN}a");
        let wrong = |got| TokenFormatError::WrongLength { got, expected: 54 };
        assert_eq!(parse_token(short).unwrap_err(), wrong(53));
        assert_eq!(parse_token(&long).unwrap_err(), wrong(55));
        assert_eq!(parse_token("tsr_").unwrap_err(), wrong(4));
        // Trailing whitespace is not silently accepted.
        assert_eq!(
            parse_token(&format!("{KNOWN_TOKEN}\n")).unwrap_err(),
            wrong(55)
        );
        let message = parse_token(short).unwrap_err().to_string();
        assert!(
            message.contains("53") && message.contains("54"),
            "{message}"
        );
    }

    #[test]
    fn non_base62_characters_are_refused_with_their_position() {
        // One position in each section: key id, secret, checksum (0-based indices).
        for (index, part) in [
            (4, "key id"),
            (15, "key id"),
            (16, "secret"),
            (47, "secret"),
        ]
        .into_iter()
        .chain([(48, "checksum"), (53, "checksum")])
        {
            for bad_char in ['-', '_', ' ', '+', '/', '=', 'é', '\0'] {
                let bad = replace_char(KNOWN_TOKEN, index, bad_char);
                let err = parse_token(&bad).unwrap_err();
                assert_eq!(
                    err,
                    TokenFormatError::InvalidCharacter {
                        position: index + 1
                    },
                    "{bad_char:?} at {index}"
                );
                assert!(err.to_string().contains(part), "{err}");
                // The message names the place, never the character.
                assert!(!err.to_string().contains("AbCdEf"), "{err}");
            }
        }
    }

    /// Replaces each character in `positions` (0-based) of the known token by every other
    /// base62 character and expects a checksum mismatch each time.
    fn assert_every_substitution_mismatches(positions: std::ops::Range<usize>) {
        let mut cases = 0;
        for (index, original) in KNOWN_TOKEN
            .char_indices()
            .filter(|(i, _)| positions.contains(i))
        {
            for replacement in BASE62_ALPHABET.iter().map(|&b| char::from(b)) {
                if replacement == original {
                    continue;
                }
                let bad = replace_char(KNOWN_TOKEN, index, replacement);
                assert_eq!(
                    parse_token(&bad).unwrap_err(),
                    TokenFormatError::ChecksumMismatch,
                    "{replacement} at {index}"
                );
                cases += 1;
            }
        }
        assert_eq!(cases, positions.len() * 61);
    }

    #[test]
    fn any_changed_character_in_the_checksummed_body_is_a_checksum_mismatch() {
        // CRC-32 catches every change confined to 32 bits, so every single-character
        // substitution in key id and secret is caught: all 44 × 61 cases.
        assert_every_substitution_mismatches(4..48);
    }

    #[test]
    fn any_changed_checksum_character_is_a_checksum_mismatch() {
        assert_every_substitution_mismatches(48..54);
    }

    #[test]
    fn swapped_neighbours_are_a_checksum_mismatch() {
        let token = KNOWN_TOKEN.as_bytes();
        for index in 4..47 {
            if token[index] == token[index + 1] {
                continue;
            }
            let mut swapped = token.to_vec();
            swapped.swap(index, index + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert_eq!(
                parse_token(&swapped).unwrap_err(),
                TokenFormatError::ChecksumMismatch
            );
        }
    }

    #[test]
    fn key_id_parse() {
        assert_eq!(
            KeyId::parse("AbCdEf012345").unwrap().to_string(),
            "AbCdEf012345"
        );
        assert_eq!(
            KeyId::parse("AbCdEf01234"),
            Err(KeyIdError::WrongLength { got: 11 })
        );
        assert_eq!(
            KeyId::parse("AbCdEf0123456"),
            Err(KeyIdError::WrongLength { got: 13 })
        );
        assert_eq!(KeyId::parse(""), Err(KeyIdError::WrongLength { got: 0 }));
        assert_eq!(
            KeyId::parse("AbCdEf01234-"),
            Err(KeyIdError::InvalidCharacter { position: 12 })
        );
        assert_eq!(
            KeyId::parse("ébCdEf012345"),
            Err(KeyIdError::InvalidCharacter { position: 1 })
        );
    }

    #[test]
    fn token_prefix_is_the_first_eight_characters() {
        assert_eq!(token_prefix(KNOWN_TOKEN), "tsr_AbCd");
        assert_eq!(token_prefix("tsr_"), "tsr_");
        assert_eq!(token_prefix("tsr_ééééé"), "tsr_éééé");
    }
}
