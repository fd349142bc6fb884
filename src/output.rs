//! Writing the output: all files into a staging folder next to the output,
//! then one rename swaps it in. A failed or interrupted build leaves the
//! previous site as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::render::OutputFile;

/// Refuses an output folder that would overwrite the sources: the site root,
/// `content/`, or a folder that contains either.
pub fn check_location(root: &Path, output: &Path) -> Result<(), String> {
    let root = absolute(root);
    let output = absolute(output);
    let content = root.join("content");
    let bad = |what: &str| {
        Err(format!(
            "refusing to write the site into {} : it is {what}",
            output.display()
        ))
    };
    if output == root {
        return bad("the site root");
    }
    if root.starts_with(&output) {
        return bad("a parent of the site root");
    }
    if output.starts_with(&content) {
        return bad("inside content/");
    }
    for source in ["templates", "static", "themes"] {
        if output.starts_with(root.join(source)) {
            return bad(&format!("inside {source}/"));
        }
    }
    Ok(())
}

/// An absolute, normalised path, resolving symlinks of the part that exists.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Canonicalise the longest existing ancestor, then re-append the rest.
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return p,
        }
    }
}

/// Writes `files` to `output`, replacing what was there only once every file is written.
pub fn write_atomically(output: &Path, files: Vec<OutputFile>) -> Result<(), String> {
    let staging = Staging::begin(output)?;
    for f in &files {
        staging.put(&f.path, &f.bytes)?;
    }
    staging.commit()
}

/// Replaces one file of a built site through a temporary file and a rename: the
/// file gets a new inode, so a copy hard-linked into another build is untouched.
pub fn replace_file(output: &Path, path: &str, bytes: &[u8]) -> Result<(), String> {
    let full = output.join(path);
    let tmp = full.with_extension("okrsite-tmp");
    std::fs::write(&tmp, bytes).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &full).map_err(|e| format!("cannot write {}: {e}", full.display()))
}

/// A new site being written next to the output folder. Files are written as they
/// are rendered (from many threads), so the whole site is never held in memory;
/// [`Staging::commit`] swaps it in with one rename. Dropped without a commit (an
/// error, a panic), the staging folder is removed and the previous site stays.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    /// Whether there is a previous output to reuse unchanged files from.
    has_previous: bool,
    committed: bool,
}

impl Staging {
    pub fn begin(output: &Path) -> Result<Staging, String> {
        let output = absolute(output);
        let parent = output
            .parent()
            .ok_or_else(|| format!("{} has no parent folder", output.display()))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        if output.exists() && !output.is_dir() {
            return Err(format!("{} exists and is not a folder", output.display()));
        }
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.okrsite-staging-{pid}"));
        let old = parent.join(format!(".{name}.okrsite-old-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot write the output next to {}: {e}", output.display()))?;
        let mut made = HashSet::new();
        made.insert(dir.clone());
        Ok(Staging {
            has_previous: output.is_dir(),
            output,
            dir,
            old,
            made: Mutex::new(made),
            committed: false,
        })
    }

    /// Writes one file (`path` relative, `/`-separated) into the staging folder.
    /// A file identical to the one the previous build wrote is hard-linked instead:
    /// a rebuild then writes only what changed, and removing the previous site
    /// afterwards frees no data. (Output files are never edited in place, so
    /// sharing them between the two folders is safe.)
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        if Path::new(path)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(format!(
                "refusing to write `{path}`: not a plain path inside the output"
            ));
        }
        let full = self.dir.join(path);
        let previous = self.output.join(path);
        if let Some(p) = full.parent() {
            let known = self.made.lock().map(|m| m.contains(p)).unwrap_or(false);
            if !known {
                std::fs::create_dir_all(p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(p.to_path_buf());
                }
            }
        }
        if self.has_previous && same_content(&previous, bytes) && std::fs::hard_link(&previous, &full).is_ok() {
            return Ok(());
        }
        let cannot = |e: std::io::Error| format!("cannot write {}: {e}", full.display());
        // Almost every file is new to the staging folder: one `open`, no check first.
        match create_new(&full, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // A file put twice (a static/ file replacing a theme asset) may be a hard
                // link to the previous site's file: replace it, never write through it.
                std::fs::remove_file(&full).map_err(cannot)?;
                create_new(&full, bytes).map_err(cannot)
            }
            other => other.map_err(cannot),
        }
    }

    /// Swaps the new site in for the previous one.
    pub fn commit(mut self) -> Result<(), String> {
        if self.output.exists() {
            std::fs::rename(&self.output, &self.old)
                .map_err(|e| format!("cannot replace {}: {e}", self.output.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            // Put the previous site back.
            let _ = std::fs::rename(&self.old, &self.output);
            return Err(format!("cannot move the new site into {}: {e}", self.output.display()));
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.old);
        Ok(())
    }
}

/// Writes `bytes` to a file that must not exist yet.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
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
    fn refuses_to_overwrite_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_location(&root, &root).is_err());
        assert!(check_location(&root, dir.path()).is_err());
        assert!(check_location(&root, &root.join("content")).is_err());
        assert!(check_location(&root, &root.join("content/x")).is_err());
        assert!(check_location(&root, &root.join("public")).is_ok());
        assert!(check_location(&root, &dir.path().join("elsewhere")).is_ok());
    }

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
    }
}
