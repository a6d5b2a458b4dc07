//! `tsr agents …`: list, install, show, update and delete agents; the configuration comes
//! from a JSON file (`{"steps": […]}`, see docs/agent-config.md).

use std::path::PathBuf;

use clap::Subcommand;
use tessera_sdk::wire::agents::{Agent, AgentQuery, AgentRequest};

use super::{fetch_list, print_list, read_json_file, Context, PageArgs};
use crate::failure::Outcome;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    /// List agents, alphabetically.
    List {
        /// Part of the name.
        #[arg(long)]
        search: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Install an agent.
    Install {
        #[arg(long)]
        name: String,
        /// A version label such as 1.4.2.
        #[arg(long)]
        version: String,
        #[arg(long, default_value = "")]
        description: String,
        /// The configuration: a JSON file (`-` for stdin).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Show an agent with its configuration.
    Show { id: String },
    /// Change an agent; what is not given stays as it is.
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        version: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// A new configuration: a JSON file (`-` for stdin).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Delete an agent (its deployment tokens are revoked).
    Delete { id: String },
}

pub async fn run(context: &Context, command: AgentsCommand) -> Outcome {
    let agents = context.client()?.agents();
    match command {
        AgentsCommand::List { search, page } => {
            let query = AgentQuery {
                search,
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || agents.list_all(query.clone()),
                || agents.list(&query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &["ID", "NAME", "VERSION", "STEPS", "UPDATED"],
                |agent| {
                    vec![
                        agent.id.clone(),
                        agent.name.clone(),
                        agent.version.clone(),
                        steps(agent).to_string(),
                        output::time(agent.updated_at_ms),
                    ]
                },
            )?;
            Ok(())
        }
        AgentsCommand::Install {
            name,
            version,
            description,
            config,
        } => {
            let config = config.map(|path| read_json_file(&path)).transpose()?;
            let agent = agents
                .install(&AgentRequest {
                    name,
                    description,
                    version,
                    config,
                })
                .await?;
            show(context, &agent)
        }
        AgentsCommand::Show { id } => show(context, &agents.get(&id).await?),
        AgentsCommand::Update {
            id,
            name,
            version,
            description,
            config,
        } => {
            // PUT replaces every field: start from the agent as it is.
            let current = agents.get(&id).await?;
            let config = match config {
                Some(path) => read_json_file(&path)?,
                None => current.config,
            };
            let agent = agents
                .update(
                    &id,
                    &AgentRequest {
                        name: name.unwrap_or(current.name),
                        description: description.unwrap_or(current.description),
                        version: version.unwrap_or(current.version),
                        config: Some(config),
                    },
                )
                .await?;
            show(context, &agent)
        }
        AgentsCommand::Delete { id } => {
            agents.delete(&id).await?;
            if context.json() {
                return output::json(&serde_json::json!({ "deleted": id }));
            }
            output::note(format!("Deleted agent {id}."));
            Ok(())
        }
    }
}

fn steps(agent: &Agent) -> usize {
    agent.config["steps"].as_array().map_or(0, Vec::len)
}

fn show(context: &Context, agent: &Agent) -> Outcome {
    if context.json() {
        return output::json(agent);
    }
    output::fields(&[
        ("Id", agent.id.clone()),
        ("Name", agent.name.clone()),
        ("Version", agent.version.clone()),
        ("Description", agent.description.clone()),
        ("Created", output::time(agent.created_at_ms)),
        ("Updated", output::time(agent.updated_at_ms)),
    ]);
    println!("{}", serde_json::to_string_pretty(&agent.config)?);
    Ok(())
}
