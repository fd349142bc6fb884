//! OKR files: objectives and key results (their `aligns_to` is [`super::alignment`]'s).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::super::bounds::{MAX_WEIGHT, in_range, out_of_range, shown};
use super::super::load::{Loaded, LoadedContent};
use super::super::raw::{RawKeyResult, RawObjective, RawTeamQuarter};
use super::super::yaml::YamlPath;
use super::alignment::{ObjectiveIds, objective_ids, resolve_alignment};
use super::ids::check_id;
use super::metrics::Metrics;
use super::report::{Help, Reporter, listing};
use super::series::{YamlLayout, resolve_series};
use super::teams::Teams;
use super::{Options, TeamQuarters};
use crate::config::Config;
use crate::diag::{Message, as_share};
use crate::model::{
    Checkin, KeyResult, KrData, KrId, MetricId, Objective, ObjectiveId, Okrs, Quarter, QuarterStatus, TeamId,
    TeamQuarter,
};
use crate::msg;

/// How old the newest check-in of a KR in a running quarter may be before it is "outdated".
pub const OUTDATED_AFTER_DAYS: i32 = 14;

/// What resolving one OKR file needs to know of the rest of the content.
pub(super) struct OkrContext<'a> {
    pub(super) quarter: Quarter,
    status: QuarterStatus,
    start: Date,
    opts: Options,
    metrics: &'a Metrics<'a>,
    pub(super) objective_ids: &'a HashMap<(Quarter, &'a str), ObjectiveIds>,
    /// OKR files left out of the site (private): an objective aligned into one stays unnamed.
    pub(super) excluded: &'a HashSet<(Quarter, &'a str)>,
    /// OKR files whose load error is reported: an `aligns_to` into one says nothing more.
    pub(super) failed_okrs: &'a HashSet<(Quarter, String)>,
}

/// Every published OKR file, by quarter and team. Files of unknown teams are
/// checked too (so their other problems show in the same run), then left out.
pub(super) fn resolve_okr_files(
    content: &LoadedContent,
    config: &Config,
    opts: Options,
    teams: &Teams,
    metrics: &Metrics<'_>,
    r: &mut Reporter<'_>,
) -> TeamQuarters {
    let objective_ids = objective_ids(content);
    let excluded: HashSet<(Quarter, &str)> = content
        .okrs
        .iter()
        .filter(|(_, _, l)| !opts.publishes(&l.raw))
        .map(|(q, t, _)| (*q, t.as_str()))
        .collect();
    let mut quarters = TeamQuarters::new();
    for (q, team, l) in &content.okrs {
        let pos = teams.position(team);
        if pos.is_none() {
            teams.report_unknown(r, &l.file, team);
        }
        if excluded.contains(&(*q, team.as_str())) {
            continue;
        }
        let (start, end) = q.bounds(config.fiscal_year_start_month);
        let ctx = OkrContext {
            quarter: *q,
            status: QuarterStatus::of(start, end, opts.today),
            start,
            opts,
            metrics,
            objective_ids: &objective_ids,
            excluded: &excluded,
            failed_okrs: &content.failed_okrs,
        };
        let okrs = resolve_okrs(l, &ctx, r);
        if let Some(pos) = pos {
            let team = TeamQuarter {
                team: TeamId::new(team.as_str()),
                okrs: Some(okrs),
                retro: None,
            };
            quarters.entry(*q).or_default().insert(pos, team);
        }
    }
    quarters
}

fn resolve_okrs(l: &Loaded<RawTeamQuarter>, ctx: &OkrContext<'_>, r: &mut Reporter<'_>) -> Okrs {
    let root = YamlPath::root();
    let raw = &l.raw;
    if raw.objectives.len() > 5 {
        r.warning(
            l,
            &root.key("objectives"),
            msg!("resolve.okrs.too_many_objectives", n = raw.objectives.len()),
        )
        .help(msg!("resolve.okrs.too_many_objectives_help"));
    }
    let mut objective_seen = HashSet::new();
    let mut objectives = Vec::with_capacity(raw.objectives.len());
    for (oi, o) in raw.objectives.iter().enumerate() {
        // Elements that failed to parse were reported by the loader.
        let Some(o) = o.ok() else { continue };
        objectives.push(resolve_objective(l, oi, o, &mut objective_seen, ctx, r));
    }
    Okrs {
        objectives,
        not_doing: raw.not_doing.clone(),
        source: l.file.clone(),
    }
}

