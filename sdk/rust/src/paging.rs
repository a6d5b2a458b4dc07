//! Lists answer one page (`limit`, `offset`, `{items, total}`); these helpers walk every page
//! as one stream of items, asking for the next page only when the previous one is used up.

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use tessera_wire::agents::{AgentList, AgentQuery};
use tessera_wire::assistant::{ConversationPage, ConversationQuery};
use tessera_wire::executions::{ExecutionPage, ExecutionQuery};
use tessera_wire::integrations::{IntegrationPage, IntegrationQuery};
use tessera_wire::knowledge::{DocumentPage, DocumentQuery};
use tessera_wire::storage::{FilePage, FileQuery};
use tessera_wire::tokens::{TokenPage, TokenQuery};
use tessera_wire::triggers::{TriggerPage, TriggerQuery};

use crate::error::Result;

/// A stream of items from every page; `StreamExt::next` (re-exported by this crate) reads it.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// A list query: its page window can be moved.
pub trait PageQuery: Clone + Send + 'static {
    /// The page size asked for, if any.
    fn limit(&self) -> Option<i64>;
    /// Where the walk starts.
    fn offset(&self) -> Option<i64>;
    /// Moves the window.
    fn set_window(&mut self, limit: Option<i64>, offset: i64);
}

/// One page of a list answer.
pub trait Page: Send + 'static {
    type Item: Send + 'static;
    /// The page's items and how many match in all pages.
    fn into_items(self) -> (Vec<Self::Item>, i64);
}

macro_rules! paged {
    ($($query:ty => $page:ty, $item:ty;)*) => {$(
        impl PageQuery for $query {
            fn limit(&self) -> Option<i64> {
                self.limit
            }
            fn offset(&self) -> Option<i64> {
                self.offset
            }
            fn set_window(&mut self, limit: Option<i64>, offset: i64) {
                self.limit = limit;
                self.offset = Some(offset);
            }
        }
        impl Page for $page {
            type Item = $item;
            fn into_items(self) -> (Vec<$item>, i64) {
                (self.items, self.total)
            }
        }
    )*};
}

paged! {
    TokenQuery => TokenPage, tessera_wire::tokens::TokenView;
    AgentQuery => AgentList, tessera_wire::agents::Agent;
    TriggerQuery => TriggerPage, tessera_wire::triggers::Trigger;
    ExecutionQuery => ExecutionPage, tessera_wire::executions::Execution;
    IntegrationQuery => IntegrationPage, tessera_wire::integrations::Integration;
    DocumentQuery => DocumentPage, tessera_wire::knowledge::Document;
    FileQuery => FilePage, tessera_wire::storage::StoredFile;
    ConversationQuery => ConversationPage, tessera_wire::assistant::ConversationSummary;
}

/// Every item from `query`'s offset on, fetching a page at a time with `fetch`.
pub fn all_pages<Q, P, F, Fut>(query: Q, fetch: F) -> ItemStream<P::Item>
where
    Q: PageQuery,
    P: Page,
    F: Fn(Q) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<P>> + Send + 'static,
{
    let start = query.offset().unwrap_or(0).max(0);
    let pages = stream::try_unfold((query, start, false), move |(mut query, offset, done)| {
        let limit = query.limit();
        query.set_window(limit, offset);
        let page = (!done).then(|| fetch(query.clone()));
        async move {
            let Some(page) = page else {
                return Ok::<_, crate::Error>(None);
            };
            let (items, total) = page.await?.into_items();
            let next = offset + items.len() as i64;
            // An empty page ends the walk even if `total` grew meanwhile.
            let done = items.is_empty() || next >= total;
            Ok(Some((items, (query, next, done))))
        }
    });
    pages
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}
