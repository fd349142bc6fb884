//! Plans every HTML page and renders it with the theme's templates (in parallel).

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::OutputFile;
use super::charts::{self, Bar, Chart};
use super::format;
use super::markdown::{self, LearningMarks};
use super::theme::{Theme, error_chain};
use super::urls::{self, paged_path, root_of};
use super::views::{self, LearningView, Link, QuarterRef, TagRef, TeamQuarterView, TeamRef, Views, light};
use crate::content::retro;
use crate::insight::{self, alignment::ObjectiveAt};
use crate::model::KrData;
use crate::score;

/// The documents search finds, in rank order: learnings newest first, then the
/// sections of retrospectives, newest quarter first.
pub fn search_documents(v: &Views<'_>) -> Vec<super::search::SearchDoc> {
    use super::search::SearchDoc;
    let mut docs: Vec<SearchDoc> = v
        .learnings
        .iter()
        .map(|l| SearchDoc {
            kind: "learning",
            title: String::new(),
            text: l.text.clone(),
            url: l.url.clone(),
            team: l.team.id.clone(),
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
            for section in markdown::sections(&r.body, &views::reserved_ids(tq)) {
                docs.push(SearchDoc {
                    kind: "section",
                    title: format!("{} › {}", r.title, section.title),
                    text: section.text,
                    url: format!("{}#{}", tqv.url, section.id),
                    team: tq.team.clone(),
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

/// One page to render: where, with which template, and its own data.
struct Page {
    path: String,
    template: &'static str,
    title: String,
    nav: &'static str,
    data: Context,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    lang: &'a str,
    base_url: &'a str,
}

fn ctx<T: Serialize>(data: &T) -> Context {
    Context::from_serialize(data).unwrap_or_default()
}

/// A page to plan; planning happens in parallel, right before rendering, so only the
/// pages being rendered hold their template data.
enum Plan {
    Dashboard,
    Quarters,
    Quarter(usize),
    Review(usize, usize),
    Teams,
    Team(usize),
    Metrics,
    Metric(usize),
    /// Page `n` (1-based) of the learnings archive.
    Learnings(usize),
    Tags,
    /// Page `n` (1-based) of tag `i`.
    Tag(usize, usize),
    Search,
    NotFound,
}

use crate::insight::related::LearningTerms;
pub use crate::insight::related::Related;

/// Renders every page into `sink`; returns their paths and the related learnings.
pub fn render_pages(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn super::Sink,
) -> Result<(Vec<String>, Related), PageError> {
    render_planned(views, theme, sink, false)
}

/// Renders one page of each kind (the first quarter, review, team, metric, tag page…)
/// with the site's data and drops them: how `check` finds a template that fails to
/// render without building the site. Returns the number of pages rendered.
pub fn render_one_of_each(views: &Views<'_>, theme: &Theme) -> Result<usize, PageError> {
    render_planned(views, theme, &Discard, true).map(|(paths, _)| paths.len())
}

/// A sink that keeps nothing.
struct Discard;

impl super::Sink for Discard {
    fn put(&self, _file: super::OutputFile) -> Result<(), super::SinkError> {
        Ok(())
    }
}

/// Why a page was not rendered.
#[derive(Debug)]
pub enum PageError {
    /// Its template failed.
    Template {
        template: &'static str,
        path: String,
        error: tera::Error,
    },
    /// The sink refused the page (or the build was cancelled).
    Sink(super::SinkError),
    /// Two different tags would share one page (their folder names' hashes collide).
    TagCollision(TagCollision),
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Template { template, path, error } => {
                write!(f, "template {template} for {path}: {}", error_chain(error))
            }
            PageError::Sink(e) => write!(f, "{e}"),
            PageError::TagCollision(c) => write!(f, "{c}"),
        }
    }
}

impl std::error::Error for PageError {}

impl From<super::SinkError> for PageError {
    fn from(e: super::SinkError) -> PageError {
        PageError::Sink(e)
    }
}

/// [`render_pages`], or with `one_of_each` only the first page of each kind.
fn render_planned(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn super::Sink,
    one_of_each: bool,
) -> Result<(Vec<String>, Related), PageError> {
    let site = views.site;
    let t = &theme.strings;
    let timer = crate::timings::Timer::new();
    if sink.cancelled() {
        return Err(PageError::Sink(super::SinkError::Cancelled));
    }
    let related = related_learnings(views);
    timer.lap("related learnings");
    let mut plans = vec![Plan::Dashboard, Plan::Quarters];
    for (qi, q) in site.quarters.iter().enumerate() {
        plans.push(Plan::Quarter(qi));
        plans.extend((0..q.teams.len()).map(|ti| Plan::Review(qi, ti)));
    }
    plans.push(Plan::Teams);
    plans.extend((0..site.teams.len()).map(Plan::Team));
    plans.push(Plan::Metrics);
    plans.extend((0..site.metrics.len()).map(Plan::Metric));
    let (tags, by_tag) = tag_index(views).map_err(PageError::TagCollision)?;
    let users = metric_users(views);
    plans.extend((1..=page_count(views.learnings.len())).map(Plan::Learnings));
    plans.extend([Plan::Tags, Plan::Search, Plan::NotFound]);
    for (i, list) in by_tag.iter().enumerate() {
        plans.extend((1..=page_count(list.len())).map(|n| Plan::Tag(i, n)));
    }
    if one_of_each {
        let mut seen = std::collections::HashSet::new();
        plans.retain(|p| seen.insert(std::mem::discriminant(p)));
    }
    let plan = |p: Plan| -> Page {
        match p {
            Plan::Dashboard => dashboard(views),
            Plan::Quarters => quarters_index(views),
            Plan::Quarter(qi) => quarter_page(views, qi),
            Plan::Review(qi, ti) => {
                let related: Vec<&LearningView> = related
                    .get(&(
                        site.quarters[qi].quarter.to_string(),
                        site.quarters[qi].teams[ti].team.clone(),
                    ))
                    .map(|ids| ids.iter().map(|&i| &views.learnings[i]).collect())
                    .unwrap_or_default();
                review_page(views, qi, ti, views.team_quarters[qi][ti].clone(), related)
            }
            Plan::Teams => teams_index(views),
            Plan::Team(i) => team_page(views, &site.teams[i]),
            Plan::Metrics => metrics_index(views),
            Plan::Metric(i) => {
                let m = &site.metrics[i];
                metric_page(views, m, users.get(m.id.as_str()).map_or(&[], Vec::as_slice))
            }
            Plan::Learnings(n) => learnings_page(views, &tags, n),
            Plan::Tags => tags_index(views, &tags),
            Plan::Tag(i, n) => tag_page(views, &tags[i], &by_tag[i], n),
            Plan::Search => Page {
                path: "search/index.html".into(),
                template: "search.html",
                title: t.get("search_title").into(),
                nav: "search",
                data: Context::new(),
            },
            Plan::NotFound => Page {
                path: "404.html".into(),
                template: "404.html",
                title: t.get("not_found_title").into(),
                nav: "",
                data: Context::new(),
            },
        }
    };

    // The content file each page is made from, to name when the page cannot be written.
    let source = |p: &Plan| -> Option<String> {
        match *p {
            Plan::Review(qi, ti) => {
                let tq = &site.quarters[qi].teams[ti];
                let files: Vec<&str> = (tq.okrs.iter().map(|o| o.source.as_str()))
                    .chain(tq.retro.iter().map(|r| r.source.as_str()))
                    .collect();
                Some(files.join(", "))
            }
            Plan::Team(_) => Some("content/teams.yaml".into()),
            Plan::Metric(i) => Some(site.metrics[i].source.clone()),
            Plan::Tag(i, _) => Some(tags[i].source.clone()),
            _ => None,
        }
    };
    sink.planned(plans.len());
    plans
        .into_par_iter()
        .map(|p| {
            let source = source(&p);
            let label = match p {
                Plan::Review(..) => "plan review",
                Plan::Tag(..) | Plan::Learnings(_) => "plan learnings, tags",
                Plan::Team(_) => "plan team",
                Plan::Metric(_) => "plan metric",
                Plan::Quarter(_) => "plan quarter",
                _ => "plan other",
            };
            (crate::timings::measure(label, || plan(p)), source)
        })
        .map(|(page, source)| {
            let file = finish_page(views, theme, page)?;
            let path = file.path.clone();
            crate::timings::measure("write pages", || sink.put(file)).map_err(|e| match (source, e) {
                (Some(source), super::SinkError::Write(e)) => {
                    super::SinkError::Write(format!("{e} (the page made from {source})").into())
                }
                (_, e) => e,
            })?;
            Ok(path)
        })
        .collect::<Result<Vec<String>, PageError>>()
        .map(|paths| (paths, related))
}

/// Adds what every page's template gets (site, root, strings, nav…) and renders it.
fn finish_page(views: &Views<'_>, theme: &Theme, mut page: Page) -> Result<OutputFile, PageError> {
    let site = views.site;
    let site_info = SiteInfo {
        title: &site.config.title,
        lang: site.config.language.code(),
        base_url: &site.config.base_url,
    };
    let absolute_base = site
        .config
        .base_url
        .is_absolute()
        .then_some(site.config.base_url.as_str());
    let root = root_of(&page.path);
    page.data.insert("site", &site_info);
    page.data.insert("root", &root);
    page.data.insert_value("t", theme.strings_value.clone());
    page.data.insert("nav", page.nav);
    page.data.insert("page_title", &page.title);
    page.data.insert("today", &views.fmt.date(site.today));
    let canonical = absolute_base.map(|b| format!("{b}{}", page.path.trim_end_matches("index.html")));
    page.data.insert("canonical", &canonical);
    // Rendered as bytes: Tera writes valid UTF-8, and `render` would check all of it again.
    let mut html = Vec::with_capacity(64 * 1024);
    if let Err(error) = crate::timings::measure("tera", || theme.tera.render_to(page.template, &page.data, &mut html)) {
        return Err(PageError::Template {
            template: page.template,
            path: page.path,
            error,
        });
    }
    Ok(OutputFile::new(page.path, html))
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

#[derive(Serialize)]
struct AtRisk<'a> {
    kr: &'a views::KrView,
    objective: &'a str,
    team: &'a TeamRef,
}

#[derive(Serialize)]
struct Alert {
    name: String,
    url: String,
    value: String,
    date: String,
    band: views::LightView,
}

#[derive(Serialize)]
struct TeamRow<'a> {
    team: TeamRef,
    depth: usize,
    tq: Option<&'a TeamQuarterView>,
    /// The team's score over the quarters so far.
    spark: Option<String>,
}

/// The KRs at risk in a quarter ([`insight::at_risk`]) with their views.
fn at_risk<'a>(v: &'a Views<'_>, qi: usize) -> Vec<AtRisk<'a>> {
    insight::at_risk::at_risk(&v.site.quarters[qi], &v.scores.quarters[qi])
        .into_iter()
        .map(|at| {
            let tqv = &v.team_quarters[qi][at.team];
            let objective = &tqv.objectives[at.objective];
            AtRisk {
                kr: &objective.key_results[at.kr],
                objective: &objective.title,
                team: &tqv.team,
            }
        })
        .collect()
}

fn dashboard(v: &Views<'_>) -> Page {
    let site = v.site;
    let t = v.t;
    #[derive(Serialize)]
    struct Data<'a> {
        quarter: Option<QuarterRef>,
        company: Option<&'a TeamQuarterView>,
        elapsed: Option<String>,
        days_left: Option<String>,
        at_risk: Vec<AtRisk<'a>>,
        at_risk_count: usize,
        at_risk_more: Option<String>,
        alerts: Vec<Alert>,
        teams: Vec<TeamRow<'a>>,
        learnings: &'a [LearningView],
    }
    let qi = v.current_quarter();
    let mut data = Data {
        quarter: None,
        company: None,
        elapsed: None,
        days_left: None,
        at_risk: Vec::new(),
        at_risk_count: 0,
        at_risk_more: None,
        alerts: Vec::new(),
        teams: Vec::new(),
        learnings: &v.learnings[..v.learnings.len().min(6)],
    };
    if let Some(qi) = qi {
        let q = &site.quarters[qi];
        data.quarter = Some(views::quarter_ref(&v.fmt, t, q));
        let root_team = site.teams.iter().find(|t| t.parent.is_none());
        data.company = root_team.and_then(|rt| v.team_score(qi, &rt.id)).map(|(_, tqv)| tqv);
        if let Some(elapsed) = insight::elapsed::elapsed(q, site.today) {
            data.elapsed = Some(format!("{}%", (elapsed.share * 100.0).round()));
            data.days_left = Some(t.fill("days_left", "n", &elapsed.days_left.to_string()));
        }
        let risky = at_risk(v, qi);
        // Few numbers on top: the ten most urgent, and how many more the quarter page holds.
        const SHOWN: usize = 10;
        data.at_risk_count = risky.len();
        if risky.len() > SHOWN {
            data.at_risk_more = Some(t.fill("more_in_quarter", "n", &(risky.len() - SHOWN).to_string()));
        }
        data.at_risk = risky.into_iter().take(SHOWN).collect();
        data.teams = insight::team_tree::team_tree(site)
            .into_iter()
            .map(|(depth, team)| {
                let history: Vec<Option<f64>> = (0..=qi)
                    .map(|i| v.team_score(i, &team.id).and_then(|(s, _)| s.score))
                    .collect();
                let known = history.iter().flatten().count();
                let spark = (known >= 2).then(|| {
                    let summary = history
                        .iter()
                        .zip(&site.quarters)
                        .filter_map(|(s, q)| s.map(|s| format!("{} {}", q.quarter, format::score(s))))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let title = format!("{} — {}", v.t.get("score_history"), team.name);
                    charts::sparkline(&format!("spark-{}", team.id), &title, &history, &summary)
                });
                TeamRow {
                    team: views::team_ref(team),
                    depth,
                    tq: v.team_score(qi, &team.id).map(|(_, x)| x),
                    spark,
                }
            })
            .collect();
    }
    data.alerts = insight::metric_band::alerts(&site.metrics, site.today)
        .into_iter()
        .map(|(band, m, p)| Alert {
            name: m.name.clone(),
            url: urls::metric(&m.id),
            value: format::with_unit(p.value, m.unit.as_deref()),
            date: v.fmt.date(p.date),
            band: light(t, "band", Some(band)),
        })
        .collect();
    Page {
        path: "index.html".into(),
        template: "index.html",
        title: t.get("dashboard_title").into(),
        nav: "dashboard",
        data: ctx(&data),
    }
}

fn quarters_index(v: &Views<'_>) -> Page {
    #[derive(Serialize)]
    struct Row {
        quarter: QuarterRef,
        teams: usize,
        company: Option<String>,
        grade: views::LightView,
    }
    let root_team = v.site.teams.iter().find(|t| t.parent.is_none());
    let rows: Vec<Row> = v
        .site
        .quarters
        .iter()
        .enumerate()
        .rev()
        .map(|(qi, q)| {
            let company = root_team.and_then(|rt| v.team_score(qi, &rt.id));
            Row {
                quarter: views::quarter_ref(&v.fmt, v.t, q),
                teams: q.teams.len(),
                company: company.and_then(|(s, _)| s.score.map(format::score)),
                grade: views::grade(v.t, q.status, company.and_then(|(s, _)| s.grade)),
            }
        })
        .collect();
    let mut data = Context::new();
    data.insert("quarters", &rows);
    Page {
        path: urls::quarters(),
        template: "quarters.html",
        title: v.t.get("quarters_title").into(),
        nav: "quarters",
        data,
    }
}

#[derive(Serialize)]
struct TreeNode<'a> {
    depth: usize,
    team: &'a TeamRef,
    /// An objective view, already in Tera's form (see `quarter_page`).
    objective: &'a tera::Value,
}

fn quarter_page(v: &Views<'_>, qi: usize) -> Page {
    let site = v.site;
    let q = &site.quarters[qi];
    let tqs = &v.team_quarters[qi];
    // Every team-quarter view converted to Tera's values once: the tree lists every
    // objective again, and Tera's values share their contents when cloned, so the
    // tree's objectives are the same values as `teams`' (this halved the page's cost).
    let values: Vec<tera::Value> = tqs.iter().map(tera::Value::from_serializable).collect();
    let undefined = tera::Value::undefined();
    let objective_value = |ti: usize, oi: usize| -> &tera::Value {
        values[ti]
            .get_from_path("objectives")
            .and_then(|o| o.as_array())
            .and_then(|o| o.get(oi))
            .unwrap_or(&undefined)
    };
    let alignment = insight::alignment::alignment_tree(site, qi);
    let node = |depth: usize, at: ObjectiveAt| TreeNode {
        depth,
        team: &tqs[at.team].team,
        objective: objective_value(at.team, at.objective),
    };
    let tree: Vec<TreeNode<'_>> = alignment.tree.iter().map(|&(depth, at)| node(depth, at)).collect();
    let unaligned: Vec<TreeNode<'_>> = alignment.unaligned.iter().map(|&at| node(0, at)).collect();
    #[derive(Serialize)]
    struct Data<'a> {
        quarter: QuarterRef,
        teams: &'a [tera::Value],
        tree: Vec<TreeNode<'a>>,
        unaligned: Vec<TreeNode<'a>>,
        at_risk: Vec<AtRisk<'a>>,
        overview: Option<Chart>,
        prev: Option<Link>,
        next: Option<Link>,
    }
    let quarter = views::quarter_ref(&v.fmt, v.t, q);
    let bars: Vec<Bar> = tqs
        .iter()
        .zip(&v.scores.quarters[qi])
        .filter(|(tqv, _)| tqv.has_okrs)
        .map(|(tqv, ts)| Bar {
            label: tqv.team.name.clone(),
            score: ts.score,
        })
        .collect();
    let overview = (!bars.is_empty()).then(|| {
        let chart_title = format!("{} — {}", v.t.get("team_scores_chart"), quarter.label);
        charts::bars_chart("chart-teams", &chart_title, &bars, site.config.scoring, &v.labels)
    });
    let link = |qq: &crate::model::QuarterData| Link {
        label: v.fmt.quarter(qq.quarter),
        url: urls::quarter(qq.quarter),
    };
    let title = v.t.fill("quarter_title", "quarter", &quarter.label);
    let data = Data {
        quarter,
        teams: &values,
        tree,
        unaligned,
        at_risk: at_risk(v, qi),
        overview,
        prev: qi.checked_sub(1).map(|i| link(&site.quarters[i])),
        next: site.quarters.get(qi + 1).map(link),
    };
    Page {
        path: urls::quarter(q.quarter),
        template: "quarter.html",
        title,
        nav: "quarters",
        data: ctx(&data),
    }
}

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

