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
    // Rare: in at most 2% of learnings, and never more than 64 (a term shared with
    // hundreds of learnings says little about any one of them, and costs the most).
    let rare_limit = (n / 50).clamp(3, 64);
    // Only rare terms are listed, so no retrospective gathers and sorts the common
    // ones to skip them.
    let terms = term_postings(learnings, rare_limit);
    let tags = tag_postings(learnings);
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
                scores.add_shared(mine, &tags, 1000);
                scores.add_shared(mine, &terms, 1);
                let top = scores.take_top(|j| learnings[j].team != *team);
                ((quarter.to_string(), team.to_string()), top)
            },
        )
        .collect()
}

/// Learnings by key (a term or a tag) and keys by learning, each numbered from 0, as
/// flat lists: one allocation each, where a list per key was one per term (hundreds
/// of thousands on a large site).
struct Postings {
    /// Key `k`'s learnings are `key_learnings[key_starts[k]..key_starts[k + 1]]`,
    /// ascending (newest first).
    key_starts: Vec<u32>,
    key_learnings: Vec<u32>,
    /// Learning `i`'s distinct keys, ascending, likewise.
    learning_starts: Vec<u32>,
    learning_keys: Vec<u32>,
}

impl Postings {
    /// From `(key, learning)` pairs in key order, each key's learnings ascending and
    /// each pair once, for `n` learnings.
    fn from_sorted(pairs: impl Iterator<Item = (u64, u32)>, n: usize) -> Postings {
        let mut key_starts = Vec::new();
        let mut key_learnings = Vec::new();
        let mut previous = None;
        for (key, i) in pairs {
            if previous != Some(key) {
                previous = Some(key);
                key_starts.push(key_learnings.len() as u32);
            }
            key_learnings.push(i);
        }
        key_starts.push(key_learnings.len() as u32);
        let keys = key_starts.len() - 1;
        // Each learning's keys: counted, then filled in key order.
        let mut learning_starts = vec![0u32; n + 1];
        for k in 0..keys {
            for &i in &key_learnings[key_starts[k] as usize..key_starts[k + 1] as usize] {
                learning_starts[i as usize + 1] += 1;
            }
        }
        for i in 0..n {
            learning_starts[i + 1] += learning_starts[i];
        }
        let mut next = learning_starts.clone();
        let mut learning_keys = vec![0u32; learning_starts[n] as usize];
        for k in 0..keys {
            for &i in &key_learnings[key_starts[k] as usize..key_starts[k + 1] as usize] {
                learning_keys[next[i as usize] as usize] = k as u32;
                next[i as usize] += 1;
            }
        }
        Postings {
            key_starts,
            key_learnings,
            learning_starts,
            learning_keys,
        }
    }

    /// The learnings holding key `k`, ascending.
    fn by_key(&self, k: u32) -> &[u32] {
        let k = k as usize;
        &self.key_learnings[self.key_starts[k] as usize..self.key_starts[k + 1] as usize]
    }

    /// Learning `i`'s keys, ascending.
    fn of(&self, i: usize) -> &[u32] {
        &self.learning_keys[self.learning_starts[i] as usize..self.learning_starts[i + 1] as usize]
    }
}

