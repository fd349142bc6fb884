//! Issue 15 regression tests: output_rules. The output folder is resolved as the
//! file system will resolve it, never the sources, the site root or above, a git
//! repository or the home folder; an existing folder is replaced only when okrsite
//! wrote it (its marker) or with --force; the site is staged and committed inside
//! the output folder (so a mount point works), one build at a time, and the next
//! build removes what a killed one left.

#[allow(unused_imports)]
use super::*;

const MARKER: &str = ".okrsite-output";

fn build_with(root: &Path, output: &Path, extra: &[&str]) -> Output {
    okrsite()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .unwrap()
}

/// Asserts a refusal: exit 2, the standard opening, the reason and a hint.
fn assert_refused(o: &Output, reason: &str, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(
        err.contains("refusing to write the site into") && err.contains(reason),
        "{what}: the message should say it is {reason}:\n{err}"
    );
    assert!(
        err.contains("choose") || err.contains("build into"),
        "{what}: no advice:\n{err}"
    );
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_missing_folder_then_dotdot_into_content_is_refused() {
    let site = common::site(None);
    let root = site.path();
    let before = snapshot(root);
    // `nope/` does not exist: the old guard compared the path unresolved.
    let o = build_with(root, &root.join("nope/../content"), &[]);
    assert_refused(&o, "inside content/", "--output <root>/nope/../content");
    let o = okrsite()
        .current_dir(root)
        .args(["build", "--output", "nope/../content"])
        .output()
        .unwrap();
    assert_refused(&o, "inside content/", "--output nope/../content from the root");
    let o = build_with(root, &root.join("nope/deeper/../../content/2025-Q3"), &["--force"]);
    assert_refused(&o, "inside content/", "two missing parts, --force");
    assert!(!root.join("nope").exists(), "a refused build creates nothing");
    assert_same(&before, &snapshot(root), "refused builds");
}

#[test]
fn output_dir_with_dotdot_into_content_is_refused() {
    let site = common::site(None);
    let root = site.path();
    let toml = root.join("okrsite.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("output_dir = \"public/../content\"\n{config}")).unwrap();
    let before = snapshot(root);
    let o = build(root, None);
    assert_refused(&o, "inside content/", "output_dir = public/../content, public/ missing");
    assert_same(&before, &snapshot(root), "refused build");
    std::fs::create_dir(root.join("public")).unwrap();
    let o = build(root, None);
    assert_refused(&o, "inside content/", "output_dir = public/../content, public/ present");
}

#[test]
fn a_git_repository_is_refused_even_with_force() {
    let site = common::site(None);
    let root = site.path();
    std::fs::create_dir_all(root.join(".git/refs")).unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let before = snapshot(root);
    for force in [&[][..], &["--force"][..]] {
        let o = okrsite()
            .current_dir(root)
            .args(["build", "--output", ".git"])
            .args(force)
            .output()
            .unwrap();
        assert_refused(&o, "inside a .git folder", "--output .git");
        let o = build_with(root, &root.join(".git/public"), force);
        assert_refused(&o, "inside a .git folder", "--output .git/public");
    }
    // A folder elsewhere holding a repository (a checkout, or a git worktree's `.git` file).
    let elsewhere = tempfile::tempdir().unwrap();
    let checkout = elsewhere.path().join("checkout");
    std::fs::create_dir_all(checkout.join(".git")).unwrap();
    std::fs::write(checkout.join("README"), "mine").unwrap();
    let o = build_with(root, &checkout, &["--force"]);
    assert_refused(&o, "holds a git repository", "a checkout, --force");
    let worktree = elsewhere.path().join("worktree");
    std::fs::create_dir_all(&worktree).unwrap();
    std::fs::write(worktree.join(".git"), "gitdir: /somewhere\n").unwrap();
    let o = build_with(root, &worktree, &[]);
    assert_refused(&o, "holds a git repository", "a git worktree");
    // With --force, a repository deeper inside an unmarked folder is found too.
    let deep = elsewhere.path().join("deep");
    std::fs::create_dir_all(deep.join("a/b/.git")).unwrap();
    let o = build_with(root, &deep, &["--force"]);
    assert_refused(&o, "holds a git repository", "a repository deep inside, --force");
    assert!(deep.join("a/b/.git").is_dir());
    assert_eq!(std::fs::read_to_string(checkout.join("README")).unwrap(), "mine");
    assert_same(&before, &snapshot(root), "refused builds");
}

