//! The one rule for learnings in a retrospective's Markdown: which headings hold
//! them, what a learning item is, and how its `#tags` are read. The loader
//! ([`super::retro::extract_learnings`]) and the renderer's learning pass both walk
//! the Markdown events with [`LearningWalker`]; the renderer only decides the HTML.

use std::collections::BTreeMap;

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

use crate::{terms, text};

/// The Markdown extensions okrsite reads retrospectives with (loader and renderer).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A learning list item, as the walker found it when it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct WalkedItem {
    /// Byte range of the item in the body.
    pub range: Range<usize>,
    /// Its plain text, `#tag` tokens removed, white space squashed.
    pub text: String,
    /// Its tags in order, each once (by [`tag_identity`]).
    pub tags: Vec<String>,
    /// Its plain text as written, `#tag` tokens kept, white space squashed.
    pub written: String,
}

/// What an event means for learnings.
#[derive(Debug, Clone, PartialEq)]
pub enum Walked {
    /// Nothing learnings care about.
    Nothing,
    /// A learning item starts at this byte offset.
    ItemStart(usize),
    /// A text event inside a learning item (nested lists included). Its `#tag`
    /// tokens are read with [`strip_tag_tokens`], `prev_is_space` telling whether
    /// the item's text before it ends with white space (or is empty).
    ItemText { prev_is_space: bool },
    /// The learning item that started at the last [`Walked::ItemStart`] ends.
    ItemEnd(WalkedItem),
}

/// The item being walked: where it starts, its plain text so far.
struct OpenItem {
    start: usize,
    plain: String,
}

/// Walks the Markdown events of a body, a learning item at a time: the top-level
/// list items under any level 2 or 3 heading whose text matches one of the learning
/// headings (case-insensitively, trimmed). The section runs until the next heading
/// of the same or a higher level. Keeps its state from one event to the next, so
/// events may come a group at a time.
pub struct LearningWalker {
    wanted: Vec<String>,
    section: Option<u8>,
    heading: Option<(u8, String)>,
    /// Lists and block quotes we are inside.
    container_depth: usize,
    item: Option<OpenItem>,
    pending_break: bool,
}

impl LearningWalker {
    pub fn new(headings: &[String]) -> Self {
        LearningWalker {
            wanted: headings.iter().map(|h| h.trim().to_lowercase()).collect(),
            section: None,
            heading: None,
            container_depth: 0,
            item: None,
            pending_break: false,
        }
    }

