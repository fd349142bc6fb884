//! The machine-readable exports: `api/okrs.json` (an index) with one file per quarter,
//! `api/okrs/<quarter>.json`, and `api/scores.csv`. The OKRs are split by quarter so
//! no file grows with the site's whole history: at 400 teams × 8 quarters the one file
//! of format version 1 was 30 MB, and every page's footer linked it.

use serde::{Serialize, Serializer};

use crate::files::OutputFile;
use crate::insight::flags::Flag;
use crate::model::{KeyResult, KrData, Light, QuarterData, QuarterStatus, Site, TeamQuarter, Unit};
use crate::render::format::{round_decimals, round_significant};
use crate::render::urls;
use crate::render::views::LearningTexts;
use crate::score::{KrScore, SiteScores, TeamScore};

/// A number written as JSON: integral values without a fraction (`45`, not `45.0`),
/// everything else in its shortest exact form (what it is given: see [`computed_num`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num(pub(crate) f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// A number as read from the content (a baseline, a target, a weight, a point's value):
/// written as read, so exactly as the file has it.
pub(crate) fn num(v: Option<f64>) -> Option<Num> {
    v.map(Num)
}

/// The significant digits a computed number keeps in `api/okrs.json` (scores, the value
/// expected by today: quotients and interpolations, with no written form to keep):
/// "full precision" for any use (`10/13` is `0.769230769231`), and none of the noise of
/// the floating-point arithmetic that computed it (a few units in the 16th digit:
/// `0.6499999999999999` for 2.6 / 4 is `0.65`).
pub const COMPUTED_DIGITS: i32 = 12;

/// The significant digits a KR's current value keeps (a value as read, or a count's
/// running total, a sum of values as read): 15, what a double carries through a decimal
/// round trip, so a value as written (at most 15 digits, below 1e15) is unchanged and
/// only the sum's noise goes (`0.1 + 0.2` is `0.3`).
pub const VALUE_DIGITS: i32 = 15;

/// The decimals of a score in `api/scores.csv`: a spreadsheet's precision (`0.8571`).
pub const CSV_SCORE_DECIMALS: i32 = 4;

/// A computed number (a score, an expected value), to [`COMPUTED_DIGITS`].
pub(crate) fn computed_num(v: Option<f64>) -> Option<Num> {
    v.map(|v| Num(round_significant(v, COMPUTED_DIGITS) + 0.0))
}

/// A value read or summed from the data, to [`VALUE_DIGITS`].
pub(crate) fn value_num(v: Option<f64>) -> Option<Num> {
    v.map(|v| Num(round_significant(v, VALUE_DIGITS) + 0.0))
}

/// The format of the OKR exports: `format_version` of the index and of every quarter's
/// file. 1 was the single `api/okrs.json`; 2 splits it into an index and a file per quarter.
pub const FORMAT_VERSION: u32 = 2;

/// `api/okrs.json`: the site, its teams, and its quarters with the file of each.
#[derive(Serialize)]
struct Index<'a> {
    format_version: u32,
    site: &'a str,
    base_url: &'a str,
    today: String,
    fiscal_year_start_month: i8,
    scoring: crate::config::ScoringThresholds,
    teams: Vec<TeamOut<'a>>,
    quarters: Vec<QuarterEntry>,
}

/// A quarter in the index: what it is and where its file is, relative to the index.
#[derive(Serialize)]
struct QuarterEntry {
    id: String,
    start: String,
    end: String,
    status: QuarterStatus,
    file: String,
    team_count: usize,
    learning_count: usize,
}

/// `api/okrs/<quarter>.json`: one quarter with its teams' OKRs and its learnings.
#[derive(Serialize)]
struct QuarterFile<'a> {
    format_version: u32,
    site: &'a str,
    /// A running quarter's only: the day its `expected` values and projections hold
    /// for. An ended quarter's file is the same whatever the day of the build.
    #[serde(skip_serializing_if = "Option::is_none")]
    today: Option<String>,
    #[serde(flatten)]
    quarter: QuarterOut<'a>,
    learnings: Vec<LearningOut<'a>>,
}