/// The `oi`th objective of the file; `seen` holds the objective ids so far.
fn resolve_objective(
    l: &Loaded<RawTeamQuarter>,
    oi: usize,
    o: &RawObjective,
    seen: &mut HashSet<String>,
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) -> Objective {
    let op = YamlPath::root().key("objectives").index(oi);
    let id = check_id(
        l,
        &op,
        &o.id,
        format!("o{}", oi + 1),
        msg!("resolve.id.objective"),
        seen,
        r,
    );
    let n = o.key_results.len();
    if !(2..=5).contains(&n) {
        let at = if n == 0 { op.clone() } else { op.key("key_results") };
        let objective = objective_name(&id, &o.title);
        r.warning(l, &at, msg!("resolve.okrs.kr_count", objective = objective, n = n))
            .help(msg!("resolve.okrs.kr_count_help"));
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
            let kr_id = check_id(
                l,
                &kp,
                &kr.id,
                format!("kr{}", ki + 1),
                msg!("resolve.id.key_result"),
                &mut kr_seen,
                r,
            );
            let name = kr_name(&id, &kr_id, &kr.title);
            resolve_kr(l, &kp, (kr_id, name), kr, ctx, r)
        })
        .collect();
    Objective {
        id: ObjectiveId::new(id),
        title: o.title.clone(),
        owner: o.owner.clone(),
        aligns_to,
        key_results,
        initiatives: o.initiatives.clone(),
    }
}

/// An objective as diagnostics name it: its id and its title.
fn objective_name(id: &str, title: &str) -> Message {
    msg!("resolve.okrs.objective_name", id = id, title = short_title(title))
}

/// A key result as diagnostics name it: `objective/kr` and its title.
fn kr_name(objective: &str, kr: &str, title: &str) -> Message {
    msg!(
        "resolve.okrs.kr_name",
        objective = objective,
        kr = kr,
        title = short_title(title)
    )
}

/// The longest title a diagnostic quotes, in characters.
const TITLE_CHARS: usize = 40;

fn short_title(title: &str) -> String {
    let title = title.trim();
    if title.chars().count() <= TITLE_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(TITLE_CHARS - 1).collect();
    format!("{cut}…")
}

/// A key result, checked a rule at a time (in the order its problems are reported);
/// `(id, name)`: its id, and how diagnostics name it.
fn resolve_kr(
    l: &Loaded<RawTeamQuarter>,
    kp: &YamlPath,
    (id, name): (String, Message),
    kr: &RawKeyResult,
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) -> KeyResult {
    for (key, v) in [("baseline", kr.baseline), ("target", kr.target)] {
        if let Some(v) = v.filter(|v| !in_range(*v)) {
            let (message, help) = out_of_range(Message::verbatim(format!("`{key}`")), v);
            r.error(l, &kp.key(key), message).help(help);
        }
    }
    let data = kr_data(l, kp, kr, ctx, r);
    check_scoring(l, kp, &name, kr, r);
    let weight = kr_weight(l, kp, kr, r);
    check_measurable(l, kp, &name, kr, r);
    let checkins = checkins(l, kp, kr, r);
    // A check-in that could not be read is reported: the KR is not called outdated
    // for want of it.
    let all_read = kr.checkins.iter().all(|c| c.ok().is_some());
    if ctx.status == QuarterStatus::InProgress && all_read {
        check_outdated(l, kp, &name, &checkins, ctx, r);
    }
    KeyResult {
        id: KrId::new(id),
        title: kr.title.clone(),
        owner: kr.owner.clone(),
        data,
        unit: super::metrics::resolve_unit(l, kp, (&kr.unit, &kr.unit_one, kr.unit_position), r),
        baseline: kr.baseline,
        target: kr.target,
        weight,
        // `+ 0.0` turns a written `-0.0` into 0.0, so no score shows as "-0.00".
        manual_score: kr.score.filter(|s| (0.0..=1.0).contains(s)).map(|s| s + 0.0),
        checkins,
    }
}

/// Where a KR's values come from: a metric file, its own `values`, or nowhere.
fn kr_data(
    l: &Loaded<RawTeamQuarter>,
    kp: &YamlPath,
    kr: &RawKeyResult,
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) -> KrData {
    match (&kr.metric, &kr.values) {
        (Some(_), Some(_)) => {
            r.error(l, &kp.key("values"), msg!("resolve.okrs.metric_and_values"))
                .help(msg!("resolve.okrs.metric_and_values_help"));
            KrData::None
        }
        (Some(m), None) => metric_data(l, kp, m, ctx.metrics, r),
        (None, Some(values)) => {
            let path = kp.key("values");
            let layout = YamlLayout {
                path: &path,
                series: values,
            };
            KrData::Values(resolve_series(l, &layout, &values.points, ctx.opts.today, r))
        }
        (None, None) => KrData::None,
    }
}

/// A KR's `metric`: a metric file that exists, parsed, and is published.
fn metric_data(
    l: &Loaded<RawTeamQuarter>,
    kp: &YamlPath,
    m: &str,
    metrics: &Metrics<'_>,
    r: &mut Reporter<'_>,
) -> KrData {
    if !metrics.files.contains(m) {
        let ids = &metrics.sorted;
        let help = r
            .suggest(m, ids)
            .unwrap_or_else(|| msg!("resolve.okrs.unknown_metric_help", known = listing(ids)));
        r.error(l, &kp.key("metric"), msg!("resolve.okrs.unknown_metric", metric = m))
            .help(help);
        KrData::None
    } else if !metrics.parsed.contains(m) {
        // The metric file itself has an error, reported there.
        KrData::None
    } else if metrics.private.contains(m) {
        r.error(l, &kp.key("metric"), msg!("resolve.okrs.private_metric", metric = m))
            .help(msg!("resolve.okrs.private_metric_help"));
        KrData::None
    } else {
        KrData::Metric(MetricId::new(m))
    }
}

