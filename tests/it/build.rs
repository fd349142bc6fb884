//! `okrsite build`: the exports carry exactly the numbers the format defines,
//! identical input gives identical bytes, and a failed build keeps the old site.

mod checksums;
mod unchanged;

use serde_json::Value;

use crate::common::synth;
use crate::common::*;

fn build(site: &std::path::Path, extra: &[&str]) -> std::path::PathBuf {
    okrsite()
        .args(["build", "--root"])
        .arg(site)
        .args(extra)
        .assert()
        .success();
    site.join("public")
}

fn okrs_json(out: &std::path::Path) -> Value {
    okrs_export(out)
}

fn approx(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - expected).abs() < 1e-9, "{got} != {expected}");
}

#[test]
fn export_holds_the_scores_the_format_defines() {
    let site = site(None);
    let json = okrs_json(&build(site.path(), &[]));
    assert_eq!(json["site"], "Fixture OKR");
    let q = &json["quarters"][0];
    assert_eq!(q["id"], "2025-Q3");
    assert_eq!(q["start"], "2025-07-01");
    assert_eq!(q["end"], "2025-09-30");
    assert_eq!(q["status"], "ended");
    let company = &q["teams"][0];
    assert_eq!(company["id"], "company");
    let grow = &company["objectives"][0];
    // signups is a count: the sum inside the quarter; the point on 2025-10-01 is outside.
    assert_eq!(grow["key_results"][0]["current"], 300);
    approx(&grow["key_results"][0]["score"], 1.0);
    approx(&grow["key_results"][1]["score"], 0.5);
    assert_eq!(grow["key_results"][1]["current"], Value::Null);
    approx(&grow["score"], 0.75);
    assert_eq!(grow["grade"], "green");

    let product = &q["teams"][1];
    let o = &product["objectives"][0];
    assert_eq!(o["aligns_to"], "company/grow");
    let onboarding = &o["key_results"][0];
    assert_eq!(onboarding["id"], "onboarding");
    assert_eq!(onboarding["baseline"], 45);
    assert_eq!(onboarding["target"], 65);
    // 2025-09-29 (61) is the newest point inside; 2025-10-06 (70) is after the quarter.
    assert_eq!(onboarding["current"], 61);
    approx(&onboarding["score"], 0.8);
    assert_eq!(onboarding["grade"], "green");
    assert_eq!(onboarding["status"], "yellow");
    let conversion = &o["key_results"][1];
    assert_eq!(conversion["id"], "kr2");
    approx(&conversion["score"], 0.5);
    // Weighted: (0.8 × 1 + 0.5 × 2) / 3.
    approx(&o["score"], 0.6);
    assert_eq!(o["grade"], "yellow");
    approx(&product["score"], 0.6);

    let learnings = json["learnings"].as_array().unwrap();
    assert_eq!(learnings.len(), 2);
    assert_eq!(learnings[0]["text"], "テンプレート体験が行動を誘発する");
    assert_eq!(learnings[0]["tags"], serde_json::json!(["テンプレート", "onboarding"]));
    assert_eq!(
        learnings[0]["url"],
        "https://intra.example.com/okr/quarters/2025-Q3/product/#learning-1"
    );
}

#[test]
fn csv_has_one_row_per_kr() {
    let site = site(None);
    let out = build(site.path(), &[]);
    let csv = std::fs::read_to_string(out.join("api/scores.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "quarter,team,objective,kr,title,baseline,target,current,score,grade,status"
    );
    assert_eq!(rows.len(), 1 + 4);
    assert!(
        rows.contains(
            &"2025-Q3,product,first-value,onboarding,オンボーディング完了率を45%→65%,45,65,61,0.8,green,yellow"
        ),
        "{csv}"
    );
    assert!(
        rows.contains(&"2025-Q3,company,grow,kr2,価格ページを公開する,,,,0.5,yellow,"),
        "{csv}"
    );
}

#[test]
fn fiscal_year_starting_in_april_moves_the_quarter_bounds() {
    let site = site(None);
    let toml = site.path().join("okrsite.toml");
    std::fs::write(&toml, "title = \"Fixture OKR\"\nfiscal_year_start_month = 4\n").unwrap();
    // With April starts, 2025-Q3 is 2025-10-01..2025-12-31: the 2025-10-06 point (70) is inside.
    let json = okrs_json(&build(site.path(), &[]));
    let q = &json["quarters"][0];
    assert_eq!(q["start"], "2025-10-01");
    assert_eq!(q["end"], "2025-12-31");
    assert_eq!(q["status"], "in_progress");
    assert_eq!(q["teams"][1]["objectives"][0]["key_results"][0]["current"], 70);
    approx(&q["teams"][1]["objectives"][0]["key_results"][0]["score"], 1.0);
    // The counts metric only has 2025-10-01 (999) inside.
    assert_eq!(q["teams"][0]["objectives"][0]["key_results"][0]["current"], 999);
}

#[test]
fn identical_input_gives_identical_bytes() {
    let site = site(None);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        okrsite()
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(out.join("o"))
            .assert()
            .success();
    }
    // okrsite's record of the build (times, inodes) is left out: not the site.
    let files = |d: &std::path::Path| output_files(d);
    let (fa, fb) = (files(&a.path().join("o")), files(&b.path().join("o")));
    assert!(!fa.is_empty());
    assert_eq!(fa, fb);
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let site = site(None);
    let out = build(site.path(), &[]);
    let before = std::fs::read(out.join("api/okrs.json")).unwrap();
    std::fs::write(site.path().join("content/teams.yaml"), "- id: company\n  nam: x\n").unwrap();
    okrsite().args(["build", "--root"]).arg(site.path()).assert().code(1);
    assert_eq!(std::fs::read(out.join("api/okrs.json")).unwrap(), before);
}

