//! The Assistant page: ask a question, watch the answer stream in with its numbered
//! citations (each opens the cited passage and links to its document), stop it, and go back
//! to earlier conversations. The answer streams from `/rpc/assistant/chat`
//! (`server/src/chat.rs`); the history comes from server functions.

use leptos::prelude::*;

use crate::assistant::model::{
    AnswerState, Answerer, ChatEvent, ChatMessage, ChatRequest, Citation, Conversation,
    FinishReason, SseParser,
};
use crate::assistant::server_fns::{get_conversation, list_conversations};
use crate::error::AppError;
use crate::ui::browser::{focus_by_id, post_streaming, StreamEnd, StreamHandle};
use crate::ui::{load, LoadError, RelativeTime};

/// The session door for a question (`server/src/chat.rs`).
const CHAT_PATH: &str = "/rpc/assistant/chat";
const QUESTION_ID: &str = "assistant-question";

/// Where an answer on the page stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Streaming,
    Answered,
    NoAnswer,
    Stopped,
    Failed(String),
}

/// A question and its answer on the page. The answer's parts are signals of their own, so
/// a streamed piece redraws only its answer.
#[derive(Debug, Clone, Copy)]
struct Turn {
    key: usize,
    question: StoredValue<String>,
    answer: RwSignal<String>,
    citations: RwSignal<Vec<Citation>>,
    phase: RwSignal<Phase>,
    answerer: RwSignal<Option<Answerer>>,
    /// The citation opened from a marker in the text.
    opened: RwSignal<Option<u32>>,
}

impl Turn {
    fn new(key: usize, question: String, phase: Phase) -> Turn {
        Turn {
            key,
            question: StoredValue::new(question),
            answer: RwSignal::new(String::new()),
            citations: RwSignal::new(Vec::new()),
            phase: RwSignal::new(phase),
            answerer: RwSignal::new(None),
            opened: RwSignal::new(None),
        }
    }

    /// A kept message, as the page shows it.
    fn kept(key: usize, message: ChatMessage) -> Turn {
        let phase = match (message.state, message.finish_reason) {
            (AnswerState::Partial, _) => Phase::Stopped,
            (AnswerState::Streaming, _) => Phase::Streaming,
            (_, Some(FinishReason::NoAnswer)) => Phase::NoAnswer,
            (_, Some(FinishReason::Error)) => Phase::Failed("The answer failed.".into()),
            _ => Phase::Answered,
        };
        let turn = Turn::new(key, message.question, phase);
        turn.answer.set(message.answer);
        turn.citations.set(message.citations);
        turn.answerer.set(Some(message.answerer));
        turn
    }

    /// Applies one event of the answer's stream.
    fn apply(&self, event: ChatEvent, conversation: RwSignal<Option<String>>) {
        match event {
            ChatEvent::Created(created) => conversation.set(Some(created.conversation_id)),
            ChatEvent::Citation(citation) => self.citations.update(|all| all.push(citation)),
            ChatEvent::Delta(delta) => self.answer.update(|text| text.push_str(&delta.delta)),
            ChatEvent::Completed(completed) => {
                self.answerer.set(Some(completed.answerer));
                if self.phase.get_untracked() == Phase::Streaming {
                    self.phase.set(match completed.finish_reason {
                        FinishReason::NoAnswer => Phase::NoAnswer,
                        _ => Phase::Answered,
                    });
                }
            }
            ChatEvent::Error(problem) => self.phase.set(Phase::Failed(problem.detail)),
        }
    }
}

