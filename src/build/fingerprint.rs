//! The fingerprint of a build: a hash of everything its output depends on. A
//! build whose fingerprint is the one recorded in its output folder, with the
//! output as that build left it ([`crate::output::unchanged`]), writes nothing.
//!
//! What goes in:
//! - okrsite itself: its version and the identity of the running executable's
//!   file. The theme's templates, static files and UI strings are built into it,
//!   and any change to the code may change a page, so an upgraded or rebuilt
//!   okrsite must never take an output for its own. On Unix the identity is the
//!   file's device, inode, size, modification time and status-change time (ctime):
//!   writing or replacing the file changes them, and unlike the modification time
//!   the ctime cannot be set back (`cp -p`, `tar`, `rsync -t` and package managers
//!   set the other times, which sets the ctime to now). At worst a binary touched
//!   but unchanged makes one full build. Hashing the executable's bytes instead
//!   took 50 ms for a release binary, 10 s for a debug one (every test build).
//!   Elsewhere the bytes are hashed.
//! - the text of every file the check read (okrsite.toml and every content file:
//!   the check's `sources`, exactly the texts parsed);
//! - every file under the site's `templates/` and `static/` (editor files too: a
//!   needless rebuild is cheap, a stale page is not);
//! - each option that changes the output, as built (`--base-url` applied, drafts,
//!   compression, today with `as_of` applied, the language).
//!
//! Every part goes in with its length first, so no two different inputs make the
//! same stream of bytes.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::BuildOptions;
use crate::diag::SourceMap;

/// A version of this scheme: a change to what goes in changes every fingerprint.
const SCHEME: &[u8] = b"okrsite build fingerprint 1";

/// The fingerprint of a build of the site at `root` from the texts in `sources`
/// with `options` (name, value), as hex; `None` when something could not be read
/// (then the build writes everything, as without a fingerprint).
pub fn of(root: &Path, sources: &SourceMap, options: &[(&str, String)]) -> Option<String> {
    let (executable, site) = (executable_digest(), site_digest(root, sources, options));
    let mut stream = Stream::default();
    stream.part(SCHEME);
    stream.part(env!("CARGO_PKG_VERSION").as_bytes());
    stream.part(&executable?);
    stream.part(&site?);
    Some(format!("{:x}", stream.0.finalize()))
}

/// The fingerprint of a build ([`of`]), when its output may be left as
/// it is: a one-off build into an output folder. `serve` builds each generation
/// into a folder of its own and keeps the rendered site, so it always renders.
pub(super) fn of_build(
    opts: &BuildOptions,
    site: &crate::model::Site,
    sources: &SourceMap,
    compress: bool,
) -> Option<String> {
    if !matches!(opts.target, super::Target::Output { .. }) || opts.session.is_some() {
        return None;
    }
    let options = [
        ("base_url", site.config.base_url.as_str().to_string()),
        ("drafts", opts.drafts.to_string()),
        ("compress", compress.to_string()),
        ("today", site.today.to_string()),
        ("language", site.config.language.code().to_string()),
    ];
    of(&opts.root, sources, &options)
}

#[derive(Default)]
struct Stream(Sha256);

impl Stream {
    fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// A file's bytes as one part, read as they are hashed.
    fn file(&mut self, path: &Path) -> Option<()> {
        let mut file = std::fs::File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        self.0.update(len.to_le_bytes());
        let copied = std::io::copy(&mut (&mut file).take(len), &mut self.0).ok()?;
        // A file that shrank or grew while read is not the one measured.
        (copied == len && file.read(&mut [0]).ok()? == 0).then_some(())
    }
}

