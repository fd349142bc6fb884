//! KRs at risk in a quarter: off track or at risk while it runs, missed once it has ended,
//! most severe first.

use crate::model::{Light, QuarterData, QuarterStatus};
use crate::score::TeamScore;

/// A KR of one quarter by position: `quarter.teams[team]`, its `objective`-th
/// objective (counted across the team's OKR file) and that objective's `kr`-th KR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KrAt {
    pub team: usize,
    pub objective: usize,
    pub kr: usize,
}

/// The KRs of `q` at risk (`scores` is the quarter's, parallel to `q.teams`), by
/// severity: red before yellow (while the quarter runs a KR's on-track status counts,
/// off track before at risk; once it has ended, its grade), then the lowest score
/// first (a running KR's score so far, an ended one's final score; a KR with no score
/// last, as nothing says how far behind it is), then page order (team, objective, KR).
pub fn at_risk(q: &QuarterData, scores: &[TeamScore]) -> Vec<KrAt> {
    let mut risky: Vec<(u8, Option<f64>, KrAt)> = Vec::new();
    for (team, (tq, ts)) in q.teams.iter().zip(scores).enumerate() {
        let objectives = tq.okrs.iter().flat_map(|o| o.objectives.iter());
        for (objective, (o, os)) in objectives.zip(&ts.objectives).enumerate() {
            for (kr, (_, ks)) in o.key_results.iter().zip(&os.key_results).enumerate() {
                let signal = if q.status == QuarterStatus::Ended {
                    ks.grade
                } else {
                    ks.status
                };
                let rank = match signal {
                    Some(Light::Red) => 0,
                    Some(Light::Yellow) => 1,
                    _ => continue,
                };
                risky.push((rank, ks.score, KrAt { team, objective, kr }));
            }
        }
    }
    // A stable sort: page order stays among equals.
    risky.sort_by(|(ra, sa, _), (rb, sb, _)| ra.cmp(rb).then_with(|| lowest_first(*sa, *sb)));
    risky.into_iter().map(|(_, _, at)| at).collect()
}

/// Scores lowest first, a missing score after every score.
fn lowest_first(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{KeyResult, KrData, Objective, Okrs, Quarter, TeamQuarter};
    use crate::score::{KrScore, ObjectiveScore};
    use jiff::civil::date;

    pub(crate) fn kr(id: &str) -> KeyResult {
        KeyResult {
            id: id.into(),
            title: id.into(),
            owner: None,
            data: KrData::None,
            unit: None,
            baseline: None,
            target: None,
            weight: 1.0,
            manual_score: None,
            checkins: Vec::new(),
        }
    }

    pub(crate) fn objective(id: &str, krs: usize, aligns_to: Option<(&str, &str)>) -> Objective {
        Objective {
            id: id.into(),
            title: id.into(),
            owner: None,
            aligns_to: aligns_to.map(|(t, o)| crate::model::ObjectiveRef {
                team: t.into(),
                objective: o.into(),
            }),
            key_results: (0..krs).map(|i| kr(&format!("kr{i}"))).collect(),
            initiatives: Vec::new(),
        }
    }

    pub(crate) fn team_quarter(team: &str, objectives: Vec<Objective>) -> TeamQuarter {
        TeamQuarter {
            team: team.into(),
            okrs: Some(Okrs {
                objectives,
                not_doing: Vec::new(),
                source: String::new(),
            }),
            retro: None,
        }
    }

    pub(crate) fn quarter(status: QuarterStatus, teams: Vec<TeamQuarter>) -> QuarterData {
        QuarterData {
            quarter: Quarter { year: 2026, number: 1 },
            start: date(2026, 1, 1),
            end: date(2026, 3, 31),
            status,
            teams,
        }
    }

    fn ks(grade: Option<Light>, status: Option<Light>) -> KrScore {
        KrScore {
            current: None,
            score: None,
            grade,
            status,
        }
    }

    fn team_score(krs: Vec<Vec<KrScore>>) -> TeamScore {
        TeamScore {
            score: None,
            grade: None,
            objectives: krs
                .into_iter()
                .map(|key_results| ObjectiveScore {
                    score: None,
                    grade: None,
                    key_results,
                })
                .collect(),
        }
    }

    /// Two teams: a's KRs are yellow, red; b's first objective has a green and a red
    /// KR, its second a yellow one. Red ones come first, each rank in page order.
    fn sample(status: QuarterStatus, by: fn(Light) -> KrScore) -> Vec<KrAt> {
        let q = quarter(
            status,
            vec![
                team_quarter("a", vec![objective("o1", 2, None)]),
                team_quarter("b", vec![objective("o1", 2, None), objective("o2", 1, None)]),
            ],
        );
        let scores = vec![
            team_score(vec![vec![by(Light::Yellow), by(Light::Red)]]),
            team_score(vec![vec![by(Light::Green), by(Light::Red)], vec![by(Light::Yellow)]]),
        ];
        at_risk(&q, &scores)
    }

    fn at(team: usize, objective: usize, kr: usize) -> KrAt {
        KrAt { team, objective, kr }
    }

    #[test]
    fn red_first_then_yellow_in_page_order() {
        let expected = [at(0, 0, 1), at(1, 0, 1), at(0, 0, 0), at(1, 1, 0)];
        let running = sample(QuarterStatus::InProgress, |l| ks(Some(Light::Green), Some(l)));
        assert_eq!(running, expected);
        let ended = sample(QuarterStatus::Ended, |l| ks(Some(l), Some(Light::Green)));
        assert_eq!(ended, expected);
    }

    fn scored(light: Light, score: Option<f64>, running: bool) -> KrScore {
        KrScore {
            current: None,
            score,
            grade: (!running).then_some(light),
            status: running.then_some(light),
        }
    }

    /// Within a rank the lowest score comes first and an unscored KR last; red still
    /// comes before yellow whatever the scores.
    #[test]
    fn lowest_score_first_within_a_rank() {
        for (status, running) in [(QuarterStatus::InProgress, true), (QuarterStatus::Ended, false)] {
            let q = quarter(
                status,
                vec![
                    team_quarter("a", vec![objective("o1", 3, None)]),
                    team_quarter("b", vec![objective("o1", 2, None)]),
                ],
            );
            let scores = vec![
                team_score(vec![vec![
                    scored(Light::Red, Some(0.3), running),
                    scored(Light::Red, None, running),
                    scored(Light::Yellow, Some(0.1), running),
                ]]),
                team_score(vec![vec![
                    scored(Light::Red, Some(0.05), running),
                    scored(Light::Yellow, Some(0.5), running),
                ]]),
            ];
            let expected = [at(1, 0, 0), at(0, 0, 0), at(0, 0, 1), at(0, 0, 2), at(1, 0, 1)];
            assert_eq!(at_risk(&q, &scores), expected, "{status:?}");
        }
    }

    #[test]
    fn a_running_quarter_reads_status_and_an_ended_one_reads_grades() {
        // Grades red, statuses green: nothing at risk while running.
        assert!(sample(QuarterStatus::InProgress, |_| ks(Some(Light::Red), Some(Light::Green))).is_empty());
        // Statuses red, grades absent: nothing missed once ended.
        assert!(sample(QuarterStatus::Ended, |_| ks(None, Some(Light::Red))).is_empty());
    }
}
