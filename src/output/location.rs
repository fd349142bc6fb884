//! Where the site may be written: the output path resolved the way the file
//! system will resolve it, then checked against the places okrsite must never
//! replace (the sources, the site root and above it, a git repository, the
//! user's home folder) and against folders okrsite did not write.

use crate::msg;
use std::path::{Component, Path, PathBuf};

use super::{MARKER, OutputError};
use crate::messages::Message;

/// The site's source folders: an output at, inside or around one is refused.
const SOURCES: [&str; 4] = ["content", "templates", "static", "themes"];

/// Why an output location is refused. No flag overrides any of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forbidden {
    SiteRoot,
    AboveSiteRoot,
    /// The output is one of the source folders or lies inside it.
    InsideSource(&'static str),
    /// The output holds a source folder (one that is a symbolic link elsewhere).
    HoldsSource(&'static str),
    /// The output is a `.git` folder or lies inside one.
    InsideGit,
    /// The output holds a `.git` folder or file (a repository or a git worktree).
    HoldsGit(PathBuf),
    Home,
    AboveHome,
}

impl Forbidden {
    /// What the place is, in the catalogue's words.
    pub fn message(&self) -> Message {
        match self {
            Forbidden::SiteRoot => msg!("output.place.site_root"),
            Forbidden::AboveSiteRoot => msg!("output.place.above_site_root"),
            Forbidden::InsideSource(s) => msg!("output.place.inside_source", folder = *s),
            Forbidden::HoldsSource(s) => msg!("output.place.holds_source", folder = *s),
            Forbidden::InsideGit => msg!("output.place.inside_git"),
            Forbidden::HoldsGit(p) => msg!("output.place.holds_git", path = p.display().to_string()),
            Forbidden::Home => msg!("output.place.home"),
            Forbidden::AboveHome => msg!("output.place.above_home"),
        }
    }

    /// What the user can do instead.
    pub fn advice(&self) -> Message {
        match self {
            Forbidden::InsideGit | Forbidden::HoldsGit(_) => msg!("output.advice_git"),
            _ => msg!("output.advice"),
        }
    }
}

impl std::fmt::Display for Forbidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

/// `path` made absolute and resolved as the file system will resolve it when the
/// build creates and writes it: each part that exists is followed (symbolic links
/// included, so `link/..` is the link target's parent), and `..` after a part that
/// does not exist yet removes that part, as `mkdir -p` would. The result names
/// only real folders and parts still to be created, never a symbolic link, so
/// checking it and then writing to it refer to the same place.
pub fn resolve(path: &Path) -> Result<PathBuf, OutputError> {
    let mut cur = if path.is_absolute() {
        PathBuf::new()
    } else {
        let cwd = std::env::current_dir().map_err(|e| OutputError::io(msg!("io.find_current_folder"), path, e))?;
        cwd.canonicalize().unwrap_or(cwd)
    };
    for part in path.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => cur.push(part),
            Component::CurDir => {}
            // `cur` has no symbolic link in it, so its lexical parent is its real one.
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(name) => {
                cur.push(name);
                let is_link = std::fs::symlink_metadata(&cur).is_ok_and(|m| m.file_type().is_symlink());
                if is_link {
                    cur = cur.canonicalize().map_err(|e| OutputError::BrokenLink {
                        path: cur.clone(),
                        source: e,
                    })?;
                }
            }
        }
    }
    Ok(cur)
}

