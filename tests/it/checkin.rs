//! `okrsite checkin`: a check-in (and a value) added in place, keeping the file's
//! comments and layout; notes that cannot inject YAML; refusals that write nothing;
//! and `--due`, on the base fixture with tests/fixtures/checkin (2025-Q4 running on
//! the fixtures' today, 2025-11-01).

use std::path::Path;

use crate::common;

const QUARTER_FILE: &str = "content/2025-Q4/product.yaml";
const METRIC_FILE: &str = "content/metrics/onboarding.yaml";

fn site() -> tempfile::TempDir {
    common::site(Some(&common::fixtures().join("checkin")))
}

fn read(site: &Path, file: &str) -> String {
    std::fs::read_to_string(site.join(file)).unwrap()
}

/// `okrsite checkin ARGS… --root SITE`: (success, stdout, stderr).
fn checkin(site: &Path, args: &[&str]) -> (bool, String, String) {
    let out = common::okrsite()
        .arg("checkin")
        .args(args)
        .arg("--root")
        .arg(site)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// `text` with `lines` put in where `marker` ends.
fn inserted_after(text: &str, marker: &str, lines: &str) -> String {
    let at = text.find(marker).unwrap_or_else(|| panic!("no {marker:?}")) + marker.len();
    format!("{}{lines}{}", &text[..at], &text[at..])
}

/// Whether `after` is `before` with one run of text put in somewhere: the bytes
/// they share at the start and at the end cover all of `before`.
fn is_one_insertion(before: &str, after: &str) -> bool {
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let start = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    let end = b.iter().rev().zip(a.iter().rev()).take_while(|(x, y)| x == y).count();
    a.len() > b.len() && start + end >= b.len()
}

/// Nothing but the site's own files: no temporary file left in the folders written to.
fn no_stray_files(site: &Path) {
    for folder in ["content/2025-Q4", "content/metrics"] {
        for entry in std::fs::read_dir(site.join(folder)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.contains("okrsite-checkin"), "{folder}/{name} left behind");
        }
    }
}

fn check_is_clean(site: &Path) {
    let out = common::okrsite().arg("check").arg("--root").arg(site).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.contains(": 0 errors"), "{stderr}");
}

