//! The command tree (clap derive) and the dispatch to each group's module.

mod agents;
mod api;
mod auth;
mod chat;
mod conversations;
mod executions;
mod integrations;
mod kb;
mod storage;
mod tokens;
mod triggers;
mod webhook;

use std::path::Path;

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use tessera_sdk::Client;

use crate::config::{Overrides, TokenSource};
use crate::failure::{Failure, Outcome};
use crate::output::Format;

/// Tessera from the command line.
///
/// The token comes from --token, else TESSERA_API_TOKEN, else the config file `tsr auth
/// login` writes; the server from --url, else TESSERA_API_URL, else the config file, else
/// http://127.0.0.1:3000. Exit codes: 0 done, 1 failed, 2 usage, 3 authentication or
/// permission, 4 not found.
#[derive(Debug, Parser)]
#[command(name = "tsr", version, propagate_version = true)]
pub struct Cli {
    /// The API token (prefer TESSERA_API_TOKEN or `tsr auth login`: arguments are visible
    /// to other users of this machine).
    #[arg(long, global = true, value_name = "TOKEN")]
    token: Option<String>,
    /// The server, e.g. https://tessera.example.com.
    #[arg(long, global = true, value_name = "URL")]
    url: Option<String>,
    /// Print JSON on stdout instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in (store a token), show who you are, log out.
    #[command(subcommand)]
    Auth(auth::AuthCommand),
    /// API tokens.
    #[command(subcommand)]
    Tokens(tokens::TokensCommand),
    /// Agents.
    #[command(subcommand)]
    Agents(agents::AgentsCommand),
    /// Triggers: run an agent by hand, on a schedule or by webhook.
    #[command(subcommand)]
    Triggers(triggers::TriggersCommand),
    /// An agent's executions.
    #[command(subcommand)]
    Executions(executions::ExecutionsCommand),
    /// Integrations with outside services.
    #[command(subcommand)]
    Integrations(integrations::IntegrationsCommand),
    /// The knowledge base: documents and search.
    #[command(subcommand)]
    Kb(kb::KbCommand),
    /// Stored files: upload, download, delete.
    #[command(subcommand)]
    Storage(storage::StorageCommand),
    /// Ask the assistant: one question as an argument, or a conversation on stdin.
    Chat(chat::ChatArgs),
    /// The assistant's past conversations.
    #[command(subcommand)]
    Conversations(conversations::ConversationsCommand),
    /// Send events to webhook triggers.
    #[command(subcommand)]
    Webhook(webhook::WebhookCommand),
    /// Check that the server answers (and that the token is good).
    Ping,
    /// The API's description.
    #[command(subcommand)]
    Api(api::ApiCommand),
    /// Which command calls each operation of the REST API.
    Commands,
    /// Print a shell completion script.
    Completions { shell: Shell },
}

/// What every command is given.
pub struct Context {
    pub overrides: Overrides,
    pub format: Format,
}

impl Context {
    pub fn client(&self) -> Outcome<Client> {
        self.client_with_source().map(|(client, _)| client)
    }

    pub fn client_with_source(&self) -> Outcome<(Client, TokenSource)> {
        self.overrides.client()
    }

    pub fn json(&self) -> bool {
        self.format == Format::Json
    }
}

pub async fn run(cli: Cli) -> Outcome {
    let context = Context {
        overrides: Overrides {
            token: cli.token,
            url: cli.url,
        },
        format: if cli.json {
            Format::Json
        } else {
            Format::Human
        },
    };
    match cli.command {
        Command::Auth(command) => auth::run(&context, command).await,
        Command::Tokens(command) => tokens::run(&context, command).await,
        Command::Agents(command) => agents::run(&context, command).await,
        Command::Triggers(command) => triggers::run(&context, command).await,
        Command::Executions(command) => executions::run(&context, command).await,
        Command::Integrations(command) => integrations::run(&context, command).await,
        Command::Kb(command) => kb::run(&context, command).await,
        Command::Storage(command) => storage::run(&context, command).await,
        Command::Chat(args) => chat::run(&context, args).await,
        Command::Conversations(command) => conversations::run(&context, command).await,
        Command::Webhook(command) => webhook::run(&context, command).await,
        Command::Ping => api::ping(&context).await,
        Command::Api(command) => api::run(&context, command).await,
        Command::Commands => crate::operations::print(&context),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "tsr", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// Reads a file, or stdin for `-`.
pub fn read_input(path: &Path) -> Outcome<Vec<u8>> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
            .map_err(|error| Failure::other(format!("cannot read {}: {error}", path.display())))
    }
}

/// A JSON file (or stdin for `-`).
pub fn read_json_file<T: serde::de::DeserializeOwned>(path: &Path) -> Outcome<T> {
    let bytes = read_input(path)?;
    serde_json::from_slice(&bytes).map_err(|error| {
        Failure::usage(format!(
            "{} is not the expected JSON: {error}",
            path.display()
        ))
    })
}

/// Paging flags shared by the list commands.
#[derive(Debug, Clone, clap::Args)]
pub struct PageArgs {
    /// Items per page (1–500).
    #[arg(long)]
    pub limit: Option<i64>,
    /// Items to skip.
    #[arg(long)]
    pub offset: Option<i64>,
    /// Every page, not just one.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
}

impl PageArgs {
    /// The page size to ask for: the largest when walking every page.
    pub fn limit(&self) -> Option<i64> {
        if self.all {
            Some(tessera_sdk::wire::paging::MAX_LIMIT)
        } else {
            self.limit
        }
    }
}

/// One page of a list, or with `--all` every page: the items and how many match.
pub async fn fetch_list<P, Fut>(
    page: &PageArgs,
    every_page: impl FnOnce() -> tessera_sdk::ItemStream<P::Item>,
    one_page: impl FnOnce() -> Fut,
) -> Outcome<(Vec<P::Item>, i64)>
where
    P: tessera_sdk::Page,
    Fut: std::future::Future<Output = tessera_sdk::Result<P>>,
{
    if page.all {
        use tessera_sdk::TryStreamExt;
        let items: Vec<P::Item> = every_page().try_collect().await?;
        let total = items.len() as i64;
        Ok((items, total))
    } else {
        Ok(one_page().await?.into_items())
    }
}

/// A list: with `--json` the API's own page shape, `{"items": […], "total": n}`; else a table
/// with a row per item and, on stderr, how many of how many matching were shown.
pub fn print_list<T: serde::Serialize>(
    context: &Context,
    items: &[T],
    total: i64,
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) -> Outcome {
    if context.json() {
        return crate::output::json(&serde_json::json!({ "items": items, "total": total }));
    }
    let rows: Vec<Vec<String>> = items.iter().map(row).collect();
    crate::output::table(headers, &rows);
    crate::output::note(format!("{} of {total}", items.len()));
    Ok(())
}

/// Parses an argument as a serde enum by its wire name (`succeeded`, `name_asc` …).
pub fn wire_name<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| format!("{text:?} is not one of the accepted values (see --help)"))
}

/// Parses a JSON argument.
pub fn json_arg(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))
}

/// `KEY=VALUE`.
pub fn key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(key, value)| (key.trim().to_owned(), value.to_owned()))
        .filter(|(key, _)| !key.is_empty())
        .ok_or_else(|| format!("{text:?} is not KEY=VALUE"))
}
