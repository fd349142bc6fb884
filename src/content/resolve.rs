//! Validation and resolution: raw files → the [`Site`] model.
//!
//! Every rule of the content format that spans more than one value lives here:
//! slugs, duplicates, references between files, series checks, and the
//! warnings. Every problem is collected; the site is returned only when there
//! is no error.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;

use super::bounds::{MAX_WEIGHT, in_range, out_of_range, shown};
use super::load::{Loaded, LoadedContent};
use super::raw::{Lenient, MaybeUnpublished, RawMetric, RawSeries, RawTeam, RawTeamQuarter};
use super::retro::{self, ParsedRetro};
use super::yaml::{self, YamlPath};
use super::yaml_index::{Found, PositionIndex};
use crate::config::{Config, Language};
use crate::diag::{Diagnostic, Position, Severity, suggestion};
use crate::model::{
    Checkin, KeyResult, KrData, Learning, Metric, Objective, Okrs, Point, Quarter, QuarterData, QuarterStatus,
    Retrospective, Site, Team, TeamQuarter, Thresholds,
};

/// How old the newest check-in of a KR in a running quarter may be before it is "outdated".
pub const OUTDATED_AFTER_DAYS: i32 = 14;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Include drafts and private files.
    pub drafts: bool,
    pub today: Date,
}

impl Options {
    /// Whether `file` is part of the site: a draft or private file only with `--drafts`.
    pub fn publishes(&self, file: &impl MaybeUnpublished) -> bool {
        !file.is_unpublished() || self.drafts
    }
}

/// The longest id: ids name folders and files of the output (`teams/<id>/`), and a
/// file name must stay well within the 255 bytes file systems allow.
pub const MAX_ID_LEN: usize = 64;

/// Whether `s` follows the slug rule `[a-z0-9][a-z0-9_-]*`, at most [`MAX_ID_LEN`] long.
pub fn is_slug(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= MAX_ID_LEN
        && matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

fn slug_help(s: &str) -> String {
    let suggested: String = s
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(MAX_ID_LEN)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    let rule = format!(
        "ids use lowercase ASCII letters, digits, `_` and `-`, starting with a letter or digit, at most {MAX_ID_LEN} characters"
    );
    if is_slug(&suggested) {
        format!("{rule}, e.g. `{suggested}`")
    } else {
        format!("{rule}, e.g. `product`")
    }
}

/// Collects diagnostics and locates YAML paths in one file.
struct Reporter<'a> {
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Node positions of each file with a diagnostic, indexed on its first one
    /// (locating each path by re-reading the file was quadratic).
    positions: HashMap<String, PositionIndex>,
    /// Paths of each file located by re-reading it (where the index cannot tell, as
    /// in a file with anchors): at most [`REREAD_LOCATIONS`] per file.
    rereads: HashMap<String, usize>,
    /// Names compared so far for "did you mean" help: one unknown name against
    /// thousands, thousands of times, took minutes, so the comparisons are budgeted.
    suggestion_work: usize,
}

/// How many names "did you mean" may compare in one run.
const SUGGESTION_BUDGET: usize = 500_000;
/// How many diagnostics of one file the index cannot locate are located by re-reading it.
const REREAD_LOCATIONS: usize = 20;
/// How many known names a help lists.
const LISTED: usize = 20;

/// `a, b, c`, or the first [`LISTED`] and how many more.
fn listing<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<&str> = names.iter().take(LISTED).map(AsRef::as_ref).collect();
    if names.len() <= LISTED {
        return shown.join(", ");
    }
    format!("{}, … ({} more)", shown.join(", "), names.len() - LISTED)
}

