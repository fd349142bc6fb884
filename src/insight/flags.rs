//! A team-quarter's flags: what the guides warn about once a quarter has ended.
//! Goals every KR reached (`too_safe`) were perhaps not stretched; a score below
//! `yellow` two quarters running (`low_two_quarters`) suggests the OKRs themselves
//! are badly written.

use serde::Serialize;

use super::low_scores::low_score_runs;
use crate::model::{QuarterData, QuarterStatus, Site};
use crate::score::{SiteScores, TeamScore};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Every scored KR reached `config.scoring.too_safe` (at least one scored).
    TooSafe,
    /// The final score is below `yellow`, and so was the previous quarter's.
    LowTwoQuarters,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::TooSafe => "too_safe",
            Flag::LowTwoQuarters => "low_two_quarters",
        }
    }
}

/// Whether every scored KR of an ended team-quarter reached `too_safe` (at least one scored).
pub fn too_safe(q: &QuarterData, ts: &TeamScore, too_safe: f64) -> bool {
    let mut scored = ts
        .objectives
        .iter()
        .flat_map(|o| &o.key_results)
        .filter_map(|k| k.score)
        .peekable();
    q.status == QuarterStatus::Ended && scored.peek().is_some() && scored.all(|s| s >= too_safe)
}

/// The flags of team-quarter `site.quarters[qi].teams[ti]`, in [`Flag`] order; none
/// while the quarter runs.
pub fn flags(site: &Site, scores: &SiteScores, qi: usize, ti: usize) -> Vec<Flag> {
    let q = &site.quarters[qi];
    let ts = &scores.quarters[qi][ti];
    let t = site.config.scoring;
    let mut out = Vec::new();
    if too_safe(q, ts, t.too_safe) {
        out.push(Flag::TooSafe);
    }
    if q.status == QuarterStatus::Ended {
        let team = &q.teams[ti].team;
        // The team's own quarters up to this one: a run that ends here is the flag.
        let history = site.quarters[..=qi]
            .iter()
            .zip(&scores.quarters)
            .filter_map(|(qq, qs)| {
                let i = qq.teams.iter().position(|tq| tq.team == *team)?;
                Some((qq, &qs[i]))
            });
        if low_score_runs(history, t.yellow)
            .last()
            .is_some_and(|run| run.1 == q.quarter)
        {
            out.push(Flag::LowTwoQuarters);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::at_risk::tests::quarter;
    use crate::score::{KrScore, ObjectiveScore};

    fn team_score(krs: &[Option<f64>]) -> TeamScore {
        let key_results = krs
            .iter()
            .map(|&score| KrScore {
                current: None,
                score,
                grade: None,
                status: None,
            })
            .collect();
        TeamScore {
            score: None,
            grade: None,
            objectives: vec![ObjectiveScore {
                score: None,
                grade: None,
                key_results,
            }],
        }
    }

    #[test]
    fn too_safe_needs_every_scored_kr_at_the_line_in_an_ended_quarter() {
        let ended = quarter(QuarterStatus::Ended, vec![]);
        // An unscored KR does not count; 0.9 is at the line.
        assert!(too_safe(&ended, &team_score(&[Some(1.0), Some(0.9), None]), 0.9));
        assert!(!too_safe(&ended, &team_score(&[Some(1.0), Some(0.89)]), 0.9));
        assert!(!too_safe(&ended, &team_score(&[None]), 0.9), "nothing scored");
        let running = quarter(QuarterStatus::InProgress, vec![]);
        assert!(!too_safe(&running, &team_score(&[Some(1.0)]), 0.9));
    }
}
