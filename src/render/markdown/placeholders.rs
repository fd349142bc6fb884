//! The renderer's placeholder pass: puts computed values in place of `[[score]]`,
//! `[[grade OBJ]]`, `[[current OBJ/KR]]` (what a placeholder is, and where one counts,
//! is [`crate::content::placeholders`]'s to say).
//!
//! Whether a placeholder is written as it is (not escaped) shows only in the text
//! events before they are merged, while heading ids are made from the merged text
//! as written. So the runs are found first ([`PlaceholderPass::find`]) and filled
//! after the ids are given ([`Filled::apply`]): ids do not change with the values.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use crate::content::placeholders::{Fill, RunFinder};

pub(super) struct PlaceholderPass<'f> {
    finder: RunFinder<'f>,
    fill: Fill<'f>,
}

/// The runs of text of a group with a value put in: the run's first source offset →
/// (its text as written, its text filled).
pub(super) struct Filled(HashMap<usize, (String, String)>);

impl<'f> PlaceholderPass<'f> {
    /// A pass over `source`, or `None` when it has nothing written like a placeholder.
    pub(super) fn new(source: &'f str, fill: Fill<'f>) -> Option<Self> {
        memchr::memmem::find(source.as_bytes(), b"[[")?;
        Some(PlaceholderPass {
            finder: RunFinder::new(source),
            fill,
        })
    }

    /// The runs of a group's events (before they are merged) that get a value.
    pub(super) fn find(&mut self, events: &[(Event<'_>, Range<usize>)]) -> Filled {
        let mut filled = HashMap::new();
        let mut runs: Vec<_> = events.iter().filter_map(|(e, r)| self.finder.push(e, r)).collect();
        runs.extend(self.finder.finish());
        for run in runs {
            if let Some(text) = run.filled(self.fill) {
                filled.insert(run.range.start, (run.text, text));
            }
        }
        Filled(filled)
    }
}

impl Filled {
    /// Puts the values into the merged text events of the group.
    pub(super) fn apply<'a>(&self, mut events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
        if self.0.is_empty() {
            return events;
        }
        for (e, r) in events.iter_mut() {
            if let Event::Text(t) = e
                && let Some((written, filled)) = self.0.get(&r.start)
                && **t == **written
            {
                *t = CowStr::from(filled.clone());
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use crate::content::placeholders::{Kind, Placeholder, Target};
    use crate::render::markdown::{Options, render, sections};

    fn value(p: &Placeholder) -> Option<String> {
        match (&p.kind, &p.target) {
            (Kind::Score, Target::TeamQuarter) => Some("0.72".into()),
            (Kind::Current, _) => Some("61 <%>".into()),
            _ => None,
        }
    }

    fn html(md: &str) -> String {
        render(
            md,
            &Options {
                allow_html: false,
                reserved_ids: &[],
                learnings: None,
                placeholders: Some(&value),
            },
        )
    }

    #[test]
    fn values_replace_placeholders_in_text_only() {
        let out = html(
            "## 成果サマリ [[score]]\n\n全体 **[[score]]**、現在 [[current o/k]]、`[[score]]`、\\[[score]]、[[grade]]\n\n```\n[[score]]\n```\n",
        );
        assert!(
            out.contains("<h2 id=\"成果サマリ-score\">成果サマリ 0.72</h2>"),
            "{out}"
        );
        assert!(
            out.contains("全体 <strong>0.72</strong>、現在 61 &lt;%&gt;、<code>[[score]]</code>、[[score]]、[[grade]]"),
            "{out}"
        );
        assert!(out.contains("<pre><code>[[score]]\n</code></pre>"), "{out}");
    }

    #[test]
    fn search_sections_read_the_values_too() {
        let found = sections("## 成果サマリ\n全体は[[score]]。\n", &[], Some(&value), &[]);
        assert_eq!(found[0].text, "全体は0.72。");
    }
}