impl Reporter<'_> {
    fn suggest<S: AsRef<str>>(&mut self, written: &str, expected: &[S]) -> Option<String> {
        self.suggestion_work += expected.len();
        if self.suggestion_work > SUGGESTION_BUDGET {
            return None;
        }
        let expected: Vec<&str> = expected.iter().map(AsRef::as_ref).collect();
        suggestion(written, &expected)
    }

    fn locate<T>(&mut self, l: &Loaded<T>, path: &YamlPath) -> Option<Position> {
        match self.find(l, path) {
            Found::At(p) => Some(p),
            Found::Nowhere | Found::Unknown => None,
        }
    }

    /// Where `path` is in the file; `Unknown` when only re-reading the file could tell
    /// and its budget is spent.
    fn find<T>(&mut self, l: &Loaded<T>, path: &YamlPath) -> Found {
        let index = self
            .positions
            .entry(l.file.clone())
            .or_insert_with(|| PositionIndex::build(&l.text));
        match index.find(path) {
            Found::Unknown => {
                // Each re-read costs the whole file: thousands of diagnostics in a
                // file with one anchor were quadratic.
                let rereads = self.rereads.entry(l.file.clone()).or_default();
                *rereads += 1;
                if *rereads > REREAD_LOCATIONS {
                    return Found::Unknown;
                }
                yaml::locate(&l.text, path).map_or(Found::Nowhere, Found::At)
            }
            found => found,
        }
    }

    fn push<T>(&mut self, severity: Severity, l: &Loaded<T>, path: &YamlPath, message: String) -> &mut Diagnostic {
        let (position, message) = match self.find(l, path) {
            Found::At(p) => (Some(p), message),
            Found::Nowhere => (None, message),
            // Past the budget the diagnostic names the node instead of its line.
            Found::Unknown => (None, format!("{message} (at `{path}`)")),
        };
        self.diagnostics.push(Diagnostic {
            severity,
            file: l.file.clone(),
            position,
            message,
            help: None,
        });
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn error<T>(&mut self, l: &Loaded<T>, path: &YamlPath, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Error, l, path, message.into())
    }

    fn warning<T>(&mut self, l: &Loaded<T>, path: &YamlPath, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Warning, l, path, message.into())
    }
}

trait Help {
    fn help(&mut self, help: impl Into<String>);
    fn help_opt(&mut self, help: Option<String>);
}

impl Help for Diagnostic {
    fn help(&mut self, help: impl Into<String>) {
        self.help = Some(help.into());
    }
    fn help_opt(&mut self, help: Option<String>) {
        self.help = help;
    }
}

