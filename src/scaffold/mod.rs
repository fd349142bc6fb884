//! `init` (a new site with a small valid example, [`init`]) and `new` (the next
//! quarter's files for a team, bridged from its previous quarter, [`new`] and
//! [`bridge`]). Nothing is ever overwritten: this module writes the files.

mod bridge;
mod init;
mod new;

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::messages::Message;
use crate::msg;

pub use init::init;
pub use new::new_quarter;

/// Why `init` or `new` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The site does not pass `check`: fix it first (exit 1).
    #[error("{}", self.message())]
    SiteHasErrors,
    #[error("{}", self.message())]
    NotEmpty(PathBuf),
    #[error("{}", self.message())]
    NotAQuarter(String),
    #[error("{}", self.message())]
    UnknownTeam { team: String, known: Vec<String> },
    #[error("{}", self.message())]
    NotAFileName(String),
    #[error("{}", self.message())]
    Exists(PathBuf),
    /// A path okrsite made itself that is not a plain relative file path (a bug).
    #[error("{}", self.message())]
    LeavesFolder(String),
    #[error("{}", self.message())]
    SymbolicLink(PathBuf),
    #[error("{}", self.message())]
    NotAFolder(PathBuf),
    #[error("{}", self.message())]
    Io {
        action: IoAction,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    Yaml(#[from] serde_yaml::Error),
}

/// What `init` or `new` was doing with a path when the system refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoAction {
    Read,
    Create,
    Write,
}

impl ScaffoldError {
    /// The error in the command line's words (the system's own words as they are).
    pub fn message(&self) -> Message {
        let shown = |p: &Path| p.display().to_string();
        match self {
            ScaffoldError::SiteHasErrors => msg!("scaffold.site_has_errors"),
            ScaffoldError::NotEmpty(p) => msg!("scaffold.not_empty", path = shown(p)),
            ScaffoldError::NotAQuarter(text) => msg!("scaffold.not_a_quarter", text = text),
            ScaffoldError::UnknownTeam { team, known } => {
                msg!("scaffold.unknown_team", team = team, known = known.join(", "))
            }
            ScaffoldError::NotAFileName(id) => msg!("scaffold.not_a_file_name", id = id),
            ScaffoldError::Exists(p) => msg!("scaffold.exists", path = shown(p)),
            ScaffoldError::LeavesFolder(p) => msg!("scaffold.leaves_folder", path = p),
            ScaffoldError::SymbolicLink(p) => msg!("scaffold.symlink", path = shown(p)),
            ScaffoldError::NotAFolder(p) => msg!("scaffold.not_a_folder", path = shown(p)),
            ScaffoldError::Io { action, path, source } => {
                let (path, error) = (shown(path), source.to_string());
                match action {
                    IoAction::Read => msg!("scaffold.cannot_read", path = path, error = error),
                    IoAction::Create => msg!("scaffold.cannot_create", path = path, error = error),
                    IoAction::Write => msg!("scaffold.cannot_write", path = path, error = error),
                }
            }
            ScaffoldError::Yaml(e) => msg!("scaffold.yaml", error = e.to_string()),
        }
    }

    /// Whether the site's content is at fault (exit 1) rather than the command (exit 2).
    pub fn is_content_error(&self) -> bool {
        matches!(self, ScaffoldError::SiteHasErrors)
    }

    fn io(action: IoAction, path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { action, path, source }
    }
}

/// Writes files at relative paths under `root` without ever replacing anything or
/// writing through a symbolic link: every folder on the way must be a real folder
/// (or is created), and each file is created new (`create_new` refuses an existing
/// name, a dangling link included).
fn write_new(root: &Path, files: &[(String, String)]) -> Result<(), ScaffoldError> {
    for (p, _) in files {
        let path = root.join(p);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(ScaffoldError::Exists(path));
        }
    }
    for (p, text) in files {
        let rel = Path::new(p);
        let mut dir = root.to_path_buf();
        let parts: Vec<Component> = rel.components().collect();
        let Some((Component::Normal(name), folders)) = parts.split_last() else {
            return Err(ScaffoldError::LeavesFolder(p.clone()));
        };
        for part in folders {
            let Component::Normal(part) = part else {
                return Err(ScaffoldError::LeavesFolder(p.clone()));
            };
            dir.push(part);
            real_folder(&dir)?;
        }
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.clone()),
                _ => ScaffoldError::io(IoAction::Write, &path)(e),
            })?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(ScaffoldError::io(IoAction::Write, &path))?;
    }
    Ok(())
}

/// Makes sure `dir` is a real folder, creating it when missing; a symbolic link
/// (even to a folder) or a file is refused.
fn real_folder(dir: &Path) -> Result<(), ScaffoldError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Err(ScaffoldError::SymbolicLink(dir.to_path_buf())),
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(ScaffoldError::NotAFolder(dir.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir(dir).map_err(ScaffoldError::io(IoAction::Create, dir))?;
            real_folder(dir)
        }
        Err(e) => Err(ScaffoldError::io(IoAction::Read, dir)(e)),
    }
}

fn to_yaml(value: &impl serde::Serialize) -> Result<String, ScaffoldError> {
    Ok(serde_yaml::to_string(value)?)
}

/// A whole number as an integer (`65`, not `65.0`).
fn yaml_number(v: f64) -> serde_yaml::Number {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        serde_yaml::Number::from(v as i64)
    } else {
        serde_yaml::Number::from(v)
    }
}

/// YAML line breaks (YAML 1.1 parsers also break lines at NEL, LS and PS).
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Appends `text` as comment lines: each line gets `prefix` (starting with `#`),
/// whatever line breaks `text` holds, and characters YAML does not allow even in
/// a comment are written escaped (`\u{7}`), so the file always parses.
fn push_comment(out: &mut String, prefix: &str, text: &str) {
    debug_assert!(prefix.starts_with('#'));
    let text = text.strip_suffix('\n').unwrap_or(text);
    for line in text.split(is_line_break) {
        out.push_str(prefix);
        for c in line.chars() {
            if is_yaml_printable(c) {
                out.push(c);
            } else {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
        out.push('\n');
    }
}

/// YAML's `c-printable`, without the byte order mark.
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}
