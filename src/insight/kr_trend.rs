//! A KR's series over its quarter, as its chart shows it, and where the running
//! quarter's pace leads.

use jiff::civil::Date;

use super::series::{day, plot_value};
use crate::model::{Aggregate, KeyResult, KrData, Point, QuarterData, QuarterStatus, Site};
use crate::score;

/// Days of context shown before the quarter (a last-value KR).
pub const CONTEXT_DAYS: f64 = 35.0;

/// What the trend is computed from.
pub struct TrendInput<'a> {
    /// The KR's whole series (metric points or its own values), sorted by date.
    pub points: &'a [Point],
    pub aggregate: Aggregate,
    pub start: Date,
    pub end: Date,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    /// The quarter is running: project where it ends.
    pub in_progress: bool,
}

/// A point as drawn: x (day), y, and its note.
pub type Plotted<'a> = (f64, f64, Option<&'a str>);

/// The series and lines a KR chart draws.
pub struct KrTrend<'a> {
    /// Points inside the quarter; for a count KR (scored by its sum) the running total.
    pub inside: Vec<Plotted<'a>>,
    /// Points up to [`CONTEXT_DAYS`] before the quarter and a week after it (a
    /// last-value KR only).
    pub context: Vec<(f64, f64)>,
    /// Where the running quarter ends at its recent pace.
    pub projected: Option<f64>,
    /// The score the projected value would earn.
    pub projected_score: Option<f64>,
}

/// What a KR's chart draws: its points over the quarter and, while the quarter
/// runs, where its pace leads and the score that would earn.
pub fn kr_trend<'a>(input: &TrendInput<'a>) -> KrTrend<'a> {
    let (inside, context) = plotted(input);
    let projected = if input.in_progress {
        projected_end(input, &inside)
    } else {
        None
    };
    let projected_score = match (projected, input.baseline, input.target) {
        (Some(p), Some(b), Some(t)) if b != t => Some(score::progress(p, b, t)),
        _ => None,
    };
    KrTrend {
        inside,
        context,
        projected,
        projected_score,
    }
}

/// The points inside the quarter as drawn (a count's running total), and the
/// context points around it (a last-value KR only).
fn plotted<'a>(input: &TrendInput<'a>) -> (Vec<Plotted<'a>>, Vec<(f64, f64)>) {
    let (x0, x1) = (day(input.start), day(input.end));
    let in_quarter = |p: &&Point| p.date >= input.start && p.date <= input.end;
    match input.aggregate {
        Aggregate::Sum => {
            let mut total = 0.0;
            let inside = input
                .points
                .iter()
                .filter(in_quarter)
                .map(|p| {
                    total += p.value;
                    (day(p.date), plot_value(total), p.note.as_deref())
                })
                .collect();
            (inside, Vec::new())
        }
        Aggregate::Last => (
            input
                .points
                .iter()
                .filter(in_quarter)
                .map(|p| (day(p.date), plot_value(p.value), p.note.as_deref()))
                .collect(),
            input
                .points
                .iter()
                .filter(|p| {
                    let x = day(p.date);
                    (x >= x0 - CONTEXT_DAYS && x < x0) || (x > x1 && x <= x1 + 7.0)
                })
                .map(|p| (day(p.date), plot_value(p.value)))
                .collect(),
        ),
    }
}

/// Where the running quarter ends at its recent pace.
fn projected_end(input: &TrendInput<'_>, inside: &[Plotted<'_>]) -> Option<f64> {
    let (x0, x1) = (day(input.start), day(input.end));
    match input.aggregate {
        // A count keeps its average daily rate to the end of the quarter.
        Aggregate::Sum => inside.last().and_then(|last| {
            let elapsed = last.0 - x0 + 1.0;
            (elapsed > 0.0).then(|| last.1 / elapsed * (x1 - x0 + 1.0))
        }),
        Aggregate::Last => {
            let xy: Vec<(f64, f64)> = inside.iter().map(|p| (p.0, p.1)).collect();
            projection(&xy, x1)
        }
    }
}

/// Where the recent pace leads by the quarter end: a least-squares line over the
/// last (up to six) points inside the quarter. `None` with fewer than two points.
/// Plotted values are at most 1e18 and x spans one quarter (92 days), so every sum here
/// and the result stay far from overflowing; a non-finite result is dropped anyway.
pub fn projection(inside: &[(f64, f64)], end: f64) -> Option<f64> {
    let recent = &inside[inside.len().saturating_sub(6)..];
    if recent.len() < 2 {
        return None;
    }
    let n = recent.len() as f64;
    let mx = recent.iter().map(|p| p.0).sum::<f64>() / n;
    let my = recent.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = recent.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = recent.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx;
    let last = recent[recent.len() - 1];
    let v = last.1 + slope * (end - last.0);
    v.is_finite().then_some(v)
}

