//! `aligns_to`: an objective naming an objective of another team in the same quarter.

use std::collections::{HashMap, HashSet};

use super::super::load::{Loaded, LoadedContent};
use super::super::raw::RawTeamQuarter;
use super::super::yaml::YamlPath;
use super::okrs::OkrContext;
use super::report::{Help, Reporter, SUGGESTION_BUDGET, listing};
use crate::diag::{Message, closest};
use crate::model::{ObjectiveId, ObjectiveRef, Quarter, TeamId};
use crate::msg;

/// The objective ids of one team's quarter file: in file order for help texts, and
/// as a set, so each `aligns_to` is checked at once (scanning the list for each of
/// thousands of objectives aligned into one team was quadratic).
pub(super) struct ObjectiveIds {
    in_order: Vec<String>,
    set: HashSet<String>,
    /// Whether an objective of the file could not be read (its error is reported):
    /// its id is unknown, so an `aligns_to` naming no other says nothing more.
    incomplete: bool,
}

pub(super) fn resolve_alignment(
    l: &Loaded<RawTeamQuarter>,
    at: &YamlPath,
    value: &str,
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) -> Option<ObjectiveRef> {
    let Some((team, obj)) = value.split_once('/') else {
        r.error(l, at, crate::msg!("alignment.shape", value = value))
            .help(crate::msg!("alignment.shape_help"));
        return None;
    };
    let key = (ctx.quarter, team);
    match ctx.objective_ids.get(&key) {
        None if ctx.failed_okrs.contains(&(ctx.quarter, team.to_string())) => None,
        None => {
            let help = similar_ref(team, obj, ctx, r).unwrap_or_else(|| {
                crate::msg!("alignment.no_okrs_help", quarter = ctx.quarter.to_string(), team = team)
            });
            r.error(
                l,
                at,
                crate::msg!(
                    "alignment.no_okrs",
                    value = value,
                    team = team,
                    quarter = ctx.quarter.to_string()
                ),
            )
            .help(help);
            None
        }
        Some(ids) if !ids.set.contains(obj) && ids.incomplete => None,
        Some(ids) if !ids.set.contains(obj) => {
            let help = r.suggest(obj, &ids.in_order).unwrap_or_else(|| {
                crate::msg!(
                    "alignment.objectives_help",
                    team = team,
                    quarter = ctx.quarter.to_string(),
                    known = listing(&ids.in_order)
                )
            });
            r.error(
                l,
                at,
                crate::msg!(
                    "alignment.no_objective",
                    value = value,
                    team = team,
                    quarter = ctx.quarter.to_string()
                ),
            )
            .help(help);
            None
        }
        // A private parent stays unnamed in the output.
        Some(_) if ctx.excluded.contains(&key) => None,
        Some(_) => Some(ObjectiveRef {
            team: TeamId::new(team),
            objective: ObjectiveId::new(obj),
        }),
    }
}

/// "did you mean `company/grow`?" for an `aligns_to` whose team is written in
/// another case or nearly (`Company/Grow`), with the objective it most likely means.
fn similar_ref(team: &str, obj: &str, ctx: &OkrContext<'_>, r: &mut Reporter<'_>) -> Option<Message> {
    // The teams are gathered only within the suggestion budget (see `Reporter::suggest`).
    if r.suggestion_work + ctx.objective_ids.len() > SUGGESTION_BUDGET {
        return None;
    }
    r.suggestion_work += ctx.objective_ids.len();
    let mut teams: Vec<&str> = ctx
        .objective_ids
        .keys()
        .filter(|(q, _)| *q == ctx.quarter)
        .map(|(_, t)| *t)
        .collect();
    teams.sort_unstable();
    let meant = closest(team, &teams)?;
    let ids = &ctx.objective_ids.get(&(ctx.quarter, meant))?.in_order;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let objective = if ids.contains(&obj) {
        Some(obj)
    } else {
        closest(obj, &ids)
    }?;
    Some(msg!("suggest.did_you_mean", word = format!("{meant}/{objective}")))
}

/// The objective ids of every OKR file (private ones too, as `aligns_to` may name them).
pub(super) fn objective_ids(content: &LoadedContent) -> HashMap<(Quarter, &str), ObjectiveIds> {
    let mut objective_ids = HashMap::new();
    for (q, team, l) in &content.okrs {
        let ids = l
            .raw
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                o.ok()
                    .and_then(|o| o.id.clone())
                    .unwrap_or_else(|| format!("o{}", i + 1))
            })
            .collect::<Vec<String>>();
        let set = ids.iter().cloned().collect();
        let incomplete = l.raw.objectives.iter().any(|o| o.ok().is_none());
        objective_ids.insert(
            (*q, team.as_str()),
            ObjectiveIds {
                in_order: ids,
                set,
                incomplete,
            },
        );
    }
    objective_ids
}
