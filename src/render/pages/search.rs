//! The search page, and the documents its index is built from.

use tera::Context;

use super::page::Page;
use crate::content::placeholders::Placeholder;
use crate::render::markdown;
use crate::render::search::SearchDoc;
use crate::render::views::{self, Views};

/// The documents search finds, in rank order: learnings newest first, then the
/// sections of retrospectives, newest quarter first.
pub fn search_documents(v: &Views<'_>) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = v
        .learnings
        .iter()
        .map(|l| SearchDoc {
            kind: "learning",
            title: String::new(),
            text: l.text.clone(),
            url: l.url.clone(),
            team: l.team.id.to_string(),
            team_name: l.team.name.clone(),
            quarter: l.quarter.id.clone(),
            quarter_label: l.quarter.label.clone(),
            tags: l.all_tags.iter().map(|t| t.name.clone()).collect(),
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
                    title: format!("{} › {}", r.title, section.title),
                    text: section.text,
                    url: format!("{}#{}", tqv.url, section.id),
                    team: tq.team.to_string(),
                    team_name: tqv.team.name.clone(),
                    quarter: q.quarter.to_string(),
                    quarter_label: tqv.quarter.label.clone(),
                    tags: r.tags.clone(),
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
