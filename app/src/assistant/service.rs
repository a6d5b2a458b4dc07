//! The assistant, for both doors: a question becomes an answer streamed as events, kept in the
//! caller's history. The answer comes from the default answerer (`answerer`), or from the
//! workspace's chosen model (`model_answerer`) with the default answerer as its fallback.
//!
//! The answer is written by a task of its own that owns the message row: the caller reads its
//! events from a channel. A caller that leaves closes the channel; the task notices at its next
//! event, stops, and keeps what was said as a partial answer.

use std::collections::HashMap;
use std::time::Instant;

use tokio::sync::mpsc;

use super::answerer::{self, Picked, Source, Wanted};
use super::model::{
    AnswerState, Answerer, ChatEvent, ChatMessage, ChatProblem, ChatRequest, Citation,
    Conversation, ConversationPage, ConversationQuery, ConversationSummary, FinishReason,
    MessageCompleted, MessageCreated, TextDelta, MAX_MESSAGE_CHARS,
};
use super::model_answerer::{cited, prompt, Grounding, ModelStream};
use super::repo::{
    self, ConversationRow, Ending, MessageRow, NewConversation, NewMessage, Starter,
};
use super::runtime::StreamPermit;
use crate::access::{authorize, reach, Action, Op, Principal, Reach, Resource, Target};
use crate::clock::{new_id, now_ms};
use crate::error::{AppError, PROBLEM_TYPE_BASE};
use crate::integrations::service::{model_endpoint, ModelEndpoint};
use crate::knowledge::model::SearchQuery;
use crate::knowledge::search_text::parse;
use crate::knowledge::service::{passages, word_shares, Passage};
use crate::paging;
use crate::state::AppState;

const CHAT: Action = Action::new(Resource::Assistant, Op::Chat);
const READ: Action = Action::read(Resource::Assistant);
/// Passages the default answerer reads, and how many of them a model is given.
const RETRIEVED: i64 = 8;
const GROUNDING: usize = 5;
/// Earlier turns a model sees in a follow-up.
const EARLIER_TURNS: usize = 3;
/// A conversation is named by its first question, cut to this many characters.
const TITLE_CHARS: usize = 80;
/// An answer still "streaming" after this long lost its writer (an instance that stopped):
/// it is shown as partial.
const ABANDONED_MS: i64 = 5 * 60 * 1000;
/// Events buffered between the answer's task and a slow reader.
const CHANNEL_EVENTS: usize = 64;
pub const NO_ANSWER: &str = "The knowledge base has no answer to that.";

