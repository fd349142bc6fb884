//! Build safety: the output folder can never be the sources or above them; an
//! unwritable output is a clear error; a build that fails, or is killed midway
//! (SIGKILL, SIGINT), leaves the previous site complete and byte-identical.

mod content_rules;
mod linear;
mod output_rules;
mod serve_cli;
mod tags;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, FIXTURE_EPOCH, synth};

fn okrsite() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_okrsite"));
    c.env("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
        .env("NO_COLOR", "1")
        .env("OKRSITE_LANG", "en");
    c
}

fn build(root: &Path, output: Option<&Path>) -> Output {
    let mut c = okrsite();
    c.args(["build", "--root"]).arg(root);
    if let Some(o) = output {
        c.arg("--output").arg(o);
    }
    c.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file and folder under `dir` (relative paths; folders end with `/`) → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if e.file_type().is_dir() {
                (format!("{rel}/"), Vec::new())
            } else {
                (rel, std::fs::read(e.path()).unwrap())
            }
        })
        .collect()
}

fn assert_same(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>, what: &str) {
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let changed: Vec<&String> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "{what}: the previous site changed: added {added:?}, removed {removed:?}, changed {changed:?}"
    );
}

#[test]
fn output_into_the_sources_or_above_them_is_refused() {
    let site = common::site(None);
    let root = site.path();
    let before = snapshot(root);
    // (--output, the reason the message must give)
    let cases: Vec<(PathBuf, &str)> = vec![
        (root.join("content"), "inside content/"),
        (root.join("content/2025-Q3"), "inside content/"),
        (root.join("content/../content/x"), "inside content/"),
        (root.to_path_buf(), "the site root"),
        (root.join("."), "the site root"),
        (root.join("content/.."), "the site root"),
        (root.parent().unwrap().to_path_buf(), "a parent of the site root"),
        (root.join(".."), "a parent of the site root"),
        (root.join("../.."), "a parent of the site root"),
        (root.join("templates/x"), "inside templates/"),
        (root.join("static"), "inside static/"),
    ];
    for (output, reason) in &cases {
        let o = build(root, Some(output));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--output {}: {err}", output.display());
        assert!(
            err.contains("refusing to write the site into") && err.contains(reason),
            "--output {}: the message should say it is {reason}:\n{err}",
            output.display()
        );
    }
    // A relative path, from inside the site.
    let o = okrsite()
        .current_dir(root.join("content"))
        .args(["build", "--root", "..", "--output", "."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A symbolic link that leads to the site root.
    #[cfg(unix)]
    {
        let elsewhere = tempfile::tempdir().unwrap();
        let link = elsewhere.path().join("link");
        std::os::unix::fs::symlink(root, &link).unwrap();
        let o = build(root, Some(&link));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("the site root"), "{}", stderr(&o));
    }
    // `output_dir` in okrsite.toml is checked the same way.
    let toml = root.join("okrsite.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    for (dir, reason) in [
        ("content", "inside content/"),
        (".", "the site root"),
        ("..", "a parent of the site root"),
    ] {
        std::fs::write(&toml, format!("output_dir = \"{dir}\"\n{config}")).unwrap();
        let o = build(root, None);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "output_dir = {dir}: {err}");
        assert!(err.contains(reason), "output_dir = {dir}: {err}");
    }
    std::fs::write(&toml, &config).unwrap();
    assert_same(&before, &snapshot(root), "refused builds");
    // And the default output is fine.
    assert!(build(root, None).status.success());
}

#[test]
fn an_output_path_that_is_a_file_is_a_clear_error() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("public");
    std::fs::write(&file, "not a folder").unwrap();
    let o = build(site.path(), Some(&file));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("exists and is not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

/// Whether permissions stop this process (they don't for root).
#[cfg(unix)]
fn permissions_apply(dir: &Path) -> bool {
    let probe = dir.join("probe");
    match std::fs::write(&probe, "x") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            false
        }
        Err(_) => true,
    }
}

