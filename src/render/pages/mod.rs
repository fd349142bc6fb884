//! Plans every HTML page and renders it with the theme's templates (in parallel).
//! One module per page kind builds that kind's [`Page`]; [`page`] turns a page into
//! a file; this one plans the pages and writes them. Page kinds import only
//! [`page`] and each other (the at-risk list, paging), never this file.

mod booklet;
mod dashboard;
mod figure;
mod fragments;
mod learnings;
mod light;
mod metric;
mod page;
mod quarter;
mod quarter_lists;
mod review;
mod search;
mod sheet;
mod tags;
mod team;

use std::collections::HashMap;

use rayon::prelude::*;

use self::fragments::Fragment;
use self::page::{Page, finish_page};
use self::tags::TagCount;
use super::theme::Theme;
use super::views::{LearningView, TeamQuarterView, Views};
use crate::files::{OutputFile, Sink, SinkError};

pub use self::figure::written_whole as figures_written_whole;
pub use self::fragments::shown_whole as fragments_shown_whole;
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
    /// A page of quarter `qi`'s booklet, its teams' review sheets to print, and those
    /// teams' review pages, which show the same sheets: made together, so each
    /// sheet's charts and retrospective are made once ([`review::SheetParts`]), and
    /// only a booklet page's sheets at a time. The page is `print.html` (`part`
    /// none), or part `pi` of the booklet split by unit.
    Sheets {
        qi: usize,
        part: Option<usize>,
        /// The page's teams ([`booklet::booklet_teams`]).
        teams: Vec<usize>,
    },
    /// `print.html` of quarter `qi` when its booklet is split: the list of its parts.
    BookletIndex(usize),
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

/// Renders every page but the search page into `sink`; returns their paths and the
/// related learnings. The search page names the search index's manifest, whose name
/// is a hash of the index: [`render_search_page`] renders it once the index is built,
/// which the caller does meanwhile.
pub fn render_pages(views: &Views<'_>, theme: &Theme, sink: &dyn Sink) -> Result<(Vec<String>, Related), PageError> {
    render_planned(views, theme, sink, Selection::AllButSearch)
}

/// Renders the search page, which names the index's `manifest`
/// (`search/meta.<hash>.js`), into `sink`; returns its path.
pub fn render_search_page(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn Sink,
    manifest: &str,
) -> Result<String, PageError> {
    write_page(views, theme, sink, search::search_page(views, manifest), None)
}

/// Renders one page of each kind (the first quarter, team, metric, tag page…; the
/// first booklet page with its teams' review pages, [`Plan::Sheets`]) with the site's
/// data and drops them: how `check` finds a template that fails to render without
/// building the site. Returns the number of pages rendered.
pub fn render_one_of_each(views: &Views<'_>, theme: &Theme) -> Result<usize, PageError> {
    render_planned(views, theme, &Discard, Selection::OneOfEach).map(|(paths, _)| paths.len())
}

/// Which of the site's pages [`render_planned`] renders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Selection {
    /// Every page but the search page ([`render_search_page`]).
    AllButSearch,
    /// The first page of each kind, the search page naming [`UNBUILT_MANIFEST`].
    OneOfEach,
}

/// The manifest the search page names when no index is built (`check`).
const UNBUILT_MANIFEST: &str = "search/meta.js";

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
    /// Each team's number of learnings ([`learnings::learning_counts`]).
    learning_counts: learnings::LearningCounts<'v>,
    /// The KRs measured by each metric ([`metric::metric_users`]).
    users: HashMap<&'v str, Vec<metric::KrPosition>>,
    /// The metrics that drive each metric ([`crate::insight::kpi_tree::levers`]).
    levers: Vec<Vec<usize>>,
    /// List pages get the light forms of their views ([`light`]).
    light: bool,
}

