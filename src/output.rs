//! Writing the output. The location is resolved and checked first
//! ([`check_location`], [`location`]); then the new site is written into a
//! staging folder inside the output folder, and [`Staging::commit`] moves it in
//! ([`commit`]). A failed or interrupted build leaves the previous site; one
//! build at a time writes into an output (a lock on the marker file).

mod commit;
pub mod compress;
pub mod location;
pub mod stamp;

use crate::msg;
use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use location::{Forbidden, check_location, resolve};
pub use stamp::Summary;

use crate::files::OutputFile;
use crate::messages::Message;

/// The file that marks a folder as okrsite's output (and holds its lock). A
/// folder with it may be replaced by the next build; any other non-empty folder
/// needs `--force`.
pub const MARKER: &str = ".okrsite-output";

const MARKER_TEXT: &str = "This folder is the output of `okrsite build`: the next build replaces everything in it.\n\
Keep your own files elsewhere. okrsite also uses this file to let one build at a time write here.\n";

/// Why the output could not be written. Every variant is a usage or
/// environment problem (exit 2), never a content error.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A place okrsite never writes into, whatever the flags.
    Forbidden {
        path: PathBuf,
        reason: Forbidden,
    },
    /// A non-empty folder without okrsite's marker.
    NotOurs {
        path: PathBuf,
    },
    NotAFolder {
        path: PathBuf,
    },
    BrokenLink {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file of the site that would land outside it, or on a name okrsite keeps for itself.
    BadEntry {
        path: String,
        why: Message,
    },
    DamagedJournal {
        path: PathBuf,
    },
    Io {
        /// What could not be done ("write", "create"…), in the catalogue's words.
        action: Message,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl OutputError {
    /// What went wrong, in the catalogue's words.
    pub fn message(&self) -> Message {
        let shown = |p: &Path| p.display().to_string();
        match self {
            OutputError::Forbidden { path, reason } => msg!(
                "output.forbidden",
                path = shown(path),
                reason = reason.message(),
                advice = reason.advice()
            ),
            OutputError::NotOurs { path } => msg!("output.not_ours", path = shown(path), marker = MARKER),
            OutputError::NotAFolder { path } => msg!("output.not_a_folder", path = shown(path)),
            OutputError::BrokenLink { path, source } => {
                msg!("output.broken_link", path = shown(path), reason = source.to_string())
            }
            OutputError::BadEntry { path, why } => msg!("output.bad_entry", path = path, why = why.clone()),
            OutputError::DamagedJournal { path } => msg!("output.damaged_journal", path = shown(path)),
            OutputError::Io { action, path, source } => msg!(
                "output.io",
                action = action.clone(),
                path = shown(path),
                reason = source.to_string()
            ),
        }
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl OutputError {
    fn io(action: Message, path: &Path, source: std::io::Error) -> OutputError {
        OutputError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the location itself was refused (as opposed to a failed write).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            OutputError::Forbidden { .. } | OutputError::NotOurs { .. } | OutputError::NotAFolder { .. }
        )
    }
}

/// Writes `files` to `output`, replacing what was there only once every file is written.
pub fn write_atomically(output: &Path, files: Vec<OutputFile>) -> Result<(), OutputError> {
    let staging = Staging::begin(&resolve(output)?, false)?;
    for f in &files {
        staging.put(&f.path, &f.bytes)?;
    }
    staging.commit()
}

/// Replaces one file of a built site through a temporary file and a rename: the
/// file gets a new inode, so a copy hard-linked into another build is untouched.
pub fn replace_file(output: &Path, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let full = output.join(path);
    let tmp = full.with_extension("okrsite-tmp");
    std::fs::write(&tmp, bytes).map_err(|e| OutputError::io(msg!("io.write"), &tmp, e))?;
    std::fs::rename(&tmp, &full).map_err(|e| OutputError::io(msg!("io.write"), &full, e))
}

/// A new site being written into a staging folder inside the output folder.
/// Files are written as they are rendered (from many threads), so the whole site
/// is never held in memory; [`Staging::commit`] moves it in. Dropped without a
/// commit (an error, a panic), the staging folder is removed and the previous
/// site stays. While it lives it holds the output's lock.
pub struct Staging {
    /// Where unchanged files are hard-linked from: the previous site.
    previous: Option<PathBuf>,
    dir: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    /// Files written with new bytes (not carried over from `previous`).
    changed: Mutex<Vec<String>>,
    /// Every file put, as it was once written (or linked), for the record
    /// ([`stamp`]); `None` once one could not be stated (the record then looks).
    states: Mutex<Option<Vec<stamp::FileState>>>,
    committed: bool,
    kind: StagingKind,
    /// The fingerprint of the build and its summary, recorded by the commit
    /// ([`stamp`]) so the next build of the same input can write nothing.
    record: Option<(String, Summary)>,
}

enum StagingKind {
    /// Staged inside the output folder and swapped in by [`Staging::commit`].
    InOutput {
        output: PathBuf,
        /// The marker file, locked: released when the staging is dropped.
        _lock: File,
    },
    /// A folder of its own that becomes the site as it is (`serve`'s generations):
    /// nothing is swapped, and no folder above it is ever created.
    Generation,
}

impl Staging {
    /// Starts a build into `output`, a path from [`check_location`]. Refuses a
    /// non-empty folder okrsite did not write unless `force`; waits for another
    /// build into the same output to end; then finishes or removes what killed
    /// builds left behind.
    pub fn begin(output: &Path, force: bool) -> Result<Staging, OutputError> {
        location::check_ownership(output, force)?;
        std::fs::create_dir_all(output).map_err(|e| OutputError::io(msg!("io.create"), output, e))?;
        let lock = lock_output(output)?;
        commit::recover(output)?;
        commit::remove_leftovers(output)?;
        let has_previous = std::fs::read_dir(output)
            .map_err(|e| OutputError::io(msg!("io.read"), output, e))?
            .flatten()
            .any(|e| !commit::is_reserved(&e.file_name()));
        let dir = output.join(commit::staging_name(std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| OutputError::io(msg!("io.create"), &dir, e))?;
        Ok(Staging::new(
            dir,
            has_previous.then(|| output.to_path_buf()),
            StagingKind::InOutput {
                output: output.to_path_buf(),
                _lock: lock,
            },
        ))
    }

    /// Starts a site of its own in `dir`, a new folder whose parent must exist
    /// (`serve` builds each generation so, and serves it where it is). Files equal
    /// to those in `previous` are hard-linked from it. Folders are created only
    /// below `dir`: once `dir` is removed (serve stopping), a late write fails
    /// instead of creating it again.
    pub fn begin_generation(dir: &Path, previous: Option<&Path>) -> Result<Staging, OutputError> {
        std::fs::create_dir(dir).map_err(|e| OutputError::io(msg!("io.create"), dir, e))?;
        Ok(Staging::new(
            dir.to_path_buf(),
            previous.map(Path::to_path_buf),
            StagingKind::Generation,
        ))
    }

    fn new(dir: PathBuf, previous: Option<PathBuf>, kind: StagingKind) -> Staging {
        let mut made = HashSet::new();
        made.insert(dir.clone());
        Staging {
            previous,
            dir,
            made: Mutex::new(made),
            changed: Mutex::new(Vec::new()),
            states: Mutex::new(Some(Vec::new())),
            committed: false,
            kind,
            record: None,
        }
    }

    /// The files written with new bytes so far, sorted: everything when there was
    /// no previous site.
    pub fn changed(&self) -> Vec<String> {
        let mut changed = self.changed.lock().map(|c| c.clone()).unwrap_or_default();
        changed.sort();
        changed.dedup();
        changed
    }

    /// Writes one file (`path` relative, `/`-separated) into the staging folder.
    /// A file identical to the one the previous build wrote is hard-linked instead:
    /// a rebuild then writes only what changed, and removing the previous site
    /// afterwards frees no data. (Output files are never edited in place, so
    /// sharing them between the two folders is safe.)
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let bad = |why| {
            Err(OutputError::BadEntry {
                path: path.to_string(),
                why,
            })
        };
        let mut parts = Path::new(path).components();
        if Path::new(path)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return bad(msg!("output.not_plain_path"));
        }
        if parts.next().is_some_and(|first| commit::is_reserved(first.as_os_str())) {
            return bad(msg!("output.reserved_name"));
        }
        let full = self.dir.join(path);
        if let Some(p) = full.parent() {
            let known = self.made.lock().map(|m| m.contains(p)).unwrap_or(false);
            if !known {
                create_dirs_below(&self.dir, p).map_err(|e| OutputError::io(msg!("io.create"), p, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(p.to_path_buf());
                }
            }
        }
        if let Some(previous) = self.previous.as_ref().map(|p| p.join(path))
            && same_content(&previous, bytes)
            && std::fs::hard_link(&previous, &full).is_ok()
        {
            self.record_state(path, std::fs::symlink_metadata(&full));
            return Ok(());
        }
        let cannot = |e| OutputError::io(msg!("io.write"), &full, e);
        // Almost every file is new to the staging folder: one `open`, no check first.
        let written = match create_new(&full, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // A file put twice (a static/ file replacing a theme asset) may be a hard
                // link to the previous site's file: replace it, never write through it.
                std::fs::remove_file(&full).map_err(cannot)?;
                create_new(&full, bytes).map_err(cannot)?
            }
            other => other.map_err(cannot)?,
        };
        self.record_state(path, written.metadata());
        if let Ok(mut changed) = self.changed.lock() {
            changed.push(path.to_string());
        }
        Ok(())
    }

    /// Keeps the state of a file just put for the record: stated here, on the
    /// thread that wrote it, rather than all again, one by one, once the build is
    /// done.
    fn record_state(&self, path: &str, meta: std::io::Result<std::fs::Metadata>) {
        if let Ok(mut states) = self.states.lock() {
            match (meta, states.as_mut()) {
                (Ok(meta), Some(list)) => list.push(stamp::state(path.to_string(), &meta)),
                _ => *states = None,
            }
        }
    }

    /// Writes `.gz` and `.br` copies beside each of `paths` (staged files) that
    /// [`compress::wanted`], on every core, through [`Staging::put`]: an unchanged
    /// copy is hard-linked from the previous site like any file. A copy is not
    /// written over a file of the same name already staged (a site's own `static/`).
    pub fn precompress(&self, paths: &[String]) -> Result<(), OutputError> {
        use rayon::prelude::*;
        let staged: HashSet<&str> = paths.iter().map(String::as_str).collect();
        paths.par_iter().try_for_each(|path| {
            let full = self.dir.join(path);
            let bytes = std::fs::read(&full).map_err(|e| OutputError::io(msg!("io.read"), &full, e))?;
            if !compress::wanted(path, bytes.len()) {
                return Ok(());
            }
            if let Some(copies) = self.previous_copies(path, &bytes) {
                for (name, copy) in copies {
                    if !staged.contains(name.as_str()) {
                        self.put(&name, &copy)?;
                    }
                }
                return Ok(());
            }
            let cannot = |e| OutputError::io(msg!("io.write"), &full, e);
            let (gz, br) = rayon::join(|| compress::gzip(&bytes), || compress::brotli(&bytes));
            for (ext, copy) in [("gz", gz.map_err(cannot)?), ("br", br.map_err(cannot)?)] {
                let name = format!("{path}.{ext}");
                if !staged.contains(name.as_str()) {
                    self.put(&name, &copy)?;
                }
            }
            Ok(())
        })
    }

    /// The previous site's `.gz` and `.br` of `path` when both decompress to `bytes`:
    /// brotli at quality 11 takes most of a compressed build, and most files of a
    /// rebuild are unchanged. Checked by decompressing, so a copy that is stale (or a
    /// site's own file of that name) is never taken for one.
    fn previous_copies(&self, path: &str, bytes: &[u8]) -> Option<[(String, Vec<u8>); 2]> {
        let previous = self.previous.as_ref()?;
        let read = |ext: &str| std::fs::read(previous.join(format!("{path}.{ext}"))).ok();
        let (gz, br) = (read("gz")?, read("br")?);
        let same = compress::gunzip(&gz).is_ok_and(|b| b == bytes) && compress::unbrotli(&br).is_ok_and(|b| b == bytes);
        same.then(|| [(format!("{path}.gz"), gz), (format!("{path}.br"), br)])
    }

    /// Has the commit record the new site as the output of the build `fingerprint`
    /// names ([`stamp`]; an output folder only, not a generation).
    pub fn record(&mut self, fingerprint: String, summary: Summary) {
        self.record = Some((fingerprint, summary));
    }

    /// Moves the new site in, in place of the previous one: the previous site's
    /// record goes first, the new one (when [`Staging::record`] gave one) comes once
    /// the move is done. For a generation, keeps the folder as it is.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if let StagingKind::InOutput { output, .. } = &self.kind {
            let record = output.join(stamp::STAMP);
            stamp::remove(output).map_err(|e| OutputError::io(msg!("io.replace"), &record, e))?;
            let staging = commit::staging_name(std::process::id());
            commit::commit(output, &staging, &commit::old_name(std::process::id()))?;
            commit::remove_old_style_leftovers(output);
            if let Some((fingerprint, summary)) = &self.record {
                // Without a record the next build writes everything: nothing is lost.
                let written = self.states.lock().ok().and_then(|mut s| s.take());
                let _ = stamp::write(output, fingerprint, *summary, written);
            }
        }
        self.committed = true;
        Ok(())
    }
}

