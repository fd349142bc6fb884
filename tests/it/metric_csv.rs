//! Metric points from `content/metrics/<id>.csv` (content format version 2): the
//! site built from a CSV is the site built from the same points in YAML, its
//! values reach the pages and the exports, a private metric's CSV stays out, and
//! a long-lived session sees a CSV change. The errors, each at its line and
//! column, are the `errors/csv-*` fixtures of `check`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

/// The base fixture's onboarding points (tests/fixtures/base), as a BI tool might
/// export them: a byte order mark, CRLF, slash dates (one without leading zeros),
/// a quoted value with a thousands separator's quotes, a quoted note, an empty row
/// and a blank trailing line.
const ONBOARDING_CSV: &str = "\u{FEFF}Date,Value,Note\r\n\
    2025/06/30,45,\r\n\
    2025/7/7,47.5,\"ボタン文言のABテスト開始\"\r\n\
    2025-08-04,\"55\",\r\n\
    ,,\r\n\
    2025-09-29,61,\r\n\
    2025-10-06,70,\r\n\
    \r\n";

/// The base fixture with onboarding's points moved from its YAML into a CSV.
fn csv_site() -> tempfile::TempDir {
    let site = site(None);
    let metrics = site.path().join("content/metrics");
    let yaml = std::fs::read_to_string(metrics.join("onboarding.yaml")).unwrap();
    let (definition, _points) = yaml.split_once("points:").unwrap();
    std::fs::write(metrics.join("onboarding.yaml"), definition).unwrap();
    std::fs::write(metrics.join("onboarding.csv"), ONBOARDING_CSV).unwrap();
    site
}

fn build(root: &Path) -> PathBuf {
    okrsite().args(["build", "--root"]).arg(root).assert().success();
    root.join("public")
}

fn json(out: &Path, path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join(path)).unwrap()).unwrap()
}

#[test]
fn the_csv_feeds_the_pages_and_the_exports() {
    let site = csv_site();
    let out = build(site.path());
    // okrs.json: the product team's onboarding KR scores on the newest point of
    // 2025-Q3, 61 (2025-09-29): (61 - 45) / (65 - 45) = 0.8.
    let okrs = okrs_export(&out);
    let kr = &okrs["quarters"][0]["teams"][1]["objectives"][0]["key_results"][0];
    assert_eq!(kr["id"], "onboarding");
    assert_eq!(kr["current"], 61);
    assert!((kr["score"].as_f64().unwrap() - 0.8).abs() < 1e-12, "{kr}");
    // api/metrics.json: the newest point on or before today (2025-11-01).
    let metrics = json(&out, "api/metrics.json");
    let onboarding = &metrics["metrics"][0];
    assert_eq!(onboarding["id"], "onboarding");
    assert_eq!(onboarding["newest"]["date"], "2025-10-06");
    assert_eq!(onboarding["newest"]["value"], 70);
    // The metric page lists the CSV's points with its note.
    let page = std::fs::read_to_string(out.join("metrics/onboarding/index.html")).unwrap();
    assert!(page.contains("ボタン文言のABテスト開始"));
}

#[test]
fn a_csv_gives_the_same_site_as_the_same_points_in_yaml() {
    let yaml = site(None);
    let csv = csv_site();
    let from_yaml = output_files(&build(yaml.path()));
    let from_csv = output_files(&build(csv.path()));
    assert_eq!(from_yaml.len(), from_csv.len());
    for ((path, a), (other, b)) in from_yaml.iter().zip(&from_csv) {
        assert_eq!(path, other);
        assert!(a == b, "{path} differs between the YAML and the CSV build");
    }
}

