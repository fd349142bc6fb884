//! Scoring, exactly as the content format defines it. Pure functions of the
//! model and "today"; nothing here reads files or formats output.

use jiff::civil::Date;

use crate::config::ScoringThresholds;
use crate::model::{
    Aggregate, Direction, KeyResult, KrData, Light, Point, QuarterData, QuarterStatus, Site, Thresholds,
};

/// The computed numbers of one KR. `None` wherever there is nothing to score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrScore {
    pub current: Option<f64>,
    pub score: Option<f64>,
    pub grade: Option<Light>,
    /// On-track status (see [`on_track`]).
    pub status: Option<Light>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveScore {
    pub score: Option<f64>,
    pub grade: Option<Light>,
    pub key_results: Vec<KrScore>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamScore {
    pub score: Option<f64>,
    pub grade: Option<Light>,
    pub objectives: Vec<ObjectiveScore>,
}

/// Scores in the same shape as `Site::quarters[..].teams[..]`; a team-quarter
/// without OKRs has no objectives and no score.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteScores {
    pub quarters: Vec<Vec<TeamScore>>,
}

/// The KR's current value: the latest point inside `[start, end]`, or for a
/// count (`aggregate: sum`) the sum of the points inside. `None` when no point is inside.
pub fn current_value(points: &[Point], start: Date, end: Date, aggregate: Aggregate) -> Option<f64> {
    let inside = points.iter().filter(|p| p.date >= start && p.date <= end);
    match aggregate {
        Aggregate::Last => inside.max_by_key(|p| p.date).map(|p| p.value),
        Aggregate::Sum => {
            // Values are at most 1e15 in magnitude (checked when content is read) and a
            // quarter has at most 92 distinct dates, so the sum stays below 1e17. The
            // clamp only matters for a model built without those checks: it saturates
            // instead of showing "inf" (the sum of finite values is never NaN).
            let mut any = false;
            let sum = inside.fold(0.0, |acc, p| {
                any = true;
                acc + p.value
            });
            any.then_some(sum.clamp(-f64::MAX, f64::MAX))
        }
    }
}

/// `clamp((current - baseline) / (target - baseline), 0, 1)`; works for both
/// directions because a decreasing KR has target < baseline.
pub fn progress(current: f64, baseline: f64, target: f64) -> f64 {
    let span = target - baseline;
    if span == 0.0 || !span.is_finite() {
        return 0.0;
    }
    let ratio = (current - baseline) / span;
    if ratio.is_nan() {
        return 0.0;
    }
    // A decreasing KR at its baseline gives 0 / negative = -0.0, which would print as
    // "-0.00": adding 0.0 turns it into 0.0 (and leaves every other value as it is).
    ratio.clamp(0.0, 1.0) + 0.0
}

/// score >= green is green, >= yellow is yellow, else red.
pub fn grade(score: f64, t: ScoringThresholds) -> Light {
    if score >= t.green {
        Light::Green
    } else if score >= t.yellow {
        Light::Yellow
    } else {
        Light::Red
    }
}

/// The weighted mean of `(score, weight)` pairs; `None` if there are none.
///
/// Scores are in [0, 1] and weights in (0, 1000] (checked when content is read), so
/// both sums grow by at most 1000 per item and stay finite for any number of items.
pub fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = items
        .into_iter()
        .fold((0.0, 0.0), |(s, w), (score, weight)| (s + score * weight, w + weight));
    (weights > 0.0).then(|| sum / weights)
}

/// The share of the quarter that has passed by the end of `today`, in (0, 1].
pub fn elapsed_share(start: Date, end: Date, today: Date) -> f64 {
    let total = (end - start).get_days() as f64 + 1.0;
    let passed = ((today - start).get_days() as f64 + 1.0).clamp(0.0, total);
    passed / total
}