/// The summary of the build recorded in `output` when it is the build `fingerprint`
/// names and its files are as that build left them ([`stamp::unchanged`]): then
/// nothing needs writing. The folder is checked, locked and cleaned as
/// [`Staging::begin`] does (a folder that is not okrsite's is refused the same
/// way), so a build committing into it at the same time is waited for, never seen
/// half done.
pub fn unchanged(output: &Path, force: bool, fingerprint: &str) -> Result<Option<Summary>, OutputError> {
    location::check_ownership(output, force)?;
    if !output.is_dir() {
        return Ok(None);
    }
    let _lock = lock_output(output)?;
    // As every build does: finish a commit cut short (its record was removed before
    // it began, so the output then gets written), remove what killed builds left.
    commit::recover(output)?;
    commit::remove_leftovers(output)?;
    commit::remove_old_style_leftovers(output);
    Ok(stamp::unchanged(output, fingerprint))
}

/// Opens (creating it if needed) and locks the marker file: one build at a time
/// per output. The marker is never moved or replaced by a build, so every build
/// locks the same file. A second build waits, saying so.
fn lock_output(output: &Path) -> Result<File, OutputError> {
    use std::io::Write;
    let path = output.join(MARKER);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        // Never write through a symbolic link someone put in the marker's place.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options
        .open(&path)
        .map_err(|e| OutputError::io(msg!("io.write"), &path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            // The output stage does not know the site's language: `OKRSITE_LANG` or the
            // locale chooses (this line only says why the command pauses).
            let waiting = msg!("output.waiting", path = output.display().to_string());
            eprintln!("{}", waiting.render(crate::messages::Lang::choose(None)));
            file.lock().map_err(|e| OutputError::io(msg!("io.lock"), &path, e))?;
        }
        // Some network file systems have no locks: build without one, as before.
        Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {}
        Err(std::fs::TryLockError::Error(e)) => return Err(OutputError::io(msg!("io.lock"), &path, e)),
    }
    let empty = file.metadata().map(|m| m.len() == 0).unwrap_or(false);
    if empty {
        file.write_all(MARKER_TEXT.as_bytes())
            .map_err(|e| OutputError::io(msg!("io.write"), &path, e))?;
    }
    Ok(file)
}

