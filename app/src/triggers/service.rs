//! List, read, create, update, delete and execute triggers for both doors: the policy first
//! (SPEC §4.2: an environment token reads all triggers and executes those in its environment;
//! a deployment token reads and executes its own agent's there), then the input rules, the
//! transaction and the audit event.

use serde_json::Value;

use super::model::{Executed, Trigger, TriggerKind, TriggerPage, TriggerQuery, TriggerRequest};
use super::repo::{self, TriggerFields, TriggerFilter, TriggerRow};
use super::schedule::{Schedule, PREVIEW_COUNT};
use super::signing;
use crate::access::{authorize, reach, Action, Op, Principal, Reach, Resource, Target};
use crate::audit::model::Target as AuditTarget;
use crate::audit::record;
use crate::auth::domain::{name_key, parse_name};
use crate::clock::{new_id, now_ms};
use crate::crypto::sealing::{Binding, Plaintext};
use crate::error::{AppError, FieldErrors};
use crate::executions::queue::Start;
use crate::executions::service as executions;
use crate::paging;
use crate::state::AppState;

const TARGET_KIND: &str = "trigger";
const READ: Action = Action::read(Resource::Triggers);
const WRITE: Action = Action::write(Resource::Triggers);
const EXECUTE: Action = Action::new(Resource::Triggers, Op::Execute);
const READ_EXECUTIONS: Action = Action::read(Resource::Executions);
/// Executions a trigger's details show.
const RECENT_EXECUTIONS: i64 = 10;
/// Longest idempotency key accepted.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

#[tracing::instrument(name = "triggers.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: &TriggerQuery,
) -> Result<TriggerPage, AppError> {
    let (reach_agent_id, reach_environment_id) = match reach(principal, READ)? {
        Reach::Deployment {
            agent_id,
            environment_id,
        } => (agent_id, environment_id),
        _ => (String::new(), String::new()),
    };
    let filter = TriggerFilter {
        agent_id: query.agent_id.as_deref().unwrap_or(""),
        environment_id: query.environment_id.as_deref().unwrap_or(""),
        reach_agent_id: &reach_agent_id,
        reach_environment_id: &reach_environment_id,
        limit: paging::effective_limit(query.limit),
        offset: paging::effective_offset(query.offset),
    };
    let (rows, total) = repo::list(state.db.pool(), &principal.workspace_id, &filter).await?;
    Ok(TriggerPage {
        items: rows.into_iter().map(view).collect(),
        total,
        limit: filter.limit,
        offset: filter.offset,
    })
}

/// One trigger with its latest executions.
#[tracing::instrument(name = "triggers.get", skip_all, fields(trigger_id = %id))]
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Trigger, AppError> {
    let row = find_reachable(state, principal, READ, id).await?;
    let deployment = deployment_of(&row);
    let recent = match authorize(principal, READ_EXECUTIONS, deployment) {
        Ok(()) => Some(
            executions::recent_of_trigger(state, &principal.workspace_id, id, RECENT_EXECUTIONS)
                .await?,
        ),
        Err(_) => None,
    };
    let upcoming = schedule_of(&row).map(|schedule| schedule.upcoming(now_ms(), PREVIEW_COUNT));
    Ok(Trigger {
        recent_executions: recent,
        upcoming_fire_times_ms: upcoming.filter(|_| row.enabled != 0),
        ..view(row)
    })
}

fn schedule_of(row: &TriggerRow) -> Option<Schedule> {
    Schedule::parse(row.cron.as_deref()?, row.time_zone.as_deref()?).ok()
}

/// Input for create and update, checked: every problem reported at once, keyed by field.
struct TriggerInput {
    name: String,
    name_key: String,
    enabled: bool,
    /// A schedule trigger's expression and time zone, as given (trimmed), and its next fire
    /// time from now.
    schedule: Option<(String, String, Option<i64>)>,
}

