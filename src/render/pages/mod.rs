//! Plans every HTML page and renders it with the theme's templates (in parallel).
//! One module per page kind builds that kind's [`Page`]; [`page`] turns a page into
//! a file; this one plans the pages and writes them. Page kinds import only
//! [`page`] and each other (the at-risk list, paging), never this file.

mod booklet;
mod dashboard;
mod learnings;
mod metric;
mod page;
mod quarter;
mod quarter_lists;
mod review;
mod search;
mod tags;
mod team;

use std::collections::HashMap;

use rayon::prelude::*;

use self::page::{Page, finish_page};
use self::tags::TagCount;
use super::theme::Theme;
use super::views::{LearningView, Views};
use crate::files::{OutputFile, Sink, SinkError};

pub use self::learnings::{LEARNINGS_PER_PAGE, TAG_CLOUD_SIZE};
pub use self::page::PageError;
pub use self::review::{related_learnings, render_review};
pub use self::search::search_documents;
pub use self::tags::TagCollision;
pub use crate::insight::related::Related;

/// A page to plan; planning happens in parallel, right before rendering, so only the
/// pages being rendered hold their template data.
enum Plan {
    Dashboard,
    Quarters,
    Quarter(usize),
    /// Quarter `qi`'s KRs at risk, all of them.
    QuarterAtRisk(usize),
    /// Quarter `qi`'s alignment tree.
    QuarterAlignment(usize),
    Review(usize, usize),
    /// Quarter `qi`'s booklet: every team's review sheet, to print (or, for a quarter
    /// of many teams, the list of its parts).
    Booklet(usize),
    /// Part `pi` of quarter `qi`'s booklet split by unit.
    BookletPart(usize, usize),
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

/// Renders every page into `sink`; returns their paths and the related learnings.
pub fn render_pages(views: &Views<'_>, theme: &Theme, sink: &dyn Sink) -> Result<(Vec<String>, Related), PageError> {
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

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), SinkError> {
        Ok(())
    }
}

/// What planning a page needs beyond the views: computed once for all pages.
struct Planner<'a, 'v> {
    views: &'a Views<'v>,
    related: &'a Related,
    /// Tags, most used first, and each tag's learnings ([`tags::tag_index`]).
    tags: Vec<TagCount>,
    by_tag: Vec<Vec<usize>>,
    /// The teams and quarters the archive's and tags' filters offer ([`learnings::filter_choices`]).
    filter_choices: learnings::FilterChoices,
    /// The KRs measured by each metric ([`metric::metric_users`]).
    users: HashMap<&'v str, Vec<metric::KrPosition>>,
    /// The metrics that drive each metric ([`crate::insight::kpi_tree::levers`]).
    levers: Vec<Vec<usize>>,
}

/// [`render_pages`], or with `one_of_each` only the first page of each kind.
fn render_planned(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn Sink,
    one_of_each: bool,
) -> Result<(Vec<String>, Related), PageError> {
    let timer = crate::timings::Timer::new();
    if sink.cancelled() {
        return Err(PageError::Sink(SinkError::Cancelled));
    }
    let related = related_learnings(views);
    timer.lap("related learnings");
    let (tags, by_tag) = tags::tag_index(views).map_err(PageError::TagCollision)?;
    let planner = Planner {
        views,
        related: &related,
        tags,
        by_tag,
        filter_choices: learnings::filter_choices(views),
        users: metric::metric_users(views),
        levers: crate::insight::kpi_tree::levers(&views.site.metrics),
    };
    let mut plans = planner.plans();
    if one_of_each {
        let mut seen = std::collections::HashSet::new();
        plans.retain(|p| seen.insert(std::mem::discriminant(p)));
    }
    sink.planned(plans.len());
    let paths = plans
        .into_par_iter()
        .map(|p| {
            let source = planner.source(&p);
            let page = crate::timings::measure(timing_label(&p), || planner.plan(p));
            write_page(views, theme, sink, page, source)
        })
        .collect::<Result<Vec<String>, PageError>>()?;
    Ok((paths, related))
}

/// What the timings call planning a page of this kind.
fn timing_label(p: &Plan) -> &'static str {
    match p {
        Plan::Review(..) | Plan::Booklet(_) | Plan::BookletPart(..) => "plan review",
        Plan::Tag(..) | Plan::Learnings(_) => "plan learnings, tags",
        Plan::Team(_) => "plan team",
        Plan::Metric(_) => "plan metric",
        Plan::Quarter(_) | Plan::QuarterAtRisk(_) | Plan::QuarterAlignment(_) => "plan quarter",
        _ => "plan other",
    }
}

