//! A retrospective's placeholders (`[[score]]`, `[[grade OBJ]]`, `[[current OBJ/KR]]`)
//! checked against its team's quarter: each must name something there.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use super::super::load::Loaded;
use super::super::placeholders::{Malformed, Placeholder, Target, runs_with_tokens};
use super::super::retro::ParsedRetro;
use super::report::{SUGGESTION_BUDGET, listing};
use crate::diag::{Diagnostic, LineStarts, closest};
use crate::messages::Message;
use crate::model::{Okrs, Quarter};
use crate::msg;

/// The OKRs a retrospective's placeholders are read against.
#[derive(Clone, Copy)]
pub(super) enum OkrsOf<'a> {
    Published(&'a Okrs),
    /// No OKR file, or a draft or private one.
    Missing,
    /// The OKR file has errors of its own: its ids are not checked against.
    Failed,
}

/// An error for each placeholder that is malformed or names nothing in `okrs`, at
/// its line and column in the retrospective.
pub(super) fn check(l: &Loaded<ParsedRetro>, okrs: OkrsOf<'_>, quarter: Quarter, team: &str) -> Vec<Diagnostic> {
    let runs = runs_with_tokens(&l.raw.body);
    if runs.is_empty() {
        return Vec::new();
    }
    // The body is the end of the file's text.
    let body_start = l.text.len() - l.raw.body.len();
    let lines = LineStarts::new(&l.text);
    let ids = match okrs {
        OkrsOf::Published(okrs) => Some(Ids::new(okrs)),
        _ => None,
    };
    let mut out = Vec::new();
    let tokens = runs.iter().flat_map(|run| run.tokens.iter().map(move |t| (run, t)));
    if let OkrsOf::Missing = okrs
        && let Some((run, first)) = tokens.clone().find(|(_, t)| t.parsed.is_ok())
    {
        // One error for the file: every placeholder in it has nothing to show.
        let more = tokens.clone().filter(|(_, t)| t.parsed.is_ok()).count() - 1;
        let written = &run.text[first.range.clone()];
        let (q, file) = (quarter.to_string(), format!("content/{quarter}/{team}.yaml"));
        let help = match more {
            0 => msg!("placeholder.no_okrs_help", file = file),
            n => msg!("placeholder.no_okrs_help_more", file = file, n = n),
        };
        out.push(
            Diagnostic::error(
                l.file.clone(),
                Some(lines.position(&l.text, body_start + first.source)),
                msg!("placeholder.no_okrs", written = written, team = team, quarter = q),
            )
            .with_help(help),
        );
    }
    for run in &runs {
        for token in &run.tokens {
            let written = &run.text[token.range.clone()];
            let problem = match &token.parsed {
                Err(m) => Some(malformed(m, written, okrs)),
                Ok(p) => ids.as_ref().and_then(|ids| unresolved(p, written, ids, quarter, team)),
            };
            if let Some((message, help)) = problem {
                let at = lines.position(&l.text, body_start + token.source);
                out.push(Diagnostic::error(l.file.clone(), Some(at), message).with_help(help));
            }
        }
    }
    out
}

fn malformed(m: &Malformed, written: &str, okrs: OkrsOf<'_>) -> (Message, Message) {
    match m {
        Malformed::UnknownWord { word, closest } => (
            msg!("placeholder.unknown", written = written),
            msg!(
                "placeholder.unknown_help",
                suggested = written.replacen(word.as_str(), closest, 1)
            ),
        ),
        Malformed::CurrentNeedsKr { objective } => (
            msg!("placeholder.current_needs_kr", written = written),
            msg!(
                "placeholder.current_needs_kr_help",
                example = example_kr(okrs, objective.as_deref())
            ),
        ),
        Malformed::BadTarget => (
            msg!("placeholder.bad_target", written = written),
            msg!("placeholder.bad_target_help"),
        ),
    }
}

/// A KR to write as an example: the first of `objective` if it has one, else the
/// first of the quarter.
fn example_kr(okrs: OkrsOf<'_>, objective: Option<&str>) -> String {
    let OkrsOf::Published(okrs) = okrs else {
        return "OBJ/KR".into();
    };
    let with_krs = |o: &&crate::model::Objective| !o.key_results.is_empty();
    okrs.objectives
        .iter()
        .filter(with_krs)
        .find(|o| Some(o.id.as_str()) == objective)
        .or_else(|| okrs.objectives.iter().find(with_krs))
        .map_or("OBJ/KR".into(), |o| format!("{}/{}", o.id, o.key_results[0].id))
}

/// The ids of a team-quarter's OKRs, found once per file: a file may hold thousands
/// of placeholders, and an OKR file thousands of objectives.
struct Ids<'a> {
    /// The objectives' ids in order, and each one's KR ids.
    ids: Vec<&'a str>,
    kr_ids: Vec<Vec<&'a str>>,
    /// Objective id → its position.
    objectives: HashMap<&'a str, usize>,
    key_results: HashSet<(&'a str, &'a str)>,
    /// Names "did you mean" may still compare in this file.
    budget: Cell<usize>,
}

impl<'a> Ids<'a> {
    fn new(okrs: &'a Okrs) -> Self {
        Ids {
            ids: okrs.objectives.iter().map(|o| o.id.as_str()).collect(),
            kr_ids: (okrs.objectives.iter())
                .map(|o| o.key_results.iter().map(|k| k.id.as_str()).collect())
                .collect(),
            objectives: (okrs.objectives.iter().enumerate())
                .map(|(i, o)| (o.id.as_str(), i))
                .collect(),
            key_results: (okrs.objectives.iter())
                .flat_map(|o| o.key_results.iter().map(move |k| (o.id.as_str(), k.id.as_str())))
                .collect(),
            budget: Cell::new(SUGGESTION_BUDGET),
        }
    }

