//! `tessera`: the server binary. Configuration comes from the environment (see README.md).

use std::process::ExitCode;

use tessera::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("tessera: configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    tessera::telemetry::init(&config.log_filter, config.log_json);
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "tessera failed");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), tessera::StartError> {
    let state = tessera::build_state(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen_addr).await?;
    tracing::info!(
        address = %listener.local_addr()?,
        engine = state.db.engine().name(),
        "listening on http://{}",
        listener.local_addr()?
    );
    tessera::serve(
        state,
        listener,
        tessera::shutdown_signal(),
        config.patience(),
    )
    .await
}
