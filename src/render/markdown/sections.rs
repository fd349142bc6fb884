//! Splitting a document into sections at level 2 and 3 headings, for search.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::ids::HeadingIds;
use super::placeholders::PlaceholderPass;
use super::{Fill, groups, merge_text};
use crate::content::learnings::{LearningWalker, Walked};
use crate::text;

/// A section of a document: a level 2 or 3 heading and the plain text below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading's id, the same `render` gives it with the same reserved ids.
    pub id: String,
    pub title: String,
    pub text: String,
}

/// Splits a document into sections at level 2 and 3 headings, for search.
///
/// A group of top-level blocks at a time, as [`render`]. A break's text depends on the
/// next text, which may be many groups on: breaks after Japanese text wait in
/// [`SectionsBuilder::pending`] until it comes.
/// Placeholders get their values from `placeholders`, as on the page. The learning
/// items (under `learning_headings`, as [`LearningWalker`] finds them) are left out:
/// each learning is a search document of its own, so a query finds it once, as that
/// learning (with its tags), not again as a part of its section; the section keeps its
/// heading and any other text under it.
pub fn sections(
    markdown: &str,
    reserved_ids: &[String],
    placeholders: Option<Fill<'_>>,
    learning_headings: &[String],
) -> Vec<Section> {
    let mut ids = HeadingIds::new(reserved_ids);
    let mut pass = placeholders.and_then(|fill| PlaceholderPass::new(markdown, fill));
    let mut walker = LearningWalker::new(learning_headings);
    // Inside a learning item: left out of the section's text (see above).
    let mut in_learning = false;
    let mut b = SectionsBuilder::default();
    for group in groups(markdown) {
        let filled = pass.as_mut().map(|p| p.find(&group.events));
        let events = ids.assign(merge_text(group.events));
        let events = match &filled {
            Some(filled) => filled.apply(events),
            None => events,
        };
        for (e, r) in events {
            match walker.step(&e, &r) {
                Walked::ItemStart(_) => in_learning = true,
                // Still an item's end, so the text around it never runs together.
                Walked::ItemEnd(_) => {
                    in_learning = false;
                    b.event(e);
                }
                _ if !in_learning => b.event(e),
                _ => {}
            }
        }
    }
    b.resolve(None);
    let mut out = b.out;
    for s in &mut out {
        s.text = squash_keeping_items(&s.text);
    }
    out
}

/// What ends a list item or a table cell in a section's text.
pub const ITEM_BREAK: char = '\n';

/// White space squashed to one space, except that a run holding an [`ITEM_BREAK`]
/// becomes one; trimmed at both ends.
fn squash_keeping_items(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap: Option<char> = None;
    for c in s.chars() {
        if c.is_whitespace() {
            if c == ITEM_BREAK {
                gap = Some(ITEM_BREAK);
            } else if gap.is_none() {
                gap = Some(' ');
            }
            continue;
        }
        if let Some(g) = gap.take()
            && !out.is_empty()
        {
            out.push(g);
        }
        out.push(c);
    }
    out
}

#[derive(Default)]
struct SectionsBuilder {
    out: Vec<Section>,
    /// (level 2/3, id, text)
    in_heading: Option<(bool, String, String)>,
    last_char: Option<char>,
    /// Breaks after Japanese text, as (section, byte offset in its text): nothing if
    /// the next text starts with Japanese, else a space.
    pending: Vec<(usize, usize)>,
}

