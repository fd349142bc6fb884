//! A team-quarter's review page: its OKRs with their charts, its retrospective,
//! and related learnings of other teams.

use tera::Context;

use super::figure;
use super::fragments::{Fragment, marker, splice};
use super::light::{LearningCard, Shown};
use super::page::{Page, PageError, finish_page};
use crate::files::OutputFile;
use crate::insight::related::{LearningTerms, Related};
use crate::render::charts::{self, Bar, Chart, KrDrawing};
use crate::render::markdown::{self, LearningMarks};
use crate::render::theme::Theme;
use crate::render::urls::{self, root_of};
use crate::render::views::{self, LearningView, Link, QuarterRef, TeamQuarterView, TeamRef, Views};

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
    let parts = sheet_parts(views, theme, qi, ti);
    let root = root_of(&view.url);
    let view = match theme.splices_fragments {
        true => marked_sheet(view, &parts, 0),
        false => filled_sheet(view, &parts, &root, "", false),
    };
    let value = tera::Value::from_serializable(&view);
    let overview = review_overview(views, theme, (qi, ti), &view);
    let page = review_page(views, theme, qi, &view, value, overview.as_ref(), related.to_vec());
    let mut file = finish_page(views, theme, page)?;
    if theme.splices_fragments {
        file.bytes = splice(&file.bytes, |_, f, out| parts.write_fragment(f, "", &root, out));
    }
    Ok(file)
}

/// A team-quarter's review page, showing its sheet: `view` is [`marked_sheet`]
/// (sheet 0 of the page; the page is to be finished with [`splice`] from the
/// sheet's parts, its ids without a prefix) or [`filled_sheet`], and `review` is it
/// as a Tera value (or [`sheet_ref`], when okrsite writes the sheet itself);
/// `overview` is the sheet's objective chart ([`review_overview`]) for the template.
pub fn review_page(
    v: &Views<'_>,
    theme: &Theme,
    qi: usize,
    view: &TeamQuarterView,
    review: tera::Value,
    overview: Option<&Chart>,
    related: Vec<&LearningView>,
) -> Page {
    let path = view.url.clone();
    let title = review_title(view);
    let mut data = Context::new();
    data.insert_value("review", review);
    data.insert("overview", &overview);
    let root = root_of(&path);
    let related: Vec<_> = (related.into_iter())
        .map(|l| Shown::of(theme.own_templates, l, |l| l, |l| LearningCard::new(l, &root)))
        .collect();
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

/// A review page's title, which its objective chart's title names too.
fn review_title(view: &TeamQuarterView) -> String {
    format!("{} — {}", view.team.name, view.quarter.label)
}

/// The sheet's objective chart on team-quarter `(qi, ti)`'s review page, whole when
/// okrsite writes the theme's figures ([`figure::whole`]).
pub fn review_overview(
    v: &Views<'_>,
    theme: &Theme,
    (qi, ti): (usize, usize),
    view: &TeamQuarterView,
) -> Option<Chart> {
    let overview = objective_scores_chart(v, qi, ti, view, &review_title(view));
    match theme.writes_figures {
        true => overview.map(|c| figure::whole(&c, theme.strings.get("chart_data"))),
        false => overview,
    }
}

/// What `review.html` and `quarter-print.html` read of a team-quarter whose sheet
/// okrsite writes itself ([`super::sheet`]): its links, and in `sheet` the marker
/// of sheet `sheet` of the page, which `review-sheet.html` prints in the sheet's place.
#[derive(serde::Serialize)]
struct SheetRef<'a> {
    team: &'a TeamRef,
    quarter: &'a QuarterRef,
    prev: Option<&'a Link>,
    next: Option<&'a Link>,
    sheet: String,
}

/// [`SheetRef`] of `view`, as a Tera value.
pub fn sheet_ref(view: &TeamQuarterView, sheet: usize) -> tera::Value {
    tera::Value::from_serializable(&SheetRef {
        team: &view.team,
        quarter: &view.quarter,
        prev: view.prev.as_ref(),
        next: view.next.as_ref(),
        sheet: marker(sheet, Fragment::Sheet),
    })
}

/// The costly parts of a team-quarter's sheet, made once for both pages that show
/// it (its review page and its quarter's booklet) and finished for each by
/// [`sheet`]: its KR charts drawn and its retrospective's body rendered, both
/// without the page's ids and way to the site root.
pub struct SheetParts {
    /// For each KR of the team-quarter in order: its chart (KRs measured from data).
    charts: Vec<Option<SheetChart>>,
    body: Option<markdown::Prepared>,
}