/// Asks the assistant. Everything that can refuse the question (permission, its length, a
/// conversation that is not the caller's, too many streams) does so here, before any event;
/// the answer then streams from the returned channel, starting with `message.created`.
#[tracing::instrument(name = "assistant.chat", skip_all)]
pub async fn chat(
    state: &AppState,
    principal: &Principal,
    request: ChatRequest,
) -> Result<mpsc::Receiver<ChatEvent>, AppError> {
    authorize(principal, CHAT, Target::Any)?;
    let question = request.message.trim().to_owned();
    if question.is_empty() || question.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::field(
            "message",
            format!("Ask a question of 1 to {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    let starter = starter_of(principal);
    let earlier = match &request.conversation_id {
        Some(id) => {
            let conversation = own_conversation(state, principal, id).await?;
            repo::messages(state.db.pool(), &principal.workspace_id, &conversation.id).await?
        }
        None => Vec::new(),
    };
    let permit = state
        .assistant
        .admit(&format!("{}:{}", starter.kind, starter.id))?;
    let model = repo::chosen_model(state.db.pool(), &principal.workspace_id).await?;

    let now = now_ms();
    let conversation_id = request.conversation_id.clone().unwrap_or_else(new_id);
    let message_id = new_id();
    let mut tx = state.db.begin_write().await?;
    if request.conversation_id.is_none() {
        let title: String = question.chars().take(TITLE_CHARS).collect();
        let conversation = NewConversation {
            id: &conversation_id,
            workspace_id: &principal.workspace_id,
            starter,
            title: &title,
            now,
        };
        repo::insert_conversation(&mut tx, &conversation).await?;
    }
    let message = NewMessage {
        id: &message_id,
        conversation_id: &conversation_id,
        workspace_id: &principal.workspace_id,
        question: &question,
        answerer: Answerer::Extractive.as_str(),
        now,
    };
    repo::insert_message(&mut tx, &message).await?;
    tx.commit().await?;

    let (sender, receiver) = mpsc::channel(CHANNEL_EVENTS);
    let mut writer = AnswerWriter {
        state: state.clone(),
        workspace_id: principal.workspace_id.clone(),
        message_id: message_id.clone(),
        started: Instant::now(),
        sender,
        said: String::new(),
        citations: Vec::new(),
        first_delta_ms: None,
        gone: false,
        _permit: permit,
    };
    writer
        .send(ChatEvent::Created(MessageCreated {
            conversation_id,
            message_id,
        }))
        .await;
    let mut turns: Vec<(String, String)> = earlier
        .into_iter()
        .filter(|message| !message.answer.is_empty())
        .map(|message| (message.question, message.answer))
        .collect();
    turns.drain(..turns.len().saturating_sub(EARLIER_TURNS));
    let asked = Question {
        text: question,
        earlier: turns,
    };
    let state = state.clone();
    let workspace_id = principal.workspace_id.clone();
    tokio::spawn(async move {
        let outcome = answer(&state, &workspace_id, &asked, model.as_deref(), &mut writer).await;
        writer.finish(outcome).await;
    });
    Ok(receiver)
}

/// A question and the conversation's earlier turns (question, answer), oldest first.
struct Question {
    text: String,
    earlier: Vec<(String, String)>,
}

/// How an answer ended, for the last event and the kept row.
struct Outcome {
    answerer: Answerer,
    finish_reason: FinishReason,
    cited: Vec<u32>,
}

/// Retrieves the passages and answers from them: with the chosen model when there is one,
/// else (or when it fails) with the default answerer.
async fn answer(
    state: &AppState,
    workspace_id: &str,
    question: &Question,
    model: Option<&str>,
    writer: &mut AnswerWriter,
) -> Result<Outcome, AppError> {
    let previous = question.earlier.last().map(|(asked, _)| asked.as_str());
    let retrieval = match previous {
        Some(previous) => format!("{previous} {}", question.text),
        None => question.text.clone(),
    };
    let found = passages(
        state,
        workspace_id,
        &SearchQuery {
            q: retrieval,
            limit: Some(RETRIEVED),
        },
    )
    .await?;
    let wanted = wanted_words(state, &question.text, previous).await?;
    let endpoint = match model {
        Some(id) if !found.is_empty() => match model_endpoint(state, workspace_id, id).await {
            Ok(endpoint) => Some(endpoint),
            Err(why) => {
                tracing::warn!(integration_id = id, %why, "the assistant's model cannot be used; answering without it");
                None
            }
        },
        _ => None,
    };
    match endpoint {
        Some(endpoint) => {
            let grounding = &found[..found.len().min(GROUNDING)];
            with_model(state, &endpoint, question, grounding, &wanted, writer).await
        }
        None => Ok(extractive(&wanted, &found, Citing::WhatIsUsed, writer).await),
    }
}

/// The question's words (plain and quoted) weighed by how rare they are in the indexed
/// passages; a follow-up's earlier question adds its words at half weight.
async fn wanted_words(
    state: &AppState,
    question: &str,
    previous: Option<&str>,
) -> Result<Vec<Wanted>, AppError> {
    let words = |text: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for word in parse(text).positive_words() {
            if !words.iter().any(|known| known == word) {
                words.push(word.to_owned());
            }
        }
        words
    };
    let now = words(question);
    let before = previous.map(words).unwrap_or_default();
    let all: Vec<String> = now.iter().chain(&before).cloned().collect();
    let shares = word_shares(state, &all).await?;
    let weighed: Vec<(String, f64)> = all
        .into_iter()
        .zip(shares)
        .map(|(word, share)| (word, answerer::weight_of(share)))
        .collect();
    let (now, before) = weighed.split_at(now.len());
    Ok(answerer::wanted(now, before))
}

/// Which passages the default answerer cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Citing {
    /// The passages it uses, numbered in order of use (it answers alone).
    WhatIsUsed,
    /// None: all were cited as `[index + 1]` already (a model's grounding, before the model
    /// failed).
    AlreadyNumbered,
}

