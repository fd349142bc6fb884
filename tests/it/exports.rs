//! Feeds and exports that stay bounded on a large site (issue 22): `feed.xml` holds
//! the newest `feed_entries` retrospectives, a bad `feed_entries` is an error at its
//! line, and the OKR export is an index with one file per quarter that agree with
//! each other and with the site.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::synth;
use crate::common::*;

/// A generated site (7 teams × 3 quarters, so 21 retrospectives, those of one quarter
/// all of one day) under an absolute base URL, with `extra` appended to okrsite.toml.
fn generated(learnings_per_retro: usize, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec = synth::Spec {
        teams: 7,
        quarters: 3,
        learnings_per_retro,
        secrets: false,
    };
    synth::write_site(dir.path(), &spec);
    let config = dir.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace("base_url = \"/\"", "base_url = \"https://okr.example.com/\"");
    std::fs::write(&config, format!("{text}{extra}")).unwrap();
    dir
}

fn build(root: &Path) -> PathBuf {
    okrsite().args(["build", "--root"]).arg(root).assert().success();
    root.join("public")
}

/// The feed's entries: (id, updated), in the feed's order.
fn entries(out: &Path) -> Vec<(String, String)> {
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let between = |text: &str, open: &str, close: &str| -> String {
        let from = text.find(open).unwrap() + open.len();
        text[from..from + text[from..].find(close).unwrap()].to_string()
    };
    feed.split("<entry>")
        .skip(1)
        .map(|e| (between(e, "<id>", "</id>"), between(e, "<updated>", "</updated>")))
        .collect()
}

#[test]
fn the_feed_holds_the_newest_feed_entries_retrospectives() {
    let all = entries(&build(generated(2, "feed_entries = 1000\n").path()));
    assert_eq!(all.len(), 21, "every retrospective when N is above their number");
    let dates: Vec<&String> = all.iter().map(|(_, d)| d).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    // N = 5 takes the first five of that order; the newest quarter's seven share a
    // date, so which five is the tie-break's (team id, descending), the same every build.
    let five = entries(&build(generated(2, "feed_entries = 5\n").path()));
    assert_eq!(five, all[..5]);
    assert!(five[0].0.ends_with("/quarters/2023-Q3/team-6/"), "{five:?}");
    assert!(five[4].0.ends_with("/quarters/2023-Q3/team-2/"), "{five:?}");
    // Unset: the default of 50 holds all 21.
    assert_eq!(entries(&build(generated(2, "").path())), all);
}

#[test]
fn a_long_retrospective_gets_a_bounded_summary_in_the_feed() {
    let site = generated(120, "feed_entries = 3\n");
    let out = build(site.path());
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let summaries: Vec<&str> = feed
        .split("<summary>")
        .skip(1)
        .map(|s| &s[..s.find("</summary>").unwrap()])
        .collect();
    assert_eq!(summaries.len(), 3);
    for s in summaries {
        let text = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
        let text = text.replace("&#39;", "'").replace("&amp;", "&");
        assert_eq!(text.chars().count(), 2_000, "{text}");
        assert!(text.ends_with('…') && text.starts_with("・学び0"), "{text}");
    }
}

#[test]
fn a_bad_feed_entries_is_an_error_at_its_line() {
    for (value, shown) in [("0", "0"), ("-3", "-3"), ("2.5", "2.5"), ("\"50\"", "\"50\"")] {
        let site = site(None);
        let config = site.path().join("okrsite.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        // Line 3, after title and base_url.
        let (head, tail) = text.split_at(text.match_indices('\n').nth(1).unwrap().0 + 1);
        std::fs::write(&config, format!("{head}feed_entries = {value}\n{tail}")).unwrap();
        let out = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_reported(
            &stderr,
            "okrsite.toml:3:16",
            &format!("`feed_entries` is {shown}, not a whole number of 1 or more"),
            value,
        );
        assert!(stderr.contains("feed_entries = 50"), "{value}: no help in {stderr}");
    }
}

#[test]
fn the_quarter_exports_agree_with_the_index_and_the_site() {
    let root = generated(2, "");
    let out = build(root.path());
    let index = okrs_index(&out);
    // Every file the index names exists and holds its quarter (okrs_quarter_files
    // checks each against its entry), and no other file is in api/okrs/.
    let files = okrs_quarter_files(&out);
    let named: BTreeSet<String> = (index["quarters"].as_array().unwrap().iter())
        .map(|q| q["file"].as_str().unwrap().to_string())
        .collect();
    let written: BTreeSet<String> = std::fs::read_dir(out.join("api/okrs"))
        .unwrap()
        .map(|e| format!("okrs/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    assert_eq!(named, written);
    // The quarters of the files are the site's: its content folders, in order.
    let ids: Vec<String> = files.iter().map(|f| f["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, ["2023-Q1", "2023-Q2", "2023-Q3"]);
    let mut folders: Vec<String> = std::fs::read_dir(root.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("20"))
        .collect();
    folders.sort();
    assert_eq!(ids, folders);
    // Every team-quarter and learning is in exactly one file: 8 teams (the company
    // and 7) a quarter, 2 learnings per retrospective.
    for f in &files {
        assert_eq!(f["teams"].as_array().unwrap().len(), 8);
        let learnings = f["learnings"].as_array().unwrap();
        assert_eq!(learnings.len(), 14);
        assert!(learnings.iter().all(|l| l["quarter"] == f["id"]));
    }
    assert_eq!(index["teams"].as_array().unwrap().len(), 8);
    assert!(index.get("learnings").is_none(), "the index holds no learnings");
    // The footer links the index.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"api/okrs.json\""));
}

#[test]
fn a_quarter_of_many_teams_gets_its_booklet_in_bounded_parts() {
    // 30 teams and the company, all of one unit (the company): 31 sheets, more than
    // one page holds (25), so print.html lists two parts of the company's unit.
    let dir = tempfile::tempdir().unwrap();
    let spec = synth::Spec {
        teams: 30,
        quarters: 1,
        learnings_per_retro: 1,
        secrets: false,
    };
    synth::write_site(dir.path(), &spec);
    let out = build(dir.path());
    let quarter = out.join("quarters/2023-Q1");
    let index = std::fs::read_to_string(quarter.join("print.html")).unwrap();
    assert!(
        !index.contains("class=\"sheet"),
        "the split booklet's index holds no sheet"
    );
    let parts: Vec<&str> = index
        .split("href=\"../../quarters/2023-Q1/print.")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(parts, ["company.1.html", "company.2.html"]);
    let mut sheets = Vec::new();
    for part in parts {
        let html = std::fs::read_to_string(quarter.join(format!("print.{part}"))).unwrap();
        let n = html.matches("<article class=\"sheet booklet-sheet\">").count();
        assert!((1..=25).contains(&n), "{part}: {n} sheets");
        assert!(
            html.contains("href=\"../../quarters/2023-Q1/print.html\""),
            "{part} links back"
        );
        sheets.push(n);
    }
    assert_eq!(sheets, [25, 6]);
    // The quarter page's print link still leads to the booklet.
    let page = std::fs::read_to_string(quarter.join("index.html")).unwrap();
    assert!(page.contains("print.html\""));
}
