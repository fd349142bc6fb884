//! The bridge between quarters: what the previous review decided and left open (the
//! agenda of the next quarter's planning), and the Markdown serializer it is written
//! with, so no carried text can add structure to the new retrospective.

use pulldown_cmark::Event;

use crate::content::learnings::{LearningWalker, Walked};
use crate::content::placeholders::{Placeholder, filled_events};
use crate::model::Site;
use crate::render::theme;
use crate::render::views::Views;
use crate::score::SiteScores;

/// A section of the previous review whose list items are carried over.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CarriedSection {
    /// Its heading, as `[review] sections` names it.
    pub name: String,
    /// Its top-level list items as plain text, placeholders filled with that quarter's values.
    pub items: Vec<String>,
}

/// The decisions and open issues of the previous review: the list items under the
/// fourth and fifth of `[review] sections` (决定事项 and 未解決事項 by default) in the
/// retrospective of team-quarter `at`. Sections with no item are left out.
pub(super) fn carried_sections(site: &Site, scores: &SiteScores, at: (usize, usize)) -> Vec<CarriedSection> {
    let (qi, ti) = at;
    let Some(retro) = &site.quarters[qi].teams[ti].retro else {
        return Vec::new();
    };
    let strings = theme::strings(site.config.language);
    let views = Views::minimal(site, scores, &strings);
    let value = |p: &Placeholder| views.placeholder_value(qi, ti, p);
    site.config
        .review_sections
        .iter()
        .skip(3)
        .take(2)
        .map(|name| CarriedSection {
            name: name.clone(),
            items: items_under(&retro.body, name, &value),
        })
        .filter(|s| !s.items.is_empty())
        .collect()
}

/// The top-level list items under the level 2 or 3 heading `heading` (the rule of
/// learnings, [`LearningWalker`]), `#tag` tokens kept.
fn items_under(body: &str, heading: &str, value: &(dyn Fn(&Placeholder) -> Option<String> + Sync)) -> Vec<String> {
    let mut walker = LearningWalker::new(&[heading.to_string()]);
    filled_events(body, value)
        .filter_map(|(e, r): (Event<'_>, _)| match walker.step(&e, &r) {
            Walked::ItemEnd(item) if !item.written.is_empty() => Some(item.written),
            _ => None,
        })
        .collect()
}

/// `text` as Markdown that reads as that text and nothing more: one line, every
/// character that could start a heading, list, quote, code, link, emphasis, HTML,
/// table or placeholder escaped.
pub(super) fn markdown_text(text: &str) -> String {
    let line = crate::text::squash_whitespace(text);
    let mut out = String::with_capacity(line.len() + 8);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in line.char_indices() {
        let starts_block = i == 0 && matches!(c, '#' | '-' | '+' | '=' | '>');
        let ends_list_number = i == digits && digits > 0 && matches!(c, '.' | ')');
        let inline = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '&' | '|' | '~' | '{' | '}'
        );
        if starts_block || ends_list_number || inline {
            out.push('\\');
        }
        // Control characters (and U+FFFE…) would be kept by Markdown as they are.
        if c.is_control() {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::retro;

    #[test]
    fn carried_text_reads_as_itself_in_a_list_item() {
        let hostile = [
            "## 見出し",
            "- リスト",
            "1. 番号",
            "---",
            "> 引用",
            "`code` *強調* [link](x) <b>html</b> &amp; | a | ~~s~~",
            "[[score]] と \\[[grade]]",
            "\"quoted\": 'single' # not a comment",
            "二行目が\nある\r\nタイトル",
        ];
        for h in hostile {
            let md = format!("## 決定事項\n\n- {}\n", markdown_text(h));
            let items = items_under(&md, "決定事項", &|_| Some("VALUE".into()));
            assert_eq!(items, [crate::text::squash_whitespace(h)], "{h:?} → {md}");
            let found = retro::extract_learnings(&md, &["決定事項".into()]);
            assert_eq!(found.len(), 1, "one item, no structure: {md}");
        }
    }
}
