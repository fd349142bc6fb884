//! Retrospectives as a team writes them: computed values in the prose (`[[score]]`,
//! `[[grade]]`, `[[current]]`), the review-section warnings and `+++` front matter.
//! The expected values are computed by hand from tests/fixtures/base, whose product
//! retrospective tests/fixtures/retro-values replaces with one stating them:
//! - KR `first-value/onboarding`: metric `onboarding`, newest point of 2025-Q3 is 61 on
//!   2025-09-29; (61 − 45) / (65 − 45) = 0.80, green (≥ 0.7: 達成).
//! - KR `first-value/kr2`: values 9, then 10 on 2025-09-30 (unit %); (10 − 8) / (12 − 8)
//!   = 0.50, weight 2.
//! - objective `first-value`: (0.80 × 1 + 0.50 × 2) / 3 = 0.60; the team-quarter has
//!   only it: 0.60, yellow (≥ 0.4: 一部達成).

use std::path::Path;

use crate::common::*;

/// The base fixture with tests/fixtures/retro-values over it.
fn retro_values() -> tempfile::TempDir {
    site(Some(&fixtures().join("retro-values")))
}

fn build(site: &Path) -> std::path::PathBuf {
    okrsite().args(["build", "--root"]).arg(site).assert().success();
    site.join("public")
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn check(site: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = okrsite()
        .arg("check")
        .args(extra)
        .arg("--root")
        .arg(site)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn placeholders_show_the_computed_values_and_not_in_code() {
    let site = retro_values();
    let out = build(site.path());
    let page = read(out.join("quarters/2025-Q3/product/index.html"));
    assert!(
        page.contains("完了率は61%。チーム全体のスコアは0.60（一部達成）。"),
        "{page}"
    );
    assert!(
        page.contains("オンボーディング完了率は0.80（達成）。有料転換率は10%で止まった（<code>[[score]]</code> と書けば全体のスコア）。"),
        "{page}"
    );
}

#[test]
fn placeholders_in_learnings_show_values_in_pages_search_feed_and_export() {
    let site = retro_values();
    let md = site.path().join("content/2025-Q3/product.md");
    let text = read(&md).replace(
        "- 動画は60秒を超えると離脱が増える #動画",
        "- 動画は60秒を超えると離脱が増える #動画\n- 全体スコア[[score]]を見て決めた `[[grade]]` #振り返り",
    );
    std::fs::write(&md, text).unwrap();
    let out = build(site.path());
    let filled = "全体スコア0.60を見て決めた [[grade]]";
    assert!(read(out.join("feed.xml")).contains(&format!("・{filled}")));
    let json = okrs_export(&out);
    let texts: Vec<&str> = json["learnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&filled), "{texts:?}");
    let search_docs: Vec<String> = crate::common::output_files(&out.join("search/d"))
        .into_iter()
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(search_docs.iter().any(|d| d.contains(filled)));
    assert!(read(out.join("learnings/index.html")).contains("全体スコア0.60を見て決めた <code>[[grade]]</code>"));
    let review = read(out.join("quarters/2025-Q3/product/index.html"));
    assert!(
        review.contains("全体スコア0.60を見て決めた <code>[[grade]]</code>"),
        "{review}"
    );
    let raw: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_type().is_file()
                && String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).contains("全体スコア[[score]]")
        })
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(raw.is_empty(), "placeholder left as written in {raw:?}");
}

