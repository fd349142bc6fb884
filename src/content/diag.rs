//! Diagnostics: what is wrong with the content, where, and what would be right.
//!
//! Every problem found in one run is collected (never only the first), sorted by
//! file and position so the output is stable, and rendered with the offending
//! line quoted (codespan-reporting).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files;
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
/// counting lines from the top for every diagnostic was quadratic. A long line also
/// keeps where every [`CHECKPOINT`]th character of it starts, so a column is found
/// without counting characters from the start of the line (thousands of diagnostics
/// on one 10 MB line were quadratic).
#[derive(Debug, Clone)]
pub struct LineStarts {
    starts: Vec<usize>,
    /// For each line longer than [`CHECKPOINT`] bytes (by line index): the byte
    /// offsets of its characters number 0, CHECKPOINT, 2 × CHECKPOINT, …
    checkpoints: HashMap<usize, Vec<usize>>,
}

/// Characters between two checkpoints of a long line.
const CHECKPOINT: usize = 1024;

impl LineStarts {
    pub fn new(text: &str) -> Self {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut checkpoints = HashMap::new();
        for (line, &start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).map_or(text.len(), |&next| next - 1);
            if end - start > CHECKPOINT {
                let marks = text[start..end]
                    .char_indices()
                    .step_by(CHECKPOINT)
                    .map(|(i, _)| start + i)
                    .collect();
                checkpoints.insert(line, marks);
            }
        }
        LineStarts { starts, checkpoints }
    }

    /// The byte offsets where line `line` (counted from 0) starts and ends (before its `\n`).
    fn bounds(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        (start, self.starts.get(line + 1).map_or(text.len(), |&next| next - 1))
    }

    /// The position of a byte offset, as [`Position::of_offset`] gives it.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let (mut from, mut column) = (self.starts[line - 1], 1);
        if let Some(marks) = self.checkpoints.get(&(line - 1)) {
            let passed = marks.partition_point(|&m| m <= offset);
            from = marks[passed - 1];
            column += (passed - 1) * CHECKPOINT;
        }
        Position {
            line,
            column: column + text[from..offset].chars().count(),
        }
    }

    /// The byte offset of a position, as [`Position::to_offset`] gives it.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line.max(1) - 1;
        if line >= self.starts.len() {
            return text.len();
        }
        let (mut from, line_end) = self.bounds(text, line);
        // Characters to step over from `from`.
        let mut skip = pos.column.max(1) - 1;
        if let Some(marks) = self.checkpoints.get(&line) {
            let mark = (skip / CHECKPOINT).min(marks.len() - 1);
            from = marks[mark];
            skip -= mark * CHECKPOINT;
        }
        text[from..line_end]
            .char_indices()
            .nth(skip)
            .map_or(line_end, |(i, _)| from + i)
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

/// Renders diagnostics the way rustc does: a header, the file and position,
/// the quoted line with a marker, and the help. Content text is shown with its
/// control characters escaped, and a long line is cut around the column.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    // Line starts of each file, found once: thousands of diagnostics in one file
    // would otherwise each count lines from the top.
    let mut line_starts: HashMap<&str, LineStarts> = HashMap::new();
    for d in diagnostics {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(shown(&d.message));
        let file = escape_controls(&d.file).into_owned();
        let excerpt = match (d.position, sources.get(&d.file)) {
            (Some(pos), Some(text)) => {
                let lines = line_starts
                    .entry(d.file.as_str())
                    .or_insert_with(|| LineStarts::new(text));
                let excerpt = Excerpt::new(file, text, pos, lines);
                cs = cs.with_labels(vec![Label::primary((), excerpt.label.clone())]);
                excerpt
            }
            (position, _) => {
                let mut at = format!("--> {file}");
                if let Some(p) = position {
                    at.push_str(&format!(":{}:{}", p.line, p.column));
                }
                cs = cs.with_notes(vec![at]);
                Excerpt::none(file)
            }
        };
        if let Some(help) = &d.help {
            cs = cs.with_notes(vec![format!("help: {}", shown(help))]);
        }
        let rendered = if color {
            let mut buf = Vec::new();
            {
                let mut writer = term::termcolor::Ansi::new(&mut buf);
                let styles = term::Styles::default();
                let mut styled = term::StylesWriter::new(&mut writer, &styles);
                let _ = term::emit_to_write_style(&mut styled, &config, &excerpt, &cs);
            }
            String::from_utf8_lossy(&buf).into_owned()
        } else {
            term::emit_into_string(&config, &excerpt, &cs).unwrap_or_else(|_| format!("{d}\n"))
        };
        out.push_str(rendered.trim_end());
        out.push_str("\n\n");
    }
    out
}

/// Characters of a quoted line shown on each side of the column, at most.
const QUOTE_AROUND: usize = 100;

