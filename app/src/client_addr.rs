//! Who is on the other end of a request. Rate limits and the audit log key on the client's
//! address; behind a load balancer every connection comes from the balancer, so the real
//! address is in `X-Forwarded-For`. That header is believed only when the connection comes
//! from a proxy the operator named (`TESSERA_TRUSTED_PROXIES`): anyone else could write any
//! address there and step around every per-address limit.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use ipnet::IpNet;

/// The client address of the current request, put in the request's extensions by the
/// server's middleware before any handler runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The proxies whose `X-Forwarded-For` is believed. Empty by default: the header is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list of addresses (`10.0.0.7`) and networks (`10.0.0.0/8`, `fd00::/8`).
    fn from_str(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{entry}` is neither an IP address nor a network"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// The client behind a connection from `peer` that carried these `X-Forwarded-For`
    /// header values (in the order received). Each trusted proxy appends the address it saw,
    /// so the list is read from the right: the first hop that is not a trusted proxy is the
    /// client. Anything left of it was written by the client and proves nothing.
    pub fn client_addr<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // Garbage (or an obfuscated `unknown`) ends the chain at the last hop we believe.
            let Some(addr) = parse_hop(hop) else {
                return client;
            };
            client = addr;
            if !self.trusts(addr) {
                return client;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, or an address with a port as some proxies write.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|socket| socket.ip()))
        .ok()
        .map(|addr| addr.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(list: &str) -> TrustedProxies {
        list.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert!(none.is_empty());
        assert_eq!(
            none.client_addr(ip("198.51.100.7"), ["203.0.113.9"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_connection_from_an_untrusted_peer_is_its_own_client() {
        let trusted = proxies("10.0.0.0/8");
        assert_eq!(
            trusted.client_addr(ip("198.51.100.7"), ["203.0.113.9"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let trusted = proxies("10.0.0.0/8, 192.0.2.1");
        // The client claimed 1.1.1.1; the edge proxy saw 203.0.113.9; an inner proxy 192.0.2.1.
        let forwarded = ["1.1.1.1, 203.0.113.9", "192.0.2.1"];
        assert_eq!(
            trusted.client_addr(ip("10.1.2.3"), forwarded),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_chain_of_only_trusted_hops_ends_at_the_leftmost() {
        let trusted = proxies("10.0.0.0/8");
        assert_eq!(
            trusted.client_addr(ip("10.0.0.1"), ["10.0.0.9, 10.0.0.5"]),
            ip("10.0.0.9")
        );
        assert_eq!(trusted.client_addr(ip("10.0.0.1"), []), ip("10.0.0.1"));
    }

    #[test]
    fn garbage_ends_the_chain_at_the_last_believed_hop() {
        let trusted = proxies("10.0.0.0/8");
        assert_eq!(
            trusted.client_addr(ip("10.0.0.1"), ["unknown"]),
            ip("10.0.0.1")
        );
        assert_eq!(
            trusted.client_addr(ip("10.0.0.1"), ["203.0.113.9, not-an-ip, 10.0.0.4"]),
            ip("10.0.0.4")
        );
    }

    #[test]
    fn ports_and_ipv4_mapped_ipv6_are_understood() {
        let trusted = proxies("127.0.0.1, ::1");
        assert_eq!(
            trusted.client_addr(ip("::ffff:127.0.0.1"), ["203.0.113.9:4711"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            trusted.client_addr(ip("::1"), ["[2001:db8::1]:443"]),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn the_list_is_parsed_strictly() {
        assert_eq!(proxies(""), TrustedProxies::default());
        assert_eq!(proxies(" 10.0.0.1 ,"), proxies("10.0.0.1/32"));
        let error = "10.0.0.0/8, proxy.internal"
            .parse::<TrustedProxies>()
            .unwrap_err();
        assert!(error.contains("proxy.internal"), "{error}");
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
    }
}
