//! A build of unchanged input into its own output writes nothing; any change that
//! could make the output differ makes it write, and the result is then exactly a
//! fresh build's.

use std::path::Path;
use std::process::Output;

use crate::common::{self, FIXTURE_EPOCH, okrsite, output_files};

/// The record of the last build (`okrsite::output::stamp::STAMP`).
const STAMP: &str = ".okrsite-build";
/// 2025-09-01: the fixture's 2025-Q3 still runs.
const EPOCH_IN_Q3: &str = "1756684800";
const NOTE: &str = "unchanged since the last build";

fn build(root: &Path, out: &Path, epoch: &str, extra: &[&str]) -> Output {
    okrsite()
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Builds and asserts success; whether the build wrote nothing.
fn built(root: &Path, out: &Path, epoch: &str, extra: &[&str]) -> bool {
    let o = build(root, out, epoch, extra);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    err.contains(NOTE)
}

/// What a build into an empty folder writes.
fn fresh(root: &Path, epoch: &str, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(!built(root, &out, epoch, extra));
    output_files(&out)
}

/// Each file's inode and modification time, okrsite's record left out.
#[cfg(unix)]
fn identities(out: &Path) -> Vec<(String, u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let mut v: Vec<_> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != STAMP)
        .map(|e| {
            let m = e.metadata().unwrap();
            (e.path().display().to_string(), m.ino(), m.mtime(), m.mtime_nsec())
        })
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_second_build_of_the_same_site_writes_nothing_and_says_so() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let first = build(site.path(), &out, FIXTURE_EPOCH, &[]);
    assert!(first.status.success() && !stderr(&first).contains(NOTE));
    assert!(out.join(STAMP).is_file());
    let (files, before) = (output_files(&out), identities(&out));
    let second = build(site.path(), &out, FIXTURE_EPOCH, &[]);
    let err = stderr(&second);
    assert!(second.status.success() && err.contains(NOTE), "{err}");
    // The same summary line as the first build's.
    let summary = |e: &str| {
        e.lines()
            .find(|l| l.contains(" pages, "))
            .map(|l| l.split(" in ").next().unwrap().to_string())
    };
    assert_eq!(summary(&err), summary(&stderr(&first)), "{err}");
    assert!(summary(&err).is_some(), "{err}");
    assert_eq!(identities(&out), before, "a file was written again");
    assert!(output_files(&out) == files);
    assert!(files == fresh(site.path(), FIXTURE_EPOCH, &[]));
}

/// One change to the site or the build: `(what, change the site, epoch, flags)`.
type Change = (&'static str, fn(&Path), &'static str, &'static [&'static str]);

fn make_draft(root: &Path) {
    let retro = root.join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&retro).unwrap();
    std::fs::write(&retro, text.replacen("---\n", "---\ndraft: true\n", 1)).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap_or_default();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

const CHANGES: &[Change] = &[
    (
        "a content file",
        |root| {
            let okrs = root.join("content/2025-Q3/company.yaml");
            let text = std::fs::read_to_string(&okrs).unwrap();
            std::fs::write(&okrs, text.replacen("継続率を底上げする", "EDITED-OBJECTIVE-MARK", 1)).unwrap();
        },
        FIXTURE_EPOCH,
        &[],
    ),
    (
        "a template override",
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
            let text = std::fs::read_to_string(theme).unwrap();
            let text = text.replace("{% endblock content %}", "<p>OVERRIDE-MARK</p>{% endblock content %}");
            std::fs::write(root.join("templates/404.html"), text).unwrap();
        },
        FIXTURE_EPOCH,
        &[],
    ),
    (
        "a static file",
        |root| {
            std::fs::create_dir_all(root.join("static")).unwrap();
            std::fs::write(root.join("static/robots.txt"), "User-agent: *\n").unwrap();
        },
        FIXTURE_EPOCH,
        &[],
    ),
    (
        "--base-url",
        |_| {},
        FIXTURE_EPOCH,
        &["--base-url", "https://okr.example.org/okr/"],
    ),
    (
        "base_url in okrsite.toml",
        |root| {
            let config = root.join("okrsite.toml");
            let text = std::fs::read_to_string(&config).unwrap();
            let changed = text.replace("https://intra.example.com/okr/", "https://okr.example.org/");
            assert_ne!(changed, text);
            std::fs::write(&config, changed).unwrap();
        },
        FIXTURE_EPOCH,
        &[],
    ),
    // The first build leaves the draft out; this one puts it in.
    ("--drafts", |_| {}, FIXTURE_EPOCH, &["--drafts"]),
    ("SOURCE_DATE_EPOCH (today)", |_| {}, EPOCH_IN_Q3, &[]),
    ("--compress", |_| {}, FIXTURE_EPOCH, &["--compress"]),
];

