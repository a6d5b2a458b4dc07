//! Every operation in the server's OpenAPI document has an SDK method, and the SDK's table
//! names no operation the server lacks.

use std::collections::BTreeSet;

use tessera_sdk::OPERATIONS;

use crate::common::client;

#[tokio::test]
async fn every_operation_of_the_document_has_an_sdk_method() {
    let document = client().system().openapi().await.unwrap();
    let mut served = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if let Some(id) = operation["operationId"].as_str() {
                served.insert((id.to_owned(), method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(
        served.len() >= 44,
        "the document has only {} operations",
        served.len()
    );
    let covered: BTreeSet<(String, String, String)> = OPERATIONS
        .iter()
        .map(|op| (op.id.to_owned(), op.method.to_owned(), op.path.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "operations without an SDK method: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "SDK methods for operations the server lacks: {stale:?}"
    );
}