#[derive(Serialize)]
struct TeamOut<'a> {
    id: &'a str,
    name: &'a str,
    parent: Option<&'a str>,
}

#[derive(Serialize)]
struct QuarterOut<'a> {
    id: String,
    start: String,
    end: String,
    status: QuarterStatus,
    teams: Vec<TeamQuarterOut<'a>>,
}

#[derive(Serialize)]
struct TeamQuarterOut<'a> {
    id: &'a str,
    score: Option<Num>,
    grade: Option<Light>,
    /// Warnings of an ended quarter ([`crate::insight::flags`]).
    flags: Vec<Flag>,
    objectives: Vec<ObjectiveOut<'a>>,
    not_doing: Vec<&'a str>,
    has_retrospective: bool,
}

#[derive(Serialize)]
struct ObjectiveOut<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    score: Option<Num>,
    grade: Option<Light>,
    aligns_to: Option<String>,
    initiatives: Vec<&'a str>,
    key_results: Vec<KrOut<'a>>,
}

#[derive(Serialize)]
struct KrOut<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    metric: Option<&'a str>,
    unit: Option<&'a str>,
    unit_one: Option<&'a str>,
    unit_position: Option<&'static str>,
    baseline: Option<Num>,
    target: Option<Num>,
    weight: Num,
    current: Option<Num>,
    score: Option<Num>,
    manual_score: bool,
    grade: Option<Light>,
    status: Option<Light>,
    /// Running quarter only (absent otherwise): the value expected by today on the
    /// line baseline → target, and the projected end-of-quarter score; null without data.
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<Option<Num>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    projected_score: Option<Option<Num>>,
    checkins: Vec<CheckinOut<'a>>,
}

#[derive(Serialize)]
struct CheckinOut<'a> {
    date: String,
    status: Light,
    confidence: Option<Num>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct LearningOut<'a> {
    team: &'a str,
    quarter: String,
    text: &'a str,
    tags: &'a [String],
    date: Option<String>,
    url: String,
}

/// The OKR exports, each given to `put`: the index `api/okrs.json` first, then one
/// file per quarter (made in parallel, so in no set order). `texts`: the learnings'
/// text with their placeholders' values in.
pub fn okrs_exports<E: Send>(
    site: &Site,
    scores: &SiteScores,
    texts: &LearningTexts,
    put: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), E> {
    use rayon::prelude::*;
    put(OutputFile::new(urls::OKRS_INDEX, index_json(site)))?;
    // Each quarter's file goes to `put` as soon as it is made: made all at once, the
    // files (2 MB each at 200 teams) were the build's peak of memory.
    (0..site.quarters.len()).into_par_iter().try_for_each(|qi| {
        let q = &site.quarters[qi];
        put(OutputFile::new(
            urls::quarter_export(q.quarter),
            quarter_json(site, scores, texts, qi),
        ))
    })
}

fn index_json(site: &Site) -> Vec<u8> {
    let quarters = (site.quarters.iter())
        .map(|q| QuarterEntry {
            id: q.quarter.to_string(),
            start: q.start.to_string(),
            end: q.end.to_string(),
            status: q.status,
            file: urls::quarter_export_from_index(q.quarter),
            team_count: q.teams.len(),
            learning_count: (q.teams.iter())
                .filter_map(|tq| tq.retro.as_ref())
                .map(|r| r.learnings.len())
                .sum(),
        })
        .collect();
    let index = Index {
        format_version: FORMAT_VERSION,
        site: &site.config.title,
        base_url: site.config.base_url.as_str(),
        today: site.today.to_string(),
        fiscal_year_start_month: site.config.fiscal_year_start_month,
        scoring: site.config.scoring,
        teams: (site.teams.iter())
            .map(|t| TeamOut {
                id: &t.id,
                name: &t.name,
                parent: t.parent.as_deref(),
            })
            .collect(),
        quarters,
    };
    pretty_json(&index)
}