#[test]
fn a_checkin_keeps_the_comments_and_layout_and_goes_after_the_last_one() {
    let dir = site();
    let (before, metric_before) = (read(dir.path(), QUARTER_FILE), read(dir.path(), METRIC_FILE));
    let (ok, _, stderr) = checkin(
        dir.path(),
        &[
            "2025-Q4",
            "product",
            "activation/onboarding",
            "--status",
            "green",
            "--confidence",
            "0.8",
            "--note",
            "完了率は62%",
            "--value",
            "62",
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        stderr,
        "added a check-in to content/2025-Q4/product.yaml: activation/onboarding green on 2025-11-01\n\
         added the value 62 on 2025-11-01 to content/metrics/onboarding.yaml\n"
    );
    // The indentless list gets an item like its own, before the comment below it.
    let want = inserted_after(
        &before,
        "note: \"招待ステップで離脱\"   # 引用符つき\n",
        "        - date: 2025-11-01\n          status: green\n          confidence: 0.8\n          note: 完了率は62%\n",
    );
    assert_eq!(read(dir.path(), QUARTER_FILE), want);
    // The KR is measured on a metric: the value goes to its points.
    assert_eq!(
        read(dir.path(), METRIC_FILE),
        format!("{metric_before}  - date: 2025-11-01\n    value: 62\n")
    );
    no_stray_files(dir.path());
    check_is_clean(dir.path());
}

#[test]
fn flow_lists_stay_flow_and_a_kr_without_checkins_gets_the_key() {
    let dir = site();
    let before = read(dir.path(), QUARTER_FILE);
    let (ok, _, stderr) = checkin(
        dir.path(),
        &[
            "2025-Q4",
            "product",
            "activation/time",
            "--status",
            "red",
            "--value",
            "2.25",
        ],
    );
    assert!(ok, "{stderr}");
    let want = before
        .replace(
            "values: {2025-10-06: 2.8, 2025-10-20: 2.5}",
            "values: {2025-10-06: 2.8, 2025-10-20: 2.5, 2025-11-01: 2.25}",
        )
        .replace(
            "confidence: 0.7}]",
            "confidence: 0.7}, {date: 2025-11-01, status: red}]",
        );
    assert_eq!(read(dir.path(), QUARTER_FILE), want);
    // `o2/kr1` (no id written) has no `checkins` yet: the key goes at the KR's end.
    let (ok, _, stderr) = checkin(
        dir.path(),
        &[
            "2025-Q4",
            "product",
            "o2/kr1",
            "--status",
            "yellow",
            "--date",
            "2025-10-31",
        ],
    );
    assert!(ok, "{stderr}");
    let want = inserted_after(
        &want,
        "            value: 41\n",
        "        checkins:\n          - date: 2025-10-31\n            status: yellow\n",
    );
    assert_eq!(read(dir.path(), QUARTER_FILE), want);
    check_is_clean(dir.path());
}

/// Notes written to break out of their line: each stays one note, the file stays
/// valid and nothing else in it changes.
#[test]
fn a_note_cannot_inject_yaml() {
    let dir = site();
    let notes = [
        "status: red\n- date: 2030-01-01\n  status: green",
        "\"]}, {date: 2030-01-01, status: red}, [\"",
        "# not a comment: and 'quotes' \"too\"",
        "&a *a !!binary ---",
    ];
    for (i, note) in notes.iter().enumerate() {
        let date = format!("2025-10-2{i}");
        for kr in ["activation/onboarding", "activation/time"] {
            let before = read(dir.path(), QUARTER_FILE);
            let (ok, _, stderr) = checkin(
                dir.path(),
                &[
                    "2025-Q4", "product", kr, "--status", "yellow", "--note", note, "--date", &date,
                ],
            );
            assert!(ok, "{note:?}: {stderr}");
            let after = read(dir.path(), QUARTER_FILE);
            let value: serde_yaml::Value = serde_yaml::from_str(&after).unwrap();
            let at = if kr.ends_with("time") { 1 } else { 0 };
            let checkins = value["objectives"][0]["key_results"][at]["checkins"]
                .as_sequence()
                .unwrap();
            let last = checkins.last().unwrap();
            assert_eq!(last["note"].as_str(), Some(*note), "{after}");
            assert_eq!(last["date"].as_str(), Some(date.as_str()));
            assert!(
                is_one_insertion(&before, &after),
                "more than the entry changed:\n{after}"
            );
        }
    }
    check_is_clean(dir.path());
}

/// Each refusal: exit code, the words of the error and its help; nothing written.
#[test]
fn refusals_say_what_is_wrong_and_write_nothing() {
    let dir = site();
    let (before, metric_before) = (read(dir.path(), QUARTER_FILE), read(dir.path(), METRIC_FILE));
    let cases: [(&[&str], &str, &str); 8] = [
        (
            &["2025-Q5", "product", "activation/time"],
            "error: `2025-Q5` is not a quarter; write YYYY-QN, e.g. 2026-Q3",
            "",
        ),
        (
            &["2026-Q1", "product", "activation/time"],
            "error: there is no quarter `2026-Q1` in content/",
            "help: quarters in content/: 2025-Q3, 2025-Q4; start one with `okrsite new QUARTER TEAM`",
        ),
        (
            &["2025-Q4", "prodcut", "activation/time"],
            "error: team `prodcut` has no OKR file in content/2025-Q4/",
            "help: did you mean `product`?",
        ),
        (
            &["2025-Q4", "product", "activaton/time"],
            "error: content/2025-Q4/product.yaml has no objective `activaton`",
            "help: did you mean `activation/time`?",
        ),
        (
            &["2025-Q4", "product", "o2/churn"],
            "error: content/2025-Q4/product.yaml has no KR `o2/churn`",
            "help: KRs of the file: activation/onboarding, activation/time, o2/kr1, o2/kr2",
        ),
        (
            &["2025-Q4", "product", "time"],
            "error: `time` does not name a KR",
            "help: write OBJECTIVE/KR",
        ),
        (
            &["2025-Q4", "product", "activation/time", "--confidence", "60"],
            "error: --confidence 60 is outside 0 to 1; write 0.6 for 60%",
            "",
        ),
        (
            &[
                "2025-Q4",
                "product",
                "activation/onboarding",
                "--value",
                "70",
                "--date",
                "2025-10-06",
            ],
            "error: content/metrics/onboarding.yaml already has a value on 2025-10-06; a series has one value a day",
            "",
        ),
    ];
    for (args, error, help) in cases {
        let mut all = args.to_vec();
        all.extend(["--status", "green"]);
        let (ok, _, stderr) = checkin(dir.path(), &all);
        assert!(!ok);
        assert!(stderr.starts_with(error), "{args:?}: {stderr}");
        assert!(stderr.contains(help), "{args:?}: {stderr}");
    }
    assert_eq!(read(dir.path(), QUARTER_FILE), before);
    assert_eq!(read(dir.path(), METRIC_FILE), metric_before);
    no_stray_files(dir.path());
}

/// A value the site refuses (beyond 1e15) would add an error: it is shown, with its
/// line in the file as it would be, and nothing is written (exit 1).
#[test]
fn a_checkin_that_would_add_an_error_writes_nothing() {
    let dir = site();
    let before = read(dir.path(), QUARTER_FILE);
    let out = common::okrsite()
        .args([
            "checkin", "2025-Q4", "product", "o2/kr1", "--status", "green", "--value", "1e16",
        ])
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("larger in magnitude than 1e15"), "{stderr}");
    assert!(stderr.contains("content/2025-Q4/product.yaml:37:"), "{stderr}");
    assert!(
        stderr.contains("error: nothing written: the check-in would give the site the error above"),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), QUARTER_FILE), before);
    no_stray_files(dir.path());
}

