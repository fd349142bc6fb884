//! A YAML syntax error said as what to do: "indent `note:` to column 13, under
//! `status:`", "a tab in the indentation: use spaces", "this quote is never
//! closed". The parser says where it stopped (its problem and context marks); what
//! went wrong is read from the text around that place (indentation, dashes, keys,
//! quotes, brackets: [`super::lines`]), never from the parser's words, which are
//! shown only when nothing better can be said.

use super::events::Stop;
use super::lines::{Content, Kind, Line, lines, plain_key, scan, value_text};
use super::shape::Problem;
use crate::diag::Position;
use crate::msg;

/// What to do about the syntax error the parser stopped at.
pub fn explain(text: &str, stop: &Stop) -> Problem {
    let all = lines(text);
    let at_line = stop.at.line.clamp(1, all.len().max(1));
    // The lines to look at: where the parser stopped, where the construct it was
    // reading began, and the content line above (a mistake often shows one line late).
    let mut near: Vec<usize> = vec![at_line];
    if let Some((context, _)) = stop.context {
        near.push(context.line);
    }
    if let Some(above) = content_above(&all, at_line) {
        near.push(above.number);
    }
    near.dedup();
    tab(text, &all, &near)
        .or_else(|| open_quote(text, stop))
        .or_else(|| open_bracket(text, stop))
        .or_else(|| missing_space(text, &all, &near))
        .or_else(|| colon_in_value(text, &all, at_line))
        .or_else(|| text_after_quote(text, &all, &near))
        .or_else(|| indentation(text, &all, at_line))
        .unwrap_or_else(|| Problem {
            at: stop.at,
            message: msg!("yaml.syntax.other", words = stop.words.as_str()),
            help: Some(msg!("yaml.syntax.other_help")),
        })
}

/// The text of line `number` (1-based), without its line break.
fn line_text<'t>(text: &'t str, all: &[Line], number: usize) -> &'t str {
    let Some(line) = all.get(number.wrapping_sub(1)) else {
        return "";
    };
    let end = all.get(number).map_or(text.len(), |next| next.start);
    text[line.start..end].trim_end_matches(['\n', '\r'])
}

/// The nearest content line above line `number`.
fn content_above(all: &[Line], number: usize) -> Option<&Line> {
    all[..number.saturating_sub(1).min(all.len())]
        .iter()
        .rev()
        .find(|l| matches!(l.kind, Kind::Content(_)))
}

/// A tab in the indentation of one of the lines looked at.
fn tab(text: &str, all: &[Line], near: &[usize]) -> Option<Problem> {
    near.iter().find_map(|&n| {
        let line = line_text(text, all, n);
        let indent: String = line.chars().take_while(|c| matches!(c, ' ' | '\t' | '-')).collect();
        let column = indent.chars().position(|c| c == '\t')? + 1;
        Some(Problem {
            at: Position::new(n, column),
            message: msg!("yaml.syntax.tab"),
            help: Some(msg!("yaml.syntax.tab_help")),
        })
    })
}

/// The parser was reading a quoted text (its context mark is the quote) that the
/// text never closes.
fn open_quote(text: &str, stop: &Stop) -> Option<Problem> {
    let (at, offset) = stop.context?;
    let quote = *text.as_bytes().get(offset)?;
    if !matches!(quote, b'"' | b'\'') || scan(text, stop.offset).quote.map(|(_, o)| o) != Some(offset) {
        return None;
    }
    let quote = char::from(quote).to_string();
    Some(Problem {
        at,
        message: msg!("yaml.syntax.open_quote", quote = quote.as_str()),
        help: Some(msg!("yaml.syntax.open_quote_help", quote = quote.as_str())),
    })
}

/// The parser was reading a bracketed list or mapping that the text never closes.
fn open_bracket(text: &str, stop: &Stop) -> Option<Problem> {
    let state = scan(text, stop.offset);
    let offset = state.innermost_bracket?;
    let at_end = text[stop.offset.min(text.len())..].trim().is_empty();
    if !at_end && stop.context.map(|(_, o)| o) != Some(offset) {
        return None;
    }
    let (open, close) = match text.as_bytes()[offset] {
        b'[' => ("[", "]"),
        _ => ("{", "}"),
    };
    Some(Problem {
        at: Position::of_offset(text, offset),
        message: msg!("yaml.syntax.open_bracket", open = open),
        help: Some(msg!("yaml.syntax.open_bracket_help", close = close)),
    })
}

