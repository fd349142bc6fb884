//! Issue 15 regression tests: content_rules (numbers, file types, encodings,
//! `aligns_to` cycles, quarters at the edge of the calendar, templates at check time).

#[allow(unused_imports)]
use super::*;

/// `okrsite check` on `root`: the exit code and what it printed.
fn check(root: &Path) -> (Option<i32>, String) {
    let o = okrsite().args(["check", "--root"]).arg(root).output().unwrap();
    (o.status.code(), stderr(&o))
}

/// `check`, failing the test if it does not end within 60 s (generous: only a hang
/// must fail it; debug builds on a busy machine take seconds).
fn check_or_fail_on_hang(root: &Path) -> (Option<i32>, String) {
    let mut child = okrsite()
        .args(["check", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("check did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Whether one diagnostic (blocks are separated by a blank line) holds every part.
fn reported(err: &str, parts: &[&str]) -> bool {
    err.split("\n\n").any(|block| parts.iter().all(|p| block.contains(p)))
}

/// Builds `root` into a temporary folder and returns every text file of the output.
fn built_text(root: &Path) -> (tempfile::TempDir, Vec<(String, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let o = build(root, Some(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    let files = snapshot(&out)
        .into_iter()
        .filter_map(|(rel, bytes)| String::from_utf8(bytes).ok().map(|t| (rel, t)))
        .collect();
    (dir, files)
}

// --- numbers ---

#[test]
fn numbers_above_1e15_and_weights_outside_0_to_1000_are_errors_at_their_position() {
    let site = common::site(None);
    let root = site.path();
    // Values near f64::MAX used to make `check` pass and `build` run forever.
    write(
        root,
        "content/metrics/signups.yaml",
        "name: 新規登録数\nunit: 件\ndirection: increase\naggregate: sum\npoints: {2025-07-07: 1.7e308, 2025-08-04: -2e15, 2025-09-30: 50}\n",
    );
    write(
        root,
        "content/metrics/onboarding.yaml",
        "name: x\ndirection: increase\nthresholds:\n  red: 1e16\n  yellow: 50\npoints:\n  - date: 2025-07-07\n    value: 45\n",
    );
    write(
        root,
        "content/2025-Q3/product.yaml",
        "objectives:\n  - id: first-value\n    title: t\n    key_results:\n      - id: a\n        title: a\n        metric: onboarding\n        baseline: 45\n        target: 2e15\n        weight: 1e308\n      - id: b\n        title: b\n        score: 0.5\n        weight: 1001\n      - id: c\n        title: c\n        score: 0.5\n        weight: 0\n      - id: d\n        title: d\n        score: 0.5\n        weight: 1000\n",
    );
    let (code, err) = check_or_fail_on_hang(root);
    assert_eq!(code, Some(1), "{err}");
    for parts in [
        &[
            "content/metrics/signups.yaml:5:22",
            "the value on 2025-07-07 is 1.7e308",
            "1e15",
        ][..],
        &["content/metrics/signups.yaml:5:43", "the value on 2025-08-04 is -2e15"],
        &["content/metrics/onboarding.yaml:4:8", "thresholds.red is 1e16", "1e15"],
        &["content/2025-Q3/product.yaml:9:17", "`target` is 2e15"],
        &[
            "content/2025-Q3/product.yaml:10:17",
            "weight 1e308 is outside (0, 1000]",
        ],
        &["content/2025-Q3/product.yaml:14:17", "weight 1001 is outside (0, 1000]"],
        &["content/2025-Q3/product.yaml:18:17", "weight 0 is outside (0, 1000]"],
    ] {
        assert!(reported(&err, parts), "no diagnostic with {parts:?}:\n{err}");
    }
    assert!(err.contains("7 errors"), "weight 1000 and 1e15 are fine:\n{err}");
}

#[test]
fn a_decreasing_kr_at_its_baseline_scores_0_00_not_minus_0_00() {
    let site = common::site(None);
    let root = site.path();
    write(
        root,
        "content/2025-Q3/company.yaml",
        "objectives:\n  - id: grow\n    title: 継続率を底上げする\n    key_results:\n      - title: 解約日数を38→28\n        baseline: 38\n        target: 28\n        values: {2025-08-01: 38}\n      - title: 価格ページを公開する\n        score: -0.0\n",
    );
    let (_dir, files) = built_text(root);
    for (rel, text) in &files {
        assert!(!text.contains("-0.00"), "{rel} shows -0.00");
        assert!(!text.contains("\"score\":-0.0"), "{rel} has a -0.0 score");
    }
    let review = &files
        .iter()
        .find(|(rel, _)| rel == "quarters/2025-Q3/company/index.html")
        .expect("the company review")
        .1;
    assert!(review.contains("0.00"), "the KR's score is shown as 0.00");
}

#[test]
fn a_previous_point_of_1e_minus_320_shows_no_infinite_percent_change() {
    let site = common::site(None);
    let root = site.path();
    write(
        root,
        "content/metrics/onboarding.yaml",
        "name: x\nunit: \"%\"\ndirection: increase\npoints:\n  - date: 2025-10-06\n    value: 1e-320\n  - date: 2025-10-13\n    value: 5\n",
    );
    let (_dir, files) = built_text(root);
    // The theme's own scripts are code (teams.js calls `isNaN`), not numbers we wrote.
    let theme_script = |rel: &str| {
        ["assets/search.js", "assets/teams.js", "assets/picker.js"]
            .iter()
            .any(|s| common::is_fingerprinted(rel, s))
    };
    for (rel, text) in files.iter().filter(|(rel, _)| !theme_script(rel)) {
        for bad in ["inf%", "NaN", "inf<", ">inf", ",inf", "∞"] {
            assert!(!text.contains(bad), "{rel} contains {bad}");
        }
    }
}

// --- file types ---

#[cfg(unix)]
#[test]
fn a_named_pipe_or_socket_in_content_is_an_error_naming_it_not_a_hang() {
    let site = common::site(None);
    let root = site.path();
    let fifo = root.join("content/2025-Q3/company.md");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let _socket = std::os::unix::net::UnixListener::bind(root.join("content/metrics/live.yaml")).unwrap();
    let (code, err) = check_or_fail_on_hang(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(
            &err,
            &["content/2025-Q3/company.md", "a named pipe (FIFO)", "regular files"]
        ),
        "{err}"
    );
    assert!(reported(&err, &["content/metrics/live.yaml", "a socket"]), "{err}");
    // Ignored, it is never opened and never an error.
    let toml = root.join("okrsite.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("ignore = [\"**/company.md\", \"**/live.yaml\"]\n{config}"),
    )
    .unwrap();
    let (code, err) = check_or_fail_on_hang(root);
    assert_eq!(code, Some(0), "{err}");
    // The configuration file itself as a pipe.
    std::fs::remove_file(&toml).unwrap();
    assert!(Command::new("mkfifo").arg(&toml).status().unwrap().success());
    let (code, err) = check_or_fail_on_hang(root);
    assert_ne!(code, Some(0), "{err}");
    assert!(
        err.contains("okrsite.toml") && err.contains("a named pipe (FIFO)"),
        "{err}"
    );
}

// --- aligns_to cycles ---

#[test]
fn a_20000_long_aligns_to_cycle_is_one_error_found_in_linear_time() {
    let site = common::site(None);
    let root = site.path();
    // 200 teams of 100 objectives, each aligned to the next, the last back to the first.
    let (teams, per_team) = (200, 100);
    let n = teams * per_team;
    let name = |i: usize| format!("t{}/o{}", i / per_team, i % per_team);
    let mut teams_yaml = String::new();
    for t in 0..teams {
        teams_yaml.push_str(&format!("- id: t{t}\n  name: T{t}\n"));
        let mut yaml = String::from("objectives:\n");
        for i in t * per_team..(t + 1) * per_team {
            yaml.push_str(&format!(
                "  - id: o{}\n    title: t\n    aligns_to: {}\n    key_results: [{{title: a, score: 0.5}}, {{title: b, score: 0.5}}]\n",
                i % per_team,
                name((i + 1) % n)
            ));
        }
        write(root, &format!("content/2025-Q3/t{t}.yaml"), &yaml);
    }
    write(root, "content/teams.yaml", &teams_yaml);
    for f in ["product.yaml", "product.md", "company.yaml"] {
        std::fs::remove_file(root.join("content/2025-Q3").join(f)).unwrap();
    }
    let (code, err) = check_or_fail_on_hang(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(
            &err,
            &[
                "content/2025-Q3/t0.yaml:4:16",
                "a cycle of aligns_to: t0/o0 → t0/o1",
                "(19992 more)",
                "t199/o99 → t0/o0",
            ]
        ),
        "{err}"
    );
    assert!(err.contains("1 error,"), "{err}");
}

// --- encodings ---

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if little_endian { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for unit in text.encode_utf16() {
        out.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn a_utf16_file_is_named_utf16_and_gets_no_follow_on_warnings() {
    let site = common::site(None);
    let root = site.path();
    let okrs = root.join("content/2025-Q3/product.yaml");
    let text = std::fs::read_to_string(&okrs).unwrap();
    std::fs::write(&okrs, utf16(&text, true, true)).unwrap();
    // Without a byte order mark: recognised by its NUL bytes.
    let metric = root.join("content/metrics/onboarding.yaml");
    let text = std::fs::read_to_string(&metric).unwrap();
    std::fs::write(&metric, utf16(&text, false, false)).unwrap();
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(
            &err,
            &[
                "content/2025-Q3/product.yaml:1:1",
                "UTF-16 (little-endian, with a byte order mark) — save it as UTF-8"
            ]
        ),
        "{err}"
    );
    assert!(
        reported(
            &err,
            &[
                "content/metrics/onboarding.yaml",
                "UTF-16 (big-endian, without a byte order mark)"
            ]
        ),
        "{err}"
    );
    // product.md has its OKR file (unreadable, reported once): no "retrospective without OKRs".
    assert!(err.contains("2 errors, 0 warnings"), "{err}");
}

#[test]
fn billion_laughs_yaml_is_an_error_with_its_file_and_line() {
    let site = common::site(None);
    let root = site.path();
    let mut yaml = String::from("- id: company\n  name: 全社\n- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        yaml.push_str(&format!("- &a{i} [{refs}]\n"));
    }
    write(root, "content/teams.yaml", &yaml);
    let (code, err) = check_or_fail_on_hang(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(&err, &["content/teams.yaml:8:3", "aliases"]),
        "the error names the file and the line:\n{err}"
    );
}

// --- quarters at the edge of the calendar ---

#[test]
fn quarters_at_the_edge_of_the_calendar_say_exactly_what_is_wrong() {
    let site = common::site(None);
    let root = site.path();
    let okrs = std::fs::read_to_string(root.join("content/2025-Q3/company.yaml")).unwrap();
    let toml = root.join("okrsite.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("fiscal_year_start_month = 4\n{config}")).unwrap();
    for q in ["9999-Q4", "0000-Q1", "0001-Q1", "9999-Q3"] {
        write(root, &format!("content/{q}/company.yaml"), &okrs);
    }
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(
            &err,
            &[
                "content/9999-Q4",
                "9999-Q4 ends in 10000-03 with a fiscal year starting in month 4, after 9999-12-31",
                "the last quarter it accepts is 9999-Q3"
            ]
        ),
        "{err}"
    );
    assert!(
        reported(
            &err,
            &["content/0000-Q1", "there is no year 0000; years run from 0001 to 9999"]
        ),
        "{err}"
    );
    assert!(err.contains("2 errors"), "0001-Q1 and 9999-Q3 are fine:\n{err}");
    assert!(!err.contains("panicked"), "{err}");

    // The first and the last quarter build (calendar quarters: 9999-Q4 ends on 9999-12-31).
    std::fs::write(&toml, &config).unwrap();
    std::fs::remove_dir_all(root.join("content/0000-Q1")).unwrap();
    write(root, "content/9999-Q4/company.yaml", &okrs);
    let dir = tempfile::tempdir().unwrap();
    let o = build(root, Some(&dir.path().join("public")));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("public/quarters/9999-Q4/company/index.html").is_file());
    assert!(dir.path().join("public/quarters/0001-Q1/company/index.html").is_file());
}

// --- templates at check time ---

#[test]
fn check_renders_the_templates_and_names_the_broken_one() {
    let site = common::site(None);
    let root = site.path();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    // Renders wrong only with a metric's data: compiles, fails on the metric page.
    let metric = std::fs::read_to_string(theme.join("metric.html")).unwrap();
    let broken = metric.replacen(
        "{% block content %}",
        "{% block content %}\n{{ metric.no_such_field.x }}",
        1,
    );
    assert_ne!(metric, broken, "the theme's metric.html has a content block");
    write(root, "templates/metric.html", &broken);
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    let line = broken
        .lines()
        .position(|l| l.contains("no_such_field"))
        .map(|i| i + 1)
        .unwrap();
    assert!(
        reported(
            &err,
            &[
                &format!("templates/metric.html:{line}:"),
                "template metric.html fails to render metrics/"
            ]
        ),
        "{err}"
    );
    // A template that does not compile, named with its line.
    write(root, "templates/metric.html", &metric);
    write(
        root,
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    );
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(&err, &["templates/404.html:3:", "template 404.html does not compile"]),
        "{err}"
    );
    // Fixed: check passes again.
    std::fs::remove_file(root.join("templates/404.html")).unwrap();
    let (code, err) = check(root);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn an_id_too_long_for_a_file_name_is_an_error_before_build() {
    // A 300-character team id passed `check`, then `build` failed writing
    // `teams/<id>/` ("File name too long") with no source location.
    let site = common::site(None);
    let long = "a".repeat(300);
    write(
        site.path(),
        "content/teams.yaml",
        &format!("- id: company\n  name: c\n- id: product\n  name: p\n  parent: company\n- id: {long}\n  name: x\n"),
    );
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        reported(&err, &["content/teams.yaml:6:7", "at most 64 characters"]),
        "{err}"
    );
    let ok = "b".repeat(64);
    write(
        site.path(),
        "content/teams.yaml",
        &format!("- id: company\n  name: c\n- id: product\n  name: p\n  parent: company\n- id: {ok}\n  name: x\n"),
    );
    let out = site.path().join("out");
    let o = build(site.path(), Some(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("teams").join(&ok).join("index.html").is_file());
}