pub fn resolve(config: Config, content: &LoadedContent, opts: Options) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diagnostics = content.diagnostics.clone();
    let mut r = Reporter {
        diagnostics: &mut diagnostics,
        positions: HashMap::new(),
        rereads: HashMap::new(),
        suggestion_work: 0,
    };

    let teams = content
        .teams
        .as_ref()
        .map(|l| resolve_teams(l, &mut r))
        .unwrap_or_default();
    // With a broken teams.yaml (or a broken team in it) every file of that team would be
    // "unknown": the problem is reported once, in teams.yaml, instead.
    let teams_complete = content
        .teams
        .as_ref()
        .is_some_and(|l| l.raw.iter().all(|t| t.ok().is_some()));
    let team_ids: HashMap<&str, &Team> = teams.iter().map(|t| (t.id.as_str(), t)).collect();

    let mut metrics = Vec::new();
    let mut private_metrics = HashSet::new();
    for (id, l) in &content.metrics {
        if !is_slug(id) {
            let d = Diagnostic::error(
                l.file.clone(),
                None,
                format!("metric id `{id}` (the file name) breaks the slug rule"),
            )
            .with_help(slug_help(id));
            r.diagnostics.push(d);
        }
        if !opts.publishes(&l.raw) {
            private_metrics.insert(id.as_str());
            continue;
        }
        metrics.push(resolve_metric(id, l, opts, &mut r));
    }
    let metric_ids: HashSet<&str> = content.metric_files.iter().map(String::as_str).collect();
    let parsed_metrics: HashSet<&str> = content.metrics.iter().map(|(id, _)| id.as_str()).collect();
    // Sorted once for help texts (sorting them for each unknown metric was quadratic).
    let mut sorted_metric_ids: Vec<&str> = metric_ids.iter().copied().collect();
    sorted_metric_ids.sort_unstable();

    // Objectives of every quarter (private ones too), to resolve `aligns_to`.
    let mut objective_ids: HashMap<(Quarter, &str), ObjectiveIds> = HashMap::new();
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
        objective_ids.insert((*q, team.as_str()), ObjectiveIds { in_order: ids, set });
    }
    let excluded_okrs: HashSet<(Quarter, &str)> = content
        .okrs
        .iter()
        .filter(|(_, _, l)| !opts.publishes(&l.raw))
        .map(|(q, t, _)| (*q, t.as_str()))
        .collect();

    let mut quarters: BTreeMap<Quarter, BTreeMap<usize, TeamQuarter>> = BTreeMap::new();
    let team_position: HashMap<&str, usize> = teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let fy = config.fiscal_year_start_month;

    for (q, team, l) in &content.okrs {
        let pos = team_position.get(team.as_str()).copied();
        // Without a readable teams.yaml every file would be "unknown": that is said once, there.
        if pos.is_none() && teams_complete {
            unknown_team(&mut r, &l.file, team, &teams);
        }
        if excluded_okrs.contains(&(*q, team.as_str())) {
            continue;
        }
        let (start, end) = q.bounds(fy);
        let status = QuarterStatus::of(start, end, opts.today);
        let ctx = OkrContext {
            quarter: *q,
            status,
            start,
            opts,
            metric_ids: &metric_ids,
            sorted_metric_ids: &sorted_metric_ids,
            parsed_metrics: &parsed_metrics,
            private_metrics: &private_metrics,
            objective_ids: &objective_ids,
            excluded: &excluded_okrs,
            failed_okrs: &content.failed_okrs,
        };
        // Checked even when the team is unknown, so its other problems show in the same run.
        let okrs = resolve_okrs(l, &ctx, &mut r);
        if let Some(pos) = pos {
            quarters.entry(*q).or_default().insert(
                pos,
                TeamQuarter {
                    team: team.clone(),
                    okrs: Some(okrs),
                    retro: None,
                },
            );
        }
    }

    let cycles = super::cycles::alignment_cycles(content, &mut |l, at| r.locate(l, at));
    r.diagnostics.extend(cycles);

    // OKR files that failed to load count too: their error is enough.
    let okr_files: HashSet<(Quarter, &str)> = content
        .okrs
        .iter()
        .map(|(q, t, _)| (*q, t.as_str()))
        .chain(content.failed_okrs.iter().map(|(q, t)| (*q, t.as_str())))
        .collect();
    // Resolving a retrospective parses its Markdown for learnings: thousands of files,
    // done in parallel first; the loop below reports problems in file order.
    let mut prepared: Vec<Option<Retrospective>> = {
        use rayon::prelude::*;
        content
            .retros
            .par_iter()
            .map(|(q, team, l)| {
                if !team_position.contains_key(team.as_str()) || !opts.publishes(&l.raw.front) {
                    return None;
                }
                let team_name = team_ids.get(team.as_str()).map_or(team.as_str(), |t| t.name.as_str());
                Some(resolve_retro(l, *q, team, team_name, &config))
            })
            .collect()
    };
    for (i, (q, team, l)) in content.retros.iter().enumerate() {
        let Some(&pos) = team_position.get(team.as_str()) else {
            if teams_complete {
                unknown_team(&mut r, &l.file, team, &teams);
            }
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
                    format!("a retrospective without OKRs: there is no content/{q}/{team}.yaml"),
                )
                .with_help("add the team's OKRs for the quarter, or ignore this warning if the team had none"),
            );
        }
        let Some(retro) = prepared[i].take() else {
            continue;
        };
        r.diagnostics
            .extend(retro::too_many_tags(&retro.learnings, &l.raw.front.tags, &l.file));
        quarters
            .entry(*q)
            .or_default()
            .entry(pos)
            .or_insert_with(|| TeamQuarter {
                team: team.clone(),
                okrs: None,
                retro: None,
            })
            .retro = Some(retro);
    }

    let quarters: Vec<QuarterData> = quarters
        .into_iter()
        .map(|(quarter, teams)| {
            let (start, end) = quarter.bounds(fy);
            QuarterData {
                quarter,
                start,
                end,
                status: QuarterStatus::of(start, end, opts.today),
                teams: teams.into_values().collect(),
            }
        })
        .collect();

    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let site = (!failed).then(|| Site::new(config, opts.today, teams, metrics, quarters));
    (site, diagnostics)
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
    let mut d = Diagnostic::error(
        file,
        None,
        format!("team `{team}` (the file name) is not in content/teams.yaml"),
    );
    d.help_opt(suggested.or_else(|| Some(format!("add `- id: {team}` to teams.yaml, or rename the file"))));
    r.diagnostics.push(d);
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
            r.error(l, &p.key("id"), format!("team id `{}` breaks the slug rule", t.id))
                .help(slug_help(&t.id));
        }
        if let Some(first) = seen.insert(t.id.as_str(), i) {
            let line = r
                .locate(l, &root.index(first).key("id"))
                .map_or(String::new(), |p| format!(" on line {}", p.line));
            r.error(l, &p.key("id"), format!("duplicate team id `{}`", t.id))
                .help(format!("it is already used{line}; team ids are unique"));
        }
    }
    let ids: Vec<&str> = raw.iter().map(|(_, t)| t.id.as_str()).collect();
    for &(i, t) in &raw {
        let Some(parent) = &t.parent else { continue };
        if !seen.contains_key(parent.as_str()) {
            let help = r
                .suggest(parent, &ids)
                .unwrap_or_else(|| format!("`parent` names a team id of this file: {}", listing(&ids)));
            r.error(
                l,
                &root.index(i).key("parent"),
                format!("parent `{parent}` names no team"),
            )
            .help(help);
        }
    }
    parent_cycles(l, &raw, &seen, r);
    let mut teams: Vec<Team> = raw
        .iter()
        .filter(|(i, t)| seen.get(t.id.as_str()) == Some(i))
        .map(|(_, t)| Team {
            id: t.id.clone(),
            name: t.name.clone(),
            parent: t.parent.clone(),
            children: Vec::new(),
        })
        .collect();
    let index: HashMap<String, usize> = teams.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
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
    for cycle in super::cycles::cycles(&next) {
        let names = super::cycles::cycle_names(cycle.iter().map(|&n| raw[n].1.id.as_str()));
        let at = YamlPath::root().index(raw[cycle[0]].0).key("parent");
        r.error(l, &at, format!("a cycle of parents: {names}"))
            .help("the team tree needs a root: remove `parent` from one team of the cycle");
    }
}