fn review_page(v: &Views<'_>, qi: usize, ti: usize, mut view: TeamQuarterView, related: Vec<&LearningView>) -> Page {
    let site = v.site;
    let q = &site.quarters[qi];
    let tq = &q.teams[ti];
    let model_krs = tq
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
        kr.chart = crate::timings::measure("kr charts", || v.kr_chart(q, objective, model, score));
    }
    let path = view.url.clone();
    let root = root_of(&path);
    if let (Some(r), Some(rv)) = (&tq.retro, view.retro.as_mut()) {
        let reserved = views::reserved_ids(tq);
        let tag_url = |tag: &str| format!("{root}{}", urls::tag(tag));
        let marks = LearningMarks {
            headings: &site.config.learning_headings,
            anchors: r.learnings.iter().map(|l| (l.offset, l.anchor())).collect(),
            tag_url: &tag_url,
        };
        rv.html = markdown::render(
            &r.body,
            &markdown::Options {
                allow_html: site.config.allow_html,
                reserved_ids: &reserved,
                learnings: Some(marks),
            },
        );
    }
    let title = format!("{} — {}", view.team.name, view.quarter.label);
    let bars: Vec<Bar> = view
        .objectives
        .iter()
        .zip(v.scores.quarters[qi][ti].objectives.iter())
        .map(|(o, os)| Bar {
            label: o.title.clone(),
            score: os.score,
        })
        .collect();
    let overview = (!bars.is_empty()).then(|| {
        let chart_title = format!("{} — {}", v.t.get("objective_scores"), title);
        charts::bars_chart("chart-objectives", &chart_title, &bars, site.config.scoring, &v.labels)
    });
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
    }
}

