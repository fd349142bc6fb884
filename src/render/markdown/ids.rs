//! Ids in rendered Markdown: heading ids that keep Japanese, unique against the
//! page's own ids, and the marker that tells okrsite's ids from raw HTML's.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// A heading id that keeps Japanese (and any script): lowercase, spaces become
/// `-`, punctuation is dropped. `section` when nothing is left.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if crate::text::is_alphanumeric(c) || c == '_' {
            id.push(c);
        } else if (c.is_whitespace() || c == '-') && !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "section".to_string() } else { id }
}

/// Put in front of every id okrsite writes before sanitising, so that afterwards the
/// ids of raw HTML can be told from okrsite's: random, so no content can forge it,
/// and always removed, so the output does not depend on it.
pub(super) fn id_marker() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| format!("okrsite{}-", random_hex()))
}

/// Stands for a page's way to the site root in the links okrsite writes into a
/// document ([`super::LearningMarks::tag_url`]) until [`super::Prepared::finish`]
/// puts the page's in its place. Random like [`id_marker`], so no content can forge
/// it; and neither marker can hold the other (`r` after `okrsite` is no hex digit,
/// and hex digits hold no `okrsite`).
pub fn root_marker() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| format!("okrsiteroot{}/", random_hex()))
}

/// 128 random bits as 32 hex digits.
pub fn random_hex() -> String {
    use std::hash::{BuildHasher, RandomState};
    let (a, b) = (RandomState::new().hash_one(1u8), RandomState::new().hash_one(2u8));
    format!("{a:016x}{b:016x}")
}

/// Puts `mark` ([`id_marker`]) in front of the ids of headings
/// and footnotes.
pub(super) fn mark_own_ids<'a>(events: Vec<(Event<'a>, Range<usize>)>, mark: &str) -> Vec<(Event<'a>, Range<usize>)> {
    let marked = |id: &str| CowStr::from(format!("{mark}{id}"));
    events
        .into_iter()
        .map(|(e, r)| {
            let e = match e {
                Event::Start(Tag::Heading {
                    level,
                    id: Some(id),
                    classes,
                    attrs,
                }) => Event::Start(Tag::Heading {
                    level,
                    id: Some(marked(&id)),
                    classes,
                    attrs,
                }),
                Event::FootnoteReference(label) => Event::FootnoteReference(marked(&label)),
                Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(marked(&label))),
                other => other,
            };
            (e, r)
        })
        .collect()
}

/// In sanitised HTML (where every `<` opens a tag and every attribute is written
/// `name="value"`, with no `"` inside the value), puts `id_prefix` in place of the
/// marker of okrsite's ids and links to them, and `user-content-` in front of every
/// other id.
pub(super) fn settle_ids(html: &str, marker: &str, id_prefix: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let (mut copied, mut in_tag, mut i) = (0, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'"' if in_tag => {
                let start = i + 1;
                let end = html[start..].find('"').map_or(html.len(), |n| start + n);
                let before = &html[..i];
                let before = before.strip_suffix('=').unwrap_or(before);
                let name = &before[before.rfind(|c: char| c.is_ascii_whitespace()).map_or(0, |p| p + 1)..];
                let value = &html[start..end];
                let settled = match name {
                    "id" => Some(match value.strip_prefix(marker) {
                        Some(own) => format!("{id_prefix}{own}"),
                        None => format!("user-content-{value}"),
                    }),
                    "href" => value
                        .strip_prefix('#')
                        .and_then(|v| v.strip_prefix(marker))
                        .map(|own| format!("#{id_prefix}{own}")),
                    _ => None,
                };
                if let Some(v) = settled {
                    out.push_str(&html[copied..start]);
                    out.push_str(&v);
                    copied = end;
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&html[copied.min(html.len())..]);
    out
}

/// Gives every heading a unique id and makes written heading ids (`{#id}`) and
/// footnote ids unique too: none can be a reserved id (a learning's anchor…). Keeps
/// the ids used so far, for the groups of blocks that follow.
pub(super) struct HeadingIds<'a> {
    used: HashSet<String>,
    footnotes: HashMap<String, CowStr<'a>>,
}

impl<'a> HeadingIds<'a> {
    pub(super) fn new(reserved: &[String]) -> Self {
        HeadingIds {
            used: reserved.iter().cloned().collect(),
            footnotes: HashMap::new(),
        }
    }

    /// A group of whole blocks, with its ids assigned.
    pub(super) fn assign(&mut self, mut events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
        let (used, footnotes) = (&mut self.used, &mut self.footnotes);
        let mut i = 0;
        while i < events.len() {
            match &mut events[i].0 {
                Event::Start(Tag::Heading { id: Some(given), .. }) => *given = CowStr::from(unique_id(given, used)),
                Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                    let id = footnotes
                        .entry(label.to_string())
                        .or_insert_with(|| CowStr::from(unique_id(label, used)));
                    *label = id.clone();
                }
                _ => {}
            }
            if let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 {
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let base = heading_id(&text);
                let mut id = base.clone();
                let mut n = 1;
                while used.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                used.insert(id.clone());
                if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                    *slot = Some(CowStr::from(id));
                }
            }
            i += 1;
        }
        events
    }
}

