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
    let (terms, by_term) = term_index(learnings);
    let (tags, by_tag) = tag_index(learnings);
    let index = Index {
        terms,
        by_term,
        tags,
        by_tag,
        // Rare: in at most 2% of learnings, and never more than 64 (a term shared with
        // hundreds of learnings says little about any one of them, and costs the most).
        rare_limit: (n / 50).clamp(3, 64),
    };
    // Group the learnings by retrospective.
    let mut own: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, l) in learnings.iter().enumerate() {
        own.entry((l.quarter, l.team)).or_default().push(i);
    }
    let own: Vec<_> = own.into_iter().collect();
    own.par_iter()
        .map_init(
            || Scores {
                score: vec![0u32; n],
                touched: Vec::new(),
            },
            |scores, ((quarter, team), mine)| {
                let top = index.top_five(learnings, team, mine, scores);
                ((quarter.to_string(), team.to_string()), top)
            },
        )
        .collect()
}

/// Which terms and tags each learning has, and which learnings each term and tag has.
struct Index {
    terms: Vec<Vec<u32>>,
    by_term: Vec<Vec<u32>>,
    tags: Vec<Vec<u32>>,
    by_tag: Vec<Vec<u32>>,
    rare_limit: usize,
}

/// Scores of one retrospective's candidates, reused from one retrospective to the next
/// (`touched` says which to reset).
struct Scores {
    score: Vec<u32>,
    touched: Vec<u32>,
}

impl Scores {
    fn bump(&mut self, j: u32, by: u32) {
        let s = &mut self.score[j as usize];
        if *s == 0 {
            self.touched.push(j);
        }
        *s += by;
    }
}

impl Index {
    /// The five learnings of other teams that score best against the retrospective
    /// whose learnings are `mine`.
    fn top_five(&self, learnings: &[LearningTerms<'_>], team: &str, mine: &[usize], scores: &mut Scores) -> Vec<usize> {
        let mut my_tags: Vec<u32> = mine.iter().flat_map(|&i| self.tags[i].iter().copied()).collect();
        my_tags.sort_unstable();
        my_tags.dedup();
        // The newest 256 learnings of each tag: a big tag's long tail costs the
        // most and, among equals, newer learnings win anyway.
        for t in my_tags {
            for &j in self.by_tag[t as usize].iter().take(256) {
                scores.bump(j, 1000);
            }
        }
        let mut my_terms: Vec<u32> = mine.iter().flat_map(|&i| self.terms[i].iter().copied()).collect();
        my_terms.sort_unstable();
        my_terms.dedup();
        for t in my_terms {
            let list = &self.by_term[t as usize];
            if list.len() <= self.rare_limit {
                for &j in list {
                    scores.bump(j, 1);
                }
            }
        }
        let mut ranked: Vec<(usize, u32)> = scores
            .touched
            .iter()
            .map(|&j| (j as usize, scores.score[j as usize]))
            .filter(|&(j, s)| s >= 3 && learnings[j].team != team)
            .collect();
        for &j in scores.touched.iter() {
            scores.score[j as usize] = 0;
        }
        scores.touched.clear();
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

/// Each learning's distinct terms of two or more characters, numbered, and the
/// learnings of each term.
fn term_index(learnings: &[LearningTerms<'_>]) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
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
    let mut pairs: Vec<(u64, u32)> = hashes
        .iter()
        .enumerate()
        .flat_map(|(i, list)| list.iter().map(move |&h| (h, i as u32)))
        .collect();
    drop(hashes);
    pairs.par_sort_unstable();
    let mut by_term: Vec<Vec<u32>> = Vec::new();
    let mut terms: Vec<Vec<u32>> = vec![Vec::new(); learnings.len()];
    let mut previous = None;
    for (h, i) in pairs {
        if previous != Some(h) {
            previous = Some(h);
            by_term.push(Vec::new());
        }
        let id = by_term.len() - 1;
        by_term[id].push(i);
        terms[i as usize].push(id as u32);
    }
    (terms, by_term)
}

/// Each learning's distinct tags, numbered, and the learnings of each tag (in the
/// order given: newest first).
fn tag_index(learnings: &[LearningTerms<'_>]) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let mut tag_ids: HashMap<String, u32> = HashMap::new();
    let mut by_tag: Vec<Vec<u32>> = Vec::new();
    let tags = learnings
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut mine: Vec<u32> = l
                .tags
                .iter()
                .map(|t| {
                    *tag_ids.entry(t.to_string()).or_insert_with(|| {
                        by_tag.push(Vec::new());
                        (by_tag.len() - 1) as u32
                    })
                })
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for &t in &mine {
                by_tag[t as usize].push(i as u32);
            }
            mine
        })
        .collect();
    (tags, by_tag)
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
