//! Every learning's view, newest first.

use std::sync::Arc;

use ahash::AHashMap as HashMap;
use serde::Serialize;

use super::Views;
use super::refs::{QuarterRef, TagRef, TeamRef, light, quarter_ref, tag_ref, team_ref, team_ref_by_id};
use crate::content::placeholders::Placeholder;
use crate::content::retro;
use crate::model::{Learning, Quarter};
use crate::render::urls;

#[derive(Debug, Clone, Serialize)]
pub struct LearningView {
    pub html: String,
    pub text: String,
    /// Shared by the learnings of a team (of a quarter): a copy each was 21,000 copies
    /// of a few hundred refs at 200 teams.
    pub team: Arc<TeamRef>,
    pub quarter: Arc<QuarterRef>,
    pub date: Option<String>,
    /// Every tag, for tag pages, related learnings and search. Templates get the
    /// first [`retro::MAX_TAGS_PER_LEARNING`] as `tags` ([`LearningView::tags`]).
    /// Shared by every learning with the tag (made once per tag: 63,000 refs were
    /// 5 MB and as many tag URLs computed at 200 teams).
    #[serde(rename = "tags", serialize_with = "first_tags")]
    pub all_tags: Vec<Arc<TagRef>>,
    /// "+N more" when the learning has more tags than `tags`.
    pub tags_more: Option<String>,
    /// The retrospective and line the learning comes from (`content/…md:12`), to
    /// name in an error about a page it made.
    #[serde(skip)]
    pub source: String,
    pub url: String,
    pub anchor: String,
    /// Its card's HTML but for the page's way to the root, made the first time a page
    /// shows the card (`pages::light::LearningCard`), for every page after.
    #[serde(skip)]
    pub card: std::sync::OnceLock<CardText>,
}

impl LearningView {
    /// What its card shows: the first [`retro::MAX_TAGS_PER_LEARNING`] tags, so a
    /// card costs the same however many tags the learning has (it is shown on the
    /// page of every one of them).
    pub fn tags(&self) -> &[Arc<TagRef>] {
        &self.all_tags[..self.all_tags.len().min(retro::MAX_TAGS_PER_LEARNING)]
    }
}

/// Serialises a learning's tags as its card shows them ([`LearningView::tags`]).
fn first_tags<S: serde::Serializer>(all: &[Arc<TagRef>], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(&all[..all.len().min(retro::MAX_TAGS_PER_LEARNING)])
}

/// A learning's card as HTML, with the page's way to the site root to be put in at
/// `roots` (byte offsets into `html`, ascending).
#[derive(Debug, Clone, Default)]
pub struct CardText {
    pub html: String,
    pub roots: Vec<usize>,
}

impl<'a> Views<'a> {
    pub(super) fn build_learnings(&self) -> Vec<LearningView> {
        let site = self.site;
        let team_order: HashMap<&str, usize> = site.teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let quarter_refs: HashMap<Quarter, Arc<QuarterRef>> = site
            .quarters
            .iter()
            .map(|q| (q.quarter, Arc::new(quarter_ref(&self.fmt, self.t, q))))
            .collect();
        let team_refs: HashMap<&str, Arc<TeamRef>> = site
            .teams
            .iter()
            .map(|t| (t.id.as_str(), Arc::new(team_ref(t))))
            .collect();
        let sources: HashMap<(Quarter, &str), &str> = site
            .quarters
            .iter()
            .flat_map(|q| q.teams.iter().map(move |tq| (q.quarter, tq)))
            .filter_map(|(q, tq)| Some(((q, tq.team.as_str()), tq.retro.as_ref()?.source.as_str())))
            .collect();
        let positions: HashMap<(Quarter, &str), (usize, usize)> = (site.quarters.iter().enumerate())
            .flat_map(|(qi, q)| {
                (q.teams.iter().enumerate()).map(move |(ti, tq)| ((q.quarter, tq.team.as_str()), (qi, ti)))
            })
            .collect();
        let mut all: Vec<&Learning> = site.learnings().collect();
        let mut tag_refs: HashMap<&str, Arc<TagRef>> = HashMap::new();
        for tag in all.iter().flat_map(|l| l.tags.iter()) {
            tag_refs.entry(tag).or_insert_with(|| Arc::new(tag_ref(tag)));
        }
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
                html: {
                    let at = positions.get(&(l.quarter, l.team.as_str())).copied();
                    let value = |p: &Placeholder| at.and_then(|(qi, ti)| self.placeholder_value(qi, ti, p));
                    crate::render::markdown::render_inline(&l.markdown, site.config.allow_html, Some(&value))
                },
                text: self.learning_texts.text(l).to_string(),
                team: (team_refs.get(l.team.as_str()).cloned())
                    .unwrap_or_else(|| Arc::new(team_ref_by_id(site, &l.team))),
                quarter: quarter_refs.get(&l.quarter).cloned().unwrap_or_else(|| {
                    Arc::new(QuarterRef {
                        id: l.quarter.to_string(),
                        label: self.fmt.quarter(l.quarter),
                        url: urls::quarter(l.quarter),
                        status: light(self.t, "grade", None),
                        period: String::new(),
                    })
                }),
                date: l.date.map(|d| self.fmt.date(d)),
                tags_more: self.tags_more(l.tags.len()),
                all_tags: (l.tags.iter()).map(|t| tag_refs[t.as_str()].clone()).collect(),
                source: format!(
                    "{}:{}",
                    sources.get(&(l.quarter, l.team.as_str())).copied().unwrap_or(""),
                    l.line
                ),
                url: urls::learning(l.quarter, &l.team, &l.anchor()),
                anchor: l.anchor(),
                card: std::sync::OnceLock::new(),
            })
            .collect()
    }

    /// "+N more" for a list of `count` tags of which the first
    /// [`retro::MAX_TAGS_PER_LEARNING`] are shown.
    pub(super) fn tags_more(&self, count: usize) -> Option<String> {
        let more = count.checked_sub(retro::MAX_TAGS_PER_LEARNING).filter(|&n| n > 0)?;
        Some(self.t.count("tags_more", more))
    }
}
