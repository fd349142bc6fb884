//! Reading the site's files: walk `content/`, read each file as UTF-8 and parse
//! it into its raw struct. Files are parsed in parallel; problems become
//! diagnostics, never panics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::metric_csv::{self, CsvPoints};
use super::raw::{Lenient, RawCheckin, RawKeyResult, RawMetric, RawObjective, RawTeam, RawTeamQuarter};
pub use super::read::{MAX_FILE_BYTES, read_text, special_file};
use super::read::{decode_text, read_bytes, split_bom};
use super::retro::{self, ParsedRetro};
use super::shapes::{METRIC_FILE, TEAM_QUARTER_FILE, TEAMS_FILE};
use super::yaml::{self, Origin, YamlPath};
use crate::config::{self, CONFIG_FILE, Config};
use crate::diag::{self, Diagnostic, SourceMap};
use crate::domain::{Quarter, QuarterError};
use crate::ignore::Ignore;

/// A parsed file with its text (kept to locate later problems) and its display path.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: String,
    pub text: Arc<str>,
    pub raw: T,
}

#[derive(Debug, Default)]
pub struct LoadedContent {
    pub teams: Option<Loaded<Vec<Lenient<RawTeam>>>>,
    /// `(metric id, file)`, sorted by id.
    pub metrics: Vec<(String, Loaded<RawMetric>)>,
    /// Every metric file found, parsed or not: a KR naming a broken metric file gets
    /// that file's error, not an extra "does not exist".
    pub metric_files: std::collections::BTreeSet<String>,
    /// The points of metrics read from `content/metrics/<id>.csv`, by metric id.
    pub metric_csvs: std::collections::BTreeMap<String, Loaded<CsvPoints>>,
    /// `(quarter, team id, file)`.
    pub okrs: Vec<(Quarter, String, Loaded<RawTeamQuarter>)>,
    pub retros: Vec<(Quarter, String, Loaded<ParsedRetro>)>,
    /// `(quarter, team id)` of OKR files that failed to load (their error is reported):
    /// they still count as present, so nothing else is warned about for lack of them.
    pub failed_okrs: std::collections::HashSet<(Quarter, String)>,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `okrsite.toml` at the site root.
pub fn load_config(root: &Path) -> (Option<Config>, SourceMap, Vec<Diagnostic>) {
    let mut sources = SourceMap::default();
    let path = root.join(CONFIG_FILE);
    if !path.exists() {
        let d = Diagnostic::error(
            CONFIG_FILE,
            None,
            crate::msg!("load.no_config", file = CONFIG_FILE, root = root.display().to_string()),
        )
        .with_help(crate::msg!("load.no_config_help"));
        return (None, sources, vec![d]);
    }
    let text = match read_text(&path, CONFIG_FILE) {
        Ok(t) => t,
        Err(d) => return (None, sources, vec![d]),
    };
    sources.insert(CONFIG_FILE, text.clone());
    match config::parse(&text) {
        Ok(c) => (Some(c), sources, Vec::new()),
        Err(ds) => (None, sources, ds),
    }
}

/// What kind of content file a path is.
enum Kind {
    Teams,
    Metric(String),
    /// `content/metrics/<id>.csv`: a metric's points.
    MetricCsv(String),
    Okrs(Quarter, String),
    Retro(Quarter, String),
}

/// Parsed content files kept between builds by a long-lived process (`serve`): a
/// file whose bytes are those parsed last time is read again but not parsed again.
/// Its size and modification time decide nothing: a same-size save within one
/// timestamp tick, or one that restores the old time (`cp -p`, `git checkout`,
/// rsync), must never serve the older text.
#[derive(Default)]
pub struct ParseCache(Mutex<HashMap<PathBuf, CacheEntry>>);

struct CacheEntry {
    /// Whether the file began with a UTF-8 byte order mark (dropped from the text).
    bom: bool,
    /// The text parsed, shared with `parsed`: compared byte for byte with the file.
    text: Arc<str>,
    parsed: Parsed,
    element_errors: Vec<Diagnostic>,
}

impl ParseCache {
    /// The parse of `path` if `bytes`, the file as read now, are those parsed last time.
    fn get(&self, path: &Path, bytes: &[u8]) -> Option<(Parsed, Vec<Diagnostic>)> {
        let map = self.0.lock().ok()?;
        let e = map.get(path)?;
        let (bom, text) = split_bom(bytes);
        (e.bom == bom && e.text.as_bytes() == text).then(|| (e.parsed.clone(), e.element_errors.clone()))
    }

