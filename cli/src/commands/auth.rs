//! `tsr auth login|status|logout`: keeping a token in the config file, and asking the server
//! who it is. The token is never printed.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;
use tessera_sdk::{ApiToken, Client};

use super::Context;
use crate::config::{self, ConfigFile};
use crate::failure::{Failure, Outcome};
use crate::output;

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store a token in the config file (mode 0600). It is read from stdin when that is not
    /// a terminal (`tsr auth login < token.txt`), else asked for without echo.
    Login {
        /// Store it without asking the server whether it is good.
        #[arg(long)]
        no_verify: bool,
    },
    /// Which token is in use, where it came from, and what it may do (`/api/tokens/self`).
    Status,
    /// Remove the config file and the token in it.
    Logout,
}

pub async fn run(context: &Context, command: AuthCommand) -> Outcome {
    match command {
        AuthCommand::Login { no_verify } => login(context, no_verify).await,
        AuthCommand::Status => status(context).await,
        AuthCommand::Logout => logout(context),
    }
}

async fn login(context: &Context, no_verify: bool) -> Outcome {
    let text = read_token()?;
    let token = ApiToken::parse(&text, "the token entered").map_err(tessera_sdk::Error::from)?;
    let mut file = ConfigFile::load()?;
    let url = context.overrides.url(&file);
    let me = if no_verify {
        None
    } else {
        let client = Client::builder()
            .token(token.expose_secret())
            .base_url(&url)
            .build()?;
        Some(client.tokens().current().await?)
    };
    file.token = Some(token.expose_secret().to_owned());
    if context.overrides.url.is_some() {
        file.url = Some(url.clone());
    }
    let path = file.save()?;
    if context.json() {
        return output::json(&serde_json::json!({
            "config_file": path,
            "url": url,
            "prefix": token.display_prefix(),
            "token": me,
        }));
    }
    match me {
        Some(me) => output::note(format!(
            "Logged in to {url} as token \"{}\" ({}…). Saved to {}.",
            me.name,
            token.display_prefix(),
            path.display()
        )),
        None => output::note(format!(
            "Saved the token ({}…) to {} without checking it.",
            token.display_prefix(),
            path.display()
        )),
    }
    Ok(())
}

/// The token from stdin (piped) or a prompt that does not echo.
fn read_token() -> Outcome<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        rpassword::prompt_password("Tessera API token: ")
            .map_err(|error| Failure::other(format!("cannot read the token: {error}")))
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line)
    }
}

async fn status(context: &Context) -> Outcome {
    let (client, source) = context.client_with_source()?;
    let me = client.tokens().current().await?;
    if context.json() {
        return output::json(&serde_json::json!({
            "url": client.base_url(),
            "source": source.to_string(),
            "prefix": client.token().display_prefix(),
            "token": me,
        }));
    }
    let permissions = serde_json::to_value(me.permissions)?;
    let granted: Vec<String> = permissions
        .as_object()
        .map(|levels| {
            levels
                .iter()
                .filter(|(_, level)| level.as_str() != Some("none"))
                .map(|(resource, level)| format!("{resource}:{}", level.as_str().unwrap_or("?")))
                .collect()
        })
        .unwrap_or_default();
    output::fields(&[
        ("Server", client.base_url().to_owned()),
        (
            "Token",
            format!("{} ({}…)", me.name, client.token().display_prefix()),
        ),
        ("Token id", me.id),
        ("From", source.to_string()),
        ("Workspace", me.workspace_id),
        ("Scope", scope_text(&me.scope)),
        (
            "May",
            if granted.is_empty() {
                "nothing".to_owned()
            } else {
                granted.join(" ")
            },
        ),
    ]);
    Ok(())
}

pub fn scope_text(scope: &tessera_sdk::wire::access::TokenScope) -> String {
    use tessera_sdk::wire::access::TokenScope;
    match scope {
        TokenScope::Account => "account".to_owned(),
        TokenScope::Environment { environment_id } => format!("environment {environment_id}"),
        TokenScope::Deployment {
            agent_id,
            environment_id,
        } => format!("deployment of agent {agent_id} in environment {environment_id}"),
    }
}

fn logout(context: &Context) -> Outcome {
    let removed = ConfigFile::remove()?;
    if context.json() {
        return output::json(&serde_json::json!({ "removed": removed }));
    }
    match removed {
        Some(path) => output::note(format!("Removed {}.", path.display())),
        None => output::note(format!(
            "Not logged in: there is no {}.",
            config::path()?.display()
        )),
    }
    if std::env::var_os(tessera_sdk::TOKEN_ENV).is_some() {
        output::note("TESSERA_API_TOKEN is still set in this shell.");
    }
    Ok(())
}
