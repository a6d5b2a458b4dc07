//! Runs an execution: the `run_execution` job (app/src/jobs) calls [`run`], which takes the
//! agent's steps in order, each seeing the input and the earlier steps' outputs, and logs
//! each step: once when it ends, and also as it runs if it takes a while. The output is the
//! last step's output.
//!
//! Quick steps' rows wait to be written with the execution's end, in one transaction: each
//! commit waits for the database's log to reach the disk, and with the step rows written one
//! by one a two-step execution committed six times, which is what paced the backlog drain on
//! PostgreSQL (docs/benchmarks.md). People watching still see a step soon after its end:
//! waiting rows are written before a slow step is logged as running, and at the end of the
//! first quick step after one of them has waited [`LOG_RUNNING_AFTER`] — so within twice
//! that at most.
//!
//! Cancel is honoured at step boundaries; a step or an attempt over its time limit ends the
//! execution `timed_out`. A database that cannot be reached is worth another attempt (the
//! job is retried); a step that fails ends the execution `failed`.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::repo::{self, StepEnd, StepStart};
use crate::agents::steps::{self, Step, StepAction};
use crate::assistant::model_answerer::ModelStream;
use crate::clock::now_ms;
use crate::db::Db;
use crate::integrations::service::{call, model_endpoint, OutboundCall};
use crate::jobs::outcome::JobError;
use crate::knowledge::model::SearchQuery;
use crate::knowledge::service::passages;
use crate::state::AppState;

/// A step's output kept in the log at most (the whole output still feeds the next steps).
pub const LOGGED_OUTPUT_BYTES: usize = 4 * 1024;
/// A step still going after this long is logged as running while it runs.
const LOG_RUNNING_AFTER: Duration = Duration::from_millis(100);

/// How a run ended.
enum Ending {
    Succeeded(Value),
    Failed(String),
    Canceled,
    TimedOut(String),
}

/// Runs the execution `id` once (one attempt).
pub async fn run(state: &AppState, id: &str) -> Result<(), JobError> {
    let db = &state.db;
    let Some(execution) = repo::begin_attempt(db.pool(), id, now_ms())
        .await
        .map_err(retry)?
    else {
        // Over already, or canceled: a running execution whose cancel was asked before its
        // instance died ends here as canceled (a final one is left as it is).
        finish(state, id, Ending::Canceled, &[]).await?;
        return Ok(());
    };
    let (ending, unlogged) =
        match load_steps(state, &execution.workspace_id, &execution.agent_id).await? {
            Err(problem) => (Ending::Failed(problem), Vec::new()),
            Ok(steps) => {
                let input: Value = serde_json::from_str(&execution.input).unwrap_or(Value::Null);
                let limits = state.jobs.settings();
                let mut attempt = Attempt {
                    state,
                    id,
                    workspace_id: &execution.workspace_id,
                    deadline: Instant::now() + limits.execution_timeout,
                    step_timeout: limits.step_timeout,
                    unlogged: UnloggedSteps::default(),
                };
                let ending = attempt.run(&steps, input).await?;
                (ending, attempt.unlogged.steps)
            }
        };
    finish(state, id, ending, &unlogged).await
}

/// The agent's steps, or why it cannot run.
async fn load_steps(
    state: &AppState,
    workspace_id: &str,
    agent_id: &str,
) -> Result<Result<Vec<Step>, String>, JobError> {
    let Some(agent) = crate::agents::repo::find(state.db.pool(), workspace_id, agent_id)
        .await
        .map_err(retry)?
    else {
        return Ok(Err("The agent is gone.".into()));
    };
    let config: Value = serde_json::from_str(&agent.config).unwrap_or(Value::Null);
    Ok(steps::parse(&config)
        .map(|config| config.steps)
        .map_err(|problems| {
            let first = problems
                .first()
                .map(|problem| format!("{}: {}", problem.pointer, problem.message))
                .unwrap_or_default();
            format!("The agent's config is not valid ({first}).")
        }))
}

struct Attempt<'a> {
    state: &'a AppState,
    id: &'a str,
    workspace_id: &'a str,
    deadline: Instant,
    step_timeout: Duration,
    unlogged: UnloggedSteps,
}

/// A step that ended before it was logged as running: its whole row, not yet written.
struct EndedStep {
    index: i64,
    step_id: String,
    kind: &'static str,
    started_at: i64,
    status: &'static str,
    duration_ms: i64,
    output: Option<String>,
    error: Option<String>,
}

/// Ended steps waiting to be written, and since when the first of them has waited.
#[derive(Default)]
struct UnloggedSteps {
    steps: Vec<EndedStep>,
    waiting_since: Option<Instant>,
}

