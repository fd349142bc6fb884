//! The whole pipeline, end to end, for the CLI and the tests.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;

use crate::content::load;
use crate::content::resolve::{self, Options};
use crate::diag::{self, Diagnostic, Lang, Message, SourceMap};
use crate::ignore::Ignore;
use crate::model::Site;
use crate::score::{self, SiteScores};
use crate::{output, render};

mod fingerprint;

/// The result of reading and checking a site.
pub struct Checked {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl Checked {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// The command line's language for the site at `root`: `OKRSITE_LANG`, else the
/// site's `language` (Japanese when the file says nothing, as the site is), else
/// the locale when there is no site. The file is read as the build reads it (a
/// pipe or a huge file is refused, never waited on).
pub fn cli_lang(root: &Path) -> Lang {
    let path = root.join(crate::config::CONFIG_FILE);
    let site = path.is_file().then(|| {
        load::read_text(&path, crate::config::CONFIG_FILE)
            .ok()
            .and_then(|text| crate::config::peek_language(&text))
            .unwrap_or(crate::config::Language::Ja)
            .into()
    });
    Lang::choose(site)
}

/// Loads, validates and resolves the site at `root`, then compiles the templates and
/// renders one page of each kind with the site's data (nothing is written), so a
/// template error never waits for `build`. Never panics on content.
pub fn check(root: &Path, drafts: bool, today: Date) -> Checked {
    let mut checked = check_cached(root, drafts, today, None);
    if let Some(site) = &checked.site {
        checked
            .diagnostics
            .extend(relative_base_url_warning(site, &checked.sources));
        diag::sort(&mut checked.diagnostics);
    }
    check_templates(root, &mut checked);
    checked
}

/// The warning a relative `base_url` (`/`, `/okr/`) gets, at its line: the site
/// has no sitemap.xml and no feed.xml ([`render::feeds`]), which need absolute
/// URLs. `check` warns of the config's; `build` of the one it builds with
/// (`--base-url` wins).
fn relative_base_url_warning(site: &Site, sources: &SourceMap) -> Option<Diagnostic> {
    let url = &site.config.base_url;
    if url.is_absolute() {
        return None;
    }
    let file = crate::config::CONFIG_FILE;
    let position = sources
        .get(file)
        .and_then(|text| crate::config::locate_key(text, "base_url"));
    Some(
        Diagnostic::warning(
            file,
            position,
            crate::msg!("config.relative_base_url", url = url.as_str()),
        )
        .with_help(crate::msg!("config.relative_base_url_help")),
    )
}

/// The template step of [`check`]: template errors become diagnostics naming the
/// template file, and the site is dropped as with any other error.
fn check_templates(root: &Path, checked: &mut Checked) {
    let Some(site) = checked.site.as_ref() else {
        return;
    };
    let timer = crate::timings::Timer::new();
    let ignore = Ignore::new(&site.config.ignore);
    let found = match render::theme::load(root, site.config.language, &ignore) {
        Err(errors) => errors,
        Ok(theme) => {
            let scores = score::score_site(site);
            let views = render::views::Views::new(site, &scores, &theme.strings);
            match render::pages::render_one_of_each(&views, &theme) {
                Ok(_) => Vec::new(),
                Err(render::pages::PageError::Template { path, error, .. }) => {
                    vec![render::theme::template_diagnostic(
                        root,
                        crate::msg!("template.fails_to_render", path = path),
                        &error,
                    )]
                }
                Err(render::pages::PageError::Sink(e)) => vec![Diagnostic::error("templates", None, e.message())],
                Err(render::pages::PageError::TagCollision(c)) => {
                    vec![Diagnostic::error("content", None, c.message())]
                }
            }
        }
    };
    timer.lap("templates");
    for d in &found {
        // The template's text, so the diagnostic can quote its line.
        if d.file.starts_with("templates/")
            && let Ok(text) = load::read_text(&root.join(&d.file), &d.file)
        {
            checked.sources.insert(d.file.clone(), text);
        }
    }
    if !found.is_empty() {
        checked.site = None;
        checked.diagnostics.extend(found);
        diag::sort(&mut checked.diagnostics);
    }
}

/// [`check`], reusing the parse of files unchanged since `cache` saw them.
///
/// `today` is the date of `SOURCE_DATE_EPOCH` or the system's; the config's
/// `as_of`, when set, wins over both. This is the one place "today" is chosen:
/// every stage after it reads the site's.
pub fn check_cached(root: &Path, drafts: bool, today: Date, cache: Option<&load::ParseCache>) -> Checked {
    check_replacing(root, drafts, today, cache, &load::Replacements::new())
}

/// [`check_cached`] of the site as it would be with the texts of `replaced` in place
/// of those files (templates are not rendered).
pub fn check_replacing(
    root: &Path,
    drafts: bool,
    today: Date,
    cache: Option<&load::ParseCache>,
    replaced: &load::Replacements,
) -> Checked {
    let (config, mut sources, mut diagnostics) = load::load_config(root);
    let Some(config) = config else {
        return Checked {
            site: None,
            diagnostics,
            sources,
        };
    };
    let today = config.as_of.unwrap_or(today);
    let timer = crate::timings::Timer::new();
    let content = load::load_content_replacing(root, &config, cache, replaced);
    timer.lap("load");
    sources.extend(content.sources.clone());
    let (site, mut found) = resolve::resolve(config, &content, Options { drafts, today });
    // The files as read are freed on a thread of their own (thousands of values,
    // about ten milliseconds at 200 teams) while the build goes on.
    std::thread::spawn(move || drop(content));
    timer.lap("resolve");
    diagnostics.append(&mut found);
    diag::sort(&mut diagnostics);
    Checked {
        site,
        diagnostics,
        sources,
    }
}

/// What a build reports as it goes, to drive a progress bar.
pub enum Step {
    /// A stage is entered.
    Stage(Stage),
    /// `done` of `total` HTML pages are written.
    Pages { done: usize, total: usize },
}

/// The stages a progress bar names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Rendering,
    Writing,
}

pub type Progress = Box<dyn Fn(Step) + Send + Sync>;

/// Where a build writes the site.
pub enum Target {
    /// The output folder (`output_dir` of the config when `None`): staged inside
    /// it and swapped in whole. `force` accepts an existing non-empty folder that
    /// okrsite did not write (never one of the places [`output::Forbidden`] lists).
    Output { dir: Option<PathBuf>, force: bool },
    /// A new folder of its own, whose parent exists (`serve` builds each
    /// generation so); files equal to those of `previous` are hard-linked from it.
    Generation { dir: PathBuf, previous: Option<PathBuf> },
}

pub struct BuildOptions {
    pub root: PathBuf,
    pub target: Target,
    pub base_url: Option<crate::base_url::BaseUrl>,
    pub drafts: bool,
    pub today: Date,
    /// Write `.gz` and `.br` beside every text file (`--compress`; the config key
    /// `compress` turns it on too).
    pub compress: bool,
    /// Called with the stage being entered ("reading", "rendering", "writing").
    pub progress: Option<Progress>,
    /// Kept between builds by `serve`; `None` for a one-off build.
    pub session: Option<Arc<Session>>,
}

/// What a long-lived process (`serve`) keeps between builds, so that a rebuild
/// re-reads only changed files and an edited retrospective can be shown at once.
#[derive(Default)]
pub struct Session {
    pub parse_cache: load::ParseCache,
    /// The last good build.
    pub last: Mutex<Option<Snapshot>>,
    /// Set to abandon the build in progress (a newer change came in); the output
    /// then stays as it was.
    pub cancel: AtomicBool,
}

/// A built site, kept to re-render single pages.
pub struct Snapshot {
    pub site: Site,
    pub scores: SiteScores,
    pub theme: render::theme::Theme,
    pub rendered: render::Rendered,
    pub out_dir: PathBuf,
}

pub struct Built {
    pub checked: Checked,
    /// Where the site was written, when it was.
    pub output: Option<PathBuf>,
    pub files: usize,
    /// The files written with bytes that differ from the previous site's, sorted.
    pub changed: Vec<String>,
    /// HTML pages, charts and learnings in the output, for the summary line.
    pub pages: usize,
    pub charts: usize,
    pub learnings: usize,
    /// The output already held this build (same input, same okrsite, files as
    /// written): nothing was written, and the counts are those recorded with it.
    pub unchanged: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The output folder was refused ([`output::OutputError::is_refusal`]) or
    /// could not be written.
    OutputFolder(output::OutputError),
    /// Rendering failed: a template of the site (a content error) or the output.
    Render(render::pages::PageError),
    /// The site's `static/` folder could not be copied.
    Static(StaticError),
    /// Abandoned through [`Session::cancel`].
    Cancelled,
}

/// Why `static/` could not be copied into the output.
#[derive(Debug, thiserror::Error)]
pub enum StaticError {
    Walk(#[from] walkdir::Error),
    Read { path: String, source: std::io::Error },
    OverwritesPage { path: String },
    Write { path: String, source: render::SinkError },
}

impl BuildError {
    /// What went wrong, in the catalogue's words.
    pub fn message(&self) -> Message {
        match self {
            BuildError::OutputFolder(e) => e.message(),
            BuildError::Render(e) => e.message(),
            BuildError::Static(e) => e.message(),
            BuildError::Cancelled => crate::msg!("build.cancelled"),
        }
    }
}

impl StaticError {
    pub fn message(&self) -> Message {
        use crate::msg;
        match self {
            StaticError::Walk(e) => msg!("build.static_walk", reason = e.to_string()),
            StaticError::Read { path, source } => msg!("build.static_read", path = path, reason = source.to_string()),
            StaticError::OverwritesPage { path } => msg!("build.static_overwrites", path = path),
            StaticError::Write { path, source } => msg!("build.static_write", path = path, reason = source.message()),
        }
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::fmt::Display for StaticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl BuildError {
    /// Whether the error belongs to the site (its templates, its `static/`, a
    /// page its content names that cannot be written: exit 1) rather than to the
    /// output folder or the run (exit 2).
    pub fn is_site_error(&self) -> bool {
        matches!(self, BuildError::Render(_) | BuildError::Static(_))
    }

    /// Whether the file system failed (a full disk, too many open files), so the
    /// same build may pass when tried again; a template or the site's files at
    /// fault will not.
    pub fn is_io_failure(&self) -> bool {
        use render::pages::PageError;
        match self {
            BuildError::OutputFolder(e) => !e.is_refusal(),
            BuildError::Render(PageError::Sink(render::SinkError::Write(_))) => true,
            BuildError::Static(e) => !matches!(e, StaticError::OverwritesPage { .. }),
            BuildError::Render(_) | BuildError::Cancelled => false,
        }
    }
}

/// Checks the site and, when it has no error, renders and writes it.
/// A failed build leaves the previous output untouched.
pub fn build(opts: &BuildOptions) -> Result<Built, BuildError> {
    let session = opts.session.as_deref();
    let cancelled = || session.is_some_and(|s| s.cancel.load(Ordering::Relaxed));
    opts.enter(Stage::Reading);
    let mut checked = check_cached(&opts.root, opts.drafts, opts.today, session.map(|s| &s.parse_cache));
    if cancelled() {
        return Err(BuildError::Cancelled);
    }
    let Some(site) = checked.site.as_mut() else {
        return Ok(Built::failed(checked));
    };
    if let Some(url) = &opts.base_url {
        site.config.base_url = url.clone();
    }
    checked
        .diagnostics
        .extend(relative_base_url_warning(site, &checked.sources));
    diag::sort(&mut checked.diagnostics);
    let out_dir = output_folder(opts, site)?;
    // `serve` never compresses (its generations are Target::Generation): it does not
    // serve the copies, and making them would only slow every edit.
    let generation = matches!(opts.target, Target::Generation { .. });
    let compress = opts.compress || (site.config.compress && !generation);
    let timer = crate::timings::Timer::new();
    // Before the theme reads templates/ and static/: a file edited in between then
    // makes the next build write again, never keeps a page made from the older text.
    // The scores alongside: the fingerprint hashes every source on one thread, and a
    // build that finds its output unchanged only wasted a few milliseconds of the other.
    let site: &crate::model::Site = site;
    let (fingerprint, scores) = rayon::join(
        || fingerprint::of_build(opts, site, &checked.sources, compress),
        || score::score_site(site),
    );
    timer.lap("fingerprint, score");
    let ignore = Ignore::new(&site.config.ignore);
    let theme = match render::theme::load(&opts.root, site.config.language, &ignore) {
        Ok(t) => t,
        Err(mut errors) => {
            checked.diagnostics.append(&mut errors);
            checked.site = None;
            return Ok(Built::failed(checked));
        }
    };
    timer.lap("templates");
    if let (Some(fingerprint), Target::Output { force, .. }) = (&fingerprint, &opts.target) {
        let summary = output::unchanged(&out_dir, *force, fingerprint).map_err(BuildError::OutputFolder)?;
        timer.lap("unchanged?");
        if let Some(summary) = summary {
            return Ok(Built::unchanged(checked, out_dir, summary));
        }
    }
    // Diagnostics known, fingerprint taken: texts no diagnostic quotes (all, on a clean
    // site: 19 MB at 200 teams) are freed before the views and pages take memory.
    checked.sources.retain_quoted(&checked.diagnostics);
    opts.enter(Stage::Rendering);
    let mut staging = begin_staging(&opts.target, &out_dir)?;
    let sink = StagingSink::new(&staging, session, opts.progress.as_ref());
    let rendered = match render::render_site(site, &scores, &theme, &sink) {
        Err(_) if cancelled() => return Err(BuildError::Cancelled),
        other => other.map_err(BuildError::Render)?,
    };
    add_site_static(&opts.root, &ignore, &sink).map_err(BuildError::Static)?;
    if compress {
        let mut written: Vec<String> = sink.written().iter().cloned().collect();
        written.sort();
        staging.precompress(&written).map_err(BuildError::OutputFolder)?;
        timer.lap("precompress");
    }
    if cancelled() {
        return Err(BuildError::Cancelled);
    }
    let learnings = site.learnings().count();
    opts.enter(Stage::Writing);
    let (files, pages, charts) = sink.counts();
    // So that "commit" times the commit alone, not the rendering before it.
    timer.lap("render and stage");
    if let Some(fingerprint) = fingerprint {
        let summary = output::Summary {
            files,
            pages,
            charts,
            learnings,
        };
        staging.record(fingerprint, summary);
    }
    let changed = staging.changed();
    staging.commit().map_err(BuildError::OutputFolder)?;
    timer.lap("commit");
    match session {
        Some(session) => remember(session, &mut checked, scores, theme, rendered, &out_dir),
        // Freed on a thread of their own: the caller goes on (the CLI reports and
        // exits) without waiting for thousands of frees.
        None => drop(std::thread::spawn(move || drop((scores, rendered)))),
    }
    Ok(Built {
        checked,
        output: Some(out_dir),
        files,
        changed,
        pages,
        charts,
        learnings,
        unchanged: false,
    })
}

impl BuildOptions {
    /// Tells the progress callback which stage the build enters.
    fn enter(&self, stage: Stage) {
        if let Some(p) = &self.progress {
            p(Step::Stage(stage));
        }
    }
}

impl Built {
    /// A build stopped by errors in the content or the templates: nothing written.
    fn failed(checked: Checked) -> Built {
        Built {
            checked,
            output: None,
            files: 0,
            changed: Vec::new(),
            pages: 0,
            charts: 0,
            learnings: 0,
            unchanged: false,
        }
    }

    /// A build the output already held: nothing written.
    fn unchanged(checked: Checked, out_dir: PathBuf, summary: output::Summary) -> Built {
        Built {
            checked,
            output: Some(out_dir),
            files: summary.files,
            changed: Vec::new(),
            pages: summary.pages,
            charts: summary.charts,
            learnings: summary.learnings,
            unchanged: true,
        }
    }
}

/// Where the site goes: the checked output folder, or the generation's own folder.
fn output_folder(opts: &BuildOptions, site: &Site) -> Result<PathBuf, BuildError> {
    match &opts.target {
        Target::Output { dir, .. } => {
            let dir = dir.clone().unwrap_or_else(|| opts.root.join(&site.config.output_dir));
            // From here on the resolved path: what was checked is where the site is written.
            output::check_location(&opts.root, &dir).map_err(BuildError::OutputFolder)
        }
        Target::Generation { dir, .. } => Ok(dir.clone()),
    }
}

fn begin_staging(target: &Target, out_dir: &Path) -> Result<output::Staging, BuildError> {
    match target {
        Target::Output { force, .. } => output::Staging::begin(out_dir, *force),
        Target::Generation { previous, .. } => output::Staging::begin_generation(out_dir, previous.as_deref()),
    }
    .map_err(BuildError::OutputFolder)
}

/// Keeps the built site in the session, so `serve` can re-render single pages.
fn remember(
    session: &Session,
    checked: &mut Checked,
    scores: SiteScores,
    theme: render::theme::Theme,
    rendered: render::Rendered,
    out_dir: &Path,
) {
    if let Some(site) = checked.site.take()
        && let Ok(mut last) = session.last.lock()
    {
        *last = Some(Snapshot {
            site,
            scores,
            theme,
            rendered,
            out_dir: out_dir.to_path_buf(),
        });
    }
}

/// Writes rendered files straight into the staging folder, counting pages and
/// charts for the summary line and remembering paths so `static/` can't clobber a page.
struct StagingSink<'a> {
    cancel: Option<&'a AtomicBool>,
    progress: Option<&'a Progress>,
    planned: AtomicUsize,
    staging: &'a output::Staging,
    written: Mutex<HashSet<String>>,
    pages: AtomicUsize,
    charts: AtomicUsize,
}

impl render::Sink for StagingSink<'_> {
    fn planned(&self, pages: usize) {
        self.planned.store(pages, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn put(&self, file: render::OutputFile) -> Result<(), render::SinkError> {
        if render::Sink::cancelled(self) {
            return Err(render::SinkError::Cancelled);
        }
        if file.path.ends_with(".html") {
            let done = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = self.progress {
                let total = self.planned.load(Ordering::Relaxed).max(done);
                p(Step::Pages { done, total });
            }
            // Charts carry their namespace (charts::finish); score bars' small SVGs do not.
            let charts = count_occurrences(&file.bytes, b"<svg xmlns=");
            self.charts.fetch_add(charts, Ordering::Relaxed);
        }
        self.staging
            .put(&file.path, &file.bytes)
            .map_err(|e| render::SinkError::Write(e.message()))?;
        self.written().insert(file.path);
        Ok(())
    }
}

impl<'a> StagingSink<'a> {
    fn new(staging: &'a output::Staging, session: Option<&'a Session>, progress: Option<&'a Progress>) -> Self {
        StagingSink {
            cancel: session.map(|s| &s.cancel),
            progress,
            planned: AtomicUsize::new(0),
            staging,
            written: Mutex::new(HashSet::new()),
            pages: AtomicUsize::new(0),
            charts: AtomicUsize::new(0),
        }
    }

    /// Files written, then HTML pages and charts among them.
    fn counts(self) -> (usize, usize, usize) {
        let files = self.written.into_inner().map(|w| w.len()).unwrap_or(0);
        (files, self.pages.into_inner(), self.charts.into_inner())
    }
}

impl StagingSink<'_> {
    /// The paths written so far (a panic elsewhere cannot make them unreadable).
    fn written(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn count_occurrences(haystack: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(haystack, needle).count()
}

/// Copies the site's `static/` folder into the output as it is, but for editor
/// files ([`Ignore::in_site_folder`]). A file there may replace a theme asset
/// (`static/assets/okrsite.css`) but not a generated page.
fn add_site_static(root: &Path, ignore: &Ignore, sink: &StagingSink<'_>) -> Result<(), StaticError> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(());
    }
    let walk = walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name();
    let kept = walk
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !ignore.in_site_folder(&diag::display_path(&dir, e.path())));
    for entry in kept {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = diag::display_path(&dir, entry.path());
        let generated = sink.written().contains(&rel);
        if generated && !rel.starts_with("assets/") {
            return Err(StaticError::OverwritesPage { path: rel });
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| StaticError::Read {
            path: rel.clone(),
            source,
        })?;
        sink.staging.put(&rel, &bytes).map_err(|e| StaticError::Write {
            path: rel.clone(),
            source: render::SinkError::Write(e.message()),
        })?;
        sink.written().insert(rel);
    }
    Ok(())
}

/// Shows edited retrospectives at once: re-reads each changed `content/<Q>/<team>.md`,
/// swaps it into the last build's model and re-renders only its review page, in
/// place. Returns the pages written (site-relative paths), or `None` when the change is anything
/// else (a YAML file, a new, draft or broken retrospective…) and needs a full build;
/// a full build should follow in any case, for the learnings, tag and search pages.
pub fn rerender_retrospectives(session: &Session, root: &Path, changed: &[PathBuf]) -> Option<Vec<String>> {
    use crate::content::{resolve as res, retro};
    use crate::model::Quarter;
    let mut guard = session.last.lock().ok()?;
    let snap = guard.as_mut()?;
    let content_dir = root.join("content").canonicalize().ok()?;
    let mut updates = Vec::new();
    for path in changed {
        let path = path.canonicalize().ok()?;
        let rel = path.strip_prefix(&content_dir).ok()?;
        let parts: Vec<&str> = rel.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
        let [quarter, file] = parts.as_slice() else { return None };
        let quarter = Quarter::parse(quarter)?;
        let team = file.strip_suffix(".md")?;
        let qi = snap.site.quarters.iter().position(|q| q.quarter == quarter)?;
        let ti = snap.site.quarters[qi].teams.iter().position(|t| t.team == team)?;
        snap.site.quarters[qi].teams[ti].retro.as_ref()?;
        let display = diag::display_path(root, &root.join("content").join(rel));
        let text = load::read_text(&path, &display).ok()?;
        let raw = retro::parse(&text, &display).ok()?;
        if crate::content::raw::MaybeUnpublished::is_unpublished(&raw.front) {
            return None;
        }
        let team_name = snap.site.team(team).map_or(team, |t| t.name.as_str());
        let loaded = load::Loaded {
            file: display,
            text,
            raw,
        };
        let retro = res::resolve_retro(&loaded, quarter, team, team_name, &snap.site.config);
        updates.push((qi, ti, retro));
    }
    let targets: Vec<(usize, usize)> = updates.iter().map(|u| (u.0, u.1)).collect();
    for (qi, ti, retro) in updates {
        snap.site.quarters[qi].teams[ti].retro = Some(retro);
    }
    let snap = &*snap;
    let views = render::views::Views::minimal(&snap.site, &snap.scores, &snap.theme.strings);
    let alignment = views.alignment();
    let mut written = Vec::new();
    for &(qi, ti) in &targets {
        let q = &snap.site.quarters[qi];
        let key = (q.quarter.to_string(), q.teams[ti].team.to_string());
        let related: Vec<&render::views::LearningView> = snap
            .rendered
            .related
            .get(&key)
            .map(|ids| ids.iter().filter_map(|&i| snap.rendered.learnings.get(i)).collect())
            .unwrap_or_default();
        let view = views.team_quarter_view(&alignment, qi, ti);
        let file = render::pages::render_review(&views, &snap.theme, (qi, ti), view, &related).ok()?;
        output::replace_file(&snap.out_dir, &file.path, &file.bytes).ok()?;
        written.push(file.path);
    }
    Some(written)
}
