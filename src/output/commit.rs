//! Swapping a staged site into the output folder, and repairing a swap that a
//! killed build left half done.
//!
//! While a build runs, the output folder holds, beside the previous site:
//!
//! ```text
//! .okrsite-output           the marker, and the lock (never moved, never replaced)
//! .okrsite-staging-<pid>/   the new site, written file by file
//! .okrsite-old-<pid>/       the previous site's entries, during the commit only
//! .okrsite-commit           the journal, during the commit only
//! ```
//!
//! The output folder itself is never renamed: a folder that is a mount point (a
//! container volume, a network share) cannot be, and staging inside it keeps the
//! new files on the same file system as the previous ones (so unchanged files are
//! hard-linked, not copied) and keeps the folder's owner, mode and ACLs.
//!
//! The commit moves the top-level entries: each previous entry into the old
//! folder, then the new one into its place. It first writes a journal naming the
//! new site's entries; a build killed during the commit leaves the journal, and
//! the next build finishes the move (the new site was complete before the commit
//! began), so the output never stays a mix of two sites. Each entry is one
//! `rename`, so the commit takes microseconds whatever the size of the site.
//! `renameat2(RENAME_EXCHANGE)` would also close the microsecond gap in which a
//! top-level entry is missing, but it is Linux-only, unsupported on several of the
//! network file systems this path exists for, and makes the journal ambiguous (a
//! swapped pair looks like an unswapped one), so plain renames are used.

use crate::msg;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::OutputError;

pub const JOURNAL: &str = ".okrsite-commit";
const JOURNAL_TMP: &str = ".okrsite-commit.tmp";
const STAGING_PREFIX: &str = ".okrsite-staging-";
const OLD_PREFIX: &str = ".okrsite-old-";

/// Names okrsite keeps for itself at the top of the output folder: the site may
/// not use them, and the commit never moves them.
pub fn is_reserved(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".okrsite")
}

pub fn staging_name(pid: u32) -> String {
    format!("{STAGING_PREFIX}{pid}")
}

pub fn old_name(pid: u32) -> String {
    format!("{OLD_PREFIX}{pid}")
}

/// What a commit in progress is doing, written before the first move.
#[derive(Serialize, Deserialize)]
struct Journal {
    staging: String,
    old: String,
    /// The new site's top-level entries.
    entries: Vec<String>,
}

impl Journal {
    /// A journal is read back from disk: accept only names okrsite makes, so a
    /// damaged one can never move anything outside the output folder.
    fn is_sound(&self) -> bool {
        let plain = |n: &str| {
            let mut parts = Path::new(n).components();
            matches!(parts.next(), Some(std::path::Component::Normal(_))) && parts.next().is_none()
        };
        self.staging.starts_with(STAGING_PREFIX)
            && plain(&self.staging)
            && self.old.starts_with(OLD_PREFIX)
            && plain(&self.old)
            && self.entries.iter().all(|e| plain(e) && !is_reserved(OsStr::new(e)))
    }
}

/// Moves the site staged in `out/<staging>` into `out`, replacing every entry of
/// the previous site (except okrsite's own reserved names).
pub fn commit(out: &Path, staging: &str, old: &str) -> Result<(), OutputError> {
    let staged = out.join(staging);
    let mut entries: Vec<String> = std::fs::read_dir(&staged)
        .map_err(|e| OutputError::io(msg!("io.read"), &staged, e))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| OutputError::io(msg!("io.read"), &staged, e))?;
    entries.sort();
    let old_dir = out.join(old);
    std::fs::create_dir(&old_dir).map_err(|e| OutputError::io(msg!("io.create"), &old_dir, e))?;
    let journal = Journal {
        staging: staging.into(),
        old: old.into(),
        entries,
    };
    write_journal(out, &journal)?;
    if let Err(e) = roll_forward(out, &journal) {
        // An I/O error, not a kill: put the previous site back as it was.
        undo(out, &journal);
        let _ = std::fs::remove_file(out.join(JOURNAL));
        return Err(e);
    }
    finish(out, &journal);
    Ok(())
}

