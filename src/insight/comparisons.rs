//! A metric's newest value compared with earlier ones: the previous point, about a
//! month and about a year before; and each point's change from the one before it.

use jiff::civil::Date;

use crate::model::Point;

/// Below this magnitude a previous value counts as zero for a percent change: the
/// ratio would be meaningless (and, divided by a subnormal, infinite).
pub const PERCENT_BASE_EPSILON: f64 = 1e-9;

/// The change from `previous` to `current` in percent of `previous`'s magnitude, or
/// `None` when `previous` is 0 or within [`PERCENT_BASE_EPSILON`] of it (no percent
/// change is shown then). Always finite when both values are finite.
pub fn percent_change(current: f64, previous: f64) -> Option<f64> {
    if previous.is_nan() || previous.abs() < PERCENT_BASE_EPSILON {
        return None;
    }
    let pct = (current - previous) / previous.abs() * 100.0;
    pct.is_finite().then_some(pct)
}

/// What the newest value is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The point right before it.
    Previous,
    /// The point nearest 28 days earlier, within 7 days.
    Month,
    /// The point nearest 364 days earlier, within 10 days.
    Year,
}

/// The newest value on or before today against one earlier point.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'a> {
    pub period: Period,
    /// The earlier point.
    pub against: &'a Point,
    /// Newest value minus the earlier one.
    pub delta: f64,
    /// [`percent_change`] from the earlier value to the newest.
    pub percent: Option<f64>,
}

/// The newest value (the last point on or before `today`; `points` sorted by date)
/// against the previous point, about a month and about a year earlier, in that
/// order, where such points exist.
pub fn comparisons(points: &[Point], today: Date) -> Vec<Comparison<'_>> {
    let Some(idx) = points.iter().rposition(|p| p.date <= today) else {
        return Vec::new();
    };
    let latest = &points[idx];
    let near = |days: i64, tolerance: i64| {
        points[..idx]
            .iter()
            .filter(|p| ((latest.date - p.date).get_days() as i64 - days).abs() <= tolerance)
            .min_by_key(|p| ((latest.date - p.date).get_days() as i64 - days).abs())
    };
    let candidates = [
        (Period::Previous, idx.checked_sub(1).map(|i| &points[i])),
        (Period::Month, near(28, 7)),
        (Period::Year, near(364, 10)),
    ];
    candidates
        .into_iter()
        .filter_map(|(period, p)| {
            let p = p?;
            Some(Comparison {
                period,
                against: p,
                delta: latest.value - p.value,
                percent: percent_change(latest.value, p.value),
            })
        })
        .collect()
}

/// Each point's change from the point before it (`None` for the first).
pub fn changes(points: &[Point]) -> impl Iterator<Item = Option<f64>> + '_ {
    (0..points.len()).map(|i| i.checked_sub(1).map(|j| points[i].value - points[j].value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn point(d: Date, value: f64) -> Point {
        Point::new(d, value)
    }

    #[test]
    fn percent_changes_are_finite_or_absent() {
        assert_eq!(percent_change(1.0, 1e-320), None);
        assert_eq!(percent_change(1.0, 0.0), None);
        assert_eq!(percent_change(1.0, -0.0), None);
        assert_eq!(percent_change(110.0, 100.0), Some(10.0));
        assert_eq!(percent_change(-110.0, -100.0), Some(-10.0));
        assert!(percent_change(1e15, 1e-9).unwrap().is_finite());
    }

    #[test]
    fn the_newest_value_against_previous_month_and_year() {
        let points = [
            point(date(2025, 3, 5), 50.0),  // 364 days before 2026-03-04: a year
            point(date(2026, 1, 30), 20.0), // 33 days before: within a month's 7
            point(date(2026, 2, 3), 40.0),  // 29 days before: nearer a month
            point(date(2026, 2, 25), 80.0), // previous
            point(date(2026, 3, 4), 100.0), // newest on or before today
            point(date(2026, 3, 20), 1.0),  // after today: ignored
        ];
        let found = comparisons(&points, date(2026, 3, 10));
        let summary: Vec<(Period, Date, f64, Option<f64>)> = found
            .iter()
            .map(|c| (c.period, c.against.date, c.delta, c.percent))
            .collect();
        assert_eq!(
            summary,
            [
                (Period::Previous, date(2026, 2, 25), 20.0, Some(25.0)),
                (Period::Month, date(2026, 2, 3), 60.0, Some(150.0)),
                (Period::Year, date(2025, 3, 5), 50.0, Some(100.0)),
            ]
        );
    }

    #[test]
    fn no_earlier_point_no_comparison() {
        let points = [point(date(2026, 3, 4), 100.0)];
        assert!(comparisons(&points, date(2026, 3, 10)).is_empty());
        assert!(comparisons(&points, date(2026, 3, 1)).is_empty());
        // Nothing within a month's or a year's tolerance: only the previous point.
        let points = [point(date(2026, 1, 1), 0.0), point(date(2026, 3, 4), 5.0)];
        let found = comparisons(&points, date(2026, 3, 4));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].period, found[0].delta, found[0].percent),
            (Period::Previous, 5.0, None)
        );
    }

    #[test]
    fn each_point_changes_from_the_one_before() {
        let points = [
            point(date(2026, 1, 1), 3.0),
            point(date(2026, 1, 2), 5.5),
            point(date(2026, 1, 3), 1.0),
        ];
        assert_eq!(changes(&points).collect::<Vec<_>>(), [None, Some(2.5), Some(-4.5)]);
    }
}
