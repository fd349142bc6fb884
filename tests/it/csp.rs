//! The built site works under `Content-Security-Policy: default-src 'self'`: no page
//! of the sample or of any fixture (the hostile one included) has an inline `style`
//! attribute, a `<style>` element, a script without `src` (but for data blocks the
//! browser does not run), an `on…=` handler or a `javascript:` URL — in its HTML or
//! its inline SVG. Under that policy the browser ignores all of them, so a score bar
//! drawn with an inline width would show a wrong score.

use std::path::Path;

use crate::common::{self, FIXTURE_EPOCH};
use crate::hostile::{Tag, parse_html};

/// Script types a browser does not run: data for the scripts.
const DATA_SCRIPT_TYPES: [&str; 2] = ["application/json", "application/ld+json"];

/// Attributes a browser follows or loads as a URL (a form field's `value` is text).
const URL_ATTRIBUTES: [&str; 7] = ["href", "src", "action", "formaction", "xlink:href", "data", "poster"];

/// What in `tag` the policy would block, if anything.
fn blocked(tag: &Tag) -> Option<String> {
    let attr = |name: &str| tag.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    if tag.name == "style" {
        return Some("a <style> element".into());
    }
    if tag.name == "script" && attr("src").is_none() && !attr("type").is_some_and(|t| DATA_SCRIPT_TYPES.contains(&t)) {
        return Some("an inline <script>".into());
    }
    for (name, value) in &tag.attrs {
        if name == "style" {
            return Some(format!("an inline style=\"{value}\""));
        }
        if name.starts_with("on") {
            return Some(format!("an event handler {name}=\"{value}\""));
        }
        let url: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        if URL_ATTRIBUTES.contains(&name.as_str()) && url.to_ascii_lowercase().starts_with("javascript:") {
            return Some(format!("a javascript: URL in {name}"));
        }
    }
    None
}

/// Every blocked thing in the HTML files under `out`: `file: what in <tag …>`.
fn violations(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pages = 0;
    for (rel, bytes) in common::output_files(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = parse_html(&String::from_utf8_lossy(&bytes));
        for tag in &html.tags {
            if let Some(what) = blocked(tag) {
                let excerpt: String = format!("{:?}", tag.attrs).chars().take(160).collect();
                found.push(format!("{rel}: {what} in <{} {excerpt}>", tag.name));
            }
        }
    }
    assert!(pages > 0, "no HTML in {}", out.display());
    found
}

/// Builds the site at `root` into `out`, "today" fixed by `epoch`.
pub(crate) fn build(root: &Path, epoch: &str, out: &Path) {
    common::okrsite()
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn no_page_of_the_sample_or_a_fixture_needs_more_than_default_src_self() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sites = vec![(sample.to_path_buf(), "1795219200")];
    for dir in common::fixture_dirs("") {
        if dir.join("okrsite.toml").is_file() {
            sites.push((dir, FIXTURE_EPOCH));
        }
    }
    assert!(
        sites.iter().any(|(d, _)| d.ends_with("hostile")),
        "the hostile fixture is checked"
    );
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for (i, (root, epoch)) in sites.iter().enumerate() {
        let out = tmp.path().join(i.to_string());
        build(root, epoch, &out);
        problems.extend(violations(&out).into_iter().map(|p| format!("{}: {p}", root.display())));
    }
    assert!(
        problems.is_empty(),
        "{} blocked:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checker_finds_what_the_policy_blocks() {
    let bad = [
        "<div style=\"width: 40%\"></div>",
        "<style>body{}</style>",
        "<script>alert(1)</script>",
        "<svg><rect onclick=\"x()\"/></svg>",
        "<a href=\" javascript:alert(1)\">x</a>",
    ];
    for html in bad {
        let tags = parse_html(html).tags;
        assert!(tags.iter().any(|t| blocked(t).is_some()), "not caught: {html}");
    }
    let fine = "<script src=\"a.js\"></script><script type=\"application/json\">{}</script><a href=\"x.html\">style=</a><input value=\"javascript:x\">";
    assert!(parse_html(fine).tags.iter().all(|t| blocked(t).is_none()));
}
