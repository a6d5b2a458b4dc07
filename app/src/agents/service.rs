//! List, read, install, update and delete agents for both doors: the policy first, then the
//! input rules, the transaction and the audit event that goes with every change.

use crate::access::{authorize, reach, Action, Principal, Resource, Target};
use crate::agents::domain::{pretty_config, AgentInput};
use crate::agents::model::{AgentPage, AgentQuery, AgentView};
use crate::agents::repo::{self, AgentFields, AgentFilter, AgentRow};
use crate::agents::steps::{self, AgentConfig, ConfigProblem};
use crate::audit::model::Target as AuditTarget;
use crate::audit::record;
use crate::auth::domain::name_key;
use crate::clock::{new_id, now_ms};
use crate::error::{AppError, FieldErrors};
use crate::paging;
use crate::state::AppState;
use crate::tokens::repo::ScopeOwner;

const TARGET_KIND: &str = "agent";
const READ: Action = Action::read(Resource::Agents);
const WRITE: Action = Action::write(Resource::Agents);

/// One page of the agents the caller may see, alphabetical: the whole workspace, or for a
/// deployment token its own agent only.
#[tracing::instrument(name = "agents.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: &AgentQuery,
) -> Result<AgentPage, AppError> {
    let reach = reach(principal, READ)?;
    let search_key = paging::search_key(query.search.as_deref());
    let filter = AgentFilter {
        search_key: search_key.as_deref(),
        only_id: reach.only_agent(),
        limit: paging::effective_limit(query.limit),
        offset: paging::effective_offset(query.offset),
    };
    let (rows, total) = repo::list(state.db.pool(), &principal.workspace_id, &filter).await?;
    Ok(AgentPage {
        items: rows.into_iter().map(view).collect(),
        total,
        limit: filter.limit,
        offset: filter.offset,
    })
}

/// One agent; outside the caller's reach it is "not found", like another workspace's.
#[tracing::instrument(name = "agents.get", skip_all, fields(agent_id = %id))]
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<AgentView, AppError> {
    authorize(principal, READ, Target::Agent(id))?;
    repo::find(state.db.pool(), &principal.workspace_id, id)
        .await?
        .map(view)
        .ok_or(AppError::NotFound)
}

/// Raw form text for install and update; parsed by `AgentInput::parse`.
pub struct AgentForm<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub version: &'a str,
    pub config: &'a str,
}

impl AgentForm<'_> {
    /// Every field's rules, then the config's steps (`steps::parse`) and the integrations
    /// they name: each problem keyed `config` followed by the JSON pointer of its field
    /// (`config/steps/2/path`), and listed under `config` as well.
    async fn parse(&self, state: &AppState, workspace_id: &str) -> Result<AgentInput, AppError> {
        let input = AgentInput::parse(self.name, self.description, self.version, self.config)
            .map_err(AppError::Validation)?;
        let config: serde_json::Value =
            serde_json::from_str(&input.config).map_err(|_| AppError::Internal)?;
        let problems = match steps::parse(&config) {
            Ok(config) => missing_integrations(state, workspace_id, &config).await?,
            Err(problems) => problems,
        };
        if problems.is_empty() {
            return Ok(input);
        }
        // Each problem at its pointer, for programs; and all of them under `config`, named by
        // pointer, for the editor (which shows one field's messages).
        let mut errors = FieldErrors::new();
        for problem in problems {
            let summary = match problem.pointer.as_str() {
                "" => problem.message.clone(),
                pointer => match line_in(self.config, pointer) {
                    Some(line) => format!("Line {line}, {pointer}: {}", problem.message),
                    None => format!("{pointer}: {}", problem.message),
                },
            };
            errors.entry("config".to_owned()).or_default().push(summary);
            if !problem.pointer.is_empty() {
                errors
                    .entry(format!("config{}", problem.pointer))
                    .or_default()
                    .push(problem.message);
            }
        }
        Err(AppError::Validation(errors))
    }
}

