//! `api/metrics.json`: every published metric with its KPI tree edges and where it
//! stands today (newest point, threshold colour, stale, action).

use serde::Serialize;

use crate::domain::{Cadence, Direction, Layer};
use crate::insight::metric_band::{latest_point, metric_band, staleness};
use crate::model::{Light, Site, Unit};
// Numbers as api/okrs.json writes them: integral values without a fraction.
use crate::render::export::Num;

#[derive(Serialize)]
struct Export<'a> {
    site: &'a str,
    base_url: &'a str,
    today: String,
    metrics: Vec<MetricOut<'a>>,
}

#[derive(Serialize)]
struct MetricOut<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    unit: Option<&'a str>,
    direction: Option<Direction>,
    layer: Option<Layer>,
    cadence: Option<Cadence>,
    /// The metrics it is a lever of (published ones only).
    drives: Vec<&'a str>,
    /// The newest point on or before today.
    newest: Option<PointOut>,
    /// The threshold colour of the newest value (none without thresholds).
    status: Option<Light>,
    stale: bool,
    action: Option<&'a str>,
}

#[derive(Serialize)]
struct PointOut {
    date: String,
    value: Num,
}

pub fn metrics_json(site: &Site) -> Vec<u8> {
    let base = site.config.base_url.as_str();
    let today = site.today;
    let metrics = site
        .metrics
        .iter()
        .map(|m| MetricOut {
            id: &m.id,
            name: &m.name,
            url: crate::render::urls::canonical(base, &crate::render::urls::metric(&m.id)),
            unit: m.unit.as_ref().map(Unit::text),
            direction: m.direction,
            layer: m.layer,
            cadence: m.cadence,
            drives: m.drives.iter().map(|d| d.as_str()).collect(),
            newest: latest_point(&m.points, today).map(|p| PointOut {
                date: p.date.to_string(),
                value: Num(p.value),
            }),
            status: metric_band(m, today).map(|(b, _)| b),
            stale: staleness(m, today).is_some(),
            action: m.action.as_deref(),
        })
        .collect();
    let export = Export {
        site: &site.config.title,
        base_url: base,
        today: today.to_string(),
        metrics,
    };
    let mut out = serde_json::to_vec_pretty(&export).unwrap_or_default();
    out.push(b'\n');
    out
}
