//! Retrospectives: front matter, body, and the learnings extracted from it.

use std::collections::HashSet;

use pulldown_cmark::Parser;

use super::learnings::{LearningWalker, Walked, item_markdown};
pub use super::learnings::{is_tag_char, markdown_options, split_tags, tag_identity};
use super::placeholders::{self, Fill};
use super::raw::RawFrontMatter;
use super::shapes::FRONT_MATTER;
use super::yaml::{self, Origin};
use crate::diag::{Diagnostic, Position};
use crate::msg;

/// A retrospective split into front matter and body.
#[derive(Debug, Clone)]
pub struct ParsedRetro {
    pub front: RawFrontMatter,
    pub body: String,
    /// Lines above the body in the file.
    pub body_line_offset: usize,
}

/// Splits `---` front matter from the Markdown body and parses it, with every
/// problem of the front matter. Line numbers in front matter errors count from the
/// top of the .md file.
pub fn parse(text: &str, file: &str) -> Result<ParsedRetro, Vec<Diagnostic>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() == "+++" {
        return Err(vec![
            Diagnostic::error(file, Some(Position::new(1, 1)), msg!("retro.toml_front_matter"))
                .with_help(msg!("retro.toml_front_matter_help")),
        ]);
    }
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
                what: || crate::msg!("yaml.what.front_matter"),
            };
            let front = if front_text.trim().is_empty() {
                RawFrontMatter::default()
            } else {
                yaml::read::<RawFrontMatter>(front_text, origin, &FRONT_MATTER).into_result()?
            };
            return Ok(ParsedRetro {
                front,
                body: body.to_string(),
                body_line_offset: i + 2,
            });
        }
        offset += line.len();
    }
    Err(vec![
        Diagnostic::error(file, Some(Position::new(1, 1)), crate::msg!("retro.unclosed"))
            .with_help(crate::msg!("retro.unclosed_help")),
    ])
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

/// The top-level list items under any level 2 or 3 heading whose text matches
/// one of `headings` (case-insensitively, trimmed), as [`LearningWalker`] finds them.
pub fn extract_learnings(body: &str, headings: &[String]) -> Vec<FoundLearning> {
    learnings_of(
        body,
        headings,
        Parser::new_ext(body, markdown_options()).into_offset_iter(),
    )
}

/// [`extract_learnings`], with the values of the body's placeholders in each learning's
/// text (`markdown` stays as written): what pages, search and feeds show.
pub fn extract_learnings_filled(body: &str, headings: &[String], values: Fill<'_>) -> Vec<FoundLearning> {
    learnings_of(body, headings, placeholders::filled_events(body, values))
}

fn learnings_of<'a>(
    body: &'a str,
    headings: &[String],
    events: impl Iterator<Item = (pulldown_cmark::Event<'a>, std::ops::Range<usize>)>,
) -> Vec<FoundLearning> {
    let mut walker = LearningWalker::new(headings);
    let mut found = Vec::new();
    // Lines are counted from the previous learning on, not from the top for each one.
    let mut lines = LineCounter::default();
    for (event, range) in events {
        let Walked::ItemEnd(item) = walker.step(&event, &range) else {
            continue;
        };
        if !item.text.is_empty() {
            let start = item.range.start;
            found.push(FoundLearning {
                text: item.text,
                markdown: item_markdown(&body[item.range]),
                tags: item.tags,
                line: lines.line_of(body, start),
                offset: start,
            });
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
            crate::msg!("retro.front_tags", max = max, count = front_tags.len()),
        )
        .with_help(crate::msg!("retro.front_tags_help", max = max))
    });
    let each = learnings.iter().filter(|l| l.tags.len() > max).map(|l| {
        Diagnostic::warning(
            file,
            Some(Position::new(l.line, 1)),
            crate::msg!("retro.learning_tags", max = max, count = l.tags.len()),
        )
        .with_help(crate::msg!("retro.learning_tags_help", max = max))
    });
    front.into_iter().chain(each).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings() -> Vec<String> {
        vec!["学び".into(), "Learnings".into()]
    }

    #[test]
    fn front_matter_lines_count_from_the_top_of_the_file() {
        let errs = parse("---\ntitle: x\ntagz: [a]\ndraft: no\n---\nbody\n", "r.md").unwrap_err();
        // Every problem of the front matter, each at its line.
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[1].position, Some(Position::new(4, 8)));
        let err = &errs[0];
        assert_eq!(err.position, Some(Position::new(3, 1)));
        assert!(
            err.message.to_string().contains("unknown key `tagz`"),
            "{}",
            err.message
        );
        let ok = parse("---\r\ntitle: x\r\n---\r\n## 学び\r\n", "r.md").unwrap();
        assert_eq!(ok.front.title.as_deref(), Some("x"));
        assert_eq!(ok.body_line_offset, 3);
        assert!(
            parse("---\ntitle: x\n", "r.md").unwrap_err()[0]
                .message
                .to_string()
                .contains("never closed")
        );
    }

    #[test]
    fn toml_front_matter_is_an_error_at_its_first_line() {
        let errs = parse("+++\ntitle = \"x\"\n+++\n## 学び\n", "r.md").unwrap_err();
        let [err] = errs.as_slice() else { panic!("{errs:?}") };
        assert_eq!(err.position, Some(Position::new(1, 1)));
        assert!(
            err.message.to_string().contains("`+++` (TOML) front matter"),
            "{}",
            err.message
        );
        assert!(err.help.as_ref().unwrap().to_string().contains("`---`"));
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
    fn filled_learnings_read_the_values_outside_code() {
        let body = "## 学び\n- 全体は[[score]]で `[[score]]` と書く #tag\n- 二つ目\n";
        let value = |_: &placeholders::Placeholder| Some("0.72".to_string());
        let found = extract_learnings_filled(body, &headings(), &value);
        assert_eq!(found[0].text, "全体は0.72で [[score]] と書く");
        assert_eq!(found[0].tags, ["tag"]);
        assert_eq!(found[0].markdown, "全体は[[score]]で `[[score]]` と書く");
        let plain = extract_learnings(body, &headings());
        assert_eq!(plain[1], found[1]);
        assert_eq!(plain[0].offset, found[0].offset);
    }

    #[test]
    fn front_tags_are_merged_once_each_and_at_most_ten() {
        let front: Vec<String> = (0..12).map(|i| format!("f{i}")).chain(["PRICING".into()]).collect();
        let merged = merge_tags(vec!["pricing".into(), "F1".into()], &front);
        assert_eq!(merged.len(), 2 + 9, "{merged:?}");
        assert!(!merged.contains(&"f10".to_string()) && !merged.contains(&"f1".to_string()));
    }
}