/// Checks a series (metric points or KR values): finite values, unique dates,
/// none after today (a warning); returns the points sorted by date.
fn resolve_series<T>(
    l: &Loaded<T>,
    path: &YamlPath,
    series: &RawSeries,
    today: Date,
    r: &mut Reporter<'_>,
) -> Vec<Point> {
    let item_path = |i: usize| path.index(i);
    let mut seen: HashMap<Date, usize> = HashMap::new();
    let mut points = Vec::with_capacity(series.points.len());
    // Locating a point re-reads the file, so only the first few problems of each kind
    // (non-finite, duplicate, after today) are reported point by point; the rest are
    // counted in one more diagnostic. 100,000 future dates stay fast.
    const EACH: usize = 3;
    let mut more = [0usize; 3];
    for (i, p) in series.points.iter().enumerate() {
        let date = p.date.to_string();
        let at = item_path(i);
        let value_at = if series.mapping_form {
            at.clone()
        } else {
            at.key("value")
        };
        if !in_range(p.value) {
            more[0] += 1;
            if more[0] <= EACH {
                let (message, help) = out_of_range(&format!("the value on {date}"), p.value);
                r.error(l, &value_at, message).help(help);
            }
            continue;
        }
        if let Some(first) = seen.insert(p.date.0, i) {
            more[1] += 1;
            if more[1] <= EACH {
                let first_line = r
                    .locate(l, &item_path(first))
                    .map_or(String::new(), |p| format!(" (first on line {})", p.line));
                r.error(l, &at, format!("duplicate date {date} in the series{first_line}"))
                    .help("each date appears once; merge the two points");
            }
            continue;
        }
        if p.date.0 > today {
            more[2] += 1;
            if more[2] <= EACH {
                r.warning(l, &at, format!("data point dated {date}, after today ({today})"))
                    .help("future dates are usually typos; check the year and month");
            }
        }
        points.push(Point {
            date: p.date.0,
            value: p.value,
            note: p.note.clone(),
        });
    }
    let more = more.map(|n| n.saturating_sub(EACH));
    if more[0] > 0 {
        r.error(
            l,
            path,
            format!(
                "{} more values in this series are not finite numbers or larger in magnitude than 1e15",
                more[0]
            ),
        );
    }
    if more[1] > 0 {
        r.error(l, path, format!("{} more duplicate dates in this series", more[1]));
    }
    if more[2] > 0 {
        r.warning(
            l,
            path,
            format!(
                "{} more data points in this series are dated after today ({today})",
                more[2]
            ),
        );
    }
    points.sort_by_key(|p| p.date);
    points
}

