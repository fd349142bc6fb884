//! The renderer's learning pass: anchors and tag links on the learning items that
//! [`LearningWalker`] finds.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::LearningMarks;
use crate::content::learnings::{self, LearningWalker, Walked};
use crate::text::escape_html;

/// Gives each learning item its anchor (marked with `marker`, see [`id_marker`])
/// and shows its tags as links instead of `#tag` text. Which items are learnings and
/// what their tags are is [`LearningWalker`]'s to say; this pass only writes the HTML.
/// Keeps its place from one group of blocks to the next.
pub(super) struct LearningPass<'m> {
    marks: &'m LearningMarks<'m>,
    marker: &'static str,
    walker: LearningWalker,
    /// Whether the learning item being walked has an anchor (is marked up).
    marking: bool,
}

impl<'m> LearningPass<'m> {
    pub(super) fn new(marks: &'m LearningMarks<'m>, marker: &'static str) -> Self {
        LearningPass {
            marks,
            marker,
            walker: LearningWalker::new(marks.headings),
            marking: false,
        }
    }

    pub(super) fn mark<'a>(&mut self, mut events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
        // One event in, one out: each is replaced where it is.
        for (e, r) in events.iter_mut() {
            match self.walker.step(e, r) {
                Walked::ItemStart(offset) => {
                    if let Some(anchor) = self.marks.anchors.get(&offset) {
                        self.marking = true;
                        let html = format!("<li id=\"{}{}\" class=\"learning\">", self.marker, escape_html(anchor));
                        *e = Event::Html(CowStr::from(html));
                    }
                }
                Walked::ItemText { prev_is_space } if self.marking => {
                    if let Event::Text(t) = e
                        && let Some(kept) = learnings::strip_tag_tokens(t, prev_is_space)
                    {
                        *t = CowStr::from(kept);
                    }
                }
                Walked::ItemEnd(item) if self.marking => {
                    self.marking = false;
                    *e = Event::Html(CowStr::from(learning_end(&item.tags, self.marks)));
                }
                _ => {}
            }
        }
        events
    }
}

/// The end of a learning item: its tags as links, then `</li>`.
fn learning_end(tags: &[String], marks: &LearningMarks<'_>) -> String {
    let mut html = String::new();
    if !tags.is_empty() {
        html.push_str(" <span class=\"tags\">");
        for t in tags {
            html.push_str(&format!(
                // The `rel` ammonia gives every link, so a retrospective ammonia would give
                // back as it is need not be sanitised ([`super::own_html`]).
                "<a class=\"tag\" href=\"{}\" rel=\"noopener noreferrer\">#{}</a> ",
                escape_html(&(marks.tag_url)(t)),
                escape_html(t)
            ));
        }
        html.truncate(html.trim_end().len());
        html.push_str("</span>");
    }
    html.push_str("</li>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::super::{LearningMarks, Options, render};
    use crate::content::retro;

    #[test]
    fn learnings_get_anchors_and_tag_links() {
        let body = "## 学び\n- 価格は先に見せる #pricing #価格\n- 二つ目\n";
        let headings = ["学び".to_string()];
        let found = retro::extract_learnings(body, &headings);
        let anchors = found
            .iter()
            .enumerate()
            .map(|(i, f)| (f.offset, format!("learning-{}", i + 1)))
            .collect();
        let tag_url = |t: &str| format!("../tags/{t}/index.html");
        let marks = LearningMarks {
            headings: &headings,
            anchors,
            tag_url: &tag_url,
        };
        let html = render(
            body,
            &Options {
                allow_html: false,
                reserved_ids: &[],
                learnings: Some(marks),
                placeholders: None,
            },
        );
        assert!(
            html.contains("<li id=\"learning-1\" class=\"learning\">価格は先に見せる <span class=\"tags\">"),
            "{html}"
        );
        assert!(html.contains("href=\"../tags/pricing/index.html\""), "{html}");
        assert!(html.contains(">#価格</a>"), "{html}");
        assert!(!html.contains("#pricing #"), "{html}");
        assert!(
            html.contains("<li id=\"learning-2\" class=\"learning\">二つ目</li>"),
            "{html}"
        );
    }

    #[test]
    fn rendered_tags_are_the_tags_the_loader_reads() {
        let body = "## 学び\n- a #x\n  - b #X\n- **b**#y c\n";
        let headings = ["学び".to_string()];
        let found = retro::extract_learnings(body, &headings);
        assert_eq!(found[0].tags, ["x"]);
        assert!(found[1].tags.is_empty(), "{:?}", found[1]);
        let anchors = found.iter().map(|f| (f.offset, format!("l{}", f.line))).collect();
        let tag_url = |t: &str| format!("t/{t}");
        let marks = LearningMarks {
            headings: &headings,
            anchors,
            tag_url: &tag_url,
        };
        let opts = Options {
            allow_html: false,
            reserved_ids: &[],
            learnings: Some(marks),
            placeholders: None,
        };
        let html = render(body, &opts);
        assert_eq!(html.matches("class=\"tag\"").count(), 1, "{html}");
        assert!(html.contains("<strong>b</strong>#y c"), "{html}");
    }
}
