//! A team-quarter's view: its objectives (with alignment links both ways), its
//! retrospective, and links to the team's previous and next quarters.

use serde::Serialize;

use super::kr::KrView;
use super::refs::{LightView, Link, QuarterRef, TagRef, TeamRef, grade, quarter_ref, tag_refs, team_ref_by_id};
use super::{Alignment, Views};
use crate::content::retro;
use crate::insight::flags::Flag;
use crate::model::{Objective, ObjectiveId, Quarter, QuarterData};
use crate::render::format;
use crate::render::urls;
use crate::score::ObjectiveScore;

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    pub id: ObjectiveId,
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

/// A team-quarter's flag ([`crate::insight::flags`]): its name and what the guides advise.
#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    /// `too_safe` or `low_two_quarters`.
    pub key: &'static str,
    pub label: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamQuarterView {
    pub team: TeamRef,
    pub quarter: QuarterRef,
    pub url: String,
    pub score: Option<String>,
    pub progress: Option<u32>,
    pub grade: LightView,
    /// Warnings of an ended quarter (too safe, low two quarters running).
    pub flags: Vec<FlagView>,
    pub has_okrs: bool,
    pub objectives: Vec<ObjectiveView>,
    pub not_doing: Vec<String>,
    pub retro: Option<RetroView>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub source: Option<String>,
}

impl<'a> Views<'a> {
    /// Who aligns to what, and each team's quarters ([`crate::insight::alignment`]):
    /// what every team-quarter view needs.
    pub fn alignment(&self) -> Alignment<'a> {
        crate::insight::alignment::alignment(self.site)
    }

    pub(super) fn build_team_quarters(&self) -> Vec<Vec<TeamQuarterView>> {
        use rayon::prelude::*;
        let al = self.alignment();
        self.site
            .quarters
            .par_iter()
            .enumerate()
            // A job per quarter: quarters differ in teams, and rayon's default split
            // leaves a run of them on one core while the other waits at the end.
            .with_max_len(1)
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
                let aligns_to = o.aligns_to.as_ref().and_then(|to| {
                    objectives
                        .get(&(qi, to.team.as_str(), to.objective.as_str()))
                        .map(|parent| Link {
                            label: format!("{}: {}", team_ref_by_id(site, &to.team).name, parent.title),
                            url: urls::objective(q.quarter, &to.team, &to.objective),
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
            progress: ts.score.map(format::percent),
            grade: grade(self.t, q.status, ts.grade),
            flags: self.flag_views(qi, ti),
            has_okrs: tq.okrs.is_some(),
            objectives: objectives_view,
            not_doing: tq.okrs.iter().flat_map(|o| o.not_doing.iter().cloned()).collect(),
            retro,
            prev: pos.checked_sub(1).and_then(|i| own.get(i)).map(|qq| link(*qq)),
            next: own.get(pos + 1).map(|qq| link(*qq)),
            source: tq.okrs.as_ref().map(|o| o.source.clone()),
        }
    }

    /// The flags of team-quarter `(qi, ti)` in words.
    fn flag_views(&self, qi: usize, ti: usize) -> Vec<FlagView> {
        let t = self.site.config.scoring;
        crate::insight::flags::flags(self.site, self.scores, qi, ti)
            .into_iter()
            .map(|f| {
                let key = f.as_str();
                let line = match f {
                    Flag::TooSafe => t.too_safe,
                    Flag::LowTwoQuarters => t.yellow,
                };
                FlagView {
                    key,
                    label: self.t.get(&format!("flag_{key}")).to_string(),
                    note: self.t.fill(&format!("flag_{key}_note"), "n", &format::score(line)),
                }
            })
            .collect()
    }

    /// Links to the objectives (team id, objective) aligned to one of quarter `q`'s.
    fn supporter_links(&self, q: &QuarterData, supporters: &[(&str, &Objective)]) -> Vec<Link> {
        supporters
            .iter()
            .map(|&(team, o)| Link {
                label: format!("{}: {}", team_ref_by_id(self.site, team).name, o.title),
                url: urls::objective(q.quarter, team, &o.id),
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
            progress: os.score.map(format::percent),
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
