//! What a host publishes: a sitemap and a feed that validate (absolute, escaped,
//! ASCII URLs; ids that survive a title change), none of them under a relative
//! `base_url` (with a warning saying why), and pages that do not change with
//! "today" alone, so a rebuild on a later day uploads only what a day changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::{copy_dir, output_files};

/// Days as `SOURCE_DATE_EPOCH`: the sample's 2026-Q3 (Oct–Dec, a fiscal year from
/// April) runs on the first two; every quarter has ended on the last two.
const NOV_21: &str = "1795219200";
const NOV_22: &str = "1795305600";
const FEB_10: &str = "1802217600";
const FEB_11: &str = "1802304000";

const SAMPLE_URL: &str = "https://okr.example.com/";

/// A copy of the sample (okrsite.toml and content/) with `edit` applied to its
/// okrsite.toml; `as_of` is taken out, so "today" is the build's day.
fn sample(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("content"), &dir.path().join("content"));
    let toml = std::fs::read_to_string(root.join("okrsite.toml")).unwrap();
    assert!(toml.contains("\nas_of = "), "the sample pins today: {toml}");
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("as_of"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("okrsite.toml"), edit(&toml)).unwrap();
    dir
}

fn okrsite(epoch: &str) -> Command {
    let mut c = Command::cargo_bin("okrsite").unwrap();
    c.env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .env("OKRSITE_LANG", "en");
    c
}

/// Builds `root` on the day `epoch` into `<dir>/<name>`; returns it and what the build said.
fn build(root: &Path, epoch: &str, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let out = root.join(name);
    let done = okrsite(epoch)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (out, String::from_utf8_lossy(&done.get_output().stderr).into_owned())
}

/// The files of two builds whose bytes differ (or that only one has).
fn changed(a: &Path, b: &Path) -> BTreeSet<String> {
    let (a, b) = (output_files(a), output_files(b));
    let names: BTreeSet<&String> = a.iter().chain(&b).map(|(n, _)| n).collect();
    let find =
        |files: &[(String, Vec<u8>)], n: &str| files.iter().find(|(m, _)| m == n).map(|(_, bytes)| bytes.clone());
    names
        .into_iter()
        .filter(|n| find(&a, n) != find(&b, n))
        .map(|n| n.to_string())
        .collect()
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn with_every_quarter_ended_a_rebuild_a_day_later_changes_no_page() {
    let site = sample(str::to_string);
    let (day1, _) = build(site.path(), FEB_10, "day1", &[]);
    let (day2, _) = build(site.path(), FEB_11, "day2", &[]);
    let pages = output_files(&day1)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .count();
    assert!(pages > 100, "only {pages} pages");
    // Only the exports change: they state the day their statuses hold for (`today`).
    let changed = changed(&day1, &day2);
    assert_eq!(
        changed,
        BTreeSet::from(["api/metrics.json".to_string(), "api/okrs.json".to_string()]),
        "files that changed with the day alone"
    );
    // No page says as of which day it stands (the sample is Japanese): nothing on
    // it depends on the day.
    for (name, bytes) in output_files(&day1).iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("2027年2月10日"), "{name} says as of which day");
        assert!(!html.contains("日前）"), "{name} counts days since the newest point");
    }
}

#[test]
fn with_a_running_quarter_a_day_later_changes_only_the_pages_showing_it() {
    let site = sample(str::to_string);
    let (day1, _) = build(site.path(), NOV_21, "day1", &[]);
    let (day2, _) = build(site.path(), NOV_22, "day2", &[]);
    let changed = changed(&day1, &day2);
    let showing_it = |n: &str| n == "index.html" || n.starts_with("quarters/2026-Q3/") || n.starts_with("api/");
    let others: Vec<&String> = changed.iter().filter(|n| !showing_it(n)).collect();
    assert!(others.is_empty(), "changed with the day alone: {others:?}");
    for page in [
        "index.html",
        "quarters/2026-Q3/index.html",
        "quarters/2026-Q3/product/index.html",
        "quarters/2026-Q3/print.html",
    ] {
        assert!(changed.contains(page), "{page} does not change: {changed:?}");
    }
    // They say as of which day: in the footer, and on the printed sheet.
    let review = read(&day1, "quarters/2026-Q3/product/index.html");
    assert!(review.contains(" · 2026年11月21日時点 · "), "the footer's date");
    assert!(
        review.contains("<span class=\"print-only as-of\">2026年11月21日時点</span>"),
        "the printed sheet's date"
    );
    let ended = read(&day1, "quarters/2026-Q2/product/index.html");
    assert!(
        !ended.contains("2026年11月21日"),
        "an ended quarter's review is not dated"
    );
}

/// `<loc>` texts of a sitemap (XML-unescaped).
fn locs(sitemap: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(sitemap).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect()
}