/// The pages of `selection` ([`render_pages`], [`render_one_of_each`]).
fn render_planned(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn Sink,
    selection: Selection,
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
        learning_counts: learnings::learning_counts(views),
        users: metric::metric_users(views),
        levers: crate::insight::kpi_tree::levers(&views.site.metrics),
        light: theme.own_templates,
    };
    let mut plans = planner.plans();
    match selection {
        Selection::OneOfEach => {
            let mut seen = std::collections::HashSet::new();
            plans.retain(|p| seen.insert(std::mem::discriminant(p)));
        }
        Selection::AllButSearch => plans.retain(|p| !matches!(p, Plan::Search)),
    }
    // The search page is written too, by the caller ([`render_search_page`]).
    let search_page = usize::from(selection == Selection::AllButSearch);
    sink.planned(plans.iter().map(Plan::pages).sum::<usize>() + search_page);
    // One plan per rayon job: plans differ a hundredfold in cost (a booklet of 25
    // sheets against a tag page), and rayon's default splitting leaves long runs of
    // them on one thread while the other core sleeps at the end.
    let paths = plans
        .into_par_iter()
        .with_max_len(1)
        .map(|p| match p {
            Plan::Sheets { qi, part, teams } => planner.write_sheets(theme, sink, qi, part, &teams),
            p => {
                let source = planner.source(&p);
                let page = crate::timings::measure(timing_label(&p), || planner.plan(p));
                write_page(views, theme, sink, page, source).map(|path| vec![path])
            }
        })
        .collect::<Result<Vec<Vec<String>>, PageError>>()?;
    Ok((paths.concat(), related))
}

impl Plan {
    /// How many pages the plan makes.
    fn pages(&self) -> usize {
        match self {
            Plan::Sheets { teams, .. } => teams.len() + 1,
            _ => 1,
        }
    }
}

/// What the timings call planning a page of this kind.
fn timing_label(p: &Plan) -> &'static str {
    match p {
        Plan::Sheets { .. } | Plan::BookletIndex(_) => "plan review",
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
    put_page(sink, file, source)
}

/// [`write_page`] for a page of sheets ([`review::marked_sheet`]): their fragments
/// are spliced in after rendering by `fill` (sheet number, fragment, the page's way
/// to the site root, where to append it), unless the theme reads them
/// ([`Theme::splices_fragments`]: the sheets are then [`review::filled_sheet`]).
fn write_spliced(
    views: &Views<'_>,
    theme: &Theme,
    sink: &dyn Sink,
    page: Page,
    source: Option<String>,
    fill: impl Fn(usize, fragments::Fragment, &str, &mut Vec<u8>),
) -> Result<String, PageError> {
    if !theme.splices_fragments {
        return write_page(views, theme, sink, page, source);
    }
    let root = super::urls::root_of(&page.path);
    let mut file = finish_page(views, theme, page)?;
    file.bytes = crate::timings::measure("splice", || {
        fragments::splice(&file.bytes, |sheet, f, out| fill(sheet, f, &root, out))
    });
    put_page(sink, file, source)
}

