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
    // The exports say where the unit goes, and its singular.
    let metrics = read(&site, "api/metrics.json");
    assert!(metrics.contains("\"unit\": \"$\",\n      \"unit_one\": null,\n      \"unit_position\": \"before\","));
    assert!(
        metrics.contains(
            "\"unit\": \"customers\",\n      \"unit_one\": \"customer\",\n      \"unit_position\": \"after\","
        )
    );
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

/// 2026-11-21 UTC, as `it::sample` builds the sample.
const SAMPLE_EPOCH: &str = "1795219200";

/// The number tokens of a JSON text (outside its strings).
fn json_numbers(text: &str) -> Vec<&str> {
    let (mut out, mut in_string, mut escaped, mut start) = (Vec::new(), false, false, None);
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        let numeric = c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E');
        match (numeric, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        in_string = c == '"';
    }
    out
}

/// The significant digits of a number as written: `0.65` → 2, `452000` → 3.
fn significant_digits(token: &str) -> usize {
    let mantissa = token.split(['e', 'E']).next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    digits.trim_end_matches('0').len()
}

#[test]
fn exports_write_numbers_without_float_noise() {
    let out = tempfile::tempdir().unwrap();
    okrsite()
        .env("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path())
        .assert()
        .success();
    let api = out.path().join("api");
    // scores.csv: scores to 4 decimals in their shortest form, other numbers to 15
    // significant digits at most.
    let csv_text = std::fs::read_to_string(api.join("scores.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv_text.as_bytes());
    let mut checked = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let score = &row[8];
        if let Some((_, decimals)) = score.split_once('.') {
            assert!(decimals.len() <= 4 && !decimals.ends_with('0'), "score {score}");
        }
        for cell in [&row[5], &row[6], &row[7]] {
            assert!(significant_digits(cell) <= 15, "{cell}");
        }
        // Hand-computed: 8% → 12% at 10.6% is 2.6 / 4 = 0.65 (0.6499999999999999 in
        // doubles); 5.2% → 4.5% at 4.6% is 0.6 / 0.7 = 0.857142… → 0.8571.
        match (&row[0], &row[1], &row[3]) {
            ("2025-Q2", "company", "paid-conversion") => {
                assert_eq!(score, "0.65");
                checked += 1;
            }
            ("2025-Q2", "company", "kr3") => {
                assert_eq!(score, "0.8571");
                checked += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, 2);
    assert!(!csv_text.contains("0.6499999999999999"));
    // The quarters' OKR exports and metrics.json: computed scores to 12 significant digits, values as
    // written: no number has the 16th-digit tail of the arithmetic.
    let quarter_files = common::okrs_index(out.path())["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["file"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let okrs: String = (quarter_files.iter())
        .map(|file| std::fs::read_to_string(api.join(file)).unwrap())
        .collect();
    for (file, text) in [
        ("okrs/*.json", okrs.clone()),
        (
            "metrics.json",
            std::fs::read_to_string(api.join("metrics.json")).unwrap(),
        ),
    ] {
        let numbers = json_numbers(&text);
        assert!(numbers.len() > 10, "{file}");
        for n in numbers {
            assert!(significant_digits(n) <= 12, "{file}: {n}");
        }
    }
    assert!(okrs.contains("\"current\":10.6,\"score\":0.65,"));
    assert!(okrs.contains("\"current\":4.6,\"score\":0.857142857143,"));
}
