//! Integrations: secrets go in and never come out.

use std::collections::BTreeMap;

use tessera_sdk::wire::integrations::{
    ConnectionCheckRequest, IntegrationKind, IntegrationQuery, IntegrationRequest,
    IntegrationSettings,
};
use tessera_sdk::TryStreamExt;

use crate::common::{client, unique};

#[tokio::test]
async fn integrations_keep_their_secrets_sealed() {
    let integrations = client().integrations();
    let name = unique("crm");
    let secret_value = unique("secret-value");
    let request = IntegrationRequest {
        name: name.clone(),
        kind: IntegrationKind::Http,
        settings: IntegrationSettings {
            base_url: "https://crm.example.com".into(),
            model: None,
            headers: BTreeMap::from([("Accept".into(), "application/json".into())]),
        },
        secrets: BTreeMap::from([("Authorization".into(), Some(secret_value.clone()))]),
    };
    let created = integrations.create(&request).await.unwrap();
    assert!(created.secrets["authorization"].set);
    assert!(!serde_json::to_string(&created)
        .unwrap()
        .contains(&secret_value));

    let shown = integrations.get(&created.id).await.unwrap();
    assert_eq!(shown.settings.headers["accept"], "application/json");
    let all: Vec<_> = integrations
        .list_all(IntegrationQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(|i| i.id == created.id));
    assert!(
        integrations
            .list(&IntegrationQuery::default())
            .await
            .unwrap()
            .total
            >= 1
    );

    // An omitted secret keeps its value.
    let updated = integrations
        .update(
            &created.id,
            &IntegrationRequest {
                settings: IntegrationSettings {
                    base_url: "http://127.0.0.1:9".into(),
                    ..request.settings.clone()
                },
                secrets: BTreeMap::new(),
                ..request.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.settings.base_url, "http://127.0.0.1:9");
    assert!(updated.secrets["authorization"].set);

    // Loopback is refused by the egress guard: the check says so rather than failing.
    let check = integrations
        .check_connection(&created.id, &ConnectionCheckRequest { path: "/".into() })
        .await
        .unwrap();
    assert!(!check.ok, "{check:?}");
    assert!(!check.message.is_empty());

    integrations.delete(&created.id).await.unwrap();
    assert!(integrations
        .get(&created.id)
        .await
        .unwrap_err()
        .is_not_found());
}