#[test]
fn an_existing_folder_okrsite_did_not_write_needs_force() {
    let site = common::site(None);
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    common::copy_dir(site.path(), &root);
    let theirs = parent.path().join("existing");
    std::fs::create_dir_all(theirs.join("notes")).unwrap();
    std::fs::write(theirs.join("notes/plan.txt"), "mine").unwrap();
    // `--output ../existing`, relative to the site root.
    let o = okrsite()
        .current_dir(&root)
        .args(["build", "--output", "../existing"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("refusing to replace") && err.contains("okrsite did not write it"),
        "{err}"
    );
    assert!(err.contains("--force") && err.contains(MARKER), "{err}");
    assert!(err.contains("older okrsite"), "the upgrade path is named: {err}");
    assert_eq!(std::fs::read_to_string(theirs.join("notes/plan.txt")).unwrap(), "mine");
    assert_eq!(names(&theirs), ["notes"], "a refused build writes nothing there");

    // An empty folder and a missing one are fine without --force.
    let empty = parent.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(build_with(&root, &empty, &[]).status.success());
    assert!(empty.join(MARKER).is_file() && empty.join("index.html").is_file());
    assert!(build_with(&root, &parent.path().join("new/out"), &[]).status.success());

    // --force replaces it, marks it, and later builds need no flag.
    let o = build_with(&root, &theirs, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!theirs.join("notes").exists(), "--force replaces what was there");
    assert!(theirs.join(MARKER).is_file() && theirs.join("index.html").is_file());
    let o = build_with(&root, &theirs, &[]);
    assert!(o.status.success(), "a marked folder is accepted: {}", stderr(&o));

    // The marker is what counts: without it, a former output is refused.
    std::fs::remove_file(theirs.join(MARKER)).unwrap();
    assert_eq!(build_with(&root, &theirs, &[]).status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn a_symlink_to_the_sources_is_refused_and_one_elsewhere_is_followed() {
    let site = common::site(None);
    let root = site.path();
    let links = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.join("static")).unwrap();
    let to_content = links.path().join("to-content");
    std::os::unix::fs::symlink(root.join("content"), &to_content).unwrap();
    let before = snapshot(root);
    assert_refused(
        &build_with(root, &to_content, &["--force"]),
        "inside content/",
        "a link to content/",
    );
    let to_static = links.path().join("to-static");
    std::os::unix::fs::symlink(root.join("static"), &to_static).unwrap();
    assert_refused(
        &build_with(root, &to_static.join("new"), &[]),
        "inside static/",
        "below a link to static/",
    );
    // `content` itself a link to a folder elsewhere: that folder is the sources.
    let real_content = links.path().join("real-content");
    std::fs::rename(root.join("content"), &real_content).unwrap();
    std::os::unix::fs::symlink(&real_content, root.join("content")).unwrap();
    assert_refused(
        &build_with(root, &real_content, &[]),
        "inside content/",
        "the target of content/",
    );
    assert_refused(
        &build_with(root, links.path(), &["--force"]),
        "holds the site's content/",
        "its parent",
    );
    std::fs::remove_file(root.join("content")).unwrap();
    std::fs::rename(&real_content, root.join("content")).unwrap();
    assert_same(&before, &snapshot(root), "refused builds");
    // A link to a folder of its own: the site is written into its target, the link stays.
    let target = links.path().join("www");
    let link = links.path().join("public");
    std::fs::create_dir(&target).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for _ in 0..2 {
        let o = build_with(root, &link, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(target.join("index.html").is_file());
    // A dangling link is not followed into a new folder.
    let dangling = links.path().join("dangling");
    std::os::unix::fs::symlink(links.path().join("missing"), &dangling).unwrap();
    let o = build_with(root, &dangling, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(!links.path().join("missing").exists());
}

#[test]
fn the_home_folder_and_above_it_are_refused() {
    let site = common::site(None);
    let fake = tempfile::tempdir().unwrap();
    let home = fake.path().join("home/me");
    std::fs::create_dir_all(home.join("documents")).unwrap();
    let run = |output: &Path| {
        okrsite()
            .env("HOME", &home)
            .args(["build", "--force", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(output)
            .output()
            .unwrap()
    };
    assert_refused(&run(&home), "your home folder", "$HOME");
    assert_refused(&run(&home.join("documents/..")), "your home folder", "$HOME via ..");
    assert_refused(
        &run(&fake.path().join("home")),
        "a parent of your home folder",
        "above $HOME",
    );
    assert_eq!(names(&home), ["documents"]);
    // Inside it is fine: ~/sites/public is where people build.
    let o = run(&home.join("sites/public"));
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_site_roots_parent_is_refused_even_with_force() {
    let site = common::site(None);
    let root = site.path();
    for output in [root.parent().unwrap().to_path_buf(), root.join("missing/../..")] {
        assert_refused(
            &build_with(root, &output, &["--force"]),
            "a parent of the site root",
            "the root's parent",
        );
    }
    assert_refused(&build_with(root, root, &["--force"]), "the site root", "the root");
}

/// Holds the output's lock from the test, as a running build would: a build must
/// wait for it (saying so), then finish; nothing is left anywhere.
#[test]
fn a_second_build_waits_for_the_first() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(build(site.path(), Some(&out)).status.success());
    let marker = std::fs::OpenOptions::new().write(true).open(out.join(MARKER)).unwrap();
    marker.lock().unwrap();
    let mut child = okrsite()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait for the lock"
    );
    let staged: Vec<String> = names(&out)
        .into_iter()
        .filter(|n| n.starts_with(".okrsite-") && n != crate::common::BUILD_RECORD)
        .collect();
    assert_eq!(staged, [MARKER], "a waiting build writes nothing");
    marker.unlock().unwrap();
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("another okrsite build is writing into") && err.contains("waiting"),
        "{err}"
    );
    assert_eq!(names(dir.path()), ["public"]);
}

#[test]
fn two_builds_at_once_into_one_output_both_succeed_and_leave_nothing() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let big = big_site(dir.path());
    let out = dir.path().join("public");
    for round in 0..2 {
        let spawn = |root: &Path| {
            okrsite()
                .args(["build", "--root"])
                .arg(root)
                .arg("--output")
                .arg(&out)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(&big), spawn(site.path()));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success(), "round {round}: {}", stderr(&a));
        assert!(b.status.success(), "round {round}: {}", stderr(&b));
        let mut beside = names(dir.path());
        beside.retain(|n| n != "big");
        assert_eq!(beside, ["public"], "round {round}: nothing beside the output");
        let ours: Vec<String> = names(&out)
            .into_iter()
            .filter(|n| n.starts_with(".okrsite") && n != crate::common::BUILD_RECORD)
            .collect();
        assert_eq!(ours, [MARKER], "round {round}: no staging or old folder left inside");
        // Whichever finished last, the output is one whole site.
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("api/okrs.json")).unwrap()).unwrap();
        let whole = match json["site"].as_str() {
            Some("Generated OKR") => out.join("quarters/2025-Q3/team-23/index.html").is_file(),
            _ => !out.join("quarters/2025-Q3/team-23").exists(),
        };
        assert!(whole, "round {round}: a mix of two sites");
    }
}

/// Makes a process id that is not running (a child that has ended).
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn the_next_build_removes_what_killed_builds_left() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(build(site.path(), Some(&out)).status.success());
    let dead = dead_pid();
    // Inside: a staging and an old folder of killed builds, a half-written journal.
    for leftover in [
        format!(".okrsite-staging-{dead}/quarters"),
        format!(".okrsite-old-{dead}/x"),
    ] {
        std::fs::create_dir_all(out.join(leftover)).unwrap();
    }
    std::fs::write(out.join(".okrsite-commit.tmp"), "{").unwrap();
    // Beside: folders older okrsite builds staged there, of a dead and of a live process.
    let live = std::process::id();
    for name in [
        format!(".public.okrsite-staging-{dead}"),
        format!(".public.okrsite-old-{dead}"),
        format!(".public.okrsite-staging-{live}"),
        ".public.okrsite-old-notapid".to_string(),
        ".public.mine".to_string(),
    ] {
        std::fs::create_dir_all(dir.path().join(&name).join("index.html.d")).unwrap();
    }
    let o = build(site.path(), Some(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    let ours: Vec<String> = names(&out)
        .into_iter()
        .filter(|n| n.starts_with(".okrsite") && n != crate::common::BUILD_RECORD)
        .collect();
    assert_eq!(ours, [MARKER]);
    assert_eq!(
        names(dir.path()),
        [
            ".public.mine".to_string(),
            ".public.okrsite-old-notapid".to_string(),
            format!(".public.okrsite-staging-{live}"),
            "public".to_string(),
        ],
        "only okrsite's own names of processes that ended are removed"
    );
}

/// Unmounts when dropped, pass or fail.
#[cfg(target_os = "linux")]
struct Mounted(PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// An output folder that is a mount point cannot be renamed, so the site must be
/// swapped in inside it. With root and tmpfs, a real mount point is built into
/// twice; everywhere, the output folder must keep its identity (same inode) across
/// builds, which is what makes a mount point work.
#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_mount_point_is_replaced_inside() {
    use std::os::unix::fs::MetadataExt;
    let small = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("volume");
    std::fs::create_dir(&out).unwrap();
    #[cfg(target_os = "linux")]
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "okrsite-test"])
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        .then(|| Mounted(out.clone()));
    #[cfg(not(target_os = "linux"))]
    let mounted: Option<()> = None;
    let identity = |p: &Path| {
        let m = std::fs::metadata(p).unwrap();
        (m.dev(), m.ino())
    };
    let before = identity(&out);
    assert!(build(small.path(), Some(&out)).status.success());
    let big = big_site(dir.path());
    let o = build(&big, Some(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(identity(&out), before, "the output folder itself was replaced");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("api/okrs.json")).unwrap()).unwrap();
    assert_eq!(json["site"], "Generated OKR");
    let ours: Vec<String> = names(&out)
        .into_iter()
        .filter(|n| n.starts_with(".okrsite") && n != crate::common::BUILD_RECORD)
        .collect();
    assert_eq!(ours, [MARKER]);
    let mut beside = names(dir.path());
    beside.retain(|n| n != "big");
    assert_eq!(beside, ["volume"]);
    if mounted.is_some() {
        eprintln!("tested on a real tmpfs mount point");
    } else {
        eprintln!("no tmpfs mount here (not root?): tested that the output folder keeps its inode");
    }
    drop(mounted);
}