#[component]
pub fn AssistantPage() -> impl IntoView {
    let conversations = load(|| (), |_| list_conversations());
    let conversation: RwSignal<Option<String>> = RwSignal::new(None);
    let turns: RwSignal<Vec<Turn>> = RwSignal::new(Vec::new());
    let next_key = StoredValue::new(0usize);
    let in_flight: StoredValue<Option<StreamHandle>> = StoredValue::new(None);
    let busy = RwSignal::new(false);
    let question = RwSignal::new(String::new());
    let take_key = move || {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        key
    };

    let ask = move || {
        let text = question.get_untracked().trim().to_owned();
        if text.is_empty() || busy.get_untracked() {
            return;
        }
        let turn = Turn::new(take_key(), text.clone(), Phase::Streaming);
        turns.update(|all| all.push(turn));
        question.set(String::new());
        let request = ChatRequest {
            message: text,
            conversation_id: conversation.get_untracked(),
        };
        let body = serde_json::to_string(&request).unwrap_or_default();
        let mut parser = SseParser::default();
        let on_text = move |text: String| {
            for (name, data) in parser.feed(&text) {
                if let Some(event) = ChatEvent::parse(&name, &data) {
                    turn.apply(event, conversation);
                }
            }
        };
        let on_end = move |end: StreamEnd| {
            if turn.phase.get_untracked() == Phase::Streaming {
                turn.phase.set(match end {
                    StreamEnd::Stopped => Phase::Stopped,
                    StreamEnd::Refused { body, .. } => Phase::Failed(refusal(&body)),
                    StreamEnd::Finished => Phase::Failed("The answer broke off.".into()),
                    StreamEnd::Failed => {
                        Phase::Failed("The server could not be reached. Try again.".into())
                    }
                });
            }
            in_flight.set_value(None);
            busy.set(false);
            conversations.refetch();
        };
        busy.set(true);
        in_flight.set_value(post_streaming(CHAT_PATH, body, on_text, on_end));
    };
    let stop = move |_| {
        if let Some(handle) = in_flight.get_value() {
            handle.stop();
        }
    };

    let opening = Action::new(|id: &String| get_conversation(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(opened)) = opening.value().get() {
            let Conversation { id, messages, .. } = opened;
            conversation.set(Some(id));
            turns.set(
                messages
                    .into_iter()
                    .map(|message| Turn::kept(take_key(), message))
                    .collect(),
            );
        }
    });
    let start_over = move |_| {
        if busy.get_untracked() {
            return;
        }
        conversation.set(None);
        turns.set(Vec::new());
        focus_by_id(QUESTION_ID);
    };

    view! {
        <header class="page-header">
            <div>
                <h1>"Assistant"</h1>
                <p class="muted">"Answers from the knowledge base, quoted and cited."</p>
            </div>
        </header>
        <div class="assistant-page">
            <aside class="card assistant-history" aria-labelledby="assistant-history-heading">
                <header class="section-header">
                    <h2 id="assistant-history-heading">"Conversations"</h2>
                    <button type="button" on:click=start_over disabled=move || busy.get()>"New"</button>
                </header>
                <Transition fallback=|| view! { <p class="muted small">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match conversations.await {
                            Ok(page) if page.items.is_empty() => view! {
                                <p class="muted small">"Your conversations will be listed here."</p>
                            }.into_any(),
                            Ok(page) => view! {
                                <ul class="assistant-conversations" aria-label="Conversations">
                                    {page.items.into_iter().map(|item| {
                                        let id = item.id.clone();
                                        let current = {
                                            let id = id.clone();
                                            move || (conversation.get().as_deref() == Some(id.as_str())).then_some("true")
                                        };
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="assistant-conversation"
                                                    data-testid="conversation"
                                                    aria-current=current
                                                    disabled=move || busy.get()
                                                    on:click=move |_| { opening.dispatch(id.clone()); }
                                                >
                                                    <span class="item-title">{item.title}</span>
                                                    <span class="muted small"><RelativeTime at_ms=item.updated_at_ms /></span>
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(error) => view! { <LoadError error /> }.into_any(),
                        }
                    })}
                </Transition>
            </aside>
            <section class="card assistant-chat" aria-label="Chat">
                {move || opening.value().get().and_then(Result::err).map(|error| view! { <LoadError error /> })}
                <Show
                    when=move || !turns.with(Vec::is_empty)
                    fallback=|| view! {
                        <div class="empty-state">
                            <p class="empty-title">"Ask about your documents."</p>
                            <p class="muted">"The assistant answers with sentences from the knowledge base and numbers each source. When the documents do not say, it tells you so."</p>
                        </div>
                    }
                >
                    <ol class="assistant-turns" aria-label="Questions and answers">
                        <For each=move || turns.get() key=|turn| turn.key let(turn)>
                            <TurnView turn />
                        </For>
                    </ol>
                </Show>
                <form
                    class="assistant-composer"
                    on:submit=move |event| {
                        event.prevent_default();
                        ask();
                    }
                >
                    <label for=QUESTION_ID class="sr-only">"Your question"</label>
                    <textarea
                        id=QUESTION_ID
                        rows="2"
                        maxlength="4000"
                        placeholder="Ask a question…"
                        aria-describedby="assistant-keys"
                        prop:value=move || question.get()
                        on:input=move |event| question.set(event_target_value(&event))
                        on:keydown=move |event| {
                            if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                                event.prevent_default();
                                ask();
                            }
                        }
                    ></textarea>
                    <p id="assistant-keys" class="assistant-keys muted small">"Enter sends · Shift+Enter starts a new line"</p>
                    <Show
                        when=move || busy.get()
                        fallback=move || view! {
                            <button type="submit" class="primary" disabled=move || question.with(|q| q.trim().is_empty())>"Send"</button>
                        }
                    >
                        <button type="button" class="danger-outline" on:click=stop>"Stop"</button>
                    </Show>
                </form>
            </section>
        </div>
    }
}

