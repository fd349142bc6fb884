//! Every URL and output path the renderer makes, relative to the site root
//! (`quarters/2025-Q3/product/index.html`; templates put `{{ root }}` in front),
//! and the folder names they are made of: ids and tags as safe, short, stable names.

use crate::content::retro;
use crate::model::Quarter;

pub fn quarters() -> String {
    "quarters/index.html".into()
}
pub fn quarter(q: Quarter) -> String {
    format!("quarters/{q}/index.html")
}
/// A quarter's KRs at risk, all of them (a file beside the teams' folders, as the
/// booklet is).
pub fn quarter_at_risk(q: Quarter) -> String {
    format!("quarters/{q}/at-risk.html")
}
/// A quarter's alignment tree.
pub fn quarter_alignment(q: Quarter) -> String {
    format!("quarters/{q}/alignment.html")
}
/// A quarter's booklet: every team's review sheet, to print. A file beside the teams'
/// folders, whose names (slugs) never hold a `.`.
pub fn quarter_print(q: Quarter) -> String {
    format!("quarters/{q}/print.html")
}
/// A page of a quarter's booklet split by unit: the unit's teams (`part`: one of
/// several parts of a unit of many). Beside `print.html`, named with `.`s, which no
/// team's folder (a slug) holds.
pub fn quarter_print_part(q: Quarter, unit: &str, part: Option<usize>) -> String {
    match part {
        Some(n) => format!("quarters/{q}/print.{}.{n}.html", file_name(unit)),
        None => format!("quarters/{q}/print.{}.html", file_name(unit)),
    }
}
pub fn review(q: Quarter, team: &str) -> String {
    format!("quarters/{q}/{}/index.html", file_name(team))
}
pub fn teams() -> String {
    "teams/index.html".into()
}
pub fn team(id: &str) -> String {
    format!("teams/{}/index.html", file_name(id))
}
pub fn metrics() -> String {
    "metrics/index.html".into()
}
pub fn metric(id: &str) -> String {
    format!("metrics/{}/index.html", file_name(id))
}
pub fn learnings() -> String {
    "learnings/index.html".into()
}
pub fn tags() -> String {
    "tags/index.html".into()
}
pub fn tag(tag: &str) -> String {
    format!("tags/{}/index.html", tag_key(tag))
}
pub fn search() -> String {
    "search/index.html".into()
}
/// The search page with filters set (`[("team", "product"), ("tag", "pricing")]`),
/// as its script reads them from the query string; empty values are left out.
/// A relative link with a query string works from file:// and under a sub-path.
pub fn search_filtered(filters: &[(&str, &str)]) -> String {
    let query: Vec<String> = filters
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", query_encode(value)))
        .collect();
    if query.is_empty() {
        search()
    } else {
        format!("{}?{}", search(), query.join("&"))
    }
}

/// A query-string value: bytes other than ASCII letters, digits and `-._~` as
/// `%XX` (UTF-8), so `&`, `=`, `#`, `+` and spaces in a tag stay in its value.
fn query_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An objective's place on its team-quarter's review page.
pub fn objective(q: Quarter, team: &str, objective: &str) -> String {
    format!("{}#{}", review(q, team), objective_anchor(objective))
}
/// A learning's place on its team-quarter's review page.
pub fn learning(q: Quarter, team: &str, anchor: &str) -> String {
    format!("{}#{anchor}", review(q, team))
}
pub fn objective_anchor(id: &str) -> String {
    format!("objective-{id}")
}
pub fn kr_anchor(objective: &str, kr: &str) -> String {
    format!("kr-{objective}-{kr}")
}

/// Public URL of a page: `base_url` + its path, without a trailing `index.html`,
/// escaped ([`escape_path`]): what the feed, the sitemap and canonical links hold,
/// so a tag page is `…/tags/%E4%BE%A1%E6%A0%BC/`, plain ASCII, as a sitemap needs.
pub fn public(base: &str, path: &str) -> String {
    format!("{base}{}", escape_path(path.strip_suffix("index.html").unwrap_or(path)))
}

/// A page's canonical URL under an absolute `base`: its [`public`] URL.
pub fn canonical(base: &str, path: &str) -> String {
    public(base, path)
}

/// A path as a URI's path (RFC 3986): each byte of its UTF-8 other than a `pchar`
/// (unreserved, sub-delims, `:`, `@`) or `/` as `%XX`. What a browser sends for
/// the page's relative links, and what a server decodes back to the folder name.
/// (`&` stays: XML and HTML escape it where the URL is written.)
pub fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The index of the OKR exports, which every page's footer links.
pub const OKRS_INDEX: &str = "api/okrs.json";

/// A quarter's OKR export as the index names it, relative to the index.
pub fn quarter_export_from_index(q: Quarter) -> String {
    format!("okrs/{q}.json")
}