/// The default answerer's answer over `found`, composed but not yet said.
struct Composed {
    /// The passages to cite before the text, as (number, index in `found`), by number.
    citations: Vec<(u32, usize)>,
    /// The text, piece by piece, each sentence followed by its `[n]`.
    pieces: Vec<String>,
    /// The numbers the text cites, in order of first use.
    cited: Vec<u32>,
}

/// Picks the sentences that answer and numbers their sources; `None` when nothing answers.
fn compose(wanted: &[Wanted], found: &[Passage], citing: Citing) -> Option<Composed> {
    let contexts: Vec<String> = found
        .iter()
        .map(|passage| format!("{} {}", passage.hit.title, passage.hit.heading))
        .collect();
    let sources: Vec<Source<'_>> = found
        .iter()
        .zip(&contexts)
        .map(|(passage, context)| Source {
            context,
            body: &passage.body,
        })
        .collect();
    let picked = answerer::answer(wanted, &sources)?;
    let (numbers, citations): (HashMap<usize, u32>, Vec<(u32, usize)>) = match citing {
        Citing::AlreadyNumbered => (
            picked
                .iter()
                .map(|sentence| (sentence.source, number(sentence.source)))
                .collect(),
            Vec::new(),
        ),
        Citing::WhatIsUsed => {
            let numbers = answerer::numbering(&picked);
            let mut order: Vec<(u32, usize)> = numbers.iter().map(|(s, n)| (*n, *s)).collect();
            order.sort_unstable();
            (numbers, order)
        }
    };
    let mut pieces = Vec::new();
    let mut cited = Vec::new();
    for (index, Picked { text, source }) in picked.iter().enumerate() {
        let n = numbers[source];
        let gap = if index == 0 { "" } else { " " };
        pieces.push(format!("{gap}{text} [{n}]"));
        if !cited.contains(&n) {
            cited.push(n);
        }
    }
    Some(Composed {
        citations,
        pieces,
        cited,
    })
}

/// The default answerer's answer, said.
async fn extractive(
    wanted: &[Wanted],
    found: &[Passage],
    citing: Citing,
    writer: &mut AnswerWriter,
) -> Outcome {
    let Some(composed) = compose(wanted, found, citing) else {
        writer.say(NO_ANSWER).await;
        return Outcome {
            answerer: Answerer::Extractive,
            finish_reason: FinishReason::NoAnswer,
            cited: Vec::new(),
        };
    };
    for (n, source) in &composed.citations {
        writer.cite(citation(*n, &found[*source])).await;
    }
    for piece in &composed.pieces {
        writer.say(piece).await;
    }
    Outcome {
        answerer: Answerer::Extractive,
        finish_reason: FinishReason::Stop,
        cited: composed.cited,
    }
}

/// The default answerer's answer to one question: its text and the passages it cites.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OneAnswer {
    pub answer: String,
    pub citations: Vec<Citation>,
}

