//! The search index is keyed by content: adding a learning rewrites a handful of
//! files of its own segment (up to four quarters), and every file's name carries its
//! content's hash.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{copy_dir, okrsite, output_files};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample, copied so it can be changed.
fn sample_copy() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("okrsite.toml"), site.path().join("okrsite.toml")).unwrap();
    copy_dir(&repo().join("content"), &site.path().join("content"));
    site
}

/// The files under `search/` of a build of `site` into `out`, by path.
fn search_files(site: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    okrsite()
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
    output_files(out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("search/") && p != "search/index.html")
        .collect()
}

/// A path without its hash: the file it is a version of (`search/s/2026-Q3/1.js`).
fn logical(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('.').collect();
    if parts.len() >= 3 {
        parts.remove(parts.len() - 2);
    }
    parts.join(".")
}

#[test]
fn adding_a_learning_changes_a_handful_of_its_quarters_search_files() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let before = search_files(site.path(), &out.path().join("before"));
    let retro = site.path().join("content/2026-Q2/product.md");
    let text = std::fs::read_to_string(&retro).unwrap();
    let text = text.replacen(
        "## 学び\n\n",
        "## 学び\n\n- 新しい学び: 解約の理由は最初の週に決まる #オンボーディング\n",
        1,
    );
    std::fs::write(&retro, text).unwrap();
    let after = search_files(site.path(), &out.path().join("after"));

    let versions = |files: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, String> {
        files.keys().map(|p| (logical(p), p.clone())).collect()
    };
    let (b, a) = (versions(&before), versions(&after));
    let mut changed = Vec::new();
    for (file, path) in &b {
        match a.get(file) {
            None => changed.push(format!("removed {path}")),
            Some(p) if p != path => changed.push(format!("changed {path} → {p}")),
            _ => {}
        }
    }
    changed.extend(
        a.iter()
            .filter(|(f, _)| !b.contains_key(*f))
            .map(|(_, p)| format!("added {p}")),
    );
    println!(
        "{} of {} search files changed:\n{}",
        changed.len(),
        b.len(),
        changed.join("\n")
    );
    assert!(!changed.is_empty());
    // 2026-Q2 starts the sample's newest segment (quarters are grouped four at a time
    // from the oldest), which is named after it: its shards (every one: the numbers
    // after the new learning shift), its shard list, the quarter's table, the
    // retrospective's document file and the manifest. Before segments of four
    // quarters this was 6 (one segment per quarter); now a query looks in 2 segments,
    // not 5, and the price is that an edit rewrites its segment's shards.
    let shards = changed.iter().filter(|c| c.contains("search/s/2026-Q2/")).count();
    assert!(shards <= 4, "a small segment has at most 4 shards: {changed:#?}");
    assert!(changed.len() <= shards + 4, "{changed:#?}");
    assert!(
        changed
            .iter()
            .all(|c| c.contains("2026-Q2") || c.contains("search/meta.")),
        "another segment's or quarter's files changed: {changed:#?}"
    );
    assert!(changed.iter().any(|c| c.contains("search/d/2026-Q2/product.")));
    // The unchanged files are byte for byte the same.
    for (path, bytes) in &before {
        if let Some(now) = after.get(path) {
            assert_eq!(bytes, now, "{path}");
        }
    }
}

