//! The theme: templates, static assets and UI strings, embedded in the binary so
//! an installed okrsite needs nothing beside it. A site's own `templates/`
//! folder overrides templates by file name.

use std::path::Path;

use tera::Tera;

use super::format::Strings;
use crate::config::Language;
use crate::diag::{self, Diagnostic};
use crate::ignore::Ignore;

/// Every template of the default theme, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("bar.html", include_str!("../../themes/default/templates/bar.html")),
    (
        "at-risk-list.html",
        include_str!("../../themes/default/templates/at-risk-list.html"),
    ),
    (
        "team-units.html",
        include_str!("../../themes/default/templates/team-units.html"),
    ),
    (
        "spread.html",
        include_str!("../../themes/default/templates/spread.html"),
    ),
    (
        "quarter-at-risk.html",
        include_str!("../../themes/default/templates/quarter-at-risk.html"),
    ),
    (
        "quarter-alignment.html",
        include_str!("../../themes/default/templates/quarter-alignment.html"),
    ),
    ("chart.html", include_str!("../../themes/default/templates/chart.html")),
    (
        "checkins.html",
        include_str!("../../themes/default/templates/checkins.html"),
    ),
    (
        "checkin.html",
        include_str!("../../themes/default/templates/checkin.html"),
    ),
    ("flags.html", include_str!("../../themes/default/templates/flags.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    (
        "learning.html",
        include_str!("../../themes/default/templates/learning.html"),
    ),
    (
        "learning-filters.html",
        include_str!("../../themes/default/templates/learning-filters.html"),
    ),
    ("pager.html", include_str!("../../themes/default/templates/pager.html")),
    (
        "quarters.html",
        include_str!("../../themes/default/templates/quarters.html"),
    ),
    (
        "quarter.html",
        include_str!("../../themes/default/templates/quarter.html"),
    ),
    (
        "review-sheet.html",
        include_str!("../../themes/default/templates/review-sheet.html"),
    ),
    (
        "quarter-print.html",
        include_str!("../../themes/default/templates/quarter-print.html"),
    ),
    (
        "review.html",
        include_str!("../../themes/default/templates/review.html"),
    ),
    ("teams.html", include_str!("../../themes/default/templates/teams.html")),
    ("team.html", include_str!("../../themes/default/templates/team.html")),
    (
        "metrics.html",
        include_str!("../../themes/default/templates/metrics.html"),
    ),
    (
        "metric.html",
        include_str!("../../themes/default/templates/metric.html"),
    ),
    (
        "learnings.html",
        include_str!("../../themes/default/templates/learnings.html"),
    ),
    ("tags.html", include_str!("../../themes/default/templates/tags.html")),
    ("tag.html", include_str!("../../themes/default/templates/tag.html")),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
];

/// The theme's static files, written under `assets/` in the output.
pub const STATIC: &[(&str, &[u8])] = &[
    ("okrsite.css", include_bytes!("../../themes/default/static/okrsite.css")),
    ("favicon.svg", include_bytes!("../../themes/default/static/favicon.svg")),
    ("search.js", include_bytes!("../../themes/default/static/search.js")),
    ("teams.js", include_bytes!("../../themes/default/static/teams.js")),
    ("picker.js", include_bytes!("../../themes/default/static/picker.js")),
];

const JA: &str = include_str!("../../themes/default/i18n/ja.toml");
const EN: &str = include_str!("../../themes/default/i18n/en.toml");

/// A theme asset as the output has it: written under a name that carries a hash of
/// its content (`assets/okrsite.<hash>.css`), so a host can cache it for a year and a
/// redeploy can never mix a cached old copy with new pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The theme's name for it, what templates ask for: `okrsite.css`.
    pub name: &'static str,
    /// Where it is written, relative to the output root: `assets/okrsite.<hash>.css`.
    pub path: String,
    /// Its Subresource Integrity value, `sha384-…`.
    pub integrity: String,
    pub bytes: Vec<u8>,
}