/// Renders a planned page and puts it into `sink`, naming the content file it is
/// made from (`source`) when it cannot be written; returns its path.
fn write_page(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn Sink,
    page: Page,
    source: Option<String>,
) -> Result<String, PageError> {
    let file = finish_page(views, theme, page)?;
    let path = file.path.clone();
    crate::timings::measure("write pages", || sink.put(file)).map_err(|e| match (source, e) {
        (Some(source), SinkError::Write(e)) => {
            SinkError::Write(crate::msg!("build.page_from", reason = e, source = source))
        }
        (_, e) => e,
    })?;
    Ok(path)
}

impl Planner<'_, '_> {
    /// Every page of the site, in the order they are planned.
    fn plans(&self) -> Vec<Plan> {
        let site = self.views.site;
        let mut plans = vec![Plan::Dashboard, Plan::Quarters];
        for (qi, q) in site.quarters.iter().enumerate() {
            plans.extend([Plan::Quarter(qi), Plan::QuarterAtRisk(qi), Plan::QuarterAlignment(qi)]);
            plans.extend((0..q.teams.len()).map(|ti| Plan::Review(qi, ti)));
            if !q.teams.is_empty() {
                plans.push(Plan::Booklet(qi));
                let parts = booklet::booklet_parts(self.views, qi).len();
                plans.extend((0..parts).map(|pi| Plan::BookletPart(qi, pi)));
            }
        }
        plans.push(Plan::Teams);
        plans.extend((0..site.teams.len()).map(Plan::Team));
        plans.push(Plan::Metrics);
        plans.extend((0..site.metrics.len()).map(Plan::Metric));
        plans.extend((1..=learnings::page_count(self.views.learnings.len())).map(Plan::Learnings));
        plans.extend([Plan::Tags, Plan::Search, Plan::NotFound]);
        for (i, list) in self.by_tag.iter().enumerate() {
            plans.extend((1..=learnings::page_count(list.len())).map(|n| Plan::Tag(i, n)));
        }
        plans
    }

    /// The page a plan stands for, with its data.
    fn plan(&self, p: Plan) -> Page {
        let (v, site) = (self.views, self.views.site);
        match p {
            Plan::Dashboard => dashboard::dashboard(v),
            Plan::Quarters => quarter::quarters_index(v),
            Plan::Quarter(qi) => quarter::quarter_page(v, qi),
            Plan::QuarterAtRisk(qi) => quarter_lists::at_risk_page(v, qi),
            Plan::QuarterAlignment(qi) => quarter_lists::alignment_page(v, qi),
            Plan::Review(qi, ti) => {
                let key = (
                    site.quarters[qi].quarter.to_string(),
                    site.quarters[qi].teams[ti].team.to_string(),
                );
                let related: Vec<&LearningView> = (self.related.get(&key))
                    .map(|ids| ids.iter().map(|&i| &v.learnings[i]).collect())
                    .unwrap_or_default();
                review::review_page(v, qi, ti, v.team_quarters[qi][ti].clone(), related)
            }
            Plan::Booklet(qi) => booklet::booklet_page(v, qi),
            Plan::BookletPart(qi, pi) => booklet::booklet_part_page(v, qi, pi),
            Plan::Teams => team::teams_index(v),
            Plan::Team(i) => team::team_page(v, &site.teams[i]),
            Plan::Metrics => metric::metrics_index(v),
            Plan::Metric(i) => {
                let m = &site.metrics[i];
                let users = self.users.get(m.id.as_str()).map_or(&[][..], Vec::as_slice);
                metric::metric_page(v, m, users, &self.levers[i])
            }
            Plan::Learnings(n) => learnings::learnings_page(v, &self.filter_choices, &self.tags, n),
            Plan::Tags => tags::tags_index(v, &self.tags),
            Plan::Tag(i, n) => tags::tag_page(v, &self.filter_choices, &self.tags[i], &self.by_tag[i], n),
            Plan::Search => search::search_page(v),
            Plan::NotFound => Page {
                path: crate::render::urls::NOT_FOUND.into(),
                template: "404.html",
                title: v.t.get("not_found_title").into(),
                nav: "",
                data: tera::Context::new(),
                as_of: false,
            },
        }
    }

    /// The content file each page is made from, to name when the page cannot be written.
    fn source(&self, p: &Plan) -> Option<String> {
        let site = self.views.site;
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
            Plan::Tag(i, _) => Some(self.tags[i].source.clone()),
            _ => None,
        }
    }
}