#[test]
fn output_into_the_sources_is_refused() {
    let site = site(None);
    for bad in ["content", ".", ".."] {
        okrsite()
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(site.path().join(bad))
            .assert()
            .code(2);
    }
    assert!(site.path().join("content/teams.yaml").exists());
}

#[test]
fn drafts_and_private_files_never_reach_the_output() {
    let site = site(None);
    let md = site.path().join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        text.replace("tags: [onboarding]", "tags: [onboarding]\ndraft: true")
            .replace("完了率は61%。", "DRAFT-SECRET-1"),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/2025-Q3/company.yaml"),
        "private: true\nobjectives:\n  - id: grow\n    title: PRIVATE-SECRET-2\n    key_results:\n      - {title: a, score: 1}\n      - {title: b, score: 1}\n",
    )
    .unwrap();
    let out = build(site.path(), &[]);
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for marker in ["DRAFT-SECRET-1", "PRIVATE-SECRET-2", "テンプレート体験"] {
            assert!(
                !text.contains(marker),
                "{marker} leaked into {}",
                entry.path().display()
            );
        }
    }
    let json = okrs_json(&out);
    // The private parent objective is not named by the objective aligned to it.
    assert_eq!(json["quarters"][0]["teams"][0]["id"], "product");
    assert_eq!(
        json["quarters"][0]["teams"][0]["objectives"][0]["aligns_to"],
        Value::Null
    );
    // With --drafts both come back.
    let out = build(site.path(), &["--drafts"]);
    let json = okrs_json(&out).to_string();
    assert!(json.contains("PRIVATE-SECRET-2"));
    assert!(json.contains("テンプレート体験"));
}

