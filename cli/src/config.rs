//! Where the token and the server come from — `--token`, then `TESSERA_API_TOKEN`, then the
//! config file `tsr auth login` writes (`$XDG_CONFIG_HOME/tessera/config.toml`, else
//! `~/.config/tessera/config.toml`, mode 0600) — and writing that file.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tessera_sdk::{ApiToken, Client, TokenError, DEFAULT_BASE_URL, TOKEN_ENV, URL_ENV};

use crate::failure::{Failure, Outcome};

/// What `tsr auth login` stores.
#[derive(Default, Serialize, Deserialize)]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigFile")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("url", &self.url)
            .finish()
    }
}

/// The config file's path.
pub fn path() -> Outcome<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME").filter(|dir| !dir.is_empty()) {
            Some(home) => PathBuf::from(home).join(".config"),
            None => {
                return Err(Failure::other(
                    "neither XDG_CONFIG_HOME nor HOME is set: nowhere to keep the config",
                ))
            }
        },
    };
    Ok(base.join("tessera").join("config.toml"))
}

impl ConfigFile {
    /// The file, or an empty config when there is none.
    pub fn load() -> Outcome<ConfigFile> {
        let path = path()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|error| {
                Failure::other(format!(
                    "{} is not valid TOML: {}",
                    path.display(),
                    error.message()
                ))
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(error) => Err(Failure::other(format!(
                "cannot read {}: {error}",
                path.display()
            ))),
        }
    }

    /// Replaces the file atomically: written to a new file created with mode 0600 beside it,
    /// then renamed over it, so no reader ever sees a half-written file and the token is
    /// never readable by others, not even for a moment.
    pub fn save(&self) -> Outcome<PathBuf> {
        let path = path()?;
        let dir = path
            .parent()
            .ok_or_else(|| Failure::other("the config path has no folder"))?;
        create_private_dir(dir)?;
        let text = format!(
            "# Written by `tsr auth login`; holds an API token: keep it private.\n{}",
            toml::to_string(self).map_err(|error| Failure::other(error.to_string()))?
        );
        let temporary = dir.join(format!(".config.toml.{}.tmp", std::process::id()));
        let written = write_private(&temporary, text.as_bytes())
            .and_then(|()| std::fs::rename(&temporary, &path));
        if let Err(error) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(Failure::other(format!(
                "cannot write {}: {error}",
                path.display()
            )));
        }
        Ok(path)
    }

    /// Removes the file.
    pub fn remove() -> Outcome<Option<PathBuf>> {
        let path = path()?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(Some(path)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Failure::other(format!(
                "cannot remove {}: {error}",
                path.display()
            ))),
        }
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The `--token` and `--url` given on the command line.
#[derive(Clone, Default)]
pub struct Overrides {
    pub token: Option<String>,
    pub url: Option<String>,
}

impl fmt::Debug for Overrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Overrides")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("url", &self.url)
            .finish()
    }
}

/// Where the token in use came from, for `tsr auth status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Environment,
    File(PathBuf),
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Flag => f.write_str("--token"),
            TokenSource::Environment => f.write_str(TOKEN_ENV),
            TokenSource::File(path) => write!(f, "the config file {}", path.display()),
        }
    }
}

impl Overrides {
    /// The server: `--url`, `TESSERA_API_URL`, the config file, the default.
    pub fn url(&self, file: &ConfigFile) -> String {
        self.url
            .clone()
            .or_else(|| non_empty_env(URL_ENV))
            .or_else(|| file.url.clone())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
    }

    /// The token by precedence, checked for shape and checksum (no request yet).
    pub fn token(&self, file: &ConfigFile) -> Outcome<(ApiToken, TokenSource)> {
        let (text, source) = if let Some(token) = &self.token {
            (token.clone(), TokenSource::Flag)
        } else if let Some(token) = non_empty_env(TOKEN_ENV) {
            (token, TokenSource::Environment)
        } else if let Some(token) = &file.token {
            (token.clone(), TokenSource::File(path()?))
        } else {
            return Err(Failure::auth(format!(
                "{}; or run `tsr auth login`",
                TokenError::Missing
            )));
        };
        let token =
            ApiToken::parse(&text, &source.to_string()).map_err(tessera_sdk::Error::from)?;
        Ok((token, source))
    }

    /// A client for the resolved server and token.
    pub fn client(&self) -> Outcome<(Client, TokenSource)> {
        let file = ConfigFile::load()?;
        let (token, source) = self.token(&file)?;
        let client = Client::builder()
            .token(token.expose_secret())
            .base_url(self.url(&file))
            .build()?;
        Ok((client, source))
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}
