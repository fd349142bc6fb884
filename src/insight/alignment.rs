//! Alignment: which objectives support which (both ways), each team's quarters,
//! and a quarter's objectives as the tree their alignment makes.

use ahash::AHashMap as HashMap;

use crate::model::{Objective, Quarter, Site};

/// (quarter index, team id, objective id): an objective of one quarter.
pub type ObjectiveKey<'a> = (usize, &'a str, &'a str);

/// Alignment links both ways and each team's quarters, computed once per site.
pub struct Alignment<'a> {
    /// Every objective by its key, to find what an objective aligns to.
    pub objectives: HashMap<ObjectiveKey<'a>, &'a Objective>,
    /// The objectives (team id, objective) aligned to each objective, in quarter
    /// file order.
    pub supporters: HashMap<ObjectiveKey<'a>, Vec<(&'a str, &'a Objective)>>,
    /// Each team's quarters, ascending, to link previous and next reviews.
    pub team_quarters: HashMap<&'a str, Vec<Quarter>>,
}

/// Who aligns to what, and each team's quarters: what every team-quarter view needs.
pub fn alignment(site: &Site) -> Alignment<'_> {
    let mut objectives: HashMap<ObjectiveKey<'_>, &Objective> = HashMap::new();
    let mut supporters: HashMap<ObjectiveKey<'_>, Vec<(&str, &Objective)>> = HashMap::new();
    let mut team_quarters: HashMap<&str, Vec<Quarter>> = HashMap::new();
    for (qi, q) in site.quarters.iter().enumerate() {
        for tq in &q.teams {
            team_quarters.entry(tq.team.as_str()).or_default().push(q.quarter);
            for o in tq.okrs.iter().flat_map(|o| o.objectives.iter()) {
                objectives.insert((qi, tq.team.as_str(), o.id.as_str()), o);
                if let Some(parent) = &o.aligns_to {
                    let key = (qi, parent.team.as_str(), parent.objective.as_str());
                    supporters.entry(key).or_default().push((tq.team.as_str(), o));
                }
            }
        }
    }
    Alignment {
        objectives,
        supporters,
        team_quarters,
    }
}

/// An objective of one quarter by position: `quarter.teams[team]`, its
/// `objective`-th objective (counted across the team's OKR file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectiveAt {
    pub team: usize,
    pub objective: usize,
}

/// A quarter's objectives as their alignment makes them a tree.
#[derive(Debug, Default, PartialEq)]
pub struct AlignmentTree {
    /// Depth first: objectives of root teams without a parent objective at depth 0,
    /// each followed by the objectives aligned to it, one level deeper.
    pub tree: Vec<(usize, ObjectiveAt)>,
    /// Objectives the tree does not reach (their parent is missing, or part of a cycle,
    /// or a team below the root without a parent objective), in page order.
    pub unaligned: Vec<ObjectiveAt>,
}

/// The alignment tree of quarter `qi`. A visited set guards against cycles.
pub fn alignment_tree(site: &Site, qi: usize) -> AlignmentTree {
    let q = &site.quarters[qi];
    // Each team's objectives by position, so a step of the walk finds one at once.
    let objectives: Vec<Vec<&Objective>> = (q.teams.iter())
        .map(|tq| tq.okrs.iter().flat_map(|o| o.objectives.iter()).collect())
        .collect();
    let children = aligned_to(&objectives);
    let mut walk = Walk {
        teams: q.teams.iter().map(|tq| tq.team.as_str()).collect(),
        objectives: &objectives,
        children: &children,
        visited: objectives.iter().map(|list| vec![false; list.len()]).collect(),
        tree: Vec::new(),
    };
    for (ti, tq) in q.teams.iter().enumerate() {
        let is_root_team = site.team(&tq.team).is_none_or(|t| t.parent.is_none());
        for (oi, o) in objectives[ti].iter().enumerate() {
            if o.aligns_to.is_none() && is_root_team {
                walk.visit(
                    ObjectiveAt {
                        team: ti,
                        objective: oi,
                    },
                    0,
                );
            }
        }
    }
    let Walk { visited, tree, .. } = walk;
    let unaligned = visited
        .iter()
        .enumerate()
        .flat_map(|(ti, seen)| {
            let unseen = seen.iter().enumerate().filter(|(_, seen)| !**seen);
            unseen.map(move |(oi, _)| ObjectiveAt {
                team: ti,
                objective: oi,
            })
        })
        .collect();
    AlignmentTree { tree, unaligned }
}