#[cfg(unix)]
#[test]
fn an_unwritable_output_folder_is_a_clear_error_and_keeps_the_previous_site() {
    use std::os::unix::fs::PermissionsExt;
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("locked");
    let out = parent.join("public");
    assert!(build(site.path(), Some(&out)).status.success());
    let before = snapshot(&parent);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    if permissions_apply(&parent) {
        // The new site is staged inside the output folder, so a read-only output
        // folder stops the build (a read-only parent no longer does).
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
        let o = build(site.path(), Some(&out));
        let err = stderr(&o);
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("cannot create") && err.contains(&out.display().to_string()),
            "{err}"
        );
        assert!(err.contains("ermission denied"), "{err}");
        // Below a read-only folder that does not exist yet.
        let o = build(site.path(), Some(&parent.join("new/public")));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot create"), "{}", stderr(&o));
    } else {
        eprintln!("skipped the chmod part: permissions do not apply to this user (root)");
    }
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_same(&before, &snapshot(&parent), "unwritable output");
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_even_root_cannot_write_is_a_clear_error() {
    // /proc refuses new folders to everyone, root included.
    let site = common::site(None);
    for out in ["/proc/okrsite-test-output", "/proc/self/okrsite-test-output/public"] {
        let o = build(site.path(), Some(Path::new(out)));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{out}: {err}");
        assert!(err.starts_with("error: cannot"), "{out}: {err}");
        assert!(err.contains("/proc/"), "{out}: the message names the folder: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_failed_build_leaves_every_byte_of_the_previous_site() {
    // Unchanged files are hard-linked from the previous site into the new one; a file
    // written twice (a static/ file replacing a theme asset) must not write through
    // such a link into the previous site when the build then fails.
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(build(site.path(), Some(&out)).status.success());
    let before = snapshot(&out);
    std::fs::create_dir_all(site.path().join("static/assets")).unwrap();
    std::fs::write(site.path().join("static/assets/okrsite.css"), "body{}").unwrap();
    std::fs::write(site.path().join("static/index.html"), "clobbers the dashboard").unwrap();
    let o = build(site.path(), Some(&out));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("static/index.html would overwrite a page"),
        "{}",
        stderr(&o)
    );
    assert_same(&before, &snapshot(&out), "failed build");
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"], "a failed build cleans up its staging folder");
}

/// A generated site whose debug build takes a few seconds.
fn big_site(dir: &Path) -> PathBuf {
    let root = dir.join("big");
    std::fs::create_dir_all(&root).unwrap();
    synth::write_site(
        &root,
        &synth::Spec {
            teams: 24,
            quarters: 11,
            learnings_per_retro: 6,
            secrets: false,
        },
    );
    root
}

/// Builds a small site, then starts building a big one into the same output and
/// sends `signal` once the new site is being written. The previous site must be
/// exactly as it was; a later build must succeed.
#[cfg(unix)]
fn killed_midway(signal: &str, number: i32) {
    use std::os::unix::process::ExitStatusExt;
    let small = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out_parent = dir.path().join("site");
    let out = out_parent.join("public");
    assert!(build(small.path(), Some(&out)).status.success());
    let before = snapshot(&out);
    let big = big_site(dir.path());

    let mut child = okrsite()
        .args(["build", "--root"])
        .arg(&big)
        .arg("--output")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The new site is staged inside the output folder (see SECURITY.md).
    let staging = out.join(format!(".okrsite-staging-{}", child.id()));
    // Wait until the new site is being written, then let it write for a while.
    let started = Instant::now();
    while !staging.join("quarters").exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it was interrupted: make big_site bigger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the build never started writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // (A release build writes this site in well under a second.)
    std::thread::sleep(Duration::from_millis(if cfg!(debug_assertions) { 300 } else { 40 }));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build ended before it was interrupted: make big_site bigger"
    );
    // The shell's own `kill`, so no procps package is needed.
    let killed = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {}", child.id()))
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(number), "{status:?}");
    assert!(
        staging.exists(),
        "the kill landed after the new site was swapped in; the test proves nothing"
    );

    // What an interrupted build leaves is its staging folder inside the output
    // (documented in SECURITY.md); the previous site beside it is untouched.
    let mut after = snapshot(&out);
    let staged = format!(".okrsite-staging-{}/", child.id());
    after.retain(|path, _| !path.starts_with(&staged));
    assert_same(&before, &after, &format!("SIGKILL/SIGINT ({signal})"));
    let beside: Vec<String> = std::fs::read_dir(&out_parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"], "nothing is left beside the output");

    // The next build is not disturbed by the leftover, and completes.
    let o = build(&big, Some(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("api/okrs.json")).unwrap()).unwrap();
    assert_eq!(json["site"], "Generated OKR");
    assert!(out.join("quarters/2025-Q3/team-23/index.html").is_file());
    assert!(
        !staging.exists(),
        "the next build removes the killed build's staging folder"
    );
}

#[cfg(unix)]
#[test]
fn a_build_killed_with_sigkill_leaves_the_previous_site_complete_and_unchanged() {
    killed_midway("KILL", 9);
}

#[cfg(unix)]
#[test]
fn a_build_interrupted_with_sigint_leaves_the_previous_site_complete_and_unchanged() {
    killed_midway("INT", 2);
}
