//! Configuration from environment variables, with safe defaults (documented in README.md).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use app::bearer::BearerSettings;
use app::blobs::BlobSettings;
use app::client_addr::TrustedProxies;
use app::crypto::SecretKey;
use app::egress::EgressAllow;
use app::jobs::handle::JobSettings;
use app::storage::model::StorageLimits;
use rand::RngCore;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tessera.db";
const SECRET_KEY_FILE: &str = "secret.key";
const SECRET_KEY_MIN_BYTES: usize = 32;

#[derive(Clone)]
pub struct Config {
    /// `TESSERA_ADDR`: where the server listens.
    pub listen_addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://…` (embedded) or `postgres://…` (shared).
    pub database_url: String,
    /// `TESSERA_DB_MAX_CONNECTIONS`: pool size.
    pub db_max_connections: u32,
    /// `TESSERA_DATA_DIR`: where a generated secret key is kept.
    pub data_dir: PathBuf,
    /// `TESSERA_SECRET_KEY`: hex, at least 32 bytes. Generated into the data folder if absent.
    pub secret_key: Option<SecretKey>,
    /// `TESSERA_SECRET_KEY_PREVIOUS`: the server secret before a rotation (hex). Integration
    /// secrets sealed under it still open, and are resealed under the current key at start.
    pub previous_secret_key: Option<SecretKey>,
    /// `TESSERA_EGRESS_ALLOW`: non-public addresses and networks outbound requests may reach
    /// anyway (`127.0.0.1, 10.0.0.0/8`); none by default.
    pub egress_allow: EgressAllow,
    /// `TESSERA_ASSISTANT_STREAMS`: answers one caller may have streaming at once (4).
    pub assistant_streams: usize,
    /// `TESSERA_ASSISTANT_MODEL_TIMEOUT_SECS`: how long the assistant waits for its model's
    /// first word, and then for each further piece, before answering without it (15).
    pub assistant_model_timeout: std::time::Duration,
    /// `RUST_LOG`: a tracing filter.
    pub log_filter: String,
    /// `TESSERA_LOG_FORMAT`: `text` or `json`.
    pub log_json: bool,
    /// `LEPTOS_SITE_ROOT`: the folder cargo-leptos built the browser assets into.
    pub site_root: String,
    /// Whether the bundle's file names carry content hashes: cargo-leptos left its hash file
    /// next to this binary (a release build does; see `assets`).
    pub hash_files: bool,
    /// `TESSERA_SECURE_COOKIES`: mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Bearer-token tunables; `TESSERA_USAGE_FLUSH_SECS` sets how often usage is written.
    pub bearer: BearerSettings,
    /// `TESSERA_TRUSTED_PROXIES`: addresses and networks whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
    /// `TESSERA_ARGON2_CONCURRENCY`: argon2 computations at once in this process (default: one
    /// per core); argon2 holds at most this × 19 MiB.
    pub argon2_concurrency: usize,
    /// `TESSERA_DRAIN_SECS`: how long a graceful shutdown waits for requests in flight before
    /// it stops anyway (the final usage flush still runs).
    pub drain_deadline: std::time::Duration,
    /// `TESSERA_HEADER_TIMEOUT_SECS`: how long a client may take to send its request headers.
    pub header_read_timeout: std::time::Duration,
    /// `TESSERA_REQUEST_TIMEOUT_SECS`: how long a request, body included, may take to arrive
    /// and be answered.
    pub request_timeout: std::time::Duration,
    /// `TESSERA_UPLOAD_TIMEOUT_SECS`: the same for a file upload, whose body may be large.
    pub upload_timeout: std::time::Duration,
    /// Where uploaded files go: `TESSERA_S3_BUCKET` (with `TESSERA_S3_ENDPOINT`,
    /// `TESSERA_S3_REGION` and the `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` pair) for an
    /// S3-compatible bucket, else the folder `TESSERA_BLOB_DIR`; `None`: `blobs/` in the data
    /// folder.
    pub blobs: Option<BlobSettings>,
    /// `TESSERA_MAX_UPLOAD_BYTES` (25 MiB) and `TESSERA_STORAGE_QUOTA_BYTES` (1 GiB).
    pub storage_limits: StorageLimits,
    /// `TESSERA_WORKERS`: background job loops in this instance (2; 0 runs none);
    /// `TESSERA_STEP_TIMEOUT_SECS` (60) and `TESSERA_EXECUTION_TIMEOUT_SECS` (300): an
    /// execution's time limits, per step and per attempt.
    pub jobs: JobSettings,
}