#[test]
fn after_any_change_the_rebuild_is_what_a_fresh_build_writes() {
    for (what, change, epoch, flags) in CHANGES {
        let site = common::site(None);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        make_draft(site.path());
        assert!(!built(site.path(), &out, FIXTURE_EPOCH, &[]), "{what}");
        let before = output_files(&out);
        change(site.path());
        let expected = fresh(site.path(), epoch, flags);
        assert!(
            before != expected,
            "{what}: the change changes nothing (a test that cannot fail)"
        );
        assert!(
            !built(site.path(), &out, epoch, flags),
            "{what}: the rebuild wrote nothing"
        );
        assert!(
            output_files(&out) == expected,
            "{what}: the rebuild differs from a fresh build"
        );
        assert!(
            built(site.path(), &out, epoch, flags),
            "{what}: the next build wrote again"
        );
    }
}

#[test]
fn a_file_deleted_or_edited_in_the_output_is_written_again() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(!built(site.path(), &out, FIXTURE_EPOCH, &[]));
    let expected = output_files(&out);
    std::fs::remove_file(out.join("index.html")).unwrap();
    assert!(
        !built(site.path(), &out, FIXTURE_EPOCH, &[]),
        "a deleted page was not noticed"
    );
    assert!(output_files(&out) == expected);
    append(&out.join("404.html"), "edited by hand");
    std::fs::write(out.join("extra.html"), "mine").unwrap();
    assert!(
        !built(site.path(), &out, FIXTURE_EPOCH, &[]),
        "an edited page was not noticed"
    );
    assert!(output_files(&out) == expected);
    assert!(built(site.path(), &out, FIXTURE_EPOCH, &[]));
    // Deleting the record makes the next build write everything.
    std::fs::remove_file(out.join(STAMP)).unwrap();
    assert!(!built(site.path(), &out, FIXTURE_EPOCH, &[]));
    assert!(output_files(&out) == expected);
}

#[test]
fn a_failed_build_keeps_the_output_and_its_record() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(!built(site.path(), &out, FIXTURE_EPOCH, &[]));
    let expected = output_files(&out);
    let teams = site.path().join("content/teams.yaml");
    let good = std::fs::read_to_string(&teams).unwrap();
    std::fs::write(&teams, "teams: [\n").unwrap();
    let failed = build(site.path(), &out, FIXTURE_EPOCH, &[]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(output_files(&out) == expected, "a failed build changed the output");
    // Back as it was: the output is still that site's, nothing to write.
    std::fs::write(&teams, &good).unwrap();
    assert!(built(site.path(), &out, FIXTURE_EPOCH, &[]));
    assert!(output_files(&out) == expected);
    // A good change after a failed one is written.
    append(&site.path().join("content/2025-Q3/product.md"), "\nLATER-MARK\n");
    std::fs::write(&teams, "teams: [\n").unwrap();
    assert_eq!(build(site.path(), &out, FIXTURE_EPOCH, &[]).status.code(), Some(1));
    std::fs::write(&teams, &good).unwrap();
    assert!(!built(site.path(), &out, FIXTURE_EPOCH, &[]));
    assert!(output_files(&out) == fresh(site.path(), FIXTURE_EPOCH, &[]));
}
