//! Hashing for secrets people and programs present: argon2id (with the server key as pepper)
//! for passwords and token secrets, SHA-256 for high-entropy random codes (session ids, invite
//! codes), and the random codes themselves.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::error::AppError;
use crate::state::SecretKey;

/// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;
const ARGON2_LANES: u32 = 1;

/// argon2id hashing and verification on the blocking pool, peppered with the server key.
#[derive(Clone)]
pub struct SecretHasher {
    pepper: SecretKey,
    /// A hash of nothing in particular, verified when there is no real hash to check, so that
    /// "no such user" costs the same time as "wrong password".
    decoy_hash: Arc<OnceCell<String>>,
}

impl SecretHasher {
    pub fn new(pepper: SecretKey) -> Self {
        SecretHasher {
            pepper,
            decoy_hash: Arc::new(OnceCell::new()),
        }
    }

    pub async fn hash(&self, secret: String) -> Result<String, AppError> {
        let pepper = self.pepper.clone();
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            let hash = argon2(&pepper)?
                .hash_password(secret.as_bytes(), &salt)
                .map_err(|error| {
                    tracing::error!(%error, "argon2 hashing failed");
                    AppError::Internal
                })?;
            Ok(hash.to_string())
        })
        .await?
    }

    /// True when `secret` matches `phc`. With no hash, verifies against a decoy and says no.
    pub async fn verify(&self, secret: String, phc: Option<String>) -> Result<bool, AppError> {
        let (phc, real) = match phc {
            Some(phc) => (phc, true),
            None => (self.decoy().await?, false),
        };
        let pepper = self.pepper.clone();
        let matches = tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&phc).map_err(|error| {
                tracing::error!(%error, "stored argon2 hash is malformed");
                AppError::Internal
            })?;
            Ok::<_, AppError>(
                argon2(&pepper)?
                    .verify_password(secret.as_bytes(), &parsed)
                    .is_ok(),
            )
        })
        .await??;
        Ok(real && matches)
    }

    async fn decoy(&self) -> Result<String, AppError> {
        self.decoy_hash
            .get_or_try_init(|| self.hash(random_code(16)))
            .await
            .cloned()
    }
}

fn argon2(pepper: &SecretKey) -> Result<Argon2<'_>, AppError> {
    let params =
        Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None).map_err(|error| {
            tracing::error!(%error, "argon2 parameters rejected");
            AppError::Internal
        })?;
    Argon2::new_with_secret(pepper.expose(), Algorithm::Argon2id, Version::V0x13, params).map_err(
        |error| {
            tracing::error!(%error, "argon2 pepper rejected");
            AppError::Internal
        },
    )
}

/// `bytes` random bytes from the OS, base64url without padding.
pub fn random_code(bytes: usize) -> String {
    let mut buffer = vec![0_u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// SHA-256 as hex. Only for values with ≥128 bits of entropy: it is not a password hash.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> SecretHasher {
        SecretHasher::new(SecretKey::new(vec![7; 32]))
    }

    #[tokio::test]
    async fn hashes_verify_only_their_secret_and_only_with_their_pepper() {
        let phc = hasher().hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        assert!(hasher()
            .verify("correct horse battery".into(), Some(phc.clone()))
            .await
            .unwrap());
        assert!(!hasher()
            .verify("correct horse battery!".into(), Some(phc.clone()))
            .await
            .unwrap());
        let other_pepper = SecretHasher::new(SecretKey::new(vec![8; 32]));
        assert!(!other_pepper
            .verify("correct horse battery".into(), Some(phc))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn a_missing_hash_never_verifies() {
        assert!(!hasher().verify(String::new(), None).await.unwrap());
    }

    #[test]
    fn random_codes_are_long_and_distinct() {
        let a = random_code(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_code(32));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
