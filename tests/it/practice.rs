//! The OKR practice (issue 18) on the fixture `practice`, built on 2025-11-01
//! (`FIXTURE_EPOCH`): 2025-Q2 and Q3 ended, 2025-Q4 running (day 32 of 92). Every
//! number is checked against a hand-computed value.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{fixtures, okrsite};

/// The fixture built once for the module.
fn built() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        okrsite()
            .args(["build", "--root"])
            .arg(fixtures().join("practice"))
            .arg("--output")
            .arg(out.path().join("public"))
            .assert()
            .success();
        out
    })
    .path()
}

fn page(rel: &str) -> String {
    std::fs::read_to_string(built().join("public").join(rel)).unwrap()
}

fn okrs() -> Value {
    crate::common::okrs_export(&built().join("public"))
}

/// The team-quarter `team` of quarter `quarter` in okrs.json.
fn team_quarter(json: &Value, quarter: &str, team: &str) -> Value {
    let q = json["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == quarter)
        .unwrap();
    q["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == team)
        .unwrap()
        .clone()
}

fn kr(tq: &Value, id: &str) -> Value {
    let krs = tq["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["key_results"].as_array().unwrap());
    krs.into_iter().find(|k| k["id"] == id).unwrap().clone()
}

fn close(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - expected).abs() < 1e-9, "{got} != {expected}");
}

#[test]
fn grades_follow_the_default_lines() {
    let json = okrs();
    let sales = team_quarter(&json, "2025-Q3", "sales");
    assert_eq!(kr(&sales, "at-green")["grade"], "green", "0.6 is success");
    assert_eq!(kr(&sales, "below-green")["grade"], "yellow", "0.59 is partly");
    let html = page("quarters/2025-Q3/sales/index.html");
    assert!(html.contains("<span class=\"badge green\">達成</span>"), "{html}");
    assert!(html.contains("<span class=\"badge yellow\">一部達成</span>"));
}

#[test]
fn flags_too_safe_and_low_two_quarters_on_ended_quarters_only() {
    let json = okrs();
    let flags = |q: &str, t: &str| team_quarter(&json, q, t)["flags"].clone();
    // Every scored KR at 0.9 or more (1.0, 0.95).
    assert_eq!(flags("2025-Q3", "company"), serde_json::json!(["too_safe"]));
    // Below yellow in Q2 (0.1) and Q3 (0.25): the second is flagged, not the first.
    assert_eq!(flags("2025-Q3", "product"), serde_json::json!(["low_two_quarters"]));
    assert_eq!(flags("2025-Q2", "product"), serde_json::json!([]));
    assert_eq!(flags("2025-Q3", "sales"), serde_json::json!([]));
    // Running: every KR at 1.0 and a score below yellow after a low quarter, yet no flag.
    assert_eq!(flags("2025-Q4", "company"), serde_json::json!([]));
    assert_eq!(flags("2025-Q4", "product"), serde_json::json!([]));
    let review = page("quarters/2025-Q3/company/index.html");
    assert!(review.contains("class=\"callout flags\""));
    assert!(review.contains("目標が安全すぎた可能性"));
    let team = page("teams/product/index.html");
    assert!(team.contains("2025年 Q3 · 2四半期続けて未達"), "{team}");
    assert!(!team.contains("2025年 Q4 · "));
}

/// 2025-10-01..12-31 is 92 days; 2025-11-01 is day 32. Baseline 45, target 65:
/// expected 45 + 20 · 32/92 = 51.956…; the values rise 0.2 a day (47, 49, 51 on
/// days 10, 20, 30), so the line leads to 51 + 0.2 · 61 = 63.2 on 12-31: score
/// (63.2 − 45) / 20 = 0.91.
#[test]
fn a_running_kr_has_its_expected_value_and_projected_score() {
    let json = okrs();
    let product = team_quarter(&json, "2025-Q4", "product");
    let onboarding = kr(&product, "onboarding");
    close(&onboarding["expected"], 45.0 + 20.0 * 32.0 / 92.0);
    close(&onboarding["projected_score"], 0.91);
    // One point: no projection (null), but an expected value: 10 · 32/92.
    let one = kr(&product, "one-point");
    assert!(one["projected_score"].is_null());
    close(&one["expected"], 10.0 * 32.0 / 92.0);
    // A manual score has no data: both null, present.
    let done = kr(&team_quarter(&json, "2025-Q4", "company"), "done");
    assert!(done["expected"].is_null() && done["projected_score"].is_null());
    assert!(done.as_object().unwrap().contains_key("expected"));
    // Ended quarters carry neither.
    let ended = kr(&team_quarter(&json, "2025-Q3", "product"), "weekly");
    assert!(!ended.as_object().unwrap().contains_key("expected"));
    assert!(!ended.as_object().unwrap().contains_key("projected_score"));
    // The review leads with them, and a running score is an outlook, never a grade.
    let html = page("quarters/2025-Q4/product/index.html");
    assert!(
        html.contains("<div><dt>今日時点の想定値</dt><dd>52%</dd></div>"),
        "{html}"
    );
    assert!(html.contains("<div><dt>期末の見込みスコア</dt><dd>0.91"));
    assert!(html.contains("<div class=\"outlook-confidence\"><dt>最新の自信度</dt><dd>70%</dd></div>"));
    assert!(html.contains("<span class=\"badge outlook\">見込み</span>"));
    for grade in ["達成", "未達"] {
        assert!(
            !html.contains(&format!("\">{grade}</span>")),
            "{grade} on a running review"
        );
    }
}

#[test]
fn okrs_json_lists_every_checkin() {
    let json = okrs();
    let weekly = kr(&team_quarter(&json, "2025-Q3", "product"), "weekly");
    let checkins = weekly["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 7);
    assert_eq!(
        checkins[3],
        serde_json::json!({"date": "2025-08-14", "status": "yellow", "confidence": 0.8, "note": "中間"})
    );
    assert!(checkins[1]["note"].is_null());
    let none = kr(&team_quarter(&json, "2025-Q3", "sales"), "below-green");
    assert_eq!(none["checkins"], serde_json::json!([]));
}

#[test]
fn the_timeline_is_newest_first_and_folds_past_four() {
    let html = page("quarters/2025-Q3/product/index.html");
    let dates = [
        "2025年9月22日",
        "2025年9月8日",
        "2025年8月25日",
        "2025年8月14日",
        "2025年8月4日",
        "2025年7月21日",
        "2025年7月7日",
    ];
    let at: Vec<usize> = dates
        .iter()
        .map(|d| {
            html.find(&format!("<span class=\"checkin-date\">{d}</span>"))
                .unwrap_or_else(|| panic!("{d}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "not newest first: {at:?}");
    let fold = html.find("<details class=\"timeline-older\">").unwrap();
    assert!(at[3] < fold && fold < at[4], "the newest four open, the rest folded");
    assert!(html.contains("それ以前のチェックイン（3件）"));
    assert!(html.contains("自信度 80%"));
    // One check-in: nothing to fold.
    assert_eq!(html.matches("timeline-older\"").count(), 1);
    // Printed, the sheet shows only the newest check-in: the fold and the older ones hide.
    let css = page(&crate::common::asset_path(
        &built().join("public"),
        "assets/okrsite.css",
    ));
    assert!(css.contains(".booklet-intro, .chart-data, .timeline-older, details > summary"));
    assert!(css.contains("  .kr .timeline li + li, .kr .checkin-date { display: none; }"));
}

#[test]
fn the_value_on_each_checkin_date_is_the_newest_point_on_or_before_it() {
    let html = page("quarters/2025-Q4/product/index.html");
    // 10-14: the point of 10-11 (47%); 10-28: the point of 10-21 (49%).
    assert!(html.contains("<span class=\"checkin-date\">2025年10月14日</span><span class=\"checkin-short-date print-only\">2025/10/14</span> <span class=\"badge yellow\">注意</span> <span class=\"checkin-fact\">自信度 50%</span> <span class=\"checkin-fact checkin-value\">その日の値 47%</span>"), "{html}");
    assert!(html.contains("その日の値 49%"));
    // The chart says in words which check-ins it marks.
    assert!(
        html.contains("チェックイン: 2025年10月14日 注意、2025年10月28日 順調"),
        "{html}"
    );
}

/// Mid-quarter confidences (nearest 2025-08-15 12:00): product 0.8 vs 0.2 (over) and
/// 0.4 vs 0.3; company 0.5 vs 1.0 (under) and 0.9 vs 0.95 (a check-in after the
/// quarter does not count); sales 0.6 vs 0.6. Shares: product 50% over, company 50% under.
#[test]
fn calibration_shares_per_team() {
    let html = page("quarters/index.html");
    let row = |team: &str| {
        let start = html
            .find(&format!(">{team}</a></th>"))
            .unwrap_or_else(|| panic!("{team}"));
        html[start..start + html[start..].find("</tr>").unwrap()].to_string()
    };
    let cells = |r: String| -> Vec<String> {
        r.split("<td class=\"num\">")
            .skip(1)
            .map(|c| c[..c.find('<').unwrap()].to_string())
            .collect()
    };
    assert_eq!(cells(row("全社")), ["2", "0%", "50%"]);
    assert_eq!(cells(row("プロダクトチーム")), ["2", "50%", "0%"]);
    assert_eq!(cells(row("営業チーム")), ["1", "0%", "0%"]);
    assert!(html.contains("自信度の較正: 5 KR; 自信過剰 1, 自信不足 1."));
}

#[test]
fn the_running_quarter_is_drawn_as_an_outlook() {
    let team = page("teams/product/index.html");
    // Score history: Q4's 0.25 is called an outlook and drawn hollow and dashed.
    assert!(team.contains("2025年 Q4 0.25 (見込み)"), "{team}");
    // Its line is dashed: a style written as its class (`charts::classes`).
    let (dashed, _) = okrsite::render::charts::classes::STYLE_CLASSES
        .iter()
        .find(|(_, run)| run.contains("stroke-dasharray=\"4 3\""))
        .unwrap();
    assert!(team.contains(&format!("<polyline class=\"{dashed}\"")), "{team}");
    // Bars of a running quarter's scores say they are an outlook.
    let review = page("quarters/2025-Q4/product/index.html");
    assert!(
        review.contains("目標ごとのスコア — プロダクトチーム — 2025年 Q4 (見込み): 活性化 0.25"),
        "{review}"
    );
    // The KR chart's text alternative says the same.
    assert!(
        review.contains("(見込み), 予測") || review.contains("(見込み)</desc>"),
        "{review}"
    );
    let ended = page("quarters/2025-Q3/product/index.html");
    assert!(!ended.contains("(見込み)"), "an ended quarter's scores are final");
    let quarter = page("quarters/2025-Q4/index.html");
    assert!(
        quarter.contains("2025年 Q4 (見込み)"),
        "the score distribution is called an outlook"
    );
    let dashboard = page("index.html");
    assert!(dashboard.contains("(見込み)"), "{dashboard}");
    assert!(!dashboard.contains("暫定"));
}
