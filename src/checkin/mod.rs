//! `okrsite checkin`: adds a weekly check-in (and a value) to a KR's file without
//! hand-editing YAML, and lists the KRs whose check-in is due ([`due`]).
//!
//! A check-in goes to the KR's `checkins` in `content/<quarter>/<team>.yaml`; a value
//! to the KR's `values`, or to its metric's `points` in `content/metrics/<id>.yaml`.
//! Each file is edited in place ([`edit`]), the site is checked as it would be, and
//! only when that adds no error are the files written, each atomically (a temporary
//! file beside it, then a rename).

mod csv_row;
mod due;
mod edit;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use serde_yaml::Value;

use crate::content::raw::{RawMetric, RawTeamQuarter};
use crate::content::read::read_text;
use crate::content::yaml::{self, Origin, YamlPath};
use crate::diag::{self, Diagnostic, Message, SourceMap};
use crate::domain::{Light, Quarter};
use crate::msg;

pub use csv_row::CsvError;
pub use due::{DueKr, DueList, DueTeam, WEEK_DAYS, due, due_lines};
pub use edit::EditError;

/// One check-in as the command line gives it.
#[derive(Debug, Clone)]
pub struct Checkin {
    pub quarter: String,
    pub team: String,
    /// `OBJECTIVE/KR`, the ids as the site's pages and diagnostics name them.
    pub kr: String,
    pub status: Light,
    pub confidence: Option<f64>,
    pub note: Option<String>,
    /// A value of the KR on `date`: to its `values`, or to its metric's `points`.
    pub value: Option<f64>,
    /// The check-in's date; none for the site's today (its `as_of`, if set).
    pub date: Option<Date>,
}

/// What `checkin` wrote: the files' display paths, the KR's file first.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The check-in's date.
    pub date: Date,
    pub checkin_file: String,
    /// The file the value went to, when one was given.
    pub value_file: Option<String>,
}

impl Written {
    /// What was written, in words: a line per file.
    pub fn lines(&self, c: &Checkin) -> Vec<Message> {
        let date = self.date.to_string();
        let mut lines = vec![msg!(
            "checkin.added",
            file = self.checkin_file.as_str(),
            kr = c.kr.as_str(),
            status = status_word(c.status),
            date = date.as_str(),
        )];
        if let (Some(file), Some(value)) = (&self.value_file, c.value) {
            lines.push(msg!(
                "checkin.added_value",
                file = file.as_str(),
                value = value.to_string(),
                date = date.as_str(),
            ));
        }
        lines
    }
}

