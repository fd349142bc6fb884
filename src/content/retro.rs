//! Retrospectives: front matter, body, and the learnings extracted from it.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

use super::raw::RawFrontMatter;
use super::yaml::{self, Origin};
use crate::diag::{Diagnostic, Position};
use crate::text;

/// A retrospective split into front matter and body.
#[derive(Debug, Clone)]
pub struct ParsedRetro {
    pub front: RawFrontMatter,
    pub body: String,
    /// Lines above the body in the file.
    pub body_line_offset: usize,
}

/// Splits `---` front matter from the Markdown body and parses it. Line numbers in
/// front matter errors count from the top of the .md file.
pub fn parse(text: &str, file: &str) -> Result<ParsedRetro, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Ok(ParsedRetro {
            front: RawFrontMatter::default(),
            body: text.to_string(),
            body_line_offset: 0,
        });
    }
    let mut offset = first.len();
    let front_start = offset;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let front_text = &text[front_start..offset];
            let body = &text[offset + line.len()..];
            let origin = Origin {
                file,
                line_offset: 1,
                what: "the front matter",
            };
            let front = if front_text.trim().is_empty() {
                RawFrontMatter::default()
            } else {
                yaml::parse::<RawFrontMatter>(front_text, origin)?
            };
            return Ok(ParsedRetro {
                front,
                body: body.to_string(),
                body_line_offset: i + 2,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        Some(Position::new(1, 1)),
        "the front matter opened with `---` is never closed",
    )
    .with_help("end the front matter with a line holding only `---`"))
}

/// A learning as found in the Markdown, before it is tied to a team and quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundLearning {
    pub text: String,
    pub markdown: String,
    pub tags: Vec<String>,
    /// 1-based line in the body.
    pub line: usize,
    /// Byte offset of the item in the body, to mark it when rendering.
    pub offset: usize,
}

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

/// The top-level list items under any level 2 or 3 heading whose text matches
/// one of `headings` (case-insensitively, trimmed). The section runs until the
/// next heading of the same or a higher level.
pub fn extract_learnings(body: &str, headings: &[String]) -> Vec<FoundLearning> {
    let wanted: Vec<String> = headings.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut found = Vec::new();
    let mut section: Option<u8> = None;
    let mut heading: Option<(u8, String)> = None;
    let mut container_depth = 0usize; // lists and block quotes we are inside
    let mut item: Option<(usize, String)> = None; // (start offset, plain text so far)
    let mut pending_break = false;
    // Lines are counted from the previous learning on, not from the top for each one.
    let mut lines = LineCounter::default();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level_number(level), String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let matched = (level == 2 || level == 3) && wanted.contains(&text.trim().to_lowercase());
                    if matched {
                        section = Some(level);
                    } else if section.is_some_and(|s| level <= s) {
                        section = None;
                    }
                }
            }
            Event::Start(Tag::List(_)) | Event::Start(Tag::BlockQuote(_)) => {
                container_depth += 1;
                pending_break = true;
            }
            Event::End(TagEnd::List(_)) | Event::End(TagEnd::BlockQuote(_)) => {
                container_depth = container_depth.saturating_sub(1)
            }
            Event::Start(Tag::Item) if container_depth == 1 && section.is_some() => {
                item = Some((range.start, String::new()));
            }
            Event::End(TagEnd::Item) if container_depth == 1 => {
                if let Some((start, plain)) = item.take() {
                    let source = &body[start..range.end.max(start)];
                    let (text, tags) = split_tags(&plain);
                    if !text.is_empty() {
                        let markdown = strip_tags_from_markdown(strip_list_marker(source));
                        let line = lines.line_of(body, start);
                        found.push(FoundLearning {
                            text,
                            markdown,
                            tags,
                            line,
                            offset: start,
                        });
                    }
                }
                pending_break = false;
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some((_, plain)) = item.as_mut() {
                    if pending_break {
                        plain.push_str(text::soft_break(plain.chars().last(), t.chars().next()));
                        pending_break = false;
                    }
                    plain.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => pending_break = true,
            Event::End(TagEnd::Paragraph) => pending_break = true,
            _ => {}
        }
    }
    found
}

/// The 1-based line of byte offsets that only grow.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        if offset >= self.offset {
            self.newlines += memchr::memchr_iter(b'\n', &text.as_bytes()[self.offset..offset]).count();
            self.offset = offset;
        } else {
            // Offsets of items come in document order; count afresh if one does not.
            self.newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count();
            self.offset = offset;
        }
        self.newlines + 1
    }
}

/// Removes `#tag` tokens from plain text; returns the text and the tags in order,
/// each once (by [`tag_identity`]). A tag is `#` at the start or after white space,
/// followed by letters, digits, `_` or `-` of any script.
pub fn split_tags(plain: &str) -> (String, Vec<String>) {
    let mut tags: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = String::with_capacity(plain.len());
    let mut chars = plain.char_indices().peekable();
    let mut prev_is_space = true;
    while let Some((i, c)) = chars.next() {
        if c == '#' && prev_is_space {
            let rest = &plain[i + 1..];
            let len: usize = rest.chars().take_while(|&ch| is_tag_char(ch)).map(char::len_utf8).sum();
            if len > 0 {
                let tag = &rest[..len];
                if seen.insert(tag_identity(tag)) {
                    tags.push(tag.to_string());
                }
                while chars.peek().is_some_and(|&(j, _)| j < i + 1 + len) {
                    chars.next();
                }
                prev_is_space = false;
                continue;
            }
        }
        prev_is_space = c.is_whitespace();
        out.push(c);
    }
    (text::squash_whitespace(&out), tags)
}