    /// Keeps a parse whose text was read; a file that could not be read as text
    /// is not kept (reading it again costs what comparing would).
    fn put(&self, path: PathBuf, bytes: &[u8], parsed: &Parsed, element_errors: &[Diagnostic]) {
        let Some(text) = parsed.text() else { return };
        if let Ok(mut map) = self.0.lock() {
            map.insert(
                path,
                CacheEntry {
                    bom: split_bom(bytes).0,
                    text: text.clone(),
                    parsed: parsed.clone(),
                    element_errors: element_errors.to_vec(),
                },
            );
        }
    }
}

/// Texts that stand in for files of `content/`, by display path
/// (`content/2025-Q3/product.yaml`): how `checkin` checks the site as an edit would
/// leave it, before writing anything.
pub type Replacements = HashMap<String, Arc<str>>;

/// Walks `content/` and parses every file. Ignored globs are relative to `content/`.
pub fn load_content(root: &Path, config: &Config, cache: Option<&ParseCache>) -> LoadedContent {
    load_content_replacing(root, config, cache, &Replacements::new())
}

/// [`load_content`], with the files named in `replaced` read as the texts given there.
pub fn load_content_replacing(
    root: &Path,
    config: &Config,
    cache: Option<&ParseCache>,
    replaced: &Replacements,
) -> LoadedContent {
    let mut out = LoadedContent::default();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        out.diagnostics.push(
            Diagnostic::error("content", None, crate::msg!("load.no_content"))
                .with_help(crate::msg!("load.no_content_help")),
        );
        return out;
    }
    let files = find_files(root, &content_dir, config, &mut out);
    let parsed = parse_files(files, cache, replaced);
    add_parsed(parsed, &mut out);
    out.metrics.sort_by(|a, b| a.0.cmp(&b.0));
    out.okrs.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out.retros.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    if out.teams.is_none() && !out.diagnostics.iter().any(|d| d.file == "content/teams.yaml") {
        out.diagnostics.push(
            Diagnostic::error("content/teams.yaml", None, crate::msg!("load.no_teams"))
                .with_help(crate::msg!("load.no_teams_help")),
        );
    }
    out
}

/// A content file to parse: its path, its display path, what it holds.
type FoundFile = (PathBuf, String, Kind);