fn teams_index(v: &Views<'_>) -> Page {
    #[derive(Serialize)]
    struct Row {
        team: TeamRef,
        depth: usize,
        children: usize,
    }
    let rows: Vec<Row> = insight::team_tree::team_tree(v.site)
        .into_iter()
        .map(|(depth, t)| Row {
            team: views::team_ref(t),
            depth,
            children: t.children.len(),
        })
        .collect();
    let mut data = Context::new();
    data.insert("teams", &rows);
    Page {
        path: urls::teams(),
        template: "teams.html",
        title: v.t.get("teams_title").into(),
        nav: "teams",
        data,
    }
}

fn team_page(v: &Views<'_>, team: &crate::model::Team) -> Page {
    let site = v.site;
    let mut rows: Vec<&TeamQuarterView> = Vec::new();
    let mut history: Vec<(&crate::model::QuarterData, &score::TeamScore)> = Vec::new();
    for (qi, q) in site.quarters.iter().enumerate() {
        if let Some((s, tqv)) = v.team_score(qi, &team.id) {
            rows.push(tqv);
            history.push((q, s));
        }
    }
    // The newest run of low final scores, if any ([`insight::low_scores`]).
    let low_note = insight::low_scores::low_score_runs(history).last().map(|&(a, b)| {
        let qs = format!("{}, {}", v.fmt.quarter(a), v.fmt.quarter(b));
        v.t.fill("low_score_note", "quarters", &qs)
    });
    let history_points: Vec<(String, Option<f64>)> = site
        .quarters
        .iter()
        .enumerate()
        .filter_map(|(qi, q)| {
            v.team_score(qi, &team.id)
                .map(|(s, _)| (q.quarter.to_string(), s.score))
        })
        .collect();
    let history = (!history_points.is_empty()).then(|| {
        let title = format!("{} — {}", v.t.get("score_history"), team.name);
        charts::score_history_chart("chart-history", &title, &history_points, site.config.scoring, &v.labels)
    });
    #[derive(Serialize)]
    struct Data<'a> {
        team: TeamRef,
        parent: Option<TeamRef>,
        children: Vec<TeamRef>,
        quarters: Vec<&'a TeamQuarterView>,
        low_note: Option<String>,
        history: Option<Chart>,
    }
    let data = Data {
        team: views::team_ref(team),
        parent: team.parent.as_deref().and_then(|p| site.team(p)).map(views::team_ref),
        children: team
            .children
            .iter()
            .filter_map(|c| site.team(c))
            .map(views::team_ref)
            .collect(),
        quarters: rows.into_iter().rev().collect(),
        low_note,
        history,
    };
    Page {
        path: urls::team(&team.id),
        template: "team.html",
        title: team.name.clone(),
        nav: "teams",
        data: ctx(&data),
    }
}

