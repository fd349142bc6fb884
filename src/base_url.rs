//! The site's base URL (`base_url` in okrsite.toml, `--base-url`): parsed once,
//! here, into a [`BaseUrl`] that every other part of okrsite takes as it is.
//!
//! Accepted: `/`, a path `/seg/seg/` of safe characters, or an absolute
//! `http(s)://host[:port]/path/` (any case of scheme; stored in lower case). A
//! missing trailing `/` is added. Everything else is refused: `//host` (a URL
//! relative to the scheme), a query or fragment, a missing host, and path
//! characters that need escaping in a URL or would break the router of `serve`
//! (`:`, `*`, `{`, `}`, `%`, spaces, non-ASCII …).

use std::fmt;

/// A valid base URL, always ending with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
    /// Where the path (starting with `/`) begins in `url`.
    path_start: usize,
}

/// Why a base URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseUrlError {
    Empty,
    /// `//host/…`: browsers read it as another host, with the page's scheme.
    SchemeRelative,
    /// Neither `/…` nor `http(s)://…`.
    NotPathOrHttp,
    QueryOrFragment,
    MissingHost,
    BadHost,
    BadPort,
    /// A character in the path that needs escaping or is special to the router.
    BadPathCharacter(char),
    /// An empty, `.` or `..` segment.
    BadSegment,
}

impl BaseUrlError {
    /// What is wrong with the URL, in the catalogue's words (a predicate: "is empty").
    pub fn message(&self) -> crate::messages::Message {
        use crate::msg;
        match self {
            BaseUrlError::Empty => msg!("base_url.empty"),
            BaseUrlError::SchemeRelative => msg!("base_url.scheme_relative"),
            BaseUrlError::NotPathOrHttp => msg!("base_url.not_path_or_http"),
            BaseUrlError::QueryOrFragment => msg!("base_url.query_or_fragment"),
            BaseUrlError::MissingHost => msg!("base_url.missing_host"),
            BaseUrlError::BadHost => msg!("base_url.bad_host"),
            BaseUrlError::BadPort => msg!("base_url.bad_port"),
            BaseUrlError::BadPathCharacter(c) => {
                msg!("base_url.bad_path_character", character = c.escape_debug().to_string())
            }
            BaseUrlError::BadSegment => msg!("base_url.bad_segment"),
        }
    }
}

/// What to write instead, shown with every refusal.
pub fn expected() -> crate::messages::Message {
    crate::msg!("base_url.expected")
}

impl fmt::Display for BaseUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for BaseUrlError {}

impl BaseUrl {
    /// `/`, the default.
    pub fn root() -> BaseUrl {
        BaseUrl {
            url: "/".into(),
            path_start: 0,
        }
    }

    pub fn parse(text: &str) -> Result<BaseUrl, BaseUrlError> {
        if text.is_empty() {
            return Err(BaseUrlError::Empty);
        }
        if text.contains(['?', '#']) {
            return Err(BaseUrlError::QueryOrFragment);
        }
        if text.starts_with("//") {
            return Err(BaseUrlError::SchemeRelative);
        }
        if text.starts_with('/') {
            let path = normalise_path(text)?;
            return Ok(BaseUrl {
                url: path,
                path_start: 0,
            });
        }
        let (scheme, rest) = text.split_once("://").ok_or(BaseUrlError::NotPathOrHttp)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(BaseUrlError::NotPathOrHttp);
        }
        let (authority, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
        check_authority(authority)?;
        let path = normalise_path(path)?;
        let origin = format!("{scheme}://{authority}");
        Ok(BaseUrl {
            path_start: origin.len(),
            url: origin + &path,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The path part, with `/` at both ends (`/` for the root).
    pub fn path(&self) -> &str {
        &self.url[self.path_start..]
    }

    pub fn is_absolute(&self) -> bool {
        self.path_start > 0
    }

    /// The same path under another origin, e.g. `http://127.0.0.1:1111` for `serve`.
    pub fn with_origin(&self, scheme: &str, authority: &str) -> Result<BaseUrl, BaseUrlError> {
        BaseUrl::parse(&format!("{scheme}://{authority}{}", self.path()))
    }
}

/// Checks each segment of a path starting with `/`, and adds the trailing `/`.
fn normalise_path(path: &str) -> Result<String, BaseUrlError> {
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Ok("/".into());
    }
    for segment in inner.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(BaseUrlError::BadSegment);
        }
        if let Some(c) = segment.chars().find(|c| !is_safe_path_char(*c)) {
            return Err(BaseUrlError::BadPathCharacter(c));
        }
    }
    Ok(format!("/{inner}/"))
}

