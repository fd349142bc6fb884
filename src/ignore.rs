//! Which files okrsite skips when it walks the site: editors' backup, swap,
//! autosave and lock files by default, plus the globs of `ignore` in okrsite.toml.
//! One rule for every walk (`content/`, `static/`, `templates/`) and for `serve`'s
//! watcher, so a file an editor leaves beside the one being edited is never read,
//! copied into the output or reported as unexpected.
//!
//! Pure functions of a name or a relative path: nothing here touches the file
//! system, so a dangling symbolic link (Emacs' `.#file` lock) is skipped like any file.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::LazyLock;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// File names ignored by default, matched against the name alone (any folder).
/// A pattern `!<glob>` in `ignore` re-includes a name.
pub const EDITOR_FILES: &[&str] = &[
    // Backups of Emacs, vim, gedit, nano…: `product.md~` (also vim's `.swp~`, `.un~`).
    "*~",
    // vim swap files: `.product.md.swp`, `.swo`, `.swx`…
    ".*.sw?",
    // Emacs lock files: dangling symbolic links `.#product.md`.
    ".#*",
    // Emacs autosave files: `#product.md#`.
    "#*#",
    // vim writes and deletes `4913` to test that it may write in a folder.
    "4913",
    // Folder metadata of macOS Finder and Windows Explorer.
    ".DS_Store",
    "Thumbs.db",
];

static EDITOR_SET: LazyLock<GlobSet> = LazyLock::new(|| {
    let mut b = GlobSetBuilder::new();
    for p in EDITOR_FILES {
        // The patterns are constants, checked by a unit test.
        if let Ok(g) = GlobBuilder::new(p).literal_separator(true).build() {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
});

/// Whether a file name is one of [`EDITOR_FILES`] (defaults only: see [`Ignore`]
/// for the site's own `ignore` setting).
pub fn is_editor_file(name: &OsStr) -> bool {
    EDITOR_SET.is_match(Path::new(name))
}

/// Builds the glob of one `ignore` pattern (without its `!`), as both the config's
/// validation and the matching compile it: `*` also crosses `/`, as it always has.
pub fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(false).build()
}

/// The defaults combined with the site's `ignore` patterns.
///
/// Patterns are relative to the folder walked and apply in order, the last match
/// deciding: `<glob>` ignores what it matches (in `content/` only, as `ignore` always
/// has), `!<glob>` re-includes what it matches (a default, or an earlier glob) in
/// every folder; a `!` pattern matches the path or the file name alone, so `!4913`
/// re-includes every file named 4913.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The valid patterns without their `!`, in order.
    set: GlobSet,
    /// `negated[i]`: pattern `i` started with `!`.
    negated: Vec<bool>,
}

impl Default for Ignore {
    /// The defaults alone.
    fn default() -> Self {
        Ignore::new(&[])
    }
}

impl Ignore {
    pub fn new(patterns: &[String]) -> Ignore {
        let mut b = GlobSetBuilder::new();
        let mut negated = Vec::new();
        for p in patterns {
            let (neg, body) = match p.strip_prefix('!') {
                Some(body) => (true, body),
                None => (false, p.as_str()),
            };
            // An invalid glob was reported with the config; it matches nothing.
            if let Ok(g) = glob(body) {
                b.add(g);
                negated.push(neg);
            }
        }
        let set = b.build().unwrap_or_else(|_| GlobSet::empty());
        Ignore { set, negated }
    }

    /// Whether `rel`, a `/`-separated path relative to `content/`, is skipped:
    /// hidden names (`.gitkeep`; never content, whatever `ignore` says), editor
    /// files unless re-included, and the `ignore` globs.
    pub fn in_content(&self, rel: &str) -> bool {
        let name = file_name(rel);
        name.starts_with('.') || self.decide(rel, name, true)
    }

    /// Whether `rel`, a `/`-separated path relative to `static/` or `templates/`,
    /// is skipped: editor files unless a `!` pattern re-includes them.
    pub fn in_site_folder(&self, rel: &str) -> bool {
        self.decide(rel, file_name(rel), false)
    }

    /// Whether `rel`, a `/`-separated path relative to the site root, is skipped
    /// by the walk of its folder ([`Ignore::in_content`] under `content/`,
    /// [`Ignore::in_site_folder`] elsewhere): the test for `serve`'s watcher.
    pub fn in_site(&self, rel: &str) -> bool {
        match rel.split_once('/') {
            Some(("content", rest)) => self.in_content(rest),
            Some((_, rest)) => self.in_site_folder(rest),
            None => self.in_site_folder(rel),
        }
    }

