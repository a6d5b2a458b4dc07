//! `tsr webhook send`: an event for a webhook trigger, signed with the trigger's secret when
//! one is given (`--secret` or TESSERA_WEBHOOK_SECRET; no token needed then), else sent with
//! the token.

use std::path::PathBuf;

use clap::Subcommand;
use tessera_sdk::webhook::{WebhookSecret, WebhookSender};

use super::{read_input, Context};
use crate::config::ConfigFile;
use crate::failure::Outcome;
use crate::output;

/// Where a signing secret may come from without appearing in the process list.
const SECRET_ENV: &str = "TESSERA_WEBHOOK_SECRET";

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Send an event; its execution is queued.
    Send {
        trigger_id: String,
        /// The body (default: stdin when --file is not given).
        #[arg(long, conflicts_with = "file")]
        data: Option<String>,
        /// The body from a file (`-` for stdin).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[arg(long, default_value = "application/json")]
        content_type: String,
        /// The trigger's signing secret (whsec_…); also read from TESSERA_WEBHOOK_SECRET.
        #[arg(long, value_name = "SECRET")]
        secret: Option<String>,
        /// With the token: the same key within 24 hours answers the first delivery.
        #[arg(long, conflicts_with = "secret")]
        idempotency_key: Option<String>,
    },
}

pub async fn run(context: &Context, command: WebhookCommand) -> Outcome {
    let WebhookCommand::Send {
        trigger_id,
        data,
        file,
        content_type,
        secret,
        idempotency_key,
    } = command;
    let body = match (data, file) {
        (Some(data), _) => data.into_bytes(),
        (None, Some(path)) => read_input(&path)?,
        (None, None) => read_input(std::path::Path::new("-"))?,
    };
    let secret = secret.or_else(|| std::env::var(SECRET_ENV).ok().filter(|s| !s.is_empty()));
    let delivered = match secret {
        Some(secret) => {
            let secret = WebhookSecret::parse(&secret)?;
            let url = context.overrides.url(&ConfigFile::load()?);
            WebhookSender::new(url)?
                .send(&trigger_id, &secret, body, &content_type)
                .await?
        }
        None => {
            context
                .client()?
                .webhooks()
                .send(&trigger_id, body, &content_type, idempotency_key.as_deref())
                .await?
        }
    };
    if context.json() {
        return output::json(&delivered);
    }
    output::fields(&[
        ("Event", delivered.event_id.clone()),
        ("Execution", delivered.execution_id.clone()),
    ]);
    Ok(())
}
