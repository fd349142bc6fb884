//! Related learnings: for each retrospective, the learnings of other teams that
//! share its tags or its rarer terms, best first.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::terms::{normalize, tokens};

/// Learnings related to each retrospective: `(quarter, team)` → indices into the
/// learnings given to [`related`] (newest first).
pub type Related = HashMap<(String, String), Vec<usize>>;

/// What ranking needs of one learning.
pub struct LearningTerms<'a> {
    pub text: &'a str,
    /// Its tags, as the keys that name their pages (synonyms already merged).
    pub tags: Vec<&'a str>,
    pub quarter: &'a str,
    pub team: &'a str,
}

/// Learnings of other teams related to a retrospective's: shared tags first (each
/// worth more than any number of shared terms), then shared rarer terms (character
/// bigrams and words that appear in at most 2% of learnings, 64 at most). At most five.
pub fn related(learnings: &[LearningTerms<'_>]) -> Related {
    let n = learnings.len();
    let mut terms = term_postings(learnings);
    let tags = tag_postings(learnings);
    // Rare: in at most 2% of learnings, and never more than 64 (a term shared with
    // hundreds of learnings says little about any one of them, and costs the most).
    let rare_limit = (n / 50).clamp(3, 64);
    // Only rare terms count: each learning keeps only those, so no retrospective
    // gathers and sorts the common ones to skip them.
    let by_key = &terms.by_key;
    (terms.of.par_iter_mut()).for_each(|keys| keys.retain(|&k| by_key[k as usize].len() <= rare_limit));
    // Group the learnings by retrospective.
    let mut own: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, l) in learnings.iter().enumerate() {
        own.entry((l.quarter, l.team)).or_default().push(i);
    }
    let own: Vec<_> = own.into_iter().collect();
    own.par_iter()
        .map_init(
            || Scores::new(n),
            |scores, ((quarter, team), mine)| {
                scores.add_shared(mine, &tags, |_| true, 1000);
                scores.add_shared(mine, &terms, |list| list.len() <= rare_limit, 1);
                let top = scores.take_top(|j| learnings[j].team != *team);
                ((quarter.to_string(), team.to_string()), top)
            },
        )
        .collect()
}

/// Learnings by key (a term or a tag) and keys by learning, each numbered from 0.
struct Postings {
    /// `by_key[k]`: the learnings holding key `k`, ascending (newest first).
    by_key: Vec<Vec<u32>>,
    /// `of[i]`: learning `i`'s distinct keys.
    of: Vec<Vec<u32>>,
}

/// Each learning's distinct terms of two characters or more, numbered.
fn term_postings(learnings: &[LearningTerms<'_>]) -> Postings {
    // Each learning's distinct terms, hashed (64-bit FNV-1a: collisions are negligible
    // and would only blur a ranking), then numbered by sorting, not through a map.
    let hashes: Vec<Vec<u64>> = learnings
        .par_iter()
        .map(|l| {
            let mut list = Vec::new();
            tokens(&normalize(l.text), |t| {
                if t.chars().nth(1).is_some() {
                    list.push(fnv64(t));
                }
            });
            list.sort_unstable();
            list.dedup();
            list
        })
        .collect();
    // (hash, learning) pairs packed into one integer, hash high: sorting them sorts
    // as the pairs would, with a plain integer comparison (millions of pairs).
    let mut pairs: Vec<u128> = hashes
        .iter()
        .enumerate()
        .flat_map(|(i, list)| list.iter().map(move |&h| (u128::from(h) << 32) | i as u128))
        .collect();
    drop(hashes);
    pairs.par_sort_unstable();
    let mut by_key: Vec<Vec<u32>> = Vec::new();
    let mut of: Vec<Vec<u32>> = vec![Vec::new(); learnings.len()];
    let mut previous = None;
    for pair in pairs {
        let (h, i) = ((pair >> 32) as u64, pair as u32);
        if previous != Some(h) {
            previous = Some(h);
            by_key.push(Vec::new());
        }
        let id = by_key.len() - 1;
        by_key[id].push(i);
        of[i as usize].push(id as u32);
    }
    Postings { by_key, of }
}

/// Each learning's distinct tags, numbered.
fn tag_postings(learnings: &[LearningTerms<'_>]) -> Postings {
    let mut tag_ids: HashMap<String, u32> = HashMap::new();
    let mut by_key: Vec<Vec<u32>> = Vec::new();
    let of: Vec<Vec<u32>> = learnings
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut mine: Vec<u32> = l
                .tags
                .iter()
                .map(|t| {
                    *tag_ids.entry(t.to_string()).or_insert_with(|| {
                        by_key.push(Vec::new());
                        (by_key.len() - 1) as u32
                    })
                })
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for &t in &mine {
                by_key[t as usize].push(i as u32);
            }
            mine
        })
        .collect();
    Postings { by_key, of }
}

