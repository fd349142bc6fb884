//! Content text as it may be printed: control characters escaped, huge messages cut.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters of a message shown at most: messages quote content values, and a
/// value can be megabytes (a 12 MB string where a map belongs).
const MESSAGE_CHARS: usize = 600;

/// A message or help as printed: control characters escaped, and cut in the
/// middle (keeping its start and end, which say what is wrong) when very long.
pub(super) fn shown(text: &str) -> String {
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
pub(super) fn push_escaped(out: &mut String, c: char, tab_as_space: bool) {
    if c == '\t' && tab_as_space {
        out.push(' ');
    } else if needs_escape(c) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}
