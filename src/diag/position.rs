//! Positions in a text: 1-based line and character column, and the byte offsets they stand for.

use std::collections::HashMap;

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
    pub(super) starts: Vec<usize>,
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
    pub(super) fn bounds(&self, text: &str, line: usize) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diag::{Diagnostic, SourceMap, render};

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
        let d = Diagnostic::error(
            "content/a.yaml",
            Some(Position::new(3, 2801)),
            crate::messages::Message::verbatim("at the end"),
        );
        let out = render(&[d], &sources, false, crate::messages::Lang::En);
        assert!(out.contains("content/a.yaml:3:2801"), "{out}");
    }
}
