//! Confidence calibration: how the confidence a team gave mid-quarter compares
//! with the score its KR ended with, over the ended quarters.

use jiff::civil::Date;

use crate::model::{Checkin, QuarterStatus, Site, Team};
use crate::score::SiteScores;

/// A gap between confidence and final score wider than this counts as over- or
/// under-confident.
pub const MARGIN: f64 = 0.2;
/// Rounding slack, so a gap of exactly [`MARGIN`] (0.8 − 0.6 = 0.2000…04) is not counted.
const SLACK: f64 = 1e-9;

/// One KR of an ended quarter with a mid-quarter confidence and a final score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrCalibration {
    /// Positions: `site.quarters[quarter].teams[team]`, objective and KR within it.
    pub quarter: usize,
    pub team: usize,
    pub objective: usize,
    pub kr: usize,
    pub confidence: f64,
    pub score: f64,
}

impl KrCalibration {
    pub fn over_confident(&self) -> bool {
        self.confidence - self.score > MARGIN + SLACK
    }
    pub fn under_confident(&self) -> bool {
        self.score - self.confidence > MARGIN + SLACK
    }
}

/// One team's calibration over every ended quarter.
#[derive(Debug, Clone)]
pub struct TeamCalibration<'a> {
    pub team: &'a Team,
    /// KRs with both a mid-quarter confidence and a final score.
    pub krs: usize,
    pub over: usize,
    pub under: usize,
    /// `over / krs` and `under / krs`.
    pub over_share: f64,
    pub under_share: f64,
}

/// The confidence of the check-in nearest the quarter's midpoint among those inside
/// `[start, end]` that give one (the earlier of two as near).
pub fn mid_confidence(checkins: &[Checkin], start: Date, end: Date) -> Option<f64> {
    // Twice the distance in days, so the midpoint of an even span stays whole.
    let span = (end - start).get_days();
    checkins
        .iter()
        .filter(|c| c.date >= start && c.date <= end)
        .filter_map(|c| Some(((2 * (c.date - start).get_days() - span).abs(), c.confidence?)))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, confidence)| confidence)
}

/// Every KR of an ended quarter with a mid-quarter confidence and a final score, in
/// quarter, team, objective and KR order.
pub fn kr_calibrations(site: &Site, scores: &SiteScores) -> Vec<KrCalibration> {
    let mut out = Vec::new();
    for (qi, q) in site.quarters.iter().enumerate() {
        if q.status != QuarterStatus::Ended {
            continue;
        }
        for (ti, tq) in q.teams.iter().enumerate() {
            let objectives = tq.okrs.iter().flat_map(|o| &o.objectives);
            for (oi, (o, os)) in objectives.zip(&scores.quarters[qi][ti].objectives).enumerate() {
                for (ki, (kr, ks)) in o.key_results.iter().zip(&os.key_results).enumerate() {
                    if let (Some(confidence), Some(score)) = (mid_confidence(&kr.checkins, q.start, q.end), ks.score) {
                        out.push(KrCalibration {
                            quarter: qi,
                            team: ti,
                            objective: oi,
                            kr: ki,
                            confidence,
                            score,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Each team with at least one calibrated KR, in teams.yaml order, with its shares of
/// over- and under-confident KRs.
pub fn team_calibrations<'a>(site: &'a Site, krs: &[KrCalibration]) -> Vec<TeamCalibration<'a>> {
    site.teams
        .iter()
        .filter_map(|team| {
            let own: Vec<&KrCalibration> = krs
                .iter()
                .filter(|k| site.quarters[k.quarter].teams[k.team].team == team.id)
                .collect();
            let n = own.len();
            let over = own.iter().filter(|k| k.over_confident()).count();
            let under = own.iter().filter(|k| k.under_confident()).count();
            (n > 0).then(|| TeamCalibration {
                team,
                krs: n,
                over,
                under,
                over_share: over as f64 / n as f64,
                under_share: under as f64 / n as f64,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Light;
    use jiff::civil::date;

    fn checkin(d: Date, confidence: Option<f64>) -> Checkin {
        Checkin {
            date: d,
            status: Light::Green,
            confidence,
            note: None,
        }
    }

    /// 2026-07-01..09-30 spans 91 days after the first: the midpoint is 08-15 12:00.
    #[test]
    fn the_confidence_nearest_the_midpoint_counts() {
        let (start, end) = (date(2026, 7, 1), date(2026, 9, 30));
        let checkins = [
            checkin(date(2026, 6, 30), Some(0.1)),
            checkin(date(2026, 8, 1), Some(0.3)),
            checkin(date(2026, 8, 14), None),
            checkin(date(2026, 8, 20), Some(0.7)),
            checkin(date(2026, 9, 30), Some(0.9)),
        ];
        // 08-14 is nearest but gives none; 08-20 (4.5 days off) beats 08-01 (14.5).
        assert_eq!(mid_confidence(&checkins, start, end), Some(0.7));
        // Equally near (08-15 and 08-16 around 08-15 12:00): the earlier (the model
        // holds check-ins oldest first).
        let tie = [
            checkin(date(2026, 8, 15), Some(0.4)),
            checkin(date(2026, 8, 16), Some(0.6)),
        ];
        assert_eq!(mid_confidence(&tie, start, end), Some(0.4));
        assert_eq!(mid_confidence(&checkins[..1], start, end), None);
    }

    #[test]
    fn a_gap_wider_than_the_margin_is_over_or_under_confidence() {
        let k = |confidence, score| KrCalibration {
            quarter: 0,
            team: 0,
            objective: 0,
            kr: 0,
            confidence,
            score,
        };
        assert!(k(0.9, 0.5).over_confident());
        assert!(!k(0.8, 0.6).over_confident(), "exactly 0.2 is not over");
        assert!(k(0.3, 0.8).under_confident());
        assert!(!k(0.5, 0.7).under_confident());
    }
}