impl Config {
    /// Where blobs go, the data folder's `blobs/` unless configured.
    pub fn blob_settings(&self) -> BlobSettings {
        self.blobs
            .clone()
            .unwrap_or_else(|| BlobSettings::Folder(self.data_dir.join("blobs")))
    }

    /// How long the server waits on clients (`listen`).
    pub fn patience(&self) -> crate::listen::Patience {
        crate::listen::Patience {
            header_read_timeout: self.header_read_timeout,
            request_timeout: self.request_timeout,
            upload_timeout: self.upload_timeout,
            drain_deadline: self.drain_deadline,
        }
    }
}

// Hand-written: `DATABASE_URL` may carry a password, and the secret key must never show.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen_addr", &self.listen_addr)
            .field("database_url", &redact_password(&self.database_url))
            .field("db_max_connections", &self.db_max_connections)
            .field("data_dir", &self.data_dir)
            .field("secret_key", &self.secret_key)
            .field("previous_secret_key", &self.previous_secret_key)
            .field("egress_allow", &self.egress_allow)
            .field("log_filter", &self.log_filter)
            .field("log_json", &self.log_json)
            .field("site_root", &self.site_root)
            .field("hash_files", &self.hash_files)
            .field("secure_cookies", &self.secure_cookies)
            .field("bearer", &self.bearer)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("argon2_concurrency", &self.argon2_concurrency)
            .field("drain_deadline", &self.drain_deadline)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("blobs", &self.blobs)
            .field("storage_limits", &self.storage_limits)
            .field("jobs", &self.jobs)
            .finish()
    }
}

/// The setting `name` as a number within `range`, if it is set.
fn number_in<T>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<T>,
) -> Result<Option<T>, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    lookup(name)
        .map(|text| {
            text.trim()
                .parse::<T>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    invalid(
                        name,
                        format!("expected {} to {}", range.start(), range.end()),
                    )
                })
        })
        .transpose()
}

/// A connection URL with the password of its user info, if any, replaced by `***`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("cannot read or write the secret key at {path}: {source}")]
    SecretKeyFile {
        path: String,
        source: std::io::Error,
    },
}

