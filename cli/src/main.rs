//! `tsr`: Tessera from the command line, on the Rust SDK. Tables for people, `--json` for
//! scripts; exit codes say what kind of failure it was (see `failure`).

mod commands;
mod config;
mod failure;
mod operations;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::commands::Cli;
use crate::failure::Failure;

fn main() -> ExitCode {
    // Usage errors (and --help, --version) exit here with clap's code 2 (0 for help).
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Failure::other(format!("cannot start: {error}")).report(),
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