/// RFC 3986 "unreserved" characters: never escaped, never special to a router.
fn is_safe_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// `host[:port]`: a DNS name or IPv4 address, or `[IPv6]`.
fn check_authority(authority: &str) -> Result<(), BaseUrlError> {
    if authority.is_empty() {
        return Err(BaseUrlError::MissingHost);
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']').ok_or(BaseUrlError::BadHost)?;
        if v6.is_empty() || !v6.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return Err(BaseUrlError::BadHost);
        }
        match after {
            "" => (v6, None),
            _ => (v6, Some(after.strip_prefix(':').ok_or(BaseUrlError::BadHost)?)),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(BaseUrlError::MissingHost);
    }
    let name_ok = authority.starts_with('[')
        || (host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        }));
    if !name_ok {
        return Err(BaseUrlError::BadHost);
    }
    if let Some(port) = port
        && !(port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0))
    {
        return Err(BaseUrlError::BadPort);
    }
    Ok(())
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl::root()
    }
}

impl std::ops::Deref for BaseUrl {
    type Target = str;
    fn deref(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl serde::Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.url)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = BaseUrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BaseUrl::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms_are_normalised() {
        let ok = |s: &str| BaseUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(ok("/").as_str(), "/");
        assert_eq!(ok("/okr").as_str(), "/okr/");
        assert_eq!(ok("/a/b.c_d~e-f/").path(), "/a/b.c_d~e-f/");
        assert_eq!(ok("https://intra.example.com").as_str(), "https://intra.example.com/");
        assert_eq!(
            ok("HTTPS://Intra.example.com/okr").as_str(),
            "https://Intra.example.com/okr/"
        );
        assert_eq!(ok("HtTp://127.0.0.1:8080/a/").path(), "/a/");
        assert_eq!(ok("http://[::1]:1111/okr/").as_str(), "http://[::1]:1111/okr/");
        assert!(ok("http://h/x/").is_absolute());
        assert!(!ok("/x/").is_absolute());
        assert_eq!(
            ok("/okr/").with_origin("http", "127.0.0.1:5").unwrap().as_str(),
            "http://127.0.0.1:5/okr/"
        );
    }

    #[test]
    fn refused_forms_say_why() {
        use BaseUrlError::*;
        let cases = [
            ("", Empty),
            ("//evil.example/", SchemeRelative),
            ("//evil.example", SchemeRelative),
            ("http://", MissingHost),
            ("https:///okr/", MissingHost),
            ("http://:80/", MissingHost),
            ("/?x#y", QueryOrFragment),
            ("?x#y", QueryOrFragment),
            ("https://h/okr/#top", QueryOrFragment),
            ("/:okr/", BadPathCharacter(':')),
            ("/*okr/", BadPathCharacter('*')),
            ("/{okr}/", BadPathCharacter('{')),
            ("/o%6Br/", BadPathCharacter('%')),
            ("/o k/", BadPathCharacter(' ')),
            ("/目標/", BadPathCharacter('目')),
            ("/a\u{1b}/", BadPathCharacter('\u{1b}')),
            ("/a//b/", BadSegment),
            ("/a/../b/", BadSegment),
            ("okr", NotPathOrHttp),
            ("javascript:x", NotPathOrHttp),
            ("ftp://h/", NotPathOrHttp),
            (" /okr/", NotPathOrHttp),
            ("http://user@h/", BadHost),
            ("http://h_x/", BadHost),
            ("http://-h/", BadHost),
            ("http://[zz]/", BadHost),
            ("http://h:0/", BadPort),
            ("http://h:99999/", BadPort),
            ("http://h:8a/", BadPort),
            ("http://h:/", BadPort),
        ];
        for (text, why) in cases {
            assert_eq!(BaseUrl::parse(text), Err(why.clone()), "{text:?}");
            assert!(!why.to_string().is_empty());
        }
    }

    proptest::proptest! {
        /// Never a panic; what is accepted is stable and safe to put in a route.
        #[test]
        fn any_text_is_parsed_or_refused(text in "(?s)(HTTPS?://|https?://|/|//)?.{0,40}") {
            if let Ok(url) = BaseUrl::parse(&text) {
                proptest::prop_assert!(url.as_str().ends_with('/') && url.path().starts_with('/'));
                let special = [':', '*', '{', '}', '%', ' ', '?', '#'];
                proptest::prop_assert!(!url.path().contains(special), "{}", url.path());
                proptest::prop_assert!(!url.as_str().contains(['?', '#']));
                proptest::prop_assert_eq!(BaseUrl::parse(url.as_str()), Ok(url.clone()));
            }
        }
    }
}
