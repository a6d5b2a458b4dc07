//! `AppState`: built once at start-up and handed to the REST router and to every server
//! function (as Leptos context). Tests build their own around a fresh database.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::assistant::runtime::AssistantRuntime;
use crate::auth::rate_limit::{FailureLimiter, Reservation};
use crate::bearer::{BearerAuth, BearerSettings};
use crate::blobs::BlobStore;
use crate::client_addr::TrustedProxies;
use crate::crypto::sealing::Sealer;
use crate::crypto::{SecretHasher, SecretKey};
use crate::db::Db;
use crate::egress::{EgressAllow, EgressClient};
use crate::error::AppError;
use crate::jobs::handle::{JobSettings, Jobs};
use crate::storage::model::StorageLimits;
use crate::triggers::intake::Intake;

/// Failed sign-ins are limited per client address (IPv6 by /64) and per address and email.
/// There is deliberately no limit per email alone: anyone could spend it and lock the account's
/// owner out. Guessing one account from many addresses is held back by the per-address limit
/// (every address pays for every guess it makes, whatever the email) and the argon2 bound.
pub struct SignInLimits {
    pub by_addr: FailureLimiter,
    pub by_addr_and_email: FailureLimiter,
}

impl SignInLimits {
    /// Spends one failure of the address and one of (address, email) before a password is
    /// checked: at sign-in and wherever else a password is checked (an invite for an existing
    /// account), so every form that can test a password draws on one budget.
    pub fn reserve(&self, addr_key: &str, email: &str) -> Result<Reservation<'_>, AppError> {
        Reservation::take([
            (&self.by_addr, addr_key.to_owned()),
            (&self.by_addr_and_email, format!("{addr_key} {email}")),
        ])
    }
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            // An office behind one address gets more slack than a single account.
            by_addr: FailureLimiter::new(20, Duration::from_secs(6)),
            by_addr_and_email: FailureLimiter::new(5, Duration::from_secs(30)),
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub hasher: SecretHasher,
    pub sign_in_limits: Arc<SignInLimits>,
    /// Failed invite-code lookups per client address: the codes are unguessable, but a
    /// limit keeps anyone from trying.
    pub invite_limits: Arc<FailureLimiter>,
    /// The REST API's bearer-token caches, failure limits and usage tally.
    pub bearer: BearerAuth,
    /// Mark cookies `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client (none unless configured).
    pub trusted_proxies: Arc<TrustedProxies>,
    /// Where uploaded files' bytes live.
    pub blobs: BlobStore,
    pub storage_limits: StorageLimits,
    /// This instance's background workers (ingestion).
    pub jobs: Jobs,
    /// Seals and opens integration secrets (key derived from the server secret).
    pub sealer: Sealer,
    /// The only way out to other services: refuses private addresses unless allowed.
    pub egress: EgressClient,
    /// The assistant's limits and the answers streaming on this instance.
    pub assistant: Arc<AssistantRuntime>,
    /// Writes this instance's webhook events, in batches.
    pub webhook_intake: Intake,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        db: Db,
        secret_key: SecretKey,
        secure_cookies: bool,
        blobs: BlobStore,
    ) -> Self {
        AppState {
            leptos_options,
            bearer: BearerAuth::new(db.engine(), BearerSettings::default()),
            webhook_intake: Intake::new(db.clone()),
            db,
            sealer: Sealer::new(&secret_key, None),
            hasher: SecretHasher::new(secret_key),
            egress: EgressClient::new(EgressAllow::default()),
            sign_in_limits: Arc::new(SignInLimits::default()),
            invite_limits: Arc::new(FailureLimiter::new(20, Duration::from_secs(6))),
            secure_cookies,
            trusted_proxies: Arc::new(TrustedProxies::default()),
            blobs,
            storage_limits: StorageLimits::default(),
            jobs: Jobs::new(JobSettings::default()),
            assistant: Arc::new(AssistantRuntime::default()),
        }
    }

    /// Replaces the assistant's limits (streams per caller, patience with a model).
    pub fn with_assistant(mut self, runtime: AssistantRuntime) -> Self {
        self.assistant = Arc::new(runtime);
        self
    }

    /// Lets secrets sealed under `previous` (the server secret before a rotation) open.
    pub fn with_previous_secret_key(mut self, current: &SecretKey, previous: &SecretKey) -> Self {
        self.sealer = Sealer::new(current, Some(previous));
        self
    }

    /// Lets outbound requests reach these non-public networks.
    pub fn with_egress_allow(mut self, allow: EgressAllow) -> Self {
        self.egress = EgressClient::new(allow);
        self
    }

    pub fn with_storage_limits(mut self, limits: StorageLimits) -> Self {
        self.storage_limits = limits;
        self
    }

    /// Replaces the background workers' settings (before they are started).
    pub fn with_job_settings(mut self, settings: JobSettings) -> Self {
        self.jobs = Jobs::new(settings);
        self
    }

    /// Believes `X-Forwarded-For` from these proxies.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// Allows `bound` argon2 computations at once in this state's process (instead of one per
    /// core): the bound every hash and verification shares, and `bound × 19 MiB` of memory.
    pub fn with_argon2_concurrency(mut self, bound: usize) -> Self {
        self.hasher = self.hasher.rebound(bound);
        self
    }

    /// Replaces the bearer-token machinery with one using `settings` (before it is started).
    pub fn with_bearer_settings(mut self, settings: BearerSettings) -> Self {
        self.bearer = BearerAuth::new(self.db.engine(), settings);
        self
    }
}
