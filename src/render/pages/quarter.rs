//! The quarters index and each quarter's page (team scores, the alignment tree,
//! KRs at risk).

use serde::Serialize;
use tera::Context;

use super::page::{Page, ctx};
use crate::insight::{self, alignment::ObjectiveAt};
use crate::model::QuarterData;
use crate::render::charts::{self, Bar, Chart};
use crate::render::format;
use crate::render::urls;
use crate::render::views::{self, KrView, LightView, Link, QuarterRef, TeamQuarterView, TeamRef, Views};

/// A KR at risk, with what a list of them shows beside it.
#[derive(Serialize)]
pub struct AtRisk<'a> {
    kr: &'a KrView,
    objective: &'a str,
    team: &'a TeamRef,
}

/// The KRs at risk in a quarter ([`insight::at_risk`]) with their views.
pub fn at_risk<'a>(v: &'a Views<'_>, qi: usize) -> Vec<AtRisk<'a>> {
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

pub fn quarters_index(v: &Views<'_>) -> Page {
    #[derive(Serialize)]
    struct Row {
        quarter: QuarterRef,
        teams: usize,
        company: Option<String>,
        grade: LightView,
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
    data.insert("calibration", &calibration(v));
    Page {
        path: urls::quarters(),
        template: "quarters.html",
        title: v.t.get("quarters_title").into(),
        nav: "quarters",
        data,
        as_of: false,
    }
}

/// The confidence calibration of the ended quarters ([`insight::calibration`]): the
/// chart and each team's shares; `None` when no KR has both numbers.
#[derive(Serialize)]
struct Calibration {
    chart: Chart,
    teams: Vec<CalibrationRow>,
}

#[derive(Serialize)]
struct CalibrationRow {
    team: TeamRef,
    krs: usize,
    over: String,
    under: String,
}

fn calibration(v: &Views<'_>) -> Option<Calibration> {
    use crate::insight::calibration::{kr_calibrations, team_calibrations};
    let (site, t) = (v.site, v.t);
    let krs = kr_calibrations(site, v.scores);
    if krs.is_empty() {
        return None;
    }
    let dots: Vec<charts::calibration::Dot> = krs
        .iter()
        .map(|k| {
            let (q, tq) = (&site.quarters[k.quarter], &v.team_quarters[k.quarter][k.team]);
            let kr = &tq.objectives[k.objective].key_results[k.kr];
            charts::calibration::Dot {
                label: format!("{} {}: {}", v.fmt.quarter(q.quarter), tq.team.name, kr.title),
                confidence: k.confidence,
                score: k.score,
                over: k.over_confident(),
                under: k.under_confident(),
            }
        })
        .collect();
    let words = charts::calibration::Words {
        item: t.get("chart_item"),
        confidence: t.get("calibration_mid_confidence"),
        score: t.get("calibration_final_score"),
        over: t.get("calibration_over"),
        under: t.get("calibration_under"),
        diagonal: t.get("calibration_diagonal"),
        verdict: t.get("calibration_verdict"),
    };
    let share = |s: f64| format!("{}%", format::percent(s));
    Some(Calibration {
        chart: charts::calibration::calibration_chart("chart-calibration", t.get("calibration_title"), &dots, &words),
        teams: team_calibrations(site, &krs)
            .into_iter()
            .map(|c| CalibrationRow {
                team: views::team_ref(c.team),
                krs: c.krs,
                over: share(c.over_share),
                under: share(c.under_share),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct TreeNode<'a> {
    depth: usize,
    /// How the node's item nests the alignment tree's lists.
    nest: views::Nest,
    team: &'a TeamRef,
    /// An objective view, already in Tera's form (see [`objective_values`]).
    objective: &'a tera::Value,
}

#[derive(Serialize)]
struct Data<'a> {
    quarter: QuarterRef,
    teams: &'a [tera::Value],
    tree: Vec<TreeNode<'a>>,
    unaligned: Vec<TreeNode<'a>>,
    at_risk: Vec<AtRisk<'a>>,
    overview: Option<Chart>,
    /// The quarter's booklet, to print (when it has teams).
    print_url: Option<String>,
    prev: Option<Link>,
    next: Option<Link>,
}

pub fn quarter_page(v: &Views<'_>, qi: usize) -> Page {
    let site = v.site;
    let q = &site.quarters[qi];
    let values = objective_values(&v.team_quarters[qi]);
    let (tree, unaligned) = alignment_nodes(v, qi, &values);
    let quarter = views::quarter_ref(&v.fmt, v.t, q);
    let overview = team_scores_chart(v, qi, &quarter.label);
    let link = |qq: &QuarterData| Link {
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
        print_url: (!q.teams.is_empty()).then(|| urls::quarter_print(q.quarter)),
        prev: qi.checked_sub(1).map(|i| link(&site.quarters[i])),
        next: site.quarters.get(qi + 1).map(link),
    };
    Page {
        path: urls::quarter(q.quarter),
        template: "quarter.html",
        title,
        nav: "quarters",
        data: ctx(&data),
        as_of: super::page::running(v, qi),
    }
}

/// Every team-quarter view converted to Tera's values once: the tree lists every
/// objective again, and Tera's values share their contents when cloned, so the
/// tree's objectives are the same values as `teams`' (this halved the page's cost).
fn objective_values(tqs: &[TeamQuarterView]) -> Vec<tera::Value> {
    tqs.iter().map(tera::Value::from_serializable).collect()
}

/// The alignment tree of quarter `qi` ([`insight::alignment::alignment_tree`]) and
/// the objectives it does not reach, as the objectives' values in `values`.
fn alignment_nodes<'a>(
    v: &'a Views<'_>,
    qi: usize,
    values: &'a [tera::Value],
) -> (Vec<TreeNode<'a>>, Vec<TreeNode<'a>>) {
    static UNDEFINED: std::sync::LazyLock<tera::Value> = std::sync::LazyLock::new(tera::Value::undefined);
    let tqs = &v.team_quarters[qi];
    let node = |depth: usize, nest: views::Nest, at: ObjectiveAt| TreeNode {
        depth,
        nest,
        team: &tqs[at.team].team,
        objective: values[at.team]
            .get_from_path("objectives")
            .and_then(|o| o.as_array())
            .and_then(|o| o.get(at.objective))
            .unwrap_or(&UNDEFINED),
    };
    let alignment = insight::alignment::alignment_tree(v.site, qi);
    let depths: Vec<usize> = alignment.tree.iter().map(|&(depth, _)| depth).collect();
    let tree = (alignment.tree.iter().zip(views::nesting(&depths)))
        .map(|(&(depth, at), nest)| node(depth, nest, at))
        .collect();
    let flat = views::Nest {
        opens: false,
        closes: 0,
    };
    let unaligned = alignment.unaligned.iter().map(|&at| node(0, flat, at)).collect();
    (tree, unaligned)
}

/// The bar chart of quarter `qi`'s team scores (teams with OKRs), if any.
fn team_scores_chart(v: &Views<'_>, qi: usize, label: &str) -> Option<Chart> {
    let bars: Vec<Bar> = v.team_quarters[qi]
        .iter()
        .zip(&v.scores.quarters[qi])
        .filter(|(tqv, _)| tqv.has_okrs)
        .map(|(tqv, ts)| Bar {
            label: tqv.team.name.clone(),
            score: ts.score,
        })
        .collect();
    (!bars.is_empty()).then(|| {
        let chart_title = format!("{} — {label}", v.t.get("team_scores_chart"));
        // A running quarter's scores are outlooks: no grade colours.
        let running = v.site.quarters[qi].status == crate::model::QuarterStatus::InProgress;
        let outlook = running.then(|| v.t.get("grade_outlook"));
        charts::bars_chart_outlook(
            "chart-teams",
            &chart_title,
            &bars,
            outlook,
            v.site.config.scoring,
            &v.labels,
        )
    })
}
