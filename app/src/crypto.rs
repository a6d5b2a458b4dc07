//! Hashing for secrets people and programs present: argon2id (with the server key as pepper)
//! for passwords and token secrets, SHA-256 for high-entropy random codes (session ids, invite
//! codes), and the random codes themselves.

pub mod pool;
pub mod sealing;

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;

pub use self::pool::{Argon2Pool, Argon2Stats};

/// The server secret: argon2's pepper and the key for other server-side MACs.
/// Deliberately not `Debug`/`Serialize`, so it cannot end up in a log or a response.
#[derive(Clone)]
pub struct SecretKey(Arc<[u8]>);

impl SecretKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretKey(bytes.into())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;
const ARGON2_LANES: u32 = 1;

/// argon2id hashing and verification, peppered with the server key. Every argon2 of the
/// process goes through one [`Argon2Pool`]: at most its bound run at once, on reused memory.
#[derive(Clone)]
pub struct SecretHasher {
    pepper: SecretKey,
    pool: Arc<Argon2Pool>,
    /// Salt of the decoy computed when there is no real hash to check, so that "no such
    /// user" costs the same time as "wrong password".
    decoy_salt: [u8; 16],
}

impl SecretHasher {
    /// A hasher allowing [`pool::default_bound`] argon2 computations at once.
    pub fn new(pepper: SecretKey) -> Self {
        Self::with_bound(pepper, pool::default_bound())
    }

    /// A hasher allowing `bound` argon2 computations (and `bound × 19 MiB`) at once.
    pub fn with_bound(pepper: SecretKey, bound: usize) -> Self {
        let mut decoy_salt = [0_u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut decoy_salt);
        SecretHasher {
            pepper,
            pool: Arc::new(Argon2Pool::new(bound)),
            decoy_salt,
        }
    }

    /// The same pepper with a pool of its own of `bound` turns.
    pub fn rebound(&self, bound: usize) -> Self {
        Self::with_bound(self.pepper.clone(), bound)
    }

    pub fn stats(&self) -> Argon2Stats {
        self.pool.stats()
    }

    /// Starts a new peak-concurrency measurement.
    pub fn reset_peak(&self) {
        self.pool.reset_peak();
    }

    /// Waits for a turn at argon2. Callers that must know when argon2 starts (to keep a failure
    /// reserved for an attempt that did run) wait here, then hash or verify with the turn.
    pub async fn turn(&self) -> Result<Argon2Turn, AppError> {
        Ok(Argon2Turn {
            slot: self.pool.turn().await?,
            pepper: self.pepper.clone(),
            decoy_salt: self.decoy_salt,
        })
    }

    pub async fn hash(&self, secret: String) -> Result<String, AppError> {
        self.turn().await?.hash(secret).await
    }

    /// True when `secret` matches `phc`. With no hash, computes a decoy and says no.
    pub async fn verify(&self, secret: String, phc: Option<String>) -> Result<bool, AppError> {
        self.turn().await?.verify(secret, phc).await
    }
}

/// A turn at argon2, taken from the process's pool: spent by one hash or one verification.
pub struct Argon2Turn {
    slot: pool::Argon2Slot,
    pepper: SecretKey,
    decoy_salt: [u8; 16],
}

impl Argon2Turn {
    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `secret` with a new salt.
    pub async fn hash(self, secret: String) -> Result<String, AppError> {
        let params = standard_params()?;
        let pepper = self.pepper;
        self.slot
            .run(params.block_count(), move |blocks| {
                let salt = SaltString::generate(&mut OsRng);
                let mut salt_bytes = [0_u8; 64];
                let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(internal)?;
                let mut out = [0_u8; Params::DEFAULT_OUTPUT_LEN];
                argon2(&pepper, Algorithm::Argon2id, Version::V0x13, params.clone())?
                    .hash_password_into_with_memory(secret.as_bytes(), salt_bytes, &mut out, blocks)
                    .map_err(internal)?;
                let phc = PasswordHash {
                    algorithm: Algorithm::Argon2id.ident(),
                    version: Some(Version::V0x13.into()),
                    params: ParamsString::try_from(&params).map_err(internal)?,
                    salt: Some(salt.as_salt()),
                    hash: Some(Output::new(&out).map_err(internal)?),
                };
                Ok(phc.to_string())
            })
            .await?
    }

