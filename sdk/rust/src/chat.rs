//! The assistant's answer as a stream of typed events, read from the server-sent events of
//! `POST /api/assistant/chat` as they arrive.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::{Stream, StreamExt};
use tessera_wire::assistant::{ChatEvent, SseParser};

use crate::error::{Error, Result};

/// The events of one answer, in order: `Created`, a `Citation` per source, `Delta`s of text,
/// then `Completed` (an `Error` event, carrying a problem, may come before it). The stream
/// ends when the server closes it; dropping it early stops reading (the server keeps the
/// partial answer).
pub struct ChatStream {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    parser: SseParser,
    /// Bytes of a UTF-8 character split between two chunks.
    partial: Vec<u8>,
    ready: VecDeque<ChatEvent>,
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatStream")
            .field("ready", &self.ready.len())
            .finish_non_exhaustive()
    }
}

impl ChatStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        ChatStream {
            body: Box::pin(response.bytes_stream()),
            parser: SseParser::default(),
            partial: Vec::new(),
            ready: VecDeque::new(),
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<()> {
        self.partial.extend_from_slice(chunk);
        let valid = match std::str::from_utf8(&self.partial) {
            Ok(text) => text.len(),
            // An incomplete character at the end waits for the next chunk; anything else
            // is not UTF-8 at all.
            Err(error) if error.error_len().is_none() => error.valid_up_to(),
            Err(_) => {
                return Err(Error::Decode(
                    "the chat stream is not UTF-8 text".to_owned(),
                ))
            }
        };
        let rest = self.partial.split_off(valid);
        let text = String::from_utf8_lossy(&self.partial).into_owned();
        self.partial = rest;
        for (name, data) in self.parser.feed(&text) {
            // An event this SDK does not know yet is skipped, as SSE clients do.
            if let Some(event) = ChatEvent::parse(&name, &data) {
                self.ready.push_back(event);
            }
        }
        Ok(())
    }

    /// Reads the whole answer: its events in order.
    pub async fn collect_events(mut self) -> Result<Vec<ChatEvent>> {
        let mut events = Vec::new();
        while let Some(event) = self.next().await {
            events.push(event?);
        }
        Ok(events)
    }
}

impl Stream for ChatStream {
    type Item = Result<ChatEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(event)));
            }
            match self.body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error.into()))),
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(error) = self.feed(&chunk) {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
        }
    }
}
