//! Watching the site's sources so that no edit is lost.
//!
//! `content/`, `templates/`, `static/` and `themes/` are watched recursively and
//! the site's root on its own (for `okrsite.toml`, and for those folders being
//! created, removed or replaced). A watch follows a folder's inode, so a folder
//! replaced while serving (`rm -rf content; cp -a backup content`, a `git
//! checkout`, a sync tool) would silently stop being watched: after every burst
//! of events the folders' identities are compared with the watched ones and
//! watched again where they differ, before the rebuild reads them. A rebuild
//! reads every file, so an edit made before the new watch is in place is seen.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::ignore::Ignore;

/// The folders of a site that hold its sources.
const SOURCE_FOLDERS: [&str; 4] = ["content", "templates", "static", "themes"];

/// How long the sources must be quiet before a rebuild starts: one save often
/// arrives as several events (write, rename, attributes).
const SETTLE: Duration = Duration::from_millis(30);

#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

impl WatchError {
    /// The error in the command line's words (the system's own words as they are).
    pub fn message(&self) -> crate::messages::Message {
        crate::msg!(
            "serve.error.watch",
            path = self.path.display().to_string(),
            error = self.source.to_string()
        )
    }
}

/// A folder being watched, and which folder it was when the watch began.
struct Watched {
    path: PathBuf,
    identity: Option<Identity>,
}

type Identity = (u64, u64);

pub struct SourceWatch {
    _watcher: Arc<Mutex<notify::RecommendedWatcher>>,
}

/// Watches the sources of the site at `root` (an absolute path). `changed` is
/// called on a thread of its own with each burst of changed paths, after the
/// watches are brought up to date; `on_event` at once for every event, so a
/// rebuild in progress can be abandoned.
pub fn watch_sources(
    root: &Path,
    on_event: impl Fn() + Send + 'static,
    changed: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<SourceWatch, WatchError> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let filter = SourceFilter::new(root);
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        if event.need_rescan() {
            // The kernel dropped events: assume anything changed.
            on_event();
            let _ = tx.send(filter.root.clone());
            return;
        }
        for path in event.paths.into_iter().filter(|p| filter.is_source(p)) {
            on_event();
            let _ = tx.send(path);
        }
    })
    .map_err(|source| WatchError {
        path: root.to_path_buf(),
        source,
    })?;
    let watcher = Arc::new(Mutex::new(watcher));
    let mut folders = watch_root_and_folders(root, &watcher)?;
    let for_thread = watcher.clone();
    std::thread::spawn(move || {
        while let Some(paths) = next_burst(&rx) {
            if let Ok(mut w) = for_thread.lock() {
                for folder in &mut folders {
                    if let Err(e) = folder.refresh(&mut w) {
                        eprintln!("{}", crate::msg!("serve.watch_warning", error = e.to_string()));
                    }
                }
            }
            changed(paths);
        }
    });
    Ok(SourceWatch { _watcher: watcher })
}

/// Starts watching the root (not recursively: the config file, and folders
/// created or replaced later) and each source folder that exists (recursively).
fn watch_root_and_folders(
    root: &Path,
    watcher: &Mutex<notify::RecommendedWatcher>,
) -> Result<Vec<Watched>, WatchError> {
    let mut folders: Vec<Watched> = SOURCE_FOLDERS
        .iter()
        .map(|f| Watched {
            path: root.join(f),
            identity: None,
        })
        .collect();
    let mut w = watcher.lock().map_err(|_| WatchError {
        path: root.to_path_buf(),
        source: notify::Error::generic("watcher lock poisoned"),
    })?;
    // The config file is watched through its folder (editors replace files on save).
    w.watch(root, RecursiveMode::NonRecursive)
        .map_err(|source| WatchError {
            path: root.to_path_buf(),
            source,
        })?;
    for folder in &mut folders {
        folder.refresh(&mut w)?;
    }
    Ok(folders)
}