    /// Defaults first, then the patterns in order; the last match decides.
    /// `positive`: whether plain (non-`!`) patterns apply in this folder.
    fn decide(&self, rel: &str, name: &str, positive: bool) -> bool {
        let mut ignored = is_editor_file(OsStr::new(name));
        if self.negated.is_empty() {
            return ignored;
        }
        let on_path = self.set.matches(rel);
        let on_name = if name == rel {
            Vec::new()
        } else {
            self.set.matches(name)
        };
        let last = (0..self.negated.len()).rev().find(|&i| {
            let neg = self.negated[i];
            (neg || positive) && (on_path.contains(&i) || (neg && on_name.contains(&i)))
        });
        if let Some(i) = last {
            ignored = !self.negated[i];
        }
        ignored
    }
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(patterns: &[&str]) -> Ignore {
        Ignore::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn every_default_compiles() {
        for p in EDITOR_FILES {
            assert!(GlobBuilder::new(p).literal_separator(true).build().is_ok(), "{p}");
        }
        assert_eq!(EDITOR_SET.len(), EDITOR_FILES.len());
    }

    #[test]
    fn editor_files_are_recognised_by_name() {
        for name in [
            "product.md~",
            ".product.md.swp",
            ".product.md.swo",
            ".product.md.swx",
            ".product.md.swp~",
            ".#product.md",
            "#teams.yaml#",
            "4913",
            ".DS_Store",
            "Thumbs.db",
        ] {
            assert!(is_editor_file(OsStr::new(name)), "{name}");
        }
        for name in [
            "product.md",
            "teams.yaml",
            "49130",
            "a#b",
            "swp",
            "product.swp",
            "#notes",
            "~x",
        ] {
            assert!(!is_editor_file(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn defaults_apply_in_every_folder_and_plain_globs_in_content_only() {
        let i = ignore(&["**/*.xlsx", "README.md"]);
        assert!(i.in_content("2025-Q3/product.md~"));
        assert!(i.in_content("2025-Q3/.product.md.swp"));
        assert!(i.in_content("#teams.yaml#"));
        assert!(i.in_content("2025-Q3/plan.xlsx"));
        assert!(i.in_content("README.md"));
        assert!(i.in_content(".gitkeep"));
        assert!(!i.in_content("2025-Q3/product.md"));
        assert!(i.in_site_folder("notes.txt~"));
        assert!(i.in_site_folder("css/4913"));
        assert!(!i.in_site_folder("README.md"), "plain globs are relative to content/");
        assert!(
            !i.in_site_folder(".well-known/security.txt"),
            "static/ copies hidden files"
        );
        assert!(i.in_site("content/README.md"));
        assert!(i.in_site("static/notes.txt~"));
        assert!(i.in_site("okrsite.toml~"));
        assert!(!i.in_site("static/README.md"));
        assert!(!i.in_site("okrsite.toml"));
    }

    #[test]
    fn a_bang_pattern_re_includes_by_path_or_name_and_the_last_match_decides() {
        let i = ignore(&["!4913"]);
        assert!(!i.in_content("4913"));
        assert!(!i.in_content("2025-Q3/4913"));
        assert!(!i.in_site_folder("4913"));
        assert!(i.in_content("product.md~"), "other defaults stay");
        let i = ignore(&["!2025-Q3/*~"]);
        assert!(!i.in_content("2025-Q3/product.md~"));
        assert!(i.in_content("2025-Q4/product.md~"));
        let i = ignore(&["drafts/**", "!drafts/keep.md"]);
        assert!(i.in_content("drafts/a.md"));
        assert!(!i.in_content("drafts/keep.md"));
        let i = ignore(&["!drafts/keep.md", "drafts/**"]);
        assert!(i.in_content("drafts/keep.md"), "a later glob wins");
        // Hidden names are never content, whatever `ignore` says.
        assert!(ignore(&["!.DS_Store"]).in_content(".DS_Store"));
        assert!(!ignore(&["!.DS_Store"]).in_site_folder(".DS_Store"));
    }

    #[test]
    fn an_invalid_pattern_matches_nothing_and_the_others_still_apply() {
        let i = ignore(&["a[", "!4913", "b{"]);
        assert!(!i.in_content("4913"));
        assert!(!i.in_content("a["));
        assert!(i.in_content("x~"));
    }
}
