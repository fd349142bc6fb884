//! Where a metric stands today: its newest value and that value's alert band.

use jiff::civil::Date;

use crate::model::{Light, Metric, Point};

/// The newest point on or before `today` (`points` sorted by date).
pub fn latest_point(points: &[Point], today: Date) -> Option<&Point> {
    points.iter().rev().find(|p| p.date <= today)
}

/// The alert band of a metric's newest value on or before today.
pub fn metric_band(m: &Metric, today: Date) -> Option<(Light, &Point)> {
    let p = latest_point(&m.points, today)?;
    let (t, d) = (m.thresholds?, m.direction?);
    Some((crate::score::threshold_band(p.value, t, d), p))
}

/// How old a stale metric's newest point is ([`staleness`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale {
    /// The newest point on or before today.
    pub newest: Date,
    /// Days from it to today.
    pub days: i64,
}

/// Whether a metric with a `cadence` is stale on `today`: its newest point on or
/// before today is more than two cadences old ([`crate::domain::Cadence::is_stale`]).
/// A metric without a cadence or without points is never stale.
pub fn staleness(m: &Metric, today: Date) -> Option<Stale> {
    let cadence = m.cadence?;
    let newest = latest_point(&m.points, today)?.date;
    cadence.is_stale(newest, today).then(|| Stale {
        newest,
        days: (today - newest).get_days() as i64,
    })
}

/// Metrics whose newest value is out of the green band, red first, then in
/// `metrics` order: the dashboard's alerts.
pub fn alerts(metrics: &[Metric], today: Date) -> Vec<(Light, &Metric, &Point)> {
    let mut alerts: Vec<(Light, &Metric, &Point)> = metrics
        .iter()
        .filter_map(|m| {
            let (band, p) = metric_band(m, today)?;
            (band != Light::Green).then_some((band, m, p))
        })
        .collect();
    alerts.sort_by_key(|(band, ..)| std::cmp::Reverse(*band));
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregate, Definition, Direction, Thresholds};
    use jiff::civil::date;

    fn metric(id: &str, values: &[(Date, f64)]) -> Metric {
        Metric {
            id: id.into(),
            name: id.into(),
            unit: None,
            direction: Some(Direction::Increase),
            layer: None,
            definition: Definition::default(),
            aggregate: Aggregate::Last,
            action: None,
            cadence: None,
            drives: Vec::new(),
            // Increase: below 50 red, below 80 yellow.
            thresholds: Some(Thresholds {
                red: Some(50.0),
                yellow: Some(80.0),
            }),
            points: values
                .iter()
                .map(|&(d, value)| Point {
                    date: d,
                    value,
                    note: None,
                })
                .collect(),
            source: String::new(),
        }
    }

    #[test]
    fn the_band_is_the_newest_value_on_or_before_today() {
        let m = metric(
            "m",
            &[
                (date(2026, 1, 1), 90.0),
                (date(2026, 2, 1), 40.0),
                (date(2026, 3, 1), 95.0),
            ],
        );
        let (band, p) = metric_band(&m, date(2026, 2, 15)).unwrap();
        assert_eq!((band, p.value), (Light::Red, 40.0));
        assert_eq!(metric_band(&m, date(2026, 3, 1)).unwrap().0, Light::Green);
        assert!(metric_band(&m, date(2025, 12, 31)).is_none());
        let mut no_thresholds = m.clone();
        no_thresholds.thresholds = None;
        assert!(metric_band(&no_thresholds, date(2026, 3, 1)).is_none());
        assert_eq!(
            latest_point(&no_thresholds.points, date(2026, 3, 1)).unwrap().value,
            95.0
        );
    }

    #[test]
    fn stale_after_two_cadences_and_one_day_for_each_cadence() {
        use crate::domain::Cadence;
        let today = date(2025, 11, 1);
        for (cadence, days) in [
            (Cadence::Daily, 2),
            (Cadence::Weekly, 14),
            (Cadence::Monthly, 62),
            (Cadence::Quarterly, 184),
        ] {
            let on_time = today.checked_sub(jiff::Span::new().days(days)).unwrap();
            let late = today.checked_sub(jiff::Span::new().days(days + 1)).unwrap();
            let mut m = metric("m", &[(on_time, 90.0)]);
            m.cadence = Some(cadence);
            assert_eq!(staleness(&m, today), None, "{cadence:?} exactly two cadences old");
            m.points[0].date = late;
            assert_eq!(
                staleness(&m, today),
                Some(Stale {
                    newest: late,
                    days: days + 1
                }),
                "{cadence:?} a day more"
            );
            // A point after today does not make it current.
            m.points.push(Point::new(date(2025, 11, 2), 1.0));
            assert!(staleness(&m, today).is_some());
            m.cadence = None;
            assert_eq!(staleness(&m, today), None, "no cadence, never stale");
        }
    }

    #[test]
    fn alerts_are_red_first_then_in_metric_order() {
        let d = date(2026, 1, 1);
        let metrics = [
            metric("yellow1", &[(d, 60.0)]),
            metric("green", &[(d, 90.0)]),
            metric("red", &[(d, 10.0)]),
            metric("yellow2", &[(d, 70.0)]),
        ];
        let ids: Vec<(Light, &str)> = alerts(&metrics, d)
            .iter()
            .map(|(b, m, _)| (*b, m.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                (Light::Red, "red"),
                (Light::Yellow, "yellow1"),
                (Light::Yellow, "yellow2")
            ]
        );
    }
}