fn metrics_index(v: &Views<'_>) -> Page {
    #[derive(Serialize)]
    struct Row {
        name: String,
        url: String,
        layer: Option<String>,
        latest: Option<String>,
        date: Option<String>,
        band: views::LightView,
    }
    let rows: Vec<Row> = v
        .site
        .metrics
        .iter()
        .map(|m| {
            let latest = insight::metric_band::latest_point(&m.points, v.site.today);
            Row {
                name: m.name.clone(),
                url: urls::metric(&m.id),
                layer: m.layer.map(|l| v.t.get(&format!("layer_{}", layer_key(l))).to_string()),
                latest: latest.map(|p| format::with_unit(p.value, m.unit.as_deref())),
                date: latest.map(|p| v.fmt.date(p.date)),
                band: light(
                    v.t,
                    "band",
                    insight::metric_band::metric_band(m, v.site.today).map(|(b, _)| b),
                ),
            }
        })
        .collect();
    let mut data = Context::new();
    data.insert("metrics", &rows);
    Page {
        path: urls::metrics(),
        template: "metrics.html",
        title: v.t.get("metrics_title").into(),
        nav: "metrics",
        data,
    }
}

fn layer_key(l: crate::model::Layer) -> &'static str {
    match l {
        crate::model::Layer::Leading => "leading",
        crate::model::Layer::Intermediate => "intermediate",
        crate::model::Layer::Lagging => "lagging",
    }
}

