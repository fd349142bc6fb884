//! View models: what templates receive, computed once from the model and the
//! scores. Every URL here is relative to the site root (e.g.
//! `quarters/2025-Q3/product/index.html`); templates put `{{ root }}` in front,
//! so the same output works at any path and from disk. See docs/templates.md.

use std::collections::HashMap;

use serde::Serialize;

use super::charts::{self, Chart, Labels};
use super::format::{self, Formatter, Strings};
use super::urls;
use crate::content::retro;
use crate::model::{
    Direction, KeyResult, KrData, Learning, Light, Objective, Point, Quarter, QuarterData, QuarterStatus, Site, Team,
};
use crate::score::{KrScore, ObjectiveScore, SiteScores, TeamScore};

#[derive(Debug, Clone, Serialize)]
pub struct LightView {
    /// `green`, `yellow`, `red` or `none`: for CSS classes.
    pub key: &'static str,
    /// The words, so colour is never the only signal.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterRef {
    pub id: String,
    pub label: String,
    pub url: String,
    pub status: LightView,
    pub period: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    pub date: String,
    pub status: LightView,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// `metric`, `values`, `manual` or `none`.
    pub kind: &'static str,
    pub label: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KrView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub owner: Option<String>,
    pub baseline: Option<String>,
    pub current: Option<String>,
    pub target: Option<String>,
    pub score: Option<String>,
    /// 0–100, for progress bars.
    pub progress: Option<u32>,
    pub grade: LightView,
    pub status: LightView,
    pub direction: Option<String>,
    pub weight: Option<String>,
    pub checkin: Option<CheckinView>,
    pub source: SourceView,
    pub latest_date: Option<String>,
    pub url: String,
    /// The trend chart, for KRs measured from data: set only on the review page, so
    /// pages that list many KRs do not carry every chart.
    pub chart: Option<Chart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub owner: Option<String>,
    pub score: Option<String>,
    pub progress: Option<u32>,
    pub grade: LightView,
    pub aligns_to: Option<Link>,
    pub supporters: Vec<Link>,
    pub initiatives: Vec<String>,
    pub key_results: Vec<KrView>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LearningView {
    pub html: String,
    pub text: String,
    pub team: TeamRef,
    pub quarter: QuarterRef,
    pub date: Option<String>,
    /// What its card shows: the first [`retro::MAX_TAGS_PER_LEARNING`] tags, so a
    /// card costs the same however many tags the learning has (it is shown on the
    /// page of every one of them).
    pub tags: Vec<TagRef>,
    /// "+N more" when the learning has more tags than `tags`.
    pub tags_more: Option<String>,
    /// Every tag, for tag pages, related learnings and search.
    #[serde(skip)]
    pub all_tags: Vec<TagRef>,
    /// The retrospective and line the learning comes from (`content/…md:12`), to
    /// name in an error about a page it made.
    #[serde(skip)]
    pub source: String,
    pub url: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetroView {
    pub title: String,
    pub date: Option<String>,
    pub authors: Vec<String>,
    /// The front matter's tags that its learnings get (the first
    /// [`retro::MAX_TAGS_PER_LEARNING`]), so each has a page.
    pub tags: Vec<TagRef>,
    /// "+N more" when the front matter has more tags than `tags`.
    pub tags_more: Option<String>,
    /// Sanitised HTML of the body (see `allow_html`).
    pub html: String,
    pub learning_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamQuarterView {
    pub team: TeamRef,
    pub quarter: QuarterRef,
    pub url: String,
    pub score: Option<String>,
    pub progress: Option<u32>,
    pub grade: LightView,
    pub has_okrs: bool,
    pub objectives: Vec<ObjectiveView>,
    pub not_doing: Vec<String>,
    pub retro: Option<RetroView>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub source: Option<String>,
}

pub use crate::insight::alignment::Alignment;

/// Everything computed once for all pages.
pub struct Views<'a> {
    pub site: &'a Site,
    pub scores: &'a SiteScores,
    pub fmt: Formatter,
    pub t: &'a Strings,
    /// `[quarter][team-quarter]`, parallel to `site.quarters[..].teams`.
    pub team_quarters: Vec<Vec<TeamQuarterView>>,
    /// Every learning, newest first.
    pub learnings: Vec<LearningView>,
    pub labels: Labels,
    /// `[quarter]`: team id → its position in `site.quarters[..].teams`, so a team's
    /// quarters are found without scanning every team (team pages look up each quarter).
    team_positions: Vec<HashMap<&'a str, usize>>,
}

fn team_positions(site: &Site) -> Vec<HashMap<&str, usize>> {
    site.quarters
        .iter()
        .map(|q| {
            q.teams
                .iter()
                .enumerate()
                .map(|(i, tq)| (tq.team.as_str(), i))
                .collect()
        })
        .collect()
}

pub fn light(t: &Strings, prefix: &str, l: Option<Light>) -> LightView {
    let key = l.map_or("none", Light::as_str);
    LightView {
        key,
        label: t.get(&format!("{prefix}_{key}")).to_string(),
    }
}

/// A grade; while the quarter runs it is provisional and says so.
pub fn grade(t: &Strings, status: QuarterStatus, g: Option<Light>) -> LightView {
    let mut v = light(t, "grade", g);
    if status == QuarterStatus::InProgress && g.is_some() {
        v.label = t.fill("grade_provisional", "grade", &v.label);
    }
    v
}

pub fn quarter_ref(fmt: &Formatter, t: &Strings, q: &QuarterData) -> QuarterRef {
    let key = match q.status {
        QuarterStatus::Ended => "ended",
        QuarterStatus::InProgress => "in_progress",
        QuarterStatus::Upcoming => "upcoming",
    };
    QuarterRef {
        id: q.quarter.to_string(),
        label: fmt.quarter(q.quarter),
        url: urls::quarter(q.quarter),
        status: LightView {
            key: match q.status {
                QuarterStatus::Ended => "ended",
                QuarterStatus::InProgress => "progress",
                QuarterStatus::Upcoming => "upcoming",
            },
            label: t.get(&format!("quarter_{key}")).to_string(),
        },
        period: fmt.period(q.start, q.end),
    }
}

pub fn team_ref(team: &Team) -> TeamRef {
    TeamRef {
        id: team.id.clone(),
        name: team.name.clone(),
        url: urls::team(&team.id),
    }
}

fn tag_refs(tags: &[String]) -> Vec<TagRef> {
    tags.iter()
        .map(|t| TagRef {
            name: t.clone(),
            url: urls::tag(t),
        })
        .collect()
}

fn team_ref_by_id(site: &Site, id: &str) -> TeamRef {
    site.team(id).map(team_ref).unwrap_or_else(|| TeamRef {
        id: id.into(),
        name: id.into(),
        url: urls::team(id),
    })
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site, scores: &'a SiteScores, t: &'a Strings) -> Views<'a> {
        let fmt = Formatter {
            lang: site.config.language,
            fiscal_year_start_month: site.config.fiscal_year_start_month,
        };
        let mut views = Views {
            site,
            scores,
            fmt,
            t,
            team_quarters: Vec::new(),
            learnings: Vec::new(),
            labels: chart_labels(t),
            team_positions: team_positions(site),
        };
        let (team_quarters, learnings) = rayon::join(|| views.build_team_quarters(), || views.build_learnings());
        views.team_quarters = team_quarters;
        views.learnings = learnings;
        views
    }

