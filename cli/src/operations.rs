//! Which `tsr` command calls each operation of the REST API. `tsr commands` prints the
//! table, and a test checks it against the server's OpenAPI document and runs each command's
//! `--help`, so a route without a command fails it.

use crate::commands::Context;
use crate::failure::Outcome;
use crate::output;

/// (operationId, command line after `tsr`).
pub const COMMANDS: &[(&str, &str)] = &[
    ("agents_list", "agents list"),
    ("install", "agents install"),
    ("agents_show", "agents show"),
    ("agents_update", "agents update"),
    ("agents_delete", "agents delete"),
    ("triggers_list", "triggers list"),
    ("triggers_create", "triggers create"),
    ("triggers_show", "triggers show"),
    ("triggers_update", "triggers update"),
    ("triggers_delete", "triggers delete"),
    ("execute", "triggers execute"),
    ("rotate_secret", "triggers rotate-secret"),
    ("executions_list", "executions list"),
    ("executions_show", "executions show"),
    ("cancel", "executions cancel"),
    ("chat", "chat"),
    ("history", "conversations list"),
    ("conversation", "conversations show"),
    ("page", "api docs"),
    ("document", "api openapi"),
    ("ping", "ping"),
    ("integrations_list", "integrations list"),
    ("integrations_create", "integrations create"),
    ("integrations_show", "integrations show"),
    ("integrations_update", "integrations update"),
    ("integrations_delete", "integrations delete"),
    ("test", "integrations test"),
    ("knowledge_base_list", "kb list"),
    ("knowledge_base_show", "kb show"),
    ("search", "kb search"),
    ("storage_list", "storage list"),
    ("upload", "storage upload --multipart"),
    ("put", "storage upload"),
    ("download", "storage download"),
    ("storage_delete", "storage delete"),
    ("token_self", "auth status"),
    ("tokens_list", "tokens list"),
    ("tokens_create", "tokens create"),
    ("tokens_show", "tokens show"),
    ("tokens_update", "tokens update"),
    ("regenerate", "tokens regenerate"),
    ("suspend", "tokens suspend"),
    ("activate", "tokens activate"),
    ("revoke", "tokens revoke"),
    ("tokens_delete", "tokens delete"),
    ("deliver", "webhook send"),
];

pub fn print(context: &Context) -> Outcome {
    if context.json() {
        let rows: Vec<serde_json::Value> = COMMANDS
            .iter()
            .map(|(operation, command)| serde_json::json!({ "operation_id": operation, "command": format!("tsr {command}") }))
            .collect();
        return output::json(&rows);
    }
    let rows: Vec<Vec<String>> = COMMANDS
        .iter()
        .map(|(operation, command)| vec![(*operation).to_owned(), format!("tsr {command}")])
        .collect();
    output::table(&["OPERATION", "COMMAND"], &rows);
    Ok(())
}
