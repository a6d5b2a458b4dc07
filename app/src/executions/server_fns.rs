//! Server functions for an agent's Executions tab: thin adapters over `executions::service`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::executions::model::{Execution, ExecutionPage};

/// The agent's latest executions, newest first; blank filters match everything.
#[server(prefix = "/rpc", endpoint = "list_executions")]
pub async fn list_executions(
    agent_id: String,
    #[server(default)] status: String,
    #[server(default)] environment_id: String,
) -> Result<ExecutionPage, AppError> {
    use crate::executions::model::{ExecutionQuery, ExecutionStatus};
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = ExecutionQuery {
            status: ExecutionStatus::parse(&status),
            environment_id: (!environment_id.is_empty()).then_some(environment_id),
            limit: Some(100),
            offset: None,
        };
        super::service::list(&state, &principal, &agent_id, &query).await
    })
    .await
}

/// One execution with its step log.
#[server(prefix = "/rpc", endpoint = "get_execution")]
pub async fn get_execution(agent_id: String, id: String) -> Result<Execution, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::get(&state, &principal, &agent_id, &id).await
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "cancel_execution")]
pub async fn cancel_execution(agent_id: String, id: String) -> Result<Execution, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::cancel(&state, &principal, &agent_id, &id).await
    })
    .await
}
