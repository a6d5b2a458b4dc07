//! Standard Webhooks signatures (https://www.standardwebhooks.com): a webhook trigger's
//! signing secret is `whsec_<base64 of 32 random bytes>`; a sender signs
//! `<webhook-id>.<webhook-timestamp>.<body>` with HMAC-SHA256 under the decoded secret and
//! sends `webhook-signature: v1,<base64 of the MAC>` — several, space-separated, while it
//! rotates secrets. Pure: no I/O.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::Mac;
use rand::RngCore;
use tessera_wire::webhook_signature::{decode_secret, mac, signature, SECRET_PREFIX as PREFIX};
const SECRET_BYTES: usize = 32;
/// How far a timestamp may be from now, either way.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// A new signing secret, to be shown once and stored sealed.
pub fn new_secret() -> String {
    let mut bytes = [0_u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", STANDARD.encode(bytes))
}

/// The signature a sender holding `secret` puts in `webhook-signature`.
pub fn sign(secret: &str, webhook_id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    signature(&decode_secret(secret)?, webhook_id, timestamp, body)
}

/// The three headers of a signed delivery.
pub struct Signed<'a> {
    pub webhook_id: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
}

/// Why a delivery's signature is refused: said to the sender, never holding a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    #[error("webhook-timestamp must be whole seconds since 1970.")]
    MalformedTimestamp,
    #[error("webhook-timestamp is more than 5 minutes old.")]
    TooOld,
    #[error("webhook-timestamp is more than 5 minutes in the future.")]
    TooNew,
    #[error("webhook-signature must be one or more of v1,<base64>, separated by spaces.")]
    MalformedSignature,
    #[error("No signature matches this trigger's signing secret.")]
    NoMatch,
}

/// Checks a delivery against the trigger's secrets (the current one, and the previous one
/// during a rotation). Each comparison takes the same time whatever the bytes
/// (`Mac::verify_slice`).
pub fn verify(
    secrets: &[&str],
    signed: &Signed<'_>,
    body: &[u8],
    now_secs: i64,
) -> Result<(), SignatureProblem> {
    let timestamp: i64 = signed
        .timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureProblem::MalformedTimestamp)?;
    if timestamp < now_secs - TOLERANCE_SECS {
        return Err(SignatureProblem::TooOld);
    }
    if timestamp > now_secs + TOLERANCE_SECS {
        return Err(SignatureProblem::TooNew);
    }
    let mut candidates = Vec::new();
    for part in signed.signature.split(' ').filter(|part| !part.is_empty()) {
        let (version, encoded) = part
            .split_once(',')
            .ok_or(SignatureProblem::MalformedSignature)?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| SignatureProblem::MalformedSignature)?;
        // Other versions (a future scheme) are skipped, not refused.
        if version == "v1" {
            candidates.push(bytes);
        }
    }
    if candidates.is_empty() {
        return Err(SignatureProblem::MalformedSignature);
    }
    for secret in secrets {
        for candidate in &candidates {
            let Some(mac) =
                decode_secret(secret).and_then(|key| mac(&key, signed.webhook_id, timestamp, body))
            else {
                continue;
            };
            if mac.verify_slice(candidate).is_ok() {
                return Ok(());
            }
        }
    }
    Err(SignatureProblem::NoMatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn signed<'a>(signature: &'a str, timestamp: &'a str) -> Signed<'a> {
        Signed {
            webhook_id: "msg_1",
            timestamp,
            signature,
        }
    }

    #[test]
    fn secrets_are_prefixed_32_random_bytes() {
        let secret = new_secret();
        let bytes = STANDARD
            .decode(secret.strip_prefix("whsec_").unwrap())
            .unwrap();
        assert_eq!(bytes.len(), 32);
        assert_ne!(secret, new_secret());
    }

    #[test]
    fn a_valid_signature_passes_and_any_change_fails() {
        let secret = new_secret();
        let body = br#"{"a":1}"#;
        let good = sign(&secret, "msg_1", NOW, body).unwrap();
        let now = NOW.to_string();
        assert_eq!(verify(&[&secret], &signed(&good, &now), body, NOW), Ok(()));
        // Tampered body, another id, another secret.
        assert_eq!(
            verify(&[&secret], &signed(&good, &now), br#"{"a":2}"#, NOW),
            Err(SignatureProblem::NoMatch)
        );
        let other_id = Signed {
            webhook_id: "msg_2",
            ..signed(&good, &now)
        };
        assert_eq!(
            verify(&[&secret], &other_id, body, NOW),
            Err(SignatureProblem::NoMatch)
        );
        assert_eq!(
            verify(&[&new_secret()], &signed(&good, &now), body, NOW),
            Err(SignatureProblem::NoMatch)
        );
    }

    #[test]
    fn timestamps_outside_five_minutes_are_refused() {
        let secret = new_secret();
        for (offset, expected) in [
            (-301, Err(SignatureProblem::TooOld)),
            (-300, Ok(())),
            (300, Ok(())),
            (301, Err(SignatureProblem::TooNew)),
        ] {
            let at = NOW + offset;
            let signature = sign(&secret, "msg_1", at, b"x").unwrap();
            let result = verify(&[&secret], &signed(&signature, &at.to_string()), b"x", NOW);
            assert_eq!(result, expected, "offset {offset}");
        }
        let signature = sign(&secret, "msg_1", NOW, b"x").unwrap();
        assert_eq!(
            verify(&[&secret], &signed(&signature, "soon"), b"x", NOW),
            Err(SignatureProblem::MalformedTimestamp)
        );
    }

    #[test]
    fn malformed_headers_are_refused_and_rotation_accepts_either_secret() {
        let now = NOW.to_string();
        for header in ["", "v1", "v1,not base64!", "sha256=abc", "v2,AAAA"] {
            assert_eq!(
                verify(&[&new_secret()], &signed(header, &now), b"x", NOW),
                Err(SignatureProblem::MalformedSignature),
                "{header:?}"
            );
        }
        let old = new_secret();
        let new = new_secret();
        let by_old = sign(&old, "msg_1", NOW, b"x").unwrap();
        let by_new = sign(&new, "msg_1", NOW, b"x").unwrap();
        // The receiver holds both during a rotation; the sender may sign with either or both.
        assert_eq!(
            verify(&[&new, &old], &signed(&by_old, &now), b"x", NOW),
            Ok(())
        );
        let both = format!("{by_old} {by_new}");
        assert_eq!(verify(&[&new], &signed(&both, &now), b"x", NOW), Ok(()));
        assert_eq!(
            verify(&[&new], &signed(&by_old, &now), b"x", NOW),
            Err(SignatureProblem::NoMatch),
            "after the rotation window only the new secret counts"
        );
    }
}
