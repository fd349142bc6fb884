//! `feed.xml` (Atom, one entry per retrospective) and `sitemap.xml`: the files
//! that need absolute URLs, so they are written only under an absolute `base_url`
//! (a relative one gets a warning from `build`, [`crate::build`]'s
//! `relative_base_url_warning`). Every URL is escaped ([`urls::public`]): ASCII.

use super::urls;
use super::views::LearningTexts;
use crate::model::Site;
use crate::text::escape_html;

/// Escapes text for XML; characters XML 1.0 does not allow (most C0 controls,
/// U+FFFE, U+FFFF), which YAML escapes can put into any text, become U+FFFD.
fn esc(s: &str) -> String {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    escape_html(
        &s.chars()
            .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
            .collect::<String>(),
    )
}

/// The Atom feed, or `None` under a relative `base_url`: Atom's ids and links
/// must be absolute IRIs. The feed's id is the site's URL and each entry's its
/// review page's, so neither changes when a title does.
///
/// `texts`: the learnings' text with their placeholders' values in; `bullet`: what
/// each learning of an entry's summary starts with, in the site's language
/// (the catalogue's `bullet`: `• ` / `・`).
pub fn atom(site: &Site, texts: &LearningTexts, bullet: &str) -> Option<String> {
    let base = &site.config.base_url;
    if !base.is_absolute() {
        return None;
    }
    let mut entries: Vec<(String, String)> = Vec::new();
    // Atom wants an author on the feed unless every entry names one.
    let mut unsigned = false;
    for q in &site.quarters {
        for tq in &q.teams {
            let Some(r) = &tq.retro else { continue };
            let updated = r.date.unwrap_or(q.end);
            let url = urls::public(base, &urls::review(q.quarter, &tq.team));
            let summary: Vec<String> = r
                .learnings
                .iter()
                .map(|l| format!("{bullet}{}", texts.text(l)))
                .collect();
            unsigned |= r.authors.is_empty();
            let authors: String = r
                .authors
                .iter()
                .map(|a| format!("<author><name>{}</name></author>", esc(a)))
                .collect();
            let entry = format!(
                "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><updated>{}T00:00:00Z</updated>{}<summary>{}</summary></entry>\n",
                esc(&r.title),
                esc(&url),
                esc(&url),
                updated,
                authors,
                esc(&summary.join("\n")),
            );
            entries.push((format!("{updated}{}{}", q.quarter, tq.team), entry));
        }
    }
    // Newest first; the sort key makes the order stable.
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    let updated = site
        .quarters
        .iter()
        .flat_map(|q| {
            q.teams
                .iter()
                .filter_map(move |tq| tq.retro.as_ref().map(|r| r.date.unwrap_or(q.end)))
        })
        .max()
        // No retrospective yet: a date of the content, never today's, so the feed
        // stays the same until the content changes.
        .or_else(|| site.quarters.iter().map(|q| q.start).max())
        .unwrap_or(jiff::civil::Date::constant(1970, 1, 1));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        site.config.language.code()
    );
    out.push_str(&format!(
        "<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}\"/>\n<updated>{updated}T00:00:00Z</updated>\n",
        esc(&site.config.title),
        esc(base),
        esc(base),
        esc(&urls::public(base, "feed.xml")),
    ));
    if unsigned {
        out.push_str(&format!("<author><name>{}</name></author>\n", esc(&site.config.title)));
    }
    for (_, e) in entries {
        out.push_str(&e);
    }
    out.push_str("</feed>\n");
    Some(out)
}

/// The sitemap of `pages`, or `None` under a relative `base_url`: a sitemap's
/// `<loc>`s must be absolute URLs.
pub fn sitemap(site: &Site, pages: &[&str]) -> Option<String> {
    let base = &site.config.base_url;
    if !base.is_absolute() {
        return None;
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        out.push_str(&format!("<url><loc>{}</loc></url>\n", esc(&urls::public(base, p))));
    }
    out.push_str("</urlset>\n");
    Some(out)
}