/// Waits for an event, then for the sources to be quiet; `None` once the
/// watcher is gone.
fn next_burst(rx: &mpsc::Receiver<PathBuf>) -> Option<Vec<PathBuf>> {
    let mut paths = vec![rx.recv().ok()?];
    loop {
        match rx.recv_timeout(SETTLE) {
            Ok(p) => paths.push(p),
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

impl Watched {
    /// Watches the folder again if it is not the one watched (created, replaced),
    /// and forgets it when it is gone.
    fn refresh(&mut self, watcher: &mut notify::RecommendedWatcher) -> Result<(), WatchError> {
        let now = identity(&self.path);
        if now == self.identity {
            return Ok(());
        }
        // The old watch may be gone already (its folder removed): nothing to undo.
        let _ = watcher.unwatch(&self.path);
        self.identity = None;
        if now.is_some() {
            watcher
                .watch(&self.path, RecursiveMode::Recursive)
                .map_err(|source| WatchError {
                    path: self.path.clone(),
                    source,
                })?;
            self.identity = now;
        }
        Ok(())
    }
}

/// Which folder is at `path` (device and inode), if a folder is.
fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let created = meta.created().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((0, created.as_nanos() as u64))
    }
}

/// Which event paths are the site's sources: not the files every walk skips
/// (editors' files, the `ignore` globs of the config as it is now).
struct SourceFilter {
    root: PathBuf,
    config_file: PathBuf,
    folders: Vec<PathBuf>,
    ignore: Mutex<Ignore>,
}

impl SourceFilter {
    fn new(root: &Path) -> SourceFilter {
        SourceFilter {
            root: root.to_path_buf(),
            config_file: root.join(crate::config::CONFIG_FILE),
            folders: SOURCE_FOLDERS.iter().map(|f| root.join(f)).collect(),
            ignore: Mutex::new(site_ignore(root)),
        }
    }

    fn is_source(&self, path: &Path) -> bool {
        if path == self.config_file {
            if let Ok(mut ignore) = self.ignore.lock() {
                *ignore = site_ignore(&self.root);
            }
            return true;
        }
        if !self.folders.iter().any(|d| path.starts_with(d)) {
            return false;
        }
        let rel = crate::diag::display_path(&self.root, path);
        !self.ignore.lock().is_ok_and(|ignore| ignore.in_site(&rel))
    }
}

/// The site's `ignore` setting; the defaults alone while the config is broken.
fn site_ignore(root: &Path) -> Ignore {
    match crate::content::load::load_config(root).0 {
        Some(config) => Ignore::new(&config.ignore),
        None => Ignore::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_the_config_and_the_four_folders_without_skipped_files() {
        let site = tempfile::tempdir().unwrap();
        let config = site.path().join("okrsite.toml");
        std::fs::write(&config, "title = \"t\"\nignore = [\"**/*.xlsx\"]\n").unwrap();
        let filter = SourceFilter::new(site.path());
        let source = |rel: &str| filter.is_source(&site.path().join(rel));
        assert!(source("okrsite.toml"));
        assert!(source("content"));
        assert!(source("content/2025-Q3/product.md"));
        assert!(source("content/metrics/mql-count.csv"));
        assert!(source("static/assets/okrsite.css"));
        assert!(!source("public/index.html"));
        assert!(!source(".git/index"));
        assert!(!source("content/2025-Q3/4913"));
        assert!(!source("content/2025-Q3/.product.md.swp"));
        assert!(!source("templates/#base.html#"));
        assert!(!source("content/data/sales.xlsx"));
        // The config's `ignore` is read again when the config changes.
        std::fs::write(&config, "title = \"t\"\nignore = [\"!4913\"]\n").unwrap();
        assert!(source("okrsite.toml"));
        assert!(source("content/2025-Q3/4913"));
        assert!(source("content/data/sales.xlsx"));
    }

    #[test]
    fn a_replaced_folder_is_seen_as_another() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let before = identity(&content);
        assert!(before.is_some());
        std::fs::rename(&content, dir.path().join("old")).unwrap();
        assert_eq!(identity(&content), None);
        std::fs::create_dir(&content).unwrap();
        assert_ne!(identity(&content), before);
    }
}