#[test]
fn every_search_file_the_manifest_names_exists_under_its_contents_hash() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let files = search_files(site.path(), out.path());
    let page = std::fs::read_to_string(out.path().join("search/index.html")).unwrap();
    let manifest = (files.keys())
        .find(|p| p.starts_with("search/meta."))
        .expect("a manifest")
        .clone();
    assert!(
        page.contains(&format!("data-index=\"../{manifest}\"")),
        "the page names {manifest}"
    );
    assert!(
        !page.contains("<script>") && !page.contains(" style="),
        "no inline script or style"
    );
    let hash_of = |p: &str| p.rsplit('.').nth(1).unwrap().to_string();
    for (path, bytes) in &files {
        let hash = hash_of(path);
        assert!(hash.len() >= 8, "{path}");
        assert_eq!(hash, okrsite::files::content_hash(bytes, hash.len()), "{path}");
    }
    // The manifest's names, built as search.js builds them.
    let text = String::from_utf8(files[&manifest].clone()).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        text.strip_prefix("okrsiteSearch.meta(")
            .unwrap()
            .strip_suffix(");\n")
            .unwrap(),
    )
    .unwrap();
    let call = |path: &str, what: &str| -> serde_json::Value {
        let text = String::from_utf8(files[path].clone()).unwrap();
        let args = text
            .strip_prefix(&format!("okrsiteSearch.{what}("))
            .unwrap()
            .strip_suffix(");\n")
            .unwrap();
        serde_json::from_str(&format!("[{args}]")).unwrap()
    };
    let mut named = vec![manifest.clone()];
    let segments = json["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 2, "the sample's quarters make two segments");
    for seg in segments {
        let dir = seg["dir"].as_str().unwrap();
        let list_path = format!("search/s/{dir}.{}.js", seg["t"].as_str().unwrap());
        let list = &call(&list_path, "shards")[1];
        named.push(list_path);
        let shards = list["s"].as_array().unwrap();
        for (n, hash) in shards.iter().enumerate() {
            named.push(format!("search/s/{dir}/{n}.{}.js", hash.as_str().unwrap()));
        }
        assert!(shards.len() <= 16, "{dir}: {} shards", shards.len());
        let quarters = seg["quarters"].as_array().unwrap();
        assert!((1..=4).contains(&quarters.len()), "{dir}");
        assert_eq!(
            quarters.last().unwrap()["dir"].as_str().unwrap(),
            dir,
            "a segment is named after its oldest quarter"
        );
        let mut docs = 0;
        for q in quarters {
            let qdir = q["dir"].as_str().unwrap();
            let table_path = format!("search/t/{qdir}.{}.js", q["t"].as_str().unwrap());
            let table = call(&table_path, "table");
            assert_eq!(table[0], q["q"], "{table_path}");
            named.push(table_path);
            let (mut l, mut s) = (0, 0);
            for d in table[1].as_array().unwrap() {
                let doc_path = format!(
                    "search/d/{qdir}/{}.{}.js",
                    d[0].as_str().unwrap(),
                    d[1].as_str().unwrap()
                );
                assert_eq!(
                    d[4].as_u64().unwrap() as usize,
                    files[&doc_path].len(),
                    "{doc_path}'s size"
                );
                named.push(doc_path);
                l += d[2].as_u64().unwrap();
                s += d[3].as_u64().unwrap();
            }
            assert_eq!((l, s), (q["l"].as_u64().unwrap(), q["s"].as_u64().unwrap()), "{qdir}");
            docs += l + s;
        }
        assert_eq!(docs, seg["docs"].as_u64().unwrap(), "{dir}");
    }
    named.sort();
    let written: Vec<String> = files.keys().cloned().collect();
    assert_eq!(named, written, "the manifest names every search file, and only those");
}

#[test]
fn list_items_stay_apart_in_the_built_index() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let files = search_files(site.path(), out.path());
    let product = (files.iter())
        .find(|(p, _)| p.starts_with("search/d/2026-Q2/product."))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .expect("the retrospective's document file");
    // Two items of the 決定事項 list: 「…に集中する」 and 「監査ログの…」. The
    // section's text ends the first with a line break, which no term and no query part
    // can span (JSON writes it as \n).
    assert!(product.contains(r"に集中する\n監査ログの"), "{product:.2000}");
    assert!(!product.contains("集中する監査"));
    // The learnings are documents of their own, each once: not again in their section.
    let learning = "自分で選んだ人と、会社に言われて使う人では";
    assert_eq!(product.matches(learning).count(), 1, "{product:.2000}");
}
