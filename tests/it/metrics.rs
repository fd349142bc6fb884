//! Metrics in version 2: `drives` (the KPI tree) checked and drawn, staleness against
//! a fixed today, the dashboard's attention list, api/metrics.json, changes of `%`
//! values in points. Built on the base fixture with tests/fixtures/warnings/kpi-tree
//! (today 2025-11-01): revenue ← active-users ← (onboarding, signups), and signups
//! drives revenue too and the private secret-goal; churn is in no tree. Its 2025-Q4
//! (running) has a red and a yellow KR.

use std::path::Path;

use crate::common::*;

fn kpi_site() -> tempfile::TempDir {
    site(Some(&fixtures().join("warnings/kpi-tree")))
}

fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    okrsite().args(["build", "--root"]).arg(root).assert().success();
    out
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

/// The text of `<main>`, where pages differ.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap();
    &html[start..html.find("</main>").unwrap()]
}

fn check(root: &Path) -> (Option<i32>, String) {
    let out = okrsite().args(["check", "--root"]).arg(root).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn each_drives_cycle_is_one_error_and_a_self_loop_is_named() {
    let site = site(Some(&fixtures().join("errors/drives-cycle")));
    let (code, stderr) = check(site.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.matches("a cycle of drives").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("drives itself").count(), 1, "{stderr}");
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn stale_exactly_one_day_past_two_cadences_for_each_cadence() {
    let site = site(None);
    let metrics = site.path().join("content/metrics");
    // Today is 2025-11-01: two cadences back is on time, a day more is stale.
    let cases = [
        ("daily", "2025-10-30", "2025-10-29", 1),
        ("weekly", "2025-10-18", "2025-10-17", 7),
        ("monthly", "2025-08-31", "2025-08-30", 31),
        ("quarterly", "2025-05-01", "2025-04-30", 92),
    ];
    for (cadence, on_time, late, _) in cases {
        for (name, date) in [("on-time", on_time), ("late", late)] {
            let text = format!("name: {cadence} {name}\ncadence: {cadence}\npoints: {{{date}: 1}}\n");
            std::fs::write(metrics.join(format!("{cadence}-{name}.yaml")), text).unwrap();
        }
    }
    let (code, stderr) = check(site.path());
    assert_eq!(code, Some(0), "{stderr}");
    for (cadence, _, late, days) in cases {
        let every = if days == 1 {
            "every day".to_string()
        } else {
            format!("every {days} days")
        };
        let ago = (jiff::civil::date(2025, 11, 1) - late.parse::<jiff::civil::Date>().unwrap()).get_days();
        let message = format!(
            "metric `{cadence}-late` is stale: its newest point is {late} ({ago} days ago); a {cadence} metric is due {every}"
        );
        assert_reported(
            &stderr,
            &format!("content/metrics/{cadence}-late.yaml:2:10"),
            &message,
            cadence,
        );
        assert!(!stderr.contains(&format!("`{cadence}-on-time` is stale")), "{stderr}");
    }
    assert_eq!(stderr.matches("is stale").count(), 4, "{stderr}");
}

#[test]
fn the_index_is_the_kpi_tree_three_levels_deep_with_the_worst_colour_rolled_up() {
    let site = kpi_site();
    let out = build(site.path());
    let html = read(&out, "metrics/index.html");
    let main = main_of(&html);
    // Open/close tags in page order: the tree's shape.
    let shape: String = main
        .match_indices(['<', '"'])
        .filter_map(|(i, _)| {
            let rest = &main[i..];
            [
                ("<ul class=\"kpi-tree\">", "["),
                ("<ul>", "("),
                ("</ul>", ")"),
                ("\"../metrics/revenue/", "R"),
                ("\"../metrics/active-users/", "A"),
                ("\"../metrics/onboarding/", "O"),
                ("\"../metrics/signups/", "S"),
                ("\"../metrics/churn/", "C"),
            ]
            .iter()
            .find(|(tag, _)| rest.starts_with(tag))
            .map(|(_, s)| *s)
        })
        .collect();
    // revenue ( active-users ( onboarding signups ) signups ) ] then churn outside.
    assert_eq!(shape, "[R(A(OS)S))C");
    // The tree's own tags balance: 3 <ul> (the tree's and two levels), 3 </ul>.
    let tree = &main[main.find("kpi-tree\">").unwrap()..main.find("other-metrics").unwrap()];
    assert_eq!(tree.matches("<li").count(), tree.matches("</li>").count());
    // revenue is yellow itself; red rolls up from active-users (290 < 300).
    let revenue = &tree[tree.find("metric-revenue").unwrap()..tree.find("metric-active-users").unwrap()];
    assert!(
        revenue.contains("<span class=\"badge yellow\">注意</span>"),
        "{revenue}"
    );
    assert!(
        revenue.contains("配下の最悪: <span class=\"badge red\">警告</span>"),
        "{revenue}"
    );
    // onboarding: stale, no levers (no roll-up); 45% → 50% is +5.0 points.
    let onboarding = &tree[tree.find("metric-onboarding").unwrap()..tree.find("metric-signups").unwrap()];
    assert!(onboarding.contains("badge stale"), "{onboarding}");
    assert!(onboarding.contains("+5.0ポイント"), "{onboarding}");
    assert!(!onboarding.contains("配下の最悪"), "{onboarding}");
    // signups appears twice, its anchor once.
    assert_eq!(tree.matches("id=\"metric-signups\"").count(), 1);
}

#[test]
fn metric_pages_link_the_tree_show_the_action_and_changes_in_points() {
    let site = kpi_site();
    let out = build(site.path());
    let active = read(&out, "metrics/active-users/index.html");
    let kpi = &active[active.find("id=\"kpi-tree\"").unwrap()..];
    let drives = &kpi[kpi.find("この指標が動かす指標").unwrap()..kpi.find("この指標を動かす指標").unwrap()];
    assert!(drives.contains("../../metrics/revenue/index.html"), "{drives}");
    let driven_by = &kpi[kpi.find("この指標を動かす指標").unwrap()..kpi.find("</dl>").unwrap()];
    assert!(driven_by.contains("metrics/onboarding/") && driven_by.contains("metrics/signups/"));
    // revenue is yellow: its action on top and in the facts.
    let revenue = read(&out, "metrics/revenue/index.html");
    assert_eq!(revenue.matches("解約理由を確認し、営業会議で共有する").count(), 2);
    // onboarding is green: the action in the facts only; stale on top.
    let onboarding = read(&out, "metrics/onboarding/index.html");
    assert_eq!(onboarding.matches("招待導線のログを確認する").count(), 1);
    // The newest point's date, not "26 days ago": the page stays the same on later days.
    assert!(
        onboarding.contains("最新の値は2025年10月6日で、更新間隔の2倍を過ぎています。"),
        "{onboarding}"
    );
    assert!(!onboarding.contains("日前"), "{onboarding}");
    // 45% → 50%: the change is 5 points; 50 is 11% more than 45, which is not shown.
    let main = main_of(&onboarding);
    assert!(main.contains("<td class=\"num\">+5.0ポイント</td>"), "{main}");
    assert!(!main.contains("11%"), "{main}");
}

#[test]
fn the_dashboard_lists_red_then_yellow_with_its_action_then_stale() {
    let site = kpi_site();
    let out = build(site.path());
    let html = read(&out, "index.html");
    let list = &html[html.find("id=\"attention\"").unwrap()..];
    let list = &list[..list.find("</section>").unwrap()];
    let rows: Vec<&str> = list.split("<li>").skip(1).collect();
    assert_eq!(rows.len(), 5, "{list}");
    let has = |row: &str, parts: &[&str]| parts.iter().all(|p| row.contains(p));
    // Red: the metric, then the running quarter's KR (2025-Q4, 31 days in: expected
    // about 400 of 300 → 600, current 290).
    assert!(
        has(rows[0], &["badge red", "metrics/active-users/", "290人"]),
        "{}",
        rows[0]
    );
    assert!(
        has(
            rows[1],
            &["badge red", "2025-Q4/product/index.html#kr-activate-wau", "ペース遅れ"]
        ),
        "{}",
        rows[1]
    );
    // Yellow: the metric with its action, then the KR.
    assert!(
        has(rows[2], &["badge yellow", "metrics/revenue/", "解約理由を確認し"]),
        "{}",
        rows[2]
    );
    assert!(has(rows[3], &["badge yellow", "#kr-activate-retention"]), "{}", rows[3]);
    // Stale only, last.
    assert!(
        has(
            rows[4],
            &["badge stale", "metrics/onboarding/", "最新の値は2025年10月6日で"]
        ),
        "{}",
        rows[4]
    );
    assert!(
        list.contains("href=\"quarters/2025-Q4/at-risk.html#at-risk\""),
        "{list}"
    );
    assert!(
        !rows[0].contains("赤・黄のときの対応"),
        "no action written for active-users"
    );
    assert!(list.contains("href=\"metrics/index.html\""));
}

#[test]
fn metrics_json_has_every_field_and_no_private_metric() {
    let site = kpi_site();
    let out = build(site.path());
    let json: serde_json::Value = serde_json::from_str(&read(&out, "api/metrics.json")).unwrap();
    let metrics = json["metrics"].as_array().unwrap();
    let ids: Vec<&str> = metrics.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["active-users", "churn", "onboarding", "revenue", "signups"]);
    let signups = &metrics[4];
    assert_eq!(signups["drives"], serde_json::json!(["active-users", "revenue"]));
    let revenue = &metrics[3];
    assert_eq!(
        revenue,
        &serde_json::json!({
            "id": "revenue",
            "name": "月次売上",
            "url": "https://intra.example.com/okr/metrics/revenue/",
            "unit": "万円",
            "unit_one": null,
            "unit_position": "after",
            "direction": "increase",
            "layer": "lagging",
            "cadence": "monthly",
            "drives": [],
            "newest": {"date": "2025-10-31", "value": 980},
            "status": "yellow",
            "stale": false,
            "action": "解約理由を確認し、営業会議で共有する"
        })
    );
    assert_eq!(metrics[2]["stale"], true);
    assert_eq!(metrics[0]["status"], "red");
    // The private metric is named nowhere in the output.
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("secret-goal") && !text.contains("xqzsecretgoal"),
                "{}",
                entry.path().display()
            );
        }
    }
    // Linked from every page's footer.
    assert!(read(&out, "index.html").contains("href=\"api/metrics.json\""));
}

#[test]
fn the_attention_list_stops_at_eight_rows_and_says_how_many_more() {
    let site = site(None);
    let metrics = site.path().join("content/metrics");
    for i in 0..11 {
        let text = format!(
            "name: red {i:02}\ndirection: increase\nthresholds: {{red: 10, yellow: 20}}\npoints: {{2025-10-31: 1}}\n"
        );
        std::fs::write(metrics.join(format!("red-{i:02}.yaml")), text).unwrap();
    }
    let out = build(site.path());
    let html = read(&out, "index.html");
    let list = &html[html.find("id=\"attention\"").unwrap()..];
    let list = &list[..list.find("</section>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 8, "{list}");
    // 11 red metrics: the first 8 in id order, then "3 more".
    assert!(
        list.contains("metrics/red-07/") && !list.contains("metrics/red-08/"),
        "{list}"
    );
    assert!(list.contains("ほか3件"), "{list}");
}
