//! Rendering: the scored site → output files (path relative to the output root, bytes).
//! Nothing here reads content files or decides scores, and nothing computes a
//! number a page shows: those come from [`crate::insight`]; render formats and draws.
//!
//! Its modules never import from this file (only its sub-module paths): the output
//! types are [`crate::files`]'s, re-exported here for callers outside render.

pub mod charts;
pub mod export;
pub mod export_metrics;
pub mod feeds;
pub mod format;
mod html_balance;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod strings;
pub mod theme;
pub mod urls;
pub mod views;

pub use crate::files::{Collect, OutputFile, Sink, SinkError};
use crate::model::Site;
use crate::score::SiteScores;

/// What rendering learned that a later partial render (serve) can reuse.
pub struct Rendered {
    /// Every learning's view, newest first.
    pub learnings: Vec<views::LearningView>,
    pub related: pages::Related,
}

/// Renders every file of the site into `sink`.
pub fn render_site(
    site: &Site,
    scores: &SiteScores,
    theme: &theme::Theme,
    sink: &dyn Sink,
) -> Result<Rendered, pages::PageError> {
    let timer = crate::timings::Timer::new();
    let views = views::Views::new(site, scores, &theme.strings);
    timer.lap("views");
    if sink.cancelled() {
        return Err(SinkError::Cancelled.into());
    }
    // The pages (parallel inside) alongside the search index, then the search page,
    // which names the index's manifest (a hash of its content), and the index, feed
    // and exports written (mostly serial): the index keeps the second core busy
    // while the pages' first plans (related learnings, tags) are made serially.
    let (pages, others) = rayon::join(
        || pages::render_pages(&views, theme, sink),
        || -> Result<String, pages::PageError> {
            let manifest = crate::timings::measure("search index", || search_index(site, &views, sink))?;
            let search_page = pages::render_search_page(&views, theme, sink, &manifest)?;
            render_indexes(site, scores, &views, sink)?;
            Ok(search_page)
        },
    );
    let (mut html_pages, related) = pages?;
    html_pages.push(others?);
    timer.lap("pages, search, exports");
    crate::timings::report();
    html_pages.retain(|p| p.ends_with(".html") && p != "404.html");
    html_pages.sort();
    let html_pages: Vec<&str> = html_pages.iter().map(String::as_str).collect();
    if let Some(sitemap) = feeds::sitemap(site, &html_pages) {
        sink.put(OutputFile::new("sitemap.xml", sitemap))?;
    }
    sink.put(views.team_picker.clone())?;
    for asset in &theme.assets {
        sink.put(OutputFile::new(asset.path.clone(), asset.bytes.clone()))?;
    }
    // Thousands of views freed on a thread of their own: the build goes on to stage
    // and commit meanwhile (tens of milliseconds at 200 teams).
    let team_quarters = views.team_quarters;
    std::thread::spawn(move || drop(team_quarters));
    Ok(Rendered {
        learnings: views.learnings,
        related,
    })
}

/// Writes the search index of the site's learnings and sections into `sink`; returns
/// its manifest's path.
fn search_index(site: &Site, views: &views::Views<'_>, sink: &dyn Sink) -> Result<String, SinkError> {
    let teams = site.teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect();
    let quarters = site
        .quarters
        .iter()
        .rev()
        .map(|q| (q.quarter.to_string(), views.fmt.quarter(q.quarter)))
        .collect();
    let docs = pages::search_documents(views);
    search::build_into(&docs, teams, quarters, sink)
}

/// Writes the Atom feed and the exports.
fn render_indexes(
    site: &Site,
    scores: &SiteScores,
    views: &views::Views<'_>,
    sink: &dyn Sink,
) -> Result<(), SinkError> {
    let timer = crate::timings::Timer::new();
    if let Some(feed) = feeds::atom(site, &views.learning_texts, views.t.get("bullet")) {
        sink.put(OutputFile::new("feed.xml", feed))?;
    }
    export::okrs_exports(site, scores, &views.learning_texts, |f| sink.put(f))?;
    sink.put(OutputFile::new("api/metrics.json", export_metrics::metrics_json(site)))?;
    sink.put(OutputFile::new("api/scores.csv", export::scores_csv(site, scores)))?;
    timer.lap("feed, exports");
    Ok(())
}