/// The running executable's identity. On Linux through `/proc/self/exe`, which is
/// the program running even when its file was replaced since it started.
#[cfg(unix)]
fn executable_digest() -> Option<Vec<u8>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata("/proc/self/exe")
        .or_else(|_| std::fs::metadata(std::env::current_exe()?))
        .ok()?;
    let mut stream = Stream::default();
    for n in [meta.dev(), meta.ino(), meta.size()] {
        stream.part(&n.to_le_bytes());
    }
    for n in [meta.mtime(), meta.mtime_nsec(), meta.ctime(), meta.ctime_nsec()] {
        stream.part(&n.to_le_bytes());
    }
    Some(stream.0.finalize().to_vec())
}

/// The running executable's bytes, hashed.
#[cfg(not(unix))]
fn executable_digest() -> Option<Vec<u8>> {
    let mut stream = Stream::default();
    stream.file(&std::env::current_exe().ok()?)?;
    Some(stream.0.finalize().to_vec())
}

/// The site's part: the texts read, `templates/`, `static/` and the options.
fn site_digest(root: &Path, sources: &SourceMap, options: &[(&str, String)]) -> Option<Vec<u8>> {
    let mut stream = Stream::default();
    for (name, value) in options {
        stream.part(name.as_bytes());
        stream.part(value.as_bytes());
    }
    stream.part(b"sources");
    for (file, text) in sources.iter() {
        stream.part(file.as_bytes());
        stream.part(text.as_bytes());
    }
    for folder in ["templates", "static"] {
        stream.part(folder.as_bytes());
        tree(&mut stream, &root.join(folder))?;
    }
    Some(stream.0.finalize().to_vec())
}

/// Every entry under `dir`, walked as the build walks it (links not followed), in
/// name order: its path, its kind, and a file's bytes or a link's target.
fn tree(stream: &mut Stream, dir: &Path) -> Option<()> {
    if !dir.is_dir() {
        stream.part(b"absent");
        return Some(());
    }
    let walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.ok()?;
        stream.part(crate::diag::display_path(dir, entry.path()).as_bytes());
        let kind = entry.file_type();
        if kind.is_dir() {
            stream.part(b"d");
        } else if kind.is_file() {
            stream.part(b"f");
            stream.file(entry.path())?;
        } else {
            stream.part(b"l");
            let target = std::fs::read_link(entry.path()).ok()?;
            stream.part(target.as_os_str().as_encoded_bytes());
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn fingerprint(root: &Path, text: &str, base_url: &str) -> String {
        let mut sources = SourceMap::default();
        sources.insert("okrsite.toml", Arc::from(text));
        of(root, &sources, &[("base_url", base_url.to_string())]).unwrap()
    }

    #[test]
    fn every_input_changes_the_fingerprint_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let first = fingerprint(root, "a", "/");
        assert_eq!(first, fingerprint(root, "a", "/"));
        assert_ne!(first, fingerprint(root, "b", "/"), "a source's text");
        assert_ne!(first, fingerprint(root, "a", "/okr/"), "an option");
        std::fs::create_dir_all(root.join("static/img")).unwrap();
        let with_folder = fingerprint(root, "a", "/");
        assert_ne!(first, with_folder, "an empty static/");
        std::fs::write(root.join("static/img/a.svg"), "x").unwrap();
        let with_file = fingerprint(root, "a", "/");
        assert_ne!(with_folder, with_file, "a static file");
        std::fs::write(root.join("static/img/a.svg"), "y").unwrap();
        assert_ne!(with_file, fingerprint(root, "a", "/"), "a static file's bytes");
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("templates/base.html"), "y").unwrap();
        let with_template = fingerprint(root, "a", "/");
        std::fs::write(root.join("templates/base.html"), "z").unwrap();
        assert_ne!(with_template, fingerprint(root, "a", "/"), "a template");
    }

    #[test]
    fn lengths_keep_parts_apart() {
        let dir = tempfile::tempdir().unwrap();
        let mut ab = SourceMap::default();
        ab.insert("a", Arc::from("bc"));
        let mut abc = SourceMap::default();
        abc.insert("ab", Arc::from("c"));
        assert_ne!(of(dir.path(), &ab, &[]), of(dir.path(), &abc, &[]));
    }
}
