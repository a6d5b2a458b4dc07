//! `tsr triggers …`: list, create, show, update, delete and execute triggers, and rotate a
//! webhook trigger's signing secret (printed once, as the web app shows it once).

use std::path::PathBuf;

use clap::Subcommand;
use tessera_sdk::wire::triggers::{
    ExecuteRequest, Trigger, TriggerKind, TriggerQuery, TriggerRequest,
};

use super::{fetch_list, json_arg, print_list, read_json_file, wire_name, Context, PageArgs};
use crate::failure::Outcome;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum TriggersCommand {
    /// List triggers, alphabetically.
    List {
        #[arg(long)]
        agent: Option<String>,
        #[arg(long)]
        environment: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Create a trigger binding an agent to an environment.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        agent: String,
        #[arg(long)]
        environment: String,
        /// manual, schedule or webhook.
        #[arg(long, value_parser = wire_name::<TriggerKind>)]
        kind: TriggerKind,
        /// For a schedule: a cron expression.
        #[arg(long)]
        cron: Option<String>,
        /// For a schedule: an IANA time zone (default UTC).
        #[arg(long)]
        time_zone: Option<String>,
        /// Create it disabled.
        #[arg(long)]
        disabled: bool,
    },
    /// Show a trigger with its next fire times and latest executions.
    Show { id: String },
    /// Change a trigger; what is not given stays as it is.
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        agent: Option<String>,
        #[arg(long)]
        environment: Option<String>,
        #[arg(long, value_parser = wire_name::<TriggerKind>)]
        kind: Option<TriggerKind>,
        #[arg(long)]
        cron: Option<String>,
        #[arg(long)]
        time_zone: Option<String>,
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        #[arg(long)]
        disable: bool,
    },
    /// Delete a trigger (its executions stay).
    Delete { id: String },
    /// Run a trigger's agent now.
    Execute {
        id: String,
        /// The input as JSON (default {}).
        #[arg(long, value_parser = json_arg, conflicts_with = "input_file")]
        input: Option<serde_json::Value>,
        /// The input from a JSON file (`-` for stdin).
        #[arg(long, value_name = "FILE")]
        input_file: Option<PathBuf>,
        /// The same key within 24 hours answers the same execution (and makes retries safe).
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Give a webhook trigger a new signing secret (printed once).
    RotateSecret { id: String },
}

pub async fn run(context: &Context, command: TriggersCommand) -> Outcome {
    let triggers = context.client()?.triggers();
    match command {
        TriggersCommand::List {
            agent,
            environment,
            page,
        } => {
            let query = TriggerQuery {
                agent_id: agent,
                environment_id: environment,
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || triggers.list_all(query.clone()),
                || triggers.list(&query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &[
                    "ID",
                    "NAME",
                    "KIND",
                    "ENABLED",
                    "AGENT",
                    "ENVIRONMENT",
                    "NEXT RUN",
                ],
                |trigger| {
                    vec![
                        trigger.id.clone(),
                        trigger.name.clone(),
                        output::name(&trigger.kind),
                        if trigger.enabled { "yes" } else { "no" }.to_owned(),
                        trigger.agent_id.clone(),
                        trigger.environment_id.clone(),
                        output::maybe_time(trigger.next_fire_at_ms),
                    ]
                },
            )?;
            Ok(())
        }
        TriggersCommand::Create {
            name,
            agent,
            environment,
            kind,
            cron,
            time_zone,
            disabled,
        } => {
            let trigger = triggers
                .create(&TriggerRequest {
                    name,
                    agent_id: agent,
                    environment_id: environment,
                    kind,
                    enabled: Some(!disabled),
                    cron,
                    time_zone,
                })
                .await?;
            show(context, &trigger)
        }
        TriggersCommand::Show { id } => show(context, &triggers.get(&id).await?),
        TriggersCommand::Update {
            id,
            name,
            agent,
            environment,
            kind,
            cron,
            time_zone,
            enable,
            disable,
        } => {
            // PUT replaces every field: start from the trigger as it is.
            let current = triggers.get(&id).await?;
            let enabled = if enable {
                true
            } else if disable {
                false
            } else {
                current.enabled
            };
            let trigger = triggers
                .update(
                    &id,
                    &TriggerRequest {
                        name: name.unwrap_or(current.name),
                        agent_id: agent.unwrap_or(current.agent_id),
                        environment_id: environment.unwrap_or(current.environment_id),
                        kind: kind.unwrap_or(current.kind),
                        enabled: Some(enabled),
                        cron: cron.or(current.cron),
                        time_zone: time_zone.or(current.time_zone),
                    },
                )
                .await?;
            show(context, &trigger)
        }
        TriggersCommand::Delete { id } => {
            triggers.delete(&id).await?;
            if context.json() {
                return output::json(&serde_json::json!({ "deleted": id }));
            }
            output::note(format!("Deleted trigger {id}."));
            Ok(())
        }
        TriggersCommand::Execute {
            id,
            input,
            input_file,
            idempotency_key,
        } => {
            let input = match input_file {
                Some(path) => Some(read_json_file(&path)?),
                None => input,
            };
            let executed = triggers
                .execute(&id, &ExecuteRequest { input }, idempotency_key.as_deref())
                .await?;
            if context.json() {
                return output::json(&executed);
            }
            let execution = &executed.execution;
            output::fields(&[
                ("Execution", executed.execution_id.clone()),
                ("Agent", execution.agent_id.clone()),
                ("Status", output::name(&execution.status)),
            ]);
            output::note(format!(
                "Follow it with: tsr executions watch {} {}",
                execution.agent_id, executed.execution_id
            ));
            Ok(())
        }
        TriggersCommand::RotateSecret { id } => show(context, &triggers.rotate_secret(&id).await?),
    }
}

fn show(context: &Context, trigger: &Trigger) -> Outcome {
    if context.json() {
        return output::json(trigger);
    }
    let mut pairs = vec![
        ("Id", trigger.id.clone()),
        ("Name", trigger.name.clone()),
        ("Kind", output::name(&trigger.kind)),
        ("Enabled", trigger.enabled.to_string()),
        ("Agent", trigger.agent_id.clone()),
        ("Environment", trigger.environment_id.clone()),
    ];
    if let Some(cron) = &trigger.cron {
        pairs.push((
            "Cron",
            format!("{cron} ({})", trigger.time_zone.as_deref().unwrap_or("UTC")),
        ));
    }
    if let Some(description) = &trigger.schedule_description {
        pairs.push(("Schedule", description.clone()));
    }
    if let Some(next) = trigger.next_fire_at_ms {
        pairs.push(("Next run", output::time(next)));
    }
    if let Some(path) = &trigger.webhook_path {
        pairs.push(("Webhook", path.clone()));
    }
    output::fields(&pairs);
    if let Some(recent) = trigger
        .recent_executions
        .as_ref()
        .filter(|runs| !runs.is_empty())
    {
        println!();
        let rows: Vec<Vec<String>> = recent
            .iter()
            .map(|run| {
                vec![
                    run.id.clone(),
                    output::name(&run.status),
                    output::time(run.created_at_ms),
                ]
            })
            .collect();
        output::table(&["EXECUTION", "STATUS", "CREATED"], &rows);
    }
    if let Some(secret) = &trigger.signing_secret {
        output::note(
            "The signing secret follows on stdout; it is shown this once, so store it now.",
        );
        println!("{secret}");
    }
    Ok(())
}
