//! Cycles of `aligns_to` between objectives of one quarter.

use std::collections::HashMap;

use super::diag::Diagnostic;
use super::load::{Loaded, LoadedContent};
use super::raw::RawTeamQuarter;
use super::yaml::{self, YamlPath};
use crate::model::Quarter;

/// Reports every cycle of `aligns_to` (an objective aligned to itself, or A → B → A)
/// once, at the `aligns_to` of its first objective in file order. Each objective has at
/// most one `aligns_to`, so following them from every objective in turn, never walking
/// through one already seen, finds every cycle in time linear in the number of
/// objectives, with no recursion however long a chain is.
pub fn alignment_cycles(content: &LoadedContent) -> Vec<Diagnostic> {
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
    const UNSEEN: usize = usize::MAX;
    // For each node: UNSEEN, or the number of the walk that reached it first.
    let mut walk_of = vec![UNSEEN; nodes.len()];
    // Position of each node on the path of its walk.
    let mut position = vec![0usize; nodes.len()];
    for start in 0..nodes.len() {
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
                    found.push(cycle_error(&nodes, &path[position[c]..]));
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

fn cycle_error(nodes: &[(&Loaded<RawTeamQuarter>, usize, String)], cycle: &[usize]) -> Diagnostic {
    // Start the cycle at its first objective in file order, so the message is stable.
    let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
    let mut names: Vec<&str> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .chain(std::iter::once(&cycle[first]))
        .map(|&n| nodes[n].2.as_str())
        .collect();
    // A long cycle is named by its ends, so the message stays one readable line.
    const SHOWN: usize = 8;
    let more = format!("… ({} more) …", names.len().saturating_sub(SHOWN + 1));
    if names.len() > SHOWN + 1 {
        names.drain(SHOWN / 2..names.len() - SHOWN / 2);
        names.insert(SHOWN / 2, &more);
    }
    let (l, oi, _) = nodes[cycle[first]];
    let at = YamlPath::root().key("objectives").index(oi).key("aligns_to");
    let message = if cycle.len() == 1 {
        format!("objective `{}` is aligned to itself", names[0])
    } else {
        format!("a cycle of aligns_to: {}", names.join(" → "))
    };
    Diagnostic::error(l.file.clone(), yaml::locate(&l.text, &at), message)
        .with_help("alignment leads up to a parent objective: remove `aligns_to` from one objective of the cycle")
}