/// A status in the command line's words.
pub fn status_word(status: Light) -> Message {
    match status {
        Light::Green => msg!("checkin.status_green"),
        Light::Yellow => msg!("checkin.status_yellow"),
        Light::Red => msg!("checkin.status_red"),
    }
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum CheckinError {
    NotAQuarter(String),
    UnknownQuarter {
        quarter: String,
        known: Vec<String>,
    },
    UnknownTeam {
        quarter: String,
        team: String,
        known: Vec<String>,
    },
    NotAKrRef(String),
    UnknownObjective {
        file: String,
        objective: String,
        kr: String,
        known: Vec<String>,
    },
    UnknownKr {
        file: String,
        kr: String,
        known: Vec<String>,
    },
    ConfidenceRange(f64),
    NotFinite(f64),
    SymbolicLink(String),
    Unreadable(Box<Diagnostic>),
    MetricMissing {
        kr: String,
        metric: String,
    },
    DuplicatePoint {
        file: String,
        date: String,
    },
    Edit {
        file: String,
        error: EditError,
    },
    Csv {
        file: String,
        error: CsvError,
    },
    /// The edit would add these errors to the site (with the texts they point into).
    WouldBreak {
        errors: Vec<Diagnostic>,
        sources: SourceMap,
    },
    Write {
        file: String,
        error: String,
    },
}

impl CheckinError {
    /// Whether the site's content is at fault (exit 1) rather than the command (exit 2).
    pub fn is_content_error(&self) -> bool {
        matches!(self, CheckinError::WouldBreak { .. } | CheckinError::Unreadable(_))
    }

    /// The problem in the command line's words.
    pub fn message(&self) -> Message {
        use CheckinError as E;
        match self {
            E::NotAQuarter(q) => msg!("checkin.not_a_quarter", quarter = q),
            E::UnknownQuarter { quarter, .. } => msg!("checkin.unknown_quarter", quarter = quarter),
            E::UnknownTeam { quarter, team, .. } => msg!("checkin.unknown_team", team = team, quarter = quarter),
            E::NotAKrRef(kr) => msg!("checkin.not_a_kr_ref", kr = kr),
            E::UnknownObjective { file, objective, .. } => {
                msg!("checkin.unknown_objective", file = file, objective = objective)
            }
            E::UnknownKr { file, kr, .. } => msg!("checkin.unknown_kr", file = file, kr = kr),
            E::ConfidenceRange(v) => msg!("checkin.confidence_range", value = v.to_string()),
            E::NotFinite(v) => msg!("checkin.not_finite", value = v.to_string()),
            E::SymbolicLink(file) => msg!("checkin.symbolic_link", file = file),
            E::Unreadable(d) => msg!("checkin.unreadable", file = d.file.as_str(), error = d.message.clone()),
            E::MetricMissing { kr, metric } => msg!("checkin.metric_missing", kr = kr, metric = metric),
            E::DuplicatePoint { file, date } => msg!("checkin.duplicate_point", file = file, date = date),
            E::Edit { file, error } => msg!("checkin.cannot_edit", file = file, reason = error.message()),
            E::Csv { file, error } => msg!("checkin.cannot_edit", file = file, reason = csv_reason(error)),
            E::WouldBreak { errors, .. } => msg!("checkin.would_break", n = errors.len()),
            E::Write { file, error } => msg!("checkin.cannot_write", file = file, error = error),
        }
    }

    /// What to do about it, when there is something to say.
    pub fn help(&self) -> Option<Message> {
        use CheckinError as E;
        match self {
            E::UnknownQuarter { known, .. } => Some(msg!("checkin.known_quarters", list = known.join(", "))),
            E::UnknownTeam { team, known, .. } => {
                Some(suggest(team, known, |list| msg!("checkin.known_teams", list = list)))
            }
            E::UnknownObjective { kr, known, .. } | E::UnknownKr { kr, known, .. } => {
                Some(suggest(kr, known, |list| msg!("checkin.known_krs", list = list)))
            }
            E::NotAKrRef(_) => Some(msg!("checkin.kr_ref_help")),
            _ => None,
        }
    }
}

/// Why a CSV row could not be added, in words (a duplicate date has its own error).
fn csv_reason(error: &CsvError) -> Message {
    match error {
        CsvError::Broken => msg!("checkin.csv_broken"),
        CsvError::Duplicate(date) => msg!("checkin.csv_duplicate", date = date.to_string()),
        CsvError::Unsafe => msg!("checkin.csv_unsafe"),
    }
}

/// "did you mean …?" for a near miss, else the list of what there is.
fn suggest(written: &str, known: &[String], listing: impl Fn(String) -> Message) -> Message {
    let words: Vec<&str> = known.iter().map(String::as_str).collect();
    match diag::closest(written, &words) {
        Some(word) => msg!("suggest.did_you_mean", word = word),
        None => listing(known.join(", ")),
    }
}

/// Adds `c` to the site at `root`: the files written, or why nothing was.
pub fn checkin(root: &Path, c: &Checkin, today: Date) -> Result<Written, CheckinError> {
    check_numbers(c)?;
    let date = c.date.unwrap_or_else(|| site_today(root, today));
    let target = find_kr(root, c)?;
    let mut edits = vec![checkin_edit(&target, c, date)?];
    if let Some(value) = c.value {
        match value_edit(root, &target, &edits[0], date, value)? {
            // The KR's own `values`: the same file, edited once more.
            ValueEdit::SameFile(text) => edits[0].text = text,
            ValueEdit::Metric(edit) => edits.push(edit),
        }
    }
    validate(root, today, &edits)?;
    write_all(&edits)?;
    Ok(Written {
        date,
        checkin_file: edits[0].file.display.clone(),
        value_file: edits.get(1).map(|e| e.file.display.clone()),
    })
}

/// The site's today: `as_of` from okrsite.toml when it is set, else `today`.
fn site_today(root: &Path, today: Date) -> Date {
    crate::content::load::load_config(root)
        .0
        .and_then(|c| c.as_of)
        .unwrap_or(today)
}

fn check_numbers(c: &Checkin) -> Result<(), CheckinError> {
    if let Some(v) = c.confidence.filter(|v| !(0.0..=1.0).contains(v)) {
        return Err(CheckinError::ConfidenceRange(v));
    }
    match c.value {
        Some(v) if !v.is_finite() => Err(CheckinError::NotFinite(v)),
        _ => Ok(()),
    }
}

/// A file to edit: where it is, how it is named in messages, its text (without a
/// byte order mark) and whether it had one.
#[derive(Debug, Clone)]
struct FileText {
    path: PathBuf,
    display: String,
    text: String,
    bom: bool,
}

/// Reads a regular file of the site as text.
fn read_file(root: &Path, rel: &str) -> Result<FileText, CheckinError> {
    let path = root.join(rel);
    if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(CheckinError::SymbolicLink(rel.to_string()));
    }
    let text = read_text(&path, rel).map_err(|d| CheckinError::Unreadable(Box::new(d)))?;
    let bom = std::fs::read(&path).is_ok_and(|b| b.starts_with(b"\xEF\xBB\xBF"));
    Ok(FileText {
        path,
        display: rel.to_string(),
        text: text.to_string(),
        bom,
    })
}