fn resolve_metric(id: &str, l: &Loaded<RawMetric>, opts: Options, r: &mut Reporter<'_>) -> Metric {
    let m = &l.raw;
    let root = YamlPath::root();
    let mut thresholds = None;
    if let Some(t) = &m.thresholds {
        let at = root.key("thresholds");
        for (key, v) in [("red", t.red), ("yellow", t.yellow)] {
            if let Some(v) = v.filter(|v| !in_range(*v)) {
                let (message, help) = out_of_range(&format!("thresholds.{key}"), v);
                r.error(l, &at.key(key), message).help(help);
            }
        }
        match m.direction {
            None => {
                r.error(l, &at, "thresholds need a `direction`")
                    .help("add `direction: increase` (higher is better) or `direction: decrease` (lower is better)");
            }
            Some(dir) => {
                // Out-of-range lines were reported above; their order says nothing more.
                if let (Some(red), Some(yellow)) = (t.red.filter(|v| in_range(*v)), t.yellow.filter(|v| in_range(*v))) {
                    let wrong = match dir {
                        crate::model::Direction::Increase => red > yellow,
                        crate::model::Direction::Decrease => red < yellow,
                    };
                    if wrong {
                        let (word, rel) = match dir {
                            crate::model::Direction::Increase => ("increase", "below"),
                            crate::model::Direction::Decrease => ("decrease", "above"),
                        };
                        r.error(
                            l,
                            &at.key("red"),
                            format!("red ({red}) and yellow ({yellow}) are in the wrong order for `direction: {word}`"),
                        )
                        .help(format!(
                            "with direction {word}, the red line lies {rel} the yellow line"
                        ));
                    }
                }
            }
        }
        if t.red.is_none() && t.yellow.is_none() {
            r.error(l, &at, "thresholds name neither `red` nor `yellow`")
                .help("e.g. `red: 40` and `yellow: 50`");
        }
        thresholds = Some(Thresholds {
            red: t.red,
            yellow: t.yellow,
        });
    }
    let points = resolve_series(l, &root.key("points"), &m.points, opts.today, r);
    Metric {
        id: id.to_string(),
        name: m.name.clone(),
        unit: m.unit.clone(),
        direction: m.direction,
        layer: m.layer,
        definition: m.definition.clone().unwrap_or_default(),
        aggregate: m.aggregate.unwrap_or_default(),
        thresholds,
        points,
        source: l.file.clone(),
    }
}

