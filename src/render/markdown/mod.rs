//! Markdown → HTML: pulldown-cmark with a small event pass for Japanese text
//! ([`japanese`]), heading ids that keep Japanese ([`ids`]), learning anchors
//! ([`learnings`]), a cap on nesting ([`limits`]) and ammonia sanitising
//! ([`sanitize`]); [`sections`] splits a document for search.

mod ids;
mod japanese;
mod learnings;
mod limits;
mod own_html;
mod placeholders;
mod sanitize;
mod sections;

use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, TagEnd};

use crate::content::learnings::markdown_options;
pub use crate::content::placeholders::Fill;
use ids::{HeadingIds, id_marker, mark_own_ids, settle_ids};
pub use ids::{random_hex, root_marker};
use japanese::JapanesePass;
use learnings::LearningPass;
use limits::NestingCap;
use placeholders::PlaceholderPass;
use sanitize::sanitize_blocks;

pub use ids::heading_id;
pub use limits::MAX_NESTING;
pub use sanitize::sanitize;
pub use sections::{Section, sections};

/// How a retrospective's learnings are marked up in its body.
pub struct LearningMarks<'a> {
    /// The learning headings of the config.
    pub headings: &'a [String],
    /// Byte offset of each learning item in the body → its anchor id.
    pub anchors: HashMap<usize, String>,
    /// Turns a tag into the URL of its page.
    pub tag_url: &'a dyn Fn(&str) -> String,
}

pub struct Options<'a> {
    /// Raw HTML in Markdown is kept only when the site's config allows it.
    pub allow_html: bool,
    /// Ids already used on the page, so heading ids never collide with them.
    pub reserved_ids: &'a [String],
    pub learnings: Option<LearningMarks<'a>>,
    /// The values of the retrospective's placeholders (`[[score]]`…).
    pub placeholders: Option<Fill<'a>>,
}

/// Renders a whole Markdown document.
///
/// Ids: okrsite's own (the page's reserved ids, learning anchors) always win.
/// Heading ids, written (`{#id}`) or made from the text, and footnote ids are
/// made unique against them; an `id` in raw HTML gets `user-content-` in front
/// (as on GitHub), so `<div id="learning-1">` cannot take a learning's permalink.
pub fn render(markdown: &str, opts: &Options<'_>) -> String {
    render_with_ids(markdown, opts, "")
}

/// [`render`], with `id_prefix` in front of every heading and footnote id.
pub fn render_with_ids(markdown: &str, opts: &Options<'_>, id_prefix: &str) -> String {
    prepare(markdown, opts).finish(id_prefix, "")
}

/// A document rendered for no page in particular, to finish for each page that shows
/// it ([`Prepared::finish`]): a team-quarter's retrospective is on its review page
/// and in its quarter's booklet, with different ids and a different way to the root.
/// Parsing and sanitising, the costly part, happen once.
pub struct Prepared {
    /// The HTML with okrsite's ids and links to them still marked ([`id_marker`]),
    /// and its links to the site root starting with [`root_marker`].
    html: String,
    /// Whether `html` is sanitised (raw HTML not allowed): its ids are then settled
    /// attribute by attribute ([`settle_ids`]).
    sanitized: bool,
}

impl Prepared {
    /// The HTML for a page whose ids start with `id_prefix` and whose way to the site
    /// root is `root` (what [`root_marker`] stands for). Both are made of characters
    /// HTML escaping leaves alone (a slug and `.`; `../`), so putting them in after
    /// escaping and sanitising gives what rendering with them gave.
    pub fn finish(&self, id_prefix: &str, root: &str) -> String {
        debug_assert!(
            !(id_prefix.chars().chain(root.chars())).any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'')),
            "{id_prefix:?} {root:?}"
        );
        // The root first: the ids then put in are not read again, whatever they hold.
        let rooted = crate::text::replace_all(&self.html, root_marker(), root);
        if self.sanitized {
            settle_ids(&rooted, id_marker(), id_prefix)
        } else {
            // Raw HTML is trusted as written (SECURITY.md): its ids stay as they are.
            crate::text::replace_all(&rooted, id_marker(), id_prefix).into_owned()
        }
    }
}