    /// Takes the next event (with its byte range in the body).
    pub fn step(&mut self, event: &Event<'_>, range: &Range<usize>) -> Walked {
        match event {
            Event::Start(Tag::Heading { level, .. }) => self.heading = Some((level_number(*level), String::new())),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::List(_)) | Event::Start(Tag::BlockQuote(_)) => {
                self.container_depth += 1;
                self.pending_break = true;
            }
            Event::End(TagEnd::List(_)) | Event::End(TagEnd::BlockQuote(_)) => {
                self.container_depth = self.container_depth.saturating_sub(1)
            }
            Event::Start(Tag::Item) if self.container_depth == 1 && self.section.is_some() => {
                self.item = Some(OpenItem {
                    start: range.start,
                    plain: String::new(),
                });
                return Walked::ItemStart(range.start);
            }
            Event::End(TagEnd::Item) if self.container_depth == 1 => {
                self.pending_break = false;
                if let Some(item) = self.item.take() {
                    let (text, tags) = split_tags(&item.plain);
                    return Walked::ItemEnd(WalkedItem {
                        range: item.start..range.end.max(item.start),
                        text,
                        tags,
                        written: text::squash_whitespace(&item.plain),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some((_, h)) = self.heading.as_mut() {
                    h.push_str(t);
                } else if let Some(prev_is_space) = self.push_item_text(t)
                    && matches!(event, Event::Text(_))
                {
                    return Walked::ItemText { prev_is_space };
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => self.pending_break = true,
            _ => {}
        }
        Walked::Nothing
    }

    /// At the end of a heading: a matching one opens a learnings section, any other
    /// of the same or a higher level closes it.
    fn end_heading(&mut self) {
        if let Some((level, text)) = self.heading.take() {
            let matched = (level == 2 || level == 3) && self.wanted.contains(&text.trim().to_lowercase());
            if matched {
                self.section = Some(level);
            } else if self.section.is_some_and(|s| level <= s) {
                self.section = None;
            }
        }
    }

    /// Adds text to the open item (after a pending break); whether the item's text
    /// before it ended with white space. `None` outside an item.
    fn push_item_text(&mut self, t: &str) -> Option<bool> {
        let plain = &mut self.item.as_mut()?.plain;
        if self.pending_break {
            plain.push_str(text::soft_break(plain.chars().last(), t.chars().next()));
            self.pending_break = false;
        }
        let prev_is_space = plain.chars().last().is_none_or(char::is_whitespace);
        plain.push_str(t);
        Some(prev_is_space)
    }
}

/// Removes `#tag` tokens from plain text; returns the text and the tags in order,
/// each once (by [`tag_identity`]). A tag is `#` at the start or after white space,
/// followed by letters, digits, `_` or `-` of any script.
pub fn split_tags(plain: &str) -> (String, Vec<String>) {
    let mut tags: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let out = remove_tag_tokens(plain, true, |tag| {
        if seen.insert(tag_identity(tag)) {
            tags.push(tag.to_string());
        }
    });
    (text::squash_whitespace(&out), tags)
}

/// A run of text of a learning item with its `#tag` tokens removed and its end
/// trimmed, or `None` when it has none. `prev_is_space`: whether the text before
/// the run ends with white space (see [`Walked::ItemText`]).
pub fn strip_tag_tokens(run: &str, prev_is_space: bool) -> Option<String> {
    let mut found = false;
    let out = remove_tag_tokens(run, prev_is_space, |_| found = true);
    found.then(|| out.trim_end().to_string())
}

/// `text` without its tag tokens, each given to `tag` in order. The text between
/// tags is copied a run at a time: most learnings hold no `#` at all.
fn remove_tag_tokens(text: &str, prev_is_space: bool, mut tag: impl FnMut(&str)) -> String {
    let mut out = String::with_capacity(text.len());
    // `text[..copied]` is done. (A tag ends before the next `#`: no tag char is one.)
    let mut copied = 0;
    for i in memchr::memchr_iter(b'#', text.as_bytes()) {
        let space_before = text[..i].chars().next_back().map_or(prev_is_space, char::is_whitespace);
        if !space_before {
            continue;
        }
        let rest = &text[i + 1..];
        let len: usize = rest.chars().take_while(|&ch| is_tag_char(ch)).map(char::len_utf8).sum();
        if len > 0 {
            tag(&rest[..len]);
            out.push_str(&text[copied..i]);
            copied = i + 1 + len;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// What makes two tags the same tag, before aliases: Unicode NFKC, then lower case
/// ([`terms::normalize`], the search index's own rule, so a tag filter of the search
/// page and a tag page agree on what one tag is). NFKC rather than NFC: it does all
/// NFC does (a composed `が` and `か` + U+3099 are one tag) and also folds the forms
/// a Japanese keyboard types by the way, full-width `Ｐｒｉｃｉｎｇ` and half-width
/// `ｶｲｹﾞﾝ`. Lower-casing is the case folding used: simple, the same in every context.
pub fn tag_identity(tag: &str) -> String {
    terms::normalize(tag)
}

/// `[tags] aliases` ready to look up: an alias is found whatever its spelling (by
/// [`tag_identity`]); its target is filed as written in the config. One step only:
/// a target that is itself an alias is not followed further.
#[derive(Debug, Clone, Default)]
pub struct TagAliases {
    /// An alias's identity → its target as written.
    targets: HashMap<String, String>,
}

impl TagAliases {
    /// From `Config.tag_aliases`. Two aliases of one identity (`"Price"` and
    /// `"price"`): the first in the config's key order wins, so the result is stable.
    pub fn new(aliases: &BTreeMap<String, String>) -> Self {
        let mut targets = HashMap::new();
        for (alias, target) in aliases {
            targets.entry(tag_identity(alias)).or_insert_with(|| target.clone());
        }
        TagAliases { targets }
    }

    /// The tag `tag` is filed under: an alias's target as written, else `tag` itself.
    pub fn file_under<'a>(&'a self, tag: &'a str) -> &'a str {
        if self.targets.is_empty() {
            return tag;
        }
        self.targets.get(&tag_identity(tag)).map_or(tag, String::as_str)
    }

    /// What makes two tags the same tag: [`tag_identity`] after the aliases.
    pub fn identity(&self, tag: &str) -> String {
        tag_identity(self.file_under(tag))
    }
}

/// Each tag's one spelling across the site: the first seen (in file order) of the
/// spellings it is filed under ([`TagAliases::file_under`]). With `価格 = "pricing"`,
/// `#価格` offers `pricing` (the target as the config writes it) and `#Pricing`
/// offers `Pricing`, so the page is named by whichever comes first. A name keeps
/// its case and width as written, composed (NFC).
#[derive(Debug, Default)]
pub struct TagNames {
    aliases: TagAliases,
    /// Identity → the spelling that names it.
    names: HashMap<String, String>,
}

impl TagNames {
    pub fn new(aliases: &BTreeMap<String, String>) -> Self {
        TagNames {
            aliases: TagAliases::new(aliases),
            names: HashMap::new(),
        }
    }

    /// `tags` in their site-wide spellings, in order, each tag once: `#価格 #pricing`
    /// on one learning is one tag.
    pub fn canonical(&mut self, tags: &[String]) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut out = Vec::with_capacity(tags.len());
        for tag in tags {
            let offered = self.aliases.file_under(tag);
            let identity = tag_identity(offered);
            if seen.insert(identity.clone()) {
                // Composed (NFC), so a name looks and links the same however it was typed.
                out.push(
                    self.names
                        .entry(identity)
                        .or_insert_with(|| offered.nfc().collect())
                        .clone(),
                );
            }
        }
        out
    }
}

/// Whether `c` may be part of a `#tag` token.
pub fn is_tag_char(c: char) -> bool {
    crate::text::is_alphanumeric(c) || c == '_' || c == '-' || is_mark(c)
}

/// Combining marks (accents, dakuten written separately, variation selectors, ZWJ)
/// belong to the tag they follow.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0x200D | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

/// A learning item's Markdown source as a learning's own Markdown: without its
/// list marker and its tags, and without lines left empty.
pub fn item_markdown(source: &str) -> String {
    strip_tags_from_markdown(strip_list_marker(source))
}

fn strip_list_marker(item: &str) -> &str {
    let s = item.trim_start();
    if let Some(rest) = s.strip_prefix(['-', '*', '+']) {
        return rest.trim_start_matches([' ', '\t']);
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && s[digits..].starts_with(['.', ')']) {
        return s[digits + 1..].trim_start_matches([' ', '\t']);
    }
    s
}

fn strip_tags_from_markdown(md: &str) -> String {
    let lines: Vec<String> = md
        .lines()
        .map(|line| {
            let (text, _) = split_tags(line);
            text
        })
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tag removal a character at a time, as it was written first: the reference
    /// for the run-copying [`remove_tag_tokens`].
    fn remove_tags_by_char(text: &str, mut prev_is_space: bool, tags: &mut Vec<String>) -> String {
        let mut out = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let len =
                |rest: &str| -> usize { rest.chars().take_while(|&ch| is_tag_char(ch)).map(char::len_utf8).sum() };
            let len = if c == '#' && prev_is_space {
                len(&text[i + 1..])
            } else {
                0
            };
            if len > 0 {
                tags.push(text[i + 1..i + 1 + len].to_string());
                while chars.peek().is_some_and(|&(j, _)| j < i + 1 + len) {
                    chars.next();
                }
                prev_is_space = false;
                continue;
            }
            prev_is_space = c.is_whitespace();
            out.push(c);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn tags_are_removed_as_a_character_at_a_time_would(
            text in "[#a\\- \u{3000}\u{3099}価格_\n]{0,24}",
            prev in proptest::bool::ANY,
        ) {
            let (mut want_tags, mut got_tags) = (Vec::new(), Vec::new());
            let want = remove_tags_by_char(&text, prev, &mut want_tags);
            let got = remove_tag_tokens(&text, prev, |t| got_tags.push(t.to_string()));
            proptest::prop_assert_eq!((got, got_tags), (want, want_tags));
        }
    }

    #[test]
    fn a_tag_is_kept_once_whatever_its_spelling() {
        let (_, tags) = split_tags("x #caf\u{e9} #CAFE\u{301} #Pricing #pricing");
        assert_eq!(tags, ["caf\u{e9}", "Pricing"]);
        assert_eq!(tag_identity("CAFE\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn tags_need_a_space_before_the_hash() {
        let (text, tags) = split_tags("C#で書く #価格 a#b #tag_1-x. #");
        assert_eq!(tags, ["価格", "tag_1-x"]);
        assert_eq!(text, "C#で書く a#b . #");
    }

    #[test]
    fn a_run_is_stripped_in_the_context_of_the_text_before_it() {
        assert_eq!(strip_tag_tokens("価格 #pricing #価格", true).as_deref(), Some("価格"));
        assert_eq!(strip_tag_tokens("#x y", true).as_deref(), Some(" y"));
        assert_eq!(strip_tag_tokens("#x y", false), None);
        assert_eq!(strip_tag_tokens("no tags ", true), None);
    }

    fn aliases(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(a, t)| (a.to_string(), t.to_string())).collect()
    }

    #[test]
    fn nfc_nfkc_and_case_make_one_identity() {
        // が precomposed (U+304C) and decomposed (か U+304B + U+3099).
        assert_eq!(tag_identity("\u{304c}"), tag_identity("\u{304b}\u{3099}"));
        assert_eq!(tag_identity("Pricing"), "pricing");
        assert_eq!(tag_identity("PRICING"), "pricing");
        // Full-width letters and half-width kana fold (NFKC).
        assert_eq!(
            tag_identity("\u{ff30}\u{ff52}\u{ff49}\u{ff43}\u{ff49}\u{ff4e}\u{ff47}"),
            "pricing"
        );
        assert_eq!(tag_identity("\u{ff76}\u{ff9e}"), "\u{30ac}");
        assert_ne!(tag_identity("pricing"), tag_identity("price"));
    }

    #[test]
    fn three_spellings_take_the_first_spelling_filed() {
        // The alias comes first: the page is named by the target as the config writes it.
        let mut names = TagNames::new(&aliases(&[("価格", "pricing")]));
        assert_eq!(names.canonical(&["価格".into()]), ["pricing"]);
        assert_eq!(names.canonical(&["Pricing".into(), "#x".into()]), ["pricing", "#x"]);
        assert_eq!(
            names.canonical(&["pricing".into(), "価格".into(), "PRICING".into()]),
            ["pricing"]
        );
        // The target itself comes first, in its own spelling: that spelling names it.
        let mut names = TagNames::new(&aliases(&[("価格", "pricing")]));
        assert_eq!(names.canonical(&["Pricing".into()]), ["Pricing"]);
        assert_eq!(names.canonical(&["価格".into(), "pricing".into()]), ["Pricing"]);
        // A name is composed: a decomposed が names the tag as が.
        assert_eq!(
            names.canonical(&["\u{304b}\u{3099}".into(), "\u{304c}".into()]),
            ["\u{304c}"]
        );
    }

    #[test]
    fn an_alias_key_is_found_whatever_its_case_or_form() {
        let a = TagAliases::new(&aliases(&[("Price", "pricing"), ("カ\u{3099}イド", "guide")]));
        assert_eq!(a.file_under("price"), "pricing");
        assert_eq!(a.file_under("PRICE"), "pricing");
        assert_eq!(
            a.file_under("\u{30ac}イド"),
            "guide",
            "a composed ガ finds a decomposed key"
        );
        assert_eq!(a.file_under("prices"), "prices");
        assert_eq!(a.identity("PRICE"), a.identity("Pricing"));
        // One step only: a target that is also an alias is filed as written.
        let chain = TagAliases::new(&aliases(&[("a", "b"), ("b", "c")]));
        assert_eq!(chain.file_under("a"), "b");
    }
}
