//! View models: what templates receive, computed once from the model and the
//! scores. Every URL here is relative to the site root (e.g.
//! `quarters/2025-Q3/product/index.html`); templates put `{{ root }}` in front,
//! so the same output works at any path and from disk. See docs/templates.md.
//!
//! Views read numbers from the model, the scores and [`crate::insight`] and put
//! them into words; they compute none.

mod kr;
mod learning;
mod nesting;
mod picker;
mod placeholders;
mod refs;
mod team_quarter;

use std::collections::HashMap;

use super::charts::Labels;
use super::format::{Formatter, Strings};
use crate::model::Site;
use crate::score::{SiteScores, TeamScore};

pub use self::kr::{CheckinView, KrView, SourceView, kr_chart_id};
pub use self::learning::{CardText, LearningView};
pub use self::nesting::{Nest, nesting};
pub use self::picker::team_picker_file;
pub use self::placeholders::LearningTexts;
pub use self::refs::{
    LightView, Link, QuarterRef, TagRef, TeamRef, direction_label, grade, light, quarter_ref, team_ref,
};
pub use self::team_quarter::{FlagView, ObjectiveView, RetroView, TeamQuarterView, reserved_ids};
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
    /// The learnings' text with their placeholders' values in.
    pub learning_texts: LearningTexts,
    pub labels: Labels,
    /// `[quarter]`: team id → its position in `site.quarters[..].teams`, so a team's
    /// quarters are found without scanning every team (team pages look up each quarter).
    team_positions: Vec<HashMap<&'a str, usize>>,
    /// The team picker's data file (`assets/team-index.<hash>.js`), which every page names.
    pub team_picker: crate::files::OutputFile,
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

impl<'a> Views<'a> {
    pub fn new(site: &'a Site, scores: &'a SiteScores, t: &'a Strings) -> Views<'a> {
        let fmt = Formatter::new(&site.config);
        let mut views = Views {
            site,
            scores,
            labels: chart_labels(t, fmt.clone()),
            fmt,
            t,
            team_quarters: Vec::new(),
            learnings: Vec::new(),
            learning_texts: LearningTexts::default(),
            team_positions: team_positions(site),
            team_picker: team_picker_file(site, crate::insight::elapsed::current_quarter(&site.quarters)),
        };
        views.learning_texts = views.learning_texts();
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
            fmt: Formatter::new(&site.config),
            t,
            team_quarters: Vec::new(),
            learnings: Vec::new(),
            learning_texts: LearningTexts::default(),
            labels: chart_labels(t, Formatter::new(&site.config)),
            team_positions: team_positions(site),
            team_picker: team_picker_file(site, crate::insight::elapsed::current_quarter(&site.quarters)),
        }
    }

    /// The quarter the dashboard shows ([`crate::insight::elapsed::current_quarter`]).
    pub fn current_quarter(&self) -> Option<usize> {
        crate::insight::elapsed::current_quarter(&self.site.quarters)
    }

    pub fn team_score(&self, qi: usize, team: &str) -> Option<(&TeamScore, &TeamQuarterView)> {
        let &i = self.team_positions.get(qi)?.get(team)?;
        Some((
            self.scores.quarters.get(qi)?.get(i)?,
            self.team_quarters.get(qi)?.get(i)?,
        ))
    }
}

/// The words charts use, from the theme's strings.
pub fn chart_labels(t: &Strings, fmt: Formatter) -> Labels {
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
        language: t.lang,
        fmt,
    }
}