#[test]
fn check_names_every_error_of_a_csv_at_its_line_and_column() {
    let site = site(Some(&fixtures().join("errors/csv-rows")));
    let out = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Six rows with a problem, each reported, and nothing else.
    assert!(stderr.contains("6 errors, 0 warnings"), "{stderr}");
    assert!(stderr.contains("content/metrics/revenue.csv:4:12"), "{stderr}");
    // The excerpt quotes the CSV's line.
    assert!(stderr.contains("2025-07-14,abc"), "{stderr}");
    // In Japanese, as a Japanese site's command line speaks.
    let out = okrsite()
        .env("OKRSITE_LANG", "ja")
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`abc` は数値ではありません"), "{stderr}");
    assert!(
        stderr.contains("`2025-02-30` はありえない日付です: 2025-02 は28日までです"),
        "{stderr}"
    );
}

#[test]
fn a_private_metrics_csv_never_reaches_the_output() {
    let site = site(None);
    let metrics = site.path().join("content/metrics");
    std::fs::write(metrics.join("secret.yaml"), "name: SECRET-NAME-19\nprivate: true\n").unwrap();
    std::fs::write(
        metrics.join("secret.csv"),
        "date,value,note\n2025-07-07,123456.5,SECRET-NOTE-19\n",
    )
    .unwrap();
    let out = build(site.path());
    for (path, bytes) in output_files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for marker in ["SECRET-NOTE-19", "SECRET-NAME-19", "123456.5", "123,456.5"] {
            assert!(!text.contains(marker), "{marker} leaked into {path}");
        }
    }
    // With --drafts it is built.
    okrsite()
        .args(["build", "--drafts", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(out.join("metrics/secret/index.html")).unwrap();
    assert!(page.contains("SECRET-NOTE-19"));
}

#[test]
fn a_session_rebuild_reads_a_changed_csv() {
    use okrsite::build;
    let site = csv_site();
    let opts = session_build(site.path());
    let out = build::build(&opts).unwrap().output.expect("the site builds");
    assert_eq!(json(&out, "api/metrics.json")["metrics"][0]["newest"]["value"], 70);
    let csv = site.path().join("content/metrics/onboarding.csv");
    std::fs::write(&csv, ONBOARDING_CSV.replace("2025-10-06,70", "2025-10-06,72")).unwrap();
    let rebuilt = build::build(&opts).unwrap();
    assert_eq!(rebuilt.checked.error_count(), 0);
    assert_eq!(json(&out, "api/metrics.json")["metrics"][0]["newest"]["value"], 72);
    // A broken CSV fails the rebuild at its line; the output stays as it was.
    std::fs::write(&csv, "date,value\n2025-10-06,x\n").unwrap();
    let failed = build::build(&opts).unwrap();
    let d = &failed.checked.diagnostics[0];
    assert_eq!(d.file, "content/metrics/onboarding.csv");
    assert_eq!(d.position.map(|p| (p.line, p.column)), Some((2, 12)));
    assert_eq!(json(&out, "api/metrics.json")["metrics"][0]["newest"]["value"], 72);
}

/// A weekly metric whose newest row is unreadable: the row's error is reported,
/// and the metric is not also called stale for want of that point (no follow-on
/// warning). Today is 2025-11-01; the newest readable point, 2025-10-06, is 26 days
/// old, more than two weeks: without the error it would be stale.
#[test]
fn a_bad_newest_row_is_an_error_and_not_also_a_stale_metric() {
    let site = csv_site();
    let metrics = site.path().join("content/metrics");
    let yaml = std::fs::read_to_string(metrics.join("onboarding.yaml")).unwrap();
    std::fs::write(metrics.join("onboarding.yaml"), format!("{yaml}\ncadence: weekly\n")).unwrap();
    let stale = |root: &Path| {
        let out = okrsite().args(["check", "--root"]).arg(root).output().unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    let clean = stale(site.path());
    assert!(
        clean.contains("is stale"),
        "the fixture must be stale without the error: {clean}"
    );
    let csv = ONBOARDING_CSV.replace("\r\n\r\n", "\r\n2025-10-3x,72,\r\n");
    std::fs::write(metrics.join("onboarding.csv"), csv).unwrap();
    let broken = stale(site.path());
    assert!(broken.contains("onboarding.csv:8:1"), "{broken}");
    assert!(!broken.contains("is stale"), "{broken}");
}
