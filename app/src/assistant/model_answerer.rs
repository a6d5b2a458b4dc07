//! The model answerer: the workspace's `llm` integration, asked through its OpenAI-compatible
//! `/chat/completions` with `stream: true`, grounded in the retrieved passages numbered as
//! their citations. Its answer arrives as Server-Sent Events (`data: {choices:[{delta:
//! {content}}]}` … `data: [DONE]`), read piece by piece through the egress guard. The API key
//! goes in the `Authorization` header only; nothing of it reaches a log or an error.

use serde_json::json;

use super::model::{place, SseParser};
use super::runtime::ModelPatience;
use crate::egress::EgressClient;
use crate::integrations::service::ModelEndpoint;

/// What each passage contributes to the prompt at most.
const PASSAGE_CHARS: usize = 1_500;

/// Why the model gave no (further) answer. Never holds the key or the model's words.
#[derive(Debug, thiserror::Error)]
pub enum ModelFailure {
    #[error("the model could not be reached: {0}")]
    Unreachable(String),
    #[error("the model answered {0}")]
    Status(u16),
    #[error("the model took too long")]
    TimedOut,
    #[error("the model's stream could not be read")]
    Garbled,
}

/// A passage as the model sees it: `[n] title › heading` then its text.
pub struct Grounding<'a> {
    pub n: u32,
    pub title: &'a str,
    pub heading: &'a str,
    pub body: &'a str,
}

/// The conversation sent to the model: how to answer, the numbered passages, the earlier
/// turns, the question.
pub fn prompt(
    passages: &[Grounding<'_>],
    earlier: &[(String, String)],
    question: &str,
) -> serde_json::Value {
    let mut sources = String::new();
    for passage in passages {
        let text: String = passage.body.chars().take(PASSAGE_CHARS).collect();
        let place = place(passage.title, passage.heading);
        sources.push_str(&format!("[{}] {place}\n{text}\n\n", passage.n));
    }
    let mut messages = vec![json!({
        "role": "system",
        "content": format!(
            "Answer the user's question using only the numbered passages below, citing each \
             passage you use as [n] right after what it supports. If the passages do not \
             answer the question, say that the knowledge base has no answer.\n\n{sources}"
        ),
    })];
    for (question, answer) in earlier {
        messages.push(json!({"role": "user", "content": question}));
        messages.push(json!({"role": "assistant", "content": answer}));
    }
    messages.push(json!({"role": "user", "content": question}));
    serde_json::Value::Array(messages)
}

/// A model's answer as it streams.
pub struct ModelStream {
    response: reqwest::Response,
    parser: SseParser,
    ready: std::collections::VecDeque<String>,
    patience: ModelPatience,
    received: bool,
    done: bool,
}

impl ModelStream {
    /// Sends the question; answers once the model has accepted it (a 2xx status).
    pub async fn open(
        egress: &EgressClient,
        endpoint: &ModelEndpoint,
        messages: serde_json::Value,
        patience: ModelPatience,
    ) -> Result<ModelStream, ModelFailure> {
        let body = json!({
            "model": endpoint.model,
            "messages": messages,
            "stream": true,
        });
        let mut builder = egress
            .request(reqwest::Method::POST, endpoint.chat_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .body(body.to_string());
        if let Some(key) = &endpoint.api_key {
            builder = builder.bearer_auth(key.expose());
        }
        let request = builder
            .build()
            .map_err(|_| ModelFailure::Unreachable("the request could not be built".into()))?;
        let response = tokio::time::timeout(patience.first_piece, egress.open(request))
            .await
            .map_err(|_| ModelFailure::TimedOut)?
            .map_err(|error| ModelFailure::Unreachable(error.to_string()))?;
        if !response.status().is_success() {
            return Err(ModelFailure::Status(response.status().as_u16()));
        }
        Ok(ModelStream {
            response,
            parser: SseParser::default(),
            ready: Default::default(),
            patience,
            received: false,
            done: false,
        })
    }

    /// The next piece of the answer's text; `None` once the model said `[DONE]`. A stream
    /// that ends without `[DONE]`, stalls or sends what is not its protocol is a failure.
    pub async fn next(&mut self) -> Result<Option<String>, ModelFailure> {
        loop {
            if let Some(piece) = self.ready.pop_front() {
                return Ok(Some(piece));
            }
            if self.done {
                return Ok(None);
            }
            let wait = if self.received {
                self.patience.between_pieces
            } else {
                self.patience.first_piece
            };
            let bytes = tokio::time::timeout(wait, EgressClient::next_piece(&mut self.response))
                .await
                .map_err(|_| ModelFailure::TimedOut)?
                .map_err(|error| ModelFailure::Unreachable(error.to_string()))?
                .ok_or(ModelFailure::Garbled)?;
            let text = String::from_utf8_lossy(&bytes);
            for (_, data) in self.parser.feed(&text) {
                if data.trim() == "[DONE]" {
                    self.done = true;
                    break;
                }
                let chunk: serde_json::Value =
                    serde_json::from_str(&data).map_err(|_| ModelFailure::Garbled)?;
                let choice = &chunk["choices"][0];
                if !choice.is_object() {
                    return Err(ModelFailure::Garbled);
                }
                if let Some(content) = choice["delta"]["content"].as_str() {
                    if !content.is_empty() {
                        self.received = true;
                        self.ready.push_back(content.to_owned());
                    }
                }
            }
        }
    }
}

/// The citation numbers `[n]` a model's answer uses, among `1..=count`, in order of use.
pub fn cited(answer: &str, count: u32) -> Vec<u32> {
    let mut numbers = Vec::new();
    let mut rest = answer;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { break };
        if let Ok(n) = rest[..close].trim().parse::<u32>() {
            if (1..=count).contains(&n) && !numbers.contains(&n) {
                numbers.push(n);
            }
        }
    }
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_read_from_the_answer_in_order_once() {
        assert_eq!(
            cited("Loop over it [2]. Or read() [1][2]. [9] [x]", 3),
            vec![2, 1]
        );
        assert_eq!(cited("no brackets", 3), Vec::<u32>::new());
    }

    #[test]
    fn the_prompt_numbers_passages_and_keeps_the_turns() {
        let passages = [Grounding {
            n: 1,
            title: "Files",
            heading: "Reading",
            body: "Loop over the file object.",
        }];
        let earlier = [("first?".to_owned(), "answer [1]".to_owned())];
        let messages = prompt(&passages, &earlier, "then?");
        let messages = messages.as_array().expect("an array");
        assert_eq!(messages.len(), 4);
        assert!(messages[0]["content"]
            .as_str()
            .is_some_and(|text| text.contains("[1] Files › Reading\nLoop over")));
        assert_eq!(messages[3]["content"], "then?");
    }
}