    /// True when `secret` matches `phc`: argon2 recomputed with the hash's own algorithm,
    /// version, parameters and salt, compared in constant time. With no hash, computes a decoy
    /// and says no.
    pub async fn verify(self, secret: String, phc: Option<String>) -> Result<bool, AppError> {
        let pepper = self.pepper;
        let decoy_salt = self.decoy_salt;
        let Some(phc) = phc else {
            let params = standard_params()?;
            return self
                .slot
                .run(params.block_count(), move |blocks| {
                    let mut out = [0_u8; Params::DEFAULT_OUTPUT_LEN];
                    argon2(&pepper, Algorithm::Argon2id, Version::V0x13, params)?
                        .hash_password_into_with_memory(
                            secret.as_bytes(),
                            &decoy_salt,
                            &mut out,
                            blocks,
                        )
                        .map_err(internal)?;
                    Ok(false)
                })
                .await?;
        };
        let blocks = {
            let parsed = parse_phc(&phc)?;
            Params::try_from(&parsed).map_err(malformed)?.block_count()
        };
        self.slot
            .run(blocks, move |memory| {
                let parsed = parse_phc(&phc)?;
                let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
                    return Err(malformed("no salt or no hash"));
                };
                let algorithm = Algorithm::try_from(parsed.algorithm).map_err(malformed)?;
                let version = parsed
                    .version
                    .map(Version::try_from)
                    .transpose()
                    .map_err(malformed)?
                    .unwrap_or_default();
                let params = Params::try_from(&parsed).map_err(malformed)?;
                let mut salt_bytes = [0_u8; 64];
                let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(malformed)?;
                let mut out = vec![0_u8; expected.len()];
                argon2(&pepper, algorithm, version, params)?
                    .hash_password_into_with_memory(secret.as_bytes(), salt_bytes, &mut out, memory)
                    .map_err(internal)?;
                // `Output`'s equality is constant-time.
                Ok(Output::new(&out).map_err(internal)? == expected)
            })
            .await?
    }
}

fn parse_phc(phc: &str) -> Result<PasswordHash<'_>, AppError> {
    PasswordHash::new(phc).map_err(malformed)
}

fn standard_params() -> Result<Params, AppError> {
    Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None).map_err(|error| {
        tracing::error!(%error, "argon2 parameters rejected");
        AppError::Internal
    })
}

fn argon2(
    pepper: &SecretKey,
    algorithm: Algorithm,
    version: Version,
    params: Params,
) -> Result<Argon2<'_>, AppError> {
    Argon2::new_with_secret(pepper.expose(), algorithm, version, params).map_err(|error| {
        tracing::error!(%error, "argon2 pepper rejected");
        AppError::Internal
    })
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "argon2 failed");
    AppError::Internal
}

fn malformed(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "stored argon2 hash is malformed");
    AppError::Internal
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

    /// Hashes stored before the pool (made by the argon2 crate's own `PasswordHasher`) still
    /// verify, and the crate's verifier accepts what the pool makes.
    #[tokio::test]
    async fn hashes_stay_compatible_with_the_argon2_crates_phc_strings() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let pepper = SecretKey::new(vec![7; 32]);
        let params = standard_params().unwrap();
        let reference =
            Argon2::new_with_secret(pepper.expose(), Algorithm::Argon2id, Version::V0x13, params)
                .unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let stored = reference
            .hash_password(b"an older password", &salt)
            .unwrap()
            .to_string();
        assert!(hasher()
            .verify("an older password".into(), Some(stored.clone()))
            .await
            .unwrap());
        assert!(!hasher()
            .verify("an older passwore".into(), Some(stored))
            .await
            .unwrap());

        let ours = hasher().hash("a newer password".into()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(reference
            .verify_password(b"a newer password", &parsed)
            .is_ok());
        assert!(reference
            .verify_password(b"a newer passwore", &parsed)
            .is_err());
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_is_an_internal_error_not_a_match() {
        let result = hasher()
            .verify("x".into(), Some("$argon2id$v=19$garbage".into()))
            .await;
        assert!(matches!(result, Err(AppError::Internal)), "{result:?}");
    }

    #[tokio::test]
    async fn every_hash_and_verify_takes_a_turn_of_the_one_pool() {
        let hasher = SecretHasher::with_bound(SecretKey::new(vec![7; 32]), 1);
        let phc = hasher.hash("p".repeat(12)).await.unwrap();
        assert!(hasher.verify("p".repeat(12), Some(phc)).await.unwrap());
        assert!(!hasher.verify("p".repeat(12), None).await.unwrap());
        let stats = hasher.stats();
        assert_eq!((stats.completed, stats.peak, stats.buffers), (3, 1, 1));
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
