//! `tsr ping` and `tsr api …`: the API's liveness and its own description.

use clap::Subcommand;

use super::Context;
use crate::failure::Outcome;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum ApiCommand {
    /// Print the OpenAPI document (JSON).
    Openapi,
    /// Print the API reference page (HTML).
    Docs,
}

pub async fn ping(context: &Context) -> Outcome {
    let client = context.client()?;
    let pong = client.system().ping().await?;
    if context.json() {
        return output::json(&pong);
    }
    println!(
        "{} is up ({}); the token is accepted.",
        client.base_url(),
        pong.status
    );
    Ok(())
}

pub async fn run(context: &Context, command: ApiCommand) -> Outcome {
    let system = context.client()?.system();
    match command {
        ApiCommand::Openapi => output::json(&system.openapi().await?),
        ApiCommand::Docs => {
            print!("{}", system.docs_page().await?);
            Ok(())
        }
    }
}