/// The quarter `qi`'s file: its teams' OKRs and scores, and its learnings.
fn quarter_json(site: &Site, scores: &SiteScores, texts: &LearningTexts, qi: usize) -> Vec<u8> {
    let (q, qs) = (&site.quarters[qi], &scores.quarters[qi]);
    let base = site.config.base_url.as_str();
    let quarter = QuarterOut {
        id: q.quarter.to_string(),
        start: q.start.to_string(),
        end: q.end.to_string(),
        status: q.status,
        teams: (q.teams.iter().zip(qs).enumerate())
            .map(|(ti, (tq, ts))| team_quarter_out(site, scores, (qi, ti), tq, ts))
            .collect(),
    };
    let learnings = (q.teams.iter())
        .filter_map(|tq| tq.retro.as_ref())
        .flat_map(|r| r.learnings.iter())
        .map(|l| {
            let quarter = l.quarter.to_string();
            LearningOut {
                team: &l.team,
                url: urls::learning_export(base, &quarter, &l.team, &l.anchor()),
                quarter,
                text: texts.text(l),
                tags: &l.tags,
                date: l.date.map(|d| d.to_string()),
            }
        })
        .collect();
    // Compact: pretty-printed, a quarter of 400 teams was 6.8 MB, compact 4.0 MB.
    // About 10 kB a team: the buffer is allocated once, not doubled twenty times.
    compact_json_sized(
        q.teams.len() * 10 * 1024,
        &QuarterFile {
            format_version: FORMAT_VERSION,
            site: &site.config.title,
            today: (q.status == QuarterStatus::InProgress).then(|| site.today.to_string()),
            quarter,
            learnings,
        },
    )
}

/// `value` as compact JSON and a line break, into a buffer of `capacity` bytes to
/// start with.
fn compact_json_sized(capacity: usize, value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    if serde_json::to_writer(&mut out, value).is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

fn pretty_json(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

fn team_quarter_out<'a>(
    site: &'a Site,
    scores: &SiteScores,
    (qi, ti): (usize, usize),
    tq: &'a TeamQuarter,
    ts: &TeamScore,
) -> TeamQuarterOut<'a> {
    let q = &site.quarters[qi];
    TeamQuarterOut {
        id: &tq.team,
        score: computed_num(ts.score),
        grade: ts.grade,
        flags: crate::insight::flags::flags(site, scores, qi, ti),
        has_retrospective: tq.retro.is_some(),
        not_doing: tq
            .okrs
            .iter()
            .flat_map(|o| o.not_doing.iter().map(String::as_str))
            .collect(),
        objectives: (tq.okrs.iter().flat_map(|o| o.objectives.iter()))
            .zip(&ts.objectives)
            .map(|(o, os)| ObjectiveOut {
                id: &o.id,
                title: &o.title,
                owner: o.owner.as_deref(),
                score: computed_num(os.score),
                grade: os.grade,
                aligns_to: o.aligns_to.as_ref().map(|a| a.to_string()),
                initiatives: o.initiatives.iter().map(String::as_str).collect(),
                key_results: (o.key_results.iter())
                    .zip(&os.key_results)
                    .map(|(kr, ks)| kr_out(site, q, kr, ks))
                    .collect(),
            })
            .collect(),
    }
}

fn kr_out<'a>(site: &'a Site, q: &QuarterData, kr: &'a KeyResult, ks: &KrScore) -> KrOut<'a> {
    let outlook = crate::insight::kr_trend::outlook(site, q, kr, ks.current);
    let metric = match &kr.data {
        KrData::Metric(m) => Some(m.as_str()),
        _ => None,
    };
    let unit = (kr.unit.as_ref()).or_else(|| site.metric(metric?).and_then(|m| m.unit.as_ref()));
    KrOut {
        id: &kr.id,
        title: &kr.title,
        owner: kr.owner.as_deref(),
        metric,
        unit: unit.map(Unit::text),
        unit_one: unit.and_then(Unit::one),
        unit_position: unit.map(unit_position),
        baseline: num(kr.baseline),
        target: num(kr.target),
        weight: Num(kr.weight),
        current: value_num(ks.current),
        score: computed_num(ks.score),
        manual_score: kr.manual_score.is_some(),
        grade: ks.grade,
        status: ks.status,
        expected: outlook.map(|o| computed_num(o.expected)),
        projected_score: outlook.map(|o| computed_num(o.projected_score)),
        checkins: (kr.checkins.iter())
            .map(|c| CheckinOut {
                date: c.date.to_string(),
                status: c.status,
                confidence: num(c.confidence),
                note: c.note.as_deref(),
            })
            .collect(),
    }
}

