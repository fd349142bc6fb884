//! The metrics index and each metric's page (definition, charts, comparisons,
//! points, the KRs it measures).

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;
use tera::Context;

use super::page::{Page, ctx};
use crate::insight;
use crate::model::{Aggregate, KrData, Layer, Metric, Point, Quarter};
use crate::render::charts::{self, Chart};
use crate::render::format::{self, Strings};
use crate::render::urls;
use crate::render::views::{self, KrView, LightView, TeamRef, Views, light};
use crate::score;

/// A KR by position: (quarter, team, objective, KR) indices into the site and its views.
pub type KrPosition = (usize, usize, usize, usize);

pub fn metrics_index(v: &Views<'_>) -> Page {
    #[derive(Serialize)]
    struct Row {
        name: String,
        url: String,
        layer: Option<String>,
        latest: Option<String>,
        date: Option<String>,
        band: LightView,
    }
    let today = v.site.today;
    let rows: Vec<Row> = v
        .site
        .metrics
        .iter()
        .map(|m| {
            let latest = insight::metric_band::latest_point(&m.points, today);
            Row {
                name: m.name.clone(),
                url: urls::metric(&m.id),
                layer: layer_label(v.t, m.layer),
                latest: latest.map(|p| format::with_unit(p.value, m.unit.as_deref())),
                date: latest.map(|p| v.fmt.date(p.date)),
                band: light(v.t, "band", insight::metric_band::metric_band(m, today).map(|(b, _)| b)),
            }
        })
        .collect();
    let mut data = Context::new();
    data.insert("metrics", &rows);
    Page {
        path: urls::metrics(),
        template: "metrics.html",
        title: v.t.get("metrics_title").into(),
        nav: "metrics",
        data,
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
    kr: &'a KrView,
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
}

pub fn metric_page(v: &Views<'_>, m: &Metric, users: &[KrPosition]) -> Page {
    let t = v.t;
    let unit = m.unit.as_deref();
    let band = insight::metric_band::metric_band(m, v.site.today);
    let latest = band
        .map(|(_, p)| p)
        .or_else(|| insight::metric_band::latest_point(&m.points, v.site.today));
    let threshold = |line: Option<f64>| line.map(|x| format::with_unit(x, unit));
    let data = Data {
        charts: metric_charts(v, m),
        comparisons: comparisons(v, m),
        id: &m.id,
        name: &m.name,
        unit,
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
        latest: latest.map(|p| format::with_unit(p.value, unit)),
        band: light(t, "band", band.map(|(b, _)| b)),
        points: point_rows(v, m),
        used_by: used_by(v, users),
        source: &m.source,
    };
    Page {
        path: urls::metric(&m.id),
        template: "metric.html",
        title: m.name.clone(),
        nav: "metrics",
        data: ctx(&data),
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
    let unit = m.unit.as_deref();
    let mut rows: Vec<PointRow> = m
        .points
        .iter()
        .zip(insight::comparisons::changes(&m.points))
        .map(|(p, change)| PointRow {
            date: v.fmt.short_date(p.date),
            value: format::with_unit(p.value, unit),
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
fn used_by<'a>(v: &'a Views<'_>, users: &[KrPosition]) -> Vec<UsedBy<'a>> {
    users
        .iter()
        .map(|&(qi, ti, oi, ki)| {
            let tqv = &v.team_quarters[qi][ti];
            UsedBy {
                quarter: tqv.quarter.label.clone(),
                team: &tqv.team,
                kr: &tqv.objectives[oi].key_results[ki],
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
            unit: m.unit.as_deref(),
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
    let unit = m.unit.as_deref();
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
                against: format!(
                    "{} ({})",
                    format::with_unit(against.value, unit),
                    v.fmt.date(against.date)
                ),
                change: v.fmt.change(c.delta, unit, c.percent),
            }
        })
        .collect()
}