/// The theme's static files, each the site's `static/assets/<name>` when it has one
/// (a site replaces the theme's stylesheet that way), under fingerprinted names.
pub fn assets(site_root: &Path) -> Vec<Asset> {
    STATIC
        .iter()
        .map(|(name, embedded)| {
            let own = std::fs::read(site_root.join("static/assets").join(name)).ok();
            let bytes = own.unwrap_or_else(|| embedded.to_vec());
            Asset {
                name,
                path: crate::files::fingerprinted(&format!("assets/{name}"), &bytes),
                integrity: crate::files::integrity(&bytes),
                bytes,
            }
        })
        .collect()
}

/// The Tera function `asset(name="okrsite.css")`: `{path, integrity}` of a theme
/// asset, its path relative to the site root (templates put `root` before it). An
/// unknown name is an error, so a template cannot link a file that is not written.
fn asset_function(assets: &[Asset]) -> impl Fn(tera::Kwargs, &tera::State) -> tera::TeraResult<tera::Value> + use<> {
    let values: std::collections::BTreeMap<&'static str, tera::Value> = assets
        .iter()
        .map(|a| {
            let fields =
                std::collections::BTreeMap::from([("path", a.path.as_str()), ("integrity", a.integrity.as_str())]);
            (a.name, tera::Value::from_serializable(&fields))
        })
        .collect();
    move |kwargs: tera::Kwargs, _: &tera::State| {
        let name: &str = kwargs.must_get("name")?;
        values
            .get(name)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("asset: the theme has no asset `{name}`")))
    }
}

pub struct Theme {
    pub tera: Tera,
    /// The theme's static files as written ([`assets`]).
    pub assets: Vec<Asset>,
    pub strings: Strings,
    /// `strings` as a Tera value, converted once: every page's context holds it as
    /// `t`, and Tera's values share their contents when cloned. Templates put counts
    /// and texts with placeholders into words with the function `tr`
    /// ([`Strings::tera_function`]).
    pub strings_value: tera::Value,
    /// Whether the templates show the sheets' big fragments (KR charts' SVGs, the
    /// retrospective's HTML) only whole, so they are spliced into the rendered pages
    /// rather than passed through Tera ([`crate::render::pages::fragments_shown_whole`]).
    pub splices_fragments: bool,
    /// Whether okrsite writes a sheet's KR charts' and the review's objective chart's
    /// whole figures itself rather than have `chart.html` loop over their notes and
    /// tables: while `chart.html` is the theme's own and no template of the site's
    /// reads a chart's fields ([`crate::render::pages::figures_written_whole`]).
    pub writes_figures: bool,
    /// Whether every template is okrsite's own (the site's `templates/` replaces none;
    /// one it adds is reached only from one it replaces): list pages then get the
    /// light forms of their views ([`crate::render::pages`]' `light`).
    pub own_templates: bool,
}

impl Theme {
    /// Whether okrsite writes the review sheets itself ([`crate::render::pages`]'
    /// `sheet`): while every template is its own, so `review-sheet.html` and what it
    /// includes are the ones the writer follows.
    pub fn writes_sheets(&self) -> bool {
        self.own_templates && self.splices_fragments && self.writes_figures
    }
}

/// The UI strings of a language.
pub fn strings(lang: Language) -> Strings {
    let text = match lang {
        Language::Ja => JA,
        Language::En => EN,
    };
    // The embedded files are checked by a unit test, so this cannot fail at run time.
    Strings::parse(text, lang).unwrap_or_else(|_| Strings::new(lang, Default::default()))
}

