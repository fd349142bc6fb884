//! Diagnostics rendered for a terminal the way rustc does, with the offending line quoted.

use std::collections::HashMap;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files;
use codespan_reporting::term;

use super::escape::{push_escaped, shown};
use super::{Diagnostic, Lang, LineStarts, Position, Severity, SourceMap, escape_controls};
use crate::msg;

/// Renders diagnostics the way rustc does: a header, the file and position,
/// the quoted line with a marker, and the help. Content text is shown with its
/// control characters escaped, and a long line is cut around the column.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool, lang: Lang) -> String {
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
        .with_message(shown(&d.message.render(lang)));
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
            cs = cs.with_notes(vec![format!(
                "{}: {}",
                msg!("diag.help").render(lang),
                shown(&help.render(lang))
            )]);
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
        out.push_str(&severity_in(rendered.trim_end(), d.severity, lang));
        out.push_str("\n\n");
    }
    out
}

/// codespan-reporting writes the header's `error` or `warning` in English; in
/// another language the first one (the header's, before the message) is replaced.
fn severity_in(rendered: &str, severity: Severity, lang: Lang) -> String {
    let (english, key) = match severity {
        Severity::Error => ("error", msg!("diag.error")),
        Severity::Warning => ("warning", msg!("diag.warning")),
    };
    if lang == Lang::En {
        return rendered.to_owned();
    }
    rendered.replacen(english, &key.render(lang), 1)
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::messages::Message;

    /// Test words, shown as they are.
    fn words(text: impl Into<String>) -> Message {
        Message::verbatim(text)
    }

    #[test]
    fn rendering_quotes_the_line() {
        let mut sources = SourceMap::default();
        sources.insert("content/a.yaml", Arc::from("x: 1\ntargte: 3\n"));
        let d = Diagnostic::error(
            "content/a.yaml",
            Some(Position::new(2, 1)),
            words("unknown key `targte`"),
        )
        .with_help(words("did you mean `target`?"));
        let out = render(&[d], &sources, false, Lang::En);
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
            words("unknown id `a\u{1b}[31mb\u{202e}c`\nfake: line"),
        )
        .with_help(words("not `\u{7}`"));
        for color in [false, true] {
            let out = render(std::slice::from_ref(&d), &sources, color, Lang::En);
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
        let d = Diagnostic::error("content/a.yaml", Some(Position::new(1, 100_001)), words("bad key"));
        let out = render(&[d], &sources, false, Lang::En);
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
        let d = Diagnostic::error("content/b.yaml", Some(Position::new(1, 1)), words("bad"));
        let out = render(&[d], &sources, false, Lang::En);
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn a_position_past_the_end_of_its_line_is_shown_at_its_end() {
        let mut sources = SourceMap::default();
        sources.insert("content/a.yaml", Arc::from("ab\r\ncd\n"));
        let d = Diagnostic::error("content/a.yaml", Some(Position::new(1, 9)), words("missing"));
        let out = render(&[d], &sources, false, Lang::En);
        assert!(out.contains("content/a.yaml:1:3"), "{out}");
        assert!(!out.contains("\\u{d}"), "{out}");
    }

    #[test]
    fn a_message_quoting_a_huge_value_is_cut_in_the_middle() {
        let message = format!("wrong type: found string \"{}\", expected a map", "x".repeat(5_000_000));
        let d = Diagnostic::error("content/a.yaml", None, words(message));
        let out = render(std::slice::from_ref(&d), &SourceMap::default(), false, Lang::En);
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains("wrong type: found string \"xxx"), "{out}");
        assert!(out.contains("xxx\", expected a map"), "{out}");
        assert!(out.contains("characters not shown"), "{out}");
        assert!(d.to_string().len() < 2_000);
    }
}
