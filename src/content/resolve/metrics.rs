//! Metrics and the series of values (metric points, a KR's own values).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::super::bounds::{in_range, out_of_range};
use super::super::cycles::{cycle_names, knots};
use super::super::load::{Loaded, LoadedContent};
use super::super::metric_csv::CsvPoints;
use super::super::raw::{RawMetric, RawThresholds};
use super::super::yaml::YamlPath;
use super::Options;
use super::ids::{is_slug, slug_help};
use super::report::{Help, Reporter, listing};
use super::series::{CsvLayout, YamlLayout, resolve_series};
use crate::diag::{Diagnostic, Message, Position};
use crate::domain::{Cadence, Unit, UnitPosition};
use crate::model::{Direction, Metric, MetricId, Point, Thresholds};
use crate::msg;

/// The published metrics, and what key results need to know of every metric file.
pub(super) struct Metrics<'c> {
    pub(super) metrics: Vec<Metric>,
    /// The id of every metric file, parsed or not.
    pub(super) files: HashSet<&'c str>,
    /// The same ids sorted, once, for help texts (sorting them for each unknown
    /// metric was quadratic).
    pub(super) sorted: Vec<&'c str>,
    /// Ids of the metric files that parsed.
    pub(super) parsed: HashSet<&'c str>,
    /// Ids of the metrics left out of the site as private.
    pub(super) private: HashSet<&'c str>,
}

/// The metrics of content/metrics/, private ones left out (unless building drafts).
pub(super) fn resolve_metrics<'c>(content: &'c LoadedContent, opts: Options, r: &mut Reporter<'_>) -> Metrics<'c> {
    let mut metrics = Vec::new();
    let mut private = HashSet::new();
    for (id, l) in &content.metrics {
        if !is_slug(id) {
            let d = Diagnostic::error(l.file.clone(), None, crate::msg!("metric.not_slug", id = id))
                .with_help(slug_help(id));
            r.diagnostics.push(d);
        }
        if !opts.publishes(&l.raw) {
            private.insert(id.as_str());
            continue;
        }
        metrics.push(resolve_metric(id, l, content.metric_csvs.get(id), opts, r));
    }
    let files: HashSet<&str> = content.metric_files.iter().map(String::as_str).collect();
    let mut sorted: Vec<&str> = files.iter().copied().collect();
    sorted.sort_unstable();
    check_csvs_without_metric(content, &files, &sorted, r);
    check_unknown_drives(content, &files, &sorted, r);
    check_drives_cycles(content, r);
    keep_published_drives(&mut metrics);
    Metrics {
        metrics,
        parsed: content.metrics.iter().map(|(id, _)| id.as_str()).collect(),
        files,
        sorted,
        private,
    }
}

fn resolve_metric(
    id: &str,
    l: &Loaded<RawMetric>,
    csv: Option<&Loaded<CsvPoints>>,
    opts: Options,
    r: &mut Reporter<'_>,
) -> Metric {
    let m = &l.raw;
    let thresholds = m.thresholds.as_ref().map(|t| resolve_thresholds(l, t, r));
    let errors_before = r.diagnostics.iter().filter(|d| d.is_error()).count();
    let points = match csv {
        Some(csv) => {
            check_points_in_one_place(l, csv, r);
            let layout = CsvLayout {
                text: &csv.text,
                rows: &csv.raw.rows,
            };
            resolve_series(csv, &layout, &csv.raw.points, opts.today, r)
        }
        None => {
            let path = YamlPath::root().key("points");
            let layout = YamlLayout {
                path: &path,
                series: &m.points,
            };
            resolve_series(l, &layout, &m.points.points, opts.today, r)
        }
    };
    // A point dropped for an error (a bad CSV row, a duplicate date) is already
    // reported: the metric is not also called stale for want of it.
    let points_dropped = csv.is_some_and(|c| !c.raw.problems.is_empty())
        || r.diagnostics.iter().filter(|d| d.is_error()).count() > errors_before;
    if let Some(cadence) = m.cadence
        && !points_dropped
    {
        warn_if_stale(id, l, cadence, &points, opts.today, r);
    }
    Metric {
        id: MetricId::new(id),
        name: m.name.clone(),
        unit: resolve_unit(l, &YamlPath::root(), (&m.unit, &m.unit_one, m.unit_position), r),
        direction: m.direction,
        layer: m.layer,
        definition: m.definition.clone().unwrap_or_default(),
        aggregate: m.aggregate.unwrap_or_default(),
        thresholds,
        action: m.thresholds.as_ref().and_then(|t| t.action.clone()),
        cadence: m.cadence,
        // Checked against the other metrics (unknown, private, cycles) once all are read.
        drives: m.drives.iter().map(|d| MetricId::new(d.as_str())).collect(),
        points,
        source: l.file.clone(),
    }
}

