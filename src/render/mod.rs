//! Rendering: the scored site → output files (path relative to the output root, bytes).
//! Nothing here reads content files or decides scores.

pub mod export;

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
pub fn render_site(site: &Site, scores: &SiteScores) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile::new("api/okrs.json", export::okrs_json(site, scores)),
        OutputFile::new("api/scores.csv", export::scores_csv(site, scores)),
        OutputFile::new("index.html", placeholder_index(site)),
    ];
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Until the site's pages exist: a page that names the site and links the exports.
fn placeholder_index(site: &Site) -> String {
    let title = escape_html(&site.config.title);
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n<ul>\n<li><a href=\"api/okrs.json\">api/okrs.json</a></li>\n<li><a href=\"api/scores.csv\">api/scores.csv</a></li>\n</ul>\n</body>\n</html>\n",
        site.config.language.code()
    )
}

/// Escapes text for HTML element content and quoted attribute values.
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