    /// Views without the per-team-quarter and learning lists, for rendering one page.
    pub fn minimal(site: &'a Site, scores: &'a SiteScores, t: &'a Strings) -> Views<'a> {
        Views {
            site,
            scores,
            fmt: Formatter {
                lang: site.config.language,
                fiscal_year_start_month: site.config.fiscal_year_start_month,
            },
            t,
            team_quarters: Vec::new(),
            learnings: Vec::new(),
            labels: chart_labels(t),
            team_positions: team_positions(site),
        }
    }

    /// Who aligns to what, and each team's quarters ([`crate::insight::alignment`]):
    /// what every team-quarter view needs.
    pub fn alignment(&self) -> Alignment<'a> {
        crate::insight::alignment::alignment(self.site)
    }

    fn build_team_quarters(&self) -> Vec<Vec<TeamQuarterView>> {
        use rayon::prelude::*;
        let al = self.alignment();
        self.site
            .quarters
            .par_iter()
            .enumerate()
            .map(|(qi, q)| {
                (0..q.teams.len())
                    .map(|ti| self.team_quarter_view(&al, qi, ti))
                    .collect()
            })
            .collect()
    }

    /// The view of one team-quarter (`site.quarters[qi].teams[ti]`).
    pub fn team_quarter_view(&self, al: &Alignment<'_>, qi: usize, ti: usize) -> TeamQuarterView {
        let site = self.site;
        let q = &site.quarters[qi];
        let tq = &q.teams[ti];
        let ts = &self.scores.quarters[qi][ti];
        let qref = quarter_ref(&self.fmt, self.t, q);
        let (objectives, supporters, team_quarters) = (&al.objectives, &al.supporters, &al.team_quarters);
        let own = team_quarters.get(tq.team.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let pos = own.iter().position(|x| *x == q.quarter).unwrap_or(0);
        let link = |qq: Quarter| Link {
            label: self.fmt.quarter(qq),
            url: urls::review(qq, &tq.team),
        };
        let objectives_view = tq
            .okrs
            .iter()
            .flat_map(|o| o.objectives.iter().map(move |obj| (o, obj)))
            .zip(&ts.objectives)
            .map(|((okrs, o), os)| {
                let aligns_to = o.aligns_to.as_ref().and_then(|(pt, po)| {
                    objectives.get(&(qi, pt.as_str(), po.as_str())).map(|parent| Link {
                        label: format!("{}: {}", team_ref_by_id(site, pt).name, parent.title),
                        url: format!("{}#{}", urls::review(q.quarter, pt), urls::objective_anchor(po)),
                    })
                });
                let sup = supporters
                    .get(&(qi, tq.team.as_str(), o.id.as_str()))
                    .map_or_else(Vec::new, |list| self.supporter_links(q, list));
                self.objective_view(q, &tq.team, &okrs.source, o, os, aligns_to, sup)
            })
            .collect();
        let retro = tq.retro.as_ref().map(|r| RetroView {
            title: r.title.clone(),
            date: r.date.map(|d| self.fmt.date(d)),
            authors: r.authors.clone(),
            tags: tag_refs(&r.tags[..r.tags.len().min(retro::MAX_TAGS_PER_LEARNING)]),
            tags_more: self.tags_more(r.tags.len()),
            html: String::new(),
            learning_count: r.learnings.len(),
        });
        TeamQuarterView {
            team: team_ref_by_id(site, &tq.team),
            quarter: qref.clone(),
            url: urls::review(q.quarter, &tq.team),
            score: ts.score.map(format::score),
            progress: ts.score.map(percent),
            grade: grade(self.t, q.status, ts.grade),
            has_okrs: tq.okrs.is_some(),
            objectives: objectives_view,
            not_doing: tq.okrs.iter().flat_map(|o| o.not_doing.iter().cloned()).collect(),
            retro,
            prev: pos.checked_sub(1).and_then(|i| own.get(i)).map(|qq| link(*qq)),
            next: own.get(pos + 1).map(|qq| link(*qq)),
            source: tq.okrs.as_ref().map(|o| o.source.clone()),
        }
    }

    /// Links to the objectives (team id, objective) aligned to one of quarter `q`'s.
    fn supporter_links(&self, q: &QuarterData, supporters: &[(&str, &Objective)]) -> Vec<Link> {
        supporters
            .iter()
            .map(|&(team, o)| Link {
                label: format!("{}: {}", team_ref_by_id(self.site, team).name, o.title),
                url: format!("{}#{}", urls::review(q.quarter, team), urls::objective_anchor(&o.id)),
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn objective_view(
        &self,
        q: &QuarterData,
        team: &str,
        source_file: &str,
        o: &Objective,
        os: &ObjectiveScore,
        aligns_to: Option<Link>,
        supporters: Vec<Link>,
    ) -> ObjectiveView {
        let review = urls::review(q.quarter, team);
        ObjectiveView {
            id: o.id.clone(),
            anchor: urls::objective_anchor(&o.id),
            title: o.title.clone(),
            owner: o.owner.clone(),
            score: os.score.map(format::score),
            progress: os.score.map(percent),
            grade: grade(self.t, q.status, os.grade),
            aligns_to,
            supporters,
            initiatives: o.initiatives.clone(),
            key_results: o
                .key_results
                .iter()
                .zip(&os.key_results)
                .map(|(kr, ks)| self.kr_view(q, source_file, &review, &o.id, kr, ks))
                .collect(),
            url: format!("{review}#{}", urls::objective_anchor(&o.id)),
        }
    }

    /// A KR's metric (if it uses one), its unit, and the points it is measured on.
    fn kr_series<'k>(&self, kr: &'k KeyResult) -> (Option<&'a crate::model::Metric>, Option<&'k str>, &'k [Point])
    where
        'a: 'k,
    {
        let metric = match &kr.data {
            KrData::Metric(id) => self.site.metric(id),
            _ => None,
        };
        let unit = kr.unit.as_deref().or(metric.and_then(|m| m.unit.as_deref()));
        let points: &[Point] = match (&kr.data, metric) {
            (KrData::Values(p), _) => p,
            (_, Some(m)) => &m.points,
            _ => &[],
        };
        (metric, unit, points)
    }

    /// The trend chart of a KR measured from data (drawn only for its review page).
    pub fn kr_chart(&self, q: &QuarterData, objective: &str, kr: &KeyResult, ks: &KrScore) -> Option<Chart> {
        if matches!(kr.data, KrData::None) {
            return None;
        }
        let (metric, unit, points) = self.kr_series(kr);
        let id = format!("chart-{}", urls::kr_anchor(objective, &kr.id));
        let trend = crate::insight::kr_trend::kr_trend(&crate::insight::kr_trend::TrendInput {
            points,
            aggregate: metric.map_or(crate::model::Aggregate::Last, |m| m.aggregate),
            start: q.start,
            end: q.end,
            baseline: kr.baseline,
            target: kr.target,
            in_progress: q.status == QuarterStatus::InProgress,
        });
        Some(charts::kr_chart(
            &charts::KrChartInput {
                id: &id,
                title: &kr.title,
                unit,
                trend: &trend,
                start: q.start,
                end: q.end,
                baseline: kr.baseline,
                target: kr.target,
                thresholds: metric.and_then(|m| Some((m.thresholds?, m.direction?))),
                checkins: &kr.checkins,
                current: ks.current,
                score: ks.score,
                today: self.site.today,
            },
            &self.labels,
        ))
    }

    fn kr_view(
        &self,
        q: &QuarterData,
        source_file: &str,
        review: &str,
        objective: &str,
        kr: &KeyResult,
        ks: &KrScore,
    ) -> KrView {
        let t = self.t;
        let (metric, unit, points) = self.kr_series(kr);
        let source = match (&kr.data, metric) {
            (KrData::Metric(_), Some(m)) => SourceView {
                kind: "metric",
                label: m.name.clone(),
                url: Some(urls::metric(&m.id)),
            },
            (KrData::Values(_), _) => SourceView {
                kind: "values",
                label: source_file.to_string(),
                url: None,
            },
            _ if kr.manual_score.is_some() => SourceView {
                kind: "manual",
                label: source_file.to_string(),
                url: None,
            },
            _ => SourceView {
                kind: "none",
                label: t.get("source_none").to_string(),
                url: None,
            },
        };
        let direction = match (kr.baseline, kr.target) {
            (Some(b), Some(tg)) if tg < b => Some(t.get("lower_is_better").to_string()),
            (Some(_), Some(_)) => Some(t.get("higher_is_better").to_string()),
            _ => None,
        };
        let anchor = urls::kr_anchor(objective, &kr.id);
        KrView {
            chart: None,
            id: kr.id.clone(),
            url: format!("{review}#{anchor}"),
            anchor,
            title: kr.title.clone(),
            owner: kr.owner.clone(),
            baseline: kr.baseline.map(|v| format::with_unit(v, unit)),
            current: ks.current.map(|v| format::with_unit(v, unit)),
            target: kr.target.map(|v| format::with_unit(v, unit)),
            score: ks.score.map(format::score),
            progress: ks.score.map(percent),
            grade: grade(t, q.status, ks.grade),
            status: light(t, "status", ks.status),
            direction,
            weight: (kr.weight != 1.0).then(|| format::number(kr.weight)),
            checkin: kr.checkins.last().map(|c| CheckinView {
                date: self.fmt.date(c.date),
                status: light(t, "status", Some(c.status)),
                note: c.note.clone(),
            }),
            source,
            latest_date: crate::insight::series::newest_inside(points, q.start, q.end).map(|p| self.fmt.date(p.date)),
        }
    }

    fn build_learnings(&self) -> Vec<LearningView> {
        let site = self.site;
        let team_order: HashMap<&str, usize> = site.teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let quarter_refs: HashMap<Quarter, QuarterRef> = site
            .quarters
            .iter()
            .map(|q| (q.quarter, quarter_ref(&self.fmt, self.t, q)))
            .collect();
        let sources: HashMap<(Quarter, &str), &str> = site
            .quarters
            .iter()
            .flat_map(|q| q.teams.iter().map(move |tq| (q.quarter, tq)))
            .filter_map(|(q, tq)| Some(((q, tq.team.as_str()), tq.retro.as_ref()?.source.as_str())))
            .collect();
        let mut all: Vec<&Learning> = site.learnings().collect();
        all.sort_by(|a, b| {
            b.quarter
                .cmp(&a.quarter)
                .then(b.date.cmp(&a.date))
                .then(team_order.get(a.team.as_str()).cmp(&team_order.get(b.team.as_str())))
                .then(a.index.cmp(&b.index))
        });
        // Each learning's Markdown is rendered and sanitised: thousands of them, in parallel.
        use rayon::prelude::*;
        all.into_par_iter()
            .map(|l| LearningView {
                html: super::markdown::render_inline(&l.markdown, site.config.allow_html),
                text: l.text.clone(),
                team: team_ref_by_id(site, &l.team),
                quarter: quarter_refs.get(&l.quarter).cloned().unwrap_or_else(|| QuarterRef {
                    id: l.quarter.to_string(),
                    label: self.fmt.quarter(l.quarter),
                    url: urls::quarter(l.quarter),
                    status: light(self.t, "grade", None),
                    period: String::new(),
                }),
                date: l.date.map(|d| self.fmt.date(d)),
                tags: tag_refs(&l.tags[..l.tags.len().min(retro::MAX_TAGS_PER_LEARNING)]),
                tags_more: self.tags_more(l.tags.len()),
                all_tags: tag_refs(&l.tags),
                source: format!(
                    "{}:{}",
                    sources.get(&(l.quarter, l.team.as_str())).copied().unwrap_or(""),
                    l.line
                ),
                url: format!("{}#{}", urls::review(l.quarter, &l.team), l.anchor()),
                anchor: l.anchor(),
            })
            .collect()
    }

    /// "+N more" for a list of `count` tags of which the first
    /// [`retro::MAX_TAGS_PER_LEARNING`] are shown.
    fn tags_more(&self, count: usize) -> Option<String> {
        let more = count.checked_sub(retro::MAX_TAGS_PER_LEARNING).filter(|&n| n > 0)?;
        Some(self.t.fill("tags_more", "n", &more.to_string()))
    }

    /// The quarter the dashboard shows: the newest one that has begun.
    pub fn current_quarter(&self) -> Option<usize> {
        let qs = &self.site.quarters;
        qs.iter()
            .rposition(|q| q.status != QuarterStatus::Upcoming)
            .or(qs.len().checked_sub(1))
    }

    pub fn team_score(&self, qi: usize, team: &str) -> Option<(&TeamScore, &TeamQuarterView)> {
        let &i = self.team_positions.get(qi)?.get(team)?;
        Some((
            self.scores.quarters.get(qi)?.get(i)?,
            self.team_quarters.get(qi)?.get(i)?,
        ))
    }
}

pub fn direction_label(t: &Strings, d: Option<Direction>) -> Option<String> {
    d.map(|d| match d {
        Direction::Increase => t.get("higher_is_better").to_string(),
        Direction::Decrease => t.get("lower_is_better").to_string(),
    })
}

/// Ids a review page uses itself, so Markdown heading ids never collide with them.
pub fn reserved_ids(tq: &crate::model::TeamQuarter) -> Vec<String> {
    let mut ids: Vec<String> = [
        "main",
        "objectives",
        "objectives-title",
        "retrospective",
        "retrospective-title",
        "not-doing",
        "not-doing-title",
        "related",
        "related-title",
        "chart-objectives-t",
        "chart-objectives-d",
    ]
    .map(String::from)
    .to_vec();
    for o in tq.okrs.iter().flat_map(|o| o.objectives.iter()) {
        ids.push(urls::objective_anchor(&o.id));
        for kr in &o.key_results {
            let a = urls::kr_anchor(&o.id, &kr.id);
            ids.push(format!("{a}-title"));
            ids.push(format!("chart-{a}-t"));
            ids.push(format!("chart-{a}-d"));
            ids.push(a);
        }
    }
    if let Some(r) = &tq.retro {
        ids.extend(r.learnings.iter().map(|l| l.anchor()));
    }
    ids
}

/// The words charts use, from the theme's strings.
pub fn chart_labels(t: &Strings) -> Labels {
    let g = |k: &str| t.get(k).to_string();
    Labels {
        baseline: g("chart_baseline"),
        target: g("chart_target"),
        current: g("current"),
        score: g("score"),
        pace: g("chart_pace"),
        projection: g("chart_projection"),
        no_data: g("no_data"),
        date: g("date"),
        value: g("value"),
        note: g("note"),
        cumulative: g("chart_cumulative"),
        period_value: g("chart_period"),
        quarter: g("quarter"),
        checkin: g("checkin"),
        item: g("chart_item"),
    }
}

/// A score as a whole percentage, for bar widths.
pub fn percent(score: f64) -> u32 {
    (score.clamp(0.0, 1.0) * 100.0).round() as u32
}
