//! One handle per resource of the REST API (`client.tokens()`, `client.agents()` …), each in
//! its own module with the routes of that resource.

mod agents;
mod assistant;
mod executions;
mod integrations;
mod knowledge;
mod storage;
mod system;
mod tokens;
mod triggers;
mod webhooks;

pub use agents::Agents;
pub use assistant::Assistant;
pub use executions::Executions;
pub use integrations::Integrations;
pub use knowledge::KnowledgeBase;
pub use storage::{guess_content_type, Download, Storage, UploadPart, UploadSource};
pub use system::System;
pub use tokens::Tokens;
pub use triggers::Triggers;
pub use webhooks::Webhooks;

/// Declares a resource handle: a client clone, made by `Client::<resource>()`.
macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            client: crate::Client,
        }

        impl $name {
            pub(crate) fn new(client: crate::Client) -> Self {
                $name { client }
            }
        }
    };
}
pub(crate) use handle;
