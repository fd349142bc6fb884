//! The quarters index and each quarter's page (team scores, the alignment tree,
//! KRs at risk).

use serde::Serialize;
use tera::Context;

use super::light::{KrLine, ObjectiveLine, Shown};
use super::page::{Page, ctx};
use super::quarter_lists::{AtRiskTop, SMALL_ORG, Spread, UnitView, at_risk_top, spread, team_units};
use crate::insight::{self, alignment::ObjectiveAt};
use crate::model::QuarterData;
use crate::render::charts::{self, Chart};
use crate::render::format;
use crate::render::urls;
use crate::render::views::{self, KrView, LightView, Link, QuarterRef, TeamQuarterView, TeamRef, Views};

/// A KR at risk, with what a list of them shows beside it.
#[derive(Serialize)]
pub struct AtRisk<'a> {
    kr: Shown<&'a KrView, KrLine<'a>>,
    objective: &'a str,
    team: &'a TeamRef,
    /// What put it on the list: its on-track status while the quarter runs, its grade
    /// once it has ended (the same badge on the dashboard and the quarter's pages).
    badge: &'a LightView,
}

/// The KRs at risk in a quarter ([`insight::at_risk`]) with their views.
pub fn at_risk<'a>(v: &'a Views<'_>, qi: usize, light: bool) -> Vec<AtRisk<'a>> {
    insight::at_risk::at_risk(&v.site.quarters[qi], &v.scores.quarters[qi])
        .into_iter()
        .map(|at| {
            let tqv = &v.team_quarters[qi][at.team];
            let objective = &tqv.objectives[at.objective];
            let kr = &objective.key_results[at.kr];
            let ended = v.site.quarters[qi].status == crate::model::QuarterStatus::Ended;
            AtRisk {
                kr: Shown::of(light, kr, |k| k, KrLine::from),
                objective: &objective.title,
                team: &tqv.team,
                badge: if ended { &kr.grade } else { &kr.status },
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
pub(super) struct TreeNode<'a> {
    depth: usize,
    /// How the node's item nests the alignment tree's lists.
    nest: views::Nest,
    team: &'a TeamRef,
    /// An objective view, already in Tera's form (see [`objective_values`]), or its line.
    objective: Shown<&'a tera::Value, ObjectiveLine<'a>>,
}

#[derive(Serialize)]
struct Data<'a> {
    quarter: QuarterRef,
    at_risk: AtRiskTop<'a>,
    spread: Option<Spread<'a>>,
    units: Vec<UnitView>,
    /// The quarter has team-quarters with retrospectives (their column is shown).
    retros: bool,
    /// The quarter's alignment tree, on a page of its own.
    alignment_url: String,
    /// The quarter's booklet, to print (when it has teams).
    print_url: Option<String>,
    prev: Option<Link>,
    next: Option<Link>,
}

/// A quarter's page: its KRs at risk (the most severe), the distribution of its team
/// scores and the team table grouped by unit; the full lists are linked.
pub fn quarter_page(v: &Views<'_>, qi: usize, light: bool) -> Page {
    let site = v.site;
    let q = &site.quarters[qi];
    let quarter = views::quarter_ref(&v.fmt, v.t, q);
    let link = |qq: &QuarterData| Link {
        label: v.fmt.quarter(qq.quarter),
        url: urls::quarter(qq.quarter),
    };
    let title = v.t.fill("quarter_title", "quarter", &quarter.label);
    let data = Data {
        quarter,
        at_risk: at_risk_top(v, qi, light),
        spread: spread(v, qi),
        units: team_units(v, qi, true, &|_| None),
        retros: site.teams.len() <= SMALL_ORG && v.team_quarters[qi].iter().any(|tq| tq.retro.is_some()),
        alignment_url: urls::quarter_alignment(q.quarter),
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
pub(super) fn objective_values(tqs: &[TeamQuarterView]) -> Vec<tera::Value> {
    tqs.iter().map(tera::Value::from_serializable).collect()
}

/// The alignment tree of quarter `qi` ([`insight::alignment::alignment_tree`]) and
/// the objectives it does not reach, as the objectives' values in `values`, or
/// their light lines when `values` is empty.
pub(super) fn alignment_nodes<'a>(
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
        objective: match values.get(at.team) {
            Some(value) => Shown::Whole(
                (value.get_from_path("objectives"))
                    .and_then(|o| o.as_array())
                    .and_then(|o| o.get(at.objective))
                    .unwrap_or(&UNDEFINED),
            ),
            None => Shown::Light(ObjectiveLine::from(&tqs[at.team].objectives[at.objective])),
        },
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