/// The KR a check-in is for, found in its team's file for the quarter.
struct Target {
    file: FileText,
    raw: RawTeamQuarter,
    /// `objectives[i].key_results[j]`.
    path: YamlPath,
    /// Where the KR's objective and KR are in the raw file.
    at: (usize, usize),
    kr_ref: String,
}

/// Finds `c`'s quarter, team and KR, with "did you mean" for each miss.
fn find_kr(root: &Path, c: &Checkin) -> Result<Target, CheckinError> {
    let quarter = Quarter::parse(&c.quarter).ok_or_else(|| CheckinError::NotAQuarter(c.quarter.clone()))?;
    let folder = root.join("content").join(quarter.to_string());
    if !folder.is_dir() {
        return Err(CheckinError::UnknownQuarter {
            quarter: c.quarter.clone(),
            known: quarter_folders(&root.join("content")),
        });
    }
    let rel = format!("content/{quarter}/{}.yaml", c.team);
    let is_team_file = crate::content::resolve::is_slug(&c.team) && root.join(&rel).is_file();
    if !is_team_file {
        return Err(CheckinError::UnknownTeam {
            quarter: quarter.to_string(),
            team: c.team.clone(),
            known: team_files(&folder),
        });
    }
    let file = read_file(root, &rel)?;
    let origin = Origin {
        file: &rel,
        line_offset: 0,
        what: || msg!("yaml.what.team_quarter"),
    };
    let raw = yaml::parse::<Option<RawTeamQuarter>>(&file.text, origin)
        .map_err(|d| CheckinError::Unreadable(Box::new(d)))?
        .unwrap_or(RawTeamQuarter {
            objectives: Vec::new(),
            not_doing: Vec::new(),
            private: false,
        });
    let (oi, ki) = kr_position(&raw, &c.kr, &rel)?;
    Ok(Target {
        path: YamlPath::root()
            .key("objectives")
            .index(oi)
            .key("key_results")
            .index(ki),
        at: (oi, ki),
        kr_ref: c.kr.clone(),
        file,
        raw,
    })
}

/// The quarters that have a folder in `content/`, in order.
fn quarter_folders(content: &Path) -> Vec<String> {
    let mut out: Vec<String> = (std::fs::read_dir(content).into_iter().flatten().flatten())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| Quarter::parse(name).is_some())
        .collect();
    out.sort();
    out
}

