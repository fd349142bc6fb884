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
