//! Secrets kept at rest (integration API keys, secret headers): sealed with
//! XChaCha20-Poly1305 under a key derived from the server secret with HKDF-SHA256, bound by
//! associated data to where the value belongs (workspace, integration, field), so a
//! ciphertext copied to another row, field or workspace does not open.
//!
//! The stored form names its version and key: `v1.<key id>.<base64url(nonce ‖ ciphertext)>`.
//! The key id is a short fingerprint of the derived key, so after the server secret changes
//! (`TESSERA_SECRET_KEY_PREVIOUS` holding the old one) values sealed under the old key still
//! open, and are reported as due for resealing under the new one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::SecretKey;

const VERSION: &str = "v1";
/// HKDF's `info`: keys for other purposes derived from the same secret differ.
const PURPOSE: &[u8] = b"tessera/sealed-secrets/v1";
const NONCE_BYTES: usize = 24;

/// A secret in the clear, held only where it is used. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Plaintext(String);

impl Plaintext {
    pub fn new(value: String) -> Self {
        Plaintext(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Plaintext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Plaintext(***)")
    }
}

/// Where a sealed value belongs; a value opens only in the same place.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub workspace_id: &'a str,
    pub owner_id: &'a str,
    pub field: &'a str,
}

impl Binding<'_> {
    fn associated_data(&self) -> Vec<u8> {
        // Lengths first, so no two different bindings give the same bytes.
        let mut data = Vec::new();
        for part in [self.workspace_id, self.owner_id, self.field] {
            data.extend_from_slice(&(part.len() as u32).to_be_bytes());
            data.extend_from_slice(part.as_bytes());
        }
        data
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the stored value is not in a form this server knows")]
    Malformed,
    #[error("the stored value was sealed under a key this server does not have")]
    UnknownKey,
    #[error("the stored value does not open here (moved, altered, or sealed elsewhere)")]
    DoesNotOpen,
}

struct DerivedKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl DerivedKey {
    fn from_secret(secret: &SecretKey) -> DerivedKey {
        let mut key = [0_u8; 32];
        Hkdf::<Sha256>::new(None, secret.expose())
            .expand(PURPOSE, &mut key)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        let id = hex::encode(&Sha256::digest(key)[..4]);
        DerivedKey {
            id,
            cipher: XChaCha20Poly1305::new((&key).into()),
        }
    }
}

/// Seals with the current key; opens with the current or the previous one.
#[derive(Clone)]
pub struct Sealer {
    keys: std::sync::Arc<(DerivedKey, Option<DerivedKey>)>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(***)")
    }
}

/// An opened value, and whether it should be sealed again under the current key.
#[derive(Debug)]
pub struct Opened {
    pub value: Plaintext,
    pub stale_key: bool,
}

impl Sealer {
    pub fn new(current: &SecretKey, previous: Option<&SecretKey>) -> Sealer {
        Sealer {
            keys: std::sync::Arc::new((
                DerivedKey::from_secret(current),
                previous.map(DerivedKey::from_secret),
            )),
        }
    }

    pub fn seal(&self, value: &Plaintext, binding: Binding<'_>) -> String {
        let key = &self.keys.0;
        let mut nonce = [0_u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = binding.associated_data();
        let sealed = key
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: value.expose().as_bytes(),
                    aad: &aad,
                },
            )
            .unwrap_or_else(|_| unreachable!("XChaCha20-Poly1305 seals any length we store"));
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{VERSION}.{}.{}", key.id, URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn open(&self, stored: &str, binding: Binding<'_>) -> Result<Opened, SealError> {
        let mut parts = stored.splitn(3, '.');
        let (Some(VERSION), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SealError::Malformed);
        };
        let (current, previous) = &*self.keys;
        let (key, stale_key) = if key_id == current.id {
            (current, false)
        } else {
            match previous {
                Some(previous) if previous.id == key_id => (previous, true),
                _ => return Err(SealError::UnknownKey),
            }
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Malformed)?;
        if bytes.len() < NONCE_BYTES {
            return Err(SealError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let aad = binding.associated_data();
        let opened = key
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::DoesNotOpen)?;
        let value = String::from_utf8(opened).map_err(|_| SealError::DoesNotOpen)?;
        Ok(Opened {
            value: Plaintext::new(value),
            stale_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretKey {
        SecretKey::new(vec![byte; 32])
    }

    const HERE: Binding<'static> = Binding {
        workspace_id: "w1",
        owner_id: "i1",
        field: "api_key",
    };

    #[test]
    fn a_sealed_value_opens_where_it_belongs_and_nowhere_else() {
        let sealer = Sealer::new(&key(1), None);
        let secret = Plaintext::new("sk-live-123".into());
        let stored = sealer.seal(&secret, HERE);
        assert!(!stored.contains("sk-live"), "{stored}");
        assert_ne!(stored, sealer.seal(&secret, HERE), "fresh nonce each time");
        let opened = sealer.open(&stored, HERE).expect("opens");
        assert_eq!(opened.value, secret);
        assert!(!opened.stale_key);
        for elsewhere in [
            Binding {
                workspace_id: "w2",
                ..HERE
            },
            Binding {
                owner_id: "i2",
                ..HERE
            },
            Binding {
                field: "other",
                ..HERE
            },
        ] {
            assert_eq!(
                sealer.open(&stored, elsewhere).err(),
                Some(SealError::DoesNotOpen)
            );
        }
        // Ambiguous concatenations are different bindings.
        let shifted = Binding {
            workspace_id: "w",
            owner_id: "1i1",
            ..HERE
        };
        assert_eq!(
            sealer.open(&stored, shifted).err(),
            Some(SealError::DoesNotOpen)
        );
    }

    #[test]
    fn altered_or_foreign_values_are_refused() {
        let sealer = Sealer::new(&key(1), None);
        let stored = sealer.seal(&Plaintext::new("x".into()), HERE);
        // One bit of the ciphertext flipped (re-encoded, so the text stays well-formed).
        let (head, body) = stored.rsplit_once('.').expect("three parts");
        let mut bytes = URL_SAFE_NO_PAD.decode(body).expect("base64url");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("{head}.{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(
            sealer.open(&altered, HERE).err(),
            Some(SealError::DoesNotOpen)
        );
        assert_eq!(
            sealer.open("plain text", HERE).err(),
            Some(SealError::Malformed)
        );
        assert_eq!(
            sealer.open("v1.abcd.@@@", HERE).err(),
            Some(SealError::UnknownKey)
        );
        let other = Sealer::new(&key(2), None);
        assert_eq!(other.open(&stored, HERE).err(), Some(SealError::UnknownKey));
    }

    #[test]
    fn the_previous_key_still_opens_and_asks_for_resealing() {
        let old = Sealer::new(&key(1), None);
        let stored = old.seal(&Plaintext::new("kept".into()), HERE);
        let rotated = Sealer::new(&key(2), Some(&key(1)));
        let opened = rotated
            .open(&stored, HERE)
            .expect("opens with the previous key");
        assert_eq!(opened.value.expose(), "kept");
        assert!(opened.stale_key);
        let resealed = rotated.seal(&opened.value, HERE);
        assert!(!rotated.open(&resealed, HERE).expect("opens").stale_key);
        assert_eq!(format!("{:?}", opened.value), "Plaintext(***)");
    }
}