/// Renders a document for [`Prepared::finish`]: okrsite's ids are marked, to get
/// each page's prefix when it is finished.
///
/// The document goes through the passes a group of top-level blocks at a time (the
/// passes keep their state across groups), so its events are never all held at once:
/// at about 100 bytes an event, a 10 MB retrospective's list took a gigabyte.
pub fn prepare(markdown: &str, opts: &Options<'_>) -> Prepared {
    let Written {
        html,
        group_starts,
        has_raw_html,
    } = write(markdown, opts);
    if opts.allow_html {
        Prepared { html, sanitized: false }
    } else if !has_raw_html && own_html::needs_no_sanitizing(&html) {
        // What ammonia would give back as it is ([`own_html`]).
        Prepared { html, sanitized: true }
    } else {
        Prepared {
            html: sanitize_blocks(&html, &group_starts, has_raw_html),
            sanitized: true,
        }
    }
}

/// A document's HTML before sanitising ([`write`]).
struct Written {
    html: String,
    /// Where each top-level group of blocks starts in `html`.
    group_starts: Vec<usize>,
    /// Whether the document holds raw HTML.
    has_raw_html: bool,
}

/// Runs the passes over `markdown` and writes its HTML, not sanitised.
fn write(markdown: &str, opts: &Options<'_>) -> Written {
    let marker = id_marker();
    let mut ids = HeadingIds::new(opts.reserved_ids);
    let mut learnings = opts.learnings.as_ref().map(|marks| LearningPass::new(marks, marker));
    let mut placeholders = opts.placeholders.and_then(|fill| PlaceholderPass::new(markdown, fill));
    let mut japanese = JapanesePass::default();
    let mut nesting = NestingCap::new(!opts.allow_html);
    let written = Cell::new(0);
    let mut group_starts = Vec::new();
    let mut has_raw_html = false;
    let events = groups(markdown).flat_map(|group| {
        has_raw_html |= group
            .events
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
        if group.top_level {
            // Everything before this group has been written.
            group_starts.push(written.get());
        }
        let filled = placeholders.as_mut().map(|p| p.find(&group.events));
        let events = mark_own_ids(ids.assign(merge_text(group.events)), marker);
        let events = match &filled {
            Some(filled) => filled.apply(events),
            None => events,
        };
        let events = match learnings.as_mut() {
            Some(pass) => pass.mark(events),
            None => events,
        };
        nesting.cap(japanese.pass(events)).into_iter().map(|(e, _)| e)
    });
    let html = write_html(events, &written, markdown.len() * 3 / 2);
    Written {
        html,
        group_starts,
        has_raw_html,
    }
}

/// How many events a group aims at: small enough that a group's events take little
/// memory, large enough that the passes' per-group work is small.
const GROUP_EVENTS: usize = 1024;

/// A group of whole blocks, and whether it starts between top-level blocks.
pub(super) struct Group<'a> {
    pub(super) events: Vec<(Event<'a>, Range<usize>)>,
    pub(super) top_level: bool,
}

/// The events of a document, a group of whole blocks at a time. A group ends after
/// the end of a block (not inside a paragraph, heading or other inline content, which
/// the passes look ahead through), at any depth: a list of 60,000 items is one
/// top-level block.
pub(super) fn groups(markdown: &str) -> impl Iterator<Item = Group<'_>> {
    let mut parser = Parser::new_ext(markdown, markdown_options()).into_offset_iter();
    let mut depth = 0usize;
    std::iter::from_fn(move || {
        let top_level = depth == 0;
        let mut events = Vec::new();
        for (e, r) in parser.by_ref() {
            let block_end = match &e {
                Event::Start(_) => {
                    depth += 1;
                    false
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    !matches!(
                        end,
                        TagEnd::Emphasis
                            | TagEnd::Strong
                            | TagEnd::Strikethrough
                            | TagEnd::Superscript
                            | TagEnd::Subscript
                            | TagEnd::Link
                            | TagEnd::Image
                            | TagEnd::TableCell
                            | TagEnd::TableHead
                    )
                }
                _ => false,
            };
            events.push((e, r));
            if block_end && events.len() >= GROUP_EVENTS {
                break;
            }
        }
        (!events.is_empty()).then_some(Group { events, top_level })
    })
}

/// The HTML of `events`; `written` follows how much has been written.
pub(super) fn write_html<'a>(
    events: impl Iterator<Item = Event<'a>>,
    written: &Cell<usize>,
    capacity: usize,
) -> String {
    /// Counts what the HTML writer has written, so group starts can be recorded.
    struct Counting<'s> {
        out: String,
        written: &'s Cell<usize>,
    }
    impl std::fmt::Write for Counting<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.out.push_str(s);
            self.written.set(self.out.len());
            Ok(())
        }
    }
    let mut out = Counting {
        out: String::with_capacity(capacity),
        written,
    };
    // Writing into a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut out, events);
    out.out
}