/// Follows `rel="next"` from `first` and returns every page's learning links, in order.
fn paged_learnings(out: &std::path::Path, first: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = first.to_string();
    loop {
        let html = std::fs::read_to_string(out.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let items: Vec<String> = html
            .split("<li class=\"learning-item\">")
            .skip(1)
            .map(|item| {
                item.split("href=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        pages.push(items);
        let Some(next) = html.split("\" rel=\"next\"").next().filter(|h| h.len() < html.len()) else {
            break;
        };
        let href = next.rsplit("href=\"").next().unwrap();
        // Links are relative to the page: strip the `../` that lead back to the root.
        path = href.trim_start_matches("../").to_string();
        assert!(pages.len() < 100, "pager loops");
    }
    pages
}

#[test]
fn the_learnings_archive_and_tag_pages_are_paged() {
    let dir = tempfile::tempdir().unwrap();
    synth::write_site(
        dir.path(),
        &synth::Spec {
            teams: 6,
            quarters: 5,
            learnings_per_retro: 6,
            secrets: false,
        },
    );
    let out = build(dir.path(), &[]);
    let export = okrs_json(&out);
    let total = export["learnings"].as_array().unwrap().len();
    assert!(
        total > 100,
        "the fixture must need more than one page ({total} learnings)"
    );
    let pages = paged_learnings(&out, "learnings/index.html");
    assert_eq!(pages.len(), total.div_ceil(100), "{total} learnings");
    assert!(pages[..pages.len() - 1].iter().all(|p| p.len() == 100));
    let all: Vec<&String> = pages.iter().flatten().collect();
    let unique: std::collections::HashSet<&&String> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (total, total), "each learning exactly once");
    assert!(out.join("learnings/page/2/index.html").is_file());
    let second = std::fs::read_to_string(out.join("learnings/page/2/index.html")).unwrap();
    assert!(
        second.contains("href=\"../../../learnings/index.html\" rel=\"prev\""),
        "prev link"
    );
    // Every retrospective is tagged `retro`, so that tag's pages hold every learning too.
    let tagged = paged_learnings(&out, "tags/retro/index.html");
    assert_eq!(tagged.len(), total.div_ceil(100));
    assert_eq!(tagged.iter().map(Vec::len).sum::<usize>(), total);
}

/// Files editors leave beside the one being edited: a backup, a vim swap file, an
/// Emacs autosave, vim's write test and an Emacs lock (a dangling symbolic link).
fn add_editor_files(root: &std::path::Path) {
    let marker = "EDITOR-FILE-MARKER";
    let put = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    put("content/2025-Q3/product.md~", &format!("---\ntitle: {marker}\n---\n"));
    put("content/2025-Q3/.product.md.swp", marker);
    put("content/#teams.yaml#", &format!("- id: {marker}\n"));
    put("content/4913", "");
    std::os::unix::fs::symlink("user@host.1234:1761955200", root.join("content/2025-Q3/.#product.md")).unwrap();
    put("static/notes.txt", "kept");
    put("static/notes.txt~", marker);
    put("static/css/.site.css.swp", marker);
    // Loaded as templates, these would not compile.
    put("templates/base.html~", "{% if %}");
    put("templates/#base.html#", "{% if %}");
}

#[test]
fn editor_files_are_ignored_everywhere_unless_re_included() {
    let site = site(None);
    add_editor_files(site.path());
    let check = okrsite()
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let said = String::from_utf8_lossy(&check.get_output().stderr).into_owned();
    assert!(
        !said.contains("symbolic link"),
        "the Emacs lock is skipped silently:\n{said}"
    );
    let out = build(site.path(), &[]);
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "kept");
    for entry in walkdir::WalkDir::new(&out).into_iter().map(|e| e.unwrap()) {
        let name = entry.file_name().to_string_lossy();
        assert!(
            !name.ends_with('~') && !name.contains(".sw") && !name.contains('#') && name != "4913",
            "{} reached the output",
            entry.path().display()
        );
        if entry.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            assert!(!text.contains("EDITOR-FILE-MARKER"), "{}", entry.path().display());
        }
    }
    // `!4913` makes a file named 4913 count again: in content/ it is unexpected.
    let config = site.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("ignore = [\"!4913\"]\n{text}")).unwrap();
    let failed = okrsite().args(["check", "--root"]).arg(site.path()).assert().code(1);
    let said = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert_reported(&said, "content/4913", "unexpected file in content/", "editor files");
    assert_eq!(
        said.matches("unexpected").count(),
        1,
        "only 4913 is re-included:\n{said}"
    );
}

#[test]
fn an_invalid_re_include_pattern_is_a_config_error() {
    let site = site(None);
    let config = site.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("ignore = [\"!a[\"]\n{text}")).unwrap();
    let failed = okrsite().args(["check", "--root"]).arg(site.path()).assert().code(1);
    let said = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert_reported(
        &said,
        "okrsite.toml:1",
        "invalid glob `!a[` in `ignore`",
        "invalid re-include",
    );
}

/// Every output file under `out` whose text contains `marker`.
fn files_containing(out: &std::path::Path, marker: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).contains(marker))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn a_same_size_save_that_keeps_the_old_mtime_is_rebuilt_by_a_session() {
    use okrsite::build;
    let site = site(None);
    let opts = session_build(site.path());
    let built = build::build(&opts).unwrap();
    let out = built.output.expect("the fixture builds");
    assert!(!files_containing(&out, "完了率は61%。").is_empty());
    // Same size, different bytes, and the modification time set back, as `cp -p`,
    // `git checkout` or a save within one timestamp tick leave it.
    let md = site.path().join("content/2025-Q3/product.md");
    let before = std::fs::metadata(&md).unwrap();
    let text = std::fs::read_to_string(&md).unwrap();
    let edited = text.replace("完了率は61%。", "SAME-SIZE-EDIT-18b");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&md, &edited).unwrap();
    let file = std::fs::File::options().write(true).open(&md).unwrap();
    file.set_modified(before.modified().unwrap()).unwrap();
    drop(file);
    let after = std::fs::metadata(&md).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap())
    );
    let built = build::build(&opts).unwrap();
    assert_eq!(built.checked.error_count(), 0);
    assert!(
        !files_containing(&out, "SAME-SIZE-EDIT-18b").is_empty(),
        "the rebuild served the text parsed before the save"
    );
    assert!(files_containing(&out, "完了率は61%。").is_empty());
}
