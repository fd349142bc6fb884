//! The review sections of a retrospective (`[review] sections`): a missing section, a
//! section with nothing under it, and a heading that looks like learnings but is not
//! read as learnings are warnings, so no part of a review is dropped silently.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::super::learnings::markdown_options;
use super::super::load::Loaded;
use super::super::retro::ParsedRetro;
use crate::config::Config;
use crate::diag::{Diagnostic, LineStarts, Position};
use crate::messages::Message;
use crate::{msg, terms};

/// A level 2 or 3 heading of the body.
struct Heading {
    level: usize,
    text: String,
    /// Byte offset in the body.
    offset: usize,
    /// Whether anything but other headings and comments follows it before the next heading.
    own_content: bool,
}

impl Heading {
    fn marks(&self) -> String {
        format!("{} {}", "#".repeat(self.level), self.text)
    }
}

/// Words that make a heading look like learnings (after NFKC and lower case).
const LEARNING_WORDS: [&str; 10] = [
    "学び",
    "学んだ",
    "気づき",
    "気付き",
    "教訓",
    "lesson",
    "learned",
    "learnt",
    "learnings",
    "takeaway",
];

/// Matching as learning headings match: trimmed, case-insensitive.
fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Where a retrospective's headings are in its file.
struct Place<'a> {
    l: &'a Loaded<ParsedRetro>,
    lines: LineStarts,
    body_start: usize,
}

impl Place<'_> {
    fn of(&self, h: &Heading) -> Position {
        self.lines.position(&self.l.text, self.body_start + h.offset)
    }

    /// The body's first line, for a warning about the whole retrospective.
    fn top(&self) -> Position {
        Position::new(self.l.raw.body_line_offset + 1, 1)
    }

    fn warning(&self, at: Position, message: Message, help: Message) -> Diagnostic {
        Diagnostic::warning(self.l.file.clone(), Some(at), message).with_help(help)
    }
}

/// The warnings about the review sections of one retrospective.
pub(super) fn check(l: &Loaded<ParsedRetro>, config: &Config) -> Vec<Diagnostic> {
    let headings = headings(&l.raw.body);
    let learning_keys: HashSet<String> = config.learning_headings.iter().map(|h| key(h)).collect();
    let place = Place {
        l,
        lines: LineStarts::new(&l.text),
        body_start: l.text.len() - l.raw.body.len(),
    };
    let learnings_like: Vec<&Heading> = headings
        .iter()
        .filter(|h| !learning_keys.contains(&key(&h.text)) && looks_like_learnings(&h.text))
        .collect();
    let mut out: Vec<Diagnostic> = learnings_like
        .iter()
        .map(|h| {
            let message = msg!("review.learnings_like", heading = h.marks());
            let suggested = learnings_heading_like(&h.text, &config.learning_headings);
            let help = msg!("review.learnings_like_help", suggested = suggested, text = &h.text);
            place.warning(place.of(h), message, help)
        })
        .collect();
    let sections: Vec<&str> = (config.review_sections.iter())
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    // A section that is a learnings heading stands for any learnings heading.
    let found: Vec<Option<usize>> = (sections.iter())
        .map(|s| {
            let is_learnings = learning_keys.contains(&key(s));
            (headings.iter())
                .position(|h| key(&h.text) == key(s) || (is_learnings && learning_keys.contains(&key(&h.text))))
        })
        .collect();
    if sections.len() > 1 && found.iter().all(Option::is_none) {
        let listed: Vec<String> = sections.iter().map(|s| format!("`## {s}`")).collect();
        let help = msg!("review.no_sections_help", headings = listed.join(", "));
        out.push(place.warning(place.top(), msg!("review.no_sections"), help));
        return out;
    }
    for (i, s) in sections.iter().enumerate() {
        match found[i] {
            Some(h) if nothing_under(&headings, h) => out.push(place.warning(
                place.of(&headings[h]),
                msg!("review.empty", section = *s),
                msg!("review.empty_help"),
            )),
            Some(_) => {}
            // The learnings-like heading stands for it: one warning is enough.
            None if !learnings_like.is_empty() && learning_keys.contains(&key(s)) => {}
            None => out.push(missing(&place, i, &sections, &found, &headings)),
        }
    }
    out
}

/// Whether nothing is written under heading `h`: no content of its own and no sub-heading.
fn nothing_under(headings: &[Heading], h: usize) -> bool {
    let sub_follows = headings.get(h + 1).is_some_and(|n| n.level > headings[h].level);
    !headings[h].own_content && !sub_follows
}

/// The warning for section `i` (missing), saying where it goes: above the next
/// section there is, else after the one before it.
fn missing(
    place: &Place<'_>,
    i: usize,
    sections: &[&str],
    found: &[Option<usize>],
    headings: &[Heading],
) -> Diagnostic {
    let s = sections[i];
    let after = found[i + 1..].iter().flatten().next().map(|&h| &headings[h]);
    let before = found[..i].iter().flatten().last().map(|&h| &headings[h]);
    let (at, help) = match (after, before) {
        (Some(next), _) => (
            place.of(next),
            msg!("review.missing_above", section = s, next = next.marks()),
        ),
        (None, Some(prev)) => (
            place.of(prev),
            msg!("review.missing_after", section = s, previous = prev.marks()),
        ),
        (None, None) => (place.top(), msg!("review.missing_add", section = s)),
    };
    place.warning(at, msg!("review.missing", section = s), help)
}