/// Renders a short piece (a learning) as inline HTML, without the wrapping paragraph,
/// its placeholders filled by `placeholders`.
pub fn render_inline(markdown: &str, allow_html: bool, placeholders: Option<Fill<'_>>) -> String {
    if is_plain_inline(markdown) {
        // No Markdown, HTML, entity or placeholder can be written with its characters:
        // every pass below would give it back as it is (most learnings are such).
        return markdown.to_string();
    }
    render_inline_passes(markdown, allow_html, placeholders)
}

/// [`render_inline`] through every pass.
fn render_inline_passes(markdown: &str, allow_html: bool, placeholders: Option<Fill<'_>>) -> String {
    let html = render_with_ids(
        markdown,
        &Options {
            allow_html,
            reserved_ids: &[],
            learnings: None,
            placeholders,
        },
        // A learning is shown among others on list pages: its ids are the user's.
        "user-content-",
    );
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Whether `text` is one line of ASCII letters and digits, kana, kanji, `、。「」（）`
/// and spaces between them: none of these starts Markdown syntax, HTML or an entity,
/// and none needs escaping. (A leading space could start a code block; spaces at
/// either end are trimmed by the paragraph.)
fn is_plain_inline(text: &str) -> bool {
    let plain = |c: char| {
        c.is_ascii_alphanumeric()
            || c == ' '
            || matches!(c as u32, 0x3001 | 0x3002 | 0x300C | 0x300D | 0x3041..=0x3096 | 0x30A1..=0x30FE | 0x4E00..=0x9FFF | 0xFF08 | 0xFF09)
    };
    !text.is_empty() && !text.starts_with(' ') && !text.ends_with(' ') && text.chars().all(plain)
}

/// Joins adjacent text events, so the passes below see whole runs of text. A run is
/// built in one growing buffer (joining pairs anew copied the run for every piece:
/// `a\*` × 300,000 is 600,000 text events), and in place, so a long document's
/// events are not held twice.
pub(super) fn merge_text(mut events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut kept = 0;
    // The run's text when it has more than one piece.
    let mut joined: Option<String> = None;
    for read in 0..events.len() {
        let (e, r) = std::mem::replace(&mut events[read], (Event::Rule, 0..0));
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&e, events[..kept].last_mut()) {
            joined.get_or_insert_with(|| prev.to_string()).push_str(t);
            prev_range.end = r.end;
            continue;
        }
        flush_joined(&mut events[..kept], &mut joined);
        events[kept] = (e, r);
        kept += 1;
    }
    flush_joined(&mut events[..kept], &mut joined);
    events.truncate(kept);
    events
}

/// Puts a joined run into the text event it grew from.
fn flush_joined(out: &mut [(Event<'_>, Range<usize>)], joined: &mut Option<String>) {
    if let (Some(text), Some((Event::Text(last), _))) = (joined.take(), out.last_mut()) {
        *last = CowStr::from(text);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_learnings_skip_only_passes_that_would_change_nothing(
            text in "[a-zA-Z0-9 、。「」（）かナ漢ー・*_#.1-]{0,16}",
            allow_html in proptest::bool::ANY,
        ) {
            if is_plain_inline(&text) {
                let fill = |_: &crate::content::placeholders::Placeholder| None;
                proptest::prop_assert_eq!(&text, &render_inline_passes(&text, allow_html, Some(&fill)));
            }
        }
    }

    #[test]
    fn text_that_markdown_reads_is_not_plain() {
        for text in [
            "    code",
            "1. item",
            "a  ",
            "",
            "**a**",
            "a&amp;",
            "[[score]]",
            "a\nb",
            "# h",
        ] {
            assert!(!is_plain_inline(text), "{text:?}");
        }
        assert!(is_plain_inline("SSO導入の効果は「三週間」遅れる。2人体制（仮）"));
    }

    pub(super) fn md(s: &str) -> String {
        render(
            s,
            &Options {
                allow_html: false,
                reserved_ids: &[],
                learnings: None,
                placeholders: None,
            },
        )
    }

    /// Every retrospective of the sample site, and the Markdown extensions, many times over.
    pub(super) fn long_markdown() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut md = String::from(
            "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ text[^1]\n\n[^1]: note\n\n```\n\ncode\n```\n\n    indented\n\n---\n\n> quote\n> - item\n\n",
        );
        for e in walkdir::WalkDir::new(root).sort_by_file_name() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "md") {
                md.push_str(&std::fs::read_to_string(e.path()).unwrap());
                md.push_str("\n\n");
            }
        }
        md.repeat(200_000 / md.len() + 2)
    }
}