struct OkrContext<'a> {
    quarter: Quarter,
    status: QuarterStatus,
    start: Date,
    opts: Options,
    metric_ids: &'a HashSet<&'a str>,
    sorted_metric_ids: &'a [&'a str],
    parsed_metrics: &'a HashSet<&'a str>,
    private_metrics: &'a HashSet<&'a str>,
    objective_ids: &'a HashMap<(Quarter, &'a str), ObjectiveIds>,
    excluded: &'a HashSet<(Quarter, &'a str)>,
    /// OKR files whose load error is reported: an `aligns_to` into one says nothing more.
    failed_okrs: &'a HashSet<(Quarter, String)>,
}

fn check_id<T>(
    l: &Loaded<T>,
    path: &YamlPath,
    id: &Option<String>,
    default: String,
    what: &str,
    seen: &mut HashSet<String>,
    r: &mut Reporter<'_>,
) -> String {
    let id = match id {
        Some(id) => {
            if !is_slug(id) {
                r.error(l, &path.key("id"), format!("{what} id `{id}` breaks the slug rule"))
                    .help(slug_help(id));
            }
            id.clone()
        }
        None => default,
    };
    if !seen.insert(id.clone()) {
        let at = if path.0.is_empty() {
            path.clone()
        } else {
            path.key("id")
        };
        r.error(l, &at, format!("duplicate {what} id `{id}`"))
            .help(format!("{what} ids are unique; ids left out default to their position"));
    }
    id
}

fn resolve_okrs(l: &Loaded<RawTeamQuarter>, ctx: &OkrContext<'_>, r: &mut Reporter<'_>) -> Okrs {
    let root = YamlPath::root();
    let raw = &l.raw;
    if raw.objectives.len() > 5 {
        r.warning(
            l,
            &root.key("objectives"),
            format!(
                "{} objectives in one team-quarter; more than 5 dilutes focus",
                raw.objectives.len()
            ),
        )
        .help("2–3 objectives per team and quarter is the usual advice");
    }
    let mut objective_seen = HashSet::new();
    let mut objectives = Vec::with_capacity(raw.objectives.len());
    for (oi, o) in raw.objectives.iter().enumerate() {
        // Elements that failed to parse were reported by the loader.
        let Some(o) = o.ok() else { continue };
        let op = root.key("objectives").index(oi);
        let id = check_id(
            l,
            &op,
            &o.id,
            format!("o{}", oi + 1),
            "objective",
            &mut objective_seen,
            r,
        );
        let n = o.key_results.len();
        if !(2..=5).contains(&n) {
            let at = if n == 0 { op.clone() } else { op.key("key_results") };
            r.warning(
                l,
                &at,
                format!(
                    "objective `{id}` has {n} key result{}; 2 to 5 are advised",
                    if n == 1 { "" } else { "s" }
                ),
            )
            .help("a single KR rarely proves an objective; more than 5 dilutes it");
        }
        let aligns_to = o
            .aligns_to
            .as_ref()
            .and_then(|a| resolve_alignment(l, &op.key("aligns_to"), a, ctx, r));
        let mut kr_seen = HashSet::new();
        let key_results = o
            .key_results
            .iter()
            .enumerate()
            .filter_map(|(ki, kr)| kr.ok().map(|kr| (ki, kr)))
            .map(|(ki, kr)| {
                let kp = op.key("key_results").index(ki);
                let kr_id = check_id(l, &kp, &kr.id, format!("kr{}", ki + 1), "key result", &mut kr_seen, r);
                resolve_kr(l, &kp, kr_id, kr, ctx, r)
            })
            .collect();
        objectives.push(Objective {
            id,
            title: o.title.clone(),
            owner: o.owner.clone(),
            aligns_to,
            key_results,
            initiatives: o.initiatives.clone(),
        });
    }
    Okrs {
        objectives,
        not_doing: raw.not_doing.clone(),
        source: l.file.clone(),
    }
}