/// Every KR measured by each metric, as (quarter, team, objective, KR) indexes, newest
/// quarter first: one pass over all KRs instead of one per metric page.
fn metric_users<'a>(v: &Views<'a>) -> HashMap<&'a str, Vec<(usize, usize, usize, usize)>> {
    let mut users: HashMap<&'a str, Vec<(usize, usize, usize, usize)>> = HashMap::new();
    for (qi, q) in v.site.quarters.iter().enumerate().rev() {
        for (ti, tq) in q.teams.iter().enumerate() {
            let objectives = tq.okrs.iter().flat_map(|o| o.objectives.iter());
            for (oi, o) in objectives.take(v.team_quarters[qi][ti].objectives.len()).enumerate() {
                let krs = v.team_quarters[qi][ti].objectives[oi].key_results.len();
                for (ki, kr) in o.key_results.iter().take(krs).enumerate() {
                    if let KrData::Metric(id) = &kr.data {
                        users.entry(id.as_str()).or_default().push((qi, ti, oi, ki));
                    }
                }
            }
        }
    }
    users
}

fn metric_page(v: &Views<'_>, m: &crate::model::Metric, users: &[(usize, usize, usize, usize)]) -> Page {
    let t = v.t;
    let d = &m.definition;
    #[derive(Serialize)]
    struct Fact {
        label: String,
        value: String,
    }
    let definition: Vec<Fact> = [
        ("def_formula", &d.formula),
        ("def_numerator", &d.numerator),
        ("def_denominator", &d.denominator),
        ("def_period", &d.period),
        ("def_exclusions", &d.exclusions),
        ("def_source", &d.source),
        ("def_frequency", &d.frequency),
        ("def_owner", &d.owner),
    ]
    .into_iter()
    .filter_map(|(k, val)| {
        val.as_ref().map(|s| Fact {
            label: t.get(k).to_string(),
            value: s.clone(),
        })
    })
    .collect();
    #[derive(Serialize)]
    struct PointRow {
        date: String,
        value: String,
        change: Option<String>,
        band: Option<views::LightView>,
        note: Option<String>,
    }
    let unit = m.unit.as_deref();
    let mut rows: Vec<PointRow> = m
        .points
        .iter()
        .zip(insight::comparisons::changes(&m.points))
        .map(|(p, change)| PointRow {
            date: v.fmt.short_date(p.date),
            value: format::with_unit(p.value, unit),
            change: change.map(|delta| {
                let sign = if delta > 0.0 { "+" } else { "" };
                format!("{sign}{}", format::number(delta))
            }),
            band: match (m.thresholds, m.direction) {
                (Some(th), Some(dir)) => Some(light(t, "band", Some(score::threshold_band(p.value, th, dir)))),
                _ => None,
            },
            note: p.note.clone(),
        })
        .collect();
    rows.reverse();
    #[derive(Serialize)]
    struct UsedBy<'a> {
        quarter: String,
        team: &'a TeamRef,
        kr: &'a views::KrView,
    }
    let used_by: Vec<UsedBy<'_>> = users
        .iter()
        .map(|&(qi, ti, oi, ki)| {
            let tqv = &v.team_quarters[qi][ti];
            UsedBy {
                quarter: tqv.quarter.label.clone(),
                team: &tqv.team,
                kr: &tqv.objectives[oi].key_results[ki],
            }
        })
        .collect();
    #[derive(Serialize)]
    struct Data<'a> {
        id: &'a str,
        name: &'a str,
        unit: Option<&'a str>,
        definition: Vec<Fact>,
        layer: Option<String>,
        direction: Option<String>,
        aggregate: String,
        red: Option<String>,
        yellow: Option<String>,
        latest: Option<String>,
        band: views::LightView,
        points: Vec<PointRow>,
        used_by: Vec<UsedBy<'a>>,
        source: &'a str,
        charts: Vec<Chart>,
        comparisons: Vec<Comparison>,
    }
    let band = insight::metric_band::metric_band(m, v.site.today);
    let fy = v.site.config.fiscal_year_start_month;
    let quarters: Vec<(jiff::civil::Date, jiff::civil::Date, String)> = match (m.points.first(), m.points.last()) {
        (Some(first), Some(last)) => quarters_between(first.date, last.date, fy),
        _ => Vec::new(),
    };
    let charts = charts::metric_charts(
        &charts::MetricChartInput {
            id: "chart-metric",
            name: &m.name,
            unit,
            points: &m.points,
            aggregate: m.aggregate,
            thresholds: m.thresholds.zip(m.direction),
            quarters: &quarters,
        },
        &v.labels,
    );
    let data = Data {
        charts,
        comparisons: comparisons(v, m),
        id: &m.id,
        name: &m.name,
        unit,
        definition,
        layer: m.layer.map(|l| t.get(&format!("layer_{}", layer_key(l))).to_string()),
        direction: views::direction_label(t, m.direction),
        aggregate: t
            .get(match m.aggregate {
                crate::model::Aggregate::Last => "aggregate_last",
                crate::model::Aggregate::Sum => "aggregate_sum",
            })
            .to_string(),
        red: m.thresholds.and_then(|th| th.red).map(|x| format::with_unit(x, unit)),
        yellow: m
            .thresholds
            .and_then(|th| th.yellow)
            .map(|x| format::with_unit(x, unit)),
        latest: band.map(|(_, p)| format::with_unit(p.value, unit)).or_else(|| {
            insight::metric_band::latest_point(&m.points, v.site.today).map(|p| format::with_unit(p.value, unit))
        }),
        band: light(t, "band", band.map(|(b, _)| b)),
        points: rows,
        used_by,
        source: &m.source,
    };
    Page {
        path: urls::metric(&m.id),
        template: "metric.html",
        title: m.name.clone(),
        nav: "metrics",
        data: ctx(&data),
    }
}