/// On-track status of a KR in a quarter in progress: the newest check-in if there
/// is one; otherwise the pace: progress divided by the elapsed share is the score
/// the quarter would end with at this pace, graded like a score. `None` without
/// data, and for quarters not in progress unless a check-in says something.
pub fn on_track(
    checkins_newest: Option<Light>,
    progress: Option<f64>,
    status: QuarterStatus,
    elapsed: f64,
    t: ScoringThresholds,
) -> Option<Light> {
    if let Some(c) = checkins_newest {
        return Some(c);
    }
    match (status, progress) {
        (QuarterStatus::InProgress, Some(p)) if elapsed > 0.0 => Some(grade((p / elapsed).min(1.0), t)),
        _ => None,
    }
}

/// The alert band of a metric value: worse than `red` is red, worse than
/// `yellow` is yellow, otherwise green. A value exactly on a line is on the better side.
pub fn threshold_band(value: f64, t: Thresholds, direction: Direction) -> Light {
    let worse = |line: f64| match direction {
        Direction::Increase => value < line,
        Direction::Decrease => value > line,
    };
    if t.red.is_some_and(worse) {
        Light::Red
    } else if t.yellow.is_some_and(worse) {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// Scores one KR in its quarter.
pub fn score_kr(site: &Site, kr: &KeyResult, q: &QuarterData) -> KrScore {
    let t = site.config.scoring;
    let current = match &kr.data {
        KrData::Metric(id) => site
            .metric(id)
            .and_then(|m| current_value(&m.points, q.start, q.end, m.aggregate)),
        KrData::Values(points) => current_value(points, q.start, q.end, Aggregate::Last),
        KrData::None => None,
    };
    let from_data = match (current, kr.baseline, kr.target) {
        (Some(c), Some(b), Some(tg)) => Some(progress(c, b, tg)),
        _ => None,
    };
    let score = kr.manual_score.or(from_data);
    let newest_checkin = kr.checkins.last().map(|c| c.status);
    let elapsed = elapsed_share(q.start, q.end, site.today);
    let status = on_track(newest_checkin, from_data, q.status, elapsed, t);
    KrScore {
        current,
        score,
        grade: score.map(|s| grade(s, t)),
        status,
    }
}

/// Scores every KR, objective and team-quarter of the site.
pub fn score_site(site: &Site) -> SiteScores {
    let t = site.config.scoring;
    let quarters = site
        .quarters
        .iter()
        .map(|q| {
            q.teams
                .iter()
                .map(|tq| {
                    let objectives: Vec<ObjectiveScore> = tq
                        .okrs
                        .iter()
                        .flat_map(|o| o.objectives.iter())
                        .map(|obj| {
                            let krs: Vec<KrScore> = obj.key_results.iter().map(|kr| score_kr(site, kr, q)).collect();
                            let score = weighted_mean(
                                obj.key_results
                                    .iter()
                                    .zip(&krs)
                                    .filter_map(|(kr, s)| s.score.map(|v| (v, kr.weight))),
                            );
                            ObjectiveScore {
                                score,
                                grade: score.map(|s| grade(s, t)),
                                key_results: krs,
                            }
                        })
                        .collect();
                    let score = weighted_mean(objectives.iter().filter_map(|o| o.score.map(|s| (s, 1.0))));
                    TeamScore {
                        score,
                        grade: score.map(|s| grade(s, t)),
                        objectives,
                    }
                })
                .collect()
        })
        .collect();
    SiteScores { quarters }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pt(y: i16, m: i8, d: i8, v: f64) -> Point {
        Point {
            date: date(y, m, d),
            value: v,
            note: None,
        }
    }

    const T: ScoringThresholds = ScoringThresholds {
        green: 0.7,
        yellow: 0.4,
        too_safe: 0.9,
    };

    #[test]
    fn increasing_and_decreasing_krs() {
        assert_eq!(progress(61.0, 45.0, 65.0), 0.8);
        // Lower is better: 38 → 28 days, now 31.
        assert!((progress(31.0, 38.0, 28.0) - 0.7).abs() < 1e-12);
        assert_eq!(progress(45.0, 45.0, 65.0), 0.0);
    }

    #[test]
    fn clamped_to_zero_and_one() {
        assert_eq!(progress(40.0, 45.0, 65.0), 0.0);
        assert_eq!(progress(80.0, 45.0, 65.0), 1.0);
        assert_eq!(progress(20.0, 38.0, 28.0), 1.0);
        assert_eq!(progress(45.0, 38.0, 28.0), 0.0);
    }

    #[test]
    fn quarter_bounds_are_inclusive() {
        let (s, e) = (date(2025, 7, 1), date(2025, 9, 30));
        let points = [
            pt(2025, 6, 30, 1.0),
            pt(2025, 7, 1, 2.0),
            pt(2025, 9, 30, 3.0),
            pt(2025, 10, 1, 4.0),
        ];
        assert_eq!(current_value(&points, s, e, Aggregate::Last), Some(3.0));
        assert_eq!(current_value(&points, s, e, Aggregate::Sum), Some(5.0));
        assert_eq!(current_value(&points[..1], s, e, Aggregate::Last), None);
        assert_eq!(current_value(&points[3..], s, e, Aggregate::Sum), None);
    }

    #[test]
    fn latest_date_wins_whatever_the_order() {
        let (s, e) = (date(2025, 7, 1), date(2025, 9, 30));
        let points = [pt(2025, 8, 1, 9.0), pt(2025, 7, 1, 2.0)];
        assert_eq!(current_value(&points, s, e, Aggregate::Last), Some(9.0));
    }

    #[test]
    fn a_decreasing_kr_at_its_baseline_scores_positive_zero() {
        let s = progress(38.0, 38.0, 28.0);
        assert_eq!(s, 0.0);
        assert!(s.is_sign_positive(), "-0.0 would print as -0.00");
    }

    #[test]
    fn sums_saturate_instead_of_overflowing() {
        let (s, e) = (date(2025, 7, 1), date(2025, 9, 30));
        let points = [pt(2025, 7, 1, f64::MAX), pt(2025, 7, 2, f64::MAX)];
        let sum = current_value(&points, s, e, Aggregate::Sum).unwrap();
        assert!(sum.is_finite(), "{sum}");
    }

    #[test]
    fn weights() {
        assert_eq!(weighted_mean([(1.0, 1.0), (0.4, 2.0)]), Some(0.6));
        assert_eq!(weighted_mean([(0.5, 1.0)]), Some(0.5));
        assert_eq!(weighted_mean([]), None);
    }

    #[test]
    fn grades_at_exactly_the_thresholds() {
        assert_eq!(grade(0.7, T), Light::Green);
        assert_eq!(grade(0.6999999, T), Light::Yellow);
        assert_eq!(grade(0.4, T), Light::Yellow);
        assert_eq!(grade(0.3999999, T), Light::Red);
        assert_eq!(grade(0.0, T), Light::Red);
        assert_eq!(grade(1.0, T), Light::Green);
    }

    #[test]
    fn on_track_prefers_the_newest_checkin_then_the_pace() {
        let ip = QuarterStatus::InProgress;
        assert_eq!(
            on_track(Some(Light::Yellow), Some(1.0), ip, 0.5, T),
            Some(Light::Yellow)
        );
        // Half the quarter gone, 40% of the way: 0.8 projected → green.
        assert_eq!(on_track(None, Some(0.4), ip, 0.5, T), Some(Light::Green));
        // 30% of the way: 0.6 projected → yellow; 10%: 0.2 → red.
        assert_eq!(on_track(None, Some(0.3), ip, 0.5, T), Some(Light::Yellow));
        assert_eq!(on_track(None, Some(0.1), ip, 0.5, T), Some(Light::Red));
        assert_eq!(on_track(None, None, ip, 0.5, T), None);
        assert_eq!(on_track(None, Some(0.9), QuarterStatus::Ended, 1.0, T), None);
    }

    #[test]
    fn elapsed_share_counts_today() {
        let (s, e) = (date(2025, 7, 1), date(2025, 9, 30)); // 92 days
        assert_eq!(elapsed_share(s, e, date(2025, 7, 1)), 1.0 / 92.0);
        assert_eq!(elapsed_share(s, e, date(2025, 9, 30)), 1.0);
        assert_eq!(elapsed_share(s, e, date(2025, 12, 1)), 1.0);
    }

    #[test]
    fn threshold_bands_follow_direction_and_lines_belong_to_the_better_side() {
        let inc = Thresholds {
            red: Some(40.0),
            yellow: Some(50.0),
        };
        assert_eq!(threshold_band(39.9, inc, Direction::Increase), Light::Red);
        assert_eq!(threshold_band(40.0, inc, Direction::Increase), Light::Yellow);
        assert_eq!(threshold_band(50.0, inc, Direction::Increase), Light::Green);
        let dec = Thresholds {
            red: Some(4.0),
            yellow: Some(3.0),
        };
        assert_eq!(threshold_band(4.1, dec, Direction::Decrease), Light::Red);
        assert_eq!(threshold_band(4.0, dec, Direction::Decrease), Light::Yellow);
        assert_eq!(threshold_band(3.0, dec, Direction::Decrease), Light::Green);
    }

    fn site_with(kr: KeyResult, today: Date) -> Site {
        use crate::model::{Objective, Okrs, Quarter, TeamQuarter};
        let quarter = Quarter { year: 2025, number: 3 };
        let (start, end) = quarter.bounds(1);
        let objective = Objective {
            id: "o1".into(),
            title: "t".into(),
            owner: None,
            aligns_to: None,
            key_results: vec![kr],
            initiatives: vec![],
        };
        let okrs = Okrs {
            objectives: vec![objective],
            not_doing: vec![],
            source: String::new(),
        };
        let q = QuarterData {
            quarter,
            start,
            end,
            status: QuarterStatus::of(start, end, today),
            teams: vec![TeamQuarter {
                team: "a".into(),
                okrs: Some(okrs),
                retro: None,
            }],
        };
        Site::new(crate::config::Config::with_title("t"), today, vec![], vec![], vec![q])
    }

    fn kr(data: KrData, manual: Option<f64>) -> KeyResult {
        KeyResult {
            id: "kr1".into(),
            title: "t".into(),
            owner: None,
            data,
            unit: None,
            baseline: Some(45.0),
            target: Some(65.0),
            weight: 1.0,
            manual_score: manual,
            checkins: vec![],
        }
    }

    fn only_kr(site: &Site) -> KrScore {
        score_site(site).quarters[0][0].objectives[0].key_results[0]
    }

    #[test]
    fn a_manual_score_wins_over_data() {
        let site = site_with(
            kr(KrData::Values(vec![pt(2025, 8, 1, 65.0)]), Some(0.3)),
            date(2025, 12, 1),
        );
        let s = only_kr(&site);
        assert_eq!(s.current, Some(65.0));
        assert_eq!(s.score, Some(0.3));
        assert_eq!(s.grade, Some(Light::Red));
    }

    #[test]
    fn no_point_inside_the_quarter_is_no_data_not_zero() {
        let site = site_with(kr(KrData::Values(vec![pt(2025, 6, 30, 60.0)]), None), date(2025, 12, 1));
        let s = only_kr(&site);
        assert_eq!(
            s,
            KrScore {
                current: None,
                score: None,
                grade: None,
                status: None
            }
        );
        let team = &score_site(&site).quarters[0][0];
        assert_eq!(team.score, None);
        assert_eq!(team.objectives[0].score, None);
    }

    #[test]
    fn in_progress_krs_get_a_pace_status() {
        // 2025-08-15: 46 of 92 days gone; 55 is half-way from 45 to 65 → projected 1.0 → green.
        let site = site_with(kr(KrData::Values(vec![pt(2025, 8, 10, 55.0)]), None), date(2025, 8, 15));
        let s = only_kr(&site);
        assert_eq!(s.score, Some(0.5));
        assert_eq!(s.status, Some(Light::Green));
        // 47: 0.1 of the way at half time → projected 0.2 → red.
        let site = site_with(kr(KrData::Values(vec![pt(2025, 8, 10, 47.0)]), None), date(2025, 8, 15));
        assert_eq!(only_kr(&site).status, Some(Light::Red));
    }
}