/// Finishes the commit of a build that was killed during it, if there was one.
/// Called with the output's lock held.
pub fn recover(out: &Path) -> Result<(), OutputError> {
    let path = out.join(JOURNAL);
    let text = match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        other => other.map_err(|e| OutputError::io(msg!("io.read"), &path, e))?,
    };
    let journal: Journal = match serde_json::from_slice(&text) {
        Ok(j) if Journal::is_sound(&j) => j,
        _ => return Err(OutputError::DamagedJournal { path }),
    };
    roll_forward(out, &journal)?;
    finish(out, &journal);
    Ok(())
}

/// Removes what killed builds left inside the output: their staging and old
/// folders and a half-written journal. Called with the lock held, after
/// [`recover`], so none of them belongs to a running build.
pub fn remove_leftovers(out: &Path) -> Result<(), OutputError> {
    for entry in std::fs::read_dir(out).map_err(|e| OutputError::io(msg!("io.read"), out, e))? {
        let entry = entry.map_err(|e| OutputError::io(msg!("io.read"), out, e))?;
        let name = entry.file_name();
        let bytes = name.as_encoded_bytes();
        let path = entry.path();
        if bytes.starts_with(STAGING_PREFIX.as_bytes()) || bytes.starts_with(OLD_PREFIX.as_bytes()) {
            remove_any(&path).map_err(|e| OutputError::io(msg!("io.remove_leftover"), &path, e))?;
        } else if name == JOURNAL_TMP || name == super::stamp::STAMP_TMP {
            let _ = std::fs::remove_file(&path);
        }
    }
    Ok(())
}

