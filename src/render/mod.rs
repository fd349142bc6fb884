//! Rendering: the scored site → output files (path relative to the output root, bytes).
//! Nothing here reads content files or decides scores.

pub mod charts;
pub mod export;
pub mod feeds;
pub mod format;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod theme;
pub mod views;

use crate::model::Site;
use crate::score::SiteScores;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators, e.g. `api/okrs.json`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Every file of the site, in a stable order.
pub fn render_site(site: &Site, scores: &SiteScores, theme: &theme::Theme) -> Result<Vec<OutputFile>, String> {
    let views = views::Views::new(site, scores, &theme.strings);
    let mut files = pages::render_pages(&views, theme)?;
    let mut html_pages: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    html_pages.sort();
    let sitemap = feeds::sitemap(site, &html_pages);
    files.push(OutputFile::new("sitemap.xml", sitemap));
    files.push(OutputFile::new("feed.xml", feeds::atom(site)));
    let teams = site.teams.iter().map(|t| (t.id.clone(), t.name.clone())).collect();
    let quarters = site
        .quarters
        .iter()
        .rev()
        .map(|q| (q.quarter.to_string(), views.fmt.quarter(q.quarter)))
        .collect();
    files.extend(search::build(&pages::search_documents(&views), teams, quarters));
    files.push(OutputFile::new("api/okrs.json", export::okrs_json(site, scores)));
    files.push(OutputFile::new("api/scores.csv", export::scores_csv(site, scores)));
    for (name, bytes) in theme::STATIC {
        files.push(OutputFile::new(format!("assets/{name}"), bytes.to_vec()));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Escapes text for HTML element content and quoted attribute values (and XML).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
