//! The values of a retrospective's placeholders (`[[score]]`, `[[grade OBJ]]`,
//! `[[current OBJ/KR]]`), in the words and formats its pages use; and the learnings'
//! text with those values in, for every page, the search index, the feed and the export.

use std::collections::HashMap;

use super::Views;
use super::refs::light;
use crate::content::placeholders::{Kind, Placeholder, Target};
use crate::content::retro;
use crate::model::{Learning, Light, Quarter, QuarterStatus, TeamId};
use crate::render::format;

/// Each learning's text with its placeholders' values in, for the learnings that
/// have any (the others read as written).
#[derive(Debug, Default)]
pub struct LearningTexts(HashMap<(Quarter, TeamId, usize), String>);

impl LearningTexts {
    /// The text of `l` as pages show it.
    pub fn text<'a>(&'a self, l: &'a Learning) -> &'a str {
        self.0
            .get(&(l.quarter, l.team.clone(), l.index))
            .map_or(l.text.as_str(), String::as_str)
    }
}

impl Views<'_> {
    /// The value of `p` in team-quarter `(qi, ti)`, as its pages show it: a score with
    /// the score format, a grade in words, a KR's current value with its unit, "no
    /// data" where there is none. While the quarter runs, a score or grade is marked
    /// as an outlook, as the pages mark it ([`super::grade`]): never a final grade.
    /// `None` when `p` names nothing there (the check reports it).
    pub fn placeholder_value(&self, qi: usize, ti: usize, p: &Placeholder) -> Option<String> {
        let q = self.site.quarters.get(qi)?;
        let okrs = q.teams.get(ti)?.okrs.as_ref()?;
        let ts = self.scores.quarters.get(qi)?.get(ti)?;
        let objective = |o: &str| okrs.objectives.iter().position(|x| x.id.as_str() == o);
        let (score, grade, kr) = match &p.target {
            Target::TeamQuarter => (ts.score, ts.grade, None),
            Target::Objective(o) => {
                let os = ts.objectives.get(objective(o)?)?;
                (os.score, os.grade, None)
            }
            Target::KeyResult(o, k) => {
                let oi = objective(o)?;
                let ki = okrs.objectives[oi]
                    .key_results
                    .iter()
                    .position(|x| x.id.as_str() == k)?;
                let ks = ts.objectives.get(oi)?.key_results.get(ki)?;
                (ks.score, ks.grade, Some((&okrs.objectives[oi].key_results[ki], ks)))
            }
        };
        let running = q.status == QuarterStatus::InProgress;
        let no_data = || self.t.get("no_data").to_string();
        Some(match p.kind {
            Kind::Score => score.map_or_else(no_data, |s| self.outlook(running, "score", format::score(s))),
            Kind::Grade => self.grade_words(running, grade),
            Kind::Current => {
                let (kr, ks) = kr?;
                let (_, unit, _) = self.kr_series(kr);
                ks.current.map_or_else(no_data, |v| self.fmt.value(v, unit))
            }
        })
    }

    /// A grade in words; while the quarter runs, marked as an outlook.
    fn grade_words(&self, running: bool, grade: Option<Light>) -> String {
        let words = light(self.t, "grade", grade).label;
        match grade {
            Some(_) => self.outlook(running, "grade", words),
            None => words,
        }
    }

    /// A score or grade (`what`) of a running quarter, marked as an outlook.
    fn outlook(&self, running: bool, what: &str, value: String) -> String {
        if running {
            self.t.fill(&format!("placeholder_outlook_{what}"), "value", &value)
        } else {
            value
        }
    }

    /// The learnings' text with the values of their placeholders in.
    pub(super) fn learning_texts(&self) -> LearningTexts {
        let headings = &self.site.config.learning_headings;
        let mut texts = HashMap::new();
        for (qi, q) in self.site.quarters.iter().enumerate() {
            for (ti, tq) in q.teams.iter().enumerate() {
                let Some(r) = &tq.retro else { continue };
                if memchr::memmem::find(r.body.as_bytes(), b"[[").is_none() {
                    continue;
                }
                let value = |p: &Placeholder| self.placeholder_value(qi, ti, p);
                let filled = retro::extract_learnings_filled(&r.body, headings, &value);
                let by_offset: HashMap<usize, String> = filled.into_iter().map(|f| (f.offset, f.text)).collect();
                for l in &r.learnings {
                    if let Some(text) = by_offset.get(&l.offset).filter(|t| **t != l.text) {
                        texts.insert((q.quarter, l.team.clone(), l.index), text.clone());
                    }
                }
            }
        }
        LearningTexts(texts)
    }
}