/// `key:value`: a colon with no space after it, where a key was expected.
fn missing_space(text: &str, all: &[Line], near: &[usize]) -> Option<Problem> {
    near.iter().find_map(|&n| {
        let line = line_text(text, all, n);
        let rest = line.trim_start_matches([' ', '-']);
        if rest.starts_with(['"', '\'', '#', '[', '{']) || plain_key(rest).is_some() {
            return None;
        }
        let colon = rest.find(':')?;
        let (key, value) = (&rest[..colon], &rest[colon + 1..]);
        let word = key.chars().next().is_some_and(char::is_alphabetic)
            && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
        if !word || value.starts_with("//") || value.trim().is_empty() {
            return None;
        }
        let column = line.len() - rest.len() + colon;
        let written = format!("{key}:{}", value_text(value));
        let fixed = format!("{key}: {}", value_text(value));
        Some(Problem {
            at: Position::new(n, line[..column].chars().count() + 1),
            message: msg!("yaml.syntax.no_space", written = written),
            help: Some(msg!("yaml.syntax.no_space_help", fixed = fixed)),
        })
    })
}

/// `title: Q3: grow`: a plain value holding `: `, which YAML reads as a second key.
fn colon_in_value(text: &str, all: &[Line], n: usize) -> Option<Problem> {
    let line = line_text(text, all, n);
    let rest = line.trim_start_matches([' ', '-']);
    let key = plain_key(rest)?;
    let value = value_text(&rest[key.len() + 1..]);
    if value.starts_with(['"', '\'', '[', '{', '|', '>']) || plain_key(value).is_none() {
        return None;
    }
    let inner = value.find(": ")?;
    let column = line.len() - rest.len() + key.len() + 1 + rest[key.len() + 1..].find(value)? + inner;
    let quoted = format!("{key}: \"{}\"", value.replace('"', "\\\""));
    Some(Problem {
        at: Position::new(n, line[..column].chars().count() + 1),
        message: msg!("yaml.syntax.colon_in_value", key = key),
        help: Some(msg!("yaml.syntax.colon_in_value_help", fixed = quoted)),
    })
}

/// `title: 'It's done'`: text after a quoted value's closing quote.
fn text_after_quote(text: &str, all: &[Line], near: &[usize]) -> Option<Problem> {
    near.iter().find_map(|&n| {
        let line = line_text(text, all, n);
        let rest = line.trim_start_matches([' ', '-']);
        let key = plain_key(rest).unwrap_or("");
        let value = rest[key.len()..].trim_start_matches(':').trim_start();
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let close = closing_quote(value, quote)?;
        let after = value[close + 1..].trim_start();
        if after.is_empty() || after.starts_with('#') {
            return None;
        }
        let column = line.len() - value.len() + close;
        let quote = quote.to_string();
        Some(Problem {
            at: Position::new(n, line[..column].chars().count() + 1),
            message: msg!("yaml.syntax.after_quote", quote = quote.as_str()),
            help: Some(if quote == "'" {
                msg!("yaml.syntax.after_single_quote_help")
            } else {
                msg!("yaml.syntax.after_double_quote_help")
            }),
        })
    })
}

