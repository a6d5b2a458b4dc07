//! The token and URL: from the environment or the builder, checked before any request,
//! never shown.

use std::net::TcpListener;

use tessera_sdk::{Client, Error, TokenError};

use crate::common::{base_url, client, forged_token, refusal, token};

#[tokio::test]
async fn the_token_and_url_come_from_the_environment() {
    let client = client();
    assert_eq!(client.base_url(), base_url().trim_end_matches('/'));
    let me = client.tokens().current().await.unwrap();
    assert_eq!(me.name, "sdk tests");
    assert_eq!(me.scope, tessera_sdk::wire::access::TokenScope::Account);
    assert_eq!(
        me.permissions,
        tessera_sdk::wire::access::Permissions::full()
    );
}

#[tokio::test]
async fn the_builder_wins_over_the_environment() {
    let client = Client::builder()
        .token(token())
        .base_url(format!("{}/", base_url()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), base_url());
    assert_eq!(client.tokens().current().await.unwrap().name, "sdk tests");
}

#[test]
fn debug_output_never_shows_the_token() {
    let token = token();
    let builder = Client::builder().token(token.clone()).base_url(base_url());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    for text in [
        builder_debug,
        format!("{client:?}"),
        format!("{:?}", client.token()),
    ] {
        assert!(!text.contains(&token), "{text}");
        assert!(!text.contains(&token[8..]), "{text}");
    }
}

#[test]
fn a_malformed_token_fails_before_any_request_and_the_error_does_not_show_it() {
    // A server that would see any request: nothing may reach it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let good = token();
    let mut flipped = good.clone().into_bytes();
    flipped[20] = if flipped[20] == b'a' { b'b' } else { b'a' };
    let malformed = [
        (good.replace("tsr_", "tsk_"), "does not start with `tsr_`"),
        (good[..40].to_owned(), "has 40 characters"),
        (format!("{good}x"), "characters"),
        (format!("{}-{}", &good[..30], &good[31..]), "character 31"),
        (String::from_utf8(flipped).unwrap(), "checksum"),
    ];
    for (bad, reason) in malformed {
        let error = Client::builder()
            .token(bad.clone())
            .base_url(&url)
            .build()
            .unwrap_err();
        assert!(
            matches!(error, Error::Token(TokenError::Malformed { .. })),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(reason), "{message} should say {reason}");
        for text in [message, format!("{error:?}")] {
            assert!(!text.contains(&bad), "the error shows the token: {text}");
            assert!(
                !text.contains(&good[16..48]),
                "the error shows the secret: {text}"
            );
        }
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a request reached the server"
    );
}

#[test]
fn a_base_url_must_be_http() {
    for bad in [
        "ftp://example.com",
        "not a url",
        "https://user:pw@example.com",
    ] {
        let error = Client::builder()
            .token(token())
            .base_url(bad)
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::BaseUrl(_)), "{bad}: {error:?}");
        assert!(!error.to_string().contains("pw@"), "{error}");
    }
}

#[tokio::test]
async fn an_unknown_token_is_a_typed_401() {
    let client = Client::builder()
        .token(forged_token())
        .base_url(base_url())
        .build()
        .unwrap();
    let result = client.tokens().current().await;
    let error = result.as_ref().unwrap_err();
    assert!(error.is_auth());
    let problem = refusal(result);
    assert_eq!(problem.status, 401);
    assert_eq!(problem.kind(), "invalid-token");
    assert!(problem.type_uri.starts_with("https://"));
    assert!(!problem.detail.is_empty());
}

#[tokio::test]
async fn system_routes_answer() {
    let client = client();
    assert_eq!(client.system().ping().await.unwrap().status, "ok");
    let document = client.system().openapi().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let page = client.system().docs_page().await.unwrap();
    assert!(
        page.to_lowercase().contains("<html"),
        "{}",
        &page[..page.len().min(200)]
    );
}
