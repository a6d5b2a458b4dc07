//! Reading the audit log. Every member of the workspace may read it; no token can.

use crate::access::{authorize, Action, Op, Principal, Target};
use crate::audit::model::AuditEventView;
use crate::error::AppError;
use crate::state::AppState;

/// How many events the log shows, newest first.
pub const SHOWN_EVENTS: i64 = 200;

#[tracing::instrument(name = "audit.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<AuditEventView>, AppError> {
    authorize(principal, Action::settings(Op::Read), Target::Any)?;
    Ok(super::repo::list(state.db.pool(), &principal.workspace_id, SHOWN_EVENTS).await?)
}
