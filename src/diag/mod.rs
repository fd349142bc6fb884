//! Diagnostics: what is wrong with the content, where, and what would be right.
//!
//! Every problem found in one run is collected (never only the first), sorted by
//! file and position so the output is stable, and rendered with the offending
//! line quoted (codespan-reporting). This module sits at the bottom of the crate:
//! `config`, `content`, `render` and the CLI all report through it, and it
//! imports nothing from them.
//!
//! - `position`: line and column of a byte offset, and back ([`Position`], [`LineStarts`]).
//! - `escape`: content text made safe to print on a terminal.
//! - `suggest`: "did you mean …?" for a misspelt key or value.
//! - `terminal`: diagnostics rendered as rustc does, with the line quoted.

mod escape;
mod position;
mod suggest;
mod terminal;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use escape::escape_controls;
use escape::shown;
pub use position::{LineStarts, Position};
pub use suggest::suggestion;
pub use terminal::render;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub position: Option<Position>,
    pub message: String,
    /// What would be right, when we can say it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, position: Option<Position>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<String>, position: Option<Position>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, position, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, Option<Position>, Severity, &str) {
        (&self.file, self.position, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error: message`, the form editors and CI parse.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escape_controls(&self.file))?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: {}", shown(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " ({})", shown(help))?;
        }
        Ok(())
    }
}

/// The texts of the files diagnostics point into, so they can be quoted.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, Arc<str>>,
}

impl SourceMap {
    pub fn insert(&mut self, file: impl Into<String>, text: Arc<str>) {
        self.files.insert(file.into(), text);
    }

    pub fn get(&self, file: &str) -> Option<&Arc<str>> {
        self.files.get(file)
    }

    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }
}

/// Sorts diagnostics into a stable order and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Shows a path relative to the site root with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