impl SectionsBuilder {
    fn event(&mut self, e: Event<'_>) {
        match e {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let major = matches!(level, HeadingLevel::H2 | HeadingLevel::H3);
                self.in_heading = Some((major, id.as_deref().unwrap_or("").to_string(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((major, id, title)) = self.in_heading.take() {
                    if major {
                        self.out.push(Section {
                            id,
                            title: title.trim().to_string(),
                            text: String::new(),
                        });
                    } else if let Some(s) = self.out.last_mut() {
                        s.text.push_str(title.trim());
                        s.text.push(' ');
                    }
                }
            }
            Event::Text(t) => {
                if let Some(first) = t.chars().next() {
                    self.resolve(Some(first));
                }
                self.push_text(&t);
            }
            Event::Code(t) => self.push_text(&t),
            // List items and table cells end with a line break (kept by
            // [`squash_keeping_items`]), whatever their language: search cuts no term
            // across one, and a query (split at white space) can never contain one, so
            // two learnings never run together into one phrase (or one bigram).
            Event::End(TagEnd::Item | TagEnd::TableCell) => {
                if let Some(s) = self.out.last_mut() {
                    s.text.push(ITEM_BREAK);
                }
                self.last_char = Some(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                let last = self.out.len().checked_sub(1);
                if let (Some(i), Some(s)) = (last, self.out.last_mut()) {
                    match self.last_char {
                        Some(c) if text::is_cjk(c) => self.pending.push((i, s.text.len())),
                        _ => s.text.push_str(text::soft_break(self.last_char, None)),
                    }
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, t: &str) {
        if let Some((_, _, title)) = self.in_heading.as_mut() {
            title.push_str(t);
        } else if let Some(s) = self.out.last_mut() {
            s.text.push_str(t);
        }
        self.last_char = t.chars().last();
    }

    /// Puts in the pending breaks, now that the next text is known to start with `next`.
    fn resolve(&mut self, next: Option<char>) {
        let fill = text::soft_break(Some('あ'), next);
        let pending = std::mem::take(&mut self.pending);
        if fill.is_empty() {
            return;
        }
        // A section's text is rebuilt from its first pending break on: what was written
        // after that is copied once, so this stays linear.
        let mut k = 0;
        while k < pending.len() {
            let (section, from) = pending[k];
            let text = &mut self.out[section].text;
            let tail = text.split_off(from);
            let mut copied = 0;
            while k < pending.len() && pending[k].0 == section {
                let at = pending[k].1 - from;
                text.push_str(&tail[copied..at]);
                text.push_str(fill);
                copied = at;
                k += 1;
            }
            text.push_str(&tail[copied..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learning_items_are_left_out_of_their_section_and_other_text_stays() {
        let headings = ["学び".to_string(), "Learnings".to_string()];
        let md = "## 学び\n前置き\n\n- 効果は遅れて出る #SSO #中規模\n- 遅れて効く施策は過小に見える #目標設計\n\n後書き\n\n## Learnings\n- Measure first #performance\n  - nested detail\n- Ask #1 question\n";
        let found = sections(md, &[], None, &headings);
        assert_eq!(found[0].title, "学び");
        assert_eq!(found[0].text, "前置き\n後書き");
        assert_eq!(found[1].title, "Learnings");
        assert_eq!(found[1].text, "");
        // Outside the learning headings, a list is text as written, `#` included.
        let other = sections("## Notes\n- Ask #1 question #x\n- 二つ目\n", &[], None, &headings);
        assert_eq!(other[0].text, "Ask #1 question #x\n二つ目");
    }

    #[test]
    fn items_and_cells_end_with_a_line_break_and_other_white_space_is_one_space() {
        let md = "## 気づき\n\n- 顧客は価格 #価格\n- 改善は遅れて効く\n\n## 表\n\n| a  b | 価格 |\n| --- | --- |\n| 改善 | c |\n\n段落の\n続き\n";
        let found = sections(md, &[], None, &["学び".to_string()]);
        assert_eq!(found[0].text, "顧客は価格 #価格\n改善は遅れて効く");
        assert!(!found[1].text.contains("価格改善"), "{:?}", found[1].text);
        assert!(found[1].text.starts_with("a b\n価格\n"), "{:?}", found[1].text);
        assert_eq!(squash_keeping_items("  a \t b \n\n c  "), "a b\nc");
    }
}