/// `%XX` sequences back to bytes, then UTF-8.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sitemap_locs_are_absolute_escaped_ascii_and_name_every_page() {
    let site = sample(str::to_string);
    let (out, said) = build(site.path(), NOV_21, "out", &[]);
    assert!(!said.contains("sitemap"), "no warning for an absolute base_url: {said}");
    let locs = locs(&read(&out, "sitemap.xml"));
    let pages: BTreeSet<String> = output_files(&out)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.ends_with(".html") && n != "404.html")
        .collect();
    assert_eq!(locs.len(), pages.len());
    let mut named = BTreeSet::new();
    for loc in &locs {
        assert!(loc.is_ascii() && !loc.contains([' ', '"', '<', '>']), "{loc}");
        let path = loc
            .strip_prefix(SAMPLE_URL)
            .unwrap_or_else(|| panic!("not absolute under the base: {loc}"));
        // Each names a page that exists, once decoded as a server decodes it.
        let file = percent_decode(path);
        let file = if file.is_empty() || file.ends_with('/') {
            format!("{file}index.html")
        } else {
            file
        };
        assert!(pages.contains(&file), "{loc} names no page ({file})");
        named.insert(file);
    }
    assert_eq!(named, pages, "every page once");
    // A Japanese tag's page, escaped as RFC 3986 says (UTF-8, upper-case hex).
    let upsell = format!("{SAMPLE_URL}tags/%E3%82%A2%E3%83%83%E3%83%97%E3%82%BB%E3%83%AB/");
    assert!(locs.contains(&upsell), "{locs:?}");
    // The canonical link is the same URL.
    let tag_page = read(&out, "tags/アップセル/index.html");
    assert!(tag_page.contains(&format!("<link rel=\"canonical\" href=\"{upsell}\">")));
}

#[test]
fn a_relative_base_url_gives_no_sitemap_or_feed_and_a_warning_that_says_what_to_set() {
    let site = sample(|toml| toml.replace(&format!("base_url = \"{SAMPLE_URL}\""), "base_url = \"/okr/\""));
    let checked = okrsite(NOV_21)
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .code(1);
    let said = String::from_utf8_lossy(&checked.get_output().stderr).into_owned();
    assert!(said.contains("0 errors, 1 warning"), "{said}");
    for part in [
        "okrsite.toml:",
        "base_url `/okr/` is not an absolute URL",
        "sitemap.xml and feed.xml are not written",
        "base_url = \"https://okr.example.co.jp/\"",
        "--base-url",
    ] {
        assert!(said.contains(part), "the warning lacks {part:?}: {said}");
    }
    let (out, said) = build(site.path(), NOV_21, "relative", &[]);
    assert!(
        said.contains("sitemap.xml and feed.xml are not written"),
        "build warns too: {said}"
    );
    assert!(!out.join("sitemap.xml").exists() && !out.join("feed.xml").exists());
    for (name, bytes) in output_files(&out).iter().filter(|(n, _)| n.ends_with(".html")) {
        assert!(
            !String::from_utf8_lossy(bytes).contains("feed.xml"),
            "{name} links the missing feed"
        );
    }
    // `--base-url` wins over the config's: both files, no warning.
    let (out, said) = build(
        site.path(),
        NOV_21,
        "absolute",
        &["--base-url", "https://intra.example.com/okr/"],
    );
    assert!(said.contains("0 errors, 0 warnings"), "{said}");
    assert!(out.join("sitemap.xml").is_file() && out.join("feed.xml").is_file());
    assert!(read(&out, "index.html").contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

/// The feed's id and its entries' ids, in order.
fn feed_ids(feed: &str) -> (String, Vec<String>) {
    let doc = roxmltree::Document::parse(feed).unwrap();
    let root = doc.root_element();
    let id = |n: roxmltree::Node| {
        n.children()
            .find(|c| c.has_tag_name("id"))
            .and_then(|c| c.text())
            .unwrap()
            .to_string()
    };
    let entries = root.children().filter(|n| n.has_tag_name("entry")).map(id).collect();
    (id(root), entries)
}

#[test]
fn feed_ids_are_the_sites_and_reviews_urls_and_survive_title_changes() {
    let site = sample(str::to_string);
    let (before, _) = build(site.path(), FEB_10, "before", &[]);
    let (feed_id, entry_ids) = feed_ids(&read(&before, "feed.xml"));
    assert_eq!(feed_id, SAMPLE_URL);
    assert!(entry_ids.len() >= 40, "{entry_ids:?}");
    let unique: BTreeSet<&String> = entry_ids.iter().collect();
    assert_eq!(unique.len(), entry_ids.len(), "an id per entry");
    for id in &entry_ids {
        assert!(id.starts_with(SAMPLE_URL) && id.is_ascii() && !id.contains(' '), "{id}");
        let page = format!("{}index.html", percent_decode(id.strip_prefix(SAMPLE_URL).unwrap()));
        assert!(before.join(&page).is_file(), "{id} is no page");
    }
    let feed_authors = |feed: &str| {
        let doc = roxmltree::Document::parse(feed).unwrap();
        doc.root_element()
            .children()
            .filter(|n| n.has_tag_name("author"))
            .count()
    };
    assert_eq!(
        feed_authors(&read(&before, "feed.xml")),
        0,
        "every entry has its authors"
    );
    // Rename the site and a retrospective (and drop its authors): the ids stay.
    let toml = site.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("title = \"TaskFlow OKR\"", "title = \"Renamed & Co\"");
    std::fs::write(&toml, text).unwrap();
    let retro = site.path().join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&retro).unwrap();
    let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap().to_string();
    let text = text.replacen(&title_line, "title: \"A new title: <b>\"", 1);
    let authors_line = text.lines().find(|l| l.starts_with("authors:")).unwrap().to_string();
    std::fs::write(&retro, text.replacen(&format!("{authors_line}\n"), "", 1)).unwrap();
    let (after, _) = build(site.path(), FEB_10, "after", &[]);
    let feed = read(&after, "feed.xml");
    assert!(feed.contains("<title>Renamed &amp; Co</title>") && feed.contains("A new title: &lt;b&gt;"));
    assert_eq!(feed_ids(&feed), (feed_id, entry_ids));
    // An entry without authors: Atom then wants one on the feed.
    assert_eq!(feed_authors(&feed), 1, "{feed}");
}
