//! `AppState`: built once at start-up and handed to the REST router and to every server
//! function (as Leptos context). Tests build their own around a fresh database.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::db::Db;

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

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub secret_key: SecretKey,
}
