//! Assistant types that cross the wire (browser and REST alike), and the Server-Sent Events
//! framing both the server and the page use. They compile for WASM.

use serde::{Deserialize, Serialize};

/// A question is at most this many characters.
pub const MAX_MESSAGE_CHARS: usize = 4_000;

/// A question, in a new conversation or (with its id) a follow-up in one of the caller's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChatRequest {
    /// 1 to 4,000 characters.
    pub message: String,
    pub conversation_id: Option<String>,
}

/// `message.created`: the ids of the conversation and of this answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageCreated {
    pub conversation_id: String,
    pub message_id: String,
}

/// `citation`: a passage the answer cites as `[n]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Citation {
    pub n: u32,
    pub document_id: String,
    /// The stored file the document was read from (to download it).
    pub file_id: String,
    pub chunk_id: String,
    pub title: String,
    /// The heading path of the passage; may be empty.
    pub heading: String,
    /// The cited text (plain text, no markup).
    pub snippet: String,
}

impl Citation {
    /// Where the passage sits, for people: "Title › heading", or the heading path alone when
    /// it starts with the title (it usually starts with the page's own heading).
    pub fn place(&self) -> String {
        place(&self.title, &self.heading)
    }
}

/// "Title › heading" without saying the title twice (see [`Citation::place`]).
pub fn place(title: &str, heading: &str) -> String {
    if heading.is_empty() {
        title.to_owned()
    } else if heading.starts_with(title) {
        heading.to_owned()
    } else {
        format!("{title} › {heading}")
    }
}

/// `text.delta`: the next piece of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextDelta {
    pub delta: String,
}

/// Why an answer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// Answered from the knowledge base.
    Stop,
    /// The knowledge base holds no answer; nothing is cited.
    NoAnswer,
    /// Something failed; an `error` event came first.
    Error,
}

impl FinishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::NoAnswer => "no_answer",
            FinishReason::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<FinishReason> {
        match text {
            "stop" => Some(FinishReason::Stop),
            "no_answer" => Some(FinishReason::NoAnswer),
            "error" => Some(FinishReason::Error),
            _ => None,
        }
    }
}

/// Who wrote an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Answerer {
    /// The default answerer: sentences of the knowledge base, verbatim.
    Extractive,
    /// The workspace's model, grounded in the same passages.
    Model,
}

impl Answerer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answerer::Extractive => "extractive",
            Answerer::Model => "model",
        }
    }

    pub fn parse(text: &str) -> Option<Answerer> {
        match text {
            "extractive" => Some(Answerer::Extractive),
            "model" => Some(Answerer::Model),
            _ => None,
        }
    }
}

/// `message.completed`: the answer is whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageCompleted {
    pub finish_reason: FinishReason,
    pub answerer: Answerer,
    /// The citation numbers the answer uses.
    pub citations: Vec<u32>,
}

/// The `error` event's body: a problem, as REST errors are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatProblem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

/// One event of an answer's stream, in the order they come: `Created`, each `Citation`, the
/// `Delta`s, then `Completed` (after an `Error` when something failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    Created(MessageCreated),
    Citation(Citation),
    Delta(TextDelta),
    Completed(MessageCompleted),
    Error(ChatProblem),
}

impl ChatEvent {
    pub const CREATED: &'static str = "message.created";
    pub const CITATION: &'static str = "citation";
    pub const DELTA: &'static str = "text.delta";
    pub const COMPLETED: &'static str = "message.completed";
    pub const ERROR: &'static str = "error";

    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            ChatEvent::Created(_) => Self::CREATED,
            ChatEvent::Citation(_) => Self::CITATION,
            ChatEvent::Delta(_) => Self::DELTA,
            ChatEvent::Completed(_) => Self::COMPLETED,
            ChatEvent::Error(_) => Self::ERROR,
        }
    }

    /// The SSE data: the event's JSON on one line.
    pub fn data(&self) -> String {
        let json = match self {
            ChatEvent::Created(event) => serde_json::to_string(event),
            ChatEvent::Citation(event) => serde_json::to_string(event),
            ChatEvent::Delta(event) => serde_json::to_string(event),
            ChatEvent::Completed(event) => serde_json::to_string(event),
            ChatEvent::Error(event) => serde_json::to_string(event),
        };
        json.unwrap_or_default()
    }

    /// Reads an event from its name and data; `None` for a name this version does not know
    /// (a client skips those) or data that does not fit it.
    pub fn parse(name: &str, data: &str) -> Option<ChatEvent> {
        Some(match name {
            Self::CREATED => ChatEvent::Created(serde_json::from_str(data).ok()?),
            Self::CITATION => ChatEvent::Citation(serde_json::from_str(data).ok()?),
            Self::DELTA => ChatEvent::Delta(serde_json::from_str(data).ok()?),
            Self::COMPLETED => ChatEvent::Completed(serde_json::from_str(data).ok()?),
            Self::ERROR => ChatEvent::Error(serde_json::from_str(data).ok()?),
            _ => return None,
        })
    }
}

