//! The metrics index and each metric's page (definition, charts, comparisons,
//! points, the KRs it measures).

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;
use tera::Context;

use super::light::{KrLine, Shown};
use super::page::{Page, ctx};
use crate::insight;
use crate::model::{Aggregate, KrData, Layer, Metric, Point, Quarter, Unit};
use crate::render::charts::{self, Chart};
use crate::render::format::Strings;
use crate::render::urls;
use crate::render::views::{self, KrView, LightView, TeamRef, Views, light};
use crate::score;

/// A KR by position: (quarter, team, objective, KR) indices into the site and its views.
pub type KrPosition = (usize, usize, usize, usize);

/// A metric of the index: in the KPI tree or in the table of the others.
#[derive(Serialize)]
struct IndexRow {
    name: String,
    url: String,
    layer: Option<String>,
    latest: Option<String>,
    date: Option<String>,
    change: Option<String>,
    band: LightView,
    stale: bool,
}

/// One appearance of a metric in the KPI tree, with the tags around it: the
/// template writes `<li>` node, then `<ul>` when its levers follow (`open`) or
/// `</li>`, then `close` times `</ul></li>`. A flat list, so a deep tree renders
/// without recursion.
#[derive(Serialize)]
struct TreeRow {
    #[serde(flatten)]
    metric: IndexRow,
    /// The anchor of the metric's first appearance (`metric-<id>`).
    anchor: Option<String>,
    /// For a metric whose levers were shown at an earlier appearance: its anchor.
    levers_above: Option<String>,
    /// The worst colour under it, for a metric with levers.
    worst: Option<LightView>,
    open: bool,
    close: usize,
}

pub fn metrics_index(v: &Views<'_>) -> Page {
    let tree = insight::kpi_tree::kpi_tree(&v.site.metrics, v.site.today);
    let row = |i: usize| {
        let s = &tree.states[i];
        let unit = s.metric.unit.as_ref();
        IndexRow {
            name: s.metric.name.clone(),
            url: urls::metric(&s.metric.id),
            layer: layer_label(v.t, s.metric.layer),
            latest: s.newest.map(|p| v.fmt.compact(p.value, unit)),
            date: s.newest.map(|p| v.fmt.date(p.date)),
            change: s.change.map(|d| v.fmt.change_compact(d, unit, None)),
            band: light(v.t, "band", s.band),
            stale: s.stale.is_some(),
        }
    };
    let nodes = &tree.nodes;
    let mut seen = vec![false; tree.states.len()];
    let rows: Vec<TreeRow> = nodes
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let anchor = format!("metric-{}", tree.states[n.metric].metric.id);
            let next_depth = nodes.get(k + 1).map_or(0, |next| next.depth);
            let first = !std::mem::replace(&mut seen[n.metric], true);
            TreeRow {
                metric: row(n.metric),
                anchor: first.then(|| anchor.clone()),
                levers_above: (n.has_levers && !n.expanded).then_some(anchor),
                worst: n.has_levers.then(|| light(v.t, "band", tree.states[n.metric].worst)),
                open: n.expanded,
                close: if n.expanded {
                    0
                } else {
                    n.depth.saturating_sub(next_depth)
                },
            }
        })
        .collect();
    let others: Vec<IndexRow> = tree.loose.iter().map(|&i| row(i)).collect();
    let mut data = Context::new();
    data.insert("tree", &rows);
    data.insert("metrics", &others);
    Page {
        path: urls::metrics(),
        template: "metrics.html",
        title: v.t.get("metrics_title").into(),
        nav: "metrics",
        data,
        as_of: false,
    }
}

fn layer_label(t: &Strings, layer: Option<Layer>) -> Option<String> {
    let key = |l: Layer| match l {
        Layer::Leading => "leading",
        Layer::Intermediate => "intermediate",
        Layer::Lagging => "lagging",
    };
    layer.map(|l| t.get(&format!("layer_{}", key(l))).to_string())
}

/// Every KR measured by each metric, as (quarter, team, objective, KR) indexes, newest
/// quarter first: one pass over all KRs instead of one per metric page.
pub fn metric_users<'a>(v: &Views<'a>) -> HashMap<&'a str, Vec<KrPosition>> {
    let mut users: HashMap<&'a str, Vec<KrPosition>> = HashMap::new();
    for (qi, q) in v.site.quarters.iter().enumerate().rev() {
        for (ti, tq) in q.teams.iter().enumerate() {
            let objectives = tq.okrs.iter().flat_map(|o| o.objectives.iter());
            for (oi, o) in objectives.take(v.team_quarters[qi][ti].objectives.len()).enumerate() {
                let krs = v.team_quarters[qi][ti].objectives[oi].key_results.len();
                for (ki, kr) in o.key_results.iter().take(krs).enumerate() {
                    if let KrData::Metric(id) = &kr.data {
                        users.entry(id.as_str()).or_default().push((qi, ti, oi, ki));
                    }
                }
            }
        }
    }
    users
}

