//! Server functions for an agent's Triggers tab: thin adapters over `triggers::service`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::triggers::model::{Executed, SchedulePreview, Trigger, TriggerRequest};

/// The agent's triggers, alphabetical.
#[server(prefix = "/rpc", endpoint = "list_triggers")]
pub async fn list_triggers(agent_id: String) -> Result<Vec<Trigger>, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let query = crate::triggers::model::TriggerQuery {
            agent_id: Some(agent_id),
            limit: Some(crate::paging::MAX_LIMIT),
            ..Default::default()
        };
        Ok(super::service::list(&state, &principal, &query)
            .await?
            .items)
    })
    .await
}

/// Creates (no `id`) or replaces a trigger. A new webhook trigger's answer holds its signing
/// secret, this once.
#[server(prefix = "/rpc", endpoint = "save_trigger", input = Json)]
pub async fn save_trigger(
    id: Option<String>,
    request: TriggerRequest,
) -> Result<Trigger, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        match id {
            Some(id) => super::service::update(&state, &principal, &id, &request).await,
            None => super::service::create(&state, &principal, &request).await,
        }
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_trigger")]
pub async fn delete_trigger(id: String) -> Result<(), AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::delete(&state, &principal, &id).await
    })
    .await
}

/// Runs the trigger now with `input`, JSON text (blank means `{}`).
#[server(prefix = "/rpc", endpoint = "run_trigger")]
pub async fn run_trigger(
    id: String,
    #[server(default)] input: String,
) -> Result<Executed, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        let input = if input.trim().is_empty() {
            serde_json::json!({})
        } else {
            serde_json::from_str(&input)
                .map_err(|error| AppError::field("input", format!("Not JSON: {error}.")))?
        };
        let (executed, _) = super::service::execute(&state, &principal, &id, &input, None).await?;
        Ok(executed)
    })
    .await
}

/// A new signing secret for a webhook trigger, in this answer only.
#[server(prefix = "/rpc", endpoint = "rotate_trigger_secret")]
pub async fn rotate_trigger_secret(id: String) -> Result<Trigger, AppError> {
    crate::rpc::handle(async {
        let (state, principal) = crate::rpc::current_principal().await?;
        super::service::rotate_secret(&state, &principal, &id).await
    })
    .await
}

/// A schedule in words with its next five fire times, or what is wrong with it, by field.
#[server(prefix = "/rpc", endpoint = "preview_schedule")]
pub async fn preview_schedule(
    cron: String,
    time_zone: String,
) -> Result<SchedulePreview, AppError> {
    crate::rpc::handle(async {
        crate::rpc::current_principal().await?;
        super::service::preview(&cron, &time_zone)
    })
    .await
}
