//! Which quarter is current, and how far a running quarter has got.

use jiff::civil::Date;

use crate::model::{QuarterData, QuarterStatus};

/// A running quarter's progress on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Elapsed {
    /// The share of the quarter gone, 0–1 ([`crate::score::elapsed_share`]).
    pub share: f64,
    /// Days from `today` to the quarter's last day.
    pub days_left: i32,
}

/// How far `q` has got on `today`, while it runs; `None` before and after.
pub fn elapsed(q: &QuarterData, today: Date) -> Option<Elapsed> {
    (q.status == QuarterStatus::InProgress).then(|| Elapsed {
        share: crate::score::elapsed_share(q.start, q.end, today),
        days_left: (q.end - today).get_days(),
    })
}

/// The quarter the dashboard shows (an index into `quarters`, ascending): the
/// newest one that has begun, else the last.
pub fn current_quarter(quarters: &[QuarterData]) -> Option<usize> {
    quarters
        .iter()
        .rposition(|q| q.status != QuarterStatus::Upcoming)
        .or(quarters.len().checked_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::at_risk::tests::quarter;
    use jiff::civil::date;

    #[test]
    fn days_left_count_to_the_last_day() {
        // The sample quarter is 2026-01-01 to 2026-03-31.
        let running = quarter(QuarterStatus::InProgress, vec![]);
        let e = elapsed(&running, date(2026, 3, 21)).unwrap();
        assert_eq!(e.days_left, 10);
        // Day 80 of 90, counting both ends.
        assert_eq!(e.share, 80.0 / 90.0);
        assert!(elapsed(&quarter(QuarterStatus::Ended, vec![]), date(2026, 3, 21)).is_none());
    }

    #[test]
    fn the_current_quarter_is_the_newest_begun() {
        use QuarterStatus::*;
        let qs =
            |statuses: &[QuarterStatus]| -> Vec<QuarterData> { statuses.iter().map(|&s| quarter(s, vec![])).collect() };
        assert_eq!(current_quarter(&qs(&[Ended, InProgress, Upcoming])), Some(1));
        assert_eq!(current_quarter(&qs(&[Ended, Ended, Upcoming, Upcoming])), Some(1));
        assert_eq!(current_quarter(&qs(&[Upcoming, Upcoming])), Some(1));
        assert_eq!(current_quarter(&[]), None);
    }
}
