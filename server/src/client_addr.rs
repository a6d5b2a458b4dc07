//! Resolves each request's client address once, before any handler runs, and leaves it in
//! the request's extensions as [`ClientAddr`] for the rate limits and the audit log. The rules
//! (when `X-Forwarded-For` is believed) are in `app::client_addr`.

use std::net::SocketAddr;
use std::sync::Arc;

use app::client_addr::{ClientAddr, TrustedProxies};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::HeaderName;
use axum::middleware::Next;
use axum::response::Response;

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

pub async fn resolve_client_addr(
    State(trusted_proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    // Without connection info (a router driven in-process) there is no address to resolve.
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let forwarded_for = request
            .headers()
            .get_all(&X_FORWARDED_FOR)
            .iter()
            .filter_map(|value| value.to_str().ok());
        let client = trusted_proxies.client_addr(peer.ip(), forwarded_for);
        request.extensions_mut().insert(ClientAddr(client));
    }
    next.run(request).await
}
