//! Keeps one request's Leptos reactive owner from leaking into another request's work.
//!
//! Leptos keeps "the current owner" in a thread-local. `Owner::new_root`, which leptos_axum
//! calls for every page it renders, sets that thread-local and never clears it, and
//! `Owner::new` adopts whatever it finds there as its parent, contexts and shared
//! (hydration) context included. On a server that runs many requests on a few threads, the
//! next request polled on that thread then builds on the previous request's owner, contexts
//! and all: a static file served while a 404 page rendered took the page's 404 status (the
//! browser then refused the WASM bundle and the page never hydrated).
//!
//! This layer clears the thread-local before and after every poll of a request's handler and
//! of its response body, so each request starts from no owner and leaves none behind.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::Owner;
use pin_project_lite::pin_project;

/// Middleware: the handler and the body it returns each run with a clean owner slot.
pub async fn isolate_reactive_owner(request: Request, next: Next) -> Response {
    let response = Isolated {
        inner: next.run(request),
    }
    .await;
    response.map(|body| Body::new(IsolatedBody { inner: body }))
}

/// Empties the thread-local current owner (a no-op when there is none).
fn clear_current_owner() {
    if let Some(owner) = Owner::current() {
        owner.unset();
    }
}

pin_project! {
    struct Isolated<F> {
        #[pin]
        inner: F,
    }
}

impl<F: Future> Future for Isolated<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        clear_current_owner();
        let result = self.project().inner.poll(cx);
        clear_current_owner();
        result
    }
}

pin_project! {
    struct IsolatedBody {
        #[pin]
        inner: Body,
    }
}

impl HttpBody for IsolatedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        clear_current_owner();
        let result = self.project().inner.poll_frame(cx);
        clear_current_owner();
        result
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