/// Creates `dir` and the folders above it up to `base`, which must exist: unlike
/// `create_dir_all`, never creates `base` or anything above it.
fn create_dirs_below(base: &Path, dir: &Path) -> std::io::Result<()> {
    if dir == base {
        return if base.is_dir() {
            Ok(())
        } else {
            Err(std::io::ErrorKind::NotFound.into())
        };
    }
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = dir
                .parent()
                .filter(|p| p.starts_with(base))
                .ok_or(std::io::ErrorKind::NotFound)?;
            create_dirs_below(base, parent)?;
            match std::fs::create_dir(dir) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
                other => other,
            }
        }
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to a file that must not exist yet.
/// Creates the file at `path` holding `bytes`; returns it, written (to state it).
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<File> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// Whether the file at `path` holds exactly `bytes` (false when it can't be read).
fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => std::fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            vec![OutputFile::new("a.txt", "1"), OutputFile::new("x/b.txt", "2")],
        )
        .unwrap();
        write_atomically(&out, vec![OutputFile::new("a.txt", "3")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "3");
        // An unchanged file is carried over (hard-linked), a changed one rewritten.
        write_atomically(&out, vec![OutputFile::new("a.txt", "3"), OutputFile::new("c.txt", "4")]).unwrap();
        write_atomically(&out, vec![OutputFile::new("a.txt", "3"), OutputFile::new("c.txt", "5")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "3");
        assert_eq!(std::fs::read_to_string(out.join("c.txt")).unwrap(), "5");
        assert!(!out.join("x/b.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
        let inside: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".okrsite"))
            .collect();
        assert_eq!(inside, [MARKER]);
    }

    /// A build killed in the middle of its commit left a journal: the next build
    /// finishes that commit before it starts, so the output is the whole new site.
    #[test]
    fn the_next_build_finishes_a_commit_cut_short() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            vec![OutputFile::new("index.html", "1"), OutputFile::new("a/b.html", "1")],
        )
        .unwrap();
        let out = resolve(&out).unwrap();
        // The killed build had staged index.html and c.html, moved the previous
        // index.html out, then died.
        let staged = out.join(commit::staging_name(4_000_000));
        let old = out.join(commit::old_name(4_000_000));
        std::fs::create_dir_all(&staged).unwrap();
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(staged.join("index.html"), "2").unwrap();
        std::fs::write(staged.join("c.html"), "2").unwrap();
        let journal = serde_json::json!({
            "staging": commit::staging_name(4_000_000),
            "old": commit::old_name(4_000_000),
            "entries": ["c.html", "index.html"],
        });
        std::fs::write(out.join(commit::JOURNAL), journal.to_string()).unwrap();
        std::fs::rename(out.join("index.html"), old.join("index.html")).unwrap();
        let staging = Staging::begin(&out, false).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "2");
        assert!(!out.join("a").exists() && !out.join(commit::JOURNAL).exists());
        assert!(!staged.exists() && !old.exists());
        drop(staging);
    }

    #[test]
    fn the_site_cannot_use_okrsites_own_names() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for name in [MARKER, ".okrsite-staging-1/x", ".okrsite-commit"] {
            let err = write_atomically(&out, vec![OutputFile::new(name, "x")]).unwrap_err();
            assert!(matches!(err, OutputError::BadEntry { .. }), "{name}: {err}");
        }
    }
}
