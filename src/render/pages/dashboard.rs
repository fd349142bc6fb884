//! The dashboard: the current quarter at a glance (at-risk KRs, teams, alerts,
//! newest learnings).

use serde::Serialize;

use super::page::{Page, ctx};
use super::quarter_lists::{AtRiskTop, SMALL_ORG, Spread, UnitView, at_risk_top, spread, team_units};
use crate::insight;
use crate::render::charts;
use crate::render::format;
use crate::render::urls;
use crate::render::views::{self, LearningView, LightView, QuarterRef, TeamQuarterView, Views, light};

#[derive(Serialize)]
struct Alert {
    name: String,
    url: String,
    value: String,
    date: String,
    band: LightView,
}

#[derive(Serialize)]
struct Data<'a> {
    quarter: Option<QuarterRef>,
    company: Option<&'a TeamQuarterView>,
    elapsed: Option<String>,
    days_left: Option<String>,
    at_risk: Option<AtRiskTop<'a>>,
    spread: Option<Spread<'a>>,
    alerts: Vec<Alert>,
    attention: Attention,
    /// The team table by unit: every team's row in a small organisation, the units
    /// (each linked to its place on the quarter page) in a large one.
    units: Vec<UnitView>,
    /// The units hold their teams' rows (a small organisation).
    team_rows: bool,
    learnings: &'a [LearningView],
}

pub fn dashboard(v: &Views<'_>, light: bool) -> Page {
    let mut data = Data {
        quarter: None,
        company: None,
        elapsed: None,
        days_left: None,
        at_risk: None,
        spread: None,
        alerts: Vec::new(),
        attention: Attention::default(),
        units: Vec::new(),
        team_rows: false,
        learnings: &v.learnings[..v.learnings.len().min(6)],
    };
    if let Some(qi) = v.current_quarter() {
        current_quarter(v, qi, light, &mut data);
        let small = v.site.teams.len() <= SMALL_ORG;
        data.units = team_units(v, qi, small, &|team| sparkline(v, qi, team));
        data.team_rows = small;
    }
    data.alerts = alerts(v);
    data.attention = attention(v);
    Page {
        as_of: super::page::any_running(v),
        path: "index.html".into(),
        template: "index.html",
        title: v.t.get("dashboard_title").into(),
        nav: "dashboard",
        data: ctx(&data),
    }
}

/// The current quarter `qi`: its reference, the company's score, how far it has got
/// and its KRs at risk.
fn current_quarter<'a>(v: &'a Views<'_>, qi: usize, light: bool, data: &mut Data<'a>) {
    let (site, t) = (v.site, v.t);
    let q = &site.quarters[qi];
    data.quarter = Some(views::quarter_ref(&v.fmt, t, q));
    let root_team = site.teams.iter().find(|t| t.parent.is_none());
    data.company = root_team.and_then(|rt| v.team_score(qi, &rt.id)).map(|(_, tqv)| tqv);
    if let Some(elapsed) = insight::elapsed::elapsed(q, site.today) {
        data.elapsed = Some(format!("{}%", (elapsed.share * 100.0).round()));
        data.days_left = Some(t.count("days_left", usize::try_from(elapsed.days_left).unwrap_or(0)));
    }
    data.at_risk = Some(at_risk_top(v, qi, light));
    data.spread = spread(v, qi);
}

/// A sparkline of `team`'s scores up to quarter `qi` (when two are known).
fn sparkline(v: &Views<'_>, qi: usize, team: &crate::model::Team) -> Option<String> {
    let site = v.site;
    let history: Vec<Option<f64>> = (0..=qi)
        .map(|i| v.team_score(i, &team.id).and_then(|(s, _)| s.score))
        .collect();
    let known = history.iter().flatten().count();
    (known >= 2).then(|| {
        // A running quarter's score is an outlook: drawn hollow and called so.
        let running = site.quarters[qi].status == crate::model::QuarterStatus::InProgress;
        let outlook = v.t.get("grade_outlook");
        let summary = history
            .iter()
            .zip(&site.quarters)
            .enumerate()
            .filter_map(|(i, (s, q))| {
                let s = format::score((*s)?);
                Some(match running && i == qi {
                    true => format!("{} {s} ({outlook})", q.quarter),
                    false => format!("{} {s}", q.quarter),
                })
            })
            .collect::<Vec<_>>()
            .join(", ");
        let title = format!("{} — {}", v.t.get("score_history"), team.name);
        charts::sparkline_outlook(&format!("spark-{}", team.id), &title, &history, running, &summary)
    })
}