/// The files of `content/` in file-name order (metric ids noted in `out` as found);
/// what cannot be read or is not expected is reported in `out`.
fn find_files(root: &Path, content_dir: &Path, config: &Config, out: &mut LoadedContent) -> Vec<FoundFile> {
    let ignore = Ignore::new(&config.ignore);
    let mut files = Vec::new();
    let mut walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let file = e
                    .path()
                    .map(|p| diag::display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                out.diagnostics.push(Diagnostic::error(
                    file,
                    None,
                    crate::msg!("load.cannot_read", error = e.to_string()),
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        match sort_entry(&entry, root, content_dir, &ignore, config, out) {
            Entry::File(file) => {
                if let Kind::Metric(id) = &file.2 {
                    out.metric_files.insert(id.clone());
                }
                files.push(file)
            }
            Entry::Skip => {}
            Entry::SkipFolder => walker.skip_current_dir(),
        }
    }
    files
}

/// What the walk does with one entry of `content/`.
enum Entry {
    /// A file to parse.
    File(FoundFile),
    /// Nothing more (a problem is reported).
    Skip,
    /// Nothing, and nothing inside it: a folder ignored or not expected.
    SkipFolder,
}

/// Whether an entry of `content/` is a file to parse, reporting it in `out` if it
/// cannot be one.
fn sort_entry(
    entry: &walkdir::DirEntry,
    root: &Path,
    content_dir: &Path,
    ignore: &Ignore,
    config: &Config,
    out: &mut LoadedContent,
) -> Entry {
    let path = entry.path();
    let display = diag::display_path(root, path);
    let rel = diag::display_path(content_dir, path);
    let name = entry.file_name().to_string_lossy().into_owned();
    let is_dir = entry.file_type().is_dir();
    let skip = if is_dir { Entry::SkipFolder } else { Entry::Skip };
    // Before the symbolic link test: Emacs' `.#file` locks are dangling links.
    if ignore.in_content(&rel) {
        return skip;
    }
    if entry.path_is_symlink() {
        out.diagnostics.push(
            Diagnostic::warning(display, None, crate::msg!("load.symlink")).with_help(crate::msg!("load.symlink_help")),
        );
        return Entry::Skip;
    }
    // Reading a named pipe blocks until something writes to it, a device may never
    // end: only regular files and folders are read, decided from the walk's own
    // metadata (symbolic links were handled above), before anything is opened.
    if let Some(what) = special_file(entry.file_type()) {
        out.diagnostics.push(
            Diagnostic::error(
                display,
                None,
                crate::msg!("read.special_in_content", name = name.to_string(), what = what),
            )
            .with_help(crate::msg!("read.special_in_content_help")),
        );
        return Entry::Skip;
    }
    match classify(&rel, is_dir, config.fiscal_year_start_month) {
        Ok(Some(kind)) => Entry::File((path.to_path_buf(), display, kind)),
        Ok(None) => Entry::Skip,
        Err(why) => {
            let message = if is_dir {
                crate::msg!("load.unexpected_folder")
            } else {
                crate::msg!("load.unexpected_file")
            };
            out.diagnostics
                .push(Diagnostic::error(display, None, message).with_help(why.message()));
            skip
        }
    }
}

/// Reads and parses the files, in parallel (from `cache` where a file is unchanged,
/// from `replaced` where a text stands in for it).
fn parse_files(
    files: Vec<FoundFile>,
    cache: Option<&ParseCache>,
    replaced: &Replacements,
) -> Vec<(Parsed, Vec<Diagnostic>)> {
    files
        .into_par_iter()
        .map(|(path, display, kind)| {
            if let Some(text) = replaced.get(&display) {
                return parse_explained(Ok(text.clone()), display, kind);
            }
            let bytes = read_bytes(&path, &display);
            if let (Some(c), Ok(b)) = (cache, &bytes)
                && let Some(hit) = c.get(&path, b)
            {
                return hit;
            }
            let text = bytes
                .as_deref()
                .map_err(Clone::clone)
                .and_then(|b| decode_text(b, &display));
            let (parsed, element_errors) = parse_explained(text, display, kind);
            if let (Some(c), Ok(b)) = (cache, &bytes) {
                c.put(path, b, &parsed, &element_errors);
            }
            (parsed, element_errors)
        })
        .collect()
}

/// [`parse_file`], and for a file serde read alone (with anchors) its broken
/// elements one by one.
fn parse_explained(text: Result<Arc<str>, Diagnostic>, display: String, kind: Kind) -> (Parsed, Vec<Diagnostic>) {
    let (parsed, mut element_errors) = parse_file(text, display, kind);
    if element_errors.is_empty() {
        element_errors = explain_elements(&parsed);
    }
    (parsed, element_errors)
}

/// Puts each parsed file (and its problems) into `out`, in file order.
fn add_parsed(parsed: Vec<(Parsed, Vec<Diagnostic>)>, out: &mut LoadedContent) {
    for (p, mut element_errors) in parsed {
        out.diagnostics.append(&mut element_errors);
        match p {
            Parsed::Failed(display, text, mut problems, okrs_of) => {
                if let Some(t) = text {
                    out.sources.insert(display, t);
                }
                if let Some(key) = okrs_of {
                    out.failed_okrs.insert(key);
                }
                out.diagnostics.append(&mut problems);
            }
            Parsed::Teams(l) => {
                out.sources.insert(l.file.clone(), l.text.clone());
                out.teams = Some(l);
            }
            Parsed::Metric(id, l) => {
                out.sources.insert(l.file.clone(), l.text.clone());
                out.metrics.push((id, *l));
            }
            Parsed::MetricCsv(id, l) => {
                out.sources.insert(l.file.clone(), l.text.clone());
                out.metric_csvs.insert(id, *l);
            }
            Parsed::Okrs(q, t, l) => {
                out.sources.insert(l.file.clone(), l.text.clone());
                out.okrs.push((q, t, l));
            }
            Parsed::Retro(q, t, l) => {
                out.sources.insert(l.file.clone(), l.text.clone());
                out.retros.push((q, t, l));
            }
        }
    }
}

/// Why a path has no place in content/; shown as the help of "unexpected file".
#[derive(Debug, thiserror::Error)]
enum Unexpected {
    #[error(transparent)]
    BadQuarter(#[from] QuarterError),
    #[error("{}", self.message())]
    NotAQuarterFolder(String),
    #[error("{}", self.message())]
    StrayFile(String),
    #[error("{}", self.message())]
    NotAMetricFile(String),
    #[error("{}", self.message())]
    NotInAQuarter,
    #[error("{}", self.message())]
    YmlExtension(String),
    #[error("{}", self.message())]
    NotAQuarterFile(String),
    #[error("{}", self.message())]
    NestedFolder,
    #[error("{}", self.message())]
    NestedFile,
}

impl Unexpected {
    fn message(&self) -> crate::messages::Message {
        use crate::msg;
        match self {
            Unexpected::BadQuarter(e) => e.message(),
            Unexpected::NotAQuarterFolder(name) => msg!("load.unexpected.not_a_quarter_folder", name = name),
            Unexpected::StrayFile(name) => msg!("load.unexpected.stray_file", name = name),
            Unexpected::NotAMetricFile(name) => msg!("load.unexpected.not_a_metric_file", name = name),
            Unexpected::NotInAQuarter => msg!("load.unexpected.not_in_a_quarter"),
            Unexpected::YmlExtension(name) => msg!("load.unexpected.yml", name = name),
            Unexpected::NotAQuarterFile(name) => msg!("load.unexpected.not_a_quarter_file", name = name),
            Unexpected::NestedFolder => msg!("load.unexpected.nested_folder"),
            Unexpected::NestedFile => msg!("load.unexpected.nested_file"),
        }
    }
}

/// Decides what a path under content/ is. `Ok(None)` for folders that are fine.
fn classify(rel: &str, is_dir: bool, fiscal_year_start_month: i8) -> Result<Option<Kind>, Unexpected> {
    let parts: Vec<&str> = rel.split('/').collect();
    match (parts.as_slice(), is_dir) {
        (["metrics"], true) => Ok(None),
        ([folder], true) => {
            // A folder shaped like a quarter gets the precise reason (no quarter 5, year
            // 0000, a quarter ending after 9999-12-31); anything else the general rule.
            let looks_like_quarter = folder.len() == 7 && folder.as_bytes()[4..6] == *b"-Q";
            match Quarter::parse_for(folder, fiscal_year_start_month) {
                Ok(_) => Ok(None),
                Err(why) if looks_like_quarter => Err(why.into()),
                Err(_) => Err(Unexpected::NotAQuarterFolder(folder.to_string())),
            }
        }
        (["teams.yaml"], false) => Ok(Some(Kind::Teams)),
        ([name], false) => Err(Unexpected::StrayFile(name.to_string())),
        (["metrics", name], false) => {
            if let Some(stem) = name.strip_suffix(".yaml") {
                Ok(Some(Kind::Metric(stem.to_string())))
            } else if let Some(stem) = name.strip_suffix(".csv") {
                Ok(Some(Kind::MetricCsv(stem.to_string())))
            } else {
                Err(Unexpected::NotAMetricFile(name.to_string()))
            }
        }
        ([quarter, name], false) => {
            let q = Quarter::parse(quarter).ok_or(Unexpected::NotInAQuarter)?;
            if let Some(stem) = name.strip_suffix(".yaml") {
                Ok(Some(Kind::Okrs(q, stem.to_string())))
            } else if let Some(stem) = name.strip_suffix(".md") {
                Ok(Some(Kind::Retro(q, stem.to_string())))
            } else if name.ends_with(".yml") {
                Err(Unexpected::YmlExtension(name.to_string()))
            } else {
                Err(Unexpected::NotAQuarterFile(name.to_string()))
            }
        }
        (_, true) => Err(Unexpected::NestedFolder),
        (_, false) => Err(Unexpected::NestedFile),
    }
}

#[derive(Clone)]
enum Parsed {
    /// Display path, text if it was read, its problems, and `(quarter, team)` for an OKR file.
    Failed(String, Option<Arc<str>>, Vec<Diagnostic>, Option<(Quarter, String)>),
    Teams(Loaded<Vec<Lenient<RawTeam>>>),
    Metric(String, Box<Loaded<RawMetric>>),
    MetricCsv(String, Box<Loaded<CsvPoints>>),
    Okrs(Quarter, String, Loaded<RawTeamQuarter>),
    Retro(Quarter, String, Loaded<ParsedRetro>),
}

impl Parsed {
    /// The text parsed, when the file could be read as text.
    fn text(&self) -> Option<&Arc<str>> {
        match self {
            Parsed::Failed(_, text, ..) => text.as_ref(),
            Parsed::Teams(l) => Some(&l.text),
            Parsed::Metric(_, l) => Some(&l.text),
            Parsed::MetricCsv(_, l) => Some(&l.text),
            Parsed::Okrs(_, _, l) => Some(&l.text),
            Parsed::Retro(_, _, l) => Some(&l.text),
        }
    }
}

/// Parses a content file's text ([`read_text`]'s result) as what `kind` says it is;
/// with the problems of the elements left out of it (each reported, the rest kept).
fn parse_file(text: Result<Arc<str>, Diagnostic>, display: String, kind: Kind) -> (Parsed, Vec<Diagnostic>) {
    let okrs_of = match &kind {
        Kind::Okrs(q, team) => Some((*q, team.clone())),
        _ => None,
    };
    let text = match text {
        Ok(t) => t,
        Err(d) => return (Parsed::Failed(display, None, vec![d], okrs_of), Vec::new()),
    };
    let (parsed, problems) = parse_text(&text, &display, kind);
    match parsed {
        Some(p) => (p, problems),
        None => (Parsed::Failed(display, Some(text), problems, okrs_of), Vec::new()),
    }
}

/// A file's text read as what `kind` says (`None` when it cannot be), and its problems.
fn parse_text(text: &Arc<str>, display: &str, kind: Kind) -> (Option<Parsed>, Vec<Diagnostic>) {
    let origin = |what| Origin {
        file: display,
        line_offset: 0,
        what,
    };
    match kind {
        Kind::Teams => {
            let read = yaml::read::<Option<Vec<Lenient<RawTeam>>>>(
                text,
                origin(|| crate::msg!("yaml.what.teams_file")),
                &TEAMS_FILE,
            );
            let parsed = read
                .value
                .map(|raw| Parsed::Teams(loaded(display, text, raw.unwrap_or_default())));
            (parsed, read.problems)
        }
        Kind::Metric(id) => {
            let read = yaml::read::<RawMetric>(text, origin(|| crate::msg!("yaml.what.metric_file")), &METRIC_FILE);
            let parsed = read
                .value
                .map(|raw| Parsed::Metric(id, Box::new(loaded(display, text, raw))));
            (parsed, read.problems)
        }
        Kind::MetricCsv(id) => {
            let points = metric_csv::parse(text, display);
            (
                Some(Parsed::MetricCsv(id, Box::new(loaded(display, text, points)))),
                Vec::new(),
            )
        }
        Kind::Okrs(q, team) => {
            let read = yaml::read::<Option<RawTeamQuarter>>(
                text,
                origin(|| crate::msg!("yaml.what.team_quarter")),
                &TEAM_QUARTER_FILE,
            );
            let parsed = read.value.map(|raw| {
                let raw = raw.unwrap_or(RawTeamQuarter {
                    objectives: Vec::new(),
                    not_doing: Vec::new(),
                    private: false,
                });
                Parsed::Okrs(q, team, loaded(display, text, raw))
            });
            (parsed, read.problems)
        }
        Kind::Retro(q, team) => match retro::parse(text, display) {
            Ok(raw) => (Some(Parsed::Retro(q, team, loaded(display, text, raw))), Vec::new()),
            Err(problems) => (None, problems),
        },
    }
}

/// A parsed file with its display path and text.
fn loaded<T>(display: &str, text: &Arc<str>, raw: T) -> Loaded<T> {
    Loaded {
        file: display.to_string(),
        text: text.clone(),
        raw,
    }
}

/// How many broken elements of one file get their own precise diagnostic; each
/// re-reads the file up to its element, so explaining 10,000 was quadratic.
const EXPLAINED_ELEMENTS: usize = 20;

/// A list element that failed on its own, and how to explain it.
type Broken = (YamlPath, fn(&str, &YamlPath, Origin<'_>) -> Option<Diagnostic>);

/// Precise diagnostics for the list elements that failed on their own (teams,
/// objectives, key results, check-ins) in a file serde read alone, so one run
/// reports them all: the
/// first [`EXPLAINED_ELEMENTS`] of a file one by one, the rest in one diagnostic.
fn explain_elements(parsed: &Parsed) -> Vec<Diagnostic> {
    let (text, file, broken) = match parsed {
        Parsed::Teams(l) => (&l.text, &l.file, broken_teams(&l.raw)),
        Parsed::Okrs(_, _, l) => (&l.text, &l.file, broken_okrs(&l.raw)),
        // A CSV's problems are found as it is read (each row on its own).
        Parsed::MetricCsv(_, l) => return l.raw.problems.clone(),
        _ => return Vec::new(),
    };
    let origin = Origin {
        file,
        line_offset: 0,
        what: || crate::msg!("yaml.what.file"),
    };
    let mut out: Vec<Diagnostic> = broken
        .iter()
        .take(EXPLAINED_ELEMENTS)
        .map(|(path, parse)| {
            parse(text, path, origin).unwrap_or_else(|| {
                Diagnostic::error(
                    file,
                    yaml::locate(text, path),
                    crate::msg!("load.cannot_read_element", path = path.to_string()),
                )
            })
        })
        .collect();
    if let Some((first, _)) = broken.get(EXPLAINED_ELEMENTS) {
        let more = broken.len() - EXPLAINED_ELEMENTS;
        out.push(
            Diagnostic::error(
                file,
                yaml::locate(text, first),
                crate::msg!("load.more_elements", more = more, first = first.to_string()),
            )
            .with_help(crate::msg!("load.more_elements_help", shown = EXPLAINED_ELEMENTS)),
        );
    }
    out
}

fn broken_teams(teams: &[Lenient<RawTeam>]) -> Vec<Broken> {
    let root = YamlPath::root();
    (0..teams.len())
        .filter(|&i| teams[i].ok().is_none())
        .map(|i| (root.index(i), yaml::parse_at::<RawTeam> as _))
        .collect()
}

fn broken_okrs(okrs: &RawTeamQuarter) -> Vec<Broken> {
    let mut broken: Vec<Broken> = Vec::new();
    for (oi, o) in okrs.objectives.iter().enumerate() {
        let op = YamlPath::root().key("objectives").index(oi);
        let Some(o) = o.ok() else {
            broken.push((op, yaml::parse_at::<RawObjective>));
            continue;
        };
        for (ki, kr) in o.key_results.iter().enumerate() {
            let kp = op.key("key_results").index(ki);
            let Some(kr) = kr.ok() else {
                broken.push((kp, yaml::parse_at::<RawKeyResult>));
                continue;
            };
            for (ci, c) in kr.checkins.iter().enumerate() {
                if c.ok().is_none() {
                    broken.push((kp.key("checkins").index(ci), yaml::parse_at::<RawCheckin>));
                }
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::read::BOM;

    #[test]
    fn the_cache_reuses_a_parse_only_for_the_same_bytes() {
        let cache = ParseCache::default();
        let path = Path::new("content/teams.yaml");
        let bytes = b"- id: company\n  name: A\n";
        let text = decode_text(bytes, "content/teams.yaml");
        let (parsed, _) = parse_file(text, "content/teams.yaml".into(), Kind::Teams);
        cache.put(path.into(), bytes, &parsed, &[]);
        assert!(cache.get(path, bytes).is_some());
        assert!(cache.get(path, b"- id: company\n  name: B\n").is_none());
        assert!(cache.get(path, b"- id: company\n  name: A\n\n").is_none());
        assert!(
            cache.get(path, &[BOM, bytes].concat()).is_none(),
            "a BOM added is a change"
        );
        assert!(cache.get(Path::new("content/other.yaml"), bytes).is_none());
    }
}