/// The teams with an OKR file in a quarter's folder, in order.
fn team_files(folder: &Path) -> Vec<String> {
    let mut out: Vec<String> = (std::fs::read_dir(folder).into_iter().flatten().flatten())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".yaml").map(str::to_string))
        .collect();
    out.sort();
    out
}

/// Where `OBJECTIVE/KR` is in the file: the ids as the site gives them (`o2`, `kr1`
/// for those written without one).
fn kr_position(raw: &RawTeamQuarter, kr_ref: &str, file: &str) -> Result<(usize, usize), CheckinError> {
    let Some((objective, kr)) = kr_ref.split_once('/') else {
        return Err(CheckinError::NotAKrRef(kr_ref.to_string()));
    };
    let mut refs = Vec::new();
    let mut objective_found = false;
    for (oi, o) in raw.objectives.iter().enumerate() {
        let Some(o) = o.ok() else { continue };
        let oid = o.id.clone().unwrap_or_else(|| format!("o{}", oi + 1));
        objective_found |= oid == objective;
        for (ki, k) in o.key_results.iter().enumerate() {
            let Some(k) = k.ok() else { continue };
            let kid = k.id.clone().unwrap_or_else(|| format!("kr{}", ki + 1));
            if oid == objective && kid == kr {
                return Ok((oi, ki));
            }
            refs.push(format!("{oid}/{kid}"));
        }
    }
    let file = file.to_string();
    if objective_found {
        Err(CheckinError::UnknownKr {
            file,
            kr: kr_ref.to_string(),
            known: refs,
        })
    } else {
        Err(CheckinError::UnknownObjective {
            file,
            objective: objective.to_string(),
            kr: kr_ref.to_string(),
            known: refs,
        })
    }
}

/// A file's new text.
struct Edit {
    file: FileText,
    text: String,
}

/// The check-in, added to the KR's `checkins`.
fn checkin_edit(target: &Target, c: &Checkin, date: Date) -> Result<Edit, CheckinError> {
    let mut fields = vec![
        ("date", Value::from(date.to_string())),
        ("status", Value::from(c.status.as_str())),
    ];
    fields.extend(c.confidence.map(|v| ("confidence", edit::number(v))));
    fields.extend(c.note.as_ref().map(|n| ("note", Value::from(n.as_str()))));
    let addition = edit::Addition::Item(fields);
    edited(&target.file, &target.path, "checkins", &addition)
}

/// Where a value went: the KR's file's new text, or its metric's file.
enum ValueEdit {
    SameFile(String),
    Metric(Edit),
}

/// The value, added to the KR's `values` (in `kr_file`, the KR's file as the
/// check-in left it) or to its metric's `points`.
fn value_edit(root: &Path, target: &Target, kr_file: &Edit, date: Date, value: f64) -> Result<ValueEdit, CheckinError> {
    let (oi, ki) = target.at;
    let kr = (target.raw.objectives[oi].ok())
        .and_then(|o| o.key_results[ki].ok())
        .ok_or_else(|| CheckinError::NotAKrRef(target.kr_ref.clone()))?;
    let point = edit::Addition::Point {
        date: date.to_string(),
        value,
    };
    let Some(metric) = &kr.metric else {
        let dates = kr.values.iter().flat_map(|s| s.points.iter().map(|p| p.date.0));
        no_point_on(dates, date, &target.file.display)?;
        let file = FileText {
            text: kr_file.text.clone(),
            ..target.file.clone()
        };
        return Ok(ValueEdit::SameFile(edited(&file, &target.path, "values", &point)?.text));
    };
    let csv = format!("content/metrics/{metric}.csv");
    if crate::content::resolve::is_slug(metric) && root.join(&csv).is_file() {
        return csv_edit(root, &csv, date, value).map(ValueEdit::Metric);
    }
    let rel = format!("content/metrics/{metric}.yaml");
    if !crate::content::resolve::is_slug(metric) || !root.join(&rel).is_file() {
        return Err(CheckinError::MetricMissing {
            kr: target.kr_ref.clone(),
            metric: metric.clone(),
        });
    }
    let file = read_file(root, &rel)?;
    let origin = Origin {
        file: &rel,
        line_offset: 0,
        what: || msg!("yaml.what.metric_file"),
    };
    let raw = yaml::parse::<RawMetric>(&file.text, origin).map_err(|d| CheckinError::Unreadable(Box::new(d)))?;
    no_point_on(raw.points.points.iter().map(|p| p.date.0), date, &rel)?;
    edited(&file, &YamlPath::root(), "points", &point).map(ValueEdit::Metric)
}

