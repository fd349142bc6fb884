//! `feed.xml` (Atom, one entry per retrospective) and `sitemap.xml`: the files
//! that need absolute URLs, so they are written only under an absolute `base_url`
//! (a relative one gets a warning from `build`, [`crate::build`]'s
//! `relative_base_url_warning`). Every URL is escaped ([`urls::public`]): ASCII.

use super::urls;
use super::views::LearningTexts;
use crate::domain::{Quarter, TeamId};
use crate::model::{Retrospective, Site};
use crate::text::escape_html;
use jiff::civil::Date;

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

/// The most characters of learnings an entry's summary holds: the feed says what is
/// new and links the review, so a retrospective with a hundred learnings does not make
/// the feed as long as its page (50 entries stay well under 500 KB).
pub const SUMMARY_CHARS: usize = 2_000;

/// The Atom feed, or `None` under a relative `base_url`: Atom's ids and links
/// must be absolute IRIs. The feed's id is the site's URL and each entry's its
/// review page's, so neither changes when a title does. It holds the newest
/// `feed_entries` retrospectives ([`newest_retros`]).
///
/// `texts`: the learnings' text with their placeholders' values in; `bullet`: what
/// each learning of an entry's summary starts with, in the site's language
/// (the catalogue's `bullet`: `• ` / `・`).
pub fn atom(site: &Site, texts: &LearningTexts, bullet: &str) -> Option<String> {
    let base = &site.config.base_url;
    if !base.is_absolute() {
        return None;
    }
    let retros = newest_retros(site, site.config.feed_entries);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        site.config.language.code()
    );
    out.push_str(&format!(
        "<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}\"/>\n<updated>{}T00:00:00Z</updated>\n",
        esc(&site.config.title),
        esc(base),
        esc(base),
        esc(&urls::public(base, "feed.xml")),
        feed_updated(site, &retros),
    ));
    // Atom wants an author on the feed unless every entry names one.
    if retros.iter().any(|r| r.retro.authors.is_empty()) {
        out.push_str(&format!("<author><name>{}</name></author>\n", esc(&site.config.title)));
    }
    for r in &retros {
        let url = urls::public(base, &urls::review(r.quarter, r.team));
        let authors: String = (r.retro.authors.iter())
            .map(|a| format!("<author><name>{}</name></author>", esc(a)))
            .collect();
        out.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><updated>{}T00:00:00Z</updated>{}<summary>{}</summary></entry>\n",
            esc(&r.retro.title),
            esc(&url),
            esc(&url),
            r.updated,
            authors,
            esc(&summary(r.retro, texts, bullet)),
        ));
    }
    out.push_str("</feed>\n");
    Some(out)
}

/// A retrospective as the feed places it.
struct FeedRetro<'a> {
    updated: Date,
    quarter: Quarter,
    team: &'a TeamId,
    retro: &'a Retrospective,
}

/// The `n` newest retrospectives, newest first: by `date` (else the quarter's end),
/// then quarter, then team id, all descending, so retrospectives of one day keep
/// one order from build to build.
fn newest_retros(site: &Site, n: usize) -> Vec<FeedRetro<'_>> {
    let mut retros: Vec<FeedRetro<'_>> = (site.quarters.iter())
        .flat_map(|q| {
            q.teams.iter().filter_map(move |tq| {
                let retro = tq.retro.as_ref()?;
                Some(FeedRetro {
                    updated: retro.date.unwrap_or(q.end),
                    quarter: q.quarter,
                    team: &tq.team,
                    retro,
                })
            })
        })
        .collect();
    let key = |r: &FeedRetro<'_>| (r.updated, r.quarter, r.team.to_string());
    retros.sort_by_key(|r| std::cmp::Reverse(key(r)));
    retros.truncate(n);
    retros
}

/// The feed's `<updated>`: its newest entry's. With no retrospective yet, the newest
/// quarter's start: a date of the content, never today's, so the feed stays the same
/// until the content changes.
fn feed_updated(site: &Site, newest: &[FeedRetro<'_>]) -> Date {
    (newest.first().map(|r| r.updated))
        .or_else(|| site.quarters.iter().map(|q| q.start).max())
        .unwrap_or(Date::constant(1970, 1, 1))
}

/// An entry's summary: its learnings, one a line, up to [`SUMMARY_CHARS`]; a
/// learning cut short ends with `…`, and the ones after it are left out.
fn summary(retro: &Retrospective, texts: &LearningTexts, bullet: &str) -> String {
    let mut out = String::new();
    let mut room = SUMMARY_CHARS;
    for l in &retro.learnings {
        let line = format!("{}{bullet}{}", if out.is_empty() { "" } else { "\n" }, texts.text(l));
        let chars = line.chars().count();
        if chars > room {
            out.extend(line.chars().take(room.saturating_sub(1)));
            out.push('…');
            break;
        }
        out.push_str(&line);
        room -= chars;
    }
    out
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