/// Answers one question with the default answerer, neither streamed nor kept in a history:
/// for an agent's `assistant_answer` step, whose execution keeps its own log. The step's
/// agent was authorized when its execution was started.
pub async fn answer_once(
    state: &AppState,
    workspace_id: &str,
    question: &str,
) -> Result<OneAnswer, AppError> {
    let query = SearchQuery {
        q: question.to_owned(),
        limit: Some(RETRIEVED),
    };
    let found = passages(state, workspace_id, &query).await?;
    let wanted = wanted_words(state, question, None).await?;
    Ok(match compose(&wanted, &found, Citing::WhatIsUsed) {
        None => OneAnswer {
            answer: NO_ANSWER.to_owned(),
            citations: Vec::new(),
        },
        Some(composed) => OneAnswer {
            answer: composed.pieces.concat(),
            citations: composed
                .citations
                .iter()
                .map(|(n, source)| citation(*n, &found[*source]))
                .collect(),
        },
    })
}

/// The model's answer over the first passages, cited `[1]`…`[k]` before it starts. A model
/// that fails or says nothing gives way to the default answerer over the same passages and
/// numbers; one that fails midway has what it said kept, followed by the default answer.
async fn with_model(
    state: &AppState,
    endpoint: &ModelEndpoint,
    question: &Question,
    grounding: &[Passage],
    wanted: &[Wanted],
    writer: &mut AnswerWriter,
) -> Result<Outcome, AppError> {
    for (index, passage) in grounding.iter().enumerate() {
        writer.cite(citation(number(index), passage)).await;
    }
    let passages: Vec<Grounding<'_>> = grounding
        .iter()
        .enumerate()
        .map(|(index, passage)| Grounding {
            n: number(index),
            title: &passage.hit.title,
            heading: &passage.hit.heading,
            body: &passage.body,
        })
        .collect();
    let messages = prompt(&passages, &question.earlier, &question.text);
    let patience = state.assistant.patience;
    let said_before = writer.said.len();
    let failure = match ModelStream::open(&state.egress, endpoint, messages, patience).await {
        Ok(mut stream) => loop {
            match stream.next().await {
                Ok(Some(piece)) => {
                    if !writer.say(&piece).await {
                        break None;
                    }
                }
                Ok(None) => break None,
                Err(failure) => break Some(failure),
            }
        },
        Err(failure) => Some(failure),
    };
    let model_said = writer.said[said_before..].trim().to_owned();
    if writer.gone || (failure.is_none() && !model_said.is_empty()) {
        let count = u32::try_from(grounding.len()).unwrap_or(u32::MAX);
        return Ok(Outcome {
            answerer: Answerer::Model,
            finish_reason: FinishReason::Stop,
            cited: cited(&model_said, count),
        });
    }
    match &failure {
        Some(failure) => {
            tracing::warn!(%failure, "the assistant's model failed; answering without it")
        }
        None => tracing::warn!("the assistant's model said nothing; answering without it"),
    }
    if !model_said.is_empty() {
        writer.say("\n\n").await;
    }
    Ok(extractive(wanted, grounding, Citing::AlreadyNumbered, writer).await)
}

/// Citation numbers start at 1.
fn number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

fn citation(n: u32, passage: &Passage) -> Citation {
    Citation {
        n,
        document_id: passage.hit.document_id.clone(),
        file_id: passage.hit.file_id.clone(),
        chunk_id: passage.hit.chunk_id.clone(),
        title: passage.hit.title.clone(),
        heading: passage.hit.heading.clone(),
        snippet: passage.hit.snippet.clone(),
    }
}

/// Sends an answer's events and keeps what it said, to write the message row at the end.
struct AnswerWriter {
    state: AppState,
    workspace_id: String,
    message_id: String,
    started: Instant,
    sender: mpsc::Sender<ChatEvent>,
    said: String,
    citations: Vec<Citation>,
    first_delta_ms: Option<i64>,
    /// The caller left: nothing more is sent.
    gone: bool,
    _permit: StreamPermit,
}

impl AnswerWriter {
    /// False once the caller has left.
    async fn send(&mut self, event: ChatEvent) -> bool {
        if !self.gone && self.sender.send(event).await.is_err() {
            self.gone = true;
        }
        !self.gone
    }