#[test]
fn a_running_quarter_shows_outlooks_and_a_kr_without_data_says_so() {
    let site = site(None);
    let q4 = site.path().join("content/2025-Q4");
    std::fs::create_dir_all(&q4).unwrap();
    // 2025-Q4 is running on the fixture's day (2025-11-01). kr1: (15 − 10) / (20 − 10) = 0.5.
    std::fs::write(
        q4.join("product.yaml"),
        "objectives:\n  - id: next\n    title: 次\n    key_results:\n      - title: 件数\n        unit: 件\n        baseline: 10\n        target: 20\n        values:\n          - date: 2025-10-20\n            value: 15\n      - title: 未計測\n",
    )
    .unwrap();
    std::fs::write(
        q4.join("product.md"),
        "## 成果サマリ\n全体[[score]]、評価[[grade]]。件数[[current next/kr1]]。未計測[[score next/kr2]]・[[grade next/kr2]]・[[current next/kr2]]。\n## KRごとの要因分析\n- x\n## 学び\n- x\n## 決定事項\n- x\n## 未解決事項\n- x\n",
    )
    .unwrap();
    let out = build(site.path());
    let page = read(out.join("quarters/2025-Q4/product/index.html"));
    assert!(
        page.contains("全体0.50（見込み）、評価一部達成の見込み。件数15件。未計測データなし・データなし・データなし。"),
        "{page}"
    );
}

