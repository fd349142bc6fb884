//! Which `Host` the server answers, and the address readers use.
//!
//! A page on another site can make a browser send requests to `localhost` under a
//! name its owner controls (DNS rebinding) and read the answers as its own. Such a
//! request carries that name in `Host`, so the server answers only its own names:
//! `localhost` (and `*.localhost`), IP addresses (a rebinding attack needs a name),
//! and names given with `--allow-host` or in an absolute `--base-url`.

use std::net::{IpAddr, SocketAddr};

use crate::messages::Lang;

pub struct HostPolicy {
    /// Lowercased names allowed besides localhost and IP addresses.
    allowed: Vec<String>,
    /// The language a refusal is written in.
    pub lang: Lang,
}

impl HostPolicy {
    pub fn new(allowed: impl IntoIterator<Item = String>, lang: Lang) -> HostPolicy {
        HostPolicy {
            allowed: allowed.into_iter().map(|h| h.to_ascii_lowercase()).collect(),
            lang,
        }
    }

    /// Whether a request with this `Host` header is answered.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        name == "localhost"
            || name.ends_with(".localhost")
            || name.parse::<IpAddr>().is_ok()
            || self.allowed.iter().any(|a| a == name)
    }
}

/// The host part of a `Host` header (`name`, `name:port`, `[v6]:port`), or
/// `None` when it is malformed.
fn host_name(host: &str) -> Option<&str> {
    if let Some(rest) = host.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        return (after.is_empty() || port(after.strip_prefix(':')?)).then_some(v6);
    }
    let (name, port_text) = host.split_once(':').unwrap_or((host, ""));
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    (name_ok && (port_text.is_empty() || port(port_text))).then_some(name)
}

fn port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The `host:port` a reader can reach the server at. For a wildcard address
/// (`0.0.0.0`, `::`), the address of the interface this machine's traffic
/// leaves by (found without sending anything), else loopback.
pub fn reachable_authority(bound: SocketAddr) -> String {
    let ip = bound.ip();
    let ip = if ip.is_unspecified() {
        outward_address(ip.is_ipv6()).unwrap_or(if ip.is_ipv6() {
            IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        } else {
            IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        })
    } else {
        ip
    };
    SocketAddr::new(ip, bound.port()).to_string()
}

/// The local address a UDP socket gets when "connected" to a documentation
/// address: connecting a UDP socket only picks a route, no packet is sent.
fn outward_address(v6: bool) -> Option<IpAddr> {
    let (local, remote) = if v6 {
        ("[::]:0", "[2001:db8::1]:9")
    } else {
        ("0.0.0.0:0", "192.0.2.1:9")
    };
    let socket = std::net::UdpSocket::bind(local).ok()?;
    socket.connect(remote).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_its_own_names_only() {
        let policy = HostPolicy::new(["OKR.intra.example".to_string()], Lang::En);
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:1111",
            "app.localhost:80",
            "127.0.0.1:1111",
            "192.168.1.20:1111",
            "[::1]:1111",
            "[::1]",
            "okr.intra.example:8080",
        ] {
            assert!(policy.allows(ok), "{ok}");
        }
        for refused in [
            "attacker.example:1111",
            "localhost.attacker.example",
            "127.0.0.1.nip.io:1111",
            "",
            "[::1",
            "localhost:abc",
            "local host",
            "intra.example",
        ] {
            assert!(!policy.allows(refused), "{refused}");
        }
    }

    #[test]
    fn a_wildcard_address_is_published_as_a_reachable_one() {
        let bound: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        let published: SocketAddr = reachable_authority(bound).parse().unwrap();
        assert!(!published.ip().is_unspecified());
        assert_eq!(published.port(), 1111);
        let bound: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(reachable_authority(bound), "127.0.0.1:8080");
    }
}