fn looks_like_learnings(text: &str) -> bool {
    let t = terms::normalize(text);
    LEARNING_WORDS.iter().any(|w| t.contains(w))
}

/// The learnings heading to suggest for `text`: one in the same script (Japanese or
/// not), else the first.
fn learnings_heading_like<'a>(text: &str, learning_headings: &'a [String]) -> &'a str {
    let japanese = text.chars().any(crate::text::is_cjk);
    learning_headings
        .iter()
        .find(|h| h.chars().any(crate::text::is_cjk) == japanese)
        .or(learning_headings.first())
        .map_or("学び", String::as_str)
}

/// The level 2 and 3 headings of a body, each with whether content follows it.
fn headings(body: &str) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    let mut heading: Option<Heading> = None;
    let mut html_block: Option<String> = None;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(Heading {
                    level: level_number(level),
                    text: String::new(),
                    offset: range.start,
                    own_content: false,
                })
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    if h.level == 2 || h.level == 3 {
                        out.push(Heading {
                            text: h.text.trim().to_string(),
                            ..h
                        });
                    } else if let Some(last) = out.last_mut() {
                        // A deeper heading is something written under the section.
                        last.own_content = true;
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::Html(t) if html_block.is_some() => html_block.get_or_insert_default().push_str(&t),
            Event::End(TagEnd::HtmlBlock) => {
                let html = html_block.take().unwrap_or_default();
                let html = html.trim();
                let comment = html.starts_with("<!--") && html.ends_with("-->");
                if let (false, Some(last)) = (comment, out.last_mut()) {
                    last.own_content = true;
                }
            }
            _ if heading.is_some() => {}
            _ => {
                if let Some(last) = out.last_mut() {
                    last.own_content = true;
                }
            }
        }
    }
    out
}

fn level_number(level: HeadingLevel) -> usize {
    level as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::retro;

    fn warnings(body: &str, config: &Config) -> Vec<(usize, String, String)> {
        let text = format!("---\ntitle: x\n---\n{body}");
        let loaded = Loaded {
            file: "r.md".into(),
            raw: retro::parse(&text, "r.md").unwrap(),
            text: text.into(),
        };
        check(&loaded, config)
            .into_iter()
            .map(|d| {
                let help = d.help.map(|h| h.to_string()).unwrap_or_default();
                (d.position.unwrap().line, d.message.to_string(), help)
            })
            .collect()
    }

    fn ja() -> Config {
        Config::with_title("T")
    }

    #[test]
    fn a_complete_review_has_no_warning() {
        let body = "## 成果サマリ\nok\n## KRごとの要因分析\n### KR1\nx\n## Learnings\n- a\n## 決定事項\n- b\n## 未解決事項\n<!-- c -->\n- c\n";
        assert_eq!(warnings(body, &ja()), []);
    }

    #[test]
    fn missing_and_empty_sections_say_where_to_write() {
        let body =
            "## 成果サマリ\n\n<!-- 後で書く -->\n\n## KRごとの要因分析\n### KR1\n## 学び\n- a\n## 未解決事項\n- c\n";
        let found = warnings(body, &ja());
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert_eq!(found[0].1, "review section `成果サマリ` has nothing under it");
        assert_eq!(found[1].0, 12);
        assert_eq!(found[1].1, "missing review section `決定事項`");
        assert_eq!(found[1].2, "add `## 決定事項` above `## 未解決事項`");
        let found = warnings("## 成果サマリ\nx\n## KRごとの要因分析\nx\n## 学び\n- a\n", &ja());
        assert_eq!(found[0].2, "add `## 決定事項` after the `## 学び` section");
        assert_eq!(found[1].2, "add `## 未解決事項` after the `## 学び` section");
    }

    #[test]
    fn a_learnings_like_heading_is_named_with_the_fix() {
        let body = "## 成果サマリ\nx\n## KRごとの要因分析\nx\n## 学んだこと\n- a\n## 決定事項\n- b\n## 未解決事項\n- c\n### Key takeaways\n- d\n";
        let found = warnings(body, &ja());
        assert_eq!(found.len(), 2, "one warning each, no missing 学び on top: {found:?}");
        assert_eq!(found[0].0, 8);
        assert_eq!(
            found[0].1,
            "`## 学んだこと` looks like a learnings heading, but its items are not read as learnings"
        );
        assert_eq!(
            found[0].2,
            "did you mean `学び`? Or add \"学んだこと\" to `headings` under `[learnings]` in okrsite.toml"
        );
        assert!(found[1].2.starts_with("did you mean `Learnings`?"), "{}", found[1].2);
    }

    #[test]
    fn no_section_at_all_is_one_warning() {
        let found = warnings("自由に書いた振り返り。\n", &ja());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 4);
        assert!(
            found[0].2.contains("`## 成果サマリ`, `## KRごとの要因分析`"),
            "{}",
            found[0].2
        );
    }
}
