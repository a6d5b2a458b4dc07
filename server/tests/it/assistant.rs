//! The assistant over real HTTP (SPEC §4.3 "Assistant chat"): answers stream as Server-Sent
//! Events in their order and shapes, cite real passages of the caller's workspace only, say
//! "no answer" without citing anything, follow a conversation, keep a partial answer when the
//! client leaves, and fall back from a model that fails in any way to the default answerer.
//! History belongs to whoever asked; refusals come before the stream as problems.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::assistant::model::{ChatEvent, SseParser};
use app::assistant::service::NO_ANSWER;
use axum::response::IntoResponse;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::access::{refused, token, world};
use crate::common::{answer, create_token, set_up_owner, Api, Browser, TestServer};
use crate::knowledge_base::ingest;
use crate::storage::admin;

const FILES: &str = "# Reading files\n\n\
    To read a file line by line, loop over the file object with a for statement. \
    Each line keeps its newline character at the end.\n\n\
    # Closing files\n\n\
    Call close() on the file object when you are done, or use a with statement so the file \
    is closed for you.\n";
const FROB: &str = "# The frobnicator\n\n\
    The frobnicator turns widgets into gadgets in a single pass. \
    It is configured with a YAML file named frob.yaml in the project folder.\n";
const WIDGETS: &str = "# Widgets\n\n\
    A widget is configured through environment variables that start with WIDGET_.\n";

/// What one answer streamed: every event, in order.
struct Streamed {
    events: Vec<ChatEvent>,
}

impl Streamed {
    fn created(&self) -> (String, String) {
        match &self.events[0] {
            ChatEvent::Created(created) => {
                (created.conversation_id.clone(), created.message_id.clone())
            }
            other => panic!("the first event is {other:?}"),
        }
    }

    fn citations(&self) -> Vec<&app::assistant::model::Citation> {
        self.events
            .iter()
            .filter_map(|event| match event {
                ChatEvent::Citation(citation) => Some(citation),
                _ => None,
            })
            .collect()
    }

    fn text(&self) -> String {
        self.events
            .iter()
            .filter_map(|event| match event {
                ChatEvent::Delta(delta) => Some(delta.delta.as_str()),
                _ => None,
            })
            .collect()
    }

    fn completed(&self) -> &app::assistant::model::MessageCompleted {
        match self.events.last() {
            Some(ChatEvent::Completed(completed)) => completed,
            other => panic!("the last event is {other:?}"),
        }
    }

    /// Event names in order, runs of one name folded into one.
    fn shape(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for event in &self.events {
            if names.last() != Some(&event.name()) {
                names.push(event.name());
            }
        }
        names
    }
}

/// Posts a question with `token` and reads the whole stream.
async fn ask(api: &Api<'_>, body: Value) -> Streamed {
    let response = chat_request(api, body).await;
    if response.status() != StatusCode::OK {
        panic!("refused: {}", answer(response).await.body);
    }
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(response.headers()["x-accel-buffering"], "no");
    let text = response.text().await.expect("the stream");
    let mut parser = SseParser::default();
    let events = parser
        .feed(&text)
        .iter()
        .map(|(name, data)| ChatEvent::parse(name, data).expect("a known event"))
        .collect();
    Streamed { events }
}

async fn chat_request(api: &Api<'_>, body: Value) -> reqwest::Response {
    api.server
        .client
        .post(api.server.url("/api/assistant/chat"))
        .bearer_auth(&api.token)
        .json(&body)
        .send()
        .await
        .expect("chat")
}

