//! The sample site in `content/` (what `cargo run --release -- build` builds)
//! stays clean, complete and leak-free.

use std::path::Path;

use assert_cmd::Command;

/// 2026-11-21 UTC: the sample's newest quarter (2026-Q3 of a fiscal year starting in April) is in progress.
const SAMPLE_EPOCH: &str = "1795219200";

fn okrsite() -> Command {
    let mut c = Command::cargo_bin("okrsite").unwrap();
    c.env("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
        .env("NO_COLOR", "1")
        .env("OKRSITE_LANG", "en");
    c
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sample_passes_check_strict() {
    let out = okrsite()
        .args(["check", "--strict", "--root"])
        .arg(repo())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn the_sample_passes_check_strict_on_any_date() {
    // Its `as_of` pins "today" to the date the sample shows: years later (2032-01-01),
    // or on the system date, no check-in is outdated and no metric stale.
    for epoch in [Some("1956528000"), None] {
        let mut cmd = okrsite();
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        let out = cmd.args(["check", "--strict", "--root"]).arg(repo()).assert().success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains("0 errors, 0 warnings"), "{epoch:?}: {stderr}");
    }
    // Without it the same content is outdated years later: the pin is what keeps it clean.
    let site = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(repo().join("okrsite.toml")).unwrap();
    std::fs::write(site.path().join("okrsite.toml"), config.replace("as_of =", "# as_of =")).unwrap();
    crate::common::copy_dir(&repo().join("content"), &site.path().join("content"));
    let out = okrsite()
        .env("SOURCE_DATE_EPOCH", "1956528000")
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("is stale"), "{stderr}");
}

#[test]
fn the_sample_builds_and_shows_what_the_format_offers() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    okrsite()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&public)
        .assert()
        .success();
    let json = crate::common::okrs_export(&public);
    let quarters = json["quarters"].as_array().unwrap();
    assert!(quarters.len() >= 6);
    assert_eq!(quarters.last().unwrap()["status"], "in_progress");
    let teams = json["teams"].as_array().unwrap();
    assert!(teams.len() >= 5);
    // A three-level hierarchy: some team's parent has a parent.
    let parent_of = |id: &str| teams.iter().find(|t| t["id"] == id).and_then(|t| t["parent"].as_str());
    assert!(teams.iter().any(|t| t["parent"].as_str().and_then(parent_of).is_some()));
    assert!(json["learnings"].as_array().unwrap().len() >= 30);
    let metrics = std::fs::read_dir(repo().join("content/metrics")).unwrap().count();
    assert!(metrics >= 8);
    for marker in ["PRIVATE-MARKER-HR", "DRAFT-MARKER-PRODUCT"] {
        for entry in walkdir::WalkDir::new(&public)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
        {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(marker),
                "{marker} leaked into {}",
                entry.path().display()
            );
        }
    }
}