/// What makes two tags the same tag: Unicode NFC (so a composed `é` and `e` +
/// U+0301 are one tag), then lower case, character by character (`#Pricing` and
/// `#pricing` are one tag; lower-casing is the case folding used: simple, and the
/// same in every context), then NFC again, as lower-casing can undo composition.
pub fn tag_identity(tag: &str) -> String {
    tag.nfc().flat_map(char::to_lowercase).nfc().collect()
}

/// Learnings show this many tags; a learning with more gets a warning, and only
/// this many of the front matter's tags are added to each learning (every one of
/// them lists the learning on its page, so more would cost tag pages × learnings).
pub const MAX_TAGS_PER_LEARNING: usize = 10;

/// A learning's tags: its own, then the front matter's (at most
/// [`MAX_TAGS_PER_LEARNING`] of those), each tag once by [`tag_identity`].
pub fn merge_tags(own: Vec<String>, front: &[String]) -> Vec<String> {
    let mut seen: HashSet<String> = own.iter().map(|t| tag_identity(t)).collect();
    let mut tags = own;
    for t in front.iter().take(MAX_TAGS_PER_LEARNING) {
        if seen.insert(tag_identity(t)) {
            tags.push(t.clone());
        }
    }
    tags
}

/// The warnings for a retrospective's learnings with more tags than their cards
/// show, and for front matter with more tags than each learning gets.
pub fn too_many_tags(learnings: &[crate::model::Learning], front_tags: &[String], file: &str) -> Vec<Diagnostic> {
    let max = MAX_TAGS_PER_LEARNING;
    let front = (front_tags.len() > max).then(|| {
        Diagnostic::warning(
            file,
            None,
            format!(
                "more than {max} tags in the front matter ({}): only the first {max} are added to each learning",
                front_tags.len()
            ),
        )
        .with_help(format!("keep the {max} tags that matter most"))
    });
    let each = learnings.iter().filter(|l| l.tags.len() > max).map(|l| {
        Diagnostic::warning(
            file,
            Some(Position::new(l.line, 1)),
            format!(
                "more than {max} tags on one learning ({}): its cards show the first {max}",
                l.tags.len()
            ),
        )
        .with_help(format!(
            "keep the {max} tags that matter most (the front matter's `tags` count too)"
        ))
    });
    front.into_iter().chain(each).collect()
}

/// Whether `c` may be part of a `#tag` token.
pub fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || is_mark(c)
}

/// Combining marks (accents, dakuten written separately, variation selectors, ZWJ)
/// belong to the tag they follow.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0x200D | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
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

    fn headings() -> Vec<String> {
        vec!["学び".into(), "Learnings".into()]
    }

    #[test]
    fn front_matter_lines_count_from_the_top_of_the_file() {
        let err = parse("---\ntitle: x\ntagz: [a]\n---\nbody\n", "r.md").unwrap_err();
        assert_eq!(err.position, Some(Position::new(3, 1)));
        assert!(err.message.contains("unknown key `tagz`"), "{}", err.message);
        let ok = parse("---\r\ntitle: x\r\n---\r\n## 学び\r\n", "r.md").unwrap();
        assert_eq!(ok.front.title.as_deref(), Some("x"));
        assert_eq!(ok.body_line_offset, 3);
        assert!(
            parse("---\ntitle: x\n", "r.md")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn learnings_are_top_level_items_under_matching_headings() {
        let body = "## 成果サマリ\n- not a learning\n\n## 学び\n- テンプレート体験が行動を誘発する #onboarding\n- 動画は60秒を超えると\n  離脱が増える #動画 #video\n  - nested detail\n\n### 詳細\n- still under 学び? no, a level-3 heading below level 2 stays inside\n\n## 決定事項\n- not a learning\n\n### learnings \n1. English heading, any case #en\n";
        let found = extract_learnings(body, &headings());
        let texts: Vec<&str> = found.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "テンプレート体験が行動を誘発する",
                "動画は60秒を超えると離脱が増える nested detail",
                "still under 学び? no, a level-3 heading below level 2 stays inside",
                "English heading, any case",
            ]
        );
        assert_eq!(found[0].tags, ["onboarding"]);
        assert_eq!(found[1].tags, ["動画", "video"]);
        assert_eq!(found[0].line, 5);
        assert_eq!(found[3].tags, ["en"]);
    }

    #[test]
    fn a_tag_is_kept_once_whatever_its_spelling() {
        let (_, tags) = split_tags("x #caf\u{e9} #CAFE\u{301} #Pricing #pricing");
        assert_eq!(tags, ["caf\u{e9}", "Pricing"]);
        assert_eq!(tag_identity("CAFE\u{301}"), "caf\u{e9}");
        let front: Vec<String> = (0..12).map(|i| format!("f{i}")).chain(["PRICING".into()]).collect();
        let merged = merge_tags(vec!["pricing".into(), "F1".into()], &front);
        assert_eq!(merged.len(), 2 + 9, "{merged:?}");
        assert!(!merged.contains(&"f10".to_string()) && !merged.contains(&"f1".to_string()));
    }

    #[test]
    fn tags_need_a_space_before_the_hash() {
        let (text, tags) = split_tags("C#で書く #価格 a#b #tag_1-x. #");
        assert_eq!(tags, ["価格", "tag_1-x"]);
        assert_eq!(text, "C#で書く a#b . #");
    }
}