/// The byte index of the quote closing the quoted text that starts `value`.
fn closing_quote(value: &str, quote: char) -> Option<usize> {
    let b = value.as_bytes();
    let q = quote as u8;
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 1,
            c if c == q && q == b'\'' && b.get(i + 1) == Some(&q) => i += 1,
            c if c == q => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// A line indented to a column that matches no open list or mapping above it:
/// the column of the nearest one, and the line it lines up with.
fn indentation(text: &str, all: &[Line], n: usize) -> Option<Problem> {
    let Kind::Content(here) = &all.get(n - 1)?.kind else {
        return None;
    };
    let is_item = !here.dashes.is_empty();
    let (column, (under, _)) = aligned_with(all, n, here)?;
    let this = line_text(text, all, n).trim();
    let (message, help) = if is_item {
        let what = super::hints::short(this);
        (
            msg!("yaml.syntax.indent_item", what = what, column = here.first),
            msg!("yaml.syntax.indent_item_help", column = column, line = under),
        )
    } else {
        let key = |line: &str| {
            let line = line.trim_start_matches(['-', ' ']);
            format!("{}:", plain_key(line).unwrap_or(line))
        };
        let what = key(this);
        (
            msg!("yaml.syntax.indent", what = what.as_str(), column = here.first),
            msg!(
                "yaml.syntax.indent_help",
                what = what.as_str(),
                column = column,
                under = key(line_text(text, all, under)),
                line = under
            ),
        )
    };
    Some(Problem {
        at: Position::new(n, here.first),
        message,
        help: Some(help),
    })
}

/// The column line `n` should start at, and the (line, column) above it lines up
/// with; `None` when its column is one a line could have there.
fn aligned_with(all: &[Line], n: usize, here: &Content) -> Option<(usize, (usize, usize))> {
    let is_item = !here.dashes.is_empty();
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    let mut shallowest = usize::MAX;
    let mut first = true;
    for line in all[..n - 1].iter().rev() {
        let Kind::Content(c) = &line.kind else { continue };
        if std::mem::take(&mut first) && c.opens_block {
            // Right under `key:`, a deeper line nests: only a shallower one can be wrong.
            let key_column = c.key.as_ref().map_or(c.first, |(_, col)| *col);
            if here.first > key_column || (is_item && here.first == key_column) {
                return None;
            }
        }
        if c.first < shallowest {
            if is_item {
                candidates.extend(c.dashes.iter().map(|&d| (d, line.number)));
            } else if let Some((_, col)) = &c.key {
                candidates.push((*col, line.number));
            }
            shallowest = shallowest.min(c.first);
        }
        if shallowest == 1 {
            break;
        }
    }
    if candidates.iter().any(|(col, _)| *col == here.first) {
        return None;
    }
    // The nearest column; between two as near, the deeper (the list or mapping just above).
    let &(column, line) = candidates
        .iter()
        .min_by_key(|(col, _)| (col.abs_diff(here.first), usize::MAX - col))?;
    Some((column, (line, column)))
}

#[cfg(test)]
mod tests {
    use super::super::tree::{Built, build};
    use super::*;

    fn explained(text: &str) -> (Position, String, String) {
        let Built::NotYaml(stop) = build(text) else {
            panic!("parses: {text}")
        };
        let p = explain(text, &stop);
        (
            p.at,
            p.message.to_string(),
            p.help.map(|h| h.to_string()).unwrap_or_default(),
        )
    }

    const CHECKIN: &str = "objectives:\n  - title: a\n    key_results:\n      - title: b\n        checkins:\n          - date: 2026-08-01\n            status: green\n";

    #[test]
    fn a_key_indented_one_space_short_or_long() {
        for note in ["           note: fine\n", "             note: fine\n"] {
            let (at, message, help) = explained(&format!("{CHECKIN}{note}"));
            let found = note.len() - note.trim_start().len() + 1;
            assert_eq!(at, Position::new(8, found), "{note}");
            assert_eq!(
                message,
                format!("`note:` starts at column {found}, where no key above does")
            );
            assert_eq!(help, "indent `note:` to column 13, under `status:` (line 7)");
        }
    }

    #[test]
    fn a_list_item_at_the_wrong_level() {
        let text = "objectives:\n  - title: a\n    key_results:\n      - title: b\n        score: 1\n    - title: c\n";
        let (at, message, help) = explained(text);
        assert_eq!(at, Position::new(6, 5));
        assert_eq!(message, "`- title: c` starts at column 5, where no list above does");
        assert_eq!(
            help,
            "move the item (and the lines under it) to column 7, in line with the `-` on line 4"
        );
    }

    #[test]
    fn tabs_quotes_brackets_and_colons() {
        let (at, message, _) = explained("a:\n  b: 1\n\tc: 2\n");
        assert_eq!(
            (at, message.as_str()),
            (
                Position::new(3, 1),
                "a tab in the indentation: YAML indents with spaces only"
            )
        );
        let (at, message, _) = explained("a: \"x\nb: 1\n");
        assert_eq!(
            (at, message.as_str()),
            (
                Position::new(1, 4),
                "this `\"` opens a quoted text that is never closed"
            )
        );
        let (at, _, help) = explained("name: x\npoints: [\n  {date: 2025-07-07, value: 1}\n");
        assert_eq!((at, help.as_str()), (Position::new(2, 9), "close it with `]`"));
        let (at, message, help) = explained("a:\n  b: 1\n  c:2\n  d: 3\n");
        assert_eq!(at, Position::new(3, 4));
        assert_eq!(message, "`c:2` needs a space after the colon");
        assert_eq!(help, "write `c: 2`");
        let (at, _, help) = explained("title: Q3: grow\n");
        assert_eq!(at, Position::new(1, 10));
        assert_eq!(help, "put the text in quotes: `title: \"Q3: grow\"`");
        let (at, message, _) = explained("a:\n  - title: 'It's done'\n");
        assert_eq!(at, Position::new(2, 15));
        assert!(message.contains("after the closing `'`"), "{message}");
    }
}
