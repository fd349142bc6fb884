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

pub use crate::messages::{Lang, Message};

pub use escape::escape_controls;
use escape::shown;
pub use position::{LineStarts, Position};
pub use suggest::{as_share, bare_number, closest, fold, suggestion};
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
    /// What is wrong, put into words when shown (in the command line's language).
    pub message: Message,
    /// What would be right, when we can say it.
    pub help: Option<Message>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, position: Option<Position>, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<String>, position: Option<Position>, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, position, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<Message>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form (`file:line:column: error: message (help)`) in `lang`.
    pub fn line(&self, lang: Lang) -> String {
        let mut out = escape_controls(&self.file).into_owned();
        if let Some(p) = self.position {
            out.push_str(&format!(":{}:{}", p.line, p.column));
        }
        let kind = match self.severity {
            Severity::Error => crate::msg!("diag.error"),
            Severity::Warning => crate::msg!("diag.warning"),
        };
        out.push_str(&format!(
            ": {}: {}",
            kind.render(lang),
            shown(&self.message.render(lang))
        ));
        if let Some(help) = &self.help {
            out.push_str(&format!(" ({})", shown(&help.render(lang))));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error: message`, the form editors and CI parse.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(Lang::En))
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

    /// Keeps only the files that `diagnostics` point into: the only ones ever quoted.
    pub fn retain_quoted(&mut self, diagnostics: &[Diagnostic]) {
        let quoted: std::collections::HashSet<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
        self.files.retain(|file, _| quoted.contains(file.as_str()));
    }

    /// Every file and its text, in file name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Arc<str>)> {
        self.files.iter().map(|(file, text)| (file.as_str(), text))
    }
}

/// Sorts diagnostics into a stable order and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by_cached_key(|d| (d.file.clone(), d.position, d.severity, d.message.to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_with_a_diagnostic_are_kept() {
        let mut sources = SourceMap::default();
        for file in ["content/a.yaml", "content/b.md", "okrsite.toml"] {
            sources.insert(file, Arc::from(format!("text of {file}")));
        }
        let diagnostics = [Diagnostic::error("content/b.md", None, crate::msg!("load.no_content"))];
        sources.retain_quoted(&diagnostics);
        let kept: Vec<&str> = sources.iter().map(|(file, _)| file).collect();
        assert_eq!(kept, ["content/b.md"]);
        assert_eq!(sources.get("content/b.md").map(|t| &**t), Some("text of content/b.md"));
    }
}
