//! How the browser app travels: which answers a browser may keep and for how long, and which
//! are compressed on the way out.
//!
//! A release build (`cargo leptos build --release --precompress`, see `scripts/lib.sh`) names
//! the bundle's files after their content (`tessera.<hash>.wasm`) and writes gzip and brotli
//! copies beside them; Leptos's static-file handler picks the copy the client accepts. So a
//! bundle file never changes under its name and is cached for a year, while pages are
//! revalidated on every visit and always name the current bundle.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// The file cargo-leptos writes next to the server binary when it hashes file names; Leptos
/// reads it to name the hashed bundle in every page.
pub const HASH_FILE_NAME: &str = "hash.txt";

/// Where the bundle's files are served from.
const BUNDLE_PATH_PREFIX: &str = "/pkg/";

/// Answers smaller than this go out as they are: compressing them saves less than it costs.
const MIN_COMPRESSED_BYTES: u16 = 1024;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Whether the bundle next to this binary was built with hashed file names.
pub fn bundle_is_hashed() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .is_some_and(|dir| dir.join(HASH_FILE_NAME).is_file())
}

/// The `Cache-Control` a GET answer of the browser app gets, if it has none of its own.
///
/// Only a hashed bundle file may be kept without asking: its name changes with its content.
/// Everything else (pages, unhashed files such as the favicon or a debug build's bundle) is
/// revalidated, which costs a `304` when nothing changed.
pub fn cache_control(path: &str, is_html: bool, bundle_is_hashed: bool) -> &'static str {
    if !is_html && bundle_is_hashed && path.starts_with(BUNDLE_PATH_PREFIX) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Sets the cache policy on the browser app's GET answers (server functions set their own).
pub async fn cache_policy(
    State(bundle_is_hashed): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let cacheable = request.method() == Method::GET && !request.uri().path().starts_with("/rpc/");
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if cacheable && response.status().is_success() {
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(cache_control(
                &path,
                is_html,
                bundle_is_hashed,
            )));
    }
    response
}

/// Compresses pages and JSON worth compressing for clients that accept gzip or brotli.
///
/// Answers that already carry a `Content-Encoding` (the precompressed bundle) pass through;
/// event streams, gRPC and images are left alone by `DefaultPredicate`, so a streamed answer
/// is never held back to be compressed.
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().br(true).gzip(true).compress_when(
        DefaultPredicate::new()
            .and(SizeAbove::new(MIN_COMPRESSED_BYTES))
            // Downloads are sent as stored: their exact bytes and length.
            .and(|_, _, headers: &HeaderMap, _: &Extensions| {
                !headers.contains_key(header::CONTENT_DISPOSITION)
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_bundle_files_are_immutable() {
        assert_eq!(
            cache_control("/pkg/tessera.Ab3.wasm", false, true),
            IMMUTABLE
        );
        assert_eq!(cache_control("/pkg/tessera.wasm", false, false), REVALIDATE);
        assert_eq!(cache_control("/favicon.svg", false, true), REVALIDATE);
        assert_eq!(cache_control("/settings/tokens", true, true), REVALIDATE);
        // A page that happens to live under /pkg/ (the 404 page) is still a page.
        assert_eq!(cache_control("/pkg/missing.js", true, true), REVALIDATE);
    }
}