/// The objective ids of one team's quarter file: in file order for help texts, and
/// as a set, so each `aligns_to` is checked at once (scanning the list for each of
/// thousands of objectives aligned into one team was quadratic).
struct ObjectiveIds {
    in_order: Vec<String>,
    set: HashSet<String>,
}

fn resolve_alignment(
    l: &Loaded<RawTeamQuarter>,
    at: &YamlPath,
    value: &str,
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) -> Option<(String, String)> {
    let Some((team, obj)) = value.split_once('/') else {
        r.error(
            l,
            at,
            format!("`aligns_to: {value}` is not of the form <team-id>/<objective-id>"),
        )
        .help("e.g. `aligns_to: company/grow`");
        return None;
    };
    let key = (ctx.quarter, team);
    match ctx.objective_ids.get(&key) {
        None if ctx.failed_okrs.contains(&(ctx.quarter, team.to_string())) => None,
        None => {
            r.error(
                l,
                at,
                format!("`aligns_to: {value}`: team `{team}` has no OKRs in {}", ctx.quarter),
            )
            .help(format!(
                "aligns_to names an objective of the same quarter, in content/{}/{team}.yaml",
                ctx.quarter
            ));
            None
        }
        Some(ids) if !ids.set.contains(obj) => {
            let help = r
                .suggest(obj, &ids.in_order)
                .unwrap_or_else(|| format!("objectives of `{team}` in {}: {}", ctx.quarter, listing(&ids.in_order)));
            r.error(
                l,
                at,
                format!("`aligns_to: {value}` names no objective of `{team}` in {}", ctx.quarter),
            )
            .help(help);
            None
        }
        // A private parent stays unnamed in the output.
        Some(_) if ctx.excluded.contains(&key) => None,
        Some(_) => Some((team.to_string(), obj.to_string())),
    }
}