/// A quarter's OKR export's output path.
pub fn quarter_export(q: Quarter) -> String {
    format!("api/{}", quarter_export_from_index(q))
}

/// The URL of a learning in the exports: its anchor in the team's review, under
/// `base_url` (the team id as it is, not [`file_name`]).
pub fn learning_export(base_url: &str, quarter: &str, team: &str, anchor: &str) -> String {
    format!("{base_url}quarters/{quarter}/{team}/#{anchor}")
}

/// `../` once per folder between the page and the site root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The not-found page's path. A web server shows it in place of any missing URL
/// (nginx's `error_page 404 /404.html`, `serve`), at whatever depth.
pub const NOT_FOUND: &str = "404.html";

/// What a page's links start with to reach the site root. Every page's links are
/// relative ([`root_of`]), so the same output works at `/`, under a sub-path and
/// from disk; the not-found page's are root-absolute, `base_url`'s path (`/`,
/// `/okr/`), since the browser resolves them against the missing URL it asked for
/// (`/teams/nope/x/`), not against `404.html`. (Opened from disk, where no server
/// shows it, it is unstyled: `file:///assets/…`.)
pub fn page_root(path: &str, base: &crate::base_url::BaseUrl) -> String {
    if path == NOT_FOUND {
        base.path().to_string()
    } else {
        root_of(path)
    }
}

/// Page `n` of a list whose first page is `first` (`…/index.html`): `…/page/n/index.html`.
pub fn paged_path(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{}page/{n}/index.html", first.trim_end_matches("index.html"))
    }
}

/// The longest file or folder name okrsite derives from content, in bytes: well
/// under the 255 most file systems allow, so the whole path stays short too.
pub const MAX_NAME_BYTES: usize = 100;

/// Hex digits of the hash that keeps shortened or altered names apart.
const HASH_DIGITS: usize = 12;

/// An id (a team's or a metric's: slugs, so never holding `~`) as a folder name:
/// the id itself up to [`MAX_NAME_BYTES`], else its start and a hash of all of it.
pub fn file_name(id: &str) -> std::borrow::Cow<'_, str> {
    if id.len() <= MAX_NAME_BYTES {
        id.into()
    } else {
        with_hash(id, id).into()
    }
}

/// The start of `readable` (cut on a character boundary), `~` and a hash of
/// `full`: at most [`MAX_NAME_BYTES`] bytes.
fn with_hash(readable: &str, full: &str) -> String {
    let budget = MAX_NAME_BYTES - 1 - HASH_DIGITS;
    let mut cut = readable.len().min(budget);
    while !readable.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = stable_hash(full.as_bytes()) >> (64 - 4 * HASH_DIGITS);
    format!("{}~{hash:0w$x}", &readable[..cut], w = HASH_DIGITS)
}

/// A tag's folder name under `tags/`: one plain path segment whatever the tag says
/// (a front-matter tag is free text), the same for every spelling of one tag
/// ([`retro::tag_identity`]: NFKC and lower case, so `#Pricing`, `#pricing` and
/// `#Ｐｒｉｃｉｎｇ` share a page, which also keeps folders apart on case-insensitive
/// file systems), and different for different tags. Aliases are not applied here:
/// the model's tags already have their site-wide spelling (`content/resolve/retros.rs`);
/// a tag as written in a body goes through `TagAliases::file_under` first.
///
/// A tag made only of what a `#tag` may hold (letters and digits of any script,
/// `_`, `-`) is its own folder name, lower-cased: `pricing`, `価格`. Anything else
/// (`/`, `.`, `%`, `?`, `#`, spaces, control characters…) becomes `_` and the name
/// gets `~` and a hash of the tag, as does a name over [`MAX_NAME_BYTES`] (cut
/// short) and a name Windows reserves (`con`, `nul`…): `a.b` is `a_b~…`, never
/// `a_b`. `~` is in no plain name, so the two kinds never meet.
pub fn tag_key(tag: &str) -> String {
    let identity = retro::tag_identity(tag);
    let readable: String = identity
        .chars()
        .map(|c| if retro::is_tag_char(c) { c } else { '_' })
        .collect();
    let plain = readable == identity
        && !readable.is_empty()
        && readable.len() <= MAX_NAME_BYTES
        && !is_windows_device(&readable);
    if plain {
        readable
    } else if readable.is_empty() {
        with_hash("_", &identity)
    } else {
        with_hash(&readable, &identity)
    }
}