/// The quarters from the one holding `from` to the one holding `to`, labelled `2025-Q3`.
fn quarters_between(
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    fy: i8,
) -> Vec<(jiff::civil::Date, jiff::civil::Date, String)> {
    crate::model::Quarter::spanning(from, to, fy)
        .map(|q| {
            let (start, end) = q.bounds(fy);
            (start, end, q.to_string())
        })
        .collect()
}

#[derive(Serialize)]
struct Comparison {
    label: String,
    against: String,
    change: String,
}

/// The newest value against the previous point, about a month and about a year
/// earlier ([`insight::comparisons`]), in words.
fn comparisons(v: &Views<'_>, m: &crate::model::Metric) -> Vec<Comparison> {
    use insight::comparisons::Period;
    let unit = m.unit.as_deref();
    insight::comparisons::comparisons(&m.points, v.site.today)
        .into_iter()
        .map(|c| {
            let key = match c.period {
                Period::Previous => "vs_previous",
                Period::Month => "vs_month",
                Period::Year => "vs_year",
            };
            let sign = if c.delta > 0.0 { "+" } else { "" };
            let pct = c.percent.map_or(String::new(), |pct| {
                format!(" ({sign}{}%)", format::number(format::round_significant(pct, 2)))
            });
            Comparison {
                label: v.t.get(key).to_string(),
                against: format!(
                    "{} ({})",
                    format::with_unit(c.against.value, unit),
                    v.fmt.date(c.against.date)
                ),
                change: format!(
                    "{sign}{}{pct}",
                    format::with_unit(format::round_significant(c.delta, 4), unit)
                ),
            }
        })
        .collect()
}

