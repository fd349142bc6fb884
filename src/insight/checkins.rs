//! A KR's check-in timeline: each check-in, newest first, with the KR's value on
//! its date, and how many of them a timeline shows before it folds.

use jiff::civil::Date;

use crate::model::{Aggregate, Checkin, Point};
use crate::score;

/// Check-ins a timeline shows open; older ones fold away (a `<details>`).
pub const SHOWN_OPEN: usize = 4;

/// One check-in of a timeline.
#[derive(Debug, Clone, Copy)]
pub struct TimelineEntry<'a> {
    pub checkin: &'a Checkin,
    /// The KR's value on the check-in's date: the newest point on or before it inside
    /// the quarter (a count: the quarter's total up to it). `None` before any point.
    pub value: Option<f64>,
}

/// The check-ins (sorted oldest first, as the model holds them), newest first, each
/// with the KR's value on its day. `points` is the KR's whole series, sorted.
pub fn timeline<'a>(
    checkins: &'a [Checkin],
    points: &[Point],
    aggregate: Aggregate,
    start: Date,
    end: Date,
) -> Vec<TimelineEntry<'a>> {
    checkins
        .iter()
        .rev()
        .map(|c| TimelineEntry {
            checkin: c,
            value: (c.date >= start)
                .then(|| score::current_value(points, start, c.date.min(end), aggregate))
                .flatten(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Light;
    use jiff::civil::date;

    fn checkin(d: Date, status: Light) -> Checkin {
        Checkin {
            date: d,
            status,
            confidence: None,
            note: None,
        }
    }

    #[test]
    fn newest_first_with_the_value_on_each_day() {
        let (start, end) = (date(2026, 7, 1), date(2026, 9, 30));
        let points = [
            Point::new(date(2026, 6, 30), 40.0),
            Point::new(date(2026, 7, 6), 45.0),
            Point::new(date(2026, 7, 20), 50.0),
            Point::new(date(2026, 10, 2), 70.0),
        ];
        let checkins = [
            checkin(date(2026, 7, 2), Light::Green),
            checkin(date(2026, 7, 13), Light::Yellow),
            checkin(date(2026, 7, 20), Light::Red),
            checkin(date(2026, 10, 5), Light::Green),
        ];
        let tl = timeline(&checkins, &points, Aggregate::Last, start, end);
        let dates: Vec<Date> = tl.iter().map(|e| e.checkin.date).collect();
        assert_eq!(
            dates,
            [
                date(2026, 10, 5),
                date(2026, 7, 20),
                date(2026, 7, 13),
                date(2026, 7, 2)
            ]
        );
        // After the quarter: its last point inside (not 70 of October); on a point's
        // own day: that point; before any point inside: none (40 is before the quarter).
        let values: Vec<Option<f64>> = tl.iter().map(|e| e.value).collect();
        assert_eq!(values, [Some(50.0), Some(50.0), Some(45.0), None]);
        // A count: the quarter's total up to the day (45 + 50 by 07-20).
        let sums = timeline(&checkins, &points, Aggregate::Sum, start, end);
        assert_eq!(sums[1].value, Some(95.0));
    }
}