#[tokio::test]
async fn an_answer_streams_in_order_cites_real_passages_and_is_kept() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let files = ingest(&api, "files.md", FILES, "text/markdown").await;
    ingest(&api, "widgets.md", WIDGETS, "text/markdown").await;

    let streamed = ask(
        &api,
        json!({"message": "How do I read a file line by line?"}),
    )
    .await;
    assert_eq!(
        streamed.shape(),
        [
            "message.created",
            "citation",
            "text.delta",
            "message.completed"
        ]
    );
    let citations = streamed.citations();
    assert_eq!(citations[0].n, 1);
    assert_eq!(citations[0].document_id, files["id"].as_str().unwrap());
    assert_eq!(citations[0].title, "Reading files");
    let text = streamed.text();
    assert!(
        text.starts_with(
            "To read a file line by line, loop over the file object with a for statement. [1]"
        ),
        "verbatim and cited: {text}"
    );
    let completed = streamed.completed();
    assert_eq!(completed.finish_reason.as_str(), "stop");
    assert_eq!(completed.answerer.as_str(), "extractive");
    assert_eq!(completed.citations[0], 1);
    for n in &completed.citations {
        assert!(
            citations.iter().any(|citation| citation.n == *n),
            "[{n}] is cited"
        );
    }

    // The cited chunk is a real passage of this document.
    let document = api
        .get(&format!("/api/knowledge-base/{}", citations[0].document_id))
        .await;
    assert_eq!(document.status, StatusCode::OK);

    // Kept: the history lists it, the conversation holds the answer as streamed.
    let (conversation_id, message_id) = streamed.created();
    let history = api.get("/api/assistant/chat/history").await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.body);
    assert_eq!(history.body["total"], 1);
    assert_eq!(history.body["items"][0]["id"], conversation_id.as_str());
    assert_eq!(
        history.body["items"][0]["title"],
        "How do I read a file line by line?"
    );
    let kept = api
        .get(&format!("/api/assistant/chat/history/{conversation_id}"))
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    let message = &kept.body["messages"][0];
    assert_eq!(message["id"], message_id.as_str());
    assert_eq!(message["answer"], text.as_str());
    assert_eq!(message["state"], "completed");
    assert_eq!(message["finish_reason"], "stop");
    assert_eq!(
        message["citations"][0]["chunk_id"],
        citations[0].chunk_id.as_str()
    );
    assert!(message["completed_ms"].as_i64().is_some());

    // A question in quotes is asked by its words too.
    let quoted = ask(&api, json!({"message": "\"line by line\""})).await;
    assert_eq!(quoted.completed().finish_reason.as_str(), "stop");
    assert!(quoted.text().contains("line by line"), "{}", quoted.text());

    // Deterministic: the same question over the same passages gives the same answer.
    let again = ask(
        &api,
        json!({"message": "How do I read a file line by line?"}),
    )
    .await;
    assert_eq!(again.text(), text);
}

#[tokio::test]
async fn a_question_the_knowledge_base_cannot_answer_cites_nothing() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    ingest(&api, "files.md", FILES, "text/markdown").await;
    for question in [
        "What is the best recipe for lasagna?",
        "Who won the football world cup in 1998?",
    ] {
        let streamed = ask(&api, json!({ "message": question })).await;
        assert!(streamed.citations().is_empty(), "{question}");
        assert_eq!(streamed.text(), NO_ANSWER, "{question}");
        assert_eq!(streamed.completed().finish_reason.as_str(), "no_answer");
        assert!(streamed.completed().citations.is_empty());
    }
    // An empty knowledge base has no answer either.
    let other = TestServer::start().await;
    let (empty, _) = admin(&other).await;
    let streamed = ask(&empty, json!({"message": "How do I read a file?"})).await;
    assert_eq!(streamed.completed().finish_reason.as_str(), "no_answer");
}

#[tokio::test]
async fn another_workspaces_passages_are_never_cited() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    ingest(&api, "frob.md", FROB, "text/markdown").await;
    let mut other = crate::common::other_workspace_owner(&server, "other@example.com").await;
    let (_, other_token) = create_token(&mut other, &[("name", "other")]).await;
    let other_api = Api::new(&server, &other_token);
    let streamed = ask(
        &other_api,
        json!({"message": "What does the frobnicator do?"}),
    )
    .await;
    assert!(streamed.citations().is_empty());
    assert_eq!(streamed.completed().finish_reason.as_str(), "no_answer");
}

#[tokio::test]
async fn a_follow_up_is_answered_in_its_conversation() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let frob = ingest(&api, "frob.md", FROB, "text/markdown").await;
    ingest(&api, "widgets.md", WIDGETS, "text/markdown").await;
    let first = ask(&api, json!({"message": "What does the frobnicator do?"})).await;
    let (conversation_id, _) = first.created();
    assert_eq!(
        first.citations()[0].document_id,
        frob["id"].as_str().unwrap()
    );

    let follow_up = ask(
        &api,
        json!({"message": "How is it configured?", "conversation_id": conversation_id}),
    )
    .await;
    assert_eq!(
        follow_up.created().0,
        conversation_id,
        "the same conversation"
    );
    assert_eq!(
        follow_up.citations()[0].document_id,
        frob["id"].as_str().unwrap(),
        "the earlier turn says what \"it\" is: {}",
        follow_up.text()
    );
    assert!(
        follow_up.text().contains("frob.yaml"),
        "{}",
        follow_up.text()
    );

    let kept = api
        .get(&format!("/api/assistant/chat/history/{conversation_id}"))
        .await;
    assert_eq!(kept.body["messages"].as_array().unwrap().len(), 2);
    assert_eq!(
        kept.body["messages"][1]["question"],
        "How is it configured?"
    );
}