fn resolve_kr(
    l: &Loaded<RawTeamQuarter>,
    kp: &YamlPath,
    id: String,
    kr: &super::raw::RawKeyResult,
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) -> KeyResult {
    let today = ctx.opts.today;
    for (key, v) in [("baseline", kr.baseline), ("target", kr.target)] {
        if let Some(v) = v.filter(|v| !in_range(*v)) {
            let (message, help) = out_of_range(&format!("`{key}`"), v);
            r.error(l, &kp.key(key), message).help(help);
        }
    }
    let data = match (&kr.metric, &kr.values) {
        (Some(_), Some(_)) => {
            r.error(
                l,
                &kp.key("values"),
                "a key result has either `metric` or `values`, not both",
            )
            .help("keep `metric` to use the metric file's series, or `values` for the KR's own series");
            KrData::None
        }
        (Some(m), None) => {
            if !ctx.metric_ids.contains(m.as_str()) {
                let ids = ctx.sorted_metric_ids;
                let help = r.suggest(m, ids).unwrap_or_else(|| {
                    format!(
                        "`metric` names a file content/metrics/<id>.yaml; known: {}",
                        listing(ids)
                    )
                });
                r.error(
                    l,
                    &kp.key("metric"),
                    format!("metric `{m}` does not exist: there is no content/metrics/{m}.yaml"),
                )
                .help(help);
                KrData::None
            } else if !ctx.parsed_metrics.contains(m.as_str()) {
                // The metric file itself has an error, reported there.
                KrData::None
            } else if ctx.private_metrics.contains(m.as_str()) {
                r.error(
                    l,
                    &kp.key("metric"),
                    format!("metric `{m}` is private, so a published key result cannot use it"),
                )
                .help("make the metric public, make this file private too, or build with --drafts");
                KrData::None
            } else {
                KrData::Metric(m.clone())
            }
        }
        (None, Some(values)) => KrData::Values(resolve_series(l, &kp.key("values"), values, today, r)),
        (None, None) => KrData::None,
    };
    let has_data = kr.metric.is_some() || kr.values.is_some();
    if let Some(s) = kr.score
        && !(0.0..=1.0).contains(&s)
    {
        r.error(l, &kp.key("score"), format!("score {s} is outside [0, 1]"))
            .help("a manual score is between 0.0 and 1.0, e.g. `score: 0.7`");
    }
    match (kr.baseline, kr.target) {
        (Some(b), Some(t)) if b == t => {
            r.error(
                l,
                &kp.key("target"),
                format!("baseline and target are both {b}: there is no change to score"),
            )
            .help("the target is where the KR should end, the baseline where it started");
        }
        (None, _) | (_, None) if has_data && kr.score.is_none() => {
            let missing = if kr.baseline.is_none() { "baseline" } else { "target" };
            r.error(l, kp, format!("key result `{id}` has data but no `{missing}`"))
                .help("a KR scored from data needs both `baseline` and `target`");
        }
        _ => {}
    }
    let weight = kr.weight.unwrap_or(1.0);
    let weight_ok = weight > 0.0 && weight <= MAX_WEIGHT;
    if !weight_ok {
        r.error(
            l,
            &kp.key("weight"),
            format!(
                "weight {} is outside (0, {MAX_WEIGHT}]: a weight is a positive number up to {MAX_WEIGHT}",
                shown(weight)
            ),
        )
        .help("weights are relative: 1 by default, 2 counts double");
    }
    if !has_data && kr.score.is_none() {
        r.warning(
            l,
            kp,
            format!("key result `{id}` is unmeasurable: no `metric`, `values` or `score`"),
        )
        .help(
            "tie it to a metric, give it its own `values`, or score it by hand with `score:`; it shows as \"no data\"",
        );
    }
    let mut checkins: Vec<Checkin> = kr
        .checkins
        .iter()
        .filter_map(Lenient::ok)
        .map(|c| Checkin {
            date: c.date.0,
            status: c.status,
            note: c.note.clone(),
        })
        .collect();
    checkins.sort_by_key(|c| c.date);
    if ctx.status == QuarterStatus::InProgress {
        let newest = checkins
            .iter()
            .map(|c| c.date)
            .filter(|d| *d <= today)
            .max()
            .unwrap_or(ctx.start);
        let age = (today - newest).get_days();
        if age > OUTDATED_AFTER_DAYS {
            let what = if checkins.is_empty() {
                "has had no check-in since the quarter began".to_string()
            } else {
                format!("was last checked in on {newest}")
            };
            r.warning(
                l,
                kp,
                format!("key result `{id}` is outdated: it {what}, {age} days ago"),
            )
            .help(format!(
                "add a check-in (date, status, note) at least every {OUTDATED_AFTER_DAYS} days while the quarter runs"
            ));
        }
    }
    KeyResult {
        id,
        title: kr.title.clone(),
        owner: kr.owner.clone(),
        data,
        unit: kr.unit.clone(),
        baseline: kr.baseline,
        target: kr.target,
        weight: if weight_ok { weight } else { 1.0 },
        // `+ 0.0` turns a written `-0.0` into 0.0, so no score shows as "-0.00".
        manual_score: kr.score.filter(|s| (0.0..=1.0).contains(s)).map(|s| s + 0.0),
        checkins,
    }
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
                team: team.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Position;

    #[test]
    fn slug_rule() {
        for ok in ["a", "0", "product", "cs-2", "a_b"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "_a", "Product", "プロダクト", "a b", "a/b", "../x"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn position_helper_is_used_for_unknown_positions() {
        // Positions are 1-based; a located path never yields line 0.
        let text = "- id: a\n  name: A\n";
        let p = yaml::locate(text, &YamlPath::root().index(0).key("name")).unwrap();
        assert_eq!(p, Position::new(2, 9));
    }
}