/// `checkin --due` with one variable of the environment set: its stdout (it succeeds).
fn due_with(site: &Path, (name, value): (&str, &str)) -> String {
    let out = common::okrsite()
        .env(name, value)
        .args(["checkin", "--due", "--root"])
        .arg(site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// On 2025-11-01: `activation/onboarding` was checked in on 10-25, seven days
/// before (due); `activation/time` on 10-26, six days before (not due); `o2/kr1`
/// never; `o2/kr2` only on 11-05, after today (due, "no check-in yet"). Owners:
/// the KR's (佐藤, 高橋), else the objective's (鈴木).
#[test]
fn due_lists_the_krs_without_a_checkin_in_the_last_seven_days() {
    let dir = site();
    let (ok, stdout, stderr) = checkin(dir.path(), &["--due"]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "2025-Q4: 3 KRs with no check-in in the 7 days to 2025-11-01\n\
         プロダクトチーム (product)\n\
         \x20 activation/onboarding  オンボーディング完了率を60%→70%  owner: 佐藤  last: 2025-10-25 yellow\n\
         \x20 o2/kr1  週次アクティブ率を40%→45%  owner: 鈴木  no check-in yet\n\
         \x20 o2/kr2  解約理由の調査を終える  owner: 高橋  no check-in yet\n"
    );
    // After the week's check-ins, nothing is due; in Japanese on a Japanese site.
    for kr in ["activation/onboarding", "o2/kr1", "o2/kr2"] {
        let (ok, _, stderr) = checkin(dir.path(), &["2025-Q4", "product", kr, "--status", "green"]);
        assert!(ok, "{stderr}");
    }
    assert_eq!(
        due_with(dir.path(), ("OKRSITE_LANG", "ja")),
        "2025-Q4: すべての KR（4件）に 2025-11-01 までの7日間のチェックインがあります\n"
    );
    // No quarter running (2030-01-01): nothing is due.
    assert_eq!(
        due_with(dir.path(), ("SOURCE_DATE_EPOCH", "1893456000")),
        "no quarter is running on 2030-01-01: no check-in is due\n"
    );
}

/// A KR on a metric whose points are in `content/metrics/<id>.csv`: the value is a
/// new last row, in the file's date style and line breaks; with `as_of` in
/// okrsite.toml, a check-in without `--date` is dated `as_of`, and `--due` counts
/// from it.
#[test]
fn a_value_goes_to_the_metric_csv_and_as_of_is_today() {
    let dir = site();
    let root = dir.path();
    let quarter = read(root, QUARTER_FILE).replace(
        "values: {2025-10-06: 2.8, 2025-10-20: 2.5}   # 日付: 値",
        "metric: first-task",
    );
    std::fs::write(root.join(QUARTER_FILE), quarter).unwrap();
    let metrics = root.join("content/metrics");
    std::fs::write(
        metrics.join("first-task.yaml"),
        "name: 初回タスクまでの日数\nunit: 日\n",
    )
    .unwrap();
    let csv = "date,value,note\r\n2025/10/06,2.8,\"開始, 計測\"\r\n2025/10/20,2.5,\r\n";
    std::fs::write(metrics.join("first-task.csv"), csv).unwrap();
    let config = read(root, "okrsite.toml");
    std::fs::write(root.join("okrsite.toml"), format!("as_of = \"2025-10-30\"\n{config}")).unwrap();
    let (ok, _, stderr) = checkin(
        root,
        &[
            "2025-Q4",
            "product",
            "activation/time",
            "--status",
            "green",
            "--value",
            "2.1",
        ],
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.ends_with("added the value 2.1 on 2025-10-30 to content/metrics/first-task.csv\n"),
        "{stderr}"
    );
    assert_eq!(
        read(root, "content/metrics/first-task.csv"),
        format!("{csv}2025/10/30,2.1,\r\n")
    );
    assert!(
        read(root, QUARTER_FILE)
            .contains("{date: 2025-10-26, status: green, confidence: 0.7}, {date: 2025-10-30, status: green}]")
    );
    check_is_clean(root);
    // On 2025-10-30, 10-25 is five days back: onboarding is not due.
    let (_, stdout, _) = checkin(root, &["--due"]);
    assert!(
        stdout.starts_with("2025-Q4: 2 KRs with no check-in in the 7 days to 2025-10-30\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("activation/onboarding"), "{stdout}");
}