/// `base`, or `base-1`, `base-2`… if taken; taken from now on.
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::super::tests::md;
    use super::super::{Options, render, render_inline};
    use super::*;

    #[test]
    fn heading_ids_keep_japanese_and_stay_unique() {
        assert_eq!(heading_id("KRごとの要因分析"), "krごとの要因分析");
        assert_eq!(heading_id("  Lessons learned! "), "lessons-learned");
        assert_eq!(heading_id("！？"), "section");
        let html = md("## 学び\n\n## 学び\n");
        assert!(
            html.contains("<h2 id=\"学び\">") && html.contains("<h2 id=\"学び-1\">"),
            "{html}"
        );
        let reserved = ["学び".to_string()];
        let html = render(
            "## 学び",
            &Options {
                allow_html: false,
                reserved_ids: &reserved,
                learnings: None,
                placeholders: None,
            },
        );
        assert!(html.contains("id=\"学び-1\""), "{html}");
    }

    #[test]
    fn ids_from_raw_html_get_a_prefix_and_text_is_untouched() {
        let html = md(
            "<div id=\"learning-1\" title=\"a>b id=&quot;x&quot;\">raw</div>\n\ntext id=\"learning-1\" here\n\n## 見出し {#learning-1}\n",
        );
        assert!(
            html.contains("<div id=\"user-content-learning-1\" title=\"a&gt;b id=&quot;x&quot;\">"),
            "{html}"
        );
        assert!(html.contains("text id=\"learning-1\" here"), "{html}");
        assert!(html.contains("<h2 id=\"learning-1\">"), "nothing reserved here: {html}");
        assert!(!html.contains("okrsite"), "no marker is left: {html}");
        let inline = render_inline("x[^n]\n\n<div id=\"a\">y</div>\n\n[^n]: note", false, None);
        assert!(
            inline.contains("href=\"#user-content-n\"") && inline.contains("id=\"user-content-n\""),
            "{inline}"
        );
        assert!(inline.contains("<div id=\"user-content-a\">"), "{inline}");
    }

    /// One document prepared once and finished for two pages, as a team-quarter's
    /// sheet is for its review page and its booklet.
    fn finished_twice(allow_html: bool) -> [String; 2] {
        use super::super::{LearningMarks, prepare};
        let body = "## 学び\n- 価格は先に見せる #pricing\n\n本文[^n] okrsiteroot okrsite-x\n\n\
                    <div id=\"a\"><a href=\"#a\">raw</a> <a href=\"okrsite/x\">y</a></div>\n\n[^n]: 注\n";
        let headings = ["学び".to_string()];
        let found = crate::content::retro::extract_learnings(body, &headings);
        let tag_url = |t: &str| format!("{}tags/{t}/index.html", root_marker());
        let options = Options {
            allow_html,
            reserved_ids: &[],
            learnings: Some(LearningMarks {
                headings: &headings,
                anchors: found.iter().map(|f| (f.offset, "learning-1".to_string())).collect(),
                tag_url: &tag_url,
            }),
            placeholders: None,
        };
        let prepared = prepare(body, &options);
        [prepared.finish("", "../../../"), prepared.finish("team.", "../../")]
    }

    #[test]
    fn a_prepared_document_gets_each_pages_prefix_and_root_where_okrsite_put_them() {
        for allow_html in [false, true] {
            let [review, booklet] = finished_twice(allow_html);
            for html in [&review, &booklet] {
                assert!(!html.contains(id_marker()) && !html.contains(root_marker()), "{html}");
                assert!(html.contains("okrsiteroot okrsite-x"), "text stays: {html}");
                assert!(html.contains("href=\"okrsite/x\""), "{html}");
            }
            assert!(review.contains("<h2 id=\"学び\">"), "{review}");
            assert!(booklet.contains("<h2 id=\"team.学び\">"), "{booklet}");
            assert!(review.contains("<li id=\"learning-1\" class=\"learning\">"), "{review}");
            assert!(
                booklet.contains("<li id=\"team.learning-1\" class=\"learning\">"),
                "{booklet}"
            );
            assert!(review.contains("href=\"../../../tags/pricing/index.html\""), "{review}");
            assert!(booklet.contains("href=\"../../tags/pricing/index.html\""), "{booklet}");
            assert!(
                review.contains("href=\"#n\"") && review.contains("id=\"n\""),
                "{review}"
            );
            assert!(
                booklet.contains("href=\"#team.n\"") && booklet.contains("id=\"team.n\""),
                "{booklet}"
            );
            // Raw HTML's ids and links are the user's on both pages: never prefixed.
            let raw_id = if allow_html {
                "id=\"a\""
            } else {
                "id=\"user-content-a\""
            };
            for html in [&review, &booklet] {
                assert!(html.contains(raw_id) && html.contains("href=\"#a\""), "{html}");
            }
            // Nothing else differs.
            let unprefixed = booklet.replace("team.", "").replace("\"../../tags", "\"../../../tags");
            assert_eq!(unprefixed, review, "allow_html {allow_html}");
        }
    }

    #[test]
    fn the_markers_cannot_hold_each_other() {
        let (id, root) = (id_marker(), root_marker());
        assert!(!id.contains(root) && !root.contains(id), "{id} {root}");
        assert_ne!(id, root);
    }
}