/// Learnings per archive page: a page stays small however large the archive grows.
pub const LEARNINGS_PER_PAGE: usize = 100;

fn page_count(items: usize) -> usize {
    items.div_ceil(LEARNINGS_PER_PAGE).max(1)
}

/// Links between the pages of a paged list.
#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    /// Newer items (the previous page), relative to the site root.
    prev: Option<String>,
    next: Option<String>,
}

/// The slice of `items` on page `n`, the pager, and the title suffix for pages after the first.
fn paginate<'t, T>(items: &'t [T], first: &str, n: usize) -> (&'t [T], Pager, String) {
    let total = page_count(items.len());
    let start = ((n - 1) * LEARNINGS_PER_PAGE).min(items.len());
    let end = (start + LEARNINGS_PER_PAGE).min(items.len());
    let pager = Pager {
        current: n,
        total,
        prev: (n > 1).then(|| paged_path(first, n - 1)),
        next: (n < total).then(|| paged_path(first, n + 1)),
    };
    let suffix = if n > 1 {
        format!(" ({n}/{total})")
    } else {
        String::new()
    };
    (&items[start..end], pager, suffix)
}

/// The most used tags the learnings archive shows on each of its pages; the rest
/// are on the tags page, so an archive page stays small however many tags there are.
pub const TAG_CLOUD_SIZE: usize = 100;