#[derive(Serialize)]
struct Fact {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct PointRow {
    date: String,
    value: String,
    change: Option<String>,
    band: Option<LightView>,
    note: Option<String>,
}

#[derive(Serialize)]
struct UsedBy<'a> {
    quarter: String,
    team: &'a TeamRef,
    kr: Shown<&'a KrView, KrLine<'a>>,
}

#[derive(Serialize)]
struct Comparison {
    label: String,
    against: String,
    change: String,
}

#[derive(Serialize)]
struct Data<'a> {
    id: &'a str,
    name: &'a str,
    unit: Option<&'a str>,
    definition: Vec<Fact>,
    layer: Option<String>,
    direction: Option<String>,
    aggregate: String,
    red: Option<String>,
    yellow: Option<String>,
    latest: Option<String>,
    band: LightView,
    points: Vec<PointRow>,
    used_by: Vec<UsedBy<'a>>,
    source: &'a str,
    charts: Vec<Chart>,
    comparisons: Vec<Comparison>,
    /// `thresholds.action`, always in the definition facts.
    action: Option<&'a str>,
    /// The action again at the top, when the newest value is red or yellow.
    act_now: bool,
    /// "No new data: the newest point is …", when the data stopped arriving.
    stale: Option<String>,
    /// The metrics this one drives (its KPI tree parents) and those driving it.
    drives: Vec<MetricLink>,
    driven_by: Vec<MetricLink>,
}

/// A link to another metric with its colour now.
#[derive(Serialize)]
pub struct MetricLink {
    name: String,
    url: String,
    band: LightView,
}

fn metric_link(v: &Views<'_>, m: &Metric) -> MetricLink {
    MetricLink {
        name: m.name.clone(),
        url: urls::metric(&m.id),
        band: light(
            v.t,
            "band",
            insight::metric_band::metric_band(m, v.site.today).map(|(b, _)| b),
        ),
    }
}

/// "No new data: the newest point is 2025年10月6日, …", or none. Without a count
/// of days since: the text then stays as it is from the day the metric turns
/// stale until new data comes (a page that changed every day would be rewritten
/// by every rebuild).
pub fn stale_text(v: &Views<'_>, m: &Metric) -> Option<String> {
    insight::metric_band::staleness(m, v.site.today)
        .map(|s| v.t.fill("metric_stale_since", "date", &v.fmt.date(s.newest)))
}

/// `levers`: the indices of the metrics that drive `m` ([`insight::kpi_tree::levers`]).
pub fn metric_page(v: &Views<'_>, m: &Metric, users: &[KrPosition], levers: &[usize], light_views: bool) -> Page {
    let t = v.t;
    let unit = m.unit.as_ref();
    let band = insight::metric_band::metric_band(m, v.site.today);
    let latest = band
        .map(|(_, p)| p)
        .or_else(|| insight::metric_band::latest_point(&m.points, v.site.today));
    let threshold = |line: Option<f64>| line.map(|x| v.fmt.value(x, unit));
    let data = Data {
        charts: metric_charts(v, m),
        comparisons: comparisons(v, m),
        id: &m.id,
        name: &m.name,
        unit: unit.map(Unit::text),
        definition: definition_facts(t, m),
        layer: layer_label(t, m.layer),
        direction: views::direction_label(t, m.direction),
        aggregate: t
            .get(match m.aggregate {
                Aggregate::Last => "aggregate_last",
                Aggregate::Sum => "aggregate_sum",
            })
            .to_string(),
        red: threshold(m.thresholds.and_then(|th| th.red)),
        yellow: threshold(m.thresholds.and_then(|th| th.yellow)),
        latest: latest.map(|p| v.fmt.compact(p.value, unit)),
        band: light(t, "band", band.map(|(b, _)| b)),
        points: point_rows(v, m),
        used_by: used_by(v, users, light_views),
        source: &m.source,
        action: m.action.as_deref(),
        act_now: band.is_some_and(|(b, _)| b != crate::model::Light::Green),
        stale: stale_text(v, m),
        drives: m
            .drives
            .iter()
            .filter_map(|d| v.site.metric(d.as_str()))
            .map(|d| metric_link(v, d))
            .collect(),
        driven_by: levers.iter().map(|&i| metric_link(v, &v.site.metrics[i])).collect(),
    };
    Page {
        path: urls::metric(&m.id),
        template: "metric.html",
        title: m.name.clone(),
        nav: "metrics",
        data: ctx(&data),
        as_of: false,
    }
}