async fn parse(
    state: &AppState,
    workspace_id: &str,
    request: &TriggerRequest,
) -> Result<TriggerInput, AppError> {
    let mut errors = FieldErrors::new();
    let name = parse_name(&request.name, "Name")
        .map_err(|message| errors.insert("name".into(), vec![message]))
        .ok();
    let mut schedule = None;
    if request.kind == TriggerKind::Schedule {
        let cron = request.cron.as_deref().unwrap_or("").trim();
        let time_zone = request.time_zone.as_deref().unwrap_or("UTC").trim();
        match Schedule::parse(cron, time_zone) {
            Ok(parsed) => {
                let next = parsed.next_after(now_ms());
                schedule = Some((cron.to_owned(), time_zone.to_owned(), next));
            }
            Err(problems) => {
                for (field, problem) in [("cron", problems.cron), ("time_zone", problems.time_zone)]
                {
                    if let Some(message) = problem {
                        errors.insert(field.into(), vec![message]);
                    }
                }
            }
        }
    } else {
        for (field, given) in [("cron", &request.cron), ("time_zone", &request.time_zone)] {
            if given.is_some() {
                errors.insert(
                    field.into(),
                    vec!["Only schedule triggers have this.".into()],
                );
            }
        }
    }
    let (agent, environment) = repo::deployment_exists(
        state.db.pool(),
        workspace_id,
        &request.agent_id,
        &request.environment_id,
    )
    .await?;
    if !agent {
        errors.insert("agent_id".into(), vec!["No such agent.".into()]);
    }
    if !environment {
        errors.insert("environment_id".into(), vec!["No such environment.".into()]);
    }
    match name {
        Some(name) if errors.is_empty() => Ok(TriggerInput {
            name_key: name_key(&name),
            name,
            enabled: request.enabled.unwrap_or(true),
            schedule,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

fn fields<'a>(input: &'a TriggerInput, request: &'a TriggerRequest, now: i64) -> TriggerFields<'a> {
    TriggerFields {
        name: &input.name,
        name_key: &input.name_key,
        agent_id: &request.agent_id,
        environment_id: &request.environment_id,
        enabled: input.enabled,
        cron: input.schedule.as_ref().map(|(cron, _, _)| cron.as_str()),
        time_zone: input.schedule.as_ref().map(|(_, zone, _)| zone.as_str()),
        next_fire_at: input.schedule.as_ref().and_then(|(_, _, next)| *next),
        now,
    }
}

#[tracing::instrument(name = "triggers.create", skip_all)]
pub async fn create(
    state: &AppState,
    principal: &Principal,
    request: &TriggerRequest,
) -> Result<Trigger, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let input = parse(state, &principal.workspace_id, request).await?;
    let id = new_id();
    let now = now_ms();
    let secret = (request.kind == TriggerKind::Webhook).then(signing::new_secret);
    let sealed = secret
        .as_deref()
        .map(|secret| seal(state, &principal.workspace_id, &id, secret));
    let mut tx = state.db.begin_write().await?;
    repo::insert(
        &mut tx,
        &id,
        &principal.workspace_id,
        request.kind.as_str(),
        sealed.as_deref(),
        &fields(&input, request, now),
    )
    .await
    .map_err(|error| crate::db::name_taken_or_internal(error, "triggers", TARGET_KIND))?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id: &id,
        label: &input.name,
    };
    record(&mut tx, principal, "trigger.created", Some(target)).await?;
    tx.commit().await?;
    Ok(Trigger {
        signing_secret: secret,
        ..get(state, principal, &id).await?
    })
}

/// How long a replaced signing secret still verifies, so senders can switch over.
pub const PREVIOUS_SECRET_GRACE_MS: i64 = 24 * 60 * 60 * 1000;
/// The sealing binding's field for a trigger's signing secret.
pub const SIGNING_SECRET_FIELD: &str = "signing_secret";

/// Gives a webhook trigger a new signing secret, shown in this answer only. The previous one
/// keeps verifying for [`PREVIOUS_SECRET_GRACE_MS`].
#[tracing::instrument(name = "triggers.rotate_secret", skip_all, fields(trigger_id = %id))]
pub async fn rotate_secret(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Trigger, AppError> {
    let row = find_reachable(state, principal, WRITE, id).await?;
    if row.kind != TriggerKind::Webhook.as_str() {
        return Err(AppError::Conflict(
            "Only webhook triggers have a signing secret.".into(),
        ));
    }
    let current = repo::secrets(state.db.pool(), id)
        .await?
        .and_then(|secrets| secrets.signing_secret);
    let secret = signing::new_secret();
    let sealed = seal(state, &principal.workspace_id, id, &secret);
    let mut tx = state.db.begin_write().await?;
    repo::rotate_secret(
        &mut tx,
        &principal.workspace_id,
        id,
        &sealed,
        current.as_deref(),
        now_ms() + PREVIOUS_SECRET_GRACE_MS,
    )
    .await?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &row.name,
    };
    record(&mut tx, principal, "trigger.secret_rotated", Some(target)).await?;
    tx.commit().await?;
    Ok(Trigger {
        signing_secret: Some(secret),
        ..get(state, principal, id).await?
    })
}

/// Reseals every signing secret (current and previous) written under the previous server
/// key, after a rotation; the integrations' secrets have their own. One that does not open
/// is left: its trigger needs a new secret (rotate it).
pub async fn reseal_all(state: &AppState) -> Result<usize, AppError> {
    let mut resealed = 0;
    for column in [repo::SecretColumn::Current, repo::SecretColumn::Previous] {
        for found in repo::all_sealed(state.db.pool(), column).await? {
            let binding = signing_binding(&found.workspace_id, &found.trigger_id);
            let Ok(opened) = state.sealer.open(&found.sealed, binding) else {
                continue;
            };
            if opened.stale_key {
                let sealed = state.sealer.seal(&opened.value, binding);
                repo::reseal(state.db.pool(), column, &found, &sealed).await?;
                resealed += 1;
            }
        }
    }
    Ok(resealed)
}

/// What a trigger's signing secrets are sealed to: its workspace, itself, and the field.
pub fn signing_binding<'a>(workspace_id: &'a str, trigger_id: &'a str) -> Binding<'a> {
    Binding {
        workspace_id,
        owner_id: trigger_id,
        field: SIGNING_SECRET_FIELD,
    }
}

fn seal(state: &AppState, workspace_id: &str, trigger_id: &str, secret: &str) -> String {
    let binding = signing_binding(workspace_id, trigger_id);
    state
        .sealer
        .seal(&Plaintext::new(secret.to_owned()), binding)
}

/// Replaces the name, agent, environment and enabled flag; the kind stays.
#[tracing::instrument(name = "triggers.update", skip_all, fields(trigger_id = %id))]
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    request: &TriggerRequest,
) -> Result<Trigger, AppError> {
    let existing = find_reachable(state, principal, WRITE, id).await?;
    if request.kind.as_str() != existing.kind {
        return Err(AppError::field(
            "kind",
            "A trigger's kind cannot change; create another trigger.",
        ));
    }
    let input = parse(state, &principal.workspace_id, request).await?;
    let mut tx = state.db.begin_write().await?;
    repo::update(
        &mut tx,
        &principal.workspace_id,
        id,
        &fields(&input, request, now_ms()),
    )
    .await
    .map_err(|error| crate::db::name_taken_or_internal(error, "triggers", TARGET_KIND))?
    .ok_or(AppError::NotFound)?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &input.name,
    };
    record(&mut tx, principal, "trigger.updated", Some(target)).await?;
    tx.commit().await?;
    get(state, principal, id).await
}

