//! One page to render, as every page builder returns it, and how a page becomes
//! a file: what every template gets, rendering, and why that can fail.

use serde::Serialize;
use tera::Context;

use super::tags::TagCollision;
use crate::files::{OutputFile, SinkError};
use crate::model::QuarterStatus;
use crate::render::theme::{Theme, error_chain};
use crate::render::views::Views;

/// One page to render: where, with which template, and its own data.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub title: String,
    pub nav: &'static str,
    pub data: Context,
    /// Whether the page says as of which day it stands (`as_of` in the footer and on
    /// a printed sheet): the running quarter's pages (its reviews' values expected
    /// by today, on-track states) and the dashboard while a quarter runs (days
    /// left). Every other page reads no more of today than where a threshold lies
    /// (a metric turning stale, a quarter ending), so it stays byte-identical on a
    /// later day and a rebuild with no content change rewrites none of them.
    /// (A running quarter's scores on team, metric and index pages are those of
    /// the newest values, labelled as an outlook: they change with the content.)
    pub as_of: bool,
}

/// Whether quarter `qi` is running: its outlooks and expected values hold for today.
pub fn running(v: &Views<'_>, qi: usize) -> bool {
    v.site
        .quarters
        .get(qi)
        .is_some_and(|q| q.status == QuarterStatus::InProgress)
}

/// Whether any quarter is running (the dashboard).
pub fn any_running(v: &Views<'_>) -> bool {
    (0..v.site.quarters.len()).any(|qi| running(v, qi))
}

/// A page's data as the template's context.
pub fn ctx<T: Serialize>(data: &T) -> Context {
    Context::from_serialize(data).unwrap_or_default()
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    lang: &'a str,
    base_url: &'a str,
}

/// Why a page was not rendered. (No variant names a `source`: each message is
/// whole, so nothing prints twice when a caller walks the chain.)
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Its template failed.
    Template {
        template: &'static str,
        path: String,
        error: tera::Error,
    },
    /// The sink refused the page (or the build was cancelled).
    Sink(SinkError),
    /// Two different tags would share one page (their folder names' hashes collide).
    TagCollision(TagCollision),
}

impl PageError {
    /// What went wrong, in the catalogue's words (tera's own report as it is).
    pub fn message(&self) -> crate::messages::Message {
        match self {
            PageError::Template { template, path, error } => crate::msg!(
                "build.template_failed",
                template = *template,
                path = path,
                reason = error_chain(error)
            ),
            PageError::Sink(e) => e.message(),
            PageError::TagCollision(c) => c.message(),
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl From<SinkError> for PageError {
    fn from(e: SinkError) -> PageError {
        PageError::Sink(e)
    }
}

/// Adds what every page's template gets (site, root, strings, nav…) and renders it.
pub fn finish_page(views: &Views<'_>, theme: &Theme, mut page: Page) -> Result<OutputFile, PageError> {
    let site = views.site;
    let site_info = SiteInfo {
        title: &site.config.title,
        lang: site.config.language.code(),
        base_url: &site.config.base_url,
    };
    let absolute_base = site
        .config
        .base_url
        .is_absolute()
        .then_some(site.config.base_url.as_str());
    let root = crate::render::urls::page_root(&page.path, &site.config.base_url);
    page.data.insert("site", &site_info);
    page.data.insert("root", &root);
    page.data.insert_value("t", theme.strings_value.clone());
    page.data.insert("nav", page.nav);
    page.data.insert("page_title", &page.title);
    // `today` for custom templates; the theme shows `as_of`, on the pages it is set for.
    let today = views.fmt.date(site.today);
    page.data.insert("as_of", &page.as_of.then_some(&today));
    page.data.insert("today", &today);
    // feed.xml is written only under an absolute base_url (`render::feeds`).
    page.data.insert("has_feed", &site.config.base_url.is_absolute());
    page.data.insert("team_picker", &views.team_picker.path);
    // The 404 page is served at any missing URL: it is the canonical copy of nothing.
    let canonical = absolute_base
        .filter(|_| page.path != crate::render::urls::NOT_FOUND)
        .map(|b| crate::render::urls::canonical(b, &page.path));
    page.data.insert("canonical", &canonical);
    // Rendered as bytes: Tera writes valid UTF-8, and `render` would check all of it again.
    let mut html = Vec::with_capacity(64 * 1024);
    if let Err(error) = crate::timings::measure("tera", || theme.tera.render_to(page.template, &page.data, &mut html)) {
        return Err(PageError::Template {
            template: page.template,
            path: page.path,
            error,
        });
    }
    Ok(OutputFile::new(page.path, html))
}
