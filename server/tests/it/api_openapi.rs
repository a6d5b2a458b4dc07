//! `/api/openapi.json`: served without a token, OpenAPI 3.1, covering every `/api` route with
//! its errors, and internally consistent (every `$ref` resolves).

use crate::common::TestServer;
use reqwest::StatusCode;
use serde_json::Value;

/// Every route the API serves, as `(method, path)`.
const ROUTES: [(&str, &str); 46] = [
    ("get", "/api/ping"),
    ("get", "/api/openapi.json"),
    ("get", "/api/docs"),
    ("patch", "/api/tokens/{id}"),
    ("get", "/api/agent-base"),
    ("post", "/api/agent-base"),
    ("get", "/api/agent-base/{id}"),
    ("put", "/api/agent-base/{id}"),
    ("delete", "/api/agent-base/{id}"),
    ("get", "/api/tokens/self"),
    ("get", "/api/tokens"),
    ("post", "/api/tokens"),
    ("get", "/api/tokens/{id}"),
    ("delete", "/api/tokens/{id}"),
    ("post", "/api/tokens/{id}/regenerate"),
    ("post", "/api/tokens/{id}/suspend"),
    ("post", "/api/tokens/{id}/activate"),
    ("post", "/api/tokens/{id}/revoke"),
    ("get", "/api/integrations-base"),
    ("post", "/api/integrations-base"),
    ("get", "/api/integrations-base/{id}"),
    ("put", "/api/integrations-base/{id}"),
    ("delete", "/api/integrations-base/{id}"),
    ("post", "/api/integrations-base/{id}/test"),
    ("get", "/api/knowledge-base"),
    ("get", "/api/knowledge-base/{document_id}"),
    ("get", "/api/knowledge-base/search"),
    ("get", "/api/knowledge-base/storage"),
    ("post", "/api/knowledge-base/storage"),
    ("put", "/api/knowledge-base/storage/{file}"),
    ("get", "/api/knowledge-base/storage/{file}"),
    ("delete", "/api/knowledge-base/storage/{file}"),
    ("post", "/api/assistant/chat"),
    ("get", "/api/assistant/chat/history"),
    ("get", "/api/assistant/chat/history/{conversation_id}"),
    ("get", "/api/agent-base/triggers"),
    ("post", "/api/agent-base/triggers"),
    ("get", "/api/agent-base/triggers/{id}"),
    ("put", "/api/agent-base/triggers/{id}"),
    ("delete", "/api/agent-base/triggers/{id}"),
    ("post", "/api/agent-base/triggers/{id}/execute"),
    ("post", "/api/agent-base/triggers/{id}/rotate-secret"),
    ("get", "/api/agent-base/{id}/executions"),
    ("get", "/api/agent-base/{id}/executions/{execution_id}"),
    (
        "post",
        "/api/agent-base/{id}/executions/{execution_id}/cancel",
    ),
    ("post", "/api/webhook/{trigger_id}"),
];

fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    found.push(inner.as_str().unwrap().to_owned());
                } else {
                    refs(inner, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| refs(inner, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_covers_every_route_and_its_errors() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Tessera API");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (path, item) in paths {
        documented += item.as_object().unwrap().len();
        assert!(
            ROUTES.iter().any(|(_, route)| route == path),
            "documented but not served: {path}"
        );
    }
    assert_eq!(documented, ROUTES.len(), "one operation per route");
    let mut operation_ids = std::collections::HashSet::new();
    for (method, path) in ROUTES {
        let id = doc["paths"][path][method]["operationId"].as_str().unwrap();
        assert!(
            operation_ids.insert(id),
            "operationId {id} repeats ({method} {path})"
        );
    }
    assert_eq!(
        doc["paths"]["/api/agent-base"]["get"]["operationId"],
        "agents_list"
    );
    for (method, path, body) in [
        ("put", "/api/knowledge-base/storage/{file}", "/requestBody"),
        ("post", "/api/webhook/{trigger_id}", "/requestBody"),
        (
            "get",
            "/api/knowledge-base/storage/{file}",
            "/responses/200",
        ),
    ] {
        let pointer = format!("/paths/{}/{method}{body}/content", path.replace('/', "~1"));
        let content = doc.pointer(&pointer).unwrap_or_else(|| panic!("{pointer}"));
        let (_, body) = content.as_object().unwrap().iter().next().unwrap();
        assert_eq!(
            body["schema"],
            serde_json::json!({"type": "string", "format": "binary"}),
            "{method} {path}"
        );
    }
    for (method, path) in ROUTES {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        let responses = operation["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|status| status.starts_with('2')),
            "{method} {path} has no success answer"
        );
        assert!(responses.contains_key("500"), "{method} {path}");
        if path == "/api/openapi.json" || path == "/api/docs" {
            assert!(operation.get("security").is_none(), "{method} {path}");
            continue;
        }
        let security = operation["security"].as_array().unwrap();
        if path == "/api/ping" {
            // Optional: anonymous, or a bearer token that is then checked.
            assert_eq!(security.len(), 2, "{security:?}");
            assert!(security.contains(&serde_json::json!({})));
        }
        assert!(
            security.contains(&serde_json::json!({"bearer": []})),
            "{method} {path}"
        );
        for status in ["401", "429"] {
            assert_eq!(
                responses[status]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/ProblemBody",
                "{method} {path} {status}"
            );
        }
        assert!(responses["401"]["headers"]["WWW-Authenticate"].is_object());
        assert!(
            responses.contains_key("400"),
            "{method} {path}: invalid_request"
        );
        assert!(responses["429"]["headers"]["Retry-After"].is_object());
        if path != "/api/tokens/self" && path != "/api/ping" {
            assert!(responses.contains_key("403"), "{method} {path}");
        }
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{method} {path}");
        }
    }
    for (method, path) in [
        ("post", "/api/tokens"),
        ("patch", "/api/tokens/{id}"),
        ("post", "/api/agent-base"),
        ("put", "/api/agent-base/{id}"),
        ("post", "/api/integrations-base"),
        ("put", "/api/integrations-base/{id}"),
    ] {
        let responses = doc["paths"][path][method]["responses"].as_object().unwrap();
        for status in ["408", "413", "415", "422"] {
            assert!(responses.contains_key(status), "{method} {path} {status}");
        }
    }
    // Uploads take files, not JSON: over a limit is 413, and no "not JSON" refusal exists.
    for (method, path) in [
        ("post", "/api/knowledge-base/storage"),
        ("put", "/api/knowledge-base/storage/{file}"),
    ] {
        let responses = doc["paths"][path][method]["responses"].as_object().unwrap();
        assert!(responses.contains_key("413"), "{method} {path}");
        assert!(!responses.contains_key("415"), "{method} {path}");
    }
    for path in [
        "/api/tokens/{id}/regenerate",
        "/api/tokens/{id}/suspend",
        "/api/tokens/{id}/activate",
        "/api/tokens/{id}/revoke",
    ] {
        assert!(
            doc["paths"][path]["post"]["responses"]["409"].is_object(),
            "{path}"
        );
    }
    // A schema-valid request is not refused for a reason the schema could have stated.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["CreateTokenRequest"]["properties"]["name"]["maxLength"],
        app::auth::domain::MAX_NAME_CHARS
    );
    assert_eq!(
        schemas["CreateTokenRequest"]["properties"]["name"]["minLength"],
        1
    );
    assert_eq!(
        schemas["AgentRequest"]["properties"]["name"]["maxLength"],
        app::auth::domain::MAX_NAME_CHARS
    );
    assert_eq!(
        schemas["AgentRequest"]["properties"]["version"]["maxLength"],
        app::agents::domain::MAX_VERSION_CHARS
    );
    assert_eq!(
        schemas["AgentRequest"]["properties"]["description"]["maxLength"],
        app::environments::domain::MAX_DESCRIPTION_CHARS
    );
    let permission_keys = schemas["Permissions"]["properties"].as_object().unwrap();
    assert_eq!(permission_keys.len(), app::access::Resource::ALL.len());

    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 20);
    for reference in found {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {reference}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{reference} does not resolve"
        );
    }
}

/// Every documented operation is served: without a token, a protected one answers 401 and an
/// open one answers its success, never the API's "no such route".
#[tokio::test]
async fn every_documented_operation_is_served() {
    let server = TestServer::start().await;
    let doc: Value = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let url = server.url(&path.replace("{id}", "some-id"));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = server
                .client
                .request(method.clone(), url)
                .send()
                .await
                .unwrap();
            let protected = operation["security"]
                .as_array()
                .is_some_and(|security| !security.contains(&serde_json::json!({})));
            let expected = if protected {
                StatusCode::UNAUTHORIZED
            } else if path.starts_with("/api/webhook/") {
                // Open to signed senders: unsigned and without a token it is refused as such.
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::OK
            };
            assert_eq!(response.status(), expected, "{method} {path}");
        }
    }
    // And a path the document does not name is the API's problem+json 404.
    let unknown = server
        .client
        .get(server.url("/api/no-such-route"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.headers()["content-type"],
        "application/problem+json"
    );
}