/// Splits a `text/event-stream` into (event name, data) pairs as bytes arrive: feed it what
/// came, take the events that are whole. Comments (keep-alives) and ids are skipped; an event
/// without a name is `message`, as in browsers.
#[derive(Debug, Default)]
pub struct SseParser {
    pending: String,
    name: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    pub fn feed(&mut self, text: &str) -> Vec<(String, String)> {
        self.pending.push_str(text);
        let mut events = Vec::new();
        while let Some(end) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() {
                    let name = self.name.take().unwrap_or_else(|| "message".to_owned());
                    events.push((name, self.data.join("\n")));
                }
                self.name = None;
                self.data.clear();
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => self.name = Some(value.to_owned()),
                "data" => self.data.push(value.to_owned()),
                _ => {} // A comment (empty field), `id` or `retry`.
            }
        }
        events
    }
}

/// A conversation in a list: newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: String,
    /// The first question, shortened.
    pub title: String,
    pub message_count: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationPage {
    pub items: Vec<ConversationSummary>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// Which conversations to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct ConversationQuery {
    /// Page size, 1 to 500; absent means 50.
    pub limit: Option<i64>,
    /// Conversations to skip; absent or negative means 0.
    pub offset: Option<i64>,
}

/// Where an answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerState {
    /// Still being written.
    Streaming,
    Completed,
    /// Cut short (the client left or the server stopped): the answer is what was said.
    Partial,
}

impl AnswerState {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerState::Streaming => "streaming",
            AnswerState::Completed => "completed",
            AnswerState::Partial => "partial",
        }
    }

    pub fn parse(text: &str) -> Option<AnswerState> {
        match text {
            "streaming" => Some(AnswerState::Streaming),
            "completed" => Some(AnswerState::Completed),
            "partial" => Some(AnswerState::Partial),
            _ => None,
        }
    }
}

/// A question and its answer, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub citations: Vec<Citation>,
    pub answerer: Answerer,
    pub state: AnswerState,
    pub finish_reason: Option<FinishReason>,
    pub created_at_ms: i64,
    /// Milliseconds from the question to the first piece of the answer.
    pub first_delta_ms: Option<i64>,
    /// Milliseconds from the question to the whole answer.
    pub completed_ms: Option<i64>,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: String,
    pub title: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub messages: Vec<ChatMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_any_split_of_the_stream() {
        let events = [
            ChatEvent::Created(MessageCreated {
                conversation_id: "c".into(),
                message_id: "m".into(),
            }),
            ChatEvent::Delta(TextDelta {
                delta: "two\nlines: ünïcode".into(),
            }),
            ChatEvent::Completed(MessageCompleted {
                finish_reason: FinishReason::NoAnswer,
                answerer: Answerer::Extractive,
                citations: vec![],
            }),
        ];
        let mut wire = String::from(": keep-alive\n\n");
        for event in &events {
            wire.push_str(&format!(
                "event: {}\r\ndata: {}\n\n",
                event.name(),
                event.data()
            ));
        }
        for split in 1..wire.len() {
            if !wire.is_char_boundary(split) {
                continue;
            }
            let mut parser = SseParser::default();
            let mut got = parser.feed(&wire[..split]);
            got.extend(parser.feed(&wire[split..]));
            let parsed: Vec<ChatEvent> = got
                .iter()
                .filter_map(|(name, data)| ChatEvent::parse(name, data))
                .collect();
            assert_eq!(parsed, events, "split at {split}");
        }
    }

    #[test]
    fn a_place_names_the_title_once() {
        assert_eq!(
            place("Field notes", "Field notes › Rottnest"),
            "Field notes › Rottnest"
        );
        assert_eq!(
            place("os", "Files and Directories"),
            "os › Files and Directories"
        );
        assert_eq!(place("Glossary", ""), "Glossary");
    }

    #[test]
    fn unknown_events_are_skipped() {
        assert_eq!(ChatEvent::parse("something.new", "{}"), None);
        assert_eq!(ChatEvent::parse(ChatEvent::DELTA, "not json"), None);
    }
}