impl UnloggedSteps {
    fn push(&mut self, step: EndedStep) {
        self.waiting_since.get_or_insert_with(Instant::now);
        self.steps.push(step);
    }

    fn waited_long(&self) -> bool {
        self.waiting_since
            .is_some_and(|since| since.elapsed() >= LOG_RUNNING_AFTER)
    }

    /// Writes the waiting rows, in one transaction.
    async fn write(&mut self, db: &Db, execution_id: &str) -> Result<(), JobError> {
        if self.steps.is_empty() {
            return Ok(());
        }
        let mut tx = db.begin_write().await.map_err(retry)?;
        log_steps(&mut tx, execution_id, &self.steps).await?;
        tx.commit().await.map_err(retry)?;
        self.steps.clear();
        self.waiting_since = None;
        Ok(())
    }
}

async fn log_steps(
    conn: &mut sqlx::AnyConnection,
    execution_id: &str,
    steps: &[EndedStep],
) -> Result<(), JobError> {
    for step in steps {
        let start = StepStart {
            index: step.index,
            step_id: &step.step_id,
            kind: step.kind,
            started_at: step.started_at,
        };
        let end = StepEnd {
            status: step.status,
            duration_ms: step.duration_ms,
            output: step.output.as_deref(),
            error: step.error.as_deref(),
        };
        repo::log_step(&mut *conn, execution_id, &start, &end)
            .await
            .map_err(retry)?;
    }
    Ok(())
}

impl Attempt<'_> {
    async fn run(&mut self, steps: &[Step], input: Value) -> Result<Ending, JobError> {
        let pool = self.state.db.pool();
        let mut outputs = Map::new();
        let mut last = Value::Null;
        for (index, step) in steps.iter().enumerate() {
            // The first step's check was starting the attempt.
            if index > 0 && !repo::still_running(pool, self.id).await.map_err(retry)? {
                return Ok(Ending::Canceled);
            }
            let logged = StepStart {
                index: i64::try_from(index).unwrap_or(i64::MAX),
                step_id: &step.id,
                kind: step.action.kind(),
                started_at: now_ms(),
            };
            let started = Instant::now();
            let left = self.deadline.saturating_duration_since(started);
            let limit = left.min(self.step_timeout);
            let context = json!({ "input": input, "steps": outputs });
            let work = tokio::time::timeout(
                limit,
                run_step(self.state, self.workspace_id, &step.action, &context),
            );
            tokio::pin!(work);
            // A step still going after a moment is logged as running, so people watching
            // see it; a quicker one is logged once, when it ends.
            let mut logged_running = false;
            let outcome = tokio::select! {
                outcome = &mut work => outcome,
                () = tokio::time::sleep(LOG_RUNNING_AFTER) => {
                    // The rows before it first, so the log reads in order.
                    self.unlogged.write(&self.state.db, self.id).await?;
                    // Not logged when a cancel came meanwhile: then the end writes the row.
                    logged_running = repo::start_step(pool, self.id, logged.index, logged.step_id, logged.kind, logged.started_at)
                        .await
                        .map_err(retry)?;
                    work.await
                }
            };
            let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
            let (status, output, error, ending) = match outcome {
                Ok(Ok(output)) => {
                    let logged = serde_json::to_string(&output).unwrap_or_default();
                    outputs.insert(step.id.clone(), output.clone());
                    last = output;
                    ("succeeded", Some(truncated(&logged)), None, None)
                }
                Ok(Err(failure)) => {
                    let ending = Ending::Failed(format!("Step {} failed: {failure}", step.id));
                    ("failed", None, Some(failure), Some(ending))
                }
                Err(_) => {
                    let seconds = limit.as_secs_f64();
                    let failure = format!("It ran longer than its limit of {seconds:.1} s.");
                    let ending = Ending::TimedOut(format!("Step {} timed out.", step.id));
                    ("timed_out", None, Some(failure), Some(ending))
                }
            };
            if logged_running {
                let end = StepEnd {
                    status,
                    duration_ms,
                    output: output.as_deref(),
                    error: error.as_deref(),
                };
                repo::end_step(pool, self.id, logged.index, &end)
                    .await
                    .map_err(retry)?;
            } else {
                self.unlogged.push(EndedStep {
                    index: logged.index,
                    step_id: step.id.clone(),
                    kind: step.action.kind(),
                    started_at: logged.started_at,
                    status,
                    duration_ms,
                    output,
                    error,
                });
                if self.unlogged.waited_long() {
                    self.unlogged.write(&self.state.db, self.id).await?;
                }
            }
            if let Some(ending) = ending {
                return Ok(ending);
            }
        }
        Ok(Ending::Succeeded(last))
    }
}

