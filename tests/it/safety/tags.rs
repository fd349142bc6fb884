//! Issue 15 regression tests: tags, anchors and file names made from content.

use super::*;

/// The base fixture with its retrospective replaced by `retro` (front matter and body).
fn site_with_retro(retro: &str) -> tempfile::TempDir {
    let site = common::site(None);
    std::fs::write(site.path().join("content/2025-Q3/product.md"), retro).unwrap();
    site
}

fn check(root: &Path, strict: bool) -> Output {
    let mut c = okrsite();
    c.args(["check", "--root"]).arg(root);
    if strict {
        c.arg("--strict");
    }
    c.output().unwrap()
}

fn built(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let o = build(root, Some(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, out)
}

/// The folders under `tags/` (not the index).
fn tag_folders(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("tags"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A retrospective whose first learning (line 7 of the file) has `n` tags.
/// A retrospective with the review sections, whose first learning has `n` tags (line 7).
fn retro_with_tags(n: usize) -> String {
    let tags: Vec<String> = (0..n).map(|i| format!("#tag{i:05}")).collect();
    format!(
        "---\ntitle: many tags\n---\n\n## 学び\n\n- たくさんのタグ {}\n- 二つ目の学び\n\n## 成果サマリ\nx\n## KRごとの要因分析\nx\n## 決定事項\nx\n## 未解決事項\nx\n",
        tags.join(" ")
    )
}

/// Bytes of every file under `dir`.
fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

#[test]
fn tag_pages_grow_linearly_with_the_tags_of_one_learning() {
    // Every tag page shows the learning's card; the card listed every tag, so the
    // tag pages grew with the square of the number of tags (2,000 tags: 244 MB).
    let mut sizes = Vec::new();
    let mut page = String::new();
    for n in [100, 200] {
        let site = site_with_retro(&retro_with_tags(n));
        let (_dir, out) = built(site.path());
        assert_eq!(tag_folders(&out).len(), n, "one page per tag");
        sizes.push(bytes_under(&out.join("tags")));
        page = read(&out, &format!("tags/tag{:05}/index.html", n - 50));
    }
    let ratio = sizes[1] as f64 / sizes[0] as f64;
    assert!(
        ratio < 2.3,
        "twice the tags made {ratio:.2} times the tag pages ({sizes:?} bytes): not linear"
    );
    let card = &page[page.find("たくさんのタグ").unwrap()..];
    let card = &card[..card.find("</li>").unwrap()];
    assert_eq!(card.matches("class=\"tag\"").count(), 10, "{card}");
    assert!(
        card.contains("<span class=\"tag more\">ほか190個</span>"),
        "the card says how many more: {card}"
    );
}

#[test]
fn the_learnings_archive_shows_the_most_used_tags_and_links_to_all() {
    let site = site_with_retro(&retro_with_tags(150));
    let (_dir, out) = built(site.path());
    let page = read(&out, "learnings/index.html");
    let cloud = &page[page.find("class=\"tag-cloud\"").unwrap()..];
    let cloud = &cloud[..cloud.find("</p>").unwrap()];
    assert_eq!(cloud.matches("class=\"tag\"").count(), 100, "the 100 most used");
    assert!(
        cloud.contains("tags/index.html\">すべてのタグ（150個）"),
        "the link to every tag"
    );
    // The tags page still lists every tag.
    assert_eq!(read(&out, "tags/index.html").matches("class=\"tag\"").count(), 150);
}

#[test]
fn check_warns_about_more_than_ten_tags_on_one_learning() {
    let site = site_with_retro(&retro_with_tags(11));
    let o = check(site.path(), false);
    let err = stderr(&o);
    assert!(o.status.success(), "a warning, not an error: {err}");
    assert!(err.contains("more than 10 tags on one learning (11)"), "{err}");
    assert!(
        err.contains("content/2025-Q3/product.md:7:1"),
        "names file and line: {err}"
    );
    assert_eq!(check(site.path(), true).status.code(), Some(1), "--strict fails");
    // Front-matter tags count: they are added to every learning.
    let site = site_with_retro(&format!(
        "---\ntags: [a, b]\n---\n\n## 学び\n\n- x {}\n",
        (0..9).map(|i| format!("#t{i}")).collect::<Vec<_>>().join(" ")
    ));
    let err = stderr(&check(site.path(), false));
    assert!(err.contains("more than 10 tags on one learning (11)"), "{err}");
    assert!(err.contains("content/2025-Q3/product.md:7:1"), "{err}");
    // Ten is fine.
    let site = site_with_retro(&retro_with_tags(10));
    let o = check(site.path(), true);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn spellings_of_one_tag_share_one_page() {
    // NFC `café`, NFD `cafe` + U+0301, upper case, in three learnings.
    let site = site_with_retro(
        "---\ntitle: t\n---\n\n## 学び\n\n- 一つ目 #caf\u{e9}\n- 二つ目 #cafe\u{301}\n- 三つ目 #CAF\u{c9}\n- 四つ目 #Pricing #pricing\n",
    );
    let (_dir, out) = built(site.path());
    assert_eq!(tag_folders(&out), ["caf\u{e9}", "pricing"]);
    assert!(read(&out, "tags/caf\u{e9}/index.html").contains("3件の学び"));
    assert!(read(&out, "tags/pricing/index.html").contains("1件の学び"));
    let index = read(&out, "tags/index.html");
    assert_eq!(index.matches("class=\"tag\"").count(), 2, "{index}");
}

#[test]
fn distinct_tags_never_share_a_page() {
    // `a.b` and `a b` (front matter, so on both learnings) and `a_b` (the first
    // learning's own) shared `tags/a_b/` with a count of 5.
    let site = site_with_retro("---\ntags: [\"a.b\", \"a b\"]\n---\n\n## 学び\n\n- 一つ目 #a_b\n- 二つ目\n");
    let (_dir, out) = built(site.path());
    let folders = tag_folders(&out);
    assert_eq!(folders.len(), 3, "{folders:?}");
    assert!(
        folders.contains(&"a_b".to_string()),
        "a plain tag keeps its URL: {folders:?}"
    );
    for folder in &folders {
        let page = read(&out, &format!("tags/{folder}/index.html"));
        let (name, count) = if folder == "a_b" {
            ("#a_b", 1)
        } else if page.contains("<span>#a.b</span>") {
            ("#a.b", 2)
        } else {
            ("#a b", 2)
        };
        assert!(page.contains(&format!("<span>{name}</span>")), "{folder}: {page}");
        assert!(
            page.contains(&format!("{count}件の学び")),
            "{folder} ({name}): wrong count"
        );
    }
    assert_tag_links_resolve(&out);
}

/// Every link to a tag page leads to an existing page.
fn assert_tag_links_resolve(out: &Path) {
    for (rel, _) in snapshot(out).iter().filter(|(k, _)| k.ends_with(".html")) {
        let page = read(out, rel);
        let root = "../".repeat(rel.matches('/').count());
        for href in page.split("href=\"").skip(1).filter_map(|h| h.split('"').next()) {
            if let Some(target) = href.strip_prefix(&format!("{root}tags/")) {
                assert!(out.join("tags").join(target).is_file(), "{rel}: broken link {href}");
            }
        }
    }
}

#[test]
fn only_ten_front_matter_tags_are_added_to_each_learning() {
    // Each front-matter tag lists every learning of the retrospective on its page:
    // T tags × N learnings. Only the first ten are added to the learnings.
    let tags: Vec<String> = (0..12).map(|i| format!("fm{i:02}")).collect();
    let site = site_with_retro(&format!(
        "---\ntags: [{}]\n---\n\n## 学び\n\n- 一つ目\n- 二つ目\n",
        tags.join(", ")
    ));
    let err = stderr(&check(site.path(), false));
    assert!(
        err.contains("more than 10 tags in the front matter (12): only the first 10 are added to each learning"),
        "{err}"
    );
    let (_dir, out) = built(site.path());
    assert_eq!(tag_folders(&out), tags[..10]);
    assert!(read(&out, "tags/fm00/index.html").contains("2件の学び"));
    let review = read(&out, "quarters/2025-Q3/product/index.html");
    assert!(review.contains("<span class=\"tag more\">ほか2個</span>"), "{review}");
    assert_tag_links_resolve(&out);
}

#[test]
fn file_names_made_from_content_stay_within_100_bytes() {
    // A 90-character Japanese tag (270 bytes) passed `check`, then `build` failed
    // with "File name too long". (A long team id is an error at `check` now: ids
    // have at most 64 characters, see content_rules.rs.)
    let long_tag = "長".repeat(45) + &"い".repeat(45);
    let site = site_with_retro(&format!(
        "---\ntitle: t\n---\n\n## 学び\n\n- 一つ目 #{long_tag}\n- 二つ目 #{}\n",
        "x".repeat(200)
    ));
    let o = check(site.path(), false);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_dir, out) = built(site.path());
    let files = snapshot(&out);
    for rel in files.keys() {
        for part in rel.split('/') {
            assert!(part.len() <= 100, "{} bytes: {rel}", part.len());
        }
    }
    // The long tag's page is there, its name starts with the tag, and the card links to it.
    let folders = tag_folders(&out);
    let long = folders
        .iter()
        .find(|f| f.starts_with("長長長"))
        .expect("the long tag's page");
    assert!(long.contains('~'), "shortened names end with a hash: {long}");
    let page = read(&out, &format!("tags/{long}/index.html"));
    assert!(page.contains(&format!("#{long_tag}")), "the page shows the whole tag");
    let learnings = read(&out, "learnings/index.html");
    assert!(learnings.contains(&format!("href=\"../tags/{long}/index.html\"")));
}

#[test]
fn a_page_that_cannot_be_written_names_its_source() {
    struct Refuse;
    impl okrsite::render::Sink for Refuse {
        fn put(&self, file: okrsite::render::OutputFile) -> Result<(), okrsite::render::SinkError> {
            if file.path.starts_with("tags/") && file.path != "tags/index.html" {
                let message = format!("cannot write {}: File name too long", file.path);
                return Err(okrsite::render::SinkError::Write(okrsite::diag::Message::verbatim(
                    message,
                )));
            }
            Ok(())
        }
    }
    let site = site_with_retro("---\ntitle: t\n---\n\n## 学び\n\n- 一つ目 #only\n");
    let checked = okrsite::build::check(site.path(), false, jiff::civil::date(2025, 11, 1));
    let model = checked.site.as_ref().expect("a valid site");
    let theme = okrsite::render::theme::load(site.path(), model.config.language, &Default::default()).unwrap();
    let scores = okrsite::score::score_site(model);
    let Err(err) = okrsite::render::render_site(model, &scores, &theme, &Refuse) else {
        panic!("the refused write must fail the render");
    };
    let err = err.to_string();
    assert!(err.contains("File name too long"), "{err}");
    assert!(err.contains("content/2025-Q3/product.md:7"), "names the source: {err}");
}

#[test]
fn written_ids_cannot_take_a_learnings_permalink() {
    let site = site_with_retro(
        "---\ntitle: t\n---\n\n## 乗っ取り {#learning-1}\n\n<div id=\"learning-2\">raw</div>\n\n本文[^learning-1]\n\n[^learning-1]: 注\n\n## 学び\n\n- 一つ目\n- 二つ目\n\n## 自分の見出し {#mine}\n\n[戻る](#mine)\n",
    );
    let (_dir, out) = built(site.path());
    let page = read(&out, "quarters/2025-Q3/product/index.html");
    for anchor in ["learning-1", "learning-2"] {
        let owners: Vec<&str> = page
            .split(&format!("id=\"{anchor}\""))
            .skip(1)
            .map(|rest| &rest[..rest.find('>').unwrap()])
            .collect();
        assert_eq!(
            owners,
            [" class=\"learning\""],
            "{anchor} belongs to the learning only:\n{page}"
        );
    }
    assert!(page.contains("<h2 id=\"learning-1-1\">乗っ取り</h2>"), "{page}");
    assert!(page.contains("<div id=\"user-content-learning-2\">raw</div>"), "{page}");
    // The footnote keeps working under its new id.
    assert!(
        page.contains("href=\"#learning-1-2\"") && page.contains("id=\"learning-1-2\""),
        "{page}"
    );
    // A written id that takes nothing keeps its name.
    assert!(
        page.contains("<h2 id=\"mine\">") && page.contains("href=\"#mine\""),
        "{page}"
    );
}