/// A KR's chart on a sheet.
struct SheetChart {
    /// The KR's anchor, which the chart's ids are made from.
    anchor: String,
    drawing: KrDrawing,
    /// What `chart.html` prints after the chart's SVGs (its notes and data table),
    /// when okrsite writes the chart's figure itself ([`Theme::writes_figures`]): the
    /// whole figure is then one fragment, [`Fragment::Figure`].
    after_svgs: Option<figure::AfterSvgs>,
}

/// Draws and renders what [`SheetParts`] holds, for pages rendered with `theme`.
pub fn sheet_parts(v: &Views<'_>, theme: &Theme, qi: usize, ti: usize) -> SheetParts {
    let figures = theme.splices_fragments && theme.writes_figures;
    let chart_data = theme.strings.get("chart_data");
    let charts = kr_drawings(v, qi, ti)
        .into_iter()
        .map(|chart| {
            chart.map(|(anchor, drawing)| SheetChart {
                after_svgs: figures.then(|| figure::after_svgs(drawing.without_svgs(), chart_data)),
                anchor,
                drawing,
            })
        })
        .collect();
    SheetParts {
        charts,
        body: prepare_retro_body(v, qi, ti),
    }
}

/// A team-quarter's view as its sheet (`review-sheet.html`) shows it: with its KR
/// charts and its retrospective's body (from `parts`), each standing in as a marker
/// for sheet `sheet` of the page ([`fragments::marker`]). The view does not depend
/// on the page: [`splice`] puts the page's own in after rendering, from
/// [`SheetParts::write_fragment`].
pub fn marked_sheet(mut view: TeamQuarterView, parts: &SheetParts, sheet: usize) -> TeamQuarterView {
    let view_krs = view.objectives.iter_mut().flat_map(|o| o.key_results.iter_mut());
    for (k, (kr, chart)) in view_krs.zip(&parts.charts).enumerate() {
        kr.chart = chart.as_ref().map(|c| {
            Box::new(match c.after_svgs {
                Some(_) => Chart {
                    figure: marker(sheet, Fragment::Figure(k)),
                    ..Chart::default()
                },
                None => {
                    (c.drawing).chart_standing_in(marker(sheet, Fragment::Wide(k)), marker(sheet, Fragment::Narrow(k)))
                }
            })
        });
    }
    if let (Some(_), Some(rv)) = (&parts.body, view.retro.as_mut()) {
        rv.html = marker(sheet, Fragment::Retro);
    }
    view
}

/// [`marked_sheet`] with the fragments themselves, for a theme whose templates read
/// them ([`Theme::splices_fragments`]): as a page whose way to the site root is
/// `root` shows them, every id with `id_prefix` in front.
/// In a booklet (`booklet`) a KR chart's narrow drawing is labelled on its own
/// ([`KrDrawing::booklet_chart`]).
pub fn filled_sheet(
    mut view: TeamQuarterView,
    parts: &SheetParts,
    root: &str,
    id_prefix: &str,
    booklet: bool,
) -> TeamQuarterView {
    let view_krs = view.objectives.iter_mut().flat_map(|o| o.key_results.iter_mut());
    for (kr, chart) in view_krs.zip(&parts.charts) {
        kr.chart = (chart.as_ref()).map(|c| {
            let id = views::kr_chart_id(id_prefix, &c.anchor);
            Box::new(match booklet {
                true => c.drawing.booklet_chart(&id),
                false => c.drawing.chart(&id),
            })
        });
    }
    if let (Some(body), Some(rv)) = (&parts.body, view.retro.as_mut()) {
        rv.html = body.finish(id_prefix, root);
    }
    view
}

impl SheetParts {
    /// Whether KR `k` of the team-quarter (in order) has a chart.
    pub fn has_chart(&self, k: usize) -> bool {
        matches!(self.charts.get(k), Some(Some(_)))
    }

    /// Appends the retrospective's body as a page whose way to the site root is
    /// `root` shows it, every id with `id_prefix` in front; false if it has none.
    pub fn write_retro(&self, id_prefix: &str, root: &str, out: &mut Vec<u8>) -> bool {
        match &self.body {
            Some(body) => {
                out.extend_from_slice(body.finish(id_prefix, root).as_bytes());
                true
            }
            None => false,
        }
    }