    async fn cite(&mut self, citation: Citation) -> bool {
        if self.gone {
            return false;
        }
        self.citations.push(citation.clone());
        self.send(ChatEvent::Citation(citation)).await
    }

    async fn say(&mut self, text: &str) -> bool {
        if self.gone {
            return false;
        }
        let delta = ChatEvent::Delta(TextDelta {
            delta: text.to_owned(),
        });
        if !self.send(delta).await {
            return false;
        }
        self.said.push_str(text);
        self.first_delta_ms
            .get_or_insert_with(|| elapsed_ms(self.started));
        true
    }

    /// Sends the last event(s) and keeps the answer: completed, or partial if the caller
    /// left before the end.
    async fn finish(mut self, outcome: Result<Outcome, AppError>) {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(error) => {
                self.send(ChatEvent::Error(problem(&error))).await;
                Outcome {
                    answerer: Answerer::Extractive,
                    finish_reason: FinishReason::Error,
                    cited: Vec::new(),
                }
            }
        };
        let completed = MessageCompleted {
            finish_reason: outcome.finish_reason,
            answerer: outcome.answerer,
            citations: outcome.cited.clone(),
        };
        self.send(ChatEvent::Completed(completed)).await;
        let state = if self.gone {
            AnswerState::Partial
        } else {
            AnswerState::Completed
        };
        let kept: Vec<&Citation> = self
            .citations
            .iter()
            .filter(|citation| self.gone || outcome.cited.contains(&citation.n))
            .collect();
        let citations = serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into());
        let ending = Ending {
            answer: &self.said,
            citations: &citations,
            answerer: outcome.answerer.as_str(),
            state: state.as_str(),
            finish_reason: (!self.gone).then(|| outcome.finish_reason.as_str()),
            first_delta_ms: self.first_delta_ms,
            completed_ms: (!self.gone).then(|| elapsed_ms(self.started)),
        };
        let pool = self.state.db.pool();
        if let Err(error) =
            repo::finish_message(pool, &self.workspace_id, &self.message_id, &ending).await
        {
            tracing::error!(%error, message_id = %self.message_id, "could not keep an answer");
        }
    }
}

fn elapsed_ms(since: Instant) -> i64 {
    i64::try_from(since.elapsed().as_millis()).unwrap_or(i64::MAX)
}

/// An error as the `error` event carries it: the REST API's problem body.
fn problem(error: &AppError) -> ChatProblem {
    let status = error.status_code();
    ChatProblem {
        kind: format!("{PROBLEM_TYPE_BASE}{}", error.kind()),
        title: axum::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("Error")
            .to_owned(),
        status,
        detail: error.to_string(),
    }
}

fn starter_of(principal: &Principal) -> Starter<'_> {
    Starter {
        kind: principal.actor_kind(),
        id: principal.actor_id(),
    }
}

