//! The teams index (the team tree) and each team's page (its quarters and score history).

use serde::Serialize;
use tera::Context;

use super::learnings::LearningCounts;
use super::light::{Shown, TeamQuarterRow};
use super::page::{Page, ctx};
use crate::insight;
use crate::model::{Quarter, QuarterData, QuarterStatus, Team};
use crate::render::charts::{self, Chart};
use crate::render::urls;
use crate::render::views::{self, TeamQuarterView, TeamRef, Views};
use crate::score::TeamScore;

pub fn teams_index(v: &Views<'_>) -> Page {
    #[derive(Serialize)]
    struct Row {
        team: TeamRef,
        nest: views::Nest,
        children: usize,
        /// The team's learnings in the archive (the search page filtered by the team).
        learnings: Option<super::learnings::FilterLink>,
    }
    let tree = insight::team_tree::team_tree(v.site);
    let depths: Vec<usize> = tree.iter().map(|(depth, _)| *depth).collect();
    let learnings = super::learnings::learning_counts(v);
    let rows: Vec<Row> = tree
        .into_iter()
        .zip(views::nesting(&depths))
        .map(|((_, t), nest)| Row {
            team: views::team_ref(t),
            nest,
            children: t.children.len(),
            learnings: learnings
                .get(t.id.as_str())
                .map(|&n| super::learnings::team_learnings_link_of(&t.id, v.t.count("teams_learnings", n))),
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
        as_of: false,
    }
}

#[derive(Serialize)]
struct Data<'a> {
    team: TeamRef,
    parent: Option<TeamRef>,
    children: Vec<TeamRef>,
    quarters: Vec<Shown<&'a TeamQuarterView, TeamQuarterRow<'a>>>,
    history: Option<Chart>,
    /// The team's learnings: the search page filtered by the team.
    learnings: Option<super::learnings::FilterLink>,
}

pub fn team_page(v: &Views<'_>, team: &Team, learning_counts: &LearningCounts<'_>, light: bool) -> Page {
    let site = v.site;
    let mut rows: Vec<&TeamQuarterView> = Vec::new();
    let mut history: Vec<(&QuarterData, &TeamScore)> = Vec::new();
    for (qi, q) in site.quarters.iter().enumerate() {
        if let Some((s, tqv)) = v.team_score(qi, &team.id) {
            rows.push(tqv);
            history.push((q, s));
        }
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
        quarters: (rows.into_iter().rev())
            .map(|tq| Shown::of(light, tq, |tq| tq, TeamQuarterRow::from))
            .collect(),
        history: score_history_chart(v, team, &history),
        learnings: super::learnings::team_learnings_link(v, learning_counts, &team.id),
    };
    Page {
        path: urls::team(&team.id),
        template: "team.html",
        title: team.name.clone(),
        nav: "teams",
        data: ctx(&data),
        as_of: false,
    }
}

/// The chart of the team's score in each of its quarters (`history`, oldest first);
/// a running quarter's score is drawn as an outlook.
fn score_history_chart(v: &Views<'_>, team: &Team, history: &[(&QuarterData, &TeamScore)]) -> Option<Chart> {
    let points: Vec<(Quarter, Option<f64>)> = history.iter().map(|(q, s)| (q.quarter, s.score)).collect();
    let outlook = history
        .iter()
        .position(|(q, _)| q.status == QuarterStatus::InProgress)
        .map(|index| charts::OutlookAt {
            index,
            word: v.t.get("grade_outlook"),
        });
    (!points.is_empty()).then(|| {
        let title = format!("{} — {}", v.t.get("score_history"), team.name);
        charts::score_history_chart_outlook(
            "chart-history",
            &title,
            &points,
            outlook,
            v.site.config.scoring,
            &v.labels,
        )
    })
}
