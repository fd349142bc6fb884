//! Helpers shared by the integration tests.

pub mod exports;
pub mod synth;

pub use exports::{okrs_export, okrs_index, okrs_quarter_files};

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// 2025-11-01 UTC: "today" for the fixtures (2025-Q3 ended, 2025-Q4 in progress).
pub const FIXTURE_EPOCH: &str = "1761955200";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary site: the base fixture with the files of `overlay` (if any) on top.
pub fn site(overlay: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("base"), dir.path());
    if let Some(o) = overlay {
        copy_dir(o, dir.path());
        let _ = std::fs::remove_file(dir.path().join("expected.txt"));
    }
    dir
}

pub fn okrsite() -> Command {
    let mut c = Command::cargo_bin("okrsite").unwrap();
    // The fixtures' sites are Japanese; the tests read the English words unless
    // they ask for Japanese (`it::messages`).
    c.env("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
        .env("NO_COLOR", "1")
        .env("OKRSITE_LANG", "en");
    c
}

/// `(location, message)` pairs from a fixture's expected.txt: `location | message`.
pub fn expected(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join("expected.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (loc, msg) = l.split_once(" | ").expect("`location | message`");
            (loc.trim().to_string(), msg.trim().to_string())
        })
        .collect()
}

/// Asserts that one diagnostic of `output` (diagnostics are separated by a
/// blank line) holds both the location and the message.
pub fn assert_reported(output: &str, location: &str, message: &str, fixture: &str) {
    let found = output
        .split("\n\n")
        .any(|block| block.contains(location) && block.contains(message));
    assert!(
        found,
        "fixture {fixture}: no diagnostic with `{location}` and `{message}` in:\n{output}"
    );
}

pub fn fixture_dirs(kind: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    dirs
}

/// okrsite's record of the build an output holds (`output::stamp::STAMP`): its
/// times and inodes differ from build to build, and it is not part of the site.
pub const BUILD_RECORD: &str = ".okrsite-build";

/// Every file of a built site: (path relative to `dir`, with `/`; bytes), sorted;
/// okrsite's record of the build left out ([`BUILD_RECORD`]).
pub fn output_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && !(e.depth() == 1 && e.file_name() == BUILD_RECORD))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// Options of a build of the site at `root` into its `public/`, on the fixtures'
/// today (2025-11-01), in a long-lived session as `serve` runs it (parses kept
/// between builds).
pub fn session_build(root: &Path) -> okrsite::build::BuildOptions {
    okrsite::build::BuildOptions {
        root: root.to_path_buf(),
        target: okrsite::build::Target::Output {
            dir: None,
            force: false,
        },
        base_url: None,
        drafts: false,
        today: jiff::civil::date(2025, 11, 1),
        compress: false,
        progress: None,
        session: Some(std::sync::Arc::new(okrsite::build::Session::default())),
    }
}

/// Whether `path` is the theme asset `plain` (`assets/search.js`) under its
/// fingerprinted name, `assets/search.<16 hex digits>.js`.
pub fn is_fingerprinted(path: &str, plain: &str) -> bool {
    let Some((stem, ext)) = plain.rsplit_once('.') else {
        return false;
    };
    path.strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(ext))
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
}

/// The output path of the theme asset `plain` (`assets/okrsite.css`) in the site built
/// into `out`: its fingerprinted name. Panics unless exactly one file has it.
pub fn asset_path(out: &Path, plain: &str) -> String {
    let dir = Path::new(plain).parent().unwrap();
    let found: Vec<String> = std::fs::read_dir(out.join(dir))
        .unwrap()
        .map(|e| format!("{}/{}", dir.display(), e.unwrap().file_name().to_string_lossy()))
        .filter(|p| is_fingerprinted(p, plain))
        .collect();
    assert_eq!(found.len(), 1, "{plain} in {}: {found:?}", out.display());
    found[0].clone()
}
