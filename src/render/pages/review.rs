//! A team-quarter's review page: its OKRs with their charts, its retrospective,
//! and related learnings of other teams.

use tera::Context;

use super::page::{Page, PageError, finish_page};
use crate::files::OutputFile;
use crate::insight::related::{LearningTerms, Related};
use crate::render::charts::{self, Bar, Chart};
use crate::render::markdown::{self, LearningMarks};
use crate::render::theme::Theme;
use crate::render::urls::{self, root_of};
use crate::render::views::{self, LearningView, TeamQuarterView, Views};

/// Learnings of other teams related to each retrospective's ([`crate::insight::related`]).
pub fn related_learnings(v: &Views<'_>) -> Related {
    let learnings: Vec<LearningTerms<'_>> = v
        .learnings
        .iter()
        .map(|l| LearningTerms {
            text: &l.text,
            tags: l.all_tags.iter().map(|t| t.url.as_str()).collect(),
            quarter: &l.quarter.id,
            team: &l.team.id,
        })
        .collect();
    crate::insight::related::related(&learnings)
}

/// Renders one team-quarter's review page on its own, from a view and its related
/// learnings: how `serve` shows an edited retrospective without a full rebuild.
pub fn render_review(
    views: &Views<'_>,
    theme: &Theme,
    (qi, ti): (usize, usize),
    view: TeamQuarterView,
    related: &[&LearningView],
) -> Result<OutputFile, PageError> {
    finish_page(views, theme, review_page(views, qi, ti, view, related.to_vec()))
}

pub fn review_page(v: &Views<'_>, qi: usize, ti: usize, view: TeamQuarterView, related: Vec<&LearningView>) -> Page {
    let path = view.url.clone();
    let view = sheet(v, qi, ti, view, &root_of(&path), "");
    let title = format!("{} — {}", view.team.name, view.quarter.label);
    let overview = objective_scores_chart(v, qi, ti, &view, &title);
    let mut data = Context::new();
    data.insert("review", &view);
    data.insert("overview", &overview);
    data.insert("related", &related);
    Page {
        path,
        template: "review.html",
        title,
        nav: "quarters",
        data,
        as_of: super::page::running(v, qi),
    }
}

/// A team-quarter's view as its sheet (`review-sheet.html`) shows it: with its KR
/// charts and its retrospective's body, on a page whose way to the site root is
/// `root`, every id with `id_prefix` in front.
pub fn sheet(
    v: &Views<'_>,
    qi: usize,
    ti: usize,
    mut view: TeamQuarterView,
    root: &str,
    id_prefix: &str,
) -> TeamQuarterView {
    attach_kr_charts(v, qi, ti, &mut view, id_prefix);
    render_retro_body(v, qi, ti, root, id_prefix, &mut view);
    view
}

/// Gives each KR of the view measured from data its trend chart (only review pages
/// and booklets carry them).
fn attach_kr_charts(v: &Views<'_>, qi: usize, ti: usize, view: &mut TeamQuarterView, id_prefix: &str) {
    let q = &v.site.quarters[qi];
    let model_krs = q.teams[ti]
        .okrs
        .iter()
        .flat_map(|o| o.objectives.iter())
        .zip(&v.scores.quarters[qi][ti].objectives)
        .flat_map(|(o, os)| {
            o.key_results
                .iter()
                .zip(&os.key_results)
                .map(move |kr| (o.id.as_str(), kr))
        });
    let view_krs = view.objectives.iter_mut().flat_map(|o| o.key_results.iter_mut());
    for (kr, (objective, (model, score))) in view_krs.zip(model_krs) {
        kr.chart = crate::timings::measure("kr charts", || v.kr_chart(q, objective, model, score, id_prefix));
    }
}

/// Renders the retrospective's body into the view, its learnings marked and their
/// tags linked (relative to the page, whose way to the site root is `root`), its
/// ids with `id_prefix` in front.
fn render_retro_body(v: &Views<'_>, qi: usize, ti: usize, root: &str, id_prefix: &str, view: &mut TeamQuarterView) {
    let site = v.site;
    let tq = &site.quarters[qi].teams[ti];
    let (Some(r), Some(rv)) = (&tq.retro, view.retro.as_mut()) else {
        return;
    };
    let reserved = views::reserved_ids(tq);
    // A tag as written in the body links to the page it is filed under (aliases).
    let aliases = crate::content::learnings::TagAliases::new(&site.config.tag_aliases);
    let tag_url = |tag: &str| format!("{root}{}", urls::tag(aliases.file_under(tag)));
    let marks = LearningMarks {
        headings: &site.config.learning_headings,
        anchors: (r.learnings.iter())
            .map(|l| (l.offset, format!("{id_prefix}{}", l.anchor())))
            .collect(),
        tag_url: &tag_url,
    };
    let options = markdown::Options {
        allow_html: site.config.allow_html,
        reserved_ids: &reserved,
        learnings: Some(marks),
        placeholders: Some(&|p| v.placeholder_value(qi, ti, p)),
    };
    rv.html = markdown::render_with_ids(&r.body, &options, id_prefix);
}

/// The bar chart of the team-quarter's objective scores, if it has objectives.
fn objective_scores_chart(v: &Views<'_>, qi: usize, ti: usize, view: &TeamQuarterView, title: &str) -> Option<Chart> {
    let bars: Vec<Bar> = view
        .objectives
        .iter()
        .zip(v.scores.quarters[qi][ti].objectives.iter())
        .map(|(o, os)| Bar {
            label: o.title.clone(),
            score: os.score,
        })
        .collect();
    (!bars.is_empty()).then(|| {
        let chart_title = format!("{} — {}", v.t.get("objective_scores"), title);
        // A running quarter's scores are outlooks: no grade colours.
        let running = v.site.quarters[qi].status == crate::model::QuarterStatus::InProgress;
        charts::bars_chart_outlook(
            "chart-objectives",
            &chart_title,
            &bars,
            running.then(|| v.t.get("grade_outlook")),
            v.site.config.scoring,
            &v.labels,
        )
    })
}