fn invalid(name: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        reason: reason.into(),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads every setting through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let listen_addr = lookup("TESSERA_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| invalid("TESSERA_ADDR", format!("{e} (expected host:port)")))?;
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if app::db::Engine::from_url(&database_url).is_none() {
            return Err(invalid(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ));
        }
        let db_max_connections =
            number_in(&lookup, "TESSERA_DB_MAX_CONNECTIONS", 1..=1000)?.unwrap_or(10);
        let secret_key = lookup("TESSERA_SECRET_KEY")
            .map(|hex| parse_secret_key(&hex, "TESSERA_SECRET_KEY"))
            .transpose()?;
        let previous_secret_key = lookup("TESSERA_SECRET_KEY_PREVIOUS")
            .map(|hex| parse_secret_key(&hex, "TESSERA_SECRET_KEY_PREVIOUS"))
            .transpose()?;
        let egress_allow = lookup("TESSERA_EGRESS_ALLOW")
            .unwrap_or_default()
            .parse()
            .map_err(|reason| invalid("TESSERA_EGRESS_ALLOW", reason))?;
        let assistant_streams =
            number_in(&lookup, "TESSERA_ASSISTANT_STREAMS", 1..=100)?.unwrap_or(4);
        let assistant_model_timeout = std::time::Duration::from_secs(
            number_in(&lookup, "TESSERA_ASSISTANT_MODEL_TIMEOUT_SECS", 1..=300)?.unwrap_or(15),
        );
        let log_json = match lookup("TESSERA_LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(_) => return Err(invalid("TESSERA_LOG_FORMAT", "expected text or json")),
        };
        let secure_cookies = match lookup("TESSERA_SECURE_COOKIES").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(_) => return Err(invalid("TESSERA_SECURE_COOKIES", "expected true or false")),
        };
        let mut bearer = BearerSettings::default();
        if let Some(secs) = number_in(&lookup, "TESSERA_USAGE_FLUSH_SECS", 1..=3600)? {
            bearer.usage_flush_every = std::time::Duration::from_secs(secs);
        }
        let argon2_concurrency = number_in(&lookup, "TESSERA_ARGON2_CONCURRENCY", 1..=256)?
            .unwrap_or_else(app::crypto::pool::default_bound);
        let drain_deadline = std::time::Duration::from_secs(
            number_in(&lookup, "TESSERA_DRAIN_SECS", 1..=600)?.unwrap_or(10),
        );
        let header_read_timeout = std::time::Duration::from_secs(
            number_in(&lookup, "TESSERA_HEADER_TIMEOUT_SECS", 1..=300)?.unwrap_or(10),
        );
        let request_timeout = std::time::Duration::from_secs(
            number_in(&lookup, "TESSERA_REQUEST_TIMEOUT_SECS", 1..=600)?.unwrap_or(30),
        );
        let upload_timeout = std::time::Duration::from_secs(
            number_in(&lookup, "TESSERA_UPLOAD_TIMEOUT_SECS", 1..=3600)?.unwrap_or(600),
        );
        let mut storage_limits = StorageLimits::default();
        if let Some(bytes) = number_in(&lookup, "TESSERA_MAX_UPLOAD_BYTES", 1..=(1 << 40))? {
            storage_limits.max_upload_bytes = bytes;
        }
        if let Some(bytes) = number_in(&lookup, "TESSERA_STORAGE_QUOTA_BYTES", 1..=(1 << 50))? {
            storage_limits.quota_bytes = bytes;
        }
        let mut jobs = JobSettings::default();
        if let Some(workers) = number_in(&lookup, "TESSERA_WORKERS", 0..=64)? {
            jobs.workers = workers;
        }
        if let Some(secs) = number_in(&lookup, "TESSERA_STEP_TIMEOUT_SECS", 1..=3_600)? {
            jobs.step_timeout = std::time::Duration::from_secs(secs);
        }
        if let Some(secs) = number_in(&lookup, "TESSERA_EXECUTION_TIMEOUT_SECS", 1..=86_400)? {
            jobs.execution_timeout = std::time::Duration::from_secs(secs);
        }
        let blobs = match (lookup("TESSERA_S3_BUCKET"), lookup("TESSERA_BLOB_DIR")) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "TESSERA_S3_BUCKET",
                    "set either it or TESSERA_BLOB_DIR, not both",
                ))
            }
            (Some(bucket), None) => Some(BlobSettings::S3 {
                bucket,
                endpoint: lookup("TESSERA_S3_ENDPOINT"),
                region: lookup("TESSERA_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            }),
            (None, Some(dir)) => Some(BlobSettings::Folder(dir.into())),
            (None, None) => None,
        };
        let trusted_proxies = lookup("TESSERA_TRUSTED_PROXIES")
            .unwrap_or_default()
            .parse()
            .map_err(|reason| invalid("TESSERA_TRUSTED_PROXIES", reason))?;
        Ok(Config {
            bearer,
            argon2_concurrency,
            drain_deadline,
            header_read_timeout,
            request_timeout,
            upload_timeout,
            blobs,
            storage_limits,
            jobs,
            trusted_proxies,
            listen_addr,
            database_url,
            db_max_connections,
            data_dir: lookup("TESSERA_DATA_DIR")
                .unwrap_or_else(|| "data".into())
                .into(),
            secret_key,
            previous_secret_key,
            egress_allow,
            assistant_streams,
            assistant_model_timeout,
            log_filter: lookup("RUST_LOG").unwrap_or_else(|| "info".into()),
            log_json,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            hash_files: crate::assets::bundle_is_hashed(),
            secure_cookies,
        })
    }

    /// The configured key, or the one kept in the data folder (created on first start).
    pub fn resolve_secret_key(&self) -> Result<SecretKey, ConfigError> {
        match &self.secret_key {
            Some(key) => Ok(key.clone()),
            None => load_or_create_secret_key(&self.data_dir),
        }
    }
}

