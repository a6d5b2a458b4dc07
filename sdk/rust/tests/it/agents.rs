//! Agents, triggers and executions: install, run through a trigger (idempotently), read the
//! execution back, cancel, update, delete.

use std::time::Duration;

use serde_json::json;
use tessera_sdk::wire::agents::{AgentQuery, AgentRequest};
use tessera_sdk::wire::executions::{ExecutionQuery, ExecutionStatus};
use tessera_sdk::wire::triggers::{ExecuteRequest, TriggerKind, TriggerQuery, TriggerRequest};
use tessera_sdk::TryStreamExt;

use crate::common::{client, environment_id, greeter, refusal, unique};

#[tokio::test]
async fn agents_are_installed_listed_updated_and_deleted() {
    let client = client();
    let name = unique("agent");
    let agent = greeter(&client, &name).await;
    assert_eq!(agent.config["steps"].as_array().unwrap().len(), 1);

    let found = client
        .agents()
        .list(&AgentQuery {
            search: Some(name.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let walked: Vec<_> = client
        .agents()
        .list_all(AgentQuery {
            search: Some(name.clone()),
            limit: Some(1),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked.len(), 1);

    let updated = client
        .agents()
        .update(
            &agent.id,
            &AgentRequest {
                name: format!("{name}-v2"),
                description: "greets twice".into(),
                version: "2.0.0".into(),
                config: Some(agent.config.clone()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.version.as_str(), updated.description.as_str()),
        ("2.0.0", "greets twice")
    );
    assert_eq!(
        client.agents().get(&agent.id).await.unwrap().name,
        format!("{name}-v2")
    );

    // A config that breaks a rule is 422 naming the field.
    let invalid = refusal(
        client
            .agents()
            .install(&AgentRequest {
                name: unique("bad"),
                description: String::new(),
                version: "1".into(),
                config: Some(json!({"steps": [{"id": "x", "kind": "no_such_kind"}]})),
            })
            .await,
    );
    assert_eq!(invalid.status, 422);
    assert!(!invalid.errors.is_empty(), "{invalid:?}");

    client.agents().delete(&agent.id).await.unwrap();
    assert!(client
        .agents()
        .get(&agent.id)
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test]
async fn a_trigger_runs_its_agent_once_per_idempotency_key() {
    let client = client();
    let agent = greeter(&client, &unique("runner")).await;
    let trigger = client
        .triggers()
        .create(&TriggerRequest {
            name: unique("manual"),
            agent_id: agent.id.clone(),
            environment_id: environment_id(),
            kind: TriggerKind::Manual,
            enabled: None,
            cron: None,
            time_zone: None,
        })
        .await
        .unwrap();
    assert_eq!(trigger.kind, TriggerKind::Manual);

    let key = unique("key");
    let input = ExecuteRequest {
        input: Some(json!({"name": "Ada"})),
    };
    let first = client
        .triggers()
        .execute(&trigger.id, &input, Some(&key))
        .await
        .unwrap();
    let again = client
        .triggers()
        .execute(&trigger.id, &input, Some(&key))
        .await
        .unwrap();
    assert_eq!(
        first.execution_id, again.execution_id,
        "the same key, the same execution"
    );
    assert_eq!(first.execution.input, json!({"name": "Ada"}));

    let done = client
        .executions()
        .wait(&agent.id, &first.execution_id, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{:?}", done.error);
    assert_eq!(done.output, Some(json!("Hello Ada")));
    assert_eq!(done.trigger_id.as_deref(), Some(trigger.id.as_str()));
    let steps = done.steps.clone().unwrap();
    assert_eq!(
        (steps[0].step_id.as_str(), steps[0].kind.as_str()),
        ("greet", "template")
    );

    let listed = client
        .executions()
        .list(
            &agent.id,
            &ExecutionQuery {
                status: Some(ExecutionStatus::Succeeded),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>(),
        [first.execution_id.as_str()]
    );
    let all: Vec<_> = client
        .executions()
        .list_all(&agent.id, ExecutionQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);

    // Over already: cancel is a conflict. A new one is canceled unless it finished first.
    assert_eq!(
        refusal(
            client
                .executions()
                .cancel(&agent.id, &first.execution_id)
                .await
        )
        .status,
        409
    );
    let second = client
        .triggers()
        .execute(&trigger.id, &input, None)
        .await
        .unwrap();
    match client
        .executions()
        .cancel(&agent.id, &second.execution_id)
        .await
    {
        Ok(execution) => assert!(
            execution.status == ExecutionStatus::Canceled || execution.cancel_requested,
            "{execution:?}"
        ),
        Err(error) => assert_eq!(error.status(), Some(409), "{error:?}"),
    }
    let second = client
        .executions()
        .wait(&agent.id, &second.execution_id, Duration::from_secs(30))
        .await
        .unwrap();
    assert!(matches!(
        second.status,
        ExecutionStatus::Canceled | ExecutionStatus::Succeeded
    ));

    // The trigger: shown with its latest executions, listed, renamed, deleted.
    let shown = client.triggers().get(&trigger.id).await.unwrap();
    assert!(shown
        .recent_executions
        .unwrap()
        .iter()
        .any(|e| e.id == first.execution_id));
    let listed = client
        .triggers()
        .list(&TriggerQuery {
            agent_id: Some(agent.id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    let renamed = client
        .triggers()
        .update(
            &trigger.id,
            &TriggerRequest {
                name: format!("{}-renamed", trigger.name),
                agent_id: agent.id.clone(),
                environment_id: environment_id(),
                kind: TriggerKind::Manual,
                enabled: Some(false),
                cron: None,
                time_zone: None,
            },
        )
        .await
        .unwrap();
    assert!(!renamed.enabled);
    assert_eq!(
        refusal(client.triggers().execute(&trigger.id, &input, None).await).status,
        409
    );
    // Only a webhook trigger has a secret to rotate.
    assert_eq!(
        refusal(client.triggers().rotate_secret(&trigger.id).await).status,
        409
    );
    client.triggers().delete(&trigger.id).await.unwrap();
    assert!(client
        .triggers()
        .get(&trigger.id)
        .await
        .unwrap_err()
        .is_not_found());
    client.agents().delete(&agent.id).await.unwrap();
}