/// 64-bit FNV-1a: the same on every machine and in every version, so a name
/// made with it stays the same URL.
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Names Windows keeps for devices, whatever follows a dot.
fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    matches!(stem, "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_tags_keep_their_folder_name() {
        for (tag, key) in [
            ("pricing", "pricing"),
            ("Pricing", "pricing"),
            ("価格", "価格"),
            ("okr-運営", "okr-運営"),
            ("a_b", "a_b"),
        ] {
            assert_eq!(tag_key(tag), key);
        }
    }

    #[test]
    fn every_tag_is_one_plain_path_segment_of_at_most_100_bytes() {
        let long = "長".repeat(90);
        for tag in [
            "",
            ".",
            "..",
            "../../x",
            "a/b",
            "a\\b",
            "%2e%2e",
            "con",
            "NUL.txt",
            "a\u{0}b",
            "\u{202e}x",
            long.as_str(),
        ] {
            let key = tag_key(tag);
            assert!(!key.is_empty() && key.len() <= MAX_NAME_BYTES, "{tag:?} → {key:?}");
            assert!(
                key.chars().all(|c| retro::is_tag_char(c) || c == '~'),
                "{tag:?} → {key:?}"
            );
            assert!(key != "." && key != "..");
        }
        let key = tag_key(&long);
        assert!(key.starts_with(&"長".repeat(29)) && key.contains('~'), "{key}");
        assert_eq!(tag_key(&long), key, "stable");
    }

    #[test]
    fn spellings_of_one_tag_share_a_name_and_different_tags_do_not() {
        assert_eq!(tag_key("caf\u{e9}"), tag_key("CAFE\u{301}"));
        let keys: Vec<String> = ["a.b", "a b", "a_b", "a/b", "A.B"].iter().map(|t| tag_key(t)).collect();
        assert_eq!(keys[0], keys[4]);
        let mut distinct = keys[..4].to_vec();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{keys:?}");
        // A tag written like another's hashed name keeps a plain name of its own.
        let hashed = tag_key("a.b");
        assert_ne!(tag_key(&hashed.replace('~', "-")), hashed);
    }

    #[test]
    fn places_on_pages_and_public_urls() {
        let q = Quarter { year: 2025, number: 3 };
        assert_eq!(
            objective(q, "product", "o1"),
            "quarters/2025-Q3/product/index.html#objective-o1"
        );
        assert_eq!(learning(q, "product", "l-1"), "quarters/2025-Q3/product/index.html#l-1");
        assert_eq!(
            public("https://x.test/", "teams/a/index.html"),
            "https://x.test/teams/a/"
        );
        assert_eq!(public("https://x.test/", "feed.xml"), "https://x.test/feed.xml");
        assert_eq!(canonical("https://x.test/", "index.html"), "https://x.test/");
        assert_eq!(
            public("https://x.test/okr/", "tags/価格/index.html"),
            "https://x.test/okr/tags/%E4%BE%A1%E6%A0%BC/"
        );
        assert_eq!(
            escape_path("tags/a b%c#d?e\"f<g>h^i`j{k|l}m[n]o/&'!@:"),
            "tags/a%20b%25c%23d%3Fe%22f%3Cg%3Eh%5Ei%60j%7Bk%7Cl%7Dm%5Bn%5Do/&'!@:"
        );
        assert_eq!(
            learning_export("/", "2025-Q3", "product", "l-1"),
            "/quarters/2025-Q3/product/#l-1"
        );
    }

    #[test]
    fn roots_and_later_pages() {
        assert_eq!(root_of("index.html"), "");
        let base = |b| crate::base_url::BaseUrl::parse(b).unwrap();
        assert_eq!(page_root(NOT_FOUND, &base("/")), "/");
        assert_eq!(page_root(NOT_FOUND, &base("/okr")), "/okr/");
        assert_eq!(page_root(NOT_FOUND, &base("https://intra.example.com/okr/")), "/okr/");
        assert_eq!(page_root("teams/x/index.html", &base("/okr/")), "../../");
        assert_eq!(root_of("quarters/2025-Q3/product/index.html"), "../../../");
        assert_eq!(paged_path("learnings/index.html", 1), "learnings/index.html");
        assert_eq!(paged_path("tags/x/index.html", 3), "tags/x/page/3/index.html");
    }

    #[test]
    fn long_ids_get_short_folder_names() {
        assert_eq!(file_name("product"), "product");
        let long = "t".repeat(150);
        let name = file_name(&long);
        assert!(name.len() <= MAX_NAME_BYTES && name.starts_with("ttt") && name.contains('~'));
        assert_ne!(file_name(&"t".repeat(151)), name);
    }

    #[test]
    fn filtered_search_links_carry_their_filters_encoded() {
        assert_eq!(search_filtered(&[]), "search/index.html");
        assert_eq!(
            search_filtered(&[("team", "product"), ("quarter", "")]),
            "search/index.html?team=product"
        );
        assert_eq!(
            search_filtered(&[("team", "product"), ("tag", "価格")]),
            "search/index.html?team=product&tag=%E4%BE%A1%E6%A0%BC"
        );
        assert_eq!(
            search_filtered(&[("tag", "a&b=c #d+e")]),
            "search/index.html?tag=a%26b%3Dc%20%23d%2Be"
        );
    }
}