/// The value as the last row of the metric's CSV.
fn csv_edit(root: &Path, rel: &str, date: Date, value: f64) -> Result<Edit, CheckinError> {
    let file = read_file(root, rel)?;
    let text = csv_row::append_row(&file.text, rel, date, value).map_err(|error| match error {
        CsvError::Duplicate(date) => CheckinError::DuplicatePoint {
            file: rel.to_string(),
            date: date.to_string(),
        },
        error => CheckinError::Csv {
            file: rel.to_string(),
            error,
        },
    })?;
    Ok(Edit { file, text })
}

/// A series has one value a day: a second one on `date` is refused here, by name.
fn no_point_on(mut dates: impl Iterator<Item = Date>, date: Date, file: &str) -> Result<(), CheckinError> {
    if dates.any(|d| d == date) {
        return Err(CheckinError::DuplicatePoint {
            file: file.to_string(),
            date: date.to_string(),
        });
    }
    Ok(())
}

fn edited(file: &FileText, parent: &YamlPath, key: &str, addition: &edit::Addition) -> Result<Edit, CheckinError> {
    let text = edit::append(&file.text, parent, key, addition).map_err(|error| CheckinError::Edit {
        file: file.display.clone(),
        error,
    })?;
    Ok(Edit {
        file: file.clone(),
        text,
    })
}

/// Checks the site as the edits would leave it: an error it does not have now
/// refuses them all.
fn validate(root: &Path, today: Date, edits: &[Edit]) -> Result<(), CheckinError> {
    let before = crate::build::check_cached(root, true, today, None);
    let replaced: crate::content::load::Replacements = edits
        .iter()
        .map(|e| (e.file.display.clone(), Arc::<str>::from(e.text.as_str())))
        .collect();
    let after = crate::build::check_replacing(root, true, today, None, &replaced);
    let mut known: HashMap<(String, String), usize> = HashMap::new();
    for d in before.diagnostics.iter().filter(|d| d.is_error()) {
        *known.entry((d.file.clone(), d.message.to_string())).or_default() += 1;
    }
    let mut errors = Vec::new();
    for d in after.diagnostics.into_iter().filter(Diagnostic::is_error) {
        match known.get_mut(&(d.file.clone(), d.message.to_string())) {
            Some(n) if *n > 0 => *n -= 1,
            _ => errors.push(d),
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(CheckinError::WouldBreak {
        errors,
        sources: after.sources,
    })
}

/// Writes every edit, each atomically; when one fails, those written before it
/// get their old text back.
fn write_all(edits: &[Edit]) -> Result<(), CheckinError> {
    for (i, e) in edits.iter().enumerate() {
        if let Err(error) = write_atomically(&e.file, &e.text) {
            for done in &edits[..i] {
                let _ = write_atomically(&done.file, &done.file.text);
            }
            return Err(CheckinError::Write {
                file: e.file.display.clone(),
                error: error.to_string(),
            });
        }
    }
    Ok(())
}

/// Replaces a file by a temporary file written beside it (same folder, so the
/// rename is atomic), with the old file's permissions and byte order mark.
fn write_atomically(file: &FileText, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let folder = file.path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".okrsite-checkin-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    if file.bom {
        tmp.write_all(b"\xEF\xBB\xBF")?;
    }
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(&file.path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(&file.path).map_err(|e| e.error)?;
    Ok(())
}
