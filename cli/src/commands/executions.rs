//! `tsr executions …`: an agent's executions — list, show with the step log, cancel, and
//! watch one until it is over.

use std::time::{Duration, Instant};

use clap::Subcommand;
use tessera_sdk::wire::executions::{Execution, ExecutionQuery, ExecutionStatus};

use super::{fetch_list, print_list, wire_name, Context, PageArgs};
use crate::failure::{Failure, Outcome};
use crate::output;

#[derive(Debug, Subcommand)]
pub enum ExecutionsCommand {
    /// List an agent's executions, newest first.
    List {
        agent_id: String,
        /// queued, running, succeeded, failed, canceled or timed_out.
        #[arg(long, value_parser = wire_name::<ExecutionStatus>)]
        status: Option<ExecutionStatus>,
        #[arg(long)]
        environment: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show an execution with its step log.
    Show {
        agent_id: String,
        execution_id: String,
    },
    /// Cancel a queued execution, or stop a running one at its next step.
    Cancel {
        agent_id: String,
        execution_id: String,
    },
    /// Follow an execution until it is over; exits 1 unless it succeeded.
    Watch {
        agent_id: String,
        execution_id: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
}

pub async fn run(context: &Context, command: ExecutionsCommand) -> Outcome {
    let executions = context.client()?.executions();
    match command {
        ExecutionsCommand::List {
            agent_id,
            status,
            environment,
            page,
        } => {
            let query = ExecutionQuery {
                status,
                environment_id: environment,
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || executions.list_all(&agent_id, query.clone()),
                || executions.list(&agent_id, &query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &["ID", "STATUS", "TRIGGER", "ENVIRONMENT", "CREATED", "TOOK"],
                |run| {
                    vec![
                        run.id.clone(),
                        output::name(&run.status),
                        run.trigger_name.clone(),
                        run.environment_id.clone(),
                        output::time(run.created_at_ms),
                        duration(run),
                    ]
                },
            )?;
            Ok(())
        }
        ExecutionsCommand::Show {
            agent_id,
            execution_id,
        } => show(context, &executions.get(&agent_id, &execution_id).await?),
        ExecutionsCommand::Cancel {
            agent_id,
            execution_id,
        } => show(context, &executions.cancel(&agent_id, &execution_id).await?),
        ExecutionsCommand::Watch {
            agent_id,
            execution_id,
            timeout,
        } => {
            let deadline = Instant::now() + Duration::from_secs(timeout);
            let mut last = None;
            let execution = loop {
                let execution = executions.get(&agent_id, &execution_id).await?;
                if last != Some(execution.status) && !context.json() {
                    output::note(format!(
                        "{}  {}",
                        output::time(now_ms()),
                        output::name(&execution.status)
                    ));
                    last = Some(execution.status);
                }
                if execution.status.is_final() {
                    break execution;
                }
                if Instant::now() > deadline {
                    return Err(Failure::other(format!(
                        "execution {execution_id} is still {} after {timeout} s",
                        output::name(&execution.status)
                    )));
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            };
            show(context, &execution)?;
            if execution.status == ExecutionStatus::Succeeded {
                Ok(())
            } else {
                Err(Failure::other(format!(
                    "execution {execution_id} {}",
                    output::name(&execution.status)
                )))
            }
        }
    }
}

fn duration(run: &Execution) -> String {
    match (run.started_at_ms, run.finished_at_ms) {
        (Some(started), Some(finished)) => format!("{} ms", finished - started),
        _ => "-".to_owned(),
    }
}

fn show(context: &Context, run: &Execution) -> Outcome {
    if context.json() {
        return output::json(run);
    }
    output::fields(&[
        ("Id", run.id.clone()),
        ("Status", output::name(&run.status)),
        ("Agent", run.agent_id.clone()),
        ("Environment", run.environment_id.clone()),
        ("Trigger", run.trigger_name.clone()),
        ("Attempts", run.attempts.to_string()),
        ("Created", output::time(run.created_at_ms)),
        ("Started", output::maybe_time(run.started_at_ms)),
        ("Finished", output::maybe_time(run.finished_at_ms)),
        ("Input", run.input.to_string()),
        (
            "Output",
            run.output
                .as_ref()
                .map_or_else(|| "-".to_owned(), |out| out.to_string()),
        ),
        ("Error", run.error.clone().unwrap_or_else(|| "-".to_owned())),
    ]);
    if let Some(steps) = run.steps.as_ref().filter(|steps| !steps.is_empty()) {
        println!();
        let rows: Vec<Vec<String>> = steps
            .iter()
            .map(|step| {
                vec![
                    step.step_id.clone(),
                    step.kind.clone(),
                    step.status.clone(),
                    step.duration_ms
                        .map_or_else(|| "-".to_owned(), |ms| format!("{ms} ms")),
                    output::clip(
                        step.error
                            .as_deref()
                            .or(step.output.as_deref())
                            .unwrap_or(""),
                        60,
                    ),
                ]
            })
            .collect();
        output::table(&["STEP", "KIND", "STATUS", "TOOK", "OUTPUT"], &rows);
    }
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}