#[tracing::instrument(name = "triggers.delete", skip_all, fields(trigger_id = %id))]
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    find_reachable(state, principal, WRITE, id).await?;
    let mut tx = state.db.begin_write().await?;
    let name = repo::delete(&mut tx, &principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &name,
    };
    record(&mut tx, principal, "trigger.deleted", Some(target)).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts an execution of the trigger's agent in its environment with `input` ("Run now":
/// any kind of trigger). A repeated
/// `idempotency_key` within 24 hours answers the original execution and starts nothing
/// (`created` false).
#[tracing::instrument(name = "triggers.execute", skip_all, fields(trigger_id = %id))]
pub async fn execute(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: &Value,
    idempotency_key: Option<&str>,
) -> Result<(Executed, bool), AppError> {
    let row = find_reachable(state, principal, EXECUTE, id).await?;
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS {
            return Err(AppError::field(
                "idempotency_key",
                format!("An idempotency key has 1 to {MAX_IDEMPOTENCY_KEY_CHARS} characters."),
            ));
        }
    }
    if row.enabled == 0 {
        return Err(AppError::Conflict(
            "The trigger is disabled; enable it to run it.".into(),
        ));
    }
    let started = executions::start(
        state,
        &Start {
            workspace_id: &principal.workspace_id,
            agent_id: &row.agent_id,
            environment_id: &row.environment_id,
            trigger_id: &row.id,
            trigger_name: &row.name,
            input,
            idempotency_key,
        },
    )
    .await?;
    let executed = Executed {
        execution_id: started.execution.id.clone(),
        execution: started.execution,
    };
    Ok((executed, started.created))
}

