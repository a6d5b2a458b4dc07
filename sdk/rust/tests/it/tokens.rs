//! The token lifecycle: create, list (paged), show, narrow, suspend, activate, regenerate,
//! revoke, delete — and what each state does to the token's own requests.

use tessera_sdk::wire::access::{Level, Permissions};
use tessera_sdk::wire::agents::AgentRequest;
use tessera_sdk::wire::tokens::{
    CreateTokenRequest, EffectiveStatus, GracePeriod, RegenerateRequest, TokenQuery, TokenSort,
    UpdateTokenRequest,
};
use tessera_sdk::{Client, TryStreamExt};

use crate::common::{base_url, client, refusal, unique};

fn as_client(plaintext: &str) -> Client {
    Client::builder()
        .token(plaintext)
        .base_url(base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_token_lives_and_dies() {
    let tokens = client().tokens();
    let name = unique("token");
    let created = tokens
        .create(&CreateTokenRequest {
            name: name.clone(),
            scope: None,
            expires_at_ms: None,
            permissions: Some(Permissions::read_only()),
        })
        .await
        .unwrap();
    assert_eq!(created.token.name, name);
    assert_eq!(created.token.status, EffectiveStatus::Active);
    assert!(created.plaintext.starts_with(&created.token.prefix));
    assert!(!format!("{created:?}").contains(&created.plaintext));
    let id = created.token.id.clone();

    // The new token works, within its permissions: it reads, it may not write.
    let own = as_client(&created.plaintext);
    assert_eq!(own.tokens().current().await.unwrap().id, id);
    let refused = refusal(
        own.agents()
            .install(&AgentRequest {
                name: unique("refused"),
                description: String::new(),
                version: "1".into(),
                config: None,
            })
            .await,
    );
    assert_eq!(
        (refused.status, refused.kind()),
        (403, "insufficient-scope")
    );
    assert_eq!(refused.required.as_deref(), Some("agents:write"));

    let listed = tokens
        .list(&TokenQuery {
            search: Some(name.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].id, id);
    assert_eq!(tokens.get(&id).await.unwrap().name, name);

    let mut narrower = Permissions::read_only();
    narrower.agents = Level::None;
    let narrowed = tokens
        .update(
            &id,
            &UpdateTokenRequest {
                permissions: narrower,
            },
        )
        .await
        .unwrap();
    assert_eq!(narrowed.permissions.agents, Level::None);

    assert_eq!(
        tokens.suspend(&id).await.unwrap().status,
        EffectiveStatus::Suspended
    );
    assert_eq!(refusal(own.tokens().current().await).status, 401);
    assert_eq!(
        tokens.activate(&id).await.unwrap().status,
        EffectiveStatus::Active
    );
    own.tokens().current().await.unwrap();

    let regenerated = tokens
        .regenerate(
            &id,
            &RegenerateRequest {
                grace: GracePeriod::None,
            },
        )
        .await
        .unwrap();
    assert_ne!(regenerated.plaintext, created.plaintext);
    assert_eq!(refusal(own.tokens().current().await).status, 401);
    let renewed = as_client(&regenerated.plaintext);
    assert_eq!(renewed.tokens().current().await.unwrap().id, id);

    // Only a revoked token can be deleted.
    let conflict = refusal(tokens.delete(&id).await);
    assert_eq!(conflict.status, 409);
    assert_eq!(
        tokens.revoke(&id).await.unwrap().status,
        EffectiveStatus::Revoked
    );
    assert_eq!(refusal(renewed.tokens().current().await).status, 401);
    tokens.delete(&id).await.unwrap();
    let gone = tokens.get(&id).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
    assert_eq!(gone.problem().unwrap().kind(), "not-found");
}

#[tokio::test]
async fn list_all_walks_every_page() {
    let tokens = client().tokens();
    let prefix = unique("paged");
    let mut ids = Vec::new();
    for n in 0..5 {
        let created = tokens
            .create(&CreateTokenRequest {
                name: format!("{prefix}-{n}"),
                scope: None,
                expires_at_ms: None,
                permissions: Some(Permissions::read_only()),
            })
            .await
            .unwrap();
        ids.push(created.token.id);
    }
    let walked: Vec<String> = tokens
        .list_all(TokenQuery {
            search: Some(prefix.clone()),
            sort: TokenSort::NameAsc,
            limit: Some(2),
            ..Default::default()
        })
        .map_ok(|token| token.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked, ids, "three pages of two, in name order");
    for id in &ids {
        tokens.revoke(id).await.unwrap();
        tokens.delete(id).await.unwrap();
    }
}
