//! What needs attention now, for the dashboard: metrics out of their green band,
//! KRs of the running quarter off pace, and metrics whose data stopped arriving.

use jiff::civil::Date;

use super::at_risk::{KrAt, at_risk};
use super::metric_band::{Stale, metric_band, staleness};
use crate::model::{Light, Metric, Point, QuarterData, QuarterStatus};
use crate::score::TeamScore;

/// One row of the list.
#[derive(Debug, Clone)]
pub enum Attention<'a> {
    /// A metric red or yellow now (and whether it is stale too), or stale alone
    /// (`band` green or none).
    Metric {
        metric: &'a Metric,
        point: &'a Point,
        band: Option<Light>,
        stale: Option<Stale>,
    },
    /// A KR of the running quarter off pace (its on-track status).
    Kr { at: KrAt, status: Light },
}

impl Attention<'_> {
    /// Red, yellow or none (stale only): the order of the list.
    fn light(&self) -> Option<Light> {
        match self {
            Attention::Metric { band, .. } => band.filter(|b| *b != Light::Green),
            Attention::Kr { status, .. } => Some(*status),
        }
    }
}

/// The list, most urgent first: red (metrics, then KRs in page order), yellow
/// (likewise), then metrics that are only stale. A metric appears once.
/// `running` is the running quarter and its scores (none when no quarter runs).
pub fn attention<'a>(
    metrics: &'a [Metric],
    running: Option<(&QuarterData, &[TeamScore])>,
    today: Date,
) -> Vec<Attention<'a>> {
    let mut rows: Vec<Attention<'a>> = metrics
        .iter()
        .filter_map(|m| {
            let stale = staleness(m, today);
            let point = super::metric_band::latest_point(&m.points, today)?;
            let band = metric_band(m, today).map(|(b, _)| b);
            (band.is_some_and(|b| b != Light::Green) || stale.is_some()).then_some(Attention::Metric {
                metric: m,
                point,
                band,
                stale,
            })
        })
        .collect();
    if let Some((q, scores)) = running.filter(|(q, _)| q.status == QuarterStatus::InProgress) {
        rows.extend(at_risk(q, scores).into_iter().filter_map(|at| {
            let status = scores[at.team].objectives[at.objective].key_results[at.kr].status?;
            Some(Attention::Kr { at, status })
        }));
    }
    // Stable: metrics before KRs within a colour, each in its own order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.light().map_or(0, |l| l as u8 + 1)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Cadence;
    use crate::insight::at_risk::tests::{objective, quarter, team_quarter};
    use crate::insight::kpi_tree::tests::metric;
    use crate::score::{KrScore, ObjectiveScore};
    use jiff::civil::date;

    /// A running quarter of one team, one objective, a KR per status.
    fn quarter_with(statuses: &[Option<Light>]) -> (QuarterData, Vec<TeamScore>) {
        let q = quarter(
            QuarterStatus::InProgress,
            vec![team_quarter("a", vec![objective("o1", statuses.len(), None)])],
        );
        let key_results = statuses
            .iter()
            .map(|&status| KrScore {
                current: None,
                score: None,
                grade: None,
                status,
            })
            .collect();
        let scores = vec![TeamScore {
            score: None,
            grade: None,
            objectives: vec![ObjectiveScore {
                score: None,
                grade: None,
                key_results,
            }],
        }];
        (q, scores)
    }

    fn summary<'a>(rows: &'a [Attention<'a>]) -> Vec<(String, Option<Light>, bool)> {
        rows.iter()
            .map(|r| match r {
                Attention::Metric {
                    metric, band, stale, ..
                } => (metric.id.to_string(), *band, stale.is_some()),
                Attention::Kr { at, status } => (
                    format!("kr {}/{}/{}", at.team, at.objective, at.kr),
                    Some(*status),
                    false,
                ),
            })
            .collect()
    }

    #[test]
    fn red_then_yellow_then_stale_metrics_before_krs_within_a_colour() {
        let today = date(2026, 1, 31);
        let mut stale_green = metric("stale-green", &[], &[90.0]);
        stale_green.cadence = Some(Cadence::Weekly); // 2026-01-01: 30 days > 14
        let mut stale_red = metric("stale-red", &[], &[10.0]);
        stale_red.cadence = Some(Cadence::Daily);
        let mut fresh = metric("fresh", &[], &[90.0]);
        fresh.cadence = Some(Cadence::Quarterly);
        let metrics = [
            metric("yellow", &[], &[60.0]),
            stale_green,
            fresh,
            metric("red", &[], &[10.0]),
            stale_red,
        ];
        let (q, scores) = quarter_with(&[Some(Light::Yellow), Some(Light::Green), Some(Light::Red)]);
        let rows = attention(&metrics, Some((&q, &scores)), today);
        assert_eq!(
            summary(&rows),
            [
                ("red".to_string(), Some(Light::Red), false),
                ("stale-red".to_string(), Some(Light::Red), true),
                ("kr 0/0/2".to_string(), Some(Light::Red), false),
                ("yellow".to_string(), Some(Light::Yellow), false),
                ("kr 0/0/0".to_string(), Some(Light::Yellow), false),
                ("stale-green".to_string(), Some(Light::Green), true),
            ]
        );
        // No running quarter: metrics only.
        assert_eq!(attention(&metrics, None, today).len(), 4);
    }
}
