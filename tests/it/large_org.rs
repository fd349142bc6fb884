//! The dashboard and the quarter page at any number of teams (issue 22): the at-risk
//! list is in order of severity and shows the same badge for the same KR on the
//! dashboard, the quarter page and the quarter's at-risk page, in a running and in
//! an ended quarter; its "see all" link lands on a list that exists; every team row
//! has its anchor.

use std::path::Path;

use assert_cmd::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample built with "today" at `as_of` (2026-11-21: its 2026-Q3 runs; 2027-01-15:
/// 2026-Q3 has ended and is still the newest quarter begun, so the dashboard's).
fn build_sample(as_of: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let config = std::fs::read_to_string(repo().join("okrsite.toml")).unwrap();
    let config = config.replace("as_of = \"2026-11-21\"", &format!("as_of = \"{as_of}\""));
    assert!(config.contains(as_of), "the sample's okrsite.toml pins as_of");
    std::fs::write(site.join("okrsite.toml"), config).unwrap();
    crate::common::copy_dir(&repo().join("content"), &site.join("content"));
    Command::cargo_bin("okrsite")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .env("NO_COLOR", "1")
        .args(["build", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    dir
}

/// One row of an at-risk list: the KR's link (without the page's way up to the
/// root), its badge's class and label.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    kr: String,
    class: String,
    label: String,
}

/// The rows of the `at-risk-list` of `html`, in page order.
fn at_risk_rows(html: &str) -> Vec<Row> {
    let start = html.find("<ul class=\"list at-risk-list\">").expect("an at-risk list");
    let end = start + html[start..].find("</ul>").unwrap();
    let list = &html[start..end];
    let rows: Vec<Row> = list
        .split("<li>")
        .skip(1)
        .map(|li| {
            let rest = li
                .strip_prefix("<span class=\"badge ")
                .unwrap_or_else(|| panic!("a badge first: {li}"));
            let (class, rest) = rest.split_once("\">").unwrap();
            let (label, rest) = rest.split_once("</span> <a href=\"").unwrap();
            let (kr, _) = rest.split_once('"').unwrap();
            Row {
                kr: kr.trim_start_matches("../").to_string(),
                class: class.to_string(),
                label: label.to_string(),
            }
        })
        .collect();
    assert_eq!(rows.len(), list.matches("<li>").count(), "every row read: {list}");
    rows
}

fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The same KR has the same badge (class and label) on the dashboard, the quarter
/// page and the at-risk page, and the three lists share one order; the badges are
/// the statuses while the quarter runs and the grades once it has ended.
#[test]
fn at_risk_badges_match_across_pages_running_and_ended() {
    for (as_of, expected) in [("2026-11-21", ["red", "yellow"]), ("2027-01-15", ["red", "yellow"])] {
        let dir = build_sample(as_of);
        let out = dir.path().join("out");
        let dashboard = at_risk_rows(&read(&out, "index.html"));
        let quarter = at_risk_rows(&read(&out, "quarters/2026-Q3/index.html"));
        let full = at_risk_rows(&read(&out, "quarters/2026-Q3/at-risk.html"));
        assert!(!dashboard.is_empty(), "{as_of}: the sample has KRs at risk");
        assert_eq!(
            dashboard, quarter,
            "{as_of}: the dashboard and the quarter page list the same rows"
        );
        assert_eq!(
            full[..quarter.len()],
            quarter[..],
            "{as_of}: the quarter page shows the full list's first rows"
        );
        // Red before yellow, and no grey badge: a KR is listed for its colour.
        let classes: Vec<&str> = full.iter().map(|r| r.class.as_str()).collect();
        let reds = classes.iter().take_while(|c| **c == expected[0]).count();
        assert!(reds > 0, "{as_of}: {classes:?}");
        assert!(
            classes[reds..].iter().all(|c| *c == expected[1]),
            "{as_of}: {classes:?}"
        );
        // The label is the status's while the quarter runs, the grade's once ended
        // (the KR's own page says the same).
        let kr_page = read(&out, full[0].kr.split('#').next().unwrap());
        assert!(kr_page.contains(&full[0].label), "{as_of}: {}", full[0].label);
    }
}

/// The running and the ended quarter label the same red KR differently (its status,
/// then its grade): the badges are the right kind, not only equal.
#[test]
fn running_shows_status_and_ended_shows_grade() {
    let running = build_sample("2026-11-21");
    let ended = build_sample("2027-01-15");
    let first = |d: &tempfile::TempDir| at_risk_rows(&read(&d.path().join("out"), "index.html"))[0].clone();
    let (r, e) = (first(&running), first(&ended));
    assert_eq!(r.class, "red");
    assert_eq!(e.class, "red");
    assert_ne!(r.label, e.label, "status and grade read differently: {r:?} {e:?}");
}

/// The dashboard's and the quarter page's "see all" links land on the at-risk page's
/// list, with an exact count; every team has its row's anchor on the quarter page.
#[test]
fn see_all_lands_on_the_full_list_and_team_rows_have_anchors() {
    let dir = build_sample("2026-11-21");
    let out = dir.path().join("out");
    let full = at_risk_rows(&read(&out, "quarters/2026-Q3/at-risk.html"));
    let dashboard = read(&out, "index.html");
    let link = "quarters/2026-Q3/at-risk.html#at-risk";
    assert!(
        dashboard.contains(&format!("href=\"{link}\"")),
        "dashboard links the full list"
    );
    assert!(dashboard.contains(&format!("全{}件を見る", full.len())), "exact count");
    assert!(read(&out, "quarters/2026-Q3/at-risk.html").contains("id=\"at-risk\""));
    let quarter = read(&out, "quarters/2026-Q3/index.html");
    assert!(
        quarter.contains("href=\"at-risk.html#at-risk\"")
            || quarter.contains("href=\"../../quarters/2026-Q3/at-risk.html#at-risk\"")
    );
    let teams = std::fs::read_to_string(repo().join("content/teams.yaml")).unwrap();
    for id in teams.lines().filter_map(|l| l.strip_prefix("- id: ")) {
        assert!(
            quarter.contains(&format!("<tr id=\"team-{id}\">")),
            "team {id} has its row's anchor"
        );
    }
}
