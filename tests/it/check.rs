//! `okrsite check` on fixtures: one per error class of the content format,
//! each asserting the file, line, column and message.

use crate::common::*;

#[test]
fn the_base_fixture_is_clean_even_under_strict() {
    let site = site(None);
    let out = okrsite()
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn every_error_fixture_is_reported_at_its_line() {
    for dir in fixture_dirs("errors") {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let site = site(Some(&dir));
        let out = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "fixture {name} should fail with exit 1:\n{stderr}"
        );
        for (location, message) in expected(&dir) {
            assert_reported(&stderr, &location, &message, &name);
        }
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn warnings_pass_unless_strict() {
    for dir in fixture_dirs("warnings") {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let site = site(Some(&dir));
        let out = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "fixture {name} should pass without --strict:\n{stderr}"
        );
        for (location, message) in expected(&dir) {
            assert_reported(&stderr, &location, &message, &name);
        }
        let strict = okrsite()
            .args(["check", "--strict", "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        assert_eq!(
            strict.status.code(),
            Some(1),
            "fixture {name} should fail under --strict"
        );
    }
}

#[test]
fn all_errors_of_a_run_are_reported_not_only_the_first() {
    let dir = fixtures().join("errors/many-errors");
    let site = site(Some(&dir));
    let out = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 errors"), "{stderr}");
}

#[test]
fn usage_errors_exit_with_2() {
    okrsite().args(["check", "--no-such-flag"]).assert().code(2);
    okrsite().args(["check", "--root", "/no/such/folder"]).assert().code(2);
    okrsite()
        .args(["build", "--root"])
        .arg(site(None).path())
        .args(["--base-url", "not a url"])
        .assert()
        .code(2);
    let mut bad_epoch = okrsite();
    bad_epoch
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .arg("check")
        .assert()
        .code(2);
}

#[test]
fn help_describes_every_option() {
    let out = okrsite().args(["build", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for opt in ["--root", "--output", "--base-url", "--drafts", "Exit codes"] {
        assert!(help.contains(opt), "build --help lacks {opt}:\n{help}");
    }
    let out = okrsite().args(["check", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for opt in ["--root", "--strict"] {
        assert!(help.contains(opt), "check --help lacks {opt}:\n{help}");
    }
}

#[test]
fn bom_and_crlf_are_read_like_plain_files() {
    let site = site(None);
    let teams = site.path().join("content/teams.yaml");
    let text = std::fs::read_to_string(&teams).unwrap().replace('\n', "\r\n");
    std::fs::write(&teams, format!("\u{feff}{text}")).unwrap();
    let md = site.path().join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&md).unwrap().replace('\n', "\r\n");
    std::fs::write(&md, format!("\u{feff}{text}")).unwrap();
    okrsite()
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .success();
}

#[test]
fn a_broken_metric_file_is_reported_once_not_at_every_kr_using_it() {
    // The base fixture's company KR uses `signups`; breaking that file must not add
    // "metric does not exist" errors at the KR.
    let site = site(Some(&fixtures().join("errors/impossible-date")));
    let out = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 error,"), "{stderr}");
    assert!(!stderr.contains("does not exist"), "{stderr}");
}