/// The objectives aligned to each (team id, objective id), in page order.
fn aligned_to<'a>(objectives: &[Vec<&'a Objective>]) -> HashMap<(&'a str, &'a str), Vec<ObjectiveAt>> {
    let mut children: HashMap<(&str, &str), Vec<ObjectiveAt>> = HashMap::new();
    for (ti, list) in objectives.iter().enumerate() {
        for (oi, o) in list.iter().enumerate() {
            if let Some(parent) = &o.aligns_to {
                let at = ObjectiveAt {
                    team: ti,
                    objective: oi,
                };
                children
                    .entry((parent.team.as_str(), parent.objective.as_str()))
                    .or_default()
                    .push(at);
            }
        }
    }
    children
}

/// Walks the alignment tree depth first; `visited` guards against cycles.
struct Walk<'a, 'b> {
    /// Team ids by position in the quarter.
    teams: Vec<&'a str>,
    /// Objectives by team and position.
    objectives: &'b [Vec<&'a Objective>],
    children: &'b HashMap<(&'a str, &'a str), Vec<ObjectiveAt>>,
    visited: Vec<Vec<bool>>,
    tree: Vec<(usize, ObjectiveAt)>,
}

impl Walk<'_, '_> {
    fn visit(&mut self, at: ObjectiveAt, depth: usize) {
        if self.visited[at.team][at.objective] {
            return;
        }
        self.visited[at.team][at.objective] = true;
        self.tree.push((depth, at));
        let key = (self.teams[at.team], self.objectives[at.team][at.objective].id.as_str());
        if let Some(kids) = self.children.get(&key) {
            for &child in kids {
                self.visit(child, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::at_risk::tests::{objective, quarter, team_quarter};
    use crate::insight::team_tree::tests::{site, team};
    use crate::model::QuarterStatus;

    fn at(team: usize, objective: usize) -> ObjectiveAt {
        ObjectiveAt { team, objective }
    }

    /// co has o1 and o2; a (under co) aligns a1 to co/o1 and has a2 unaligned; b
    /// (under co) aligns b1 to a/a1, and b2 to a missing objective.
    fn sample() -> Site {
        let teams = vec![
            team("co", None, &["a", "b"]),
            team("a", Some("co"), &[]),
            team("b", Some("co"), &[]),
        ];
        let q = quarter(
            QuarterStatus::InProgress,
            vec![
                team_quarter("co", vec![objective("o1", 1, None), objective("o2", 1, None)]),
                team_quarter(
                    "a",
                    vec![objective("a1", 1, Some(("co", "o1"))), objective("a2", 1, None)],
                ),
                team_quarter(
                    "b",
                    vec![
                        objective("b1", 1, Some(("a", "a1"))),
                        objective("b2", 1, Some(("co", "gone"))),
                    ],
                ),
            ],
        );
        site(teams, vec![q])
    }

    #[test]
    fn the_tree_is_depth_first_and_the_rest_is_unaligned() {
        let s = sample();
        let tree = alignment_tree(&s, 0);
        assert_eq!(tree.tree, [(0, at(0, 0)), (1, at(1, 0)), (2, at(2, 0)), (0, at(0, 1))]);
        assert_eq!(tree.unaligned, [at(1, 1), at(2, 1)]);
    }

    #[test]
    fn a_cycle_is_visited_once() {
        let teams = vec![team("co", None, &[])];
        let q = quarter(
            QuarterStatus::InProgress,
            vec![team_quarter(
                "co",
                vec![
                    objective("root", 1, None),
                    objective("x", 1, Some(("co", "y"))),
                    objective("y", 1, Some(("co", "x"))),
                ],
            )],
        );
        let tree = alignment_tree(&site(teams, vec![q]), 0);
        assert_eq!(tree.tree, [(0, at(0, 0))]);
        assert_eq!(tree.unaligned, [at(0, 1), at(0, 2)]);
    }

    #[test]
    fn supporters_parents_and_team_quarters() {
        let s = sample();
        let al = alignment(&s);
        let ids = |key| -> Vec<(&str, &str)> {
            al.supporters
                .get(&key)
                .map_or(Vec::new(), |v: &Vec<(&str, &Objective)>| {
                    v.iter().map(|(t, o)| (*t, o.id.as_str())).collect()
                })
        };
        assert_eq!(ids((0, "co", "o1")), [("a", "a1")]);
        assert_eq!(ids((0, "a", "a1")), [("b", "b1")]);
        assert_eq!(ids((0, "co", "gone")), [("b", "b2")]);
        assert!(ids((0, "co", "o2")).is_empty());
        assert_eq!(al.objectives[&(0, "a", "a2")].id, "a2");
        assert_eq!(al.objectives.len(), 6);
        assert_eq!(al.team_quarters["b"], [s.quarters[0].quarter]);
    }
}