/// Puts a rendered page into `sink` ([`write_page`]).
fn put_page(sink: &dyn Sink, file: OutputFile, source: Option<String>) -> Result<String, PageError> {
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
            let parts = booklet::booklet_parts(self.views, qi);
            if parts.is_empty() && !q.teams.is_empty() {
                let teams = booklet::booklet_teams(self.views, qi, None);
                plans.push(Plan::Sheets { qi, part: None, teams });
            } else if !parts.is_empty() {
                plans.push(Plan::BookletIndex(qi));
                plans.extend((parts.into_iter().enumerate()).map(|(pi, p)| Plan::Sheets {
                    qi,
                    part: Some(pi),
                    teams: p.teams,
                }));
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
            Plan::Dashboard => dashboard::dashboard(v, self.light),
            Plan::Quarters => quarter::quarters_index(v),
            Plan::Quarter(qi) => quarter::quarter_page(v, qi, self.light),
            Plan::QuarterAtRisk(qi) => quarter_lists::at_risk_page(v, qi, self.light),
            Plan::QuarterAlignment(qi) => quarter_lists::alignment_page(v, qi, self.light),
            // Its pages are finished after rendering, from their sheets' parts.
            Plan::Sheets { .. } => unreachable!("render_planned writes sheets plans with write_sheets"),
            Plan::BookletIndex(qi) => booklet::booklet_index_page(v, qi),
            Plan::Teams => team::teams_index(v),
            Plan::Team(i) => team::team_page(v, &site.teams[i], &self.learning_counts, self.light),
            Plan::Metrics => metric::metrics_index(v),
            Plan::Metric(i) => {
                let m = &site.metrics[i];
                let users = self.users.get(m.id.as_str()).map_or(&[][..], Vec::as_slice);
                metric::metric_page(v, m, users, &self.levers[i], self.light)
            }
            Plan::Learnings(n) => learnings::learnings_page(v, &self.filter_choices, &self.tags, n, self.light),
            Plan::Tags => tags::tags_index(v, &self.tags),
            Plan::Tag(i, n) => tags::tag_page(v, &self.filter_choices, (&self.tags[i], &self.by_tag[i]), n, self.light),
            Plan::Search => search::search_page(v, UNBUILT_MANIFEST),
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

    /// Writes a [`Plan::Sheets`]: the review pages of the booklet page's `teams`, then
    /// the booklet page, from one [`review::SheetParts`] per team. Returns their paths.
    fn write_sheets(
        &self,
        theme: &Theme,
        sink: &dyn Sink,
        qi: usize,
        part: Option<usize>,
        teams: &[usize],
    ) -> Result<Vec<String>, PageError> {
        let v = self.views;
        let label = "plan review";
        // A cancelled build stops before each sheet, as it does before each page:
        // the sheets are made before any of their pages is written.
        let parts: Vec<review::SheetParts> = (teams.par_iter())
            .map(|&ti| match sink.cancelled() {
                true => Err(PageError::Sink(SinkError::Cancelled)),
                false => Ok(crate::timings::measure(label, || review::sheet_parts(v, theme, qi, ti))),
            })
            .collect::<Result<_, PageError>>()?;
        if theme.writes_sheets() {
            return self.write_own_sheets(theme, sink, qi, part, teams, &parts);
        }
        // Each sheet's view, its fragments as markers, as a Tera value: shared by its
        // review page and the booklet page (the value's contents are not copied).
        let splices = theme.splices_fragments;
        let reviews: Vec<(TeamQuarterView, tera::Value)> = (teams.par_iter().zip(&parts).enumerate())
            .map(|(j, (&ti, parts))| {
                crate::timings::measure(label, || {
                    let view = v.team_quarters[qi][ti].clone();
                    let view = match splices {
                        true => review::marked_sheet(view, parts, j),
                        false => {
                            let root = super::urls::root_of(&view.url);
                            review::filled_sheet(view, parts, &root, "", false)
                        }
                    };
                    let value = tera::Value::from_serializable(&view);
                    (view, value)
                })
            })
            .collect();
        let mut paths = (teams.par_iter().zip(&parts).zip(&reviews).enumerate())
            .map(|(j, ((&ti, parts), (view, value)))| {
                let page = crate::timings::measure(label, || {
                    let overview = review::review_overview(v, theme, (qi, ti), view);
                    let related = self.related_to(qi, ti);
                    review::review_page(v, theme, qi, view, value.clone(), overview.as_ref(), related)
                });
                let source = Some(self.review_source(qi, ti));
                write_spliced(v, theme, sink, page, source, |sheet, f, root, out| {
                    debug_assert_eq!(sheet, j);
                    parts.write_fragment(f, "", root, out)
                })
            })
            .collect::<Result<Vec<String>, PageError>>()?;
        let review = |j: usize, root: &str, idp: &str| match splices {
            true => reviews[j].1.clone(),
            false => {
                let view = v.team_quarters[qi][teams[j]].clone();
                tera::Value::from_serializable(&review::filled_sheet(view, &parts[j], root, idp, true))
            }
        };
        let page = crate::timings::measure(label, || booklet::booklet_sheets_page(v, qi, part, &review));
        let prefixes = booklet::sheet_id_prefixes(v, qi, teams);
        paths.push(write_spliced(v, theme, sink, page, None, |sheet, f, root, out| {
            if let (Some(parts), Some(idp)) = (parts.get(sheet), prefixes.get(sheet)) {
                parts.write_booklet_fragment(f, idp, root, out);
            }
        })?);
        Ok(paths)
    }

    /// [`Self::write_sheets`] while okrsite writes the sheets itself
    /// ([`Theme::writes_sheets`]): each page's template prints a sheet's marker, and
    /// the page gets the sheet spliced in, written for it by [`sheet::write_sheet`].
    fn write_own_sheets(
        &self,
        theme: &Theme,
        sink: &dyn Sink,
        qi: usize,
        part: Option<usize>,
        teams: &[usize],
        parts: &[review::SheetParts],
    ) -> Result<Vec<String>, PageError> {
        let v = self.views;
        let label = "plan review";
        let today = v.fmt.date(v.site.today);
        let as_of = page::running(v, qi).then_some(today.as_str());
        let view = |j: usize| &v.team_quarters[qi][teams[j]];
        let reviews: Vec<tera::Value> = (0..teams.len()).map(|j| review::sheet_ref(view(j), j)).collect();
        let mut paths = (teams.par_iter().zip(parts).zip(&reviews).enumerate())
            .map(|(j, ((&ti, parts), value))| {
                let (page, overview) = crate::timings::measure(label, || {
                    let overview = review::review_overview(v, theme, (qi, ti), view(j));
                    let related = self.related_to(qi, ti);
                    let page = review::review_page(v, theme, qi, view(j), value.clone(), None, related);
                    (page, overview)
                });
                let source = Some(self.review_source(qi, ti));
                write_spliced(v, theme, sink, page, source, |_, f, root, out| match f {
                    Fragment::Sheet => sheet::write_sheet(
                        view(j),
                        parts,
                        &sheet::SheetPage::new(&theme.strings, as_of, root, "", overview.as_ref()),
                        out,
                    ),
                    f => parts.write_fragment(f, "", root, out),
                })
            })
            .collect::<Result<Vec<String>, PageError>>()?;
        let review = |j: usize, _: &str, _: &str| reviews[j].clone();
        let page = crate::timings::measure(label, || booklet::booklet_sheets_page(v, qi, part, &review));
        let prefixes = booklet::sheet_id_prefixes(v, qi, teams);
        paths.push(write_spliced(v, theme, sink, page, None, |j, f, root, out| {
            if let (Some(parts), Some(idp)) = (parts.get(j), prefixes.get(j)) {
                match f {
                    Fragment::Sheet => sheet::write_sheet(
                        view(j),
                        parts,
                        &sheet::SheetPage::booklet(&theme.strings, as_of, root, idp),
                        out,
                    ),
                    f => parts.write_booklet_fragment(f, idp, root, out),
                }
            }
        })?);
        Ok(paths)
    }

    /// The learnings of other teams related to team-quarter (`qi`, `ti`)'s.
    fn related_to(&self, qi: usize, ti: usize) -> Vec<&LearningView> {
        let (v, site) = (self.views, self.views.site);
        let key = (
            site.quarters[qi].quarter.to_string(),
            site.quarters[qi].teams[ti].team.to_string(),
        );
        (self.related.get(&key))
            .map(|ids| ids.iter().map(|&i| &v.learnings[i]).collect())
            .unwrap_or_default()
    }

    /// The content files a team-quarter's review page is made from.
    fn review_source(&self, qi: usize, ti: usize) -> String {
        let tq = &self.views.site.quarters[qi].teams[ti];
        let files: Vec<&str> = (tq.okrs.iter().map(|o| o.source.as_str()))
            .chain(tq.retro.iter().map(|r| r.source.as_str()))
            .collect();
        files.join(", ")
    }

    /// The content file each page is made from, to name when the page cannot be written.
    fn source(&self, p: &Plan) -> Option<String> {
        let site = self.views.site;
        match *p {
            Plan::Team(_) => Some("content/teams.yaml".into()),
            Plan::Metric(i) => Some(site.metrics[i].source.clone()),
            Plan::Tag(i, _) => Some(self.tags[i].source.clone()),
            _ => None,
        }
    }
}
