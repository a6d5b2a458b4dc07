//! The accept loop: the router served over HTTP/1 and HTTP/2 on hyper, as `axum::serve` does,
//! plus the limits it lacks. A client that never finishes its request headers is dropped after
//! `header_read_timeout` (slowloris), and a graceful shutdown waits for requests in flight at
//! most `drain_deadline`, so a client trickling a body cannot hold the process.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long the server waits on a client.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// From a connection's first byte (or the end of the previous request) to the end of the
    /// request headers.
    pub header_read_timeout: Duration,
    /// For a whole request, body included, to arrive and be answered (408 after).
    pub request_timeout: Duration,
    /// The same for a file upload (`bounds::is_upload`).
    pub upload_timeout: Duration,
    /// After shutdown begins, for the requests in flight.
    pub drain_deadline: Duration,
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
    patience: Patience,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(patience.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The client-address middleware reads the TCP peer from here, as with axum::serve.
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // Clients hanging up or timing out: routine, not a server fault.
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(patience.drain_deadline) => {
            tracing::warn!(
                drain_deadline = ?patience.drain_deadline,
                "requests still open after the drain deadline; stopping"
            );
        }
    }
}