/// The trigger, if the caller may do `action` to it; else "not found" (outside its scope) or
/// the permission it lacks.
async fn find_reachable(
    state: &AppState,
    principal: &Principal,
    action: Action,
    id: &str,
) -> Result<TriggerRow, AppError> {
    reach(principal, action)?;
    let row = repo::find(state.db.pool(), &principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    authorize(principal, action, deployment_of(&row))?;
    Ok(row)
}

pub(super) fn deployment_of(row: &TriggerRow) -> Target<'_> {
    Target::Deployment {
        agent_id: &row.agent_id,
        environment_id: &row.environment_id,
    }
}

pub(super) fn view(row: TriggerRow) -> Trigger {
    Trigger {
        schedule_description: schedule_of(&row).map(|schedule| schedule.describe()),
        next_fire_at_ms: row.next_fire_at.filter(|_| row.enabled != 0),
        upcoming_fire_times_ms: None,
        webhook_path: (row.kind == TriggerKind::Webhook.as_str())
            .then(|| format!("/api/webhook/{}", row.id)),
        signing_secret: None,
        kind: TriggerKind::parse(&row.kind).unwrap_or(TriggerKind::Manual),
        enabled: row.enabled != 0,
        id: row.id,
        name: row.name,
        agent_id: row.agent_id,
        environment_id: row.environment_id,
        cron: row.cron,
        time_zone: row.time_zone,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
        recent_executions: None,
    }
}

/// A schedule as the editor previews it: in words and its next fire times, or each field's
/// problem.
pub fn preview(cron: &str, time_zone: &str) -> Result<super::model::SchedulePreview, AppError> {
    let zone = if time_zone.trim().is_empty() {
        "UTC"
    } else {
        time_zone
    };
    match Schedule::parse(cron, zone) {
        Ok(schedule) => Ok(super::model::SchedulePreview {
            description: schedule.describe(),
            fire_times_ms: schedule.upcoming(now_ms(), PREVIEW_COUNT),
        }),
        Err(problems) => {
            let mut errors = FieldErrors::new();
            for (field, problem) in [("cron", problems.cron), ("time_zone", problems.time_zone)] {
                if let Some(message) = problem {
                    errors.insert(field.into(), vec![message]);
                }
            }
            Err(AppError::Validation(errors))
        }
    }
}