/// Removes the folders that older builds of okrsite staged beside the output
/// (`.<name>.okrsite-staging-<pid>`, `.<name>.okrsite-old-<pid>`) when the build
/// that made them is no longer running. Only these exact names are touched.
pub fn remove_old_style_leftovers(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let Ok(listing) = std::fs::read_dir(parent) else { return };
    let name = name.to_string_lossy();
    let prefixes = [format!(".{name}.okrsite-staging-"), format!(".{name}.okrsite-old-")];
    for entry in listing.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let pid = prefixes.iter().find_map(|p| file_name.strip_prefix(p.as_str()));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !is_running(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id runs (true when unsure: then nothing is removed).
fn is_running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        if pid == std::process::id() {
            // This process never makes such folders: a leftover of an earlier one.
            return false;
        }
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

fn write_journal(out: &Path, journal: &Journal) -> Result<(), OutputError> {
    let tmp = out.join(JOURNAL_TMP);
    let path = out.join(JOURNAL);
    let text = serde_json::to_vec(journal).unwrap_or_default();
    std::fs::write(&tmp, text).map_err(|e| OutputError::io(msg!("io.write"), &tmp, e))?;
    // The rename makes the journal appear whole or not at all.
    std::fs::rename(&tmp, &path).map_err(|e| OutputError::io(msg!("io.write"), &path, e))
}

/// Each step checks where things are, so running it again after a kill at any
/// point completes the same move: a new entry still in staging has not been
/// moved in yet (its previous one, if still in place, is moved out first).
fn roll_forward(out: &Path, journal: &Journal) -> Result<(), OutputError> {
    let staged = out.join(&journal.staging);
    let old = out.join(&journal.old);
    if !old.is_dir() {
        std::fs::create_dir(&old).map_err(|e| OutputError::io(msg!("io.create"), &old, e))?;
    }
    let move_to =
        |from: &Path, to: &Path| std::fs::rename(from, to).map_err(|e| OutputError::io(msg!("io.replace"), from, e));
    for name in &journal.entries {
        let new = staged.join(name);
        if !exists(&new) {
            continue;
        }
        let place = out.join(name);
        if exists(&place) {
            move_to(&place, &old.join(name))?;
        }
        move_to(&new, &place)?;
    }
    let keep: HashSet<&OsStr> = journal.entries.iter().map(OsStr::new).collect();
    for entry in std::fs::read_dir(out).map_err(|e| OutputError::io(msg!("io.read"), out, e))? {
        let name = entry.map_err(|e| OutputError::io(msg!("io.read"), out, e))?.file_name();
        if !is_reserved(&name) && !keep.contains(name.as_os_str()) {
            move_to(&out.join(&name), &old.join(&name))?;
        }
    }
    Ok(())
}

/// Puts the previous site back after a failed (not killed) commit: new entries
/// already moved in go back to staging, then the previous ones return.
fn undo(out: &Path, journal: &Journal) {
    let staged = out.join(&journal.staging);
    let old = out.join(&journal.old);
    for name in &journal.entries {
        let place = out.join(name);
        if !exists(&staged.join(name)) && exists(&place) {
            let _ = std::fs::rename(&place, staged.join(name));
        }
    }
    if let Ok(listing) = std::fs::read_dir(&old) {
        for entry in listing.flatten() {
            let _ = std::fs::rename(entry.path(), out.join(entry.file_name()));
        }
    }
}

/// The journal goes first: once it is gone the output is the new site, and what
/// remains (the old and staging folders) is garbage for the next build to remove.
fn finish(out: &Path, journal: &Journal) {
    let _ = std::fs::remove_file(out.join(JOURNAL));
    let _ = std::fs::remove_dir_all(out.join(&journal.old));
    let _ = std::fs::remove_dir_all(out.join(&journal.staging));
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A commit killed after any number of its moves is finished by `recover`.
    #[test]
    fn a_commit_cut_after_any_move_is_finished_by_the_next_build() {
        for cut in 0..6 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path();
            std::fs::write(out.join(".okrsite-output"), "").unwrap();
            std::fs::write(out.join("index.html"), "old").unwrap();
            std::fs::create_dir(out.join("gone")).unwrap();
            std::fs::write(out.join("gone/x"), "old").unwrap();
            let staged = out.join(staging_name(1));
            std::fs::create_dir_all(staged.join("quarters")).unwrap();
            std::fs::write(staged.join("index.html"), "new").unwrap();
            std::fs::write(staged.join("quarters/q"), "new").unwrap();
            std::fs::create_dir(out.join(old_name(1))).unwrap();
            let journal = Journal {
                staging: staging_name(1),
                old: old_name(1),
                entries: vec!["index.html".into(), "quarters".into()],
            };
            write_journal(out, &journal).unwrap();
            // The moves a commit makes, in order; stop after `cut` of them.
            let moves = [
                ("index.html", format!("{}/index.html", old_name(1))),
                (&*format!("{}/index.html", staging_name(1)), "index.html".into()),
                (&*format!("{}/quarters", staging_name(1)), "quarters".into()),
                ("gone", format!("{}/gone", old_name(1))),
            ];
            for (from, to) in moves.iter().take(cut) {
                std::fs::rename(out.join(from), out.join(to)).unwrap();
            }
            recover(out).unwrap();
            remove_leftovers(out).unwrap();
            assert_eq!(
                files(out),
                [".okrsite-output", "index.html", "quarters/q"],
                "cut after {cut} moves"
            );
            assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "new");
        }
    }

    #[test]
    fn a_damaged_journal_moves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "old").unwrap();
        let bad = r#"{"staging":"../../etc","old":".okrsite-old-1","entries":["index.html"]}"#;
        std::fs::write(dir.path().join(JOURNAL), bad).unwrap();
        assert!(matches!(recover(dir.path()), Err(OutputError::DamagedJournal { .. })));
        assert_eq!(std::fs::read_to_string(dir.path().join("index.html")).unwrap(), "old");
    }
}