/// The line of typed config text a pointer's field is on; none for text on one line (as a
/// program sends it), where a line says nothing.
fn line_in(text: &str, pointer: &str) -> Option<usize> {
    if !text.contains('\n') {
        return None;
    }
    let range = super::pointer::locate(text, pointer)?;
    Some(super::pointer::line_at(text, range.start))
}

/// The steps whose integration is not one of the workspace's, or not of the kind the step
/// needs.
async fn missing_integrations(
    state: &AppState,
    workspace_id: &str,
    config: &AgentConfig,
) -> Result<Vec<ConfigProblem>, AppError> {
    let mut problems = Vec::new();
    for (index, step) in config.steps.iter().enumerate() {
        let Some((reference, kind)) = step.action.integration() else {
            continue;
        };
        let found = crate::integrations::repo::find_reference(
            state.db.pool(),
            workspace_id,
            reference,
            &name_key(reference),
        )
        .await?;
        let message = match found {
            None => format!("No integration is called \u{201c}{reference}\u{201d}."),
            Some((_, found_kind)) if found_kind != kind => {
                format!("\u{201c}{reference}\u{201d} is not an integration of kind {kind}.")
            }
            Some(_) => continue,
        };
        problems.push(ConfigProblem {
            pointer: format!("/steps/{index}/integration"),
            message,
        });
    }
    Ok(problems)
}

#[tracing::instrument(name = "agents.install", skip_all)]
pub async fn install(
    state: &AppState,
    principal: &Principal,
    form: AgentForm<'_>,
) -> Result<AgentView, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let input = form.parse(state, &principal.workspace_id).await?;
    let workspace_id = &principal.workspace_id;
    // A friendly early answer; the unique index below is what actually decides a race.
    if repo::name_key_taken(state.db.pool(), workspace_id, &input.name_key, None).await? {
        return Err(AppError::name_taken(TARGET_KIND));
    }

    let id = new_id();
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    repo::insert(&mut tx, &id, workspace_id, &fields(&input, now))
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "agents", TARGET_KIND))?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id: &id,
        label: &input.name,
    };
    record(&mut tx, principal, "agent.installed", Some(target)).await?;
    tx.commit().await?;

    Ok(AgentView {
        id,
        config: pretty_config(&input.config),
        name: input.name,
        description: input.description,
        version: input.version,
        created_at_ms: now,
        updated_at_ms: now,
    })
}

/// Replaces every editable field.
#[tracing::instrument(name = "agents.update", skip_all, fields(agent_id = %id))]
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    form: AgentForm<'_>,
) -> Result<AgentView, AppError> {
    authorize(principal, WRITE, Target::Agent(id))?;
    let input = form.parse(state, &principal.workspace_id).await?;
    let workspace_id = &principal.workspace_id;
    if repo::name_key_taken(state.db.pool(), workspace_id, &input.name_key, Some(id)).await? {
        return Err(AppError::name_taken(TARGET_KIND));
    }

    let mut tx = state.db.begin_write().await?;
    let row = repo::update(&mut tx, workspace_id, id, &fields(&input, now_ms()))
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "agents", TARGET_KIND))?
        .ok_or(AppError::NotFound)?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &row.name,
    };
    record(&mut tx, principal, "agent.updated", Some(target)).await?;
    tx.commit().await?;
    Ok(view(row))
}

#[tracing::instrument(name = "agents.delete", skip_all, fields(agent_id = %id))]
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    authorize(principal, WRITE, Target::Agent(id))?;
    let owner = ScopeOwner::Agent(id);
    crate::tokens::service::delete_scope_owner(state, principal, owner, TARGET_KIND).await
}

fn fields(input: &AgentInput, now: i64) -> AgentFields<'_> {
    AgentFields {
        name: &input.name,
        name_key: &input.name_key,
        description: &input.description,
        version: &input.version,
        config: &input.config,
        now,
    }
}

fn view(row: AgentRow) -> AgentView {
    AgentView {
        config: pretty_config(&row.config),
        id: row.id,
        name: row.name,
        description: row.description,
        version: row.version,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
    }
}
