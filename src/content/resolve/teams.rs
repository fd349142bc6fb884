//! The team tree of content/teams.yaml.

use std::collections::HashMap;

use super::super::load::{Loaded, LoadedContent};
use super::super::raw::{Lenient, RawTeam};
use super::super::yaml::YamlPath;
use super::ids::{is_slug, slug_for, slug_help};
use super::report::{Help, Reporter, SUGGESTION_BUDGET, listing};
use crate::diag::{Diagnostic, Message};
use crate::model::{Team, TeamId};
use crate::msg;

/// The resolved teams, and where each stands in teams.yaml (the order pages list them in).
pub(super) struct Teams {
    pub(super) teams: Vec<Team>,
    position: HashMap<TeamId, usize>,
    /// Whether every team of teams.yaml parsed. With a broken teams.yaml (or a broken
    /// team in it) every file of that team would be "unknown": the problem is reported
    /// once, in teams.yaml, instead.
    complete: bool,
}

impl Teams {
    /// The team's place in teams.yaml.
    pub(super) fn position(&self, id: &str) -> Option<usize> {
        self.position.get(id).copied()
    }

    /// Reports a file of a team teams.yaml does not have; nothing when teams.yaml
    /// itself is broken (without a readable teams.yaml every file would be "unknown":
    /// that is said once, there).
    pub(super) fn report_unknown(&self, r: &mut Reporter<'_>, file: &str, team: &str) {
        if self.complete {
            unknown_team(r, file, team, &self.teams);
        }
    }
}

/// The teams of content/teams.yaml (none without the file).
pub(super) fn resolve_teams_file(content: &LoadedContent, r: &mut Reporter<'_>) -> Teams {
    let teams = content.teams.as_ref().map(|l| resolve_teams(l, r)).unwrap_or_default();
    let complete = content
        .teams
        .as_ref()
        .is_some_and(|l| l.raw.iter().all(|t| t.ok().is_some()));
    let position = teams.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
    Teams {
        teams,
        position,
        complete,
    }
}

fn unknown_team(r: &mut Reporter<'_>, file: &str, team: &str, teams: &[Team]) {
    // The ids are gathered only while suggestions are within their budget: gathering
    // them for each of thousands of files with unknown teams was quadratic.
    let suggested = (r.suggestion_work + teams.len() <= SUGGESTION_BUDGET)
        .then(|| {
            let ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
            r.suggest(team, &ids)
        })
        .flatten();
    let help = suggested.unwrap_or_else(|| unknown_team_help(file, team));
    let d = Diagnostic::error(file, None, msg!("resolve.team.unknown", team = team)).with_help(help);
    r.diagnostics.push(d);
}

/// How to add a team named by a file: its id under the slug rule, and the file
/// renamed to it when the name breaks the rule.
fn unknown_team_help(file: &str, team: &str) -> Message {
    if is_slug(team) {
        return msg!("resolve.team.unknown_help", team = team);
    }
    match slug_for(team) {
        Some(slug) => {
            let name = file.rsplit('/').next().unwrap_or(file);
            let renamed = format!("{slug}{}", &name[team.len().min(name.len())..]);
            msg!("resolve.team.unknown_rename_help", file = renamed, slug = slug)
        }
        None => msg!("resolve.team.unknown_ascii_help"),
    }
}

fn resolve_teams(l: &Loaded<Vec<Lenient<RawTeam>>>, r: &mut Reporter<'_>) -> Vec<Team> {
    let root = YamlPath::root();
    // Elements that failed to parse were reported by the loader; indices stay those of the file.
    let raw: Vec<(usize, &RawTeam)> = l
        .raw
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.ok().map(|t| (i, t)))
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for &(i, t) in &raw {
        let p = root.index(i);
        if !is_slug(&t.id) {
            r.error(l, &p.key("id"), crate::msg!("team.not_slug", id = t.id.as_str()))
                .help(slug_help(&t.id));
        }
        if let Some(first) = seen.insert(t.id.as_str(), i) {
            let help = match r.locate(l, &root.index(first).key("id")) {
                Some(p) => crate::msg!("team.duplicate_help_line", line = p.line),
                None => crate::msg!("team.duplicate_help"),
            };
            r.error(l, &p.key("id"), crate::msg!("team.duplicate", id = t.id.as_str()))
                .help(help);
        }
    }
    let ids: Vec<&str> = raw.iter().map(|(_, t)| t.id.as_str()).collect();
    for &(i, t) in &raw {
        let Some(parent) = &t.parent else { continue };
        if !seen.contains_key(parent.as_str()) {
            let help = r
                .suggest(parent, &ids)
                .unwrap_or_else(|| crate::msg!("team.parent_help", known = listing(&ids)));
            r.error(
                l,
                &root.index(i).key("parent"),
                crate::msg!("team.unknown_parent", parent = parent),
            )
            .help(help);
        }
    }
    parent_cycles(l, &raw, &seen, r);
    team_tree(&raw, &seen)
}

/// The teams kept (the first of each id), each with its children.
fn team_tree(raw: &[(usize, &RawTeam)], seen: &HashMap<&str, usize>) -> Vec<Team> {
    let mut teams: Vec<Team> = raw
        .iter()
        .filter(|(i, t)| seen.get(t.id.as_str()) == Some(i))
        .map(|(_, t)| Team {
            id: TeamId::new(t.id.as_str()),
            name: t.name.clone(),
            parent: t.parent.as_deref().map(TeamId::new),
            children: Vec::new(),
        })
        .collect();
    let index: HashMap<TeamId, usize> = teams.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
    for i in 0..teams.len() {
        if let Some(&p) = teams[i].parent.as_ref().and_then(|p| index.get(p)) {
            let child = teams[i].id.clone();
            teams[p].children.push(child);
        }
    }
    teams
}

/// Reports each cycle of `parent`s once, at the first team of the cycle in file order
/// (walking the parents from every team was quadratic for a long cycle, and reported
/// the whole cycle once per team on it). `seen` maps each id to the team kept for it.
fn parent_cycles(
    l: &Loaded<Vec<Lenient<RawTeam>>>,
    raw: &[(usize, &RawTeam)],
    seen: &HashMap<&str, usize>,
    r: &mut Reporter<'_>,
) {
    let node_of: HashMap<&str, usize> = raw
        .iter()
        .enumerate()
        .filter(|(_, (i, t))| seen.get(t.id.as_str()) == Some(i))
        .map(|(n, (_, t))| (t.id.as_str(), n))
        .collect();
    let next: Vec<Option<usize>> = raw
        .iter()
        .map(|(_, t)| t.parent.as_deref().and_then(|p| node_of.get(p).copied()))
        .collect();
    for cycle in crate::content::cycles::cycles(&next) {
        let names = crate::content::cycles::cycle_names(cycle.iter().map(|&n| raw[n].1.id.as_str()));
        let at = YamlPath::root().index(raw[cycle[0]].0).key("parent");
        r.error(l, &at, crate::msg!("team.parent_cycle", names = names))
            .help(crate::msg!("team.parent_cycle_help"));
    }
}
