//! Which SDK method serves each operation of the OpenAPI document. A test compares this
//! table with the server's `/api/openapi.json`, so a new route without a method fails it.

/// One operation of the REST API and the method that calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The document's `operationId`.
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// The SDK method, as `handle.method`.
    pub sdk: &'static str,
}

const fn op(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    sdk: &'static str,
) -> Operation {
    Operation {
        id,
        method,
        path,
        sdk,
    }
}

/// Every operation of the REST API, in the document's order of paths.
pub const OPERATIONS: &[Operation] = &[
    op("agents_list", "GET", "/api/agent-base", "agents().list"),
    op("install", "POST", "/api/agent-base", "agents().install"),
    op(
        "triggers_list",
        "GET",
        "/api/agent-base/triggers",
        "triggers().list",
    ),
    op(
        "triggers_create",
        "POST",
        "/api/agent-base/triggers",
        "triggers().create",
    ),
    op(
        "triggers_delete",
        "DELETE",
        "/api/agent-base/triggers/{id}",
        "triggers().delete",
    ),
    op(
        "triggers_show",
        "GET",
        "/api/agent-base/triggers/{id}",
        "triggers().get",
    ),
    op(
        "triggers_update",
        "PUT",
        "/api/agent-base/triggers/{id}",
        "triggers().update",
    ),
    op(
        "execute",
        "POST",
        "/api/agent-base/triggers/{id}/execute",
        "triggers().execute",
    ),
    op(
        "rotate_secret",
        "POST",
        "/api/agent-base/triggers/{id}/rotate-secret",
        "triggers().rotate_secret",
    ),
    op(
        "agents_delete",
        "DELETE",
        "/api/agent-base/{id}",
        "agents().delete",
    ),
    op("agents_show", "GET", "/api/agent-base/{id}", "agents().get"),
    op(
        "agents_update",
        "PUT",
        "/api/agent-base/{id}",
        "agents().update",
    ),
    op(
        "executions_list",
        "GET",
        "/api/agent-base/{id}/executions",
        "executions().list",
    ),
    op(
        "executions_show",
        "GET",
        "/api/agent-base/{id}/executions/{execution_id}",
        "executions().get",
    ),
    op(
        "cancel",
        "POST",
        "/api/agent-base/{id}/executions/{execution_id}/cancel",
        "executions().cancel",
    ),
    op("chat", "POST", "/api/assistant/chat", "assistant().chat"),
    op(
        "history",
        "GET",
        "/api/assistant/chat/history",
        "assistant().history",
    ),
    op(
        "conversation",
        "GET",
        "/api/assistant/chat/history/{conversation_id}",
        "assistant().conversation",
    ),
    op("page", "GET", "/api/docs", "system().docs_page"),
    op(
        "integrations_list",
        "GET",
        "/api/integrations-base",
        "integrations().list",
    ),
    op(
        "integrations_create",
        "POST",
        "/api/integrations-base",
        "integrations().create",
    ),
    op(
        "integrations_delete",
        "DELETE",
        "/api/integrations-base/{id}",
        "integrations().delete",
    ),
    op(
        "integrations_show",
        "GET",
        "/api/integrations-base/{id}",
        "integrations().get",
    ),
    op(
        "integrations_update",
        "PUT",
        "/api/integrations-base/{id}",
        "integrations().update",
    ),
    op(
        "test",
        "POST",
        "/api/integrations-base/{id}/test",
        "integrations().check_connection",
    ),
    op(
        "knowledge_base_list",
        "GET",
        "/api/knowledge-base",
        "knowledge_base().list",
    ),
    op(
        "search",
        "GET",
        "/api/knowledge-base/search",
        "knowledge_base().search",
    ),
    op(
        "storage_list",
        "GET",
        "/api/knowledge-base/storage",
        "storage().list",
    ),
    op(
        "upload",
        "POST",
        "/api/knowledge-base/storage",
        "storage().upload",
    ),
    op(
        "storage_delete",
        "DELETE",
        "/api/knowledge-base/storage/{file}",
        "storage().delete",
    ),
    op(
        "download",
        "GET",
        "/api/knowledge-base/storage/{file}",
        "storage().download",
    ),
    op(
        "put",
        "PUT",
        "/api/knowledge-base/storage/{file}",
        "storage().put",
    ),
    op(
        "knowledge_base_show",
        "GET",
        "/api/knowledge-base/{document_id}",
        "knowledge_base().get",
    ),
    op("document", "GET", "/api/openapi.json", "system().openapi"),
    op("ping", "GET", "/api/ping", "system().ping"),
    op("tokens_list", "GET", "/api/tokens", "tokens().list"),
    op("tokens_create", "POST", "/api/tokens", "tokens().create"),
    op("token_self", "GET", "/api/tokens/self", "tokens().current"),
    op(
        "tokens_delete",
        "DELETE",
        "/api/tokens/{id}",
        "tokens().delete",
    ),
    op("tokens_show", "GET", "/api/tokens/{id}", "tokens().get"),
    op(
        "tokens_update",
        "PATCH",
        "/api/tokens/{id}",
        "tokens().update",
    ),
    op(
        "activate",
        "POST",
        "/api/tokens/{id}/activate",
        "tokens().activate",
    ),
    op(
        "regenerate",
        "POST",
        "/api/tokens/{id}/regenerate",
        "tokens().regenerate",
    ),
    op(
        "revoke",
        "POST",
        "/api/tokens/{id}/revoke",
        "tokens().revoke",
    ),
    op(
        "suspend",
        "POST",
        "/api/tokens/{id}/suspend",
        "tokens().suspend",
    ),
    op(
        "deliver",
        "POST",
        "/api/webhook/{trigger_id}",
        "webhooks().send",
    ),
];
