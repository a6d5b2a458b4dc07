//! The outbound guard: every request Tessera makes on a workspace's behalf (Test connection
//! now; agents' `http_request` and `llm` steps later) goes through [`EgressClient`], which
//! refuses private, loopback, link-local and other non-public addresses — checked after DNS
//! resolution, on every redirect, and for addresses written in the URL — unless
//! `TESSERA_EGRESS_ALLOW` lists them (tests and private networks). Time and size are bounded.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Longest an outbound request may take, connection to last byte.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Largest answer read from an outside service.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

/// Which non-public networks may be reached anyway.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EgressAllow(Vec<IpNet>);

impl std::str::FromStr for EgressAllow {
    type Err = String;

    /// Comma-separated addresses or networks: `127.0.0.1, 10.0.0.0/8`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{item:?} is not an address or network"))
            })
            .collect::<Result<_, _>>()
            .map(EgressAllow)
    }
}

impl EgressAllow {
    pub fn permits(&self, ip: IpAddr) -> bool {
        is_public(ip) || self.0.iter().any(|net| net.contains(&ip))
    }
}

/// Whether `ip` is on the public internet: not loopback, private, link-local (cloud metadata
/// lives at 169.254.169.254), shared (CGNAT), unspecified, multicast, broadcast,
/// documentation or unique-local. IPv4-mapped IPv6 addresses are judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
                || first == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
                || first == 0x0064 && v6.segments()[1] == 0xff9b) // NAT64
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EgressError {
    #[error("{host} is not a public address; Tessera does not call private networks")]
    Refused { host: String },
    #[error("the request failed: {0}")]
    Failed(String),
    #[error("the answer is larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
}

/// Resolves names, keeping only the addresses the guard allows.
struct GuardedResolver {
    allow: Arc<EgressAllow>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| allow.permits(addr.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(EgressError::Refused { host }) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// An HTTP client that only reaches what the guard allows.
#[derive(Clone)]
pub struct EgressClient {
    client: reqwest::Client,
    allow: Arc<EgressAllow>,
}

impl std::fmt::Debug for EgressClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EgressClient")
            .field("allow", &self.allow)
            .finish()
    }
}

/// An answer from outside, read up to [`MAX_RESPONSE_BYTES`].
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl EgressClient {
    pub fn new(allow: EgressAllow) -> EgressClient {
        let allow = Arc::new(allow);
        let redirect_allow = allow.clone();
        let client = reqwest::Client::builder()
            .dns_resolver(GuardedResolver {
                allow: allow.clone(),
            })
            // A redirect to an address written as an address skips DNS: judge it here.
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    return attempt.stop();
                }
                match literal_host(attempt.url()) {
                    Some(ip) if !redirect_allow.permits(ip) => {
                        let host = ip.to_string();
                        attempt.error(EgressError::Refused { host })
                    }
                    _ => attempt.follow(),
                }
            }))
            .no_proxy()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .user_agent("Tessera")
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        EgressClient { client, allow }
    }

    /// Sends `request` if its address is allowed, and reads the answer within the limits.
    pub async fn send(&self, request: reqwest::Request) -> Result<Answer, EgressError> {
        let mut response = self.open(request).await?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(piece) = Self::next_piece(&mut response).await? {
            if body.len() + piece.len() > MAX_RESPONSE_BYTES {
                return Err(EgressError::TooLarge);
            }
            body.extend_from_slice(&piece);
        }
        Ok(Answer { status, body })
    }

    /// Sends `request` if its address is allowed and answers as soon as the headers are in,
    /// for a caller that reads the body as it streams ([`EgressClient::next_piece`]).
    pub async fn open(&self, request: reqwest::Request) -> Result<reqwest::Response, EgressError> {
        if let Some(ip) = literal_host(request.url()) {
            if !self.allow.permits(ip) {
                return Err(EgressError::Refused {
                    host: ip.to_string(),
                });
            }
        }
        self.client.execute(request).await.map_err(describe)
    }

    /// The next piece of an opened answer's body, or `None` at its end.
    pub async fn next_piece(
        response: &mut reqwest::Response,
    ) -> Result<Option<bytes::Bytes>, EgressError> {
        response.chunk().await.map_err(describe)
    }

    /// A request builder on this client (the caller adds headers and secrets).
    pub fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }
}

/// The address a URL names directly, if its host is one.
fn literal_host(url: &reqwest::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// The guard's refusal if it caused the failure, else the failure without its URL (which
/// could carry a secret in a query).
fn describe(error: reqwest::Error) -> EgressError {
    let mut source: Option<&dyn std::error::Error> = Some(&error);
    while let Some(cause) = source {
        if let Some(EgressError::Refused { host }) = cause.downcast_ref::<EgressError>() {
            return EgressError::Refused { host: host.clone() };
        }
        source = cause.source();
    }
    let kind = if error.is_timeout() {
        "it took too long"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_redirect() {
        "too many redirects"
    } else {
        "the connection failed"
    };
    EgressError::Failed(kind.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_metadata_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(private.parse().expect("address")), "{private}");
        }
        for public in ["93.184.216.34", "1.1.1.1", "2606:4700::1111"] {
            assert!(is_public(public.parse().expect("address")), "{public}");
        }
    }

    #[test]
    fn the_allow_list_opens_only_what_it_names() {
        let allow: EgressAllow = "127.0.0.1, 10.0.0.0/8".parse().expect("valid");
        assert!(allow.permits("127.0.0.1".parse().expect("ip")));
        assert!(allow.permits("10.9.9.9".parse().expect("ip")));
        assert!(!allow.permits("127.0.0.2".parse().expect("ip")));
        assert!(!allow.permits("169.254.169.254".parse().expect("ip")));
        assert!("nonsense".parse::<EgressAllow>().is_err());
        assert_eq!("".parse::<EgressAllow>(), Ok(EgressAllow::default()));
    }
}