/// The one quoted line of a diagnostic, as codespan-reporting sees it: cut to
/// about 200 characters around the column (a one-line file of megabytes is not
/// printed whole), control characters escaped, real line and column kept.
struct Excerpt {
    name: String,
    text: String,
    line: usize,
    column: usize,
    /// The marked token, in `text`.
    label: std::ops::Range<usize>,
}

impl Excerpt {
    fn none(name: String) -> Excerpt {
        Excerpt {
            name,
            text: String::new(),
            line: 1,
            column: 1,
            label: 0..0,
        }
    }

    /// The excerpt of `text` at `pos`. Nothing here walks the whole line: a line
    /// can be megabytes long and hold thousands of diagnostics.
    fn new(name: String, text: &str, pos: Position, lines: &LineStarts) -> Excerpt {
        let start = lines.offset(text, pos);
        let (line_start, line_end) = if pos.line > lines.starts.len() {
            let last = lines.starts.len() - 1;
            (lines.starts[last], text.len())
        } else {
            lines.bounds(text, pos.line.max(1) - 1)
        };
        let line_end = line_end - usize::from(text[..line_end].ends_with('\r'));
        let start = start.min(line_end);
        let end = token_end(text, start);
        let from = text[line_start..start]
            .char_indices()
            .rev()
            .take(QUOTE_AROUND)
            .last()
            .map_or(start, |(i, _)| line_start + i);
        let shown_before = text[from..start].chars().count();
        let to = text[start..line_end]
            .char_indices()
            .nth(2 * QUOTE_AROUND - shown_before)
            .map_or(line_end, |(i, _)| start + i);
        let mut quoted = String::new();
        if from > line_start {
            quoted.push('…');
        }
        let mut label = 0..0;
        for (i, c) in text[from..to].char_indices() {
            if from + i == start {
                label.start = quoted.len();
            }
            if from + i == end {
                label.end = quoted.len();
            }
            push_escaped(&mut quoted, c, true);
        }
        if start >= to {
            label.start = quoted.len();
        }
        if end >= to {
            label.end = quoted.len();
        }
        label.end = label.end.max(label.start);
        if to < line_end {
            quoted.push('…');
        }
        // A position past the end of its line is shown at the end of the line.
        let column = if start == line_end {
            pos.column.min(lines.position(text, line_end).column)
        } else {
            pos.column
        };
        Excerpt {
            name,
            text: quoted,
            line: pos.line,
            column,
            label,
        }
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, files::Error> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _line_index: usize, _byte_index: usize) -> Result<usize, files::Error> {
        Ok(self.column)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<std::ops::Range<usize>, files::Error> {
        match line_index {
            0 => Ok(0..self.text.len()),
            given => Err(files::Error::LineTooLarge { given, max: 0 }),
        }
    }
}

/// Characters of a message shown at most: messages quote content values, and a
/// value can be megabytes (a 12 MB string where a map belongs).
const MESSAGE_CHARS: usize = 600;

/// A message or help as printed: control characters escaped, and cut in the
/// middle (keeping its start and end, which say what is wrong) when very long.
fn shown(text: &str) -> String {
    let escaped = escape_controls(text);
    let count = escaped.chars().count();
    if count <= MESSAGE_CHARS {
        return escaped.into_owned();
    }
    let (head, tail) = (MESSAGE_CHARS * 2 / 3, MESSAGE_CHARS / 3);
    let head_end = escaped.char_indices().nth(head).map_or(escaped.len(), |(i, _)| i);
    let tail_start = escaped
        .char_indices()
        .nth(count - tail)
        .map_or(escaped.len(), |(i, _)| i);
    format!(
        "{}…({} characters not shown)…{}",
        &escaped[..head_end],
        count - head - tail,
        &escaped[tail_start..]
    )
}

/// Content text as it may be printed to a terminal: control characters (ESC can
/// recolour or rewrite the terminal) and invisible direction marks are written
/// as `\u{1b}`. Tabs are kept.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c, false);
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// `tab_as_space`: in a quoted line a tab is shown as a space (codespan's columns).
fn push_escaped(out: &mut String, c: char, tab_as_space: bool) {
    if c == '\t' && tab_as_space {
        out.push(' ');
    } else if needs_escape(c) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// The end of the token starting at `start`: up to the next white space,
/// `:`, `,` or bracket on the same line, so the marker underlines a key or a value.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut end = start;
    // Past the quoted part of the line the end is not shown: no need to look further.
    for (i, c) in rest.char_indices().take(2 * QUOTE_AROUND + 1) {
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
    fn line_starts_agree_with_counting_on_long_lines() {
        // Lines longer than a checkpoint, of one-, two-, three- and four-byte characters.
        let long = "aé目\u{1F600}".repeat(700);
        let text = format!("x\n{long}\r\n{long}\n\nb{long}");
        let lines = LineStarts::new(&text);
        for offset in (0..=text.len() + 2).step_by(7) {
            assert_eq!(
                lines.position(&text, offset),
                Position::of_offset(&text, offset),
                "{offset}"
            );
        }
        for line in 0..7 {
            for column in (0..3_000)
                .step_by(13)
                .chain([1023, 1024, 1025, 2048, 2049, 2800, 2801, 2802])
            {
                let pos = Position::new(line, column);
                assert_eq!(lines.offset(&text, pos), pos.to_offset(&text), "{pos:?}");
            }
        }
        // And quoting agrees with the line it quotes.
        let mut sources = SourceMap::default();
        sources.insert("content/a.yaml", Arc::from(text.as_str()));
        let d = Diagnostic::error("content/a.yaml", Some(Position::new(3, 2801)), "at the end");
        let out = render(&[d], &sources, false);
        assert!(out.contains("content/a.yaml:3:2801"), "{out}");
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

    #[test]
    fn control_characters_from_content_are_escaped() {
        let mut sources = SourceMap::default();
        sources.insert("content/\u{1b}]0;x.yaml", Arc::from("id: \"a\u{1b}[31mb\u{202e}c\"\n"));
        let d = Diagnostic::error(
            "content/\u{1b}]0;x.yaml",
            Some(Position::new(1, 5)),
            "unknown id `a\u{1b}[31mb\u{202e}c`\nfake: line",
        )
        .with_help("not `\u{7}`");
        for color in [false, true] {
            let out = render(std::slice::from_ref(&d), &sources, color);
            let without_our_colours = out.replace("\u{1b}[", "");
            assert!(!without_our_colours.contains('\u{1b}'), "{out:?}");
            assert!(!out.contains('\u{202e}') && !out.contains('\u{7}'), "{out:?}");
            assert!(out.contains("a\\u{1b}[31mb\\u{202e}c"), "{out}");
            assert!(out.contains("\\u{a}fake: line"), "{out}");
            assert!(out.contains("content/\\u{1b}]0;x.yaml:1:5"), "{out}");
            assert!(out.contains("not `\\u{7}`"), "{out}");
        }
        let line = d.to_string();
        assert!(!line.contains('\u{1b}') && !line.contains('\n'), "{line:?}");
    }

    #[test]
    fn a_long_line_is_quoted_around_the_column_only() {
        let long = format!("{}目標: {}\n", "あ".repeat(100_000), "x".repeat(100_000));
        let mut sources = SourceMap::default();
        sources.insert("content/a.yaml", Arc::from(long.as_str()));
        let d = Diagnostic::error("content/a.yaml", Some(Position::new(1, 100_001)), "bad key");
        let out = render(&[d], &sources, false);
        assert!(out.chars().count() < 1_500, "{} characters", out.chars().count());
        assert!(out.contains("content/a.yaml:1:100001"), "{out}");
        assert!(
            out.contains("…あ") && out.contains("目標: x") && out.contains("x…"),
            "{out}"
        );
        // The marker is under `目標` (two wide characters).
        let quoted = out.lines().find(|l| l.contains("目標")).unwrap();
        let marker = out.lines().find(|l| l.contains('^')).unwrap();
        let width = |s: &str| {
            s.chars()
                .map(|c| if c.is_ascii() || c == '…' || c == '│' { 1 } else { 2 })
                .sum::<usize>()
        };
        let at = |s: &str, pat: char| width(&s[..s.find(pat).unwrap()]);
        assert_eq!(at(quoted, '目'), at(marker, '^'), "{out}");
        // A long line of one token (an 11.9 MB YAML error printed 24 MB of carets).
        let token = "x".repeat(3_000_000);
        sources.insert("content/b.yaml", Arc::from(token.as_str()));
        let d = Diagnostic::error("content/b.yaml", Some(Position::new(1, 1)), "bad");
        let out = render(&[d], &sources, false);
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn a_position_past_the_end_of_its_line_is_shown_at_its_end() {
        let mut sources = SourceMap::default();
        sources.insert("content/a.yaml", Arc::from("ab\r\ncd\n"));
        let d = Diagnostic::error("content/a.yaml", Some(Position::new(1, 9)), "missing");
        let out = render(&[d], &sources, false);
        assert!(out.contains("content/a.yaml:1:3"), "{out}");
        assert!(!out.contains("\\u{d}"), "{out}");
    }

    #[test]
    fn a_message_quoting_a_huge_value_is_cut_in_the_middle() {
        let message = format!("wrong type: found string \"{}\", expected a map", "x".repeat(5_000_000));
        let d = Diagnostic::error("content/a.yaml", None, message);
        let out = render(std::slice::from_ref(&d), &SourceMap::default(), false);
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains("wrong type: found string \"xxx"), "{out}");
        assert!(out.contains("xxx\", expected a map"), "{out}");
        assert!(out.contains("characters not shown"), "{out}");
        assert!(d.to_string().len() < 2_000);
    }
}
