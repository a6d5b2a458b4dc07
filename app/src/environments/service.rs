//! List, create, update and delete environments (people only, in the browser's settings): the
//! policy first, then the input rules, the transaction and the audit event of every change.

use crate::access::{authorize, Action, Op, Principal, Target};
use crate::audit::model::Target as AuditTarget;
use crate::audit::record;
use crate::clock::{new_id, now_ms};
use crate::environments::domain::{generate_public_id, EnvironmentInput};
use crate::environments::model::{EnvironmentPurpose, EnvironmentView};
use crate::environments::repo::{self, EnvironmentChanges, EnvironmentRow, NewEnvironmentRow};
use crate::error::AppError;
use crate::state::AppState;
use crate::tokens::repo::ScopeOwner;

const TARGET_KIND: &str = "environment";

/// Every environment of the caller's workspace, alphabetical. Any member may read.
#[tracing::instrument(name = "environments.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<EnvironmentView>, AppError> {
    authorize(principal, Action::settings(Op::Read), Target::Any)?;
    repo::list(state.db.pool(), &principal.workspace_id)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

#[tracing::instrument(name = "environments.create", skip_all)]
pub async fn create(
    state: &AppState,
    principal: &Principal,
    name: &str,
    purpose: &str,
    description: &str,
) -> Result<EnvironmentView, AppError> {
    authorize(principal, Action::settings(Op::Write), Target::Any)?;
    let input =
        EnvironmentInput::parse(name, purpose, description).map_err(AppError::Validation)?;
    let workspace_id = &principal.workspace_id;
    // A friendly early answer; the unique index below is what actually decides a race.
    if repo::name_key_taken(state.db.pool(), workspace_id, &input.name_key, None).await? {
        return Err(AppError::name_taken(TARGET_KIND));
    }

    let id = new_id();
    let public_id = generate_public_id();
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let row = NewEnvironmentRow {
        id: &id,
        workspace_id,
        public_id: &public_id,
        name: &input.name,
        name_key: &input.name_key,
        purpose: input.purpose.as_str(),
        description: &input.description,
        now,
    };
    repo::insert(&mut tx, &row)
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "environments", TARGET_KIND))?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id: &id,
        label: &input.name,
    };
    record(&mut tx, principal, "environment.created", Some(target)).await?;
    tx.commit().await?;

    Ok(EnvironmentView {
        id,
        public_id,
        name: input.name,
        purpose: input.purpose,
        description: input.description,
        created_at_ms: now,
        updated_at_ms: now,
    })
}

/// Replaces name, purpose and description. The public Environment ID never changes.
#[tracing::instrument(name = "environments.update", skip_all, fields(environment_id = %id))]
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    name: &str,
    purpose: &str,
    description: &str,
) -> Result<EnvironmentView, AppError> {
    authorize(principal, Action::settings(Op::Write), Target::Any)?;
    let input =
        EnvironmentInput::parse(name, purpose, description).map_err(AppError::Validation)?;
    let workspace_id = &principal.workspace_id;
    if repo::name_key_taken(state.db.pool(), workspace_id, &input.name_key, Some(id)).await? {
        return Err(AppError::name_taken(TARGET_KIND));
    }

    let mut tx = state.db.begin_write().await?;
    let changes = EnvironmentChanges {
        name: &input.name,
        name_key: &input.name_key,
        purpose: input.purpose.as_str(),
        description: &input.description,
        now: now_ms(),
    };
    let row = repo::update(&mut tx, workspace_id, id, &changes)
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "environments", TARGET_KIND))?
        .ok_or(AppError::NotFound)?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &row.name,
    };
    record(&mut tx, principal, "environment.updated", Some(target)).await?;
    tx.commit().await?;
    view(row)
}

#[tracing::instrument(name = "environments.delete", skip_all, fields(environment_id = %id))]
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    authorize(principal, Action::settings(Op::Write), Target::Any)?;
    let owner = ScopeOwner::Environment(id);
    crate::tokens::service::delete_scope_owner(state, principal, owner, TARGET_KIND).await
}

fn view(row: EnvironmentRow) -> Result<EnvironmentView, AppError> {
    let Some(purpose) = EnvironmentPurpose::parse(&row.purpose) else {
        tracing::error!(environment_id = %row.id, purpose = %row.purpose, "unknown stored purpose");
        return Err(AppError::Internal);
    };
    Ok(EnvironmentView {
        id: row.id,
        public_id: row.public_id,
        name: row.name,
        purpose,
        description: row.description,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
    })
}