/// Metrics out of their green band ([`insight::metric_band::alerts`]).
fn alerts(v: &Views<'_>) -> Vec<Alert> {
    insight::metric_band::alerts(&v.site.metrics, v.site.today)
        .into_iter()
        .map(|(band, m, p)| Alert {
            name: m.name.clone(),
            url: urls::metric(&m.id),
            value: v.fmt.compact(p.value, m.unit.as_ref()),
            date: v.fmt.date(p.date),
            band: light(v.t, "band", Some(band)),
        })
        .collect()
}

/// The "needs attention" list ([`insight::attention`]): its first rows, how many more,
/// and where the quarter's full at-risk list is (when it lists a KR).
#[derive(Serialize, Default)]
struct Attention {
    rows: Vec<AttentionRow>,
    more: Option<String>,
    quarter_url: Option<String>,
}

#[derive(Serialize)]
struct AttentionRow {
    name: String,
    url: String,
    light: LightView,
    /// A metric's newest value, or a KR's team and "behind pace".
    detail: Option<String>,
    /// A red or yellow metric's `thresholds.action`.
    action: Option<String>,
    stale: Option<String>,
    /// A KR behind pace (rather than a metric).
    kr: bool,
}

/// Rows the attention list shows; the rest are on the metrics index and the
/// quarter page (a short list is read; a long one is skipped).
const ATTENTION_SHOWN: usize = 8;

fn attention(v: &Views<'_>) -> Attention {
    use insight::attention::Attention as Row;
    let qi = v.current_quarter();
    let running = qi.map(|qi| (&v.site.quarters[qi], v.scores.quarters[qi].as_slice()));
    let all = insight::attention::attention(&v.site.metrics, running, v.site.today);
    let rows = all
        .iter()
        .take(ATTENTION_SHOWN)
        .map(|row| match row {
            Row::Metric {
                metric,
                point,
                band,
                stale,
            } => {
                let red_or_yellow = band.filter(|b| *b != crate::model::Light::Green);
                AttentionRow {
                    name: metric.name.clone(),
                    url: urls::metric(&metric.id),
                    light: light(v.t, "band", red_or_yellow),
                    detail: Some(v.fmt.compact(point.value, metric.unit.as_ref())),
                    action: red_or_yellow.and(metric.action.clone()),
                    stale: stale.and_then(|_| super::metric::stale_text(v, metric)),
                    kr: false,
                }
            }
            Row::Kr { at, status } => {
                let tqv = &v.team_quarters[qi.unwrap_or_default()][at.team];
                let kr = &tqv.objectives[at.objective].key_results[at.kr];
                AttentionRow {
                    name: kr.title.clone(),
                    url: kr.url.clone(),
                    light: light(v.t, "status", Some(*status)),
                    detail: Some(format!("{} · {}", tqv.team.name, v.t.get("attention_kr"))),
                    action: None,
                    stale: None,
                    kr: true,
                }
            }
        })
        .collect();
    Attention {
        rows,
        more: (all.len() > ATTENTION_SHOWN).then(|| v.t.count("attention_more", all.len() - ATTENTION_SHOWN)),
        // The quarter's at-risk page lists them all (at its #at-risk).
        quarter_url: qi
            .filter(|_| all.iter().any(|r| matches!(r, Row::Kr { .. })))
            .map(|qi| urls::quarter_at_risk(v.site.quarters[qi].quarter)),
    }
}
