//! The whole pipeline, end to end, for the CLI and the tests.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::civil::Date;

use crate::content::diag::{self, Diagnostic, SourceMap};
use crate::content::load;
use crate::content::resolve::{self, Options};
use crate::model::Site;
use crate::score::{self, SiteScores};
use crate::{output, render};

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

/// Loads, validates and resolves the site at `root`. Never panics on content.
pub fn check(root: &Path, drafts: bool, today: Date) -> Checked {
    let (config, mut sources, mut diagnostics) = load::load_config(root);
    let Some(config) = config else {
        return Checked {
            site: None,
            diagnostics,
            sources,
        };
    };
    let timer = crate::timings::Timer::new();
    let content = load::load_content(root, &config);
    timer.lap("load");
    sources.extend(content.sources.clone());
    let (site, mut found) = resolve::resolve(config, &content, Options { drafts, today });
    timer.lap("resolve");
    diagnostics.append(&mut found);
    diag::sort(&mut diagnostics);
    Checked {
        site,
        diagnostics,
        sources,
    }
}

/// Told the stage a build enters, e.g. to drive a spinner.
pub type Progress = Box<dyn Fn(&str) + Send + Sync>;

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Date,
    /// Called with the stage being entered ("reading", "rendering", "writing").
    pub progress: Option<Progress>,
}

pub struct Built {
    pub checked: Checked,
    /// Where the site was written, when it was.
    pub output: Option<PathBuf>,
    pub files: usize,
    /// HTML pages, charts and learnings in the output, for the summary line.
    pub pages: usize,
    pub charts: usize,
    pub learnings: usize,
}

#[derive(Debug)]
pub enum BuildError {
    /// The output location or the file system refused.
    Output(String),
    /// The site's own templates or static files are broken (a content error).
    Site(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Output(m) | BuildError::Site(m) => f.write_str(m),
        }
    }
}

/// Checks the site and, when it has no error, renders and writes it.
/// A failed build leaves the previous output untouched.
pub fn build(opts: &BuildOptions) -> Result<Built, BuildError> {
    let stage = |s: &str| {
        if let Some(p) = &opts.progress {
            p(s);
        }
    };
    let failed = |checked| Built {
        checked,
        output: None,
        files: 0,
        pages: 0,
        charts: 0,
        learnings: 0,
    };
    stage("reading");
    let mut checked = check(&opts.root, opts.drafts, opts.today);
    let Some(site) = checked.site.as_mut() else {
        return Ok(failed(checked));
    };
    if let Some(url) = &opts.base_url {
        site.config.base_url = crate::config::normalize_base_url(url).map_err(BuildError::Output)?;
    }
    let out_dir = match &opts.output {
        Some(o) => o.clone(),
        None => opts.root.join(&site.config.output_dir),
    };
    output::check_location(&opts.root, &out_dir).map_err(BuildError::Output)?;
    let theme = match render::theme::load(&opts.root, site.config.language) {
        Ok(t) => t,
        Err(mut errors) => {
            checked.diagnostics.append(&mut errors);
            checked.site = None;
            return Ok(failed(checked));
        }
    };
    stage("rendering");
    let timer = crate::timings::Timer::new();
    let scores: SiteScores = score::score_site(site);
    timer.lap("score");
    let staging = output::Staging::begin(&out_dir).map_err(BuildError::Output)?;
    let sink = StagingSink {
        staging: &staging,
        written: Mutex::new(HashSet::new()),
        pages: AtomicUsize::new(0),
        charts: AtomicUsize::new(0),
    };
    render::render_site(site, &scores, &theme, &sink).map_err(BuildError::Site)?;
    add_site_static(&opts.root, &sink).map_err(BuildError::Site)?;
    let learnings = site.learnings().count();
    stage("writing");
    let files = sink.written.into_inner().map(|w| w.len()).unwrap_or(0);
    let (pages, charts) = (sink.pages.into_inner(), sink.charts.into_inner());
    staging.commit().map_err(BuildError::Output)?;
    timer.lap("commit");
    Ok(Built {
        checked,
        output: Some(out_dir),
        files,
        pages,
        charts,
        learnings,
    })
}

/// Writes rendered files straight into the staging folder, counting pages and
/// charts for the summary line and remembering paths so `static/` can't clobber a page.
struct StagingSink<'a> {
    staging: &'a output::Staging,
    written: Mutex<HashSet<String>>,
    pages: AtomicUsize,
    charts: AtomicUsize,
}

impl render::Sink for StagingSink<'_> {
    fn put(&self, file: render::OutputFile) -> Result<(), String> {
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
            let charts = count_occurrences(&file.bytes, b"<svg ");
            self.charts.fetch_add(charts, Ordering::Relaxed);
        }
        self.staging.put(&file.path, &file.bytes)?;
        self.written.lock().map_err(|e| e.to_string())?.insert(file.path);
        Ok(())
    }
}

fn count_occurrences(haystack: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(haystack, needle).count()
}

/// Copies the site's `static/` folder into the output as it is. A file there may
/// replace a theme asset (`static/assets/okrsite.css`) but not a generated page.
fn add_site_static(root: &Path, sink: &StagingSink<'_>) -> Result<(), String> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("static/: {e}"))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = diag::display_path(&dir, entry.path());
        let generated = sink.written.lock().map_err(|e| e.to_string())?.contains(&rel);
        if generated && !rel.starts_with("assets/") {
            return Err(format!(
                "static/{rel} would overwrite a page okrsite generates; rename it"
            ));
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("static/{rel}: {e}"))?;
        sink.staging.put(&rel, &bytes)?;
        sink.written.lock().map_err(|e| e.to_string())?.insert(rel);
    }
    Ok(())
}