#[tokio::test]
async fn refusals_come_before_the_stream_and_keep_nothing() {
    let server = TestServer::start().await;
    let (api, _) = admin(&server).await;
    let cases = [
        (json!({"message": ""}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"message": "   "}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"message": "a".repeat(4_001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"question": "wrong field"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"message": "hello", "conversation_id": "no-such-conversation"}),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (body, status) in cases {
        let refused = answer(chat_request(&api, body.clone()).await).await;
        assert_eq!(refused.status, status, "{body}: {}", refused.body);
        assert!(refused
            .header("content-type")
            .is_some_and(|value| value.starts_with("application/problem+json")));
    }
    let anonymous = server
        .client
        .post(server.url("/api/assistant/chat"))
        .json(&json!({"message": "hello"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let history = api.get("/api/assistant/chat/history").await;
    assert_eq!(history.body["total"], 0, "nothing was kept");
}

#[tokio::test]
async fn each_scope_and_level_gets_the_tables_answer_for_the_assistant() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    for (scope_name, scope) in crate::access::scopes(&w) {
        for level in ["none", "read", "write"] {
            let case = format!("{scope_name} token with assistant:{level}");
            let plaintext = token(
                &w.admin,
                &format!("{scope_name}-{level}"),
                &scope,
                json!({"assistant": level, "knowledge_base": "none"}),
            )
            .await;
            let caller = Api::new(&server, &plaintext);
            if level == "none" {
                let chat = answer(chat_request(&caller, json!({"message": "hi"})).await).await;
                refused(&chat, "assistant:read", &case);
                refused(
                    &caller.get("/api/assistant/chat/history").await,
                    "assistant:read",
                    &case,
                );
                continue;
            }
            // Chat is a read: any scope may ask, even without knowledge_base permission.
            let streamed = ask(&caller, json!({"message": "hi"})).await;
            assert_eq!(streamed.shape()[0], "message.created", "{case}");
            let history = caller.get("/api/assistant/chat/history").await;
            assert_eq!(history.status, StatusCode::OK, "{case}");
            let listed: Vec<&str> = history.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["id"].as_str().unwrap())
                .collect();
            assert!(listed.contains(&streamed.created().0.as_str()), "{case}");
            if scope_name != "account" {
                assert_eq!(listed.len(), 1, "{case}: its own conversation only");
            }
        }
    }
}

#[tokio::test]
async fn history_belongs_to_whoever_asked() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let environment = json!({"kind": "environment", "environment_id": w.environment});
    let chat = json!({"assistant": "read"});
    let a = Api::new(
        &server,
        &token(&w.admin, "a", &environment, chat.clone()).await,
    );
    let b = Api::new(&server, &token(&w.admin, "b", &environment, chat).await);
    let (a_conversation, _) = ask(&a, json!({"message": "a's question"})).await.created();
    let (b_conversation, _) = ask(&b, json!({"message": "b's question"})).await.created();

    // Each token sees and continues its own only.
    let a_history = a.get("/api/assistant/chat/history").await;
    assert_eq!(a_history.body["total"], 1);
    assert_eq!(a_history.body["items"][0]["id"], a_conversation.as_str());
    let path = format!("/api/assistant/chat/history/{b_conversation}");
    assert_eq!(a.get(&path).await.status, StatusCode::NOT_FOUND);
    let continued = answer(
        chat_request(
            &a,
            json!({"message": "more", "conversation_id": b_conversation}),
        )
        .await,
    )
    .await;
    assert_eq!(continued.status, StatusCode::NOT_FOUND);

    // An account token reads every conversation of the workspace.
    let all = w.admin.get("/api/assistant/chat/history").await;
    assert_eq!(all.body["total"], 2);
    assert_eq!(w.admin.get(&path).await.status, StatusCode::OK);

    // A person sees their own: none yet.
    let mut owner = w.owner;
    let listed = owner.call("list_conversations", &[]).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.body["total"], 0);
    let opened = owner
        .call("get_conversation", &[("id", &a_conversation)])
        .await;
    assert_eq!(opened.status, StatusCode::NOT_FOUND);

    // Another workspace sees none of them.
    let mut other = crate::common::other_workspace_owner(&server, "other@example.com").await;
    let (_, other_token) = create_token(&mut other, &[("name", "other")]).await;
    let other_api = Api::new(&server, &other_token);
    assert_eq!(other_api.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other_api.get("/api/assistant/chat/history").await.body["total"],
        0
    );
}

