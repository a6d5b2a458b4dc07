//! The assistant: the answer as typed events in order, citing the uploaded document; the
//! history; a refusal before the stream starts.

use std::time::Duration;

use tessera_sdk::wire::assistant::{
    Answerer, ChatEvent, ChatRequest, ConversationQuery, FinishReason,
};
use tessera_sdk::UploadSource;

use crate::common::{client, refusal, unique};

#[tokio::test]
async fn the_chat_streams_typed_events_citing_the_document() {
    let client = client();
    let word = format!("Zephyrine{}", unique("c").replace('-', ""));
    let text = format!(
        "# Keeper handbook\n\nThe lighthouse keeper feeds the cat named {word} every morning at seven.\n\n\
         The lamp is cleaned on Sundays with a soft cloth.\n"
    );
    let stored = client
        .storage()
        .put(
            &format!("{}-handbook.md", unique("kb")),
            UploadSource::bytes(text.into_bytes()).content_type("text/markdown"),
        )
        .await
        .unwrap();
    let document_id = stored.document_id.clone().unwrap();
    client
        .knowledge_base()
        .wait_until_indexed(&document_id, Duration::from_secs(60))
        .await
        .unwrap();

    let events = client
        .assistant()
        .chat(&ChatRequest {
            message: format!("Who feeds the cat named {word}?"),
            conversation_id: None,
        })
        .await
        .unwrap()
        .collect_events()
        .await
        .unwrap();

    let names: Vec<&str> = events.iter().map(ChatEvent::name).collect();
    assert_eq!(names.first(), Some(&"message.created"), "{names:?}");
    assert_eq!(names.last(), Some(&"message.completed"), "{names:?}");
    assert!(!names.contains(&"error"), "{events:?}");
    // Citations come before the text, the text before the end.
    let first_delta = names.iter().position(|n| *n == "text.delta").unwrap();
    let last_citation = names.iter().rposition(|n| *n == "citation").unwrap();
    assert!(last_citation < first_delta, "{names:?}");

    let ChatEvent::Created(created) = &events[0] else {
        unreachable!()
    };
    let citations: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Citation(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(
        citations.iter().any(|c| c.document_id == document_id),
        "{citations:?}"
    );
    let answer: String = events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Delta(d) => Some(d.delta.as_str()),
            _ => None,
        })
        .collect();
    assert!(answer.contains(&word), "{answer}");
    let Some(ChatEvent::Completed(done)) = events.last() else {
        unreachable!()
    };
    assert_eq!(done.answerer, Answerer::Extractive);
    assert_eq!(done.finish_reason, FinishReason::Stop);
    assert!(!done.citations.is_empty());

    // The conversation is kept, and a follow-up joins it.
    let conversation = client
        .assistant()
        .conversation(&created.conversation_id)
        .await
        .unwrap();
    assert_eq!(conversation.messages.len(), 1);
    assert!(conversation.messages[0].answer.contains(&word));
    let follow_up = client
        .assistant()
        .chat(&ChatRequest {
            message: "When is the lamp cleaned?".into(),
            conversation_id: Some(created.conversation_id.clone()),
        })
        .await
        .unwrap()
        .collect_events()
        .await
        .unwrap();
    let ChatEvent::Created(again) = &follow_up[0] else {
        panic!("{follow_up:?}")
    };
    assert_eq!(again.conversation_id, created.conversation_id);
    let history = client
        .assistant()
        .history(&ConversationQuery {
            limit: Some(500),
            offset: None,
        })
        .await
        .unwrap();
    let summary = history
        .items
        .iter()
        .find(|c| c.id == created.conversation_id)
        .unwrap();
    assert_eq!(summary.message_count, 2);

    client.storage().delete(&stored.id).await.unwrap();
}

#[tokio::test]
async fn a_refused_question_fails_before_the_stream() {
    let client = client();
    let empty = refusal(
        client
            .assistant()
            .chat(&ChatRequest {
                message: String::new(),
                conversation_id: None,
            })
            .await,
    );
    assert_eq!(empty.status, 422);
    let unknown = client
        .assistant()
        .chat(&ChatRequest {
            message: "hello".into(),
            conversation_id: Some("no-such-conversation".into()),
        })
        .await
        .unwrap_err();
    assert!(unknown.is_not_found(), "{unknown:?}");
}