/// Scores of the learnings related to one retrospective, kept between
/// retrospectives (a thread's) so each one costs only the learnings it touches.
struct Scores {
    score: Vec<u32>,
    touched: Vec<u32>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            score: vec![0; n],
            touched: Vec::new(),
        }
    }

    fn bump(&mut self, j: u32, by: u32) {
        let s = &mut self.score[j as usize];
        if *s == 0 {
            self.touched.push(j);
        }
        *s += by;
    }

    /// Adds `by` to every learning sharing a key with the retrospective's learnings
    /// (`mine`), for each such key that `counts`. At most the newest 256 learnings of
    /// a key: a big tag's long tail costs the most and, among equals, newer learnings
    /// win anyway (no rare term has that many).
    fn add_shared(&mut self, mine: &[usize], postings: &Postings, counts: impl Fn(&[u32]) -> bool, by: u32) {
        let mut keys: Vec<u32> = mine.iter().flat_map(|&i| postings.of[i].iter().copied()).collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            let list = &postings.by_key[k as usize];
            if counts(list) {
                for &j in list.iter().take(256) {
                    self.bump(j, by);
                }
            }
        }
    }

    /// The five best learnings scoring 3 or more that `keep` keeps, and the scores
    /// cleared for the next retrospective.
    fn take_top(&mut self, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut ranked: Vec<(usize, u32)> = (self.touched.iter())
            .map(|&j| (j as usize, self.score[j as usize]))
            .filter(|&(j, s)| s >= 3 && keep(j))
            .collect();
        for &j in &self.touched {
            self.score[j as usize] = 0;
        }
        self.touched.clear();
        // Best first; among equals, the newer (lower index) first: deterministic.
        let order = |a: &(usize, u32), b: &(usize, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > 5 {
            ranked.select_nth_unstable_by(5, order);
            ranked.truncate(5);
        }
        ranked.sort_unstable_by(order);
        ranked.into_iter().take(5).map(|(j, _)| j).collect()
    }
}

fn fnv64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learning<'a>(text: &'a str, tags: &[&'a str], team: &'a str) -> LearningTerms<'a> {
        LearningTerms {
            text,
            tags: tags.to_vec(),
            quarter: "2025-Q3",
            team,
        }
    }

    /// A shared tag outweighs shared words; a team's own learnings are never its
    /// related ones; a learning sharing nothing is not related.
    #[test]
    fn shared_tags_rank_first_and_own_learnings_never_show() {
        let learnings = [
            learning("価格改定の前に顧客へ説明する", &["pricing"], "sales"),
            learning("営業の同席で解約が減った", &[], "sales"),
            learning("料金ページを二段階にした", &["pricing"], "product"),
            learning("営業の同席で解約が減った話を聞いた", &[], "product"),
            learning("まったく別の話題", &[], "design"),
        ];
        let related = related(&learnings);
        let of = |team: &str| related[&("2025-Q3".to_string(), team.to_string())].clone();
        assert_eq!(of("sales"), [2, 3], "the shared tag first, then the shared words");
        assert_eq!(of("product"), [0, 1]);
        assert_eq!(of("design"), Vec::<usize>::new());
    }
}
