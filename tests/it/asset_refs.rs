//! Every generated asset a page references carries the hash of its content in its
//! name, and the file with that name exists: a cached copy can never stand in for a
//! newer file after a redeploy (issue 21).

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{okrsite, output_files};

fn build(root: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    okrsite()
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
    output_files(out).into_iter().collect()
}

/// The values of `href`, `src`, `data-index` (the search manifest) and `data-teams`
/// (the team picker's data) attributes in `html`.
fn references(html: &str) -> Vec<&str> {
    let mut refs = Vec::new();
    for attr in [" href=\"", " src=\"", " data-index=\"", " data-teams=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            refs.push(&rest[..end]);
        }
    }
    refs
}

/// `reference` from the page at `page`, as a path from the site root; `None` for
/// links that leave the site.
fn resolve(page: &str, reference: &str) -> Option<String> {
    if reference.contains("://") || reference.starts_with('#') || reference.starts_with("mailto:") {
        return None;
    }
    let reference = reference.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = if let Some(abs) = reference.strip_prefix('/') {
        return Some(abs.to_string());
    } else {
        page.split('/').collect()
    };
    parts.pop();
    for seg in reference.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The hash part of `assets/okrsite.<hash>.css`, if the name has one.
fn hash_in_name(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let mut parts = name.rsplit('.');
    parts.next()?;
    let hash = parts.next()?;
    (hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}

fn check_site(root: &Path) -> usize {
    let out = tempfile::tempdir().unwrap();
    let files = build(root, out.path());
    let mut checked = 0;
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for reference in references(&html) {
            let Some(target) = resolve(page, reference) else {
                continue;
            };
            let generated = target.starts_with("assets/") || target.starts_with("search/");
            if !generated || target.ends_with(".html") || target.ends_with('/') {
                continue;
            }
            let hash =
                hash_in_name(&target).unwrap_or_else(|| panic!("{page}: {reference} has no content hash in its name"));
            let content = files
                .get(&target)
                .unwrap_or_else(|| panic!("{page}: {reference} names {target}, which was not written"));
            assert_eq!(
                hash,
                okrsite::files::content_hash(content, hash.len()),
                "{page}: {target} is not named by its content's hash"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_asset_a_page_references_is_named_by_its_contents_hash_and_exists() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for root in [repo.to_path_buf(), repo.join("tests/fixtures/english")] {
        let checked = check_site(&root);
        // Every page links the stylesheet and the icon; the search page its script
        // and manifest: hundreds of references, all checked.
        assert!(checked > 100, "{}: only {checked} references checked", root.display());
    }
}

#[test]
fn references_resolve_as_a_browser_resolves_them() {
    assert_eq!(
        resolve(
            "quarters/2026-Q3/product/index.html",
            "../../../assets/okrsite.0123abcd.css"
        )
        .as_deref(),
        Some("assets/okrsite.0123abcd.css")
    );
    assert_eq!(
        resolve("404.html", "/assets/a.0123abcd.svg").as_deref(),
        Some("assets/a.0123abcd.svg")
    );
    assert_eq!(resolve("index.html", "https://x.test/a.css"), None);
    assert_eq!(hash_in_name("assets/okrsite.css"), None);
    assert_eq!(
        hash_in_name("search/meta.0123abcd89ef0123.js"),
        Some("0123abcd89ef0123")
    );
}
