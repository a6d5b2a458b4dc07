//! Webhook deliveries: signed with the trigger's secret (no token), or with the token; a
//! repeat answers the first delivery.

use tessera_sdk::webhook::{WebhookSecret, WebhookSender};
use tessera_sdk::wire::triggers::{TriggerKind, TriggerRequest};

use crate::common::{base_url, client, environment_id, greeter, refusal, unique};

#[tokio::test]
async fn webhooks_are_delivered_signed_or_by_token() {
    let client = client();
    let agent = greeter(&client, &unique("hooked")).await;
    let trigger = client
        .triggers()
        .create(&TriggerRequest {
            name: unique("hook"),
            agent_id: agent.id.clone(),
            environment_id: environment_id(),
            kind: TriggerKind::Webhook,
            enabled: None,
            cron: None,
            time_zone: None,
        })
        .await
        .unwrap();
    let secret_text = trigger
        .signing_secret
        .clone()
        .expect("shown once on creation");
    let secret = WebhookSecret::parse(&secret_text).unwrap();
    assert!(!format!("{secret:?}").contains(&secret_text[6..]));

    let body = br#"{"name": "Grace"}"#.to_vec();
    let sender = WebhookSender::new(base_url()).unwrap();
    let signed = sender
        .send(&trigger.id, &secret, body.clone(), "application/json")
        .await
        .unwrap();
    let executed = client
        .executions()
        .wait(
            &agent.id,
            &signed.execution_id,
            std::time::Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(executed.trigger_id.as_deref(), Some(trigger.id.as_str()));
    let via_client = client
        .webhooks()
        .send_signed(&trigger.id, &secret, body.clone(), "application/json")
        .await
        .unwrap();
    assert_ne!(via_client.event_id, signed.event_id);

    // By token, with a key: the repeat answers the first delivery's ids.
    let key = unique("delivery");
    let first = client
        .webhooks()
        .send(&trigger.id, body.clone(), "application/json", Some(&key))
        .await
        .unwrap();
    let again = client
        .webhooks()
        .send(&trigger.id, body.clone(), "application/json", Some(&key))
        .await
        .unwrap();
    assert_eq!(first, again);

    // A secret that is not this trigger's is refused.
    let wrong = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let refused = refusal(
        sender
            .send(&trigger.id, &wrong, body.clone(), "application/json")
            .await,
    );
    assert_eq!((refused.status, refused.kind()), (401, "invalid-signature"));

    // Rotation: a new secret, shown once, that signs too.
    let rotated = client.triggers().rotate_secret(&trigger.id).await.unwrap();
    let new_secret = WebhookSecret::parse(rotated.signing_secret.as_deref().unwrap()).unwrap();
    sender
        .send(&trigger.id, &new_secret, body, "text/plain")
        .await
        .unwrap();

    client.triggers().delete(&trigger.id).await.unwrap();
    client.agents().delete(&agent.id).await.unwrap();
}