fn learnings_page(v: &Views<'_>, tags: &[TagCount], n: usize) -> Page {
    let first = urls::learnings();
    let (learnings, pager, suffix) = paginate(&v.learnings, &first, n);
    let mut data = Context::new();
    data.insert("learnings", learnings);
    data.insert("tags", &tags[..tags.len().min(TAG_CLOUD_SIZE)]);
    let all = (tags.len() > TAG_CLOUD_SIZE).then(|| v.t.fill("tags_all", "n", &tags.len().to_string()));
    data.insert("tags_all", &all);
    data.insert("pager", &pager);
    Page {
        path: paged_path(&first, n),
        template: "learnings.html",
        title: format!("{}{suffix}", v.t.get("learnings_title")),
        nav: "learnings",
        data,
    }
}

#[derive(Serialize, Clone)]
struct TagCount {
    name: String,
    url: String,
    /// How many learnings have the tag.
    count: usize,
    /// Where the tag was first seen, to name in an error about its page.
    #[serde(skip)]
    source: String,
}

/// Two different tags whose page names would be the same (a hash collision).
#[derive(Debug)]
pub struct TagCollision {
    source: String,
    tag: String,
    first: String,
    first_source: String,
    url: String,
}

impl std::fmt::Display for TagCollision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the tags `{}` and `{}` (first used at {}) would share the page {}; rename one",
            self.source, self.tag, self.first, self.first_source, self.url
        )
    }
}

/// Tags with how many learnings carry them, most used first, and each tag's
/// learnings (indices into `v.learnings`, newest first), in one pass. A tag is
/// known by its URL, which is the same for every spelling of the tag and different
/// for different tags ([`urls::tag_key`]); two different tags with the same
/// URL (a hash collision) are an error rather than one page with both.
fn tag_index(v: &Views<'_>) -> Result<(Vec<TagCount>, Vec<Vec<usize>>), TagCollision> {
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut identities: Vec<String> = Vec::new();
    let mut tags: Vec<TagCount> = Vec::new();
    let mut by_tag: Vec<Vec<usize>> = Vec::new();
    for (i, l) in v.learnings.iter().enumerate() {
        for tag in &l.all_tags {
            let p = *position.entry(tag.url.as_str()).or_insert_with(|| {
                tags.push(TagCount {
                    name: tag.name.clone(),
                    url: tag.url.clone(),
                    count: 0,
                    source: l.source.clone(),
                });
                identities.push(retro::tag_identity(&tag.name));
                by_tag.push(Vec::new());
                tags.len() - 1
            });
            if identities[p] != retro::tag_identity(&tag.name) {
                return Err(TagCollision {
                    source: l.source.clone(),
                    tag: tag.name.clone(),
                    first: tags[p].name.clone(),
                    first_source: tags[p].source.clone(),
                    url: tag.url.clone(),
                });
            }
            // A learning's tags are distinct (`retro::merge_tags`): this counts each learning once.
            if by_tag[p].last() != Some(&i) {
                by_tag[p].push(i);
                tags[p].count += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..tags.len()).collect();
    order.sort_by(|&a, &b| tags[b].count.cmp(&tags[a].count).then(tags[a].name.cmp(&tags[b].name)));
    let sorted_tags = order.iter().map(|&i| tags[i].clone()).collect();
    let sorted_lists = order.iter().map(|&i| std::mem::take(&mut by_tag[i])).collect();
    Ok((sorted_tags, sorted_lists))
}

fn tags_index(v: &Views<'_>, tags: &[TagCount]) -> Page {
    let mut data = Context::new();
    data.insert("tags", tags);
    Page {
        path: urls::tags(),
        template: "tags.html",
        title: v.t.get("tags_title").into(),
        nav: "learnings",
        data,
    }
}

fn tag_page(v: &Views<'_>, tag: &TagCount, learnings: &[usize], n: usize) -> Page {
    #[derive(Serialize)]
    struct Data<'a> {
        tag: TagRef,
        learnings: Vec<&'a LearningView>,
        count: String,
        pager: Pager,
    }
    let (on_page, pager, suffix) = paginate(learnings, &tag.url, n);
    let data = Data {
        count: v.t.fill("learnings_count", "n", &learnings.len().to_string()),
        tag: TagRef {
            name: tag.name.clone(),
            url: tag.url.clone(),
        },
        learnings: on_page.iter().map(|&i| &v.learnings[i]).collect(),
        pager,
    };
    Page {
        path: paged_path(&tag.url, n),
        template: "tag.html",
        title: format!("{}{suffix}", v.t.fill("tag_title", "tag", &tag.name)),
        nav: "learnings",
        data: ctx(&data),
    }
}