/// A metric with a CSV has no `points` in its YAML: an error on the CSV, naming
/// the line of the YAML's `points`.
fn check_points_in_one_place(l: &Loaded<RawMetric>, csv: &Loaded<CsvPoints>, r: &mut Reporter<'_>) {
    if l.raw.points.points.is_empty() {
        return;
    }
    let message = match r.locate(l, &YamlPath::root().key("points")) {
        Some(p) => msg!("csv.both", file = &l.file, line = p.line),
        None => msg!("csv.both_unlocated", file = &l.file),
    };
    let d = Diagnostic::error(csv.file.clone(), Some(Position::new(1, 1)), message).with_help(msg!("csv.both_help"));
    r.diagnostics.push(d);
}

/// A CSV of points with no metric file beside it: an error at its first line, with
/// the nearest metric id.
fn check_csvs_without_metric(content: &LoadedContent, files: &HashSet<&str>, sorted: &[&str], r: &mut Reporter<'_>) {
    for (id, csv) in &content.metric_csvs {
        if files.contains(id.as_str()) {
            continue;
        }
        let yaml = format!("content/metrics/{id}.yaml");
        let help = match r.suggest(id, sorted) {
            Some(near) => msg!("csv.orphan_near_help", near = near),
            None => msg!("csv.orphan_help", file = &yaml),
        };
        let d = Diagnostic::error(
            csv.file.clone(),
            Some(Position::new(1, 1)),
            msg!("csv.orphan", file = &yaml),
        )
        .with_help(help);
        r.diagnostics.push(d);
    }
}

/// `drives` naming no metric file: an error at the name, with the nearest id.
fn check_unknown_drives(content: &LoadedContent, files: &HashSet<&str>, sorted: &[&str], r: &mut Reporter<'_>) {
    for (_, l) in &content.metrics {
        for (i, d) in l.raw.drives.iter().enumerate() {
            if files.contains(d.as_str()) {
                continue;
            }
            let help = r
                .suggest(d, sorted)
                .unwrap_or_else(|| crate::msg!("metric.drives_known_help", known = listing(sorted)));
            let at = YamlPath::root().key("drives").index(i);
            r.error(l, &at, crate::msg!("metric.unknown_drives", id = d)).help(help);
        }
    }
}

/// Each cycle of `drives` (a metric driving itself, or a → b → a) once, at the
/// `drives` of its first metric. Private metrics count: a cycle is wrong whoever
/// may read it.
fn check_drives_cycles(content: &LoadedContent, r: &mut Reporter<'_>) {
    let index: HashMap<&str, usize> = content
        .metrics
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let successors: Vec<Vec<usize>> = content
        .metrics
        .iter()
        .map(|(_, l)| {
            l.raw
                .drives
                .iter()
                .filter_map(|d| index.get(d.as_str()).copied())
                .collect()
        })
        .collect();
    for cycle in knots(&successors) {
        let (id, l) = &content.metrics[cycle[0]];
        let message = if cycle.len() == 1 {
            crate::msg!("metric.drives_self", id = id)
        } else {
            crate::msg!(
                "metric.drives_cycle",
                names = cycle_names(cycle.iter().map(|&n| content.metrics[n].0.as_str()))
            )
        };
        // The `drives` entry that leads to the next metric of the cycle.
        let next = &content.metrics[cycle[1 % cycle.len()]].0;
        let at = match l.raw.drives.iter().position(|d| d == next) {
            Some(i) => YamlPath::root().key("drives").index(i),
            None => YamlPath::root().key("drives"),
        };
        r.error(l, &at, message).help(crate::msg!("metric.drives_cycle_help"));
    }
}

/// A published metric keeps only the `drives` to published metrics (a private id is
/// not named in the output), each once.
fn keep_published_drives(metrics: &mut [Metric]) {
    let published: HashSet<MetricId> = metrics.iter().map(|m| m.id.clone()).collect();
    for m in metrics.iter_mut() {
        let mut seen = HashSet::new();
        m.drives.retain(|d| published.contains(d) && seen.insert(d.clone()));
    }
}

