//! Browser-facing protections: server functions refuse cross-site requests (they are
//! authenticated by cookie, so a foreign page must not be able to call them), and every
//! response carries the headers that stop sniffing, framing and referrer leaks. The
//! Content-Security-Policy needs the page's nonce, so the shell sets it (see `app::app`).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::problem::Problem;

/// Refuses state-changing `/rpc` calls that a browser marks as cross-site, or whose `Origin`
/// is not this server.
pub async fn same_origin_rpc(request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/rpc/")
        && request.method() != Method::GET
        && is_cross_site(request.headers())
    {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site server function call");
        return Problem::from(app::AppError::Forbidden).into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        // Non-browser clients send neither header; they carry no ambient cookie to abuse.
        return false;
    };
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    origin_host != host
}

/// Headers every answer carries, JSON included: no content sniffing and, when the server is
/// reached over HTTPS (the secure-cookie setting says so), HSTS.
pub async fn common_headers(
    State(served_over_https): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if served_over_https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000"),
        );
    }
    response
}

/// Headers that matter only to a document a browser displays: no framing, no referrer to
/// other sites, no powerful browser features, and a browsing context of its own (so a page
/// opened from elsewhere cannot script it through `window.opener`).
pub async fn page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn cross_site_detection() {
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://a:3000"),
            ("host", "a:3000")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "a:3000")
        ])));
        assert!(!is_cross_site(&headers(&[])));
    }
}