#[test]
fn each_bad_placeholder_is_one_error_and_code_is_left_alone() {
    let site = site(Some(&fixtures().join("errors/placeholders")));
    let (code, err) = check(site.path(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("\n4 errors, 0 warnings"), "{err}");
    assert!(
        !err.contains("no objective `nothing`"),
        "the code span is not read: {err}"
    );
}

#[test]
fn a_retrospective_without_okrs_cannot_show_a_score() {
    let site = retro_values();
    std::fs::remove_file(site.path().join("content/2025-Q3/product.yaml")).unwrap();
    let (code, err) = check(site.path(), &[]);
    assert_eq!(code, Some(1), "{err}");
    // One error for the file, at its first placeholder.
    assert_reported(
        &err,
        "content/2025-Q3/product.md:9:19",
        "`[[score]]` has nothing to show: team `product` has no published OKRs in 2025-Q3",
        "no OKRs",
    );
    assert_reported(&err, "product.md:9:19", "(4 more placeholders in this file)", "no OKRs");
    assert!(err.contains("\n1 error, 1 warning"), "{err}");
}

#[test]
fn review_warnings_are_one_per_problem_and_configurable() {
    let dir = fixtures().join("warnings/review-sections");
    let site = site(Some(&dir));
    let (code, err) = check(site.path(), &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains(": 0 errors, 3 warnings"), "{err}");
    // Adding the heading to the config, and the sections it expects, silences them.
    let toml = site.path().join("okrsite.toml");
    let config = read(&toml)
        + "\n[learnings]\nheadings = [\"学び\", \"学んだこと\"]\n\n[review]\nsections = [\"KRごとの要因分析\", \"学び\", \"未解決事項\"]\n";
    std::fs::write(&toml, config).unwrap();
    let (code, err) = check(site.path(), &["--strict"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn english_sites_expect_the_english_sections() {
    let site = site(None);
    let toml = site.path().join("okrsite.toml");
    // Top-level keys come before the tables.
    std::fs::write(&toml, format!("language = \"en\"\n{}", read(&toml))).unwrap();
    let (_, err) = check(site.path(), &[]);
    // `## 学び` is a learnings heading: it stands for `Learnings`.
    assert!(err.contains(": 0 errors, 4 warnings"), "{err}");
    assert_reported(
        &err,
        "product.md:14:1",
        "missing review section `Results summary`",
        "en",
    );
    assert_reported(
        &err,
        "product.md:14:1",
        "add `## Results summary` above `## 学び`",
        "en",
    );
    for s in ["Decisions", "Open issues"] {
        assert_reported(&err, "product.md:14:1", &format!("missing review section `{s}`"), "en");
    }
}

/// Every output file under `out` as text (the HTML pages and the rest).
fn texts(out: &Path) -> Vec<(std::path::PathBuf, String)> {
    (walkdir::WalkDir::new(out).into_iter().map(|e| e.unwrap()))
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some((e.path().to_path_buf(), std::fs::read_to_string(e.path()).ok()?)))
        .collect()
}

#[test]
fn a_theme_showing_a_chart_twice_or_escaped_gets_it_each_time_and_no_marker() {
    let site = site(None);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    // The wide SVG twice, the narrow one escaped, the retrospective not at all.
    std::fs::write(
        site.path().join("templates/chart.html"),
        "<figure>{{ chart.svg | safe }}{{chart.svg|safe}}<pre>{{ chart.narrow }}</pre></figure>",
    )
    .unwrap();
    let original = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/review-sheet.html"));
    std::fs::write(
        site.path().join("templates/review-sheet.html"),
        original.replace("{{ review.retro.html | safe }}", "<p>no body</p>"),
    )
    .unwrap();
    let out = build(site.path());
    let mut charts = 0;
    for (path, text) in texts(&out) {
        assert!(
            !text.contains("okrsitefragment"),
            "{}: a marker is left",
            path.display()
        );
        let wide = text.matches("class=\"chart kr-chart chart-wide\"").count();
        let narrow = text
            .matches("&lt;svg xmlns=&quot;http://www.w3.org/2000/svg&quot;")
            .count();
        assert_eq!(wide % 2, 0, "{}: each wide chart twice", path.display());
        if text.contains("review-sheet") || wide > 0 {
            assert!(wide / 2 <= narrow, "{}: {wide} wide, {narrow} narrow", path.display());
        }
        charts += wide;
    }
    assert!(charts > 0, "the fixture's review pages have KR charts");
}

#[test]
fn a_theme_reading_a_fragment_reads_the_fragment_itself() {
    let site = site(None);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    // What the template reads of the SVG is the SVG's own: its length.
    std::fs::write(
        site.path().join("templates/chart.html"),
        "<figure>{{ chart.svg | safe }}<i>{{ chart.svg | length }}</i></figure>",
    )
    .unwrap();
    let out = build(site.path());
    let mut checked = 0;
    for (path, text) in texts(&out) {
        for (at, _) in text.match_indices("<figure><svg") {
            let figure = &text[at + "<figure>".len()..];
            let end = figure.find("</svg><i>").unwrap() + "</svg>".len();
            let length: usize = figure[end + 3..].split('<').next().unwrap().parse().unwrap();
            assert_eq!(length, figure[..end].chars().count(), "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 0, "the fixture has charts");
}

/// Every HTML page under `out`, by its path under `out`.
fn pages(out: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut pages: Vec<_> = (texts(out).into_iter())
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, text)| (p.strip_prefix(out).unwrap().to_path_buf(), text))
        .collect();
    pages.sort();
    pages
}

#[test]
fn a_theme_with_its_own_chart_html_gets_the_figures_okrsite_writes_itself() {
    // The theme's own chart.html: okrsite writes the sheets' figures without Tera.
    let theme = site(None);
    let own = site(None);
    std::fs::create_dir_all(own.path().join("templates")).unwrap();
    // A copy that differs only in a class: chart.html renders every chart itself.
    let chart = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/chart.html"));
    let (class, mine) = ("class=\"chart-figure\"", "class=\"chart-figure mine\"");
    std::fs::write(own.path().join("templates/chart.html"), chart.replace(class, mine)).unwrap();
    let (expected, got) = (pages(&build(theme.path())), pages(&build(own.path())));
    assert_eq!(expected.len(), got.len());
    let mut figures = 0;
    for ((path, expected), (got_path, got)) in expected.iter().zip(&got) {
        assert_eq!(path, got_path);
        assert!(&got.replace(mine, class) == expected, "{}", path.display());
        if path.ends_with("index.html") && path.starts_with("quarters") {
            figures += got.matches(mine).count();
        }
    }
    assert!(figures > 0, "the fixture's review pages have charts");
}

#[test]
fn a_theme_reading_a_charts_table_gets_its_rows() {
    let site = site(None);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let sheet = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/review-sheet.html"));
    let include = "{% set chart = kr.chart %}{% include \"chart.html\" %}";
    assert!(sheet.contains(include));
    let counted = format!("<i class=\"rows\">{{{{ kr.chart.rows | length }}}}</i>{include}");
    std::fs::write(
        site.path().join("templates/review-sheet.html"),
        sheet.replace(include, &counted),
    )
    .unwrap();
    let mut checked = 0;
    for (path, text) in pages(&build(site.path())) {
        for (at, _) in text.match_indices("<i class=\"rows\">") {
            let rest = &text[at + "<i class=\"rows\">".len()..];
            let rows: usize = rest.split('<').next().unwrap().parse().unwrap();
            let figure = &rest[..rest.find("</figure>").unwrap()];
            // A booklet's charts are what prints: no data table (the review page has it).
            let booklet = path.file_name().unwrap().to_str().unwrap().starts_with("print");
            if booklet {
                assert!(!figure.contains("<table"), "{}", path.display());
                continue;
            }
            let table = &figure[figure.find("<tbody>").unwrap()..figure.find("</tbody>").unwrap()];
            assert_eq!(rows, table.matches("<tr>").count(), "{}", path.display());
            checked += usize::from(rows > 0);
        }
    }
    assert!(checked > 0, "the fixture's KR charts have data");
}

/// Some of the list pages' templates: while every template is okrsite's own, list
/// pages get light forms of the views (the learnings' cards too); a site with its own
/// copy of any template gets the whole views everywhere.
const LIST_TEMPLATES: [&str; 4] = [
    "team.html",
    "quarter-alignment.html",
    "at-risk-list.html",
    "metric.html",
];

#[test]
fn a_theme_with_its_own_list_templates_gets_the_same_pages_from_whole_views() {
    let theme = site(None);
    let own = site(None);
    std::fs::create_dir_all(own.path().join("templates")).unwrap();
    let mark = "<!--own-->";
    for name in LIST_TEMPLATES {
        let text = read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/templates")
                .join(name),
        );
        // After `extends`, which must come first.
        let block = "{% block content %}";
        let marked = match text.contains(block) {
            true => text.replacen(block, &format!("{block}{mark}"), 1),
            false => format!("{mark}{text}"),
        };
        std::fs::write(own.path().join("templates").join(name), marked).unwrap();
    }
    let (expected, got) = (pages(&build(theme.path())), pages(&build(own.path())));
    assert_eq!(expected.len(), got.len());
    let (mut at_risk, mut tree, mut learnings) = (0, 0, 0);
    for ((path, expected), (got_path, got)) in expected.iter().zip(&got) {
        assert_eq!(path, got_path);
        assert!(&got.replace(mark, "") == expected, "{}", path.display());
        if path.ends_with("at-risk.html") {
            at_risk += expected.matches("<li>").count();
        }
        tree += expected.matches("class=\"tree-team\"").count();
        if path.starts_with("tags") {
            learnings += expected.matches("class=\"learning-item\"").count();
        }
    }
    // The fixture lists KRs at risk, objectives in alignment trees and learnings by tag.
    assert!(at_risk > 0 && tree > 0 && learnings > 0, "{at_risk} {tree} {learnings}");
}

#[test]
fn a_theme_reading_more_of_a_listed_view_gets_it() {
    let site = site(None);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let team = read(dir.join("team.html"));
    let row = "{% for tq in quarters %}";
    assert!(team.contains(row));
    let team = team.replacen(row, &format!("{row}<i class=\"okrs\">{{{{ tq.team.id }}}}</i>"), 1);
    std::fs::write(site.path().join("templates/team.html"), team).unwrap();
    let out = build(site.path());
    let page = read(out.join("teams/product/index.html"));
    assert!(page.contains("<i class=\"okrs\">product</i>"), "{page}");
}

/// The review sheet's templates: while every template is okrsite's own, okrsite
/// writes each sheet itself (`render::pages`' `sheet`); a site with its own copy of
/// any template gets the sheet's templates interpreted by Tera.
const SHEET_TEMPLATES: [&str; 6] = [
    "review-sheet.html",
    "flags.html",
    "bar.html",
    "checkins.html",
    "checkin.html",
    "chart.html",
];

/// The sample site (`content/`), one of whose retrospectives has more tags than a
/// sheet shows.
fn sample_with_many_tags() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    std::fs::copy(repo.join("okrsite.toml"), dir.path().join("okrsite.toml")).unwrap();
    let retro = dir.path().join("content/2026-Q2/biz-div.md");
    let text = read(&retro);
    let tags: Vec<String> = (1..=12).map(|i| format!("タグ{i}")).collect();
    let text = text.replacen("tags: [ビジネス本部]", &format!("tags: [{}]", tags.join(", ")), 1);
    assert!(text.contains("タグ12"));
    std::fs::write(&retro, text).unwrap();
    dir
}

/// Builds `site` as of `epoch` into `site/public` and returns its pages.
fn build_pages(site: &Path, epoch: &str) -> Vec<(std::path::PathBuf, String)> {
    okrsite()
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(site.join("public"))
        .assert()
        .success();
    pages(&site.join("public"))
}

#[test]
fn a_theme_with_its_own_sheet_templates_gets_the_same_reviews_and_booklets() {
    // 2026-11-21: the sample's newest quarter runs (outlooks, "as of" on the sheet).
    let sites = [
        (sample_with_many_tags(), sample_with_many_tags(), "1795219200"),
        (
            site(Some(&fixtures().join("practice"))),
            site(Some(&fixtures().join("practice"))),
            FIXTURE_EPOCH,
        ),
        (
            site(Some(&fixtures().join("checkin"))),
            site(Some(&fixtures().join("checkin"))),
            FIXTURE_EPOCH,
        ),
    ];
    let mark = "<!--own-->";
    let shown = [
        "class=\"minor outlook-title\"",
        "class=\"print-only as-of\"",
        "class=\"timeline-older\"",
        "class=\"callout flags\"",
        "id=\"not-doing\"",
        "class=\"initiatives plan\"",
        "class=\"tag more\"",
        "class=\"kr-owner\"",
        "class=\"checkin-fact checkin-value\"",
        "class=\"overview\"",
        "class=\"sheet-objectives print-only\"",
        "class=\"chart-figure\"",
        "rel=\"prev\"",
    ];
    let mut seen = [0; 13];
    let mut booklet_sheets = 0;
    for (theme, own, epoch) in &sites {
        std::fs::create_dir_all(own.path().join("templates")).unwrap();
        for name in SHEET_TEMPLATES {
            let text = read(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates")
                    .join(name),
            );
            std::fs::write(own.path().join("templates").join(name), format!("{mark}{text}")).unwrap();
        }
        let (expected, got) = (build_pages(theme.path(), epoch), build_pages(own.path(), epoch));
        assert_eq!(expected.len(), got.len());
        for ((path, expected), (got_path, got)) in expected.iter().zip(&got) {
            assert_eq!(path, got_path);
            assert!(
                got.contains(mark) || !expected.contains("class=\"review-head\""),
                "{}",
                path.display()
            );
            assert!(&got.replace(mark, "") == expected, "{}", path.display());
            if path.starts_with("quarters") && path.ends_with("index.html") {
                for (n, s) in seen.iter_mut().zip(shown) {
                    *n += expected.matches(s).count();
                }
            }
            if path
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with("print"))
            {
                booklet_sheets += expected.matches("class=\"review-head\"").count();
            }
        }
    }
    // Every part of the sheet was compared somewhere.
    for (n, s) in seen.iter().zip(shown) {
        assert!(*n > 0, "no review page shows {s}");
    }
    assert!(booklet_sheets > 0);
}