fn parse_secret_key(text: &str, setting: &'static str) -> Result<SecretKey, ConfigError> {
    // The reason never quotes the value: it is a secret.
    let bytes = hex::decode(text.trim())
        .map_err(|_| invalid(setting, "expected hexadecimal characters"))?;
    if bytes.len() < SECRET_KEY_MIN_BYTES {
        return Err(invalid(
            setting,
            format!(
                "expected at least {SECRET_KEY_MIN_BYTES} bytes ({} hex characters)",
                SECRET_KEY_MIN_BYTES * 2
            ),
        ));
    }
    Ok(SecretKey::new(bytes))
}

fn load_or_create_secret_key(data_dir: &Path) -> Result<SecretKey, ConfigError> {
    let path = data_dir.join(SECRET_KEY_FILE);
    let file_error = |source| ConfigError::SecretKeyFile {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => return parse_secret_key(&text, "TESSERA_SECRET_KEY"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(file_error(e)),
    }
    std::fs::create_dir_all(data_dir).map_err(file_error)?;
    let mut bytes = vec![0_u8; SECRET_KEY_MIN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    write_private_file(&path, hex::encode(&bytes).as_bytes()).map_err(file_error)?;
    tracing::info!(path = %path.display(), "generated a new server secret key");
    Ok(SecretKey::new(bytes))
}

/// Creates `path` readable and writable by its owner only; refuses to overwrite.
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn debug_never_shows_the_database_password() {
        assert_eq!(
            redact_password("postgres://app:s3cr%40t@db.internal:5432/tessera?sslmode=require"),
            "postgres://app:***@db.internal:5432/tessera?sslmode=require"
        );
        assert_eq!(
            redact_password("postgres://app@db/x"),
            "postgres://app@db/x"
        );
        assert_eq!(
            redact_password("sqlite://data/tessera.db"),
            "sqlite://data/tessera.db"
        );
        let config = Config::from_lookup(|name| {
            (name == "DATABASE_URL").then(|| "postgres://app:hunter2@db/tessera".to_owned())
        })
        .unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("postgres://app:***@db/tessera"), "{debug}");
    }

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_are_local_and_embedded() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.db_max_connections, 10);
        assert!(c.secret_key.is_none());
        assert!(!c.secure_cookies);
        assert_eq!(c.argon2_concurrency, app::crypto::pool::default_bound());
        assert_eq!(
            config(&[("TESSERA_ARGON2_CONCURRENCY", "3")])
                .unwrap()
                .argon2_concurrency,
            3
        );
        assert!(
            c.trusted_proxies.is_empty(),
            "X-Forwarded-For is ignored unless configured"
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let c = config(&[("TESSERA_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")]).unwrap();
        let client = |peer: &str| {
            let peer = peer.parse().unwrap();
            c.trusted_proxies
                .client_addr(peer, ["203.0.113.9"])
                .to_string()
        };
        assert_eq!(client("10.200.0.1"), "203.0.113.9");
        assert_eq!(client("192.0.2.1"), "203.0.113.9");
        assert_eq!(client("192.0.2.2"), "192.0.2.2");
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        for (name, value) in [
            ("TESSERA_ADDR", "nowhere"),
            ("DATABASE_URL", "mysql://x"),
            ("TESSERA_DB_MAX_CONNECTIONS", "0"),
            ("TESSERA_SECRET_KEY", "zz"),
            ("TESSERA_SECRET_KEY", "abcd"),
            ("TESSERA_LOG_FORMAT", "xml"),
            ("TESSERA_USAGE_FLUSH_SECS", "0"),
            ("TESSERA_ARGON2_CONCURRENCY", "0"),
            ("TESSERA_ARGON2_CONCURRENCY", "many"),
            ("TESSERA_TRUSTED_PROXIES", "lb.internal"),
        ] {
            let err = config(&[(name, value)]).unwrap_err().to_string();
            assert!(err.starts_with(name), "{err}");
            if name == "TESSERA_SECRET_KEY" {
                assert!(!err.contains(value), "the secret is not echoed: {err}");
            }
        }
    }

    #[test]
    fn generated_key_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_secret_key(dir.path()).unwrap();
        let second = load_or_create_secret_key(dir.path()).unwrap();
        assert_eq!(first.expose(), second.expose());
        assert_eq!(first.expose().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
