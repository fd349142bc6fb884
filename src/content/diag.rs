//! Diagnostics: what is wrong with the content, where, and what would be right.
//!
//! Every problem found in one run is collected (never only the first), sorted by
//! file and position so the output is stable, and rendered with the offending
//! line quoted (codespan-reporting).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column. Columns count characters, not bytes, so they
/// match what an editor shows for Japanese text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }

    /// The position of a byte offset in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }

    /// The byte offset of this position in `text` (clamped to the text).
    pub fn to_offset(self, text: &str) -> usize {
        let mut offset = 0;
        for _ in 1..self.line {
            match text[offset..].find('\n') {
                Some(i) => offset += i + 1,
                None => return text.len(),
            }
        }
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let mut chars = text[offset..line_end].char_indices();
        for _ in 1..self.column {
            if chars.next().is_none() {
                return line_end;
            }
        }
        chars.next().map_or(line_end, |(i, _)| offset + i)
    }
}

/// Where each line of a text starts, found once per file: finding a position by
/// counting lines from the top for every diagnostic was quadratic.
#[derive(Debug, Clone)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn new(text: &str) -> Self {
        LineStarts(
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                .collect(),
        )
    }

    /// The position of a byte offset, as [`Position::of_offset`] gives it.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.0.partition_point(|&start| start <= offset);
        let line_start = self.0[line - 1];
        Position {
            line,
            column: text[line_start..offset].chars().count() + 1,
        }
    }

    /// The byte offset of a position, as [`Position::to_offset`] gives it.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&line_start) = self.0.get(pos.line.max(1) - 1) else {
            return text.len();
        };
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..]).map_or(text.len(), |i| line_start + i);
        let mut chars = text[line_start..line_end].char_indices();
        for _ in 1..pos.column {
            if chars.next().is_none() {
                return line_end;
            }
        }
        chars.next().map_or(line_end, |(i, _)| line_start + i)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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
        write!(f, "{}", self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
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

/// Renders diagnostics the way rustc does: a header, the file and position,
/// the quoted line with a marker, and the help.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&d.message);
        let source = sources.get(&d.file);
        match (d.position, source) {
            (Some(pos), Some(text)) => {
                let (id, lines) = ids
                    .entry(d.file.clone())
                    .or_insert_with(|| (files.add(d.file.clone(), text.clone()), LineStarts::new(text)));
                let id = *id;
                let start = lines.offset(text, pos);
                let end = token_end(text, start);
                cs = cs.with_labels(vec![Label::primary(id, start..end)]);
            }
            _ => {
                let mut at = format!("--> {}", d.file);
                if let Some(p) = d.position {
                    at.push_str(&format!(":{}:{}", p.line, p.column));
                }
                cs = cs.with_notes(vec![at]);
            }
        }
        if let Some(help) = &d.help {
            cs = cs.with_notes(vec![format!("help: {help}")]);
        }
        let rendered = if color {
            let mut buf = Vec::new();
            {
                let mut writer = term::termcolor::Ansi::new(&mut buf);
                let styles = term::Styles::default();
                let mut styled = term::StylesWriter::new(&mut writer, &styles);
                let _ = term::emit_to_write_style(&mut styled, &config, &files, &cs);
            }
            String::from_utf8_lossy(&buf).into_owned()
        } else {
            term::emit_into_string(&config, &files, &cs).unwrap_or_else(|_| format!("{d}\n"))
        };
        out.push_str(rendered.trim_end());
        out.push_str("\n\n");
    }
    out
}

/// The end of the token starting at `start`: up to the next white space,
/// `:`, `,` or bracket on the same line, so the marker underlines a key or a value.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut end = start;
    for (i, c) in rest.char_indices() {
        if c == '\n' || c == '\r' || (i > 0 && (c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}'))) {
            break;
        }
        end = start + i + c.len_utf8();
    }
    end.max(start)
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
    fn positions_round_trip_through_offsets_in_japanese_text() {
        let text = "a: 1\nタイトル: 目標\n";
        let offset = text.find("目標").unwrap();
        let pos = Position::of_offset(text, offset);
        assert_eq!(pos, Position::new(2, 7));
        assert_eq!(pos.to_offset(text), offset);
    }

    #[test]
    fn line_starts_agree_with_counting_from_the_top() {
        let texts = [
            "",
            "a",
            "a\n",
            "\n\n",
            "x: 1\nタイトル: 目標\n",
            "one\r\ntwo\nthree",
            "\u{1F600}\nb",
        ];
        for text in texts {
            let lines = LineStarts::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    lines.position(text, offset),
                    Position::of_offset(text, offset),
                    "{text:?} {offset}"
                );
            }
            for line in 0..6 {
                for column in 0..8 {
                    let pos = Position::new(line, column);
                    assert_eq!(lines.offset(text, pos), pos.to_offset(text), "{text:?} {pos:?}");
                }
            }
        }
    }

    #[test]
    fn rendering_quotes_the_line() {
        let mut sources = SourceMap::default();
        sources.insert("content/a.yaml", Arc::from("x: 1\ntargte: 3\n"));
        let d = Diagnostic::error("content/a.yaml", Some(Position::new(2, 1)), "unknown key `targte`")
            .with_help("did you mean `target`?");
        let out = render(&[d], &sources, false);
        assert!(out.contains("content/a.yaml:2:1"), "{out}");
        assert!(out.contains("targte: 3"), "{out}");
        assert!(out.contains("did you mean `target`?"), "{out}");
    }
}