/// The metric's definition, the parts its file gives, in a fixed order.
fn definition_facts(t: &Strings, m: &Metric) -> Vec<Fact> {
    let d = &m.definition;
    [
        ("def_formula", &d.formula),
        ("def_numerator", &d.numerator),
        ("def_denominator", &d.denominator),
        ("def_period", &d.period),
        ("def_exclusions", &d.exclusions),
        ("def_source", &d.source),
        ("def_frequency", &d.frequency),
        ("def_owner", &d.owner),
    ]
    .into_iter()
    .filter_map(|(k, val)| {
        val.as_ref().map(|s| Fact {
            label: t.get(k).to_string(),
            value: s.clone(),
        })
    })
    .collect()
}

/// Every point, newest first, with its change from the one before and its band.
fn point_rows(v: &Views<'_>, m: &Metric) -> Vec<PointRow> {
    let unit = m.unit.as_ref();
    let mut rows: Vec<PointRow> = m
        .points
        .iter()
        .zip(insight::comparisons::changes(&m.points))
        .map(|(p, change)| PointRow {
            date: v.fmt.date(p.date),
            value: v.fmt.value(p.value, unit),
            change: change.map(|delta| v.fmt.change(delta, unit, None)),
            band: match (m.thresholds, m.direction) {
                (Some(th), Some(dir)) => Some(light(v.t, "band", Some(score::threshold_band(p.value, th, dir)))),
                _ => None,
            },
            note: p.note.clone(),
        })
        .collect();
    rows.reverse();
    rows
}

/// The KRs measured by the metric, newest quarter first.
fn used_by<'a>(v: &'a Views<'_>, users: &[KrPosition], light: bool) -> Vec<UsedBy<'a>> {
    users
        .iter()
        .map(|&(qi, ti, oi, ki)| {
            let tqv = &v.team_quarters[qi][ti];
            UsedBy {
                quarter: tqv.quarter.label.clone(),
                team: &tqv.team,
                kr: Shown::of(light, &tqv.objectives[oi].key_results[ki], |k| k, KrLine::from),
            }
        })
        .collect()
}

/// The metric's charts, with the quarters its points span as the background.
fn metric_charts(v: &Views<'_>, m: &Metric) -> Vec<Chart> {
    let fy = v.site.config.fiscal_year_start_month;
    let quarters = match (m.points.first(), m.points.last()) {
        (Some(first), Some(last)) => quarters_between(first.date, last.date, fy),
        _ => Vec::new(),
    };
    // A count (scored by its sum) also shows its running total per quarter.
    let quarter_to_date = (m.aggregate == crate::model::Aggregate::Sum).then(|| {
        let bounds: Vec<_> = quarters.iter().map(|(s, e, _)| (*s, *e)).collect();
        crate::insight::series::quarter_to_date(&m.points, &bounds)
    });
    charts::metric_charts(
        &charts::MetricChartInput {
            id: "chart-metric",
            name: &m.name,
            unit: m.unit.as_ref(),
            points: &m.points,
            quarter_to_date: quarter_to_date.as_deref(),
            thresholds: m.thresholds.zip(m.direction),
            quarters: &quarters,
        },
        &v.labels,
    )
}

/// The quarters from the one holding `from` to the one holding `to`, labelled `2025-Q3`.
fn quarters_between(from: Date, to: Date, fy: i8) -> Vec<(Date, Date, String)> {
    Quarter::spanning(from, to, fy)
        .map(|q| {
            let (start, end) = q.bounds(fy);
            (start, end, q.to_string())
        })
        .collect()
}

/// The newest value against the previous point, about a month and about a year
/// earlier ([`insight::comparisons`]), in words.
fn comparisons(v: &Views<'_>, m: &Metric) -> Vec<Comparison> {
    use insight::comparisons::Period;
    let unit = m.unit.as_ref();
    insight::comparisons::comparisons(&m.points, v.site.today)
        .into_iter()
        .map(|c| {
            let key = match c.period {
                Period::Previous => "vs_previous",
                Period::Month => "vs_month",
                Period::Year => "vs_year",
            };
            let against: &Point = c.against;
            Comparison {
                label: v.t.get(key).to_string(),
                against: format!("{} ({})", v.fmt.value(against.value, unit), v.fmt.date(against.date)),
                change: v.fmt.change(c.delta, unit, c.percent),
            }
        })
        .collect()
}