#[tokio::test]
async fn the_page_asks_through_its_session() {
    let server = TestServer::start().await;
    let mut owner = set_up_owner(&server).await;
    let (_, plaintext) = create_token(&mut owner, &[("name", "admin")]).await;
    let api = Api::new(&server, &plaintext);
    ingest(&api, "files.md", FILES, "text/markdown").await;
    let response = session_chat(
        &server,
        &owner,
        json!({"message": "How do I close a file?"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let events: Vec<ChatEvent> = SseParser::default()
        .feed(&text)
        .iter()
        .filter_map(|(name, data)| ChatEvent::parse(name, data))
        .collect();
    let ChatEvent::Created(created) = &events[0] else {
        panic!("{events:?}")
    };
    let listed = owner.call("list_conversations", &[]).await;
    assert_eq!(
        listed.body["items"][0]["id"],
        created.conversation_id.as_str()
    );
    let opened = owner
        .call("get_conversation", &[("id", &created.conversation_id)])
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert!(opened.body["messages"][0]["answer"]
        .as_str()
        .unwrap()
        .contains("close()"));

    // Without the session: refused, as JSON.
    let anonymous = server
        .client
        .post(server.url(tessera::chat::CHAT_PATH))
        .header("origin", server.url(""))
        .json(&json!({"message": "hello"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

async fn session_chat(
    server: &TestServer,
    browser: &Browser<'_>,
    body: Value,
) -> reqwest::Response {
    server
        .client
        .post(server.url(tessera::chat::CHAT_PATH))
        .header("cookie", browser.cookie.clone().unwrap())
        .header("origin", server.url(""))
        .json(&body)
        .send()
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// The model path, against an OpenAI-compatible streaming server started by the test.
// ---------------------------------------------------------------------------------------

/// How the test's model behaves.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Behaviour {
    /// Streams its answer in pieces and ends with `[DONE]`.
    Answers,
    /// Streams one piece, then the connection closes without `[DONE]`.
    DiesHalfway,
    /// Streams one piece, then says nothing more.
    Stalls,
    /// Sends only the headers, then nothing.
    Silent,
    /// Answers 500.
    Fails,
    /// Streams what is not its protocol.
    Garbage,
    /// Ends with `[DONE]` without a word.
    SaysNothing,
}

struct FakeModel {
    url: String,
    behaviour: Arc<Mutex<Behaviour>>,
    /// The bodies and authorization headers it received.
    received: Arc<Mutex<Vec<(Value, String)>>>,
}

const MODEL_KEY: &str = "sk-test-model-key-1234567890";
const MODEL_ANSWER: [&str; 3] = ["Loop over the file ", "object [1]", "."];

async fn fake_model() -> FakeModel {
    let behaviour = Arc::new(Mutex::new(Behaviour::Answers));
    let received = Arc::new(Mutex::new(Vec::new()));
    let (b, r) = (behaviour.clone(), received.clone());
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::Json<Value>| {
                let (behaviour, received) = (b.clone(), r.clone());
                async move {
                    let auth = headers
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    received.lock().unwrap().push((body.0, auth));
                    let behaviour = *behaviour.lock().unwrap();
                    model_answer(behaviour)
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    FakeModel {
        url: format!("http://{addr}/v1"),
        behaviour,
        received,
    }
}

fn chunk(content: &str) -> String {
    format!(
        "data: {}\n\n",
        json!({"id": "c", "object": "chat.completion.chunk",
               "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]})
    )
}

fn model_answer(behaviour: Behaviour) -> axum::response::Response {
    use futures::StreamExt;
    let pieces: Vec<String> = match behaviour {
        Behaviour::Fails => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "overloaded").into_response();
        }
        Behaviour::Answers => MODEL_ANSWER
            .iter()
            .map(|piece| chunk(piece))
            .chain(["data: [DONE]\n\n".to_owned()])
            .collect(),
        Behaviour::DiesHalfway | Behaviour::Stalls => vec![chunk(MODEL_ANSWER[0])],
        Behaviour::Silent => Vec::new(),
        Behaviour::Garbage => vec!["data: {not json\n\n".to_owned()],
        Behaviour::SaysNothing => vec![chunk(""), "data: [DONE]\n\n".to_owned()],
    };
    let hold_open = matches!(behaviour, Behaviour::Stalls | Behaviour::Silent);
    let stream = futures::stream::iter(pieces)
        .then(|piece| async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, std::io::Error>(piece)
        })
        .chain(futures::stream::once(async move {
            if hold_open {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            Ok(String::new())
        }));
    axum::response::Response::builder()
        .header("content-type", "text/event-stream")
        .body(axum::body::Body::from_stream(stream))
        .unwrap()
}

/// A server whose egress reaches the test's model, patient with it for one second, and an
/// owner whose workspace answers with that model.
async fn with_model<'s>(server: &'s TestServer, model: &FakeModel) -> (Browser<'s>, String) {
    let mut owner = set_up_owner(server).await;
    let (_, plaintext) = create_token(&mut owner, &[("name", "admin")]).await;
    let api = Api::new(server, &plaintext);
    let created = api
        .post(
            "/api/integrations-base",
            json!({"name": "Model", "kind": "llm",
                   "settings": {"base_url": model.url, "model": "model-1"},
                   "secrets": {"api_key": MODEL_KEY}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let chosen = owner
        .call(
            "choose_assistant_model",
            &[("integration_id", created.body["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    (owner, plaintext)
}

async fn model_server() -> TestServer {
    TestServer::start_with(|config| {
        config.egress_allow = "127.0.0.1".parse().unwrap();
        config.assistant_model_timeout = Duration::from_secs(1);
    })
    .await
}

#[tokio::test]
async fn the_chosen_model_answers_grounded_in_numbered_passages() {
    let server = model_server().await;
    let model = fake_model().await;
    let (_, plaintext) = with_model(&server, &model).await;
    let api = Api::new(&server, &plaintext);
    ingest(&api, "files.md", FILES, "text/markdown").await;
    let streamed = ask(
        &api,
        json!({"message": "How do I read a file line by line?"}),
    )
    .await;
    assert_eq!(
        streamed.shape(),
        [
            "message.created",
            "citation",
            "text.delta",
            "message.completed"
        ]
    );
    assert_eq!(streamed.text(), MODEL_ANSWER.concat());
    let completed = streamed.completed();
    assert_eq!(completed.answerer.as_str(), "model");
    assert_eq!(completed.citations, vec![1]);

    let received = model.received.lock().unwrap().clone();
    let (body, auth) = &received[0];
    assert_eq!(auth, &format!("Bearer {MODEL_KEY}"));
    assert_eq!(body["stream"], true);
    assert_eq!(body["model"], "model-1");
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("[1] Reading files"), "{system}");
    assert!(system.contains("loop over the file object"), "{system}");
    let question = body["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(question["content"], "How do I read a file line by line?");
}

#[tokio::test]
async fn a_model_that_fails_in_any_way_gives_way_to_the_default_answerer() {
    let server = model_server().await;
    let model = fake_model().await;
    let (_, plaintext) = with_model(&server, &model).await;
    let api = Api::new(&server, &plaintext);
    ingest(&api, "files.md", FILES, "text/markdown").await;
    let question = json!({"message": "How do I read a file line by line?"});
    let extractive = "To read a file line by line, loop over the file object with a for statement.";
    for behaviour in [
        Behaviour::Fails,
        Behaviour::Garbage,
        Behaviour::Silent,
        Behaviour::SaysNothing,
        Behaviour::DiesHalfway,
        Behaviour::Stalls,
    ] {
        *model.behaviour.lock().unwrap() = behaviour;
        let streamed = ask(&api, question.clone()).await;
        let completed = streamed.completed();
        assert_eq!(completed.answerer.as_str(), "extractive", "{behaviour:?}");
        assert_eq!(completed.finish_reason.as_str(), "stop", "{behaviour:?}");
        let text = streamed.text();
        assert!(text.contains(extractive), "{behaviour:?}: {text}");
        let cut_short = matches!(behaviour, Behaviour::DiesHalfway | Behaviour::Stalls);
        assert_eq!(
            text.starts_with(MODEL_ANSWER[0]),
            cut_short,
            "{behaviour:?}: what the model said is kept: {text}"
        );
        // The numbers cite the passages as the model's grounding numbered them.
        let n = completed.citations[0];
        assert!(streamed.citations().iter().any(|citation| citation.n == n));
    }
}

#[tokio::test]
async fn a_client_that_leaves_keeps_the_partial_answer() {
    let server = model_server().await;
    let model = fake_model().await;
    let (_, plaintext) = with_model(&server, &model).await;
    let api = Api::new(&server, &plaintext);
    ingest(&api, "files.md", FILES, "text/markdown").await;
    *model.behaviour.lock().unwrap() = Behaviour::Stalls;

    let mut response = chat_request(&api, json!({"message": "How do I read a file?"})).await;
    let mut parser = SseParser::default();
    let mut conversation_id = None;
    'reading: while let Some(bytes) = response.chunk().await.unwrap() {
        for (name, data) in parser.feed(std::str::from_utf8(&bytes).unwrap()) {
            match ChatEvent::parse(&name, &data) {
                Some(ChatEvent::Created(created)) => {
                    conversation_id = Some(created.conversation_id)
                }
                Some(ChatEvent::Delta(_)) => break 'reading,
                _ => {}
            }
        }
    }
    drop(response); // The client leaves after the first piece.
    let path = format!("/api/assistant/chat/history/{}", conversation_id.unwrap());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let message = loop {
        let kept = api.get(&path).await;
        let message = kept.body["messages"][0].clone();
        if message["state"] != "streaming" {
            break message;
        }
        assert!(std::time::Instant::now() < deadline, "still streaming");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(message["state"], "partial");
    assert_eq!(message["answer"], MODEL_ANSWER[0]);
    assert_eq!(message["finish_reason"], Value::Null);
}

#[tokio::test]
async fn streams_per_caller_are_bounded() {
    let server = TestServer::start_with(|config| {
        config.egress_allow = "127.0.0.1".parse().unwrap();
        config.assistant_model_timeout = Duration::from_secs(30);
        config.assistant_streams = 2;
    })
    .await;
    let model = fake_model().await;
    let (_, plaintext) = with_model(&server, &model).await;
    let api = Api::new(&server, &plaintext);
    ingest(&api, "files.md", FILES, "text/markdown").await;
    *model.behaviour.lock().unwrap() = Behaviour::Stalls;
    let question = json!({"message": "How do I read a file?"});
    let open = [
        chat_request(&api, question.clone()).await,
        chat_request(&api, question.clone()).await,
    ];
    assert!(open
        .iter()
        .all(|response| response.status() == StatusCode::OK));
    let third = answer(chat_request(&api, question.clone()).await).await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.body
    );
    assert!(third.header("retry-after").is_some());
    drop(open);
    // The streams' places come back once their answers end.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let next = chat_request(&api, question.clone()).await;
        if next.status() == StatusCode::OK {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "places never came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn only_owners_and_admins_choose_a_model_of_their_own_workspace() {
    let server = model_server().await;
    let model = fake_model().await;
    let (mut owner, _) = with_model(&server, &model).await;
    let chosen = owner.call("assistant_model", &[]).await;
    assert_eq!(chosen.status, StatusCode::OK);
    assert!(chosen.body.is_string());
    let refused = owner
        .call(
            "choose_assistant_model",
            &[("integration_id", "no-such-integration")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unchanged = owner.call("assistant_model", &[]).await;
    assert_eq!(unchanged.body, chosen.body);
    let workspace = crate::common::workspace_of(&mut owner).await;
    let mut member = crate::common::add_user(
        &server,
        &workspace,
        "member@example.com",
        app::auth::model::Role::Member,
    )
    .await;
    let denied = member
        .call("choose_assistant_model", &[("integration_id", "")])
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let cleared = owner
        .call("choose_assistant_model", &[("integration_id", "")])
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(owner.call("assistant_model", &[]).await.body, Value::Null);
}