/// What the server said when it refused a question, for people.
fn refusal(body: &str) -> String {
    match serde_json::from_str::<AppError>(body) {
        Ok(error) => error
            .field_messages("message")
            .and_then(|messages| messages.first().cloned())
            .unwrap_or_else(|| error.to_string()),
        Err(_) => "The question could not be asked. Try again.".into(),
    }
}

#[component]
fn TurnView(turn: Turn) -> impl IntoView {
    let streaming = move || turn.phase.get() == Phase::Streaming;
    let status = move || {
        match turn.phase.get() {
        Phase::Streaming => Some(view! { <p class="muted small" data-testid="answer-status">"Answering…"</p> }.into_any()),
        Phase::NoAnswer => Some(view! { <p class="assistant-no-answer" role="status" data-testid="answer-status">"No answer in the knowledge base."</p> }.into_any()),
        Phase::Stopped => Some(view! { <p class="muted small" data-testid="answer-status">"Stopped: the answer is incomplete."</p> }.into_any()),
        Phase::Failed(reason) => Some(view! { <p class="alert alert-error" role="alert" data-testid="answer-status">{reason}</p> }.into_any()),
        Phase::Answered => None,
    }
    };
    let by_model = move || turn.answerer.get() == Some(Answerer::Model);
    view! {
        <li class="assistant-turn">
            <p class="assistant-question">{turn.question.get_value()}</p>
            // "No answer" is said once, by the status line below.
            <div class="assistant-answer" data-testid="assistant-answer" aria-live="polite" aria-busy=move || streaming().to_string() hidden=move || turn.phase.get() == Phase::NoAnswer>
                {move || segments(&turn.answer.get()).into_iter().map(|segment| match segment {
                    Segment::Text(text) => view! { <span>{text}</span> }.into_any(),
                    Segment::Cite(n) => view! {
                        <button
                            type="button"
                            class="assistant-cite"
                            aria-label=format!("Source {n}")
                            on:click=move |_| {
                                turn.opened.set(Some(n));
                                focus_by_id(&source_id(turn.key, n));
                            }
                        >{format!("[{n}]")}</button>
                    }.into_any(),
                }).collect_view()}
            </div>
            {status}
            <Show when=move || !turn.citations.with(Vec::is_empty)>
                <ol class="assistant-sources" aria-label="Sources">
                    {move || turn.citations.get().into_iter().map(|citation| view! { <SourceView citation turn /> }).collect_view()}
                </ol>
            </Show>
            <Show when=by_model>
                <p class="muted small">"Written by the workspace's model from these sources."</p>
            </Show>
        </li>
    }
}

#[component]
fn SourceView(citation: Citation, turn: Turn) -> impl IntoView {
    let n = citation.n;
    let place = citation.place();
    let href = format!("/rpc/storage/files/{}", citation.file_id);
    view! {
        <li class="assistant-source" data-testid="citation">
            <details prop:open=move || turn.opened.get() == Some(n)>
                <summary id=source_id(turn.key, n)>
                    <span class="assistant-source-number">{format!("[{n}]")}</span>
                    " "
                    {place}
                </summary>
                <blockquote class="assistant-snippet">{citation.snippet}</blockquote>
                <a class="button-link" href=href>{format!("Download {}", citation.title)}</a>
            </details>
        </li>
    }
}

fn source_id(turn: usize, n: u32) -> String {
    format!("source-{turn}-{n}")
}

/// A piece of an answer: text, or a citation marker `[n]`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Cite(u32),
}

/// Splits an answer at its `[n]` markers.
fn segments(answer: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = answer;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let marker = after
            .find(']')
            .and_then(|close| after[..close].parse::<u32>().ok().map(|n| (n, close)));
        match marker {
            Some((n, close)) => {
                text.push_str(&rest[..open]);
                if !text.is_empty() {
                    out.push(Segment::Text(std::mem::take(&mut text)));
                }
                out.push(Segment::Cite(n));
                rest = &after[close + 1..];
            }
            None => {
                text.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Segment::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_split_at_their_markers_only() {
        assert_eq!(
            segments("Loop over it. [1] Or read() [2][x] a[b]"),
            vec![
                Segment::Text("Loop over it. ".into()),
                Segment::Cite(1),
                Segment::Text(" Or read() ".into()),
                Segment::Cite(2),
                Segment::Text("[x] a[b]".into()),
            ]
        );
        assert_eq!(segments(""), vec![]);
    }
}
