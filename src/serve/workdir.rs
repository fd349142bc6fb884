//! The private folder `serve` builds the site into. It holds drafts when
//! `--drafts` is given, so only its owner may read it (mode 0700), it is removed
//! when serve stops (Ctrl-C, SIGTERM, SIGHUP), and folders left by runs that
//! were killed outright (SIGKILL, a crash) are removed at the next start.

use std::path::{Path, PathBuf};

/// Every serve folder is named `okrsite-serve-<pid>-<random>` in the temp folder.
const PREFIX: &str = "okrsite-serve-";

pub struct WorkDir {
    dir: tempfile::TempDir,
}

impl WorkDir {
    /// Creates a new private folder in the system's temp folder, then removes the
    /// leftovers of earlier runs.
    pub fn create() -> Result<WorkDir, String> {
        let temp = std::env::temp_dir();
        let prefix = format!("{PREFIX}{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder
            .tempdir_in(&temp)
            .map_err(|e| format!("cannot create a private folder in {}: {e}", temp.display()))?;
        remove_leftovers(&temp, dir.path());
        Ok(WorkDir { dir })
    }

    /// Where the site is written: a folder inside, so the build's own staging and
    /// lock files are private too.
    pub fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Removes the folder and everything in it.
    pub fn remove(self) {
        let path = self.dir.path().to_path_buf();
        if let Err(e) = self.dir.close() {
            eprintln!("warning: cannot remove {}: {e}", path.display());
        }
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