/// Compiles the theme's templates once, with the site's `templates/*.html` on top
/// (editor files there skipped, as `ignore` says: [`Ignore::in_site_folder`]).
pub fn load(site_root: &Path, lang: Language, ignore: &Ignore) -> Result<Theme, Vec<Diagnostic>> {
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut errors = Vec::new();
    let mut own_templates = true;
    let dir = site_root.join("templates");
    if dir.is_dir() {
        let mut entries: Vec<_> = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !ignore.in_site_folder(&diag::display_path(&dir, e.path())))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .collect();
        entries.sort_by(|a, b| a.path().cmp(b.path()));
        for e in entries {
            let name = diag::display_path(&dir, e.path());
            let display = diag::display_path(site_root, e.path());
            match std::fs::read_to_string(e.path()) {
                Ok(text) => {
                    own_templates &= TEMPLATES.iter().all(|(n, _)| *n != name);
                    sources.retain(|(n, _)| *n != name);
                    sources.push((name, text));
                }
                Err(err) => errors.push(Diagnostic::error(
                    display,
                    None,
                    crate::msg!("template.cannot_read", reason = err.to_string()),
                )),
            }
        }
    }
    let strings = strings(lang);
    let mut tera = Tera::new();
    // Before the templates: Tera 2 checks the functions a template calls as it compiles it.
    tera.register_function("tr", strings.tera_function());
    let assets = assets(site_root);
    tera.register_function("asset", asset_function(&assets));
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        errors.push(template_diagnostic(
            site_root,
            crate::msg!("template.does_not_compile"),
            &e,
        ));
    }
    if errors.is_empty() {
        Ok(Theme {
            tera,
            assets,
            splices_fragments: crate::render::pages::fragments_shown_whole(sources.iter().map(|(_, t)| t.as_str())),
            writes_figures: crate::render::pages::figures_written_whole(
                sources.iter().map(|(n, t)| (n.as_str(), t.as_str())),
            ),
            strings_value: strings.to_value(),
            strings,
            own_templates,
        })
    } else {
        Err(errors)
    }
}

/// A template error as a diagnostic: the template's file (the site's
/// `templates/<name>` when it has one, otherwise the theme's, built into okrsite) with
/// the line and column tera gives, and `what` happened ("does not compile").
pub fn template_diagnostic(site_root: &Path, what: crate::messages::Message, e: &tera::Error) -> Diagnostic {
    use crate::msg;
    let help = msg!("template.help");
    let Some(report) = report_of(e) else {
        let message = msg!("template.failed_somewhere", what = what, reason = error_chain(e));
        return Diagnostic::error("templates", None, message).with_help(help);
    };
    let name = report.filename();
    let own = site_root.join("templates").join(name);
    let file = if !name.is_empty() && own.is_file() {
        diag::display_path(site_root, &own)
    } else {
        format!("themes/default/templates/{name} (built into okrsite)")
    };
    let span = report.span();
    let position = (span.start_line > 0).then(|| diag::Position::new(span.start_line, span.start_col + 1));
    let message = msg!("template.failed", name = name, what = what, reason = report.message());
    Diagnostic::error(file, position, message).with_help(help)
}

/// The innermost error of `e`'s chain that points into a template.
fn report_of(e: &tera::Error) -> Option<&tera::ReportError> {
    let mut found = None;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<tera::Error>() {
            match t.kind() {
                tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => found = Some(&**r),
                _ => {}
            }
        }
        cur = err.source();
    }
    found
}

/// The error with its causes, on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_file_is_embedded_and_compiles() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir.join("templates"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        let statics = std::fs::read_dir(dir.join("static")).unwrap().count();
        assert_eq!(statics, STATIC.len());
        assert!(load(Path::new("/nonexistent"), Language::Ja, &Ignore::default()).is_ok());
    }

    #[test]
    fn both_languages_have_the_same_strings() {
        let ja = Strings::parse(JA, Language::Ja).unwrap();
        let en = Strings::parse(EN, Language::En).unwrap();
        let keys = |s: &Strings| s.texts.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&ja), keys(&en));
        assert!(ja.texts.len() > 50);
    }
}