/// What one step does, given the input and earlier outputs; its output or why it failed.
async fn run_step(
    state: &AppState,
    workspace_id: &str,
    action: &StepAction,
    context: &Value,
) -> Result<Value, String> {
    let render = |text: &str| steps::render(text, context);
    match action {
        StepAction::Template { template } => render(template).map(Value::String),
        StepAction::KbSearch { query, limit } => {
            let query = SearchQuery {
                q: render(query)?,
                limit: Some(*limit),
            };
            let found = passages(state, workspace_id, &query)
                .await
                .map_err(|_| "The knowledge base could not be searched.".to_owned())?;
            let hits: Vec<_> = found.into_iter().map(|passage| passage.hit).collect();
            serde_json::to_value(hits).map_err(|error| error.to_string())
        }
        StepAction::AssistantAnswer { question } => {
            let question = render(question)?;
            let answer = crate::assistant::service::answer_once(state, workspace_id, &question)
                .await
                .map_err(|_| "The assistant could not answer.".to_owned())?;
            serde_json::to_value(answer).map_err(|error| error.to_string())
        }
        StepAction::HttpRequest {
            integration,
            method,
            path,
            headers,
            body,
        } => {
            let mut rendered_headers = std::collections::BTreeMap::new();
            for (name, value) in headers {
                rendered_headers.insert(name.clone(), render(value)?);
            }
            let outbound = OutboundCall {
                integration,
                method: method
                    .parse()
                    .map_err(|_| format!("{method} is not a method."))?,
                path: &render(path)?,
                headers: &rendered_headers,
                body: body.as_deref().map(render).transpose()?,
            };
            let answer = call(state, workspace_id, outbound).await?;
            let text = String::from_utf8_lossy(&answer.body).into_owned();
            let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
            Ok(json!({ "status": answer.status, "body": body }))
        }
        StepAction::Llm {
            integration,
            prompt,
        } => {
            let prompt = render(prompt)?;
            let reference_key = crate::auth::domain::name_key(integration);
            let id = crate::integrations::repo::find_reference(
                state.db.pool(),
                workspace_id,
                integration,
                &reference_key,
            )
            .await
            .map_err(|_| "The integration could not be read.".to_owned())?
            .map(|(id, _)| id)
            .ok_or_else(|| format!("No integration is called \u{201c}{integration}\u{201d}."))?;
            let endpoint = model_endpoint(state, workspace_id, &id).await?;
            let messages = json!([{ "role": "user", "content": prompt }]);
            let patience = state.assistant.patience;
            let mut stream = ModelStream::open(&state.egress, &endpoint, messages, patience)
                .await
                .map_err(|failure| failure.to_string())?;
            let mut said = String::new();
            while let Some(piece) = stream.next().await.map_err(|failure| failure.to_string())? {
                said.push_str(&piece);
            }
            Ok(Value::String(said))
        }
    }
}

/// At most [`LOGGED_OUTPUT_BYTES`] of `text`, cut at a character boundary.
pub fn truncated(text: &str) -> String {
    if text.len() <= LOGGED_OUTPUT_BYTES {
        return text.to_owned();
    }
    let mut end = LOGGED_OUTPUT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Ends the execution, writing the step rows still waiting with it: one commit.
async fn finish(
    state: &AppState,
    id: &str,
    ending: Ending,
    unlogged: &[EndedStep],
) -> Result<(), JobError> {
    let (status, output, error) = match ending {
        Ending::Succeeded(output) => ("succeeded", Some(output.to_string()), None),
        Ending::Failed(error) => ("failed", None, Some(error)),
        Ending::Canceled => ("canceled", None, Some("Canceled.".to_owned())),
        Ending::TimedOut(error) => ("timed_out", None, Some(error)),
    };
    let mut tx = state.db.begin_write().await.map_err(retry)?;
    log_steps(&mut tx, id, unlogged).await?;
    repo::finish(
        &mut tx,
        id,
        status,
        output.as_deref(),
        error.as_deref(),
        now_ms(),
    )
    .await
    .map_err(retry)?;
    tx.commit().await.map_err(retry)
}

/// This instance stopped while running the execution: it waits in the queue again.
pub async fn handed_back(state: &AppState, id: &str) {
    if let Err(error) = repo::requeue(state.db.pool(), id).await {
        tracing::warn!(execution_id = id, %error, "cannot mark a handed-back execution queued");
    }
}

/// The job will not be tried again (its instances kept dying, or the database kept failing).
pub async fn give_up(state: &AppState, id: &str, reason: &str) {
    let error = format!("Given up after repeated interruptions: {reason}.");
    if let Err(error) = finish(state, id, Ending::Failed(error), &[]).await {
        tracing::warn!(execution_id = id, %error, "cannot mark an execution failed");
    }
}

fn retry(error: sqlx::Error) -> JobError {
    JobError::Retry(format!("database: {error}"))
}