    /// The id of `ids` close to `written`, while the budget lasts.
    fn closest<'i>(&self, written: &str, ids: &[&'i str]) -> Option<&'i str> {
        let left = self.budget.get().checked_sub(ids.len())?;
        self.budget.set(left);
        closest(written, ids)
    }
}

/// What is wrong with a well-formed placeholder that names nothing, if it does not.
fn unresolved(
    p: &Placeholder,
    written: &str,
    okrs: &Ids<'_>,
    quarter: Quarter,
    team: &str,
) -> Option<(Message, Message)> {
    let (objective, kr) = match &p.target {
        Target::TeamQuarter => return None,
        Target::Objective(o) => (o, None),
        Target::KeyResult(o, k) => (o, Some(k)),
    };
    let Some(&found) = okrs.objectives.get(objective.as_str()) else {
        let ids = &okrs.ids;
        let known = match ids.is_empty() {
            true => msg!("placeholder.no_objectives"),
            false => msg!("placeholder.objectives", ids = listing(ids)),
        };
        return Some((
            msg!(
                "placeholder.no_objective",
                written = written,
                objective = objective,
                quarter = quarter.to_string(),
                team = team
            ),
            with_closest(okrs.closest(objective, ids), known),
        ));
    };
    let kr = kr?;
    if okrs.key_results.contains(&(objective.as_str(), kr.as_str())) {
        return None;
    }
    let krs = &okrs.kr_ids[found];
    let known = match krs.is_empty() {
        true => msg!("placeholder.no_krs"),
        false => msg!("placeholder.krs", ids = listing(krs)),
    };
    Some((
        msg!("placeholder.no_kr", written = written, objective = objective, kr = kr),
        with_closest(okrs.closest(kr, krs), known),
    ))
}

/// "did you mean `x`? (objectives: a, b)", or the ids alone.
fn with_closest(closest: Option<&str>, known: Message) -> Message {
    match closest {
        Some(id) => msg!("placeholder.did_you_mean", id = id, known = known),
        None => known,
    }
}

/// The placeholders found in the body, for tests.
#[cfg(test)]
fn tokens(body: &str) -> Vec<super::super::placeholders::Token> {
    runs_with_tokens(body).into_iter().flat_map(|r| r.tokens).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::retro;
    use crate::diag::Position;
    use crate::model::{KeyResult, KrData, KrId, Objective, ObjectiveId};

    fn okrs() -> Okrs {
        let kr = |id: &str| KeyResult {
            id: KrId::new(id),
            title: id.into(),
            owner: None,
            data: KrData::None,
            unit: None,
            baseline: None,
            target: None,
            weight: 1.0,
            manual_score: Some(0.5),
            checkins: Vec::new(),
        };
        Okrs {
            objectives: vec![Objective {
                id: ObjectiveId::new("grow"),
                title: "Grow".into(),
                owner: None,
                aligns_to: None,
                key_results: vec![kr("onboarding"), kr("kr2")],
                initiatives: Vec::new(),
            }],
            not_doing: Vec::new(),
            source: "content/2025-Q3/product.yaml".into(),
        }
    }

    fn run(text: &str, okrs: OkrsOf<'_>) -> Vec<(Position, String, String)> {
        let loaded = Loaded {
            file: "content/2025-Q3/product.md".into(),
            text: text.into(),
            raw: retro::parse(text, "r.md").unwrap(),
        };
        let q = Quarter::parse("2025-Q3").unwrap();
        check(&loaded, okrs, q, "product")
            .into_iter()
            .map(|d| {
                let help = d.help.map(|h| h.to_string()).unwrap_or_default();
                (d.position.unwrap(), d.message.to_string(), help)
            })
            .collect()
    }

    #[test]
    fn ids_that_name_nothing_are_errors_at_their_line_and_column() {
        let okrs = okrs();
        let text = "---\ntitle: x\n---\n## 成果サマリ\n全体は[[score]]、目標は[[score grwo]]。\n- KR: [[grade grow/onbording]] `[[score nope]]`\n[[current grow]] [[scroe]]\n";
        let found = run(text, OkrsOf::Published(&okrs));
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, Position::new(5, 17));
        assert_eq!(found[0].1, "`[[score grwo]]`: no objective `grwo` in 2025-Q3 product");
        assert_eq!(found[0].2, "did you mean `grow`? (objectives: grow)");
        assert_eq!(found[1].0, Position::new(6, 7));
        assert_eq!(
            found[1].2,
            "did you mean `onboarding`? (its key results: onboarding, kr2)"
        );
        assert_eq!(found[2].0, Position::new(7, 1));
        assert!(found[2].1.contains("needs a key result"), "{}", found[2].1);
        assert_eq!(found[3].0, Position::new(7, 18));
        assert_eq!(found[3].1, "unknown placeholder `[[scroe]]`");
        assert!(found[3].2.starts_with("did you mean `[[score]]`?"), "{}", found[3].2);
    }

    #[test]
    fn without_okrs_a_placeholder_is_an_error_unless_the_okr_file_failed() {
        let text = "## 成果サマリ\n[[score]]\n";
        let found = run(text, OkrsOf::Missing);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.contains("no published OKRs in 2025-Q3"), "{}", found[0].1);
        let found = run("[[score]] [[scroe]] [[grade]] [[score o1]]\n", OkrsOf::Missing);
        assert_eq!(found.len(), 2, "one for the file, one for the slip: {found:?}");
        assert!(
            found[0].2.ends_with("(2 more placeholders in this file)"),
            "{}",
            found[0].2
        );
        assert!(run(text, OkrsOf::Failed).is_empty());
        assert_eq!(tokens(text).len(), 1);
    }
}
