//! Shared by the tests: the environment the test command sets, unique names, polling.

use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;
use tessera_sdk::wire::token_format::token_checksum;
use tessera_sdk::Client;

pub fn required(name: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| panic!("{name} is not set: run the tests with scripts/sdks.sh test"))
}

pub fn base_url() -> String {
    required("TESSERA_API_URL")
}

pub fn token() -> String {
    required("TESSERA_API_TOKEN")
}

pub fn environment_id() -> String {
    required("TESSERA_TEST_ENVIRONMENT_ID")
}

/// A client from the environment, as a program would make it.
pub fn client() -> Client {
    Client::from_env().unwrap()
}

/// A name no other test (or test binary) uses.
pub fn unique(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let salt: u32 = rand::thread_rng().gen();
    format!("rs-{what}-{:x}{salt:x}", nanos % 0xffff_ffff)
}

/// A well-formed token (right shape and checksum) that the server never issued.
pub fn forged_token() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    let body: String = std::iter::once("tsr_".to_owned())
        .chain((0..44).map(|_| char::from(ALPHABET[rng.gen_range(0..62)]).to_string()))
        .collect();
    let checksum = token_checksum(&body);
    format!("{body}{checksum}")
}

/// The status of an SDK error that must be a refusal.
pub fn refusal<T: std::fmt::Debug>(result: tessera_sdk::Result<T>) -> tessera_sdk::Problem {
    match result {
        Err(tessera_sdk::Error::Api(problem)) => *problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Installs an agent whose one step greets `input.name`.
pub async fn greeter(client: &Client, name: &str) -> tessera_sdk::wire::agents::Agent {
    client
        .agents()
        .install(&tessera_sdk::wire::agents::AgentRequest {
            name: name.to_owned(),
            description: "greets".to_owned(),
            version: "1.0.0".to_owned(),
            config: Some(serde_json::json!({"steps": [
                {"id": "greet", "kind": "template", "template": "Hello {{ input.name }}"}
            ]})),
        })
        .await
        .unwrap()
}
