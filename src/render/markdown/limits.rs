//! Limits that keep hostile Markdown cheap to render: how deep elements nest.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use crate::text::escape_html;

/// How deep elements may nest in a rendered document. The sanitiser's HTML parser
/// checks the open elements for every new one, so 100,000 nested lists, quotes or
/// `<div>`s took it minutes; deeper Markdown is rendered flat and deeper raw HTML
/// as text. Real retrospectives stay far below this.
pub const MAX_NESTING: usize = 64;

/// Drops the start and end of elements nested deeper than [`MAX_NESTING`] (their
/// content stays, one level up) and, when `count_raw_html`, shows raw HTML tags that
/// would open an element deeper than that as text.
/// Keeps the open elements from one group of blocks to the next.
pub(super) struct NestingCap {
    /// For each open Markdown element, whether its start was kept.
    open: Vec<bool>,
    kept: usize,
    raw: RawDepth,
    count_raw_html: bool,
}

impl NestingCap {
    pub(super) fn new(count_raw_html: bool) -> Self {
        NestingCap {
            open: Vec::new(),
            kept: 0,
            raw: RawDepth::default(),
            count_raw_html,
        }
    }

    pub(super) fn cap<'a>(&mut self, mut events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
        let NestingCap {
            open,
            kept,
            raw,
            count_raw_html,
        } = self;
        events.retain_mut(|(e, _)| match e {
            Event::Start(_) => {
                let keep = *kept + raw.depth < MAX_NESTING;
                open.push(keep);
                *kept += usize::from(keep);
                keep
            }
            Event::End(_) => {
                let keep = open.pop().unwrap_or(true);
                if keep {
                    *kept = kept.saturating_sub(1);
                }
                keep
            }
            Event::Html(html) | Event::InlineHtml(html) if *count_raw_html => {
                let (fits, rest) = raw.split(html, MAX_NESTING.saturating_sub(*kept));
                if !rest.is_empty() {
                    let shown = format!("{fits}{}", escape_html(rest));
                    *e = Event::Html(CowStr::from(shown));
                }
                true
            }
            _ => true,
        });
        events
    }
}

/// How many elements raw HTML has opened and not closed, counted roughly: tags that
/// close themselves or are usually left open (`<br>`, `<p>`, `<li>`, …) do not count.
#[derive(Default)]
struct RawDepth {
    depth: usize,
}

impl RawDepth {
    /// Splits `html` before the first tag that would open an element past `limit`
    /// (counted with this depth), counting the tags before it.
    fn split<'h>(&mut self, html: &'h str, limit: usize) -> (&'h str, &'h str) {
        let bytes = html.as_bytes();
        let mut i = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
            let start = i + lt;
            let end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1);
            let tag = &html[start + 1..end.max(start + 1)];
            if let Some(name) = tag.strip_prefix('/') {
                if counts(name) {
                    self.depth = self.depth.saturating_sub(1);
                }
            } else if counts(tag) && !tag.trim_end_matches('>').ends_with('/') {
                if self.depth >= limit {
                    return (&html[..start], &html[start..]);
                }
                self.depth += 1;
            }
            i = end;
        }
        (html, "")
    }
}

/// Whether a tag (the text after `<` or `</`) opens an element that stays open.
fn counts(tag: &str) -> bool {
    let name: String = tag
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const LEFT_OPEN: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody", "thead", "tfoot",
    ];
    !name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic()) && !LEFT_OPEN.contains(&name.as_str())
}
