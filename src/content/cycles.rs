//! Cycles of `aligns_to` between objectives of one quarter (and the cycle finder that
//! team `parent`s use too).

use std::collections::HashMap;

use super::load::{Loaded, LoadedContent};
use super::raw::RawTeamQuarter;
use super::yaml::YamlPath;
use crate::diag::{Diagnostic, Position};
use crate::domain::Quarter;

/// Reports every cycle of `aligns_to` (an objective aligned to itself, or A → B → A)
/// once, at the `aligns_to` of its first objective in file order. Each objective has at
/// most one `aligns_to`, so following them from every objective in turn, never walking
/// through one already seen, finds every cycle in time linear in the number of
/// objectives, with no recursion however long a chain is.
/// `locate` finds a path's position in a file (with the file's position index).
pub fn alignment_cycles(
    content: &LoadedContent,
    locate: &mut dyn FnMut(&Loaded<RawTeamQuarter>, &YamlPath) -> Option<Position>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // One node per objective: where its `aligns_to` is written, and its name `team/id`.
    let mut nodes: Vec<(&Loaded<RawTeamQuarter>, usize, String)> = Vec::new();
    let mut index: HashMap<(Quarter, &str, String), usize> = HashMap::new();
    let mut targets: Vec<Option<(Quarter, &str, &str)>> = Vec::new();
    for (q, team, l) in &content.okrs {
        for (oi, o) in l.raw.objectives.iter().enumerate() {
            let Some(o) = o.ok() else { continue };
            let id = o.id.clone().unwrap_or_else(|| format!("o{}", oi + 1));
            // A duplicate id is an error of its own; the first one is the node.
            if index.contains_key(&(*q, team.as_str(), id.clone())) {
                continue;
            }
            index.insert((*q, team.as_str(), id.clone()), nodes.len());
            nodes.push((l, oi, format!("{team}/{id}")));
            targets.push(
                o.aligns_to
                    .as_deref()
                    .and_then(|a| a.split_once('/'))
                    .map(|(t, o)| (*q, t, o)),
            );
        }
    }
    let next: Vec<Option<usize>> = targets
        .iter()
        .map(|t| t.and_then(|(q, team, obj)| index.get(&(q, team, obj.to_string())).copied()))
        .collect();
    for cycle in cycles(&next) {
        found.push(cycle_error(&nodes, &cycle, locate));
    }
    found
}

/// The cycles of a graph where each node has at most one successor (`next`), each
/// once, as lists of nodes starting at its smallest node. Following the successors
/// from every node in turn, never walking through one already seen, finds them all
/// in time linear in the number of nodes, with no recursion however long a chain is.
pub fn cycles(next: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut found = Vec::new();
    const UNSEEN: usize = usize::MAX;
    // For each node: UNSEEN, or the number of the walk that reached it first.
    let mut walk_of = vec![UNSEEN; next.len()];
    // Position of each node on the path of its walk.
    let mut position = vec![0usize; next.len()];
    for start in 0..next.len() {
        if walk_of[start] != UNSEEN {
            continue;
        }
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            if walk_of[c] != UNSEEN {
                // Back on this walk's own path: a new cycle. (A node of an earlier walk
                // leads into a chain or cycle already reported.)
                if walk_of[c] == start {
                    let cycle = &path[position[c]..];
                    let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
                    found.push(cycle[first..].iter().chain(&cycle[..first]).copied().collect());
                }
                break;
            }
            walk_of[c] = start;
            position[c] = path.len();
            path.push(c);
            cur = next[c];
        }
    }
    found
}

/// `a → b → c → a`; a long cycle is named by its ends, so the message stays one
/// readable line.
pub fn cycle_names<'a>(cycle: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = cycle.into_iter().collect();
    let Some(&first) = names.first() else {
        return String::new();
    };
    names.push(first);
    const SHOWN: usize = 8;
    let more = format!("… ({} more) …", names.len().saturating_sub(SHOWN + 1));
    if names.len() > SHOWN + 1 {
        names.drain(SHOWN / 2..names.len() - SHOWN / 2);
        names.insert(SHOWN / 2, &more);
    }
    names.join(" → ")
}

fn cycle_error(
    nodes: &[(&Loaded<RawTeamQuarter>, usize, String)],
    cycle: &[usize],
    locate: &mut dyn FnMut(&Loaded<RawTeamQuarter>, &YamlPath) -> Option<Position>,
) -> Diagnostic {
    let (l, oi, _) = nodes[cycle[0]];
    let at = YamlPath::root().key("objectives").index(oi).key("aligns_to");
    let message = if cycle.len() == 1 {
        crate::msg!("cycle.self_aligned", id = nodes[cycle[0]].2.as_str())
    } else {
        crate::msg!(
            "cycle.aligns_to",
            names = cycle_names(cycle.iter().map(|&n| nodes[n].2.as_str()))
        )
    };
    Diagnostic::error(l.file.clone(), locate(l, &at), message).with_help(crate::msg!("cycle.aligns_to_help"))
}

/// One cycle of each knot (strongly connected part with a cycle) of a graph where a
/// node may have many successors: a cycle through the knot's smallest node, as short
/// as any, starting there. A self-loop is a knot of one node. Two cycles sharing a
/// node are one knot and are reported once: fixing the shown cycle lets the next
/// check show the other. Tarjan's algorithm (iterative, no recursion however deep
/// the graph) then one breadth-first search inside each knot: linear in nodes and
/// edges.
pub fn knots(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let component = strong_components(successors);
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (node, &c) in component.iter().enumerate() {
        members.entry(c).or_default().push(node);
    }
    let mut smallest: Vec<usize> = members.values().map(|m| m[0]).collect();
    smallest.sort_unstable();
    smallest
        .into_iter()
        .filter_map(|s| cycle_through(s, successors, &component))
        .collect()
}

/// The shortest cycle from `start` back to it inside its component, if any.
fn cycle_through(start: usize, successors: &[Vec<usize>], component: &[usize]) -> Option<Vec<usize>> {
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &s in &successors[n] {
            if component[s] != component[start] {
                continue;
            }
            if s == start {
                let mut cycle = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = came_from[&cur];
                    cycle.push(cur);
                }
                cycle.reverse();
                return Some(cycle);
            }
            if let std::collections::hash_map::Entry::Vacant(e) = came_from.entry(s) {
                e.insert(n);
                queue.push_back(s);
            }
        }
    }
    None
}

/// The strongly connected component of each node (Tarjan's algorithm, iterative).
fn strong_components(successors: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = successors.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let mut next_index = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its successors were looked at)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == UNSEEN {
                (index[v], low[v]) = (next_index, next_index);
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = successors[v].get(*i) {
                *i += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = v;
                    if w == v {
                        break;
                    }
                }
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cycle_per_knot_self_loops_included() {
        // 0 → 1 → 2 → 0 and 2 → 3 → 2 share node 2: one knot; 4 → 4; 5 → 0 (a chain
        // into the knot, no cycle); 6 → 7 → 6.
        let successors = vec![
            vec![1],
            vec![2],
            vec![0, 3],
            vec![2],
            vec![4],
            vec![0],
            vec![7],
            vec![6],
        ];
        assert_eq!(knots(&successors), [vec![0, 1, 2], vec![4], vec![6, 7]]);
    }

    #[test]
    fn a_dag_has_no_knots_and_a_long_chain_no_recursion() {
        let successors = vec![vec![1, 2], vec![2], vec![]];
        assert!(knots(&successors).is_empty());
        let n = 200_000;
        let mut chain: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        chain[n - 1] = vec![0];
        let found = knots(&chain);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
