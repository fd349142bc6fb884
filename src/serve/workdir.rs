//! The private folder `serve` builds the site into. It holds drafts when
//! `--drafts` is given, so only its owner may read it (mode 0700), it is removed
//! when serve stops (Ctrl-C, SIGTERM, SIGHUP), and folders left by runs that
//! were killed outright (SIGKILL, a crash) are removed at the next start.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every serve folder is named `okrsite-serve-<pid>-<random>` in the temp folder.
const PREFIX: &str = "okrsite-serve-";

pub struct WorkDir {
    dir: tempfile::TempDir,
}

impl WorkDir {
    /// Creates a new private folder in the system's temp folder, then removes the
    /// leftovers of earlier runs.
    pub fn create() -> Result<WorkDir, WorkDirError> {
        let temp = std::env::temp_dir();
        let prefix = format!("{PREFIX}{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(&temp).map_err(|source| WorkDirError {
            temp: temp.clone(),
            source,
        })?;
        remove_leftovers(&temp, dir.path());
        Ok(WorkDir { dir })
    }

    /// The folder: each generation of the site is built in a folder inside it.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the folder and everything in it, spending at most `budget` on it
    /// so that serve stops on time: what is left then (a large site on a slow
    /// disk) is handed to a detached `rm -rf` that outlives this process.
    ///
    /// The folder is renamed first, so a build still finishing (it gets a moment
    /// when serve stops) can no longer write into it: its next file fails instead
    /// of recreating the folder. The new name keeps the prefix, so a removal cut
    /// short is finished at the next start.
    pub fn remove(self, budget: Duration) {
        let path = self.dir.keep();
        let mut doomed = path.clone().into_os_string();
        doomed.push("-removing");
        let doomed = PathBuf::from(doomed);
        let target = if std::fs::rename(&path, &doomed).is_ok() {
            doomed
        } else {
            path
        };
        let finished = remove_within(&target, Instant::now() + budget);
        if !matches!(finished, Ok(true))
            && !hand_over(&target)
            && let Err(e) = std::fs::remove_dir_all(&target)
        {
            let warning = crate::msg!(
                "serve.cannot_remove",
                path = target.display().to_string(),
                error = e.to_string()
            );
            eprintln!("{warning}");
        }
    }
}

/// Removes `dir` and what it holds, entry by entry, until `deadline`. Returns
/// whether it is all gone. Symbolic links are removed, never followed.
fn remove_within(dir: &Path, deadline: Instant) -> std::io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        if Instant::now() > deadline {
            return Ok(false);
        }
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            if !remove_within(&entry.path(), deadline)? {
                return Ok(false);
            }
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    std::fs::remove_dir(dir)?;
    Ok(true)
}

/// Starts `rm -rf` on `dir` in a process group of its own (a Ctrl-C meant for
/// serve does not stop it), not waited for. Returns whether it started.
#[cfg(unix)]
fn hand_over(dir: &Path) -> bool {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    std::process::Command::new("rm")
        .arg("-rf")
        .arg("--")
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .is_ok()
}

#[cfg(not(unix))]
fn hand_over(_dir: &Path) -> bool {
    false
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct WorkDirError {
    temp: PathBuf,
    source: std::io::Error,
}

impl WorkDirError {
    /// The error in the command line's words (the system's own words as they are).
    pub fn message(&self) -> crate::messages::Message {
        crate::msg!(
            "serve.error.work_dir",
            path = self.temp.display().to_string(),
            error = self.source.to_string()
        )
    }
}

/// The pid in a name okrsite gave a serve folder (`okrsite-serve-<pid>` from
/// earlier versions, `okrsite-serve-<pid>-<random>` now).
fn pid_in_name(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (digits, suffix) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
    if !(suffix.is_empty() || suffix.starts_with('-')) {
        return None;
    }
    digits.parse().ok()
}

/// Removes serve folders of earlier runs whose process is gone: only real folders
/// (not links) named by okrsite and owned by the same user as `ours`.
#[cfg(unix)]
fn remove_leftovers(temp: &Path, ours: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(own) = std::fs::symlink_metadata(ours) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(pid) = entry.file_name().to_str().and_then(pid_in_name) else {
            continue;
        };
        if path == ours || pid == std::process::id() || is_running(pid) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_dir() && meta.uid() == own.uid() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(not(unix))]
fn remove_leftovers(_temp: &Path, _ours: &Path) {}

/// Whether a process with this id exists (one of another user counts too).
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_stops_at_its_deadline_and_finishes_later() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        for i in 0..20 {
            std::fs::create_dir_all(site.join(format!("d{i}/e"))).unwrap();
            std::fs::write(site.join(format!("d{i}/e/f.html")), "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path(), site.join("link")).unwrap();
        assert!(!remove_within(&site, Instant::now() - Duration::from_secs(1)).unwrap());
        assert!(site.is_dir());
        assert!(remove_within(&site, Instant::now() + Duration::from_secs(60)).unwrap());
        assert!(!site.exists());
        assert!(dir.path().is_dir(), "a symbolic link is removed, not followed");
    }

    #[test]
    fn only_names_okrsite_gave_are_recognised() {
        assert_eq!(pid_in_name("okrsite-serve-123"), Some(123));
        assert_eq!(pid_in_name("okrsite-serve-123-AbC9x"), Some(123));
        assert_eq!(pid_in_name("okrsite-serve-123x"), None);
        assert_eq!(pid_in_name("okrsite-serve-"), None);
        assert_eq!(pid_in_name("other-123"), None);
    }

    #[cfg(unix)]
    #[test]
    fn this_process_is_running() {
        assert!(is_running(std::process::id()));
    }
}