/// Resolves `output` and refuses it when it is one of the [`Forbidden`] places.
/// Returns the resolved path: the build must write there and nowhere else.
pub fn check_location(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let out = resolve(output)?;
    let root = resolve(root)?;
    let refuse = |reason| {
        Err(OutputError::Forbidden {
            path: out.clone(),
            reason,
        })
    };
    if out == root {
        return refuse(Forbidden::SiteRoot);
    }
    if root.starts_with(&out) {
        return refuse(Forbidden::AboveSiteRoot);
    }
    for source in SOURCES {
        // Resolved too: `content` may be a symbolic link to a folder elsewhere.
        let dir = resolve(&root.join(source))?;
        if out.starts_with(&dir) {
            return refuse(Forbidden::InsideSource(source));
        }
        if dir.starts_with(&out) {
            return refuse(Forbidden::HoldsSource(source));
        }
    }
    if out.components().any(|c| c.as_os_str() == ".git") {
        return refuse(Forbidden::InsideGit);
    }
    let git = out.join(".git");
    if std::fs::symlink_metadata(&git).is_ok() {
        return refuse(Forbidden::HoldsGit(git));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if let Some(Ok(home)) = home.map(|h| resolve(Path::new(&h))) {
        if out == home {
            return refuse(Forbidden::Home);
        }
        if home.starts_with(&out) {
            return refuse(Forbidden::AboveHome);
        }
    }
    Ok(out)
}

/// Whether okrsite may replace what is in `out` (a resolved path): a missing or
/// empty folder, or one holding okrsite's marker file. `force` also accepts a
/// folder with other files, after a full search for a git repository in it (a
/// folder okrsite did not write may hold one anywhere).
pub fn check_ownership(out: &Path, force: bool) -> Result<(), OutputError> {
    let meta = match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(OutputError::io(msg!("io.read"), out, e)),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(OutputError::NotAFolder {
            path: out.to_path_buf(),
        });
    }
    if std::fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(out).map_err(|e| OutputError::io(msg!("io.read"), out, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    if !force {
        return Err(OutputError::NotOurs {
            path: out.to_path_buf(),
        });
    }
    for entry in walkdir::WalkDir::new(out).follow_links(false) {
        let entry = entry.map_err(|e| OutputError::io(msg!("io.read"), out, e.into()))?;
        if entry.file_name() == ".git" {
            return Err(OutputError::Forbidden {
                path: out.to_path_buf(),
                reason: Forbidden::HoldsGit(entry.into_path()),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_existing_parts_and_drops_missing_ones_before_dotdot() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(resolve(&base.join("nope/../a")).unwrap(), base.join("a"));
        assert_eq!(resolve(&base.join("nope/x/../../a/./b")).unwrap(), base.join("a/b"));
        assert_eq!(resolve(&base.join("new/out")).unwrap(), base.join("new/out"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).unwrap();
            // As the kernel does: `link/..` is the parent of the link's target.
            assert_eq!(resolve(&base.join("link/..")).unwrap(), base.join("a"));
            assert_eq!(resolve(&base.join("link/new")).unwrap(), base.join("a/b/new"));
            std::os::unix::fs::symlink(base.join("missing"), base.join("dangling")).unwrap();
            assert!(matches!(
                resolve(&base.join("dangling/x")),
                Err(OutputError::BrokenLink { .. })
            ));
        }
    }

    #[test]
    fn refuses_the_sources_the_root_and_above() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let reason = |out: &Path| match check_location(&root, out) {
            Err(OutputError::Forbidden { reason, .. }) => Some(reason),
            _ => None,
        };
        assert_eq!(reason(&root), Some(Forbidden::SiteRoot));
        assert_eq!(reason(dir.path()), Some(Forbidden::AboveSiteRoot));
        assert_eq!(reason(&root.join("content")), Some(Forbidden::InsideSource("content")));
        assert_eq!(
            reason(&root.join("content/x")),
            Some(Forbidden::InsideSource("content"))
        );
        assert_eq!(
            reason(&root.join("nope/../content")),
            Some(Forbidden::InsideSource("content"))
        );
        assert_eq!(reason(&root.join("themes/t")), Some(Forbidden::InsideSource("themes")));
        assert_eq!(reason(&root.join("x/.git/y")), Some(Forbidden::InsideGit));
        assert!(check_location(&root, &root.join("public")).is_ok());
        assert!(check_location(&root, &dir.path().join("elsewhere")).is_ok());
    }

    #[test]
    fn ownership_accepts_missing_empty_and_marked_folders_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(check_ownership(&out, false).is_ok());
        std::fs::create_dir(&out).unwrap();
        assert!(check_ownership(&out, false).is_ok());
        std::fs::write(out.join("mine.txt"), "x").unwrap();
        assert!(matches!(check_ownership(&out, false), Err(OutputError::NotOurs { .. })));
        assert!(check_ownership(&out, true).is_ok());
        std::fs::create_dir_all(out.join("deep/sub/.git")).unwrap();
        assert!(matches!(
            check_ownership(&out, true),
            Err(OutputError::Forbidden {
                reason: Forbidden::HoldsGit(_),
                ..
            })
        ));
        std::fs::remove_dir_all(out.join("deep")).unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        assert!(check_ownership(&out, false).is_ok());
    }
}
