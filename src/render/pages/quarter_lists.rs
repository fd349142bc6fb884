//! What the dashboard and the quarter page show of a quarter at any number of teams
//! (issue 22): the most severe KRs at risk with an exact count, the distribution of
//! team scores with the lowest teams named, the team table grouped by parent unit;
//! and the quarter's pages of full lists (every KR at risk, the alignment tree).

use serde::Serialize;

use super::page::{Page, ctx};
use super::quarter::{AtRisk, TreeNode, alignment_nodes, at_risk, objective_values};
use crate::insight;
use crate::model::{QuarterStatus, Team};
use crate::render::charts::{self, Chart};
use crate::render::urls;
use crate::render::views::{self, LightView, QuarterRef, TeamRef, Views};

/// At-risk KRs the dashboard and the quarter page list: the most severe; the rest
/// are on the quarter's at-risk page.
pub const AT_RISK_SHOWN: usize = 10;

/// Lowest-scored teams named under the distribution.
const WORST_SHOWN: usize = 5;

/// An organisation of at most this many teams sees every unit of its team table
/// open (and, on the dashboard, every team's row); a larger one sees the units
/// folded, each a click away.
pub const SMALL_ORG: usize = 40;

/// The most severe KRs at risk of a quarter, how many there are, and the page that
/// lists them all.
#[derive(Serialize)]
pub struct AtRiskTop<'a> {
    pub rows: Vec<AtRisk<'a>>,
    pub count: usize,
    /// "See all N" when the list is cut.
    pub more: Option<String>,
    /// The quarter's at-risk page, its list at `#at-risk`.
    pub url: String,
}

pub fn at_risk_top<'a>(v: &'a Views<'_>, qi: usize, light: bool) -> AtRiskTop<'a> {
    let mut rows = at_risk(v, qi, light);
    let count = rows.len();
    rows.truncate(AT_RISK_SHOWN);
    AtRiskTop {
        rows,
        count,
        more: (count > AT_RISK_SHOWN).then(|| v.t.count("at_risk_all", count)),
        url: urls::quarter_at_risk(v.site.quarters[qi].quarter),
    }
}

/// The distribution of a quarter's team scores and its lowest teams.
#[derive(Serialize)]
pub struct Spread<'a> {
    pub chart: Chart,
    pub worst: Vec<WorstTeam<'a>>,
}

#[derive(Serialize)]
pub struct WorstTeam<'a> {
    pub team: &'a TeamRef,
    /// The team-quarter's page and its row in the team table.
    pub url: &'a str,
    pub anchor: String,
    pub score: Option<&'a str>,
    pub grade: &'a LightView,
}

/// The distribution of quarter `qi`'s team scores ([`insight::distribution`]); `None`
/// when no team has a score.
pub fn spread<'a>(v: &'a Views<'_>, qi: usize) -> Option<Spread<'a>> {
    let (q, t) = (&v.site.quarters[qi], v.t);
    let d = insight::distribution::distribution(q, &v.scores.quarters[qi], WORST_SHOWN);
    if d.scored() == 0 {
        return None;
    }
    let running = q.status == QuarterStatus::InProgress;
    let label = v.fmt.quarter(q.quarter);
    let mut title = format!("{} — {label}", t.get("score_distribution"));
    if running {
        title = format!("{title} ({})", t.get("grade_outlook"));
    }
    let words = charts::distribution::Words {
        range: t.get("score"),
        teams: t.get("teams_count"),
        summary: t.count("distribution_summary", d.scored()),
    };
    let scoring = v.site.config.scoring;
    let grading = (!running).then_some(scoring);
    let chart = charts::distribution::histogram("chart-spread", &title, &d, grading, scoring, &words);
    let tqs = &v.team_quarters[qi];
    let worst = d
        .worst
        .iter()
        .map(|&i| WorstTeam {
            team: &tqs[i].team,
            url: &tqs[i].url,
            anchor: team_anchor(&tqs[i].team.id),
            score: tqs[i].score.as_deref(),
            grade: &tqs[i].grade,
        })
        .collect();
    Some(Spread { chart, worst })
}

/// A team's row in a team table.
#[derive(Serialize)]
pub struct TeamRow {
    pub anchor: String,
    pub name: String,
    /// The team-quarter's page, else the team's.
    pub url: String,
    pub score: Option<String>,
    pub grade: LightView,
    /// The team-quarter's retrospective, and its count of learnings.
    pub retro_url: Option<String>,
    pub learnings: usize,
    /// The team's score over the quarters so far (the dashboard's).
    pub spark: Option<String>,
}

