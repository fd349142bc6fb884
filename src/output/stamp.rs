//! The record of the build an output folder holds (`.okrsite-build`): the
//! fingerprint of everything that build's output depends on (made by the build
//! stage; here it is an opaque text), its summary counts, and every file it wrote
//! with its size, modification time and inode. A later build of the same input
//! that finds every one of those files as recorded, and no other, writes nothing.
//!
//! The record is removed before a commit moves anything and written only after the
//! commit has finished (a temporary file, then a rename), so a record present
//! always describes the files beside it: a failed or cancelled build leaves the
//! previous site with its record, and a build killed during its commit leaves no
//! record (the next build then writes everything).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::commit::is_reserved;

/// The record's name: reserved (`.okrsite…`), so the site can never write it and
/// the commit never moves it.
pub const STAMP: &str = ".okrsite-build";
pub const STAMP_TMP: &str = ".okrsite-build.tmp";

/// What a build reports on its summary line.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub files: usize,
    pub pages: usize,
    pub charts: usize,
    pub learnings: usize,
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    fingerprint: String,
    summary: Summary,
    files: Vec<FileState>,
}

/// One file of the output as the file system has it: path (`/`-separated, from
/// the output's root), size, modification time (seconds, nanoseconds) and inode.
/// An edit in place changes the time, an editor's save-and-rename the inode.
pub type FileState = (String, u64, i64, i64, u64);

/// Removes the record: the output is about to change.
pub fn remove(out: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(out.join(STAMP)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Records the site now in `out` as the output of the build `fingerprint` names:
/// its files as `written` says (each file's state when it was written, in any
/// order, a file written twice last as it was written), or as found in `out` when
/// `None`.
pub fn write(out: &Path, fingerprint: &str, summary: Summary, written: Option<Vec<FileState>>) -> std::io::Result<()> {
    let files = match written {
        Some(states) => in_walk_order(states),
        // Every file stated once more, one after the other: tens of milliseconds
        // at 200 teams, at the very end of the build.
        None => files(out)?,
    };
    let stamp = Stamp {
        fingerprint: fingerprint.to_string(),
        summary,
        files,
    };
    let tmp = out.join(STAMP_TMP);
    std::fs::write(&tmp, serde_json::to_vec(&stamp).map_err(std::io::Error::other)?)?;
    std::fs::rename(&tmp, out.join(STAMP))
}

/// The summary of the build recorded in `out` when it was the build `fingerprint`
/// names and every file it wrote is still there as it left it, with nothing added.
pub fn unchanged(out: &Path, fingerprint: &str) -> Option<Summary> {
    let text = std::fs::read(out.join(STAMP)).ok()?;
    let stamp: Stamp = serde_json::from_slice(&text).ok()?;
    if stamp.fingerprint != fingerprint {
        return None;
    }
    (files(out).ok()? == stamp.files).then_some(stamp.summary)
}

/// `states` in the order [`files`] finds them (folder by folder, names sorted as
/// bytes: `a/b` before `a.x`), each path once (its last state).
fn in_walk_order(states: Vec<FileState>) -> Vec<FileState> {
    let mut numbered: Vec<(usize, FileState)> = states.into_iter().enumerate().collect();
    // The newest state of a path first among its equals, then the others dropped.
    numbered.sort_by(|(i, a), (j, b)| a.0.split('/').cmp(b.0.split('/')).then(j.cmp(i)));
    numbered.dedup_by(|later, first| later.1.0 == first.1.0);
    numbered.into_iter().map(|(_, state)| state).collect()
}

/// Every file of the site in `out` (okrsite's own names left out), in path order.
fn files(out: &Path) -> std::io::Result<Vec<FileState>> {
    let walk = walkdir::WalkDir::new(out)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() > 1 || !is_reserved(e.file_name()));
    let mut found = Vec::new();
    for entry in walk {
        let entry = entry.map_err(std::io::Error::from)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let path = crate::diag::display_path(out, entry.path());
        let meta = entry.metadata().map_err(std::io::Error::from)?;
        found.push(state(path, &meta));
    }
    Ok(found)
}

#[cfg(unix)]
pub fn state(path: String, meta: &std::fs::Metadata) -> FileState {
    use std::os::unix::fs::MetadataExt;
    (path, meta.len(), meta.mtime(), meta.mtime_nsec(), meta.ino())
}

#[cfg(not(unix))]
pub fn state(path: String, meta: &std::fs::Metadata) -> FileState {
    let since = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    let seconds = i64::try_from(since.as_secs()).unwrap_or(i64::MAX);
    (path, meta.len(), seconds, i64::from(since.subsec_nanos()), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("index.html"), "1").unwrap();
        std::fs::write(dir.path().join("a/b.html"), "22").unwrap();
        std::fs::write(dir.path().join(".okrsite-output"), "").unwrap();
        dir
    }

    const SUMMARY: Summary = Summary {
        files: 2,
        pages: 2,
        charts: 0,
        learnings: 0,
    };

    #[test]
    fn a_recorded_output_left_alone_is_unchanged_for_its_fingerprint_only() {
        let dir = site();
        assert_eq!(unchanged(dir.path(), "f"), None, "no record yet");
        write(dir.path(), "f", SUMMARY, None).unwrap();
        assert_eq!(unchanged(dir.path(), "f"), Some(SUMMARY));
        assert_eq!(unchanged(dir.path(), "g"), None);
        remove(dir.path()).unwrap();
        assert_eq!(unchanged(dir.path(), "f"), None);
        remove(dir.path()).unwrap();
    }

    #[test]
    fn a_file_removed_added_or_replaced_is_noticed() {
        let changes: [fn(&Path); 4] = [
            |d| std::fs::remove_file(d.join("a/b.html")).unwrap(),
            |d| std::fs::write(d.join("a/c.html"), "").unwrap(),
            |d| std::fs::write(d.join("index.html"), "22").unwrap(),
            |d| {
                // Same size and bytes, but a new file: an editor's save.
                std::fs::write(d.join("new"), "1").unwrap();
                std::fs::rename(d.join("new"), d.join("index.html")).unwrap();
            },
        ];
        for (i, change) in changes.iter().enumerate() {
            let dir = site();
            write(dir.path(), "f", SUMMARY, None).unwrap();
            change(dir.path());
            assert_eq!(unchanged(dir.path(), "f"), None, "change {i}");
        }
    }

    /// The states the staging kept as it wrote (any order, a file written twice)
    /// are the record a walk of the folder makes, so the next build finds it unchanged.
    #[test]
    fn states_kept_while_writing_make_the_record_a_walk_makes() {
        let dir = site();
        std::fs::create_dir_all(dir.path().join("a/c")).unwrap();
        std::fs::write(dir.path().join("a/c/d.html"), "4").unwrap();
        // `a.x` sorts before `a/…` as a string, after it in a walk.
        std::fs::write(dir.path().join("a.x"), "5").unwrap();
        let state_of = |p: &str| state(p.to_string(), &std::fs::symlink_metadata(dir.path().join(p)).unwrap());
        let mut stale = state_of("index.html");
        stale.1 += 7;
        let written = ["a.x", "a/c/d.html", "index.html", "a/b.html"].map(state_of);
        let mut states = vec![stale, written[0].clone()];
        states.extend(written.iter().skip(1).cloned());
        assert_eq!(in_walk_order(states.clone()), files(dir.path()).unwrap());
        write(dir.path(), "f", SUMMARY, Some(states)).unwrap();
        assert_eq!(unchanged(dir.path(), "f"), Some(SUMMARY));
    }
}