/// Where a unit goes, as the exports name it (the words of `unit_position`).
pub(crate) fn unit_position(unit: &Unit) -> &'static str {
    if unit.before() { "before" } else { "after" }
}

pub const CSV_HEADER: &str = "quarter,team,objective,kr,title,baseline,target,current,score,grade,status";

/// One row per KR, empty where there is nothing to score. Baselines and targets as
/// written, current values to [`VALUE_DIGITS`], scores to [`CSV_SCORE_DECIMALS`]
/// decimals: each in its shortest exact form (`0.65`, never `0.6499999999999999`).
pub fn scores_csv(site: &Site, scores: &SiteScores) -> Vec<u8> {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    let n = |v: Option<f64>| v.map(|v| Num(v).to_string()).unwrap_or_default();
    let l = |v: Option<Light>| v.map(|v| v.as_str().to_string()).unwrap_or_default();
    for (q, qs) in site.quarters.iter().zip(&scores.quarters) {
        for (tq, ts) in q.teams.iter().zip(qs) {
            for (o, os) in tq.okrs.iter().flat_map(|o| o.objectives.iter()).zip(&ts.objectives) {
                for (kr, ks) in o.key_results.iter().zip(&os.key_results) {
                    let row = [
                        q.quarter.to_string(),
                        tq.team.to_string(),
                        o.id.to_string(),
                        kr.id.to_string(),
                        kr.title.clone(),
                        n(kr.baseline),
                        n(kr.target),
                        n(ks.current.map(|v| round_significant(v, VALUE_DIGITS))),
                        n(ks.score.map(|v| round_decimals(v, CSV_SCORE_DECIMALS))),
                        l(ks.grade),
                        l(ks.status),
                    ];
                    let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
                    out.push_str(&cells.join(","));
                    out.push_str("\r\n");
                }
            }
        }
    }
    out.into_bytes()
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            write!(f, "{}", self.0 as i64)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// RFC 4180 quoting. A cell that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) is prefixed with `'` unless it is a number.
fn csv_cell(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    let s = if formula { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_and_formula_guard() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("-3.5"), "-3.5");
    }

    #[test]
    fn numbers_print_without_needless_fractions() {
        assert_eq!(Num(45.0).to_string(), "45");
        assert_eq!(Num(0.8).to_string(), "0.8");
        assert_eq!(serde_json::to_string(&Num(45.0)).unwrap(), "45");
        assert_eq!(serde_json::to_string(&Num(0.72)).unwrap(), "0.72");
    }

    #[test]
    fn computed_numbers_lose_their_noise() {
        let json = |v: Option<Num>| serde_json::to_string(&v).unwrap();
        // 2.6 / 4 (KR 8 → 12 at 10.6) is 0.6499999999999999 in doubles.
        assert_eq!((10.6 - 8.0) / (12.0 - 8.0), 0.6499999999999999);
        assert_eq!(json(computed_num(Some((10.6 - 8.0) / (12.0 - 8.0)))), "0.65");
        // 0.6 / 0.7 (5.2 → 4.5 at 4.6): 6/7 = 0.857142857142857142…, 12 digits.
        assert_eq!(json(computed_num(Some((5.2 - 4.6) / (5.2 - 4.5)))), "0.857142857143");
        assert_eq!(json(computed_num(Some(10.0 / 13.0))), "0.769230769231");
        assert_eq!(json(computed_num(Some(1.0))), "1");
        assert_eq!(json(computed_num(Some(-0.0))), "0");
        assert_eq!(json(computed_num(None)), "null");
        // Values: sums lose their noise; every value as written survives.
        assert_eq!(json(value_num(Some(0.1 + 0.2))), "0.3");
        for v in [452_000.0, 4.6, 99.95, 123_456_789_012_345.0, 0.000_123, 1e15, -3.25] {
            assert_eq!(value_num(Some(v)), Some(Num(v)), "{v}");
        }
    }
}
