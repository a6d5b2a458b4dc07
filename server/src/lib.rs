//! The Tessera server: builds the application state, mounts the three doors (pages, server
//! functions under `/rpc`, the REST API under `/api`) and serves them until told to stop.

#![recursion_limit = "512"]

pub mod api;
pub mod assets;
pub mod bounds;
pub mod browser_files;
pub mod chat;
pub mod client_addr;
pub mod config;
pub mod files;
pub mod health;
pub mod listen;
pub mod owner_isolation;
pub mod rpc_status;
pub mod security;
pub mod telemetry;

use app::assistant::runtime::{AssistantRuntime, ModelPatience};
use std::future::Future;
use std::sync::OnceLock;

use app::blobs::BlobStore;
use app::db::{Db, DbError};
use app::state::AppState;
use app::{shell, App};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::config::{Config, ConfigError};

pub use bounds::MAX_BODY_BYTES;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error(transparent)]
    Blobs(#[from] app::blobs::BlobError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

/// Connects to the database, runs migrations and assembles the state.
pub async fn build_state(config: &Config) -> Result<AppState, StartError> {
    let secret_key = config.resolve_secret_key()?;
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    let leptos_options = LeptosOptions::builder()
        .output_name("tessera")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr)
        .hash_files(config.hash_files)
        .build();
    let blobs = BlobStore::open(&config.blob_settings())?;
    let mut state = AppState::new(
        leptos_options,
        db,
        secret_key.clone(),
        config.secure_cookies,
        blobs,
    )
    .with_bearer_settings(config.bearer.clone())
    .with_storage_limits(config.storage_limits)
    .with_job_settings(config.jobs.clone())
    .with_argon2_concurrency(config.argon2_concurrency)
    .with_trusted_proxies(config.trusted_proxies.clone())
    .with_egress_allow(config.egress_allow.clone())
    .with_assistant(AssistantRuntime::new(
        config.assistant_streams,
        ModelPatience {
            first_piece: config.assistant_model_timeout,
            between_pieces: config.assistant_model_timeout,
        },
    ));
    if let Some(previous) = &config.previous_secret_key {
        state = state.with_previous_secret_key(&secret_key, previous);
        match app::integrations::service::reseal_all(&state).await {
            Ok(count) => {
                tracing::info!(count, "integration secrets resealed under the current key")
            }
            Err(_) => {
                tracing::warn!("could not reseal integration secrets; they are resealed when used")
            }
        }
        match app::triggers::service::reseal_all(&state).await {
            Ok(count) => {
                tracing::info!(
                    count,
                    "webhook signing secrets resealed under the current key"
                )
            }
            Err(_) => tracing::warn!(
                "could not reseal webhook signing secrets; they open under the previous key \
                 while it is configured"
            ),
        }
    }
    state.bearer.start(&state.db, &config.database_url);
    app::jobs::worker::start(&state, &config.database_url);
    sweep_sessions_periodically(state.db.pool().clone());
    Ok(state)
}

/// How often ended sessions are deleted (sign-in deletes them too).
const SESSION_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes ended sessions now and then every [`SESSION_SWEEP_EVERY`], until the pool closes.
fn sweep_sessions_periodically(pool: sqlx::AnyPool) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SESSION_SWEEP_EVERY);
        loop {
            ticks.tick().await;
            if pool.is_closed() {
                return;
            }
            match app::auth::sessions::sweep(&pool).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "ended sessions deleted"),
                Err(_) => tracing::warn!("could not delete ended sessions"),
            }
        }
    });
}

/// The app's page routes, discovered once per process.
///
/// Discovery renders the app with every resource load suspended, and that suspension is a
/// process-wide switch in Leptos: a page rendered on another server in the same process
/// meanwhile would wait forever for its data. Doing it once, before any router exists, means
/// no page can be rendering while it happens.
fn page_routes() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// The whole app: pages, server functions, the REST API and their middleware. A request
/// (body included) gets the request timeout to be read and answered; an upload, the upload
/// timeout (`bounds`).
pub fn router(state: AppState, patience: listen::Patience) -> Router {
    let leptos_options = state.leptos_options.clone();
    // What the browser app needs: pages, server functions, static files. Its middleware stays
    // off the REST API's hot path (each layer costs a few percent of API throughput).
    let browser_app = Router::new()
        .leptos_routes_with_context(
            &state,
            page_routes().to_vec(),
            || (),
            move || shell(leptos_options.clone()),
        )
        .merge(browser_files::routes())
        .merge(chat::routes())
        // Unknown server functions answer like unknown API routes, not with the HTML 404 page.
        .route("/rpc/{*rest}", any(rpc_not_found))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(
            rpc_status::correct_rpc_error_status,
        ))
        .layer(axum::middleware::from_fn(security::same_origin_rpc))
        .layer(axum::middleware::from_fn(security::page_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.leptos_options.hash_files,
            assets::cache_policy,
        ))
        .layer(axum::middleware::from_fn(
            owner_isolation::isolate_reactive_owner,
        ));
    Router::new()
        .route("/healthz", get(health::healthz))
        .merge(api::router(&state))
        .merge(browser_app)
        .layer(axum::middleware::from_fn_with_state(
            state.secure_cookies,
            security::common_headers,
        ))
        .layer(assets::compression())
        // Reading the body and answering together: a client trickling its body gets 408.
        .layer(axum::middleware::from_fn_with_state(
            bounds::Timeouts {
                request: patience.request_timeout,
                upload: patience.upload_timeout,
            },
            bounds::bound_requests,
        ))
        .layer(axum::middleware::from_fn(api::problems_for_bare_refusals))
        .layer(axum::middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            client_addr::resolve_client_addr,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn rpc_not_found() -> impl IntoResponse {
    api::problem::Problem::from(app::AppError::NotFound)
}

/// Serves until `shutdown` resolves, then drains in-flight requests (for at most
/// `patience.drain_deadline`), writes the token usage still in memory and closes the pool.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    patience: listen::Patience,
) -> Result<(), StartError> {
    let db = state.db.clone();
    let bearer = state.bearer.clone();
    let jobs = state.jobs.clone();
    let app = router(state, patience);
    listen::serve(listener, app, shutdown, patience).await;
    // Running jobs go back to the queue; the next start (here or elsewhere) runs them.
    jobs.shutdown().await;
    bearer.shutdown(db.pool()).await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; draining requests");
}
