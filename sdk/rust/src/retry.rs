//! Retries of answers that say "try again later" (429 Too Many Requests, 503 Service
//! Unavailable): after the server's `Retry-After`, else after an exponential backoff, a
//! bounded number of times — and only for requests that are safe to send twice.

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Request, StatusCode};

/// The header that makes a POST safe to repeat: the server answers the original result.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// A Standard Webhooks delivery's id: a repeated one is answered, not run again.
pub(crate) const WEBHOOK_ID: &str = "webhook-id";

/// How often and how long to retry a 429 or 503.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means never retry.
    pub max_attempts: u32,
    /// The first backoff when the server sends no `Retry-After`; it doubles each attempt.
    pub base_delay: Duration,
    /// The longest wait. A `Retry-After` beyond it is not waited for: the refusal is
    /// returned (with its `retry_after`) for the caller to decide.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Every answer is returned as it is.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to give up.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => {
                let exponent = attempt.saturating_sub(1).min(16);
                let backoff = self.base_delay.saturating_mul(1 << exponent);
                // Up to a quarter more, so clients refused together do not return together.
                let jitter = rand::thread_rng().gen_range(0.0..0.25);
                Some(backoff.mul_f64(1.0 + jitter).min(self.max_delay))
            }
        }
    }
}

/// Whether the answer asks to come back later.
pub(crate) fn is_retryable(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    )
}

/// Whether sending the request twice does no more than sending it once: an idempotent
/// method, or a POST the server deduplicates by its key.
pub(crate) fn may_repeat(request: &Request) -> bool {
    let method = request.method();
    *method == Method::GET
        || *method == Method::HEAD
        || *method == Method::PUT
        || *method == Method::DELETE
        || request.headers().contains_key(IDEMPOTENCY_KEY)
        || request.headers().contains_key(WEBHOOK_ID)
}

/// `Retry-After` as a duration: delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn delays_are_bounded() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(policy.delay(1, Some(Duration::from_secs(31))), None);
        assert_eq!(policy.delay(4, None), None);
        let first = policy.delay(1, None).unwrap();
        assert!(first >= Duration::from_millis(250) && first < Duration::from_millis(320));
        let third = policy.delay(3, None).unwrap();
        assert!(third >= Duration::from_secs(1));
        assert_eq!(RetryPolicy::never().delay(1, None), None);
    }
}
