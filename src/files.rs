//! The files a build makes, between the stage that renders them and the stage
//! that writes them: each file (a path and its bytes), and the [`Sink`] rendering
//! hands them to. Below both, so neither imports the other.

use crate::messages::Message;
use crate::msg;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators, e.g. `api/okrs.json`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Why a sink did not take a file.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The build was abandoned ([`Sink::cancelled`]).
    Cancelled,
    /// The file could not be written: why, in the catalogue's words.
    Write(Message),
}

impl SinkError {
    pub fn message(&self) -> Message {
        match self {
            SinkError::Cancelled => msg!("build.cancelled"),
            SinkError::Write(why) => why.clone(),
        }
    }
}

impl std::fmt::Display for SinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

/// Where rendered files go. Called from many threads, in no particular order.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), SinkError>;
    /// Told how many HTML pages will follow, before the first (for a progress bar).
    fn planned(&self, _pages: usize) {}
    /// Whether the build was abandoned: rendering stops at the next stage.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A sink that keeps every file, for tests and tools.
#[derive(Default)]
pub struct Collect(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), SinkError> {
        self.0
            .lock()
            .map_err(|e| SinkError::Write(Message::verbatim(e.to_string())))?
            .push(file);
        Ok(())
    }
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// Hex digits of a content hash in a fingerprinted name: 64 bits, so two different
/// contents under one name are as good as impossible.
pub const FINGERPRINT_HEX: usize = 16;

/// The first `hex` hex digits of the content's SHA-256: the part of a name that changes
/// whenever the content does, so a cached copy can never stand in for a newer one.
pub fn content_hash(bytes: &[u8], hex: usize) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(hex);
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
        if out.len() >= hex {
            break;
        }
    }
    out.truncate(hex);
    out
}

/// `assets/okrsite.css` → `assets/okrsite.<hash>.css`: the name a generated asset is
/// written under, so hosts can cache it for a year (docs/deploy.md).
pub fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes, FINGERPRINT_HEX);
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    };
    if dir.is_empty() { name } else { format!("{dir}/{name}") }
}

/// `assets/okrsite.<hash>.css` → `assets/okrsite.css`: the name a fingerprinted file
/// had before [`fingerprinted`]; `None` for a name without a fingerprint.
pub fn unfingerprinted(path: &str) -> Option<String> {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let is_hash = hash.len() == FINGERPRINT_HEX && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !is_hash || stem.is_empty() {
        return None;
    }
    Some(if dir.is_empty() {
        format!("{stem}.{ext}")
    } else {
        format!("{dir}/{stem}.{ext}")
    })
}

/// The Subresource Integrity value of a file (`integrity="sha384-…"`).
pub fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha384::digest(bytes);
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(digest))
}

#[cfg(test)]
mod fingerprint_tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        // SHA-256 of "abc" starts ba7816bf8f01cfea.
        assert_eq!(content_hash(b"abc", 16), "ba7816bf8f01cfea");
        assert_eq!(
            fingerprinted("assets/okrsite.css", b"abc"),
            "assets/okrsite.ba7816bf8f01cfea.css"
        );
        assert_eq!(fingerprinted("search/s/3.js", b"abc"), "search/s/3.ba7816bf8f01cfea.js");
        assert_eq!(fingerprinted("LICENSE", b"abc"), "LICENSE.ba7816bf8f01cfea");
        assert_ne!(fingerprinted("a.css", b"abc"), fingerprinted("a.css", b"abd"));
    }

    #[test]
    fn integrity_is_sha384_base64() {
        // From the SRI specification's tooling: sha384 of "alert('Hello, world.');".
        assert_eq!(
            integrity(b"alert('Hello, world.');"),
            "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
        );
    }
}
