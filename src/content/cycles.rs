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
        format!("objective `{}` is aligned to itself", nodes[cycle[0]].2)
    } else {
        format!(
            "a cycle of aligns_to: {}",
            cycle_names(cycle.iter().map(|&n| nodes[n].2.as_str()))
        )
    };
    Diagnostic::error(l.file.clone(), locate(l, &at), message)
        .with_help("alignment leads up to a parent objective: remove `aligns_to` from one objective of the cycle")
}