/// A unit of the team table: its head team and its members' rows.
#[derive(Serialize)]
pub struct UnitView {
    pub anchor: String,
    pub name: String,
    /// "N teams".
    pub count: String,
    /// Shown open (a small organisation).
    pub open: bool,
    /// Empty when only the unit is listed (the dashboard of a large organisation).
    pub rows: Vec<TeamRow>,
    /// The unit in the quarter page's team table.
    pub url: String,
}

/// The anchor of a team's row in a team table.
pub fn team_anchor(id: &str) -> String {
    format!("team-{id}")
}

/// The teams of quarter `qi` grouped by parent unit ([`insight::units`]). With
/// `rows`, each unit holds its teams' rows, with `spark` beside each (or `None`).
pub fn team_units(v: &Views<'_>, qi: usize, rows: bool, spark: &dyn Fn(&Team) -> Option<String>) -> Vec<UnitView> {
    let (site, t) = (v.site, v.t);
    let q = &site.quarters[qi];
    let open = site.teams.len() <= SMALL_ORG;
    let quarter_url = urls::quarter(q.quarter);
    insight::units::units(site)
        .into_iter()
        .map(|unit| {
            let anchor = format!("unit-{}", unit.head.id);
            UnitView {
                url: format!("{quarter_url}#{anchor}"),
                anchor,
                name: unit.head.name.clone(),
                count: t.count("unit_teams", unit.members.len()),
                open,
                rows: match rows {
                    true => unit.members.iter().map(|team| team_row(v, qi, team, spark)).collect(),
                    false => Vec::new(),
                },
            }
        })
        .collect()
}

fn team_row(v: &Views<'_>, qi: usize, team: &Team, spark: &dyn Fn(&Team) -> Option<String>) -> TeamRow {
    let tq = v.team_score(qi, &team.id).map(|(_, tqv)| tqv);
    let status = v.site.quarters[qi].status;
    TeamRow {
        anchor: team_anchor(&team.id),
        name: team.name.clone(),
        url: tq.map(|x| x.url.clone()).unwrap_or_else(|| urls::team(&team.id)),
        score: tq.and_then(|x| x.score.clone()),
        grade: tq
            .map(|x| x.grade.clone())
            .unwrap_or_else(|| views::grade(v.t, status, None)),
        retro_url: tq
            .filter(|x| x.retro.is_some())
            .map(|x| format!("{}#retrospective", x.url)),
        learnings: tq.and_then(|x| x.retro.as_ref()).map_or(0, |r| r.learning_count),
        spark: spark(team),
    }
}

#[derive(Serialize)]
struct ListData<'a> {
    quarter: QuarterRef,
    at_risk: Vec<AtRisk<'a>>,
    tree: Vec<TreeNode<'a>>,
    unaligned: Vec<TreeNode<'a>>,
}

/// Quarter `qi`'s page of every KR at risk, most severe first.
pub fn at_risk_page(v: &Views<'_>, qi: usize, light: bool) -> Page {
    let q = &v.site.quarters[qi];
    let quarter = views::quarter_ref(&v.fmt, v.t, q);
    let heading = match q.status {
        QuarterStatus::Ended => v.t.get("krs_missed"),
        _ => v.t.get("krs_at_risk"),
    };
    let title = format!("{heading} — {}", quarter.label);
    let data = ListData {
        quarter,
        at_risk: at_risk(v, qi, light),
        tree: Vec::new(),
        unaligned: Vec::new(),
    };
    Page {
        path: urls::quarter_at_risk(q.quarter),
        template: "quarter-at-risk.html",
        title,
        nav: "quarters",
        data: ctx(&data),
        as_of: super::page::running(v, qi),
    }
}

/// Quarter `qi`'s alignment tree: which objectives support which, team by team.
pub fn alignment_page(v: &Views<'_>, qi: usize, light: bool) -> Page {
    let q = &v.site.quarters[qi];
    let values = match light {
        true => Vec::new(),
        false => objective_values(&v.team_quarters[qi]),
    };
    let (tree, unaligned) = alignment_nodes(v, qi, &values);
    let quarter = views::quarter_ref(&v.fmt, v.t, q);
    let title = format!("{} — {}", v.t.get("alignment_title"), quarter.label);
    let data = ListData {
        quarter,
        at_risk: Vec::new(),
        tree,
        unaligned,
    };
    Page {
        path: urls::quarter_alignment(q.quarter),
        template: "quarter-alignment.html",
        title,
        nav: "quarters",
        data: ctx(&data),
        as_of: super::page::running(v, qi),
    }
}