/// Each learning's distinct terms of two characters or more that are in at most
/// `rare_limit` learnings, numbered: only those ever count, so only those are listed.
fn term_postings(learnings: &[LearningTerms<'_>], rare_limit: usize) -> Postings {
    // Each learning's distinct terms, hashed (64-bit FNV-1a: collisions are negligible
    // and would only blur a ranking).
    // Gathered in a thread's scratch list and kept at their size: grown lists kept
    // up to twice the room they need, 22 MB at 200 teams.
    let terms: Vec<Box<[u64]>> = (learnings.par_iter())
        .map_init(Vec::new, |list, l| {
            list.clear();
            tokens(&normalize(l.text), |t| {
                if t.chars().nth(1).is_some() {
                    list.push(fnv64(t));
                }
            });
            list.sort_unstable();
            list.dedup();
            list.as_slice().into()
        })
        .collect();
    // How many learnings hold each term: counted in a map, where sorting every
    // (term, learning) pair (millions) cost more and needed them all at once.
    let mut holders: HashMap<u64, u32, ahash::RandomState> = HashMap::default();
    for &h in terms.iter().flatten() {
        *holders.entry(h).or_default() += 1;
    }
    let rare = |h: &u64| holders[h] as usize <= rare_limit;
    // The rare terms' (hash, learning) pairs, in hash order: as from_sorted wants them.
    let mut pairs: Vec<(u64, u32)> = (terms.iter().enumerate())
        .flat_map(|(i, list)| list.iter().filter(|h| rare(h)).map(move |&h| (h, i as u32)))
        .collect();
    pairs.par_sort_unstable();
    Postings::from_sorted(pairs.into_iter(), learnings.len())
}

/// Each learning's distinct tags, numbered in the order they first come.
fn tag_postings(learnings: &[LearningTerms<'_>]) -> Postings {
    let mut tag_ids: HashMap<&str, u64, ahash::RandomState> = HashMap::default();
    let mut pairs: Vec<(u64, u32)> = Vec::new();
    for (i, l) in learnings.iter().enumerate() {
        for t in &l.tags {
            let next = tag_ids.len() as u64;
            pairs.push((*tag_ids.entry(t).or_insert(next), i as u32));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    Postings::from_sorted(pairs.into_iter(), learnings.len())
}

/// Scores of the learnings related to one retrospective, kept between
/// retrospectives (a thread's) so each one costs only the learnings it touches.
struct Scores {
    score: Vec<u32>,
    touched: Vec<u32>,
    /// The touched learnings that may rank, reused from one retrospective to the next.
    ranked: Vec<(usize, u32)>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            score: vec![0; n],
            touched: Vec::new(),
            ranked: Vec::new(),
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
    /// (`mine`). At most the newest 256 learnings of a key: a big tag's long tail
    /// costs the most and, among equals, newer learnings win anyway (no rare term
    /// has that many).
    fn add_shared(&mut self, mine: &[usize], postings: &Postings, by: u32) {
        let mut keys: Vec<u32> = mine.iter().flat_map(|&i| postings.of(i).iter().copied()).collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            for &j in postings.by_key(k).iter().take(256) {
                self.bump(j, by);
            }
        }
    }

    /// The five best learnings scoring 3 or more that `keep` keeps, and the scores
    /// cleared for the next retrospective.
    fn take_top(&mut self, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        let ranked = &mut self.ranked;
        ranked.clear();
        ranked.extend(
            (self.touched.iter())
                .map(|&j| (j as usize, self.score[j as usize]))
                .filter(|&(j, s)| s >= 3 && keep(j)),
        );
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
        // A list of its own, of five at most: one collected from a list of every
        // learning touched kept that list's room (it reuses the allocation), tens of
        // kilobytes per retrospective, 87 MB at 200 teams.
        ranked.iter().map(|&(j, _)| j).collect()
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

    /// Each key's learnings and each learning's keys, both ascending.
    #[test]
    fn postings_list_both_ways() {
        // Keys 10, 20, 30 (numbered 0, 1, 2) over learnings 0..4.
        let pairs = [(10, 0), (10, 2), (20, 1), (20, 2), (20, 3), (30, 3)];
        let p = Postings::from_sorted(pairs.into_iter(), 5);
        assert_eq!([p.by_key(0), p.by_key(1), p.by_key(2)], [&[0, 2][..], &[1, 2, 3], &[3]]);
        let of: Vec<&[u32]> = (0..5).map(|i| p.of(i)).collect();
        assert_eq!(of, [&[0][..], &[1], &[0, 1], &[1, 2], &[]]);
    }

    /// A term held by more learnings than the rare limit is listed for none of them.
    #[test]
    fn only_rare_terms_are_listed() {
        // The limit is 3: 共通, 通の and の話 are in four learnings, 珍し in two, 別件 in one.
        let texts = ["共通の話 珍し", "共通の話 珍し", "共通の話", "共通の話", "別件"];
        let learnings: Vec<_> = texts.iter().map(|t| learning(t, &[], "a")).collect();
        let p = term_postings(&learnings, 3);
        assert_eq!(p.of(0).len(), 1, "珍し only");
        assert_eq!(p.of(0), p.of(1));
        assert_eq!(p.by_key(p.of(0)[0]), [0, 1]);
        assert!(p.of(2).is_empty() && p.of(3).is_empty(), "共通の話 alone is common");
        assert_eq!(p.of(4).len(), 1, "別件");
        assert_eq!(p.by_key(p.of(4)[0]), [4]);
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

    /// A retrospective sharing a tag with forty learnings keeps five, and no room for
    /// more: the lists are kept for the whole build, one per retrospective.
    #[test]
    fn five_at_most_and_no_more_room() {
        let teams: Vec<String> = (0..41).map(|i| format!("team-{i}")).collect();
        let learnings: Vec<_> = teams.iter().map(|t| learning("共有の学び", &["pricing"], t)).collect();
        let related = related(&learnings);
        let of = &related[&("2025-Q3".to_string(), "team-0".to_string())];
        assert_eq!(of, &[1, 2, 3, 4, 5], "the newest five of the forty");
        assert!(related.values().all(|list| list.len() == 5 && list.capacity() == 5));
    }
}
