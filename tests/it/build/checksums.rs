//! The output of the sample site and of every buildable fixture, pinned file by
//! file: a refactoring must not change one byte (issue 17). After a change that
//! is meant to alter the output, run `OKRSITE_BLESS=1 cargo test --test it
//! build::checksums::output_is_byte_identical` and review the diff of
//! tests/output-checksums.txt.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::common::{self, FIXTURE_EPOCH, fixture_dirs, okrsite};

const SAMPLE_EPOCH: &str = "1795219200";

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike std's hashers.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Builds `root` into a fresh folder and lists each output file:
/// `<label> <path> <size> <hash>`.
fn checksums(label: &str, root: &Path, epoch: &str, extra: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    okrsite()
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&public)
        .args(extra)
        .assert()
        .success();
    // okrsite's record of the build holds times and inodes: not the site's bytes.
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && !(e.depth() == 1 && e.file_name() == common::BUILD_RECORD))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut lines = String::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let rel = file.strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/");
        writeln!(lines, "{label} {rel} {} {:016x}", bytes.len(), fnv1a(&bytes)).unwrap();
    }
    lines
}

#[test]
fn output_is_byte_identical() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = checksums("sample", sample, SAMPLE_EPOCH, &[]);
    all += &checksums(
        "sample-drafts-okr",
        sample,
        SAMPLE_EPOCH,
        &["--drafts", "--base-url", "/okr/"],
    );
    let base = common::site(None);
    all += &checksums("base", base.path(), FIXTURE_EPOCH, &[]);
    let retro_values = common::site(Some(&common::fixtures().join("retro-values")));
    all += &checksums("retro-values", retro_values.path(), FIXTURE_EPOCH, &[]);
    for dir in fixture_dirs("warnings") {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let site = common::site(Some(&dir));
        all += &checksums(&format!("warnings/{name}"), site.path(), FIXTURE_EPOCH, &[]);
    }
    all += &checksums("hostile", &common::fixtures().join("hostile"), FIXTURE_EPOCH, &[]);
    all += &checksums("practice", &common::fixtures().join("practice"), FIXTURE_EPOCH, &[]);
    all += &checksums("english", &common::fixtures().join("english"), FIXTURE_EPOCH, &[]);
    let stored = sample.join("tests/output-checksums.txt");
    if std::env::var_os("OKRSITE_BLESS").is_some() {
        std::fs::write(&stored, &all).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&stored).unwrap();
    let differences: Vec<String> = diff(&expected, &all);
    assert!(
        differences.is_empty(),
        "the output changed ({} lines differ; OKRSITE_BLESS=1 to accept):\n{}",
        differences.len(),
        differences.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// Lines only in `expected` (`-`) or only in `actual` (`+`).
fn diff(expected: &str, actual: &str) -> Vec<String> {
    let old: std::collections::BTreeSet<&str> = expected.lines().collect();
    let new: std::collections::BTreeSet<&str> = actual.lines().collect();
    let gone = old.difference(&new).map(|l| format!("- {l}"));
    let added = new.difference(&old).map(|l| format!("+ {l}"));
    gone.chain(added).collect()
}
