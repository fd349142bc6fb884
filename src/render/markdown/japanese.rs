//! Japanese text: line breaks between Japanese characters, and emphasis next to
//! Japanese punctuation.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::merge_text;
use crate::text;

/// Japanese text: a line break between two Japanese characters becomes nothing
/// (not a visible space), and `**「強調」**` is bold even where CommonMark's
/// flanking rules refuse it next to Japanese punctuation.
#[derive(Default)]
pub(super) struct JapanesePass {
    /// The last character of text seen, in this group of blocks or an earlier one.
    last_char: Option<char>,
}

impl JapanesePass {
    pub(super) fn pass<'a>(&mut self, events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
        japanese_pass(events, &mut self.last_char)
    }
}

/// [`JapanesePass`] on one group of whole blocks.
fn japanese_pass<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    last_char: &mut Option<char>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let events = drop_breaks_between_japanese(events, last_char);
    // Text runs joined by a dropped break become one, so `**…**` across it is seen whole.
    let mut events = merge_text(events);
    if !show_task_markers(&mut events) {
        return events;
    }
    split_cjk_emphasis(events)
}

/// Drops the soft breaks between two Japanese characters (outside code blocks).
fn drop_breaks_between_japanese<'a>(
    mut events: Vec<(Event<'a>, Range<usize>)>,
    last_char: &mut Option<char>,
) -> Vec<(Event<'a>, Range<usize>)> {
    // For each event, the first character of the text that follows it, looking through
    // inline tags and unparsed emphasis markers; found from the end in one pass.
    let mut next_chars = vec![None; events.len()];
    let mut after: Option<char> = None;
    for (i, (e, _)) in events.iter().enumerate().rev() {
        next_chars[i] = after;
        after = match e {
            Event::Text(t) | Event::Code(t) => t.chars().find(|c| !matches!(c, '*' | '_')),
            Event::Start(Tag::Strong | Tag::Emphasis | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link) => after,
            _ => None,
        };
    }
    let mut in_code_block = false;
    let mut i = 0;
    events.retain(|(e, _)| {
        let next = next_chars[i];
        i += 1;
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) => {
                *last_char = t.chars().rev().find(|c| !matches!(c, '*' | '_')).or(*last_char);
            }
            Event::SoftBreak if !in_code_block && text::soft_break(*last_char, next).is_empty() => return false,
            _ => {}
        }
        true
    });
    events
}

/// Shows task-list checkboxes as symbols; whether any text outside code blocks
/// still holds a `*` (emphasis CommonMark left unparsed).
fn show_task_markers(events: &mut [(Event<'_>, Range<usize>)]) -> bool {
    let mut in_code_block = false;
    let mut emphasis_left = false;
    for (e, _) in events.iter_mut() {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            // A task-list checkbox is not a form control a reader can use: show it as a symbol.
            Event::TaskListMarker(done) => {
                let html = if *done {
                    "<span class=\"task done\">☑</span> "
                } else {
                    "<span class=\"task\">☐</span> "
                };
                *e = Event::Html(CowStr::Borrowed(html));
            }
            Event::Text(t) if !in_code_block && t.contains('*') => emphasis_left = true,
            _ => {}
        }
    }
    emphasis_left
}

/// Text with leftover `*` outside code blocks, split by [`cjk_emphasis`].
fn split_cjk_emphasis(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_code_block = false;
    for (e, r) in events {
        match &e {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if !in_code_block && t.contains('*') => {
                out.extend(cjk_emphasis(t).into_iter().map(|piece| (piece, r.clone())));
                continue;
            }
            _ => {}
        }
        out.push((e, r));
    }
    out
}

/// Splits text with leftover `**x**` or `*x*` next to Japanese into strong/em events.
fn cjk_emphasis(text: &str) -> Vec<Event<'static>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut plain = String::new();
    while !rest.is_empty() {
        let Some(start) = rest.find('*') else {
            plain.push_str(rest);
            break;
        };
        let run = rest[start..].bytes().take_while(|&b| b == b'*').count();
        let after_open = &rest[start + run..];
        match emphasis_close(rest, start, run) {
            Some(end) => {
                plain.push_str(&rest[..start]);
                if !plain.is_empty() {
                    out.push(Event::Text(CowStr::from(std::mem::take(&mut plain))));
                }
                let (open, close_tag) = if run == 2 {
                    (Tag::Strong, TagEnd::Strong)
                } else {
                    (Tag::Emphasis, TagEnd::Emphasis)
                };
                out.push(Event::Start(open));
                out.push(Event::Text(CowStr::from(after_open[..end].to_string())));
                out.push(Event::End(close_tag));
                rest = &after_open[end + run..];
            }
            None => {
                plain.push_str(&rest[..start + run]);
                rest = &rest[start + run..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Event::Text(CowStr::from(plain)));
    }
    out
}

/// Where the emphasis opened by the run of `run` `*` at `start` of `rest` closes (a
/// byte offset after the run): a run of the same length, around text that neither
/// starts nor ends with white space nor holds a `*`, touching Japanese on one side.
/// `None` when it does not close so, or for runs of more than two.
fn emphasis_close(rest: &str, start: usize, run: usize) -> Option<usize> {
    if run > 2 {
        return None;
    }
    let delim = &rest[start..start + run];
    let after_open = &rest[start + run..];
    let end = after_open.find(delim).filter(|&end| {
        let inner = &after_open[..end];
        let closing_run = after_open[end..].bytes().take_while(|&b| b == b'*').count();
        !inner.is_empty()
            && closing_run == run
            && !inner.starts_with(char::is_whitespace)
            && !inner.ends_with(char::is_whitespace)
            && !inner.contains('*')
    })?;
    let inner = &after_open[..end];
    let before = rest[..start].chars().last();
    let after = after_open[end + run..].chars().next();
    let touches_cjk = [before, inner.chars().next(), inner.chars().last(), after]
        .into_iter()
        .flatten()
        .any(text::is_cjk);
    touches_cjk.then_some(end)
}

#[cfg(test)]
mod tests {
    use super::super::tests::md;

    #[test]
    fn japanese_line_breaks_leave_no_space() {
        assert_eq!(md("これは\n続きです"), "<p>これは続きです</p>\n");
        assert_eq!(md("English\nwords"), "<p>English\nwords</p>\n");
        assert_eq!(md("日本語\nEnglish"), "<p>日本語\nEnglish</p>\n");
        assert_eq!(
            md("なる。\n**定義**が変わった"),
            "<p>なる。<strong>定義</strong>が変わった</p>\n"
        );
        assert_eq!(
            md("これは\n**「重要」**です"),
            "<p>これは<strong>「重要」</strong>です</p>\n"
        );
    }

    #[test]
    fn japanese_emphasis_renders_bold() {
        assert_eq!(
            md("これは**「重要」**です"),
            "<p>これは<strong>「重要」</strong>です</p>\n"
        );
        assert_eq!(md("ここは*強調*する"), "<p>ここは<em>強調</em>する</p>\n");
        assert_eq!(md("**plain** bold"), "<p><strong>plain</strong> bold</p>\n");
        assert_eq!(md("2 * 3 * 4"), "<p>2 * 3 * 4</p>\n");
        assert_eq!(md("`コード**「x」**`"), "<p><code>コード**「x」**</code></p>\n");
    }
}
