//! Retrospectives: title, date and the learnings of each.

use std::collections::HashSet;

use super::super::learnings::TagNames;
use super::super::load::{Loaded, LoadedContent};
use super::super::retro::{self, ParsedRetro};
use super::placeholders::{self, OkrsOf};
use super::report::Reporter;
use super::review;
use super::teams::Teams;
use super::{Options, TeamQuarters};
use crate::config::{Config, Language};
use crate::diag::Diagnostic;
use crate::model::{Learning, Quarter, Retrospective, TeamId, TeamQuarter};

/// Each published retrospective of a known team (by position in `content.retros`),
/// resolved, with the problems of its review sections: what needs no OKRs, so it is
/// made alongside them.
pub(super) type Prepared = Vec<Option<(Retrospective, Vec<Diagnostic>)>>;

/// Adds each published retrospective of a known team to its quarter, from `prepared`
/// ([`prepare_retrospectives`]) and the quarters' OKRs, which its placeholders name.
pub(super) fn add_retrospectives(
    content: &LoadedContent,
    config: &Config,
    opts: Options,
    teams: &Teams,
    mut prepared: Prepared,
    quarters: &mut TeamQuarters,
    r: &mut Reporter<'_>,
) {
    // OKR files that failed to load count too: their error is enough.
    let okr_files: HashSet<(Quarter, &str)> = content
        .okrs
        .iter()
        .map(|(q, t, _)| (*q, t.as_str()))
        .chain(content.failed_okrs.iter().map(|(q, t)| (*q, t.as_str())))
        .collect();
    let failed_okrs: HashSet<(Quarter, &str)> = content.failed_okrs.iter().map(|(q, t)| (*q, t.as_str())).collect();
    let mut placeholder_problems = check_placeholders(content, teams, quarters, &failed_okrs, &prepared);
    // Tags get their site-wide spelling here, in file order (the first spelling seen
    // names a tag), so the model's tags are already canonical: tag pages, search
    // filters, related learnings and the exports all see one spelling of each tag.
    let mut tag_names = TagNames::new(&config.tag_aliases);
    for (i, (q, team, l)) in content.retros.iter().enumerate() {
        let Some(pos) = teams.position(team) else {
            teams.report_unknown(r, &l.file, team);
            continue;
        };
        if !opts.publishes(&l.raw.front) {
            continue;
        }
        if !okr_files.contains(&(*q, team.as_str())) {
            r.diagnostics.push(
                Diagnostic::warning(
                    l.file.clone(),
                    None,
                    crate::msg!("retro.without_okrs", quarter = q.to_string(), team = team.as_str()),
                )
                .with_help(crate::msg!("retro.without_okrs_help")),
            );
        }
        let Some((mut retro, review_problems)) = prepared[i].take() else {
            continue;
        };
        r.diagnostics.append(&mut placeholder_problems[i]);
        r.diagnostics.extend(review_problems);
        canonical_tags(&mut retro, &mut tag_names);
        r.diagnostics
            .extend(retro::too_many_tags(&retro.learnings, &l.raw.front.tags, &l.file));
        quarters
            .entry(*q)
            .or_default()
            .entry(pos)
            .or_insert_with(|| TeamQuarter {
                team: TeamId::new(team.as_str()),
                okrs: None,
                retro: None,
            })
            .retro = Some(retro);
    }
}

/// Gives the retrospective's tags and its learnings' their site-wide spellings
/// (aliases applied, each tag once per learning).
fn canonical_tags(retro: &mut Retrospective, names: &mut TagNames) {
    // The front matter is above the learnings in the file.
    retro.tags = names.canonical(&retro.tags);
    for l in &mut retro.learnings {
        l.tags = names.canonical(&l.tags);
    }
}

/// [`Prepared`]: resolving a retrospective parses its Markdown, thousands of files,
/// done in parallel; the caller reports problems in file order.
pub(super) fn prepare_retrospectives(
    content: &LoadedContent,
    config: &Config,
    opts: Options,
    teams: &Teams,
) -> Prepared {
    use rayon::prelude::*;
    content
        .retros
        .par_iter()
        .map(|(q, team, l)| {
            let pos = teams.position(team).filter(|_| opts.publishes(&l.raw.front))?;
            let team_name = teams.teams[pos].name.as_str();
            Some((resolve_retro(l, *q, team, team_name, config), review::check(l, config)))
        })
        .collect()
}

/// The problems of each prepared retrospective's placeholders (by position in
/// `content.retros`), read against its team's OKRs in `quarters`.
fn check_placeholders(
    content: &LoadedContent,
    teams: &Teams,
    quarters: &TeamQuarters,
    failed_okrs: &HashSet<(Quarter, &str)>,
    prepared: &Prepared,
) -> Vec<Vec<Diagnostic>> {
    use rayon::prelude::*;
    (content.retros.par_iter().zip(prepared))
        .map(|((q, team, l), prepared)| {
            let Some(pos) = prepared.as_ref().and_then(|_| teams.position(team)) else {
                return Vec::new();
            };
            let okrs = match quarters.get(q).and_then(|tqs| tqs.get(&pos)?.okrs.as_ref()) {
                Some(okrs) => OkrsOf::Published(okrs),
                None if failed_okrs.contains(&(*q, team.as_str())) => OkrsOf::Failed,
                None => OkrsOf::Missing,
            };
            placeholders::check(l, okrs, *q, team)
        })
        .collect()
}

pub(crate) fn resolve_retro(
    l: &Loaded<ParsedRetro>,
    quarter: Quarter,
    team: &str,
    team_name: &str,
    config: &Config,
) -> Retrospective {
    let front = &l.raw.front;
    let title = front.title.clone().unwrap_or_else(|| match config.language {
        Language::Ja => format!("{quarter} 振り返り — {team_name}"),
        Language::En => format!("{quarter} retrospective — {team_name}"),
    });
    let date = front.date.map(|d| d.0);
    let learnings = retro::extract_learnings(&l.raw.body, &config.learning_headings)
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let tags = retro::merge_tags(f.tags, &front.tags);
            Learning {
                team: TeamId::new(team),
                quarter,
                index: i + 1,
                text: f.text,
                markdown: f.markdown,
                tags,
                date,
                line: f.line + l.raw.body_line_offset,
                offset: f.offset,
            }
        })
        .collect();
    Retrospective {
        title,
        date,
        authors: front.authors.clone(),
        tags: front.tags.clone(),
        body: l.raw.body.clone(),
        body_line_offset: l.raw.body_line_offset,
        learnings,
        source: l.file.clone(),
    }
}
