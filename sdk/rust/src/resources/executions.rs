//! `/api/agent-base/{id}/executions`: an agent's executions — list, show with the step log,
//! cancel (SPEC §4.3) — and waiting for one to finish.

use std::time::{Duration, Instant};

use reqwest::Method;
use tessera_wire::executions::{Execution, ExecutionPage, ExecutionQuery};

use super::handle;
use crate::error::{Error, Result};
use crate::paging::{all_pages, ItemStream};

handle! {
    /// Executions: `client.executions()`.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use tessera_sdk::wire::executions::ExecutionQuery;
    /// # async fn run(tessera: tessera_sdk::Client, agent_id: &str, execution_id: &str) -> tessera_sdk::Result<()> {
    /// let done = tessera.executions().wait(agent_id, execution_id, Duration::from_secs(60)).await?;
    /// println!("{:?}: {:?}", done.status, done.output);
    /// let recent = tessera.executions().list(agent_id, &ExecutionQuery::default()).await?;
    /// println!("{} executions", recent.total);
    /// # Ok(()) }
    /// ```
    Executions
}

impl Executions {
    /// `GET /api/agent-base/{id}/executions`: one page, newest first.
    pub async fn list(&self, agent_id: &str, query: &ExecutionQuery) -> Result<ExecutionPage> {
        let request = self
            .client
            .request(Method::GET, &["api", "agent-base", agent_id, "executions"])
            .query(query);
        self.client.json(request).await
    }

    /// Every execution of the agent matching `query`, page by page.
    pub fn list_all(&self, agent_id: &str, query: ExecutionQuery) -> ItemStream<Execution> {
        let executions = self.clone();
        let agent_id = agent_id.to_owned();
        all_pages(query, move |query| {
            let executions = executions.clone();
            let agent_id = agent_id.clone();
            async move { executions.list(&agent_id, &query).await }
        })
    }

    /// `GET /api/agent-base/{id}/executions/{execution_id}`: with its step log.
    pub async fn get(&self, agent_id: &str, execution_id: &str) -> Result<Execution> {
        let request = self.client.request(
            Method::GET,
            &["api", "agent-base", agent_id, "executions", execution_id],
        );
        self.client.json(request).await
    }

    /// `POST /api/agent-base/{id}/executions/{execution_id}/cancel`: a queued one is canceled,
    /// a running one stops at its next step; 409 when it is over already.
    pub async fn cancel(&self, agent_id: &str, execution_id: &str) -> Result<Execution> {
        let request = self.client.request(
            Method::POST,
            &[
                "api",
                "agent-base",
                agent_id,
                "executions",
                execution_id,
                "cancel",
            ],
        );
        self.client.json(request).await
    }

    /// Polls until the execution is over (succeeded, failed, canceled or timed out), at most
    /// `timeout` ([`Error::Timeout`] after that).
    pub async fn wait(
        &self,
        agent_id: &str,
        execution_id: &str,
        timeout: Duration,
    ) -> Result<Execution> {
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(100);
        loop {
            let execution = self.get(agent_id, execution_id).await?;
            if execution.status.is_final() {
                return Ok(execution);
            }
            if Instant::now() + pause > deadline {
                return Err(Error::Timeout(format!(
                    "execution {execution_id} is still {:?} after {} s",
                    execution.status,
                    timeout.as_secs()
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }
}
