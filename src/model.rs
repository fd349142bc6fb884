//! The resolved site: every reference checked, every series sorted.
//! Later stages (scoring, rendering) read only this, never the raw files.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::config::Config;
pub use crate::domain::{
    Aggregate, Cadence, Definition, Direction, KrId, KrRef, Layer, Light, MetricId, ObjectiveId, ObjectiveRef, Quarter,
    QuarterStatus, TeamId, Unit, UnitPosition,
};

#[derive(Debug, Clone)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub parent: Option<TeamId>,
    /// Child team ids, in teams.yaml order.
    pub children: Vec<TeamId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub date: Date,
    pub value: f64,
    pub note: Option<String>,
}

impl Point {
    /// A point without a note.
    pub fn new(date: Date, value: f64) -> Point {
        Point {
            date,
            value,
            note: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub red: Option<f64>,
    pub yellow: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: MetricId,
    pub name: String,
    pub unit: Option<Unit>,
    pub direction: Option<Direction>,
    pub layer: Option<Layer>,
    pub definition: Definition,
    pub aggregate: Aggregate,
    pub thresholds: Option<Thresholds>,
    /// What to do when the newest value is red or yellow (`thresholds.action`).
    pub action: Option<String>,
    /// How often a point is due; makes staleness computable.
    pub cadence: Option<Cadence>,
    /// The metrics this one is a lever of (KPI tree edges, lower → higher), published ones only.
    pub drives: Vec<MetricId>,
    /// Sorted by date, dates unique.
    pub points: Vec<Point>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Checkin {
    pub date: Date,
    pub status: Light,
    /// The team's confidence of reaching the target, 0..1.
    pub confidence: Option<f64>,
    pub note: Option<String>,
}

/// Where a KR's numbers come from.
#[derive(Debug, Clone)]
pub enum KrData {
    /// The series of a metric file (by id).
    Metric(MetricId),
    /// Its own series, sorted by date.
    Values(Vec<Point>),
    /// Neither: only a manual score, or nothing ("no data").
    None,
}

#[derive(Debug, Clone)]
pub struct KeyResult {
    pub id: KrId,
    pub title: String,
    pub owner: Option<String>,
    pub data: KrData,
    pub unit: Option<Unit>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub weight: f64,
    pub manual_score: Option<f64>,
    /// Sorted by date; the newest is last.
    pub checkins: Vec<Checkin>,
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub id: ObjectiveId,
    pub title: String,
    pub owner: Option<String>,
    /// An objective of the same quarter.
    pub aligns_to: Option<ObjectiveRef>,
    pub key_results: Vec<KeyResult>,
    pub initiatives: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Okrs {
    pub objectives: Vec<Objective>,
    pub not_doing: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Learning {
    pub team: TeamId,
    pub quarter: Quarter,
    /// 1-based position in its retrospective; the anchor is `learning-<index>`.
    pub index: usize,
    /// Plain text with the `#tag` tokens removed.
    pub text: String,
    /// The item's Markdown with the `#tag` tokens removed.
    pub markdown: String,
    /// The item's own tags followed by the retrospective's, without duplicates.
    pub tags: Vec<String>,
    pub date: Option<Date>,
    /// 1-based line in the .md file.
    pub line: usize,
    /// Byte offset of the item in the retrospective's body.
    pub offset: usize,
}

impl Learning {
    pub fn anchor(&self) -> String {
        format!("learning-{}", self.index)
    }
}

#[derive(Debug, Clone)]
pub struct Retrospective {
    pub title: String,
    pub date: Option<Date>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// The Markdown after the front matter.
    pub body: String,
    /// Lines above the body in the file (front matter), to map body lines to file lines.
    pub body_line_offset: usize,
    pub learnings: Vec<Learning>,
    pub source: String,
}

/// One team in one quarter: its OKRs, its retrospective, or both.
#[derive(Debug, Clone)]
pub struct TeamQuarter {
    pub team: TeamId,
    pub okrs: Option<Okrs>,
    pub retro: Option<Retrospective>,
}

#[derive(Debug, Clone)]
pub struct QuarterData {
    pub quarter: Quarter,
    pub start: Date,
    pub end: Date,
    pub status: QuarterStatus,
    /// In teams.yaml order; only teams with a file in this quarter.
    pub teams: Vec<TeamQuarter>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub today: Date,
    pub teams: Vec<Team>,
    pub metrics: Vec<Metric>,
    /// Ascending.
    pub quarters: Vec<QuarterData>,
    // ahash: looked up for every KR, objective and link of every page.
    team_index: HashMap<TeamId, usize, ahash::RandomState>,
    metric_index: HashMap<MetricId, usize, ahash::RandomState>,
}

impl Site {
    pub fn new(
        config: Config,
        today: Date,
        teams: Vec<Team>,
        metrics: Vec<Metric>,
        quarters: Vec<QuarterData>,
    ) -> Site {
        let team_index = teams.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
        let metric_index = metrics.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
        Site {
            config,
            today,
            teams,
            metrics,
            quarters,
            team_index,
            metric_index,
        }
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.team_index.get(id).map(|&i| &self.teams[i])
    }

    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metric_index.get(id).map(|&i| &self.metrics[i])
    }

    /// Every learning, in quarter then team order.
    pub fn learnings(&self) -> impl Iterator<Item = &Learning> {
        self.quarters
            .iter()
            .flat_map(|q| q.teams.iter())
            .filter_map(|tq| tq.retro.as_ref())
            .flat_map(|r| r.learnings.iter())
    }
}
