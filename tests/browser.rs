//! Real-browser tests (headless Chromium through playwright-core). They need
//! `chromium` and `npm ci` in tests/browser, so plain `cargo test` skips them;
//! `.ci/run` installs both and runs `cargo test -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

const SAMPLE_EPOCH: &str = "1795219200";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn build_sample(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_okrsite"))
        .env("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

fn run_check(script: &str, site: &Path, mode: &str) {
    assert!(
        browser_dir().join("node_modules/playwright-core").is_dir(),
        "run `npm ci` in tests/browser first (and install chromium)"
    );
    let out = Command::new("node")
        .arg(browser_dir().join(script))
        .arg("--site")
        .arg(site)
        .args(["--mode", mode])
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} {mode} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("0 failures"), "{stdout}");
}

#[test]
#[ignore = "needs Chromium and npm; run by .ci/run"]
fn every_sample_page_loads_cleanly_at_root_under_a_subpath_and_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("public");
    build_sample(&site);
    for mode in ["root", "subpath", "file"] {
        run_check("site-check.mjs", &site, mode);
    }
}