/// A `check` warning for a metric whose newest point (on or before today) is more
/// than two cadences old: its data stopped arriving.
fn warn_if_stale(
    id: &str,
    l: &Loaded<RawMetric>,
    cadence: Cadence,
    points: &[Point],
    today: Date,
    r: &mut Reporter<'_>,
) {
    let Some(newest) = points.iter().rev().map(|p| p.date).find(|d| *d <= today) else {
        return;
    };
    if !cadence.is_stale(newest, today) {
        return;
    }
    let days = (today - newest).get_days();
    let word = match cadence {
        Cadence::Daily => crate::msg!("metric.cadence.daily"),
        Cadence::Weekly => crate::msg!("metric.cadence.weekly"),
        Cadence::Monthly => crate::msg!("metric.cadence.monthly"),
        Cadence::Quarterly => crate::msg!("metric.cadence.quarterly"),
    };
    let every = match cadence.days() {
        1 => crate::msg!("metric.every_day"),
        n => crate::msg!("metric.every_days", n = n.to_string()),
    };
    let message = crate::msg!(
        "metric.stale",
        id = id,
        newest = newest.to_string(),
        days = days.to_string(),
        cadence = word,
        every = every,
    );
    r.warning(l, &YamlPath::root().key("cadence"), message)
        .help(crate::msg!("metric.stale_help"));
}

/// A metric's red and yellow lines: in range, with a direction, in its order.
fn resolve_thresholds(l: &Loaded<RawMetric>, t: &RawThresholds, r: &mut Reporter<'_>) -> Thresholds {
    let at = YamlPath::root().key("thresholds");
    for (key, v) in [("red", t.red), ("yellow", t.yellow)] {
        if let Some(v) = v.filter(|v| !in_range(*v)) {
            let (message, help) = out_of_range(Message::verbatim(format!("thresholds.{key}")), v);
            r.error(l, &at.key(key), message).help(help);
        }
    }
    match l.raw.direction {
        None => {
            r.error(l, &at, crate::msg!("metric.no_direction"))
                .help(crate::msg!("metric.no_direction_help"));
        }
        Some(dir) => check_threshold_order(l, &at, t, dir, r),
    }
    if t.red.is_none() && t.yellow.is_none() {
        // The example is in the metric's order: red below yellow only when higher is better.
        let example = match l.raw.direction {
            Some(Direction::Decrease) => crate::msg!("resolve.thresholds.example_decrease"),
            _ => crate::msg!("resolve.thresholds.example_increase"),
        };
        r.error(l, &at, crate::msg!("metric.no_thresholds")).help(example);
    }
    Thresholds {
        red: t.red,
        yellow: t.yellow,
    }
}

/// The red line lies beyond the yellow one, in the metric's bad direction.
fn check_threshold_order(
    l: &Loaded<RawMetric>,
    at: &YamlPath,
    t: &RawThresholds,
    dir: Direction,
    r: &mut Reporter<'_>,
) {
    // Out-of-range lines were reported already; their order says nothing more.
    let (Some(red), Some(yellow)) = (t.red.filter(|v| in_range(*v)), t.yellow.filter(|v| in_range(*v))) else {
        return;
    };
    let wrong = match dir {
        Direction::Increase => red > yellow,
        Direction::Decrease => red < yellow,
    };
    if wrong {
        let (red, yellow) = (red.to_string(), yellow.to_string());
        let (message, help) = match dir {
            Direction::Increase => (
                crate::msg!("metric.threshold_order_increase", red = red, yellow = yellow),
                crate::msg!("metric.threshold_order_increase_help"),
            ),
            Direction::Decrease => (
                crate::msg!("metric.threshold_order_decrease", red = red, yellow = yellow),
                crate::msg!("metric.threshold_order_decrease_help"),
            ),
        };
        r.error(l, &at.key("red"), message).help(help);
    }
}

/// A unit as a metric or KR writes it (`unit`, `unit_one`, `unit_position` in the
/// record at `at`); `unit_one` or `unit_position` without `unit` is a warning.
pub(super) fn resolve_unit<T>(
    l: &Loaded<T>,
    at: &YamlPath,
    (unit, one, position): (&Option<String>, &Option<String>, Option<UnitPosition>),
    r: &mut Reporter<'_>,
) -> Option<Unit> {
    if unit.as_deref().is_none_or(str::is_empty) {
        for (key, given) in [("unit_one", one.is_some()), ("unit_position", position.is_some())] {
            if given {
                r.warning(l, &at.key(key), msg!("metric.unit_alone", key = key))
                    .help(msg!("metric.unit_alone_help", key = key));
            }
        }
        return None;
    }
    unit.as_ref()
        .map(|text| Unit::new(text.as_str()).placed(position).with_one(one.clone()))
}
