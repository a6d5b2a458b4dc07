//! The token rules, in one place: the `tsr_` format and its checksum, token names, expiry,
//! and the lifecycle table of SPEC §2. Pure functions of their inputs (time is passed in),
//! so the UI can consult them to hide actions and the service can enforce them.

use std::fmt;

use super::model::{EffectiveStatus, TokenAction, TokenScope, TokenStatus};
use crate::access::Permissions;
pub use crate::auth::domain::MAX_NAME_CHARS;
use crate::auth::domain::{check_name, name_key, NameProblem};

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
#[cfg(feature = "ssr")]
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
#[cfg(feature = "ssr")]
pub fn generate_key_id() -> KeyId {
    KeyId(random_base62(KEY_ID_LEN))
}

/// A new token: random key id, random 32-character secret (~190 bits), checksum.
/// Panics only if the operating system cannot supply randomness, where carrying on with a
/// weaker source would be worse than failing the request.
#[cfg(feature = "ssr")]
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

// ---------------------------------------------------------------------------------------
// Names and expiry
// ---------------------------------------------------------------------------------------

/// A valid token name: trimmed, 1–64 characters, no control characters. Other text (unicode,
/// HTML) is kept as typed; escaping is the renderer's job, not the parser's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenName(String);

impl TokenName {
    /// The names rule (`auth::domain::check_name`) in the token dialog's words.
    pub fn parse(text: &str) -> Result<Self, String> {
        match check_name(text) {
            Ok(name) => Ok(TokenName(name.to_owned())),
            Err(NameProblem::Empty) => Err("Enter a name for the token.".to_owned()),
            Err(NameProblem::TooLong { chars }) => Err(format!(
                "The name can be at most {MAX_NAME_CHARS} characters long (it has {chars})."
            )),
            // Line breaks, tabs and invisible characters make names that look alike but
            // differ, and break one-line layouts and logs.
            Err(NameProblem::Deceptive) => Err(
                "The name cannot contain control or invisible characters such as line breaks, \
                 tabs or zero-width spaces."
                    .to_owned(),
            ),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The key for the uniqueness check ("CI", "ci" and "ＣＩ" are the same name).
    pub fn normalized(&self) -> String {
        name_key(&self.0)
    }
}

impl fmt::Display for TokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a requested expiry: `None` means the token never expires; a given time must lie in
/// the future, since a token born expired could never be used.
pub fn validate_expiry(expires_at_ms: Option<i64>, now_ms: i64) -> Result<Option<i64>, String> {
    match expires_at_ms {
        Some(at) if at <= now_ms => Err("The expiry date must be in the future.".to_owned()),
        other => Ok(other),
    }
}

// ---------------------------------------------------------------------------------------
// Status and lifecycle
// ---------------------------------------------------------------------------------------

/// The status that counts: an active or suspended token whose expiry has come is expired;
/// revoked stays revoked whatever its expiry.
pub fn effective_status(
    stored: TokenStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
) -> EffectiveStatus {
    let expired = expires_at_ms.is_some_and(|at| at <= now_ms);
    match stored {
        TokenStatus::Revoked => EffectiveStatus::Revoked,
        _ if expired => EffectiveStatus::Expired,
        TokenStatus::Active => EffectiveStatus::Active,
        TokenStatus::Suspended => EffectiveStatus::Suspended,
    }
}

/// A status the server reported earlier, as it stands at `now_ms`: an active or suspended
/// token whose expiry has since come is expired (a page left open turns it so by itself).
pub fn status_as_of(
    reported: EffectiveStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
) -> EffectiveStatus {
    match reported {
        EffectiveStatus::Active => effective_status(TokenStatus::Active, expires_at_ms, now_ms),
        EffectiveStatus::Suspended => {
            effective_status(TokenStatus::Suspended, expires_at_ms, now_ms)
        }
        settled => settled,
    }
}

/// The lifecycle table of SPEC §2, the single source for both [`transition`] and
/// [`allowed_actions`].
const fn is_allowed(status: EffectiveStatus, action: TokenAction) -> bool {
    use EffectiveStatus as S;
    use TokenAction as A;
    match action {
        A::CopyPrefix => true,
        A::Regenerate => matches!(status, S::Active | S::Suspended),
        A::Suspend => matches!(status, S::Active),
        A::Activate => matches!(status, S::Suspended),
        A::Revoke => matches!(status, S::Active | S::Suspended | S::Expired),
        A::Delete => matches!(status, S::Revoked),
    }
}

/// What an allowed action does to the stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Nothing stored changes (copy prefix).
    Unchanged,
    /// New key id and secret; the status stays `status`, which the update must still find
    /// so that a concurrent suspend or revoke wins cleanly.
    Regenerate { status: TokenStatus },
    /// Set the status to `to`, guarded by `UPDATE … WHERE status = from` so that of two racing
    /// requests only one succeeds.
    ChangeStatus { from: TokenStatus, to: TokenStatus },
    /// Remove the row (only ever from `revoked`).
    Delete,
}

impl Transition {
    /// The stored status the record must still have when the change is written, if any.
    pub const fn expected_status(self) -> Option<TokenStatus> {
        match self {
            Transition::Unchanged => None,
            Transition::Regenerate { status } => Some(status),
            Transition::ChangeStatus { from, .. } => Some(from),
            Transition::Delete => Some(TokenStatus::Revoked),
        }
    }
}

/// A refused action, with the state that refused it; its `Display` is the message to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", refusal_message(*.action, *.status))]
pub struct TransitionError {
    pub action: TokenAction,
    pub status: EffectiveStatus,
}

impl TransitionError {
    pub fn message(&self) -> String {
        self.to_string()
    }
}

fn refusal_message(action: TokenAction, status: EffectiveStatus) -> String {
    use EffectiveStatus as S;
    use TokenAction as A;
    let verb = match action {
        A::CopyPrefix => "copied",
        A::Regenerate => "regenerated",
        A::Suspend => "suspended",
        A::Activate => "activated",
        A::Revoke => "revoked",
        A::Delete => "deleted",
    };
    match (action, status) {
        (A::Suspend, S::Suspended) => "This token is already suspended.".to_owned(),
        (A::Activate, S::Active) => "This token is already active.".to_owned(),
        (A::Revoke, S::Revoked) => "This token is already revoked.".to_owned(),
        (A::Delete, _) => "Only revoked tokens can be deleted; revoke this token first.".to_owned(),
        (A::Regenerate, S::Expired) => {
            "This token has expired; expired tokens cannot be regenerated. Create a new token instead."
                .to_owned()
        }
        (_, S::Expired) => format!("This token has expired; expired tokens cannot be {verb}."),
        (_, S::Revoked) => format!("This token is revoked; revoked tokens cannot be {verb}."),
        (_, S::Active) => format!("This token is active; active tokens cannot be {verb}."),
        (_, S::Suspended) => {
            format!("This token is suspended; suspended tokens cannot be {verb}.")
        }
    }
}

/// Decides `action` on a token with this stored status and expiry at `now_ms`. The service
/// calls this before writing; refusals change nothing.
pub fn transition(
    stored: TokenStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
    action: TokenAction,
) -> Result<Transition, TransitionError> {
    let status = effective_status(stored, expires_at_ms, now_ms);
    if !is_allowed(status, action) {
        return Err(TransitionError { action, status });
    }
    Ok(match action {
        TokenAction::CopyPrefix => Transition::Unchanged,
        TokenAction::Regenerate => Transition::Regenerate { status: stored },
        TokenAction::Suspend => Transition::ChangeStatus {
            from: stored,
            to: TokenStatus::Suspended,
        },
        TokenAction::Activate => Transition::ChangeStatus {
            from: stored,
            to: TokenStatus::Active,
        },
        TokenAction::Revoke => Transition::ChangeStatus {
            from: stored,
            to: TokenStatus::Revoked,
        },
        TokenAction::Delete => Transition::Delete,
    })
}

/// The actions a token in this state offers, in menu order; the UI hides the rest.
pub fn allowed_actions(status: EffectiveStatus) -> Vec<TokenAction> {
    TokenAction::ALL
        .into_iter()
        .filter(|&action| is_allowed(status, action))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------

/// A token's permissions from their stored form (see `access::Permissions::encode`); nothing
/// stored (a token from before permissions existed) means full access. `None` if corrupt.
pub fn permissions_from_stored(stored: Option<&str>) -> Option<Permissions> {
    match stored {
        None => Some(Permissions::full()),
        Some(text) => Permissions::decode(text),
    }
}

/// The scope as people read it. Names are looked up by the caller; when one is missing (say,
/// the environment was deleted) the id stands in so the label is never blank.
pub fn scope_label(
    scope: &TokenScope,
    environment_name: Option<&str>,
    agent_name: Option<&str>,
) -> String {
    match scope {
        TokenScope::Account => "Account".to_owned(),
        TokenScope::Environment { environment_id } => {
            let environment = environment_name.unwrap_or(environment_id);
            format!("Environment ({environment})")
        }
        TokenScope::Deployment {
            agent_id,
            environment_id,
        } => {
            let agent = agent_name.unwrap_or(agent_id);
            let environment = environment_name.unwrap_or(environment_id);
            format!("Agent deployment ({agent} · {environment})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const PAST: i64 = NOW - 1;
    const FUTURE: i64 = NOW + 1;

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

    #[cfg(feature = "ssr")]
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

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_tokens_differ() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1_000 {
            assert!(seen.insert(generate_token().plaintext.into_string()));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_key_ids_parse() {
        for _ in 0..1_000 {
            let key_id = generate_key_id();
            assert_eq!(KeyId::parse(key_id.as_str()), Ok(key_id));
        }
    }

    #[cfg(feature = "ssr")]
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

    #[cfg(feature = "ssr")]
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

    // --- names -----------------------------------------------------------------------------

    #[test]
    fn empty_and_whitespace_names_are_refused() {
        for bad in ["", " ", "   \t  ", "\n", "\u{3000}"] {
            assert_eq!(
                TokenName::parse(bad).unwrap_err(),
                "Enter a name for the token.",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_are_limited_to_64_characters() {
        let ok = "a".repeat(64);
        assert_eq!(TokenName::parse(&ok).unwrap().as_str(), ok);
        let too_long = "a".repeat(65);
        let err = TokenName::parse(&too_long).unwrap_err();
        assert!(err.contains("64") && err.contains("65"), "{err}");
        // Characters, not bytes: 64 two-byte characters are fine.
        let wide = "é".repeat(64);
        assert!(TokenName::parse(&wide).is_ok());
        assert!(TokenName::parse(&"é".repeat(65)).is_err());
        let emoji = "🚀".repeat(64);
        assert!(TokenName::parse(&emoji).is_ok());
        // Surrounding whitespace does not count.
        assert!(TokenName::parse(&format!("  {ok}  ")).is_ok());
    }

    #[test]
    fn control_characters_are_refused() {
        for bad in [
            "a\nb",
            "a\rb",
            "a\tb",
            "\u{7}",
            "bell\u{7}",
            "a\0b",
            "x\u{1b}[31m",
            "a\u{7f}b",
            "a\u{85}b",
        ] {
            let err = TokenName::parse(bad).unwrap_err();
            assert!(
                err.contains("control or invisible characters"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn unicode_and_html_are_kept_as_text() {
        assert_eq!(
            TokenName::parse("Ünïcødé 🚀").unwrap().as_str(),
            "Ünïcødé 🚀"
        );
        assert_eq!(TokenName::parse("<b>x</b>").unwrap().as_str(), "<b>x</b>");
        assert_eq!(
            TokenName::parse("<script>alert(1)</script>")
                .unwrap()
                .into_string(),
            "<script>alert(1)</script>"
        );
        assert_eq!(
            TokenName::parse("a & b \"c\"").unwrap().as_str(),
            "a & b \"c\""
        );
    }

    #[test]
    fn names_are_trimmed_and_normalised() {
        let name = TokenName::parse("  \tCI Deploy \n").unwrap();
        assert_eq!(name.as_str(), "CI Deploy");
        assert_eq!(name.to_string(), "CI Deploy");
        assert_eq!(name.normalized(), "ci deploy");
        assert_eq!(
            TokenName::parse("ÜNÏCØDÉ").unwrap().normalized(),
            TokenName::parse("ünïcødé").unwrap().normalized()
        );
        // Inner spaces are part of the name.
        assert_eq!(TokenName::parse("a  b").unwrap().as_str(), "a  b");
    }

    // --- expiry ----------------------------------------------------------------------------

    #[test]
    fn expiry_must_be_in_the_future_or_absent() {
        assert_eq!(validate_expiry(None, NOW), Ok(None));
        assert_eq!(validate_expiry(Some(FUTURE), NOW), Ok(Some(FUTURE)));
        assert_eq!(
            validate_expiry(Some(NOW + 86_400_000), NOW),
            Ok(Some(NOW + 86_400_000))
        );
        assert!(validate_expiry(Some(NOW), NOW).is_err());
        assert!(validate_expiry(Some(PAST), NOW).is_err());
        assert!(validate_expiry(Some(0), NOW).is_err());
        assert!(validate_expiry(Some(i64::MIN), NOW).is_err());
    }

    // --- status and lifecycle --------------------------------------------------------------

    #[test]
    fn effective_status_applies_expiry() {
        use EffectiveStatus as E;
        use TokenStatus as S;
        let cases = [
            (S::Active, None, E::Active),
            (S::Active, Some(FUTURE), E::Active),
            (S::Active, Some(NOW), E::Expired),
            (S::Active, Some(PAST), E::Expired),
            (S::Suspended, None, E::Suspended),
            (S::Suspended, Some(FUTURE), E::Suspended),
            (S::Suspended, Some(NOW), E::Expired),
            (S::Suspended, Some(PAST), E::Expired),
            (S::Revoked, None, E::Revoked),
            (S::Revoked, Some(FUTURE), E::Revoked),
            (S::Revoked, Some(PAST), E::Revoked),
        ];
        for (stored, expires, expected) in cases {
            assert_eq!(
                effective_status(stored, expires, NOW),
                expected,
                "{stored:?} {expires:?}"
            );
        }
    }

    #[test]
    fn a_reported_status_ages_into_expired() {
        use EffectiveStatus as E;
        for (reported, expires, expected) in [
            (E::Active, Some(PAST), E::Expired),
            (E::Active, Some(NOW), E::Expired),
            (E::Active, Some(FUTURE), E::Active),
            (E::Active, None, E::Active),
            (E::Suspended, Some(PAST), E::Expired),
            (E::Suspended, Some(FUTURE), E::Suspended),
            (E::Expired, Some(PAST), E::Expired),
            (E::Revoked, Some(PAST), E::Revoked),
            (E::Revoked, None, E::Revoked),
        ] {
            assert_eq!(
                status_as_of(reported, expires, NOW),
                expected,
                "{reported:?} {expires:?}"
            );
        }
    }

    /// Every stored state a token can be in, with the effective status it shows.
    fn states() -> Vec<(TokenStatus, Option<i64>, EffectiveStatus)> {
        use EffectiveStatus as E;
        use TokenStatus as S;
        vec![
            (S::Active, None, E::Active),
            (S::Active, Some(FUTURE), E::Active),
            (S::Suspended, None, E::Suspended),
            (S::Suspended, Some(FUTURE), E::Suspended),
            (S::Active, Some(PAST), E::Expired),
            (S::Active, Some(NOW), E::Expired),
            (S::Suspended, Some(PAST), E::Expired),
            (S::Revoked, None, E::Revoked),
            (S::Revoked, Some(PAST), E::Revoked),
        ]
    }

    /// SPEC §2's table, written out independently of `is_allowed`.
    fn expected(
        stored: TokenStatus,
        effective: EffectiveStatus,
        action: TokenAction,
    ) -> Option<Transition> {
        use EffectiveStatus as E;
        use TokenAction as A;
        use TokenStatus as S;
        match (effective, action) {
            (_, A::CopyPrefix) => Some(Transition::Unchanged),
            (E::Active, A::Regenerate) => Some(Transition::Regenerate { status: S::Active }),
            (E::Suspended, A::Regenerate) => Some(Transition::Regenerate {
                status: S::Suspended,
            }),
            (E::Active, A::Suspend) => Some(Transition::ChangeStatus {
                from: S::Active,
                to: S::Suspended,
            }),
            (E::Suspended, A::Activate) => Some(Transition::ChangeStatus {
                from: S::Suspended,
                to: S::Active,
            }),
            (E::Active | E::Suspended | E::Expired, A::Revoke) => Some(Transition::ChangeStatus {
                from: stored,
                to: S::Revoked,
            }),
            (E::Revoked, A::Delete) => Some(Transition::Delete),
            _ => None,
        }
    }

    #[test]
    fn every_status_action_pair_follows_the_table() {
        let mut allowed = 0;
        let mut refused = 0;
        for (stored, expires, effective) in states() {
            for action in TokenAction::ALL {
                let got = transition(stored, expires, NOW, action);
                match expected(stored, effective, action) {
                    Some(want) => {
                        assert_eq!(got, Ok(want), "{stored:?}/{expires:?} {action:?}");
                        allowed += 1;
                    }
                    None => {
                        let err = got.unwrap_err();
                        assert_eq!(err.action, action);
                        assert_eq!(err.status, effective);
                        let message = err.to_string();
                        assert!(
                            message.starts_with("This token")
                                || message.starts_with("Only revoked"),
                            "{message}"
                        );
                        assert!(message.ends_with('.'), "{message}");
                        refused += 1;
                    }
                }
            }
        }
        assert_eq!(allowed + refused, states().len() * TokenAction::ALL.len());
        assert!(allowed > 0 && refused > 0);
    }

    #[test]
    fn allowed_actions_match_the_table() {
        use EffectiveStatus as E;
        use TokenAction as A;
        assert_eq!(
            allowed_actions(E::Active),
            vec![A::CopyPrefix, A::Regenerate, A::Suspend, A::Revoke]
        );
        assert_eq!(
            allowed_actions(E::Suspended),
            vec![A::CopyPrefix, A::Regenerate, A::Activate, A::Revoke]
        );
        assert_eq!(allowed_actions(E::Expired), vec![A::CopyPrefix, A::Revoke]);
        assert_eq!(allowed_actions(E::Revoked), vec![A::CopyPrefix, A::Delete]);
        // And agree with `transition` for every state.
        for (stored, expires, effective) in states() {
            for action in TokenAction::ALL {
                assert_eq!(
                    allowed_actions(effective).contains(&action),
                    transition(stored, expires, NOW, action).is_ok()
                );
            }
        }
    }

    #[test]
    fn refusals_explain_themselves() {
        use TokenAction as A;
        use TokenStatus as S;
        let message = |stored, expires, action| {
            transition(stored, expires, NOW, action)
                .unwrap_err()
                .message()
        };
        assert_eq!(
            message(S::Revoked, None, A::Activate),
            "This token is revoked; revoked tokens cannot be activated."
        );
        assert_eq!(
            message(S::Revoked, None, A::Regenerate),
            "This token is revoked; revoked tokens cannot be regenerated."
        );
        assert_eq!(
            message(S::Revoked, None, A::Revoke),
            "This token is already revoked."
        );
        assert_eq!(
            message(S::Active, None, A::Activate),
            "This token is already active."
        );
        assert_eq!(
            message(S::Suspended, None, A::Suspend),
            "This token is already suspended."
        );
        assert_eq!(
            message(S::Suspended, Some(PAST), A::Activate),
            "This token has expired; expired tokens cannot be activated."
        );
        assert_eq!(
            message(S::Active, Some(PAST), A::Suspend),
            "This token has expired; expired tokens cannot be suspended."
        );
        assert!(message(S::Active, Some(PAST), A::Regenerate).starts_with("This token has expired"));
        assert_eq!(
            message(S::Active, None, A::Delete),
            "Only revoked tokens can be deleted; revoke this token first."
        );
    }

    #[test]
    fn transitions_name_the_status_to_guard_on() {
        use TokenStatus as S;
        assert_eq!(Transition::Unchanged.expected_status(), None);
        assert_eq!(
            Transition::Regenerate {
                status: S::Suspended
            }
            .expected_status(),
            Some(S::Suspended)
        );
        assert_eq!(
            Transition::ChangeStatus {
                from: S::Active,
                to: S::Revoked
            }
            .expected_status(),
            Some(S::Active)
        );
        assert_eq!(Transition::Delete.expected_status(), Some(S::Revoked));
    }

    // --- scope -----------------------------------------------------------------------------

    #[test]
    fn scope_labels() {
        assert_eq!(scope_label(&TokenScope::Account, None, None), "Account");
        let environment = TokenScope::Environment {
            environment_id: "env_1".into(),
        };
        assert_eq!(
            scope_label(&environment, Some("Staging"), None),
            "Environment (Staging)"
        );
        assert_eq!(scope_label(&environment, None, None), "Environment (env_1)");
        let deployment = TokenScope::Deployment {
            agent_id: "agent_1".into(),
            environment_id: "env_2".into(),
        };
        assert_eq!(
            scope_label(&deployment, Some("Production"), Some("Support bot")),
            "Agent deployment (Support bot · Production)"
        );
        assert_eq!(
            scope_label(&deployment, None, None),
            "Agent deployment (agent_1 · env_2)"
        );
    }
}