/// A conversation the caller started (to continue it): any other is not found.
async fn own_conversation(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<ConversationRow, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::find(&mut conn, &principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !started(&row, principal) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Whether `principal` started the conversation.
fn started(row: &ConversationRow, principal: &Principal) -> bool {
    let starter = starter_of(principal);
    row.started_by_kind == starter.kind && row.started_by_id == starter.id
}

/// Whether the caller reads every conversation of the workspace (an account token) rather
/// than only those it started (people, and tokens of narrower scope).
fn reads_every_conversation(reach: &Reach, principal: &Principal) -> bool {
    matches!(reach, Reach::Workspace) && principal.user_id().is_none()
}

/// The conversations the caller may read, latest activity first: a person's own, a token's
/// own, or (an account token) every conversation of the workspace.
#[tracing::instrument(name = "assistant.history", skip_all)]
pub async fn history(
    state: &AppState,
    principal: &Principal,
    query: &ConversationQuery,
) -> Result<ConversationPage, AppError> {
    let reach = reach(principal, READ)?;
    let limit = paging::effective_limit(query.limit);
    let offset = paging::effective_offset(query.offset);
    let starter = (!reads_every_conversation(&reach, principal)).then(|| starter_of(principal));
    let (rows, total) = repo::list(
        state.db.pool(),
        &principal.workspace_id,
        starter,
        limit,
        offset,
    )
    .await?;
    Ok(ConversationPage {
        items: rows.into_iter().map(summary).collect(),
        total,
        limit,
        offset,
    })
}

/// One conversation with its messages, if the caller may read it (as [`history`] lists).
#[tracing::instrument(name = "assistant.conversation", skip_all, fields(conversation_id = %id))]
pub async fn conversation(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Conversation, AppError> {
    let reach = reach(principal, READ)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::find(&mut conn, &principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let readable = reads_every_conversation(&reach, principal) || started(&row, principal);
    let started_by_token = (row.started_by_kind == "token").then_some(row.started_by_id.as_str());
    if !readable || !reach.contains(&Target::Conversation { started_by_token }) {
        return Err(AppError::NotFound);
    }
    let messages = repo::messages(state.db.pool(), &principal.workspace_id, &row.id).await?;
    let now = now_ms();
    Ok(Conversation {
        id: row.id,
        title: row.title,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
        messages: messages.into_iter().map(|row| message(row, now)).collect(),
    })
}

fn summary(row: ConversationRow) -> ConversationSummary {
    ConversationSummary {
        id: row.id,
        title: row.title,
        message_count: row.message_count,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
    }
}

fn message(row: MessageRow, now: i64) -> ChatMessage {
    let mut state = AnswerState::parse(&row.state).unwrap_or(AnswerState::Partial);
    if state == AnswerState::Streaming && now - row.created_at > ABANDONED_MS {
        state = AnswerState::Partial;
    }
    ChatMessage {
        id: row.id,
        question: row.question,
        answer: row.answer,
        citations: serde_json::from_str(&row.citations).unwrap_or_default(),
        answerer: Answerer::parse(&row.answerer).unwrap_or(Answerer::Extractive),
        state,
        finish_reason: row.finish_reason.as_deref().and_then(FinishReason::parse),
        created_at_ms: row.created_at,
        first_delta_ms: row.first_delta_ms,
        completed_ms: row.completed_ms,
    }
}

/// The `llm` integration the workspace's assistant answers with, if one is chosen. Workspace
/// settings: people only.
pub async fn chosen_model(
    state: &AppState,
    principal: &Principal,
) -> Result<Option<String>, AppError> {
    authorize(principal, Action::settings(Op::Read), Target::Any)?;
    Ok(repo::chosen_model(state.db.pool(), &principal.workspace_id).await?)
}

/// Chooses the workspace's `llm` integration for the assistant (`None`: the default
/// answerer). Owners and admins; the integration must be one of the workspace's models.
#[tracing::instrument(name = "assistant.choose_model", skip_all)]
pub async fn choose_model(
    state: &AppState,
    principal: &Principal,
    integration_id: Option<&str>,
) -> Result<(), AppError> {
    authorize(principal, Action::settings(Op::Write), Target::Any)?;
    let mut tx = state.db.begin_write().await?;
    if !repo::choose_model(&mut tx, &principal.workspace_id, integration_id).await? {
        return Err(AppError::field(
            "integration_id",
            "Choose one of the workspace's model integrations.",
        ));
    }
    let name = match integration_id {
        Some(id) => crate::integrations::repo::find(&mut tx, &principal.workspace_id, id)
            .await?
            .map(|row| row.name),
        None => None,
    };
    let target =
        integration_id
            .zip(name.as_deref())
            .map(|(id, label)| crate::audit::model::Target {
                kind: "integration",
                id,
                label,
            });
    crate::audit::record(&mut tx, principal, "assistant.model_chosen", target).await?;
    tx.commit().await?;
    Ok(())
}
