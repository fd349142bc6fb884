//! The search page, and the documents its index is built from.

use std::borrow::Cow;

use tera::Context;

use super::page::Page;
use crate::content::placeholders::Placeholder;
use crate::render::markdown;
use crate::render::search::SearchDoc;
use crate::render::views::{self, Views};

/// The documents search finds, in rank order: learnings newest first, then the
/// sections of retrospectives, newest quarter first.
pub fn search_documents<'v>(v: &'v Views<'_>) -> Vec<SearchDoc<'v>> {
    let mut docs: Vec<SearchDoc<'v>> = v
        .learnings
        .iter()
        .map(|l| SearchDoc {
            kind: "learning",
            title: Cow::Borrowed(""),
            text: Cow::Borrowed(&l.text),
            url: Cow::Borrowed(&l.url),
            team: Cow::Borrowed(&l.team.id),
            team_name: Cow::Borrowed(&l.team.name),
            quarter: Cow::Borrowed(&l.quarter.id),
            quarter_label: Cow::Borrowed(&l.quarter.label),
            tags: l.all_tags.iter().map(|t| Cow::Borrowed(t.name.as_str())).collect(),
        })
        .collect();
    for (qi, q) in v.site.quarters.iter().enumerate().rev() {
        for (ti, tq) in q.teams.iter().enumerate() {
            let Some(r) = &tq.retro else { continue };
            let tqv = &v.team_quarters[qi][ti];
            let value = |p: &Placeholder| v.placeholder_value(qi, ti, p);
            for section in markdown::sections(
                &r.body,
                &views::reserved_ids(tq),
                Some(&value),
                &v.site.config.learning_headings,
            ) {
                docs.push(SearchDoc {
                    kind: "section",
                    title: Cow::Owned(format!("{} › {}", r.title, section.title)),
                    text: Cow::Owned(section.text),
                    url: Cow::Owned(format!("{}#{}", tqv.url, section.id)),
                    team: Cow::Borrowed(&tq.team),
                    team_name: Cow::Borrowed(&tqv.team.name),
                    quarter: Cow::Borrowed(&tqv.quarter.id),
                    quarter_label: Cow::Borrowed(&tqv.quarter.label),
                    tags: r.tags.iter().map(|t| Cow::Borrowed(t.as_str())).collect(),
                });
            }
        }
    }
    docs
}

/// The search page: its script loads the index, starting from `manifest`
/// (`search/meta.<hash>.js`, relative to the site root), which the page names (`data-index`).
pub fn search_page(v: &Views<'_>, manifest: &str) -> Page {
    let mut data = Context::new();
    data.insert("search_manifest", manifest);
    Page {
        as_of: false,
        path: "search/index.html".into(),
        template: "search.html",
        title: v.t.get("search_title").into(),
        nav: "search",
        data,
    }
}
