//! Runs of low final scores: two quarters running below the config's `yellow`
//! (graded red) suggest a team's OKRs themselves are badly written. The one rule
//! for it: the team page's note and the `low_two_quarters` flag both use it.

use crate::model::{Quarter, QuarterData, QuarterStatus};
use crate::score::TeamScore;

/// Each pair of consecutive quarters (the second right after the first) whose final
/// scores are both below `yellow` (`config.scoring.yellow`), oldest first. `history`
/// is one team's quarters with its score in each, oldest first.
pub fn low_score_runs<'a>(
    history: impl IntoIterator<Item = (&'a QuarterData, &'a TeamScore)>,
    yellow: f64,
) -> Vec<(Quarter, Quarter)> {
    // Only final scores count: a running quarter's score is still moving.
    let low: Vec<(Quarter, bool)> = history
        .into_iter()
        .filter_map(|(q, s)| match (s.score, q.status) {
            (Some(score), QuarterStatus::Ended) => Some((q.quarter, score < yellow)),
            _ => None,
        })
        .collect();
    low.windows(2)
        .filter(|w| w[0].1 && w[1].1 && w[1].0.previous() == w[0].0)
        .map(|w| (w[0].0, w[1].0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn quarter(year: i16, number: i8, status: QuarterStatus) -> QuarterData {
        QuarterData {
            quarter: Quarter { year, number },
            start: date(2026, 1, 1),
            end: date(2026, 3, 31),
            status,
            teams: Vec::new(),
        }
    }

    fn score(s: Option<f64>) -> TeamScore {
        TeamScore {
            score: s,
            grade: None,
            objectives: Vec::new(),
        }
    }

    fn q(year: i16, number: i8) -> Quarter {
        Quarter { year, number }
    }

    #[test]
    fn two_low_quarters_running_make_a_run() {
        use QuarterStatus::*;
        let quarters = [
            quarter(2025, 3, Ended),
            quarter(2025, 4, Ended),
            quarter(2026, 1, Ended),
            quarter(2026, 2, Ended),
        ];
        // Below yellow (0.4) is low: 0.39 is, 0.4 is not.
        let scores = [score(Some(0.39)), score(Some(0.1)), score(Some(0.3)), score(Some(0.4))];
        let runs = low_score_runs(quarters.iter().zip(&scores), 0.4);
        assert_eq!(runs, [(q(2025, 3), q(2025, 4)), (q(2025, 4), q(2026, 1))]);
    }

    #[test]
    fn gaps_unscored_and_running_quarters_break_no_run_and_make_none() {
        use QuarterStatus::*;
        // 2025-Q4 missing: 2025-Q3 and 2026-Q1 are not consecutive.
        let gap = [quarter(2025, 3, Ended), quarter(2026, 1, Ended)];
        let low = [score(Some(0.1)), score(Some(0.1))];
        assert!(low_score_runs(gap.iter().zip(&low), 0.4).is_empty());
        // A running quarter's score does not count yet.
        let running = [quarter(2025, 4, Ended), quarter(2026, 1, InProgress)];
        assert!(low_score_runs(running.iter().zip(&low), 0.4).is_empty());
        // An unscored quarter between two low ones is skipped, and they are not consecutive.
        let three = [
            quarter(2025, 3, Ended),
            quarter(2025, 4, Ended),
            quarter(2026, 1, Ended),
        ];
        let scores = [score(Some(0.1)), score(None), score(Some(0.1))];
        assert!(low_score_runs(three.iter().zip(&scores), 0.4).is_empty());
    }
}