    /// Appends fragment `f` of the sheet ([`marked_sheet`]) as a page whose way to the
    /// site root is `root` shows it, every id with `id_prefix` in front.
    pub fn write_fragment(&self, f: Fragment, id_prefix: &str, root: &str, out: &mut Vec<u8>) {
        match f {
            Fragment::Wide(k) | Fragment::Narrow(k) => {
                if let Some(Some(c)) = self.charts.get(k) {
                    let narrow = matches!(f, Fragment::Narrow(_));
                    c.drawing
                        .write_svg(&views::kr_chart_id(id_prefix, &c.anchor), narrow, out);
                }
            }
            Fragment::Figure(k) => self.write_figure(k, id_prefix, false, out),
            Fragment::Retro => {
                self.write_retro(id_prefix, root, out);
            }
            // The page's own writer puts the whole sheet in ([`super::sheet`]).
            Fragment::Sheet => {}
        }
    }

    /// [`Self::write_fragment`] for a booklet page, whose `chart.html` prints a KR
    /// chart's figure with its narrow drawing and notes alone (what prints).
    pub fn write_booklet_fragment(&self, f: Fragment, id_prefix: &str, root: &str, out: &mut Vec<u8>) {
        match f {
            Fragment::Figure(k) => self.write_figure(k, id_prefix, true, out),
            Fragment::Narrow(k) => {
                if let Some(Some(c)) = self.charts.get(k) {
                    c.drawing
                        .write_narrow_alone(&views::kr_chart_id(id_prefix, &c.anchor), out);
                }
            }
            f => self.write_fragment(f, id_prefix, root, out),
        }
    }

    /// KR `k`'s whole figure ([`Fragment::Figure`]), as a booklet shows it or as
    /// every other page does.
    fn write_figure(&self, k: usize, id_prefix: &str, booklet: bool, out: &mut Vec<u8>) {
        let Some(Some(SheetChart {
            anchor,
            drawing,
            after_svgs: Some(after_svgs),
        })) = self.charts.get(k)
        else {
            return;
        };
        let id = views::kr_chart_id(id_prefix, anchor);
        out.extend_from_slice(figure::BEFORE_SVGS.as_bytes());
        if booklet {
            drawing.write_narrow_alone(&id, out);
            after_svgs.write_booklet(out);
        } else {
            drawing.write_svg(&id, false, out);
            drawing.write_svg(&id, true, out);
            out.extend_from_slice(after_svgs.page());
        }
    }
}

/// The trend chart of each KR of the team-quarter measured from data (only review
/// pages and booklets carry them), with the KR's anchor.
fn kr_drawings(v: &Views<'_>, qi: usize, ti: usize) -> Vec<Option<(String, KrDrawing)>> {
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
    model_krs
        .map(|(objective, (model, score))| {
            let drawing = crate::timings::measure("kr charts", || v.kr_drawing(q, model, score));
            drawing.map(|d| (urls::kr_anchor(objective, &model.id), d))
        })
        .collect()
}

/// The retrospective's body, its learnings marked and their tags linked, for
/// [`SheetParts`]: its ids and its links' way to the site root are put in by
/// [`markdown::Prepared::finish`] for each page.
fn prepare_retro_body(v: &Views<'_>, qi: usize, ti: usize) -> Option<markdown::Prepared> {
    let site = v.site;
    let tq = &site.quarters[qi].teams[ti];
    let r = tq.retro.as_ref()?;
    let reserved = views::reserved_ids(tq);
    // A tag as written in the body links to the page it is filed under (aliases).
    let aliases = crate::content::learnings::TagAliases::new(&site.config.tag_aliases);
    let tag_url = |tag: &str| format!("{}{}", markdown::root_marker(), urls::tag(aliases.file_under(tag)));
    let marks = LearningMarks {
        headings: &site.config.learning_headings,
        anchors: (r.learnings.iter()).map(|l| (l.offset, l.anchor())).collect(),
        tag_url: &tag_url,
    };
    let options = markdown::Options {
        allow_html: site.config.allow_html,
        reserved_ids: &reserved,
        learnings: Some(marks),
        placeholders: Some(&|p| v.placeholder_value(qi, ti, p)),
    };
    Some(markdown::prepare(&r.body, &options))
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
