//! The quarter-to-date total of a count metric (one scored by its sum): a running
//! total that restarts with each quarter, which is what a count KR scores. The metric
//! page draws it as a second chart.

use crate::model::{Point, Quarter};

/// For each point, the sum of the values of its quarter up to and including it.
pub fn quarter_to_date(points: &[Point], fiscal_year_start_month: i8) -> Vec<f64> {
    let mut totals = Vec::with_capacity(points.len());
    let mut total = 0.0;
    let mut current: Option<Quarter> = None;
    for p in points {
        let quarter = Quarter::containing(p.date, fiscal_year_start_month);
        if current != Some(quarter) {
            total = 0.0;
            current = Some(quarter);
        }
        total += p.value;
        totals.push(total);
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn points(days: &[(i8, i8, f64)]) -> Vec<Point> {
        days.iter()
            .map(|&(m, d, value)| Point {
                date: date(2026, m, d),
                value,
                note: None,
            })
            .collect()
    }

    #[test]
    fn the_total_restarts_with_each_quarter() {
        let p = points(&[(6, 20, 5.0), (6, 30, 3.0), (7, 1, 4.0), (7, 15, 1.0)]);
        // Calendar quarters: June is Q2, July Q3.
        assert_eq!(quarter_to_date(&p, 1), [5.0, 8.0, 4.0, 5.0]);
        // A fiscal year from February: May to July is one quarter.
        assert_eq!(quarter_to_date(&p, 2), [5.0, 8.0, 12.0, 13.0]);
    }

    #[test]
    fn no_points_no_totals() {
        assert!(quarter_to_date(&[], 1).is_empty());
    }
}
