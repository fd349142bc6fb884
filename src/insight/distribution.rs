//! The distribution of a quarter's team scores: how many teams score in each tenth
//! of 0–1, and which teams score lowest (the quarter page and the dashboard show
//! these instead of one bar per team, so a page stays small at any number of teams).

use crate::model::QuarterData;
use crate::score::TeamScore;

/// Bins of width 0.1 from 0 to 1 (a score of 1.0 is in the last bin).
pub const BINS: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Teams scored in each bin: `bins[i]` holds scores in `[i/10, (i+1)/10)`.
    pub bins: [usize; BINS],
    /// Teams with OKRs and no score yet.
    pub unscored: usize,
    /// The lowest-scored teams, lowest first (ties in page order), as indices into
    /// `q.teams`; at most `worst` of them.
    pub worst: Vec<usize>,
}

impl Distribution {
    pub fn scored(&self) -> usize {
        self.bins.iter().sum()
    }
}

/// The bin a score falls in (scores outside 0–1 in the end bins).
pub fn bin(score: f64) -> usize {
    ((score.clamp(0.0, 1.0) * BINS as f64).floor() as usize).min(BINS - 1)
}

/// The distribution of the team scores of `q` (`scores` parallel to `q.teams`), with
/// the `worst` lowest teams named. Teams without OKRs are left out.
pub fn distribution(q: &QuarterData, scores: &[TeamScore], worst: usize) -> Distribution {
    let mut bins = [0; BINS];
    let mut unscored = 0;
    let mut ranked: Vec<(f64, usize)> = Vec::new();
    for (i, (tq, ts)) in q.teams.iter().zip(scores).enumerate() {
        if tq.okrs.is_none() {
            continue;
        }
        match ts.score {
            Some(s) => {
                bins[bin(s)] += 1;
                ranked.push((s, i));
            }
            None => unscored += 1,
        }
    }
    // A stable sort: page order among equal scores.
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    Distribution {
        bins,
        unscored,
        worst: ranked.into_iter().take(worst).map(|(_, i)| i).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::at_risk::tests::{objective, quarter, team_quarter};
    use crate::model::QuarterStatus;

    fn ts(score: Option<f64>) -> TeamScore {
        TeamScore {
            score,
            grade: None,
            objectives: Vec::new(),
        }
    }

    #[test]
    fn bins_and_worst() {
        let mut no_okrs = team_quarter("e", Vec::new());
        no_okrs.okrs = None;
        let q = quarter(
            QuarterStatus::Ended,
            vec![
                team_quarter("a", vec![objective("o", 1, None)]),
                team_quarter("b", vec![objective("o", 1, None)]),
                team_quarter("c", vec![objective("o", 1, None)]),
                team_quarter("d", vec![objective("o", 1, None)]),
                no_okrs,
                team_quarter("f", vec![objective("o", 1, None)]),
            ],
        );
        let scores = [Some(0.7), Some(0.05), Some(1.0), None, Some(0.3), Some(0.05)].map(ts);
        let d = distribution(&q, &scores, 2);
        assert_eq!(d.bins, [2, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
        assert_eq!(d.unscored, 1);
        assert_eq!(d.scored(), 4);
        // b and f tie at 0.05: page order; e has no OKRs, so its 0.3 is not counted.
        assert_eq!(d.worst, [1, 5]);
    }
}
