//! Numbers as the pages and exports write them (issue 20): units before or after the
//! number, a unit's singular, compact forms where a reader glances and full ones where a
//! value is looked up, and exports without float noise.

use std::path::Path;

use crate::common::{self, FIXTURE_EPOCH, okrsite};

/// The English fixture built into a temporary folder (optionally changed first).
fn build_english(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixtures().join("english"), site.path());
    change(site.path());
    okrsite()
        .env("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(site.path().join("out"))
        .assert()
        .success();
    site
}

fn read(site: &tempfile::TempDir, page: &str) -> String {
    std::fs::read_to_string(site.path().join("out").join(page)).unwrap()
}

/// Every HTML page of a built site, with its path.
fn pages(site: &tempfile::TempDir) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site.path().join("out"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn dollars_go_before_the_number_in_full_and_compact() {
    let site = build_english(|_| {});
    // The pipeline KR's own values (unit "$"): its check-in of 2026-09-15 in full.
    let sales = read(&site, "quarters/2026-Q3/sales/index.html");
    assert!(sales.contains("$452,000"), "no $452,000 on the sales review");
    // ARR's newest point, 4,908,000 on 2026-11-01, compact on the metrics index and
    // the metric's headline: 4.908 → 4.9 (two significant digits), in M.
    assert!(read(&site, "metrics/index.html").contains("$4.9M"));
    let arr = read(&site, "metrics/arr/index.html");
    assert!(arr.contains("<strong class=\"big\">$4.9M</strong>"), "ARR headline");
    // ... and in full in its table of points.
    assert!(arr.contains("$4,908,000"));
    for (path, html) in pages(&site) {
        for wrong in ["452,000$", "4,908,000$", "4.9M$", "$-"] {
            assert!(!html.contains(wrong), "{path}: {wrong}");
        }
    }
}

#[test]
fn unit_position_after_keeps_a_dollar_after_the_number() {
    let site = build_english(|root| {
        let file = root.join("content/metrics/arr.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        let text = text.replacen("unit: \"$\"\n", "unit: \"$\"\nunit_position: after\n", 1);
        std::fs::write(&file, text).unwrap();
    });
    let arr = read(&site, "metrics/arr/index.html");
    assert!(arr.contains("4,908,000$"));
    assert!(arr.contains("<strong class=\"big\">4.9M$</strong>"));
    assert!(!arr.contains("$4,908,000"));
}

/// Whether `html` writes `1 customers` (not `11 customers`, `2.1 customers`).
fn one_with_plural(html: &str) -> bool {
    html.match_indices("1 customers").any(|(i, _)| {
        !html[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
    })
}

#[test]
fn a_value_of_one_takes_the_singular() {
    let site = build_english(|_| {});
    // The enterprise KR (unit customers, unit_one customer) ends at 1.
    let company = read(&site, "quarters/2026-Q3/company/index.html");
    assert!(company.contains("<td>1 customer</td>"), "the enterprise KR's check-in");
    assert!(company.contains("Target 1 customer"));
    for (path, html) in pages(&site) {
        assert!(!one_with_plural(&html), "{path}: 1 customers");
    }
    // Without `unit_one` the unit is written as it is (the check that the test can fail).
    let plain = build_english(|root| {
        for file in ["content/2026-Q3/company.yaml", "content/metrics/new-customers.yaml"] {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text
                .replace("        unit_one: customer\n", "")
                .replace("unit_one: customer\n", "");
            std::fs::write(&path, text).unwrap();
        }
    });
    let company = read(&plain, "quarters/2026-Q3/company/index.html");
    assert!(company.contains("<td>1 customers</td>"));
}