/// The points a KR is measured on (a metric's or its own, sorted) and how they add up.
pub fn kr_points<'a>(site: &'a Site, kr: &'a KeyResult) -> (&'a [Point], Aggregate) {
    match &kr.data {
        KrData::Metric(id) => site
            .metric(id)
            .map_or((&[][..], Aggregate::Last), |m| (&m.points[..], m.aggregate)),
        KrData::Values(points) => (points, Aggregate::Last),
        KrData::None => (&[], Aggregate::Last),
    }
}

/// The trend input of a KR in its quarter.
pub fn trend_input<'a>(site: &'a Site, q: &QuarterData, kr: &'a KeyResult) -> TrendInput<'a> {
    let (points, aggregate) = kr_points(site, kr);
    TrendInput {
        points,
        aggregate,
        start: q.start,
        end: q.end,
        baseline: kr.baseline,
        target: kr.target,
        in_progress: q.status == QuarterStatus::InProgress,
    }
}

/// The value expected after `share` of the quarter on the straight line from the
/// baseline (its first day) to the target (its last day).
pub fn expected_value(baseline: f64, target: f64, share: f64) -> f64 {
    baseline + (target - baseline) * share
}

/// Pace and outlook of a KR while its quarter runs: what a weekly meeting reads first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outlook {
    /// The value expected by today on the line baseline → target ([`expected_value`]).
    pub expected: Option<f64>,
    /// The value now ([`crate::score::KrScore::current`]).
    pub current: Option<f64>,
    /// The value the recent pace leads to by the quarter's end, and its score.
    pub projected: Option<f64>,
    pub projected_score: Option<f64>,
    /// The confidence of the newest check-in that gives one.
    pub confidence: Option<f64>,
}

/// The outlook of a KR of quarter `q`, whose current value is `current`; `None`
/// unless the quarter is running.
pub fn outlook(site: &Site, q: &QuarterData, kr: &KeyResult, current: Option<f64>) -> Option<Outlook> {
    let elapsed = super::elapsed::elapsed(q, site.today)?;
    let measured = !matches!(kr.data, KrData::None);
    let trend = kr_trend(&trend_input(site, q, kr));
    Some(Outlook {
        expected: match (kr.baseline, kr.target) {
            (Some(b), Some(t)) if measured => Some(expected_value(b, t, elapsed.share)),
            _ => None,
        },
        current,
        projected: trend.projected,
        projected_score: trend.projected_score,
        confidence: kr.checkins.iter().rev().find_map(|c| c.confidence),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn point(d: Date, value: f64) -> Point {
        Point::new(d, value)
    }

    /// A count KR (sum) keeps its daily rate: 30 in the first 30 days of a 92-day
    /// quarter leads to 92.
    #[test]
    fn a_running_count_is_projected_at_its_daily_rate() {
        let points = [point(date(2026, 7, 10), 10.0), point(date(2026, 7, 30), 20.0)];
        let trend = kr_trend(&TrendInput {
            points: &points,
            aggregate: Aggregate::Sum,
            start: date(2026, 7, 1),
            end: date(2026, 9, 30),
            baseline: Some(0.0),
            target: Some(184.0),
            in_progress: true,
        });
        let totals: Vec<f64> = trend.inside.iter().map(|p| p.1).collect();
        assert_eq!(totals, [10.0, 30.0]);
        assert_eq!(trend.projected, Some(92.0));
        assert_eq!(trend.projected_score, Some(0.5));
    }

    /// A last-value KR follows the least-squares line of its recent points:
    /// 10 on day 0 and 20 on day 10 lead to 100 on day 90.
    #[test]
    fn a_running_value_follows_its_recent_line() {
        let start = date(2026, 7, 1);
        let points = [
            point(date(2026, 6, 20), 5.0),
            point(start, 10.0),
            point(date(2026, 7, 11), 20.0),
        ];
        let trend = kr_trend(&trend_input(&points, start));
        assert_eq!(trend.context, [(day(date(2026, 6, 20)), 5.0)]);
        assert_eq!(trend.projected, Some(100.0));
        assert_eq!(trend.projected_score, None);
        let ended = kr_trend(&TrendInput {
            in_progress: false,
            ..trend_input(&points, start)
        });
        assert_eq!(ended.projected, None);
    }

    /// Baseline 45, target 65, 30 of 92 days gone: 45 + 20 · 30/92 = 51.5217…
    #[test]
    fn the_expected_value_lies_on_the_straight_line() {
        let share = score::elapsed_share(date(2026, 7, 1), date(2026, 9, 30), date(2026, 7, 30));
        assert_eq!(share, 30.0 / 92.0);
        let expected = expected_value(45.0, 65.0, share);
        assert!((expected - 51.521_739_130_434_78).abs() < 1e-12, "{expected}");
        // A decreasing KR: 38 → 28 days, half gone: 33.
        assert_eq!(expected_value(38.0, 28.0, 0.5), 33.0);
    }

    fn trend_input(points: &[Point], start: Date) -> TrendInput<'_> {
        TrendInput {
            points,
            aggregate: Aggregate::Last,
            start,
            end: date(2026, 9, 29),
            baseline: None,
            target: None,
            in_progress: true,
        }
    }
}