/// A manual score within [0, 1]; a baseline and a target that differ, both there
/// when the KR is scored from data.
fn check_scoring(l: &Loaded<RawTeamQuarter>, kp: &YamlPath, name: &Message, kr: &RawKeyResult, r: &mut Reporter<'_>) {
    let has_data = kr.metric.is_some() || kr.values.is_some();
    if let Some(s) = kr.score
        && !(0.0..=1.0).contains(&s)
    {
        r.error(l, &kp.key("score"), msg!("resolve.okrs.score_range", score = shown(s)))
            .help(share_help(s, msg!("resolve.okrs.score_range_help")));
    }
    match (kr.baseline, kr.target) {
        (Some(b), Some(t)) if b == t => {
            r.error(l, &kp.key("target"), msg!("resolve.okrs.no_change", value = shown(b)))
                .help(msg!("resolve.okrs.no_change_help"));
        }
        (None, _) | (_, None) if has_data && kr.score.is_none() => {
            let missing = if kr.baseline.is_none() { "baseline" } else { "target" };
            r.error(
                l,
                kp,
                msg!("resolve.okrs.no_baseline", kr = name.clone(), key = missing),
            )
            .help(msg!("resolve.okrs.no_baseline_help"));
        }
        _ => {}
    }
}

/// "write a share: 0.7" for a number that reads as a percentage (70), else `otherwise`.
fn share_help(v: f64, otherwise: Message) -> Message {
    match as_share(&shown(v)) {
        Some(share) => msg!("yaml.hint.share", share = share),
        None => otherwise,
    }
}

/// The KR's weight: 1 unless written; 1 too where the written one is out of range.
fn kr_weight(l: &Loaded<RawTeamQuarter>, kp: &YamlPath, kr: &RawKeyResult, r: &mut Reporter<'_>) -> f64 {
    let weight = kr.weight.unwrap_or(1.0);
    let weight_ok = weight > 0.0 && weight <= MAX_WEIGHT;
    if !weight_ok {
        r.error(
            l,
            &kp.key("weight"),
            msg!(
                "resolve.okrs.weight_range",
                weight = shown(weight),
                max = shown(MAX_WEIGHT)
            ),
        )
        .help(msg!("resolve.okrs.weight_range_help"));
    }
    if weight_ok { weight } else { 1.0 }
}

/// A KR with no data and no manual score shows as "no data": a warning says so.
fn check_measurable(
    l: &Loaded<RawTeamQuarter>,
    kp: &YamlPath,
    name: &Message,
    kr: &RawKeyResult,
    r: &mut Reporter<'_>,
) {
    let has_data = kr.metric.is_some() || kr.values.is_some();
    if !has_data && kr.score.is_none() {
        r.warning(l, kp, msg!("resolve.okrs.unmeasurable", kr = name.clone()))
            .help(msg!("resolve.okrs.unmeasurable_help"));
    }
}

/// The KR's check-ins that parsed, by date; a `confidence` outside [0, 1] is an
/// error at its line (and left out of the model).
fn checkins(l: &Loaded<RawTeamQuarter>, kp: &YamlPath, kr: &RawKeyResult, r: &mut Reporter<'_>) -> Vec<Checkin> {
    let mut checkins: Vec<Checkin> = kr
        .checkins
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.ok()?)))
        .map(|(i, c)| {
            let bad = c.confidence.filter(|v| !(0.0..=1.0).contains(v));
            if let Some(v) = bad {
                let path = kp.key("checkins").index(i).key("confidence");
                r.error(l, &path, msg!("resolve.okrs.confidence_range", confidence = shown(v)))
                    .help(share_help(v, msg!("resolve.okrs.confidence_range_help")));
            }
            Checkin {
                date: c.date.0,
                status: c.status,
                confidence: c.confidence.filter(|_| bad.is_none()),
                note: c.note.clone(),
            }
        })
        .collect();
    checkins.sort_by_key(|c| c.date);
    checkins
}

/// In a running quarter, a KR whose newest check-in is older than
/// [`OUTDATED_AFTER_DAYS`] gets a warning.
fn check_outdated(
    l: &Loaded<RawTeamQuarter>,
    kp: &YamlPath,
    name: &Message,
    checkins: &[Checkin],
    ctx: &OkrContext<'_>,
    r: &mut Reporter<'_>,
) {
    let today = ctx.opts.today;
    let newest = checkins
        .iter()
        .map(|c| c.date)
        .filter(|d| *d <= today)
        .max()
        .unwrap_or(ctx.start);
    let age = (today - newest).get_days();
    if age > OUTDATED_AFTER_DAYS {
        let kr = name.clone();
        let message = if checkins.is_empty() {
            msg!("resolve.okrs.outdated_never", kr = kr, days = age.to_string())
        } else {
            msg!(
                "resolve.okrs.outdated",
                kr = kr,
                date = newest.to_string(),
                days = age.to_string()
            )
        };
        r.warning(l, kp, message).help(msg!(
            "resolve.okrs.outdated_help",
            days = OUTDATED_AFTER_DAYS.to_string()
        ));
    }
}
