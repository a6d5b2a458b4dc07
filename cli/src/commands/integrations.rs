//! `tsr integrations …`: connections to outside services. Secret values go in (prefer
//! `--file` or `--secret NAME` read from the environment: arguments are visible to other
//! users of the machine) and never come out.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Subcommand;
use tessera_sdk::wire::integrations::{
    ConnectionCheckRequest, Integration, IntegrationKind, IntegrationQuery, IntegrationRequest,
    IntegrationSettings,
};

use super::{fetch_list, key_value, print_list, read_json_file, wire_name, Context, PageArgs};
use crate::failure::{Failure, Outcome};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct IntegrationFields {
    /// The whole request as a JSON file (`-` for stdin); flags override its fields.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    #[arg(long)]
    name: Option<String>,
    /// http or llm.
    #[arg(long, value_parser = wire_name::<IntegrationKind>)]
    kind: Option<IntegrationKind>,
    #[arg(long)]
    base_url: Option<String>,
    /// For llm: the model name.
    #[arg(long)]
    model: Option<String>,
    /// A non-secret header, NAME=VALUE; repeat it.
    #[arg(long, value_parser = key_value, value_name = "NAME=VALUE")]
    header: Vec<(String, String)>,
    /// A secret, NAME=ENV_VAR: its value is read from that environment variable.
    #[arg(long, value_parser = key_value, value_name = "NAME=ENV_VAR")]
    secret: Vec<(String, String)>,
    /// Clear a secret; repeat it.
    #[arg(long, value_name = "NAME")]
    clear_secret: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum IntegrationsCommand {
    /// List integrations, alphabetically.
    List {
        #[command(flatten)]
        page: PageArgs,
    },
    /// Create an integration.
    Create {
        #[command(flatten)]
        fields: IntegrationFields,
    },
    /// Show an integration (secrets only say whether they are set).
    Show { id: String },
    /// Change an integration; what is not given stays as it is, secrets included.
    Update {
        id: String,
        #[command(flatten)]
        fields: IntegrationFields,
    },
    /// Delete an integration with its secrets.
    Delete { id: String },
    /// Send one request through the integration and say what came back.
    Test {
        id: String,
        /// The path under the base URL.
        #[arg(long, default_value = "/")]
        path: String,
    },
}

pub async fn run(context: &Context, command: IntegrationsCommand) -> Outcome {
    let integrations = context.client()?.integrations();
    match command {
        IntegrationsCommand::List { page } => {
            let query = IntegrationQuery {
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || integrations.list_all(query.clone()),
                || integrations.list(&query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &["ID", "NAME", "KIND", "BASE URL", "SECRETS"],
                |integration| {
                    vec![
                        integration.id.clone(),
                        integration.name.clone(),
                        output::name(&integration.kind),
                        integration.settings.base_url.clone(),
                        secrets(integration),
                    ]
                },
            )?;
            Ok(())
        }
        IntegrationsCommand::Create { fields } => {
            let request = fields.into_request(None)?;
            show(context, &integrations.create(&request).await?)
        }
        IntegrationsCommand::Show { id } => show(context, &integrations.get(&id).await?),
        IntegrationsCommand::Update { id, fields } => {
            let current = integrations.get(&id).await?;
            let request = fields.into_request(Some(current))?;
            show(context, &integrations.update(&id, &request).await?)
        }
        IntegrationsCommand::Delete { id } => {
            integrations.delete(&id).await?;
            if context.json() {
                return output::json(&serde_json::json!({ "deleted": id }));
            }
            output::note(format!("Deleted integration {id}."));
            Ok(())
        }
        IntegrationsCommand::Test { id, path } => {
            let check = integrations
                .check_connection(&id, &ConnectionCheckRequest { path })
                .await?;
            if context.json() {
                return output::json(&check);
            }
            output::fields(&[
                ("Ok", check.ok.to_string()),
                (
                    "Status",
                    check
                        .status
                        .map_or_else(|| "-".to_owned(), |s| s.to_string()),
                ),
                ("Took", format!("{} ms", check.latency_ms)),
                ("Message", check.message),
            ]);
            Ok(())
        }
    }
}

impl IntegrationFields {
    /// The request: the file (or the current integration), then the flags over it. Secrets
    /// not named stay as they are (an update leaves them out).
    fn into_request(self, current: Option<Integration>) -> Outcome<IntegrationRequest> {
        let base = match (&self.file, current) {
            (Some(path), _) => Some(read_json_file::<IntegrationRequest>(path)?),
            (None, Some(current)) => Some(IntegrationRequest {
                name: current.name,
                kind: current.kind,
                settings: current.settings,
                secrets: BTreeMap::new(),
            }),
            (None, None) => None,
        };
        let (name, kind, mut settings, mut secrets) = match base {
            Some(base) => (
                Some(base.name),
                Some(base.kind),
                base.settings,
                base.secrets,
            ),
            None => (None, None, IntegrationSettings::default(), BTreeMap::new()),
        };
        let name = self
            .name
            .or(name)
            .ok_or_else(|| Failure::usage("--name is required (or give --file)"))?;
        let kind = self
            .kind
            .or(kind)
            .ok_or_else(|| Failure::usage("--kind is required (or give --file)"))?;
        if let Some(base_url) = self.base_url {
            settings.base_url = base_url;
        }
        if self.model.is_some() {
            settings.model = self.model;
        }
        settings.headers.extend(self.header);
        for (name, variable) in self.secret {
            let value = std::env::var(&variable).map_err(|_| {
                Failure::usage(format!("--secret {name}={variable}: {variable} is not set"))
            })?;
            secrets.insert(name, Some(value));
        }
        for name in self.clear_secret {
            secrets.insert(name, None);
        }
        Ok(IntegrationRequest {
            name,
            kind,
            settings,
            secrets,
        })
    }
}

fn secrets(integration: &Integration) -> String {
    let set: Vec<&str> = integration
        .secrets
        .iter()
        .filter(|(_, state)| state.set)
        .map(|(name, _)| name.as_str())
        .collect();
    if set.is_empty() {
        "-".to_owned()
    } else {
        set.join(", ")
    }
}

fn show(context: &Context, integration: &Integration) -> Outcome {
    if context.json() {
        return output::json(integration);
    }
    let headers: Vec<String> = integration
        .settings
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    output::fields(&[
        ("Id", integration.id.clone()),
        ("Name", integration.name.clone()),
        ("Kind", output::name(&integration.kind)),
        ("Base URL", integration.settings.base_url.clone()),
        (
            "Model",
            integration
                .settings
                .model
                .clone()
                .unwrap_or_else(|| "-".to_owned()),
        ),
        (
            "Headers",
            if headers.is_empty() {
                "-".to_owned()
            } else {
                headers.join("; ")
            },
        ),
        ("Secrets set", secrets(integration)),
        ("Updated", output::time(integration.updated_at_ms)),
    ]);
    Ok(())
}
