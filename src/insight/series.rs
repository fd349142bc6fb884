//! Series as numbers: dates as day numbers, values within the range a chart can
//! plot. Shared by the insight computed on series and the charts that draw them.

use jiff::civil::Date;

/// Days since 1970-01-01, as a chart x coordinate.
pub fn day(d: Date) -> f64 {
    days_from_civil(i64::from(d.year()), i64::from(d.month()), i64::from(d.day())) as f64
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm): plain integer arithmetic, as charts convert every point.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The largest axis end. Content values are at most 1e15 in magnitude; projections
/// can go somewhat beyond, and anything further is drawn off the chart's edge.
pub const MAX_AXIS: f64 = 1e18;

/// A value as plotted: clamped to [`MAX_AXIS`], so mapping it to a pixel cannot
/// overflow (the tables below a chart keep the real value).
pub fn plot_value(v: f64) -> f64 {
    v.clamp(-MAX_AXIS, MAX_AXIS)
}

/// The newest point inside `[start, end]` (`points` sorted by date).
pub fn newest_inside(points: &[crate::model::Point], start: Date, end: Date) -> Option<&crate::model::Point> {
    points.iter().rev().find(|p| p.date >= start && p.date <= end)
}

/// The running total of a count's points that restarts with each quarter (given as
/// its first and last day): what a count KR scores, point by point. A point in no
/// quarter keeps its own running total, restarted when it leaves a quarter.
pub fn quarter_to_date(points: &[crate::model::Point], quarters: &[(Date, Date)]) -> Vec<f64> {
    let mut totals = Vec::with_capacity(points.len());
    let mut total = 0.0;
    let mut current_quarter: Option<usize> = None;
    for p in points {
        let q = quarters.iter().position(|(s, e)| p.date >= *s && p.date <= *e);
        if q != current_quarter {
            total = 0.0;
            current_quarter = q;
        }
        total += p.value;
        totals.push(total);
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Point;
    use jiff::civil::date;

    #[test]
    fn the_newest_point_inside_the_bounds_inclusive() {
        let points: Vec<Point> = [date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)]
            .into_iter()
            .map(|d| Point {
                date: d,
                value: 0.0,
                note: None,
            })
            .collect();
        let found = newest_inside(&points, date(2026, 1, 1), date(2026, 3, 31));
        assert_eq!(found.map(|p| p.date), Some(date(2026, 3, 31)));
        assert!(newest_inside(&points, date(2025, 1, 1), date(2025, 12, 31)).is_none());
        assert_eq!(day(date(1970, 1, 2)), 1.0);
    }

    #[test]
    fn quarter_to_date_totals_restart_with_each_quarter() {
        let q1 = (date(2026, 1, 1), date(2026, 3, 31));
        let q2 = (date(2026, 4, 1), date(2026, 6, 30));
        let points: Vec<Point> = [
            (date(2025, 12, 30), 7.0), // before both: a total of its own
            (date(2026, 1, 5), 1.0),
            (date(2026, 2, 5), 2.0),
            (date(2026, 3, 31), 3.0),
            (date(2026, 4, 1), 10.0),
            (date(2026, 5, 1), 5.0),
        ]
        .into_iter()
        .map(|(d, value)| Point {
            date: d,
            value,
            note: None,
        })
        .collect();
        assert_eq!(quarter_to_date(&points, &[q1, q2]), [7.0, 1.0, 3.0, 6.0, 10.0, 15.0]);
        assert_eq!(quarter_to_date(&points, &[]), [7.0, 8.0, 10.0, 13.0, 23.0, 28.0]);
    }
}
