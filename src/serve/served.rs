//! What the server serves at any moment: one built generation of the site, the
//! diagnostics overlay, and the change that led to it. It is swapped whole, so a
//! request always reads one complete generation, never a half-written one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::files::unfingerprinted;
use crate::messages::Lang;

/// One complete build of the site in a folder of its own. Its folder is removed
/// once nothing serves it any more ([`Served::remove_unused`]).
pub struct Generation {
    pub dir: PathBuf,
}

/// What changed from one [`State`] to the next, for open tabs to decide whether
/// to reload (or only swap their stylesheets).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Pages (site-relative paths of `.html` files) that changed, or `None` when
    /// every page may have (the overlay came or went, a script or image changed).
    pub pages: Option<Vec<String>>,
    /// Stylesheets that changed.
    pub css: Vec<String>,
}

/// Above this many changed pages a tab is not told which: all reload.
const MAX_LISTED_PAGES: usize = 1000;

impl Default for Change {
    /// Nothing changed.
    fn default() -> Change {
        Change {
            pages: Some(Vec::new()),
            css: Vec::new(),
        }
    }
}

impl Change {
    /// Every page may have changed.
    pub fn everything() -> Change {
        Change {
            pages: None,
            css: Vec::new(),
        }
    }

    /// Sorts changed output files (site-relative) into pages and stylesheets.
    /// Search shards change the search page; data exports and feeds are no page's;
    /// anything else (a script, an image) may be used by any page.
    pub fn from_files(files: &[String]) -> Change {
        let mut pages = Vec::new();
        let mut css = Vec::new();
        let mut every_page = false;
        for file in files {
            let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
            if ext == "html" {
                pages.push(file.clone());
            } else if ext == "css" {
                css.push(file.clone());
            } else if file.starts_with("search/") {
                pages.push("search/index.html".to_string());
            } else if file.starts_with("api/") || matches!(ext, "xml" | "json" | "csv" | "txt") {
                // Feeds, the sitemap and exports: read by tools, not shown in a tab.
            } else {
                every_page = true;
            }
        }
        pages.sort();
        pages.dedup();
        Change {
            pages: (!every_page && pages.len() <= MAX_LISTED_PAGES).then_some(pages),
            css,
        }
    }

    /// [`Change::from_files`] for a full rebuild from the generation in `previous` to
    /// the one in `next`. A changed stylesheet has a new fingerprinted name, so every
    /// page linking it changed too; a page that differs only in such names is not
    /// counted, so open tabs swap the stylesheet in place instead of reloading.
    pub fn between(files: &[String], previous: &Path, next: &Path) -> Change {
        let mut change = Change::from_files(files);
        let renames = renamed_stylesheets(&change.css, previous);
        if let Some(pages) = change.pages.as_mut()
            && !renames.is_empty()
        {
            pages.retain(|page| !same_but_names(previous, next, page, &renames));
        }
        change
    }

    pub fn is_empty(&self) -> bool {
        self.pages.as_ref().is_some_and(Vec::is_empty) && self.css.is_empty()
    }
}

/// `(old, new)` names of each stylesheet in `css` whose fingerprinted name changed
/// from the generation in `previous`.
fn renamed_stylesheets(css: &[String], previous: &Path) -> Vec<(String, String)> {
    css.iter()
        .filter_map(|new| {
            let plain = unfingerprinted(new)?;
            let (dir, _) = new.rsplit_once('/')?;
            let old = std::fs::read_dir(previous.join(dir))
                .ok()?
                .filter_map(Result::ok)
                .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
                .find(|old| old != new && unfingerprinted(old).as_ref() == Some(&plain))?;
            Some((old, new.clone()))
        })
        .collect()
}

/// Whether `page` in `previous`, with the `renames` made, is `page` in `next`.
fn same_but_names(previous: &Path, next: &Path, page: &str, renames: &[(String, String)]) -> bool {
    let (Ok(mut old), Ok(new)) = (
        std::fs::read_to_string(previous.join(page)),
        std::fs::read_to_string(next.join(page)),
    ) else {
        return false;
    };
    for (from, to) in renames {
        old = old.replace(from.as_str(), to);
    }
    old == new
}

/// The site as served now.
#[derive(Default)]
pub struct State {
    /// `None` until a build first succeeds.
    pub site: Option<Arc<Generation>>,
    /// The diagnostics shown over every page while the content has errors.
    pub overlay: Option<Arc<str>>,
    /// Counts the changes open tabs are told about.
    pub number: u64,
    /// What changed to reach `number`.
    pub change: Change,
}

pub struct Served {
    /// The path the site is served under, with `/` at both ends.
    pub base: String,
    /// The language of the server's own words on pages (the site's, at the start).
    pub lang: Lang,
    /// Different for every start of the server, so a tab notices a restart.
    pub server_id: String,
    state: watch::Sender<Arc<State>>,
    /// Generations replaced by newer ones, removed once no request reads them.
    retired: Mutex<Vec<Arc<Generation>>>,
    /// Becomes true when the server stops: live-reload streams end.
    pub stopping: watch::Receiver<bool>,
}

impl Served {
    pub fn new(base: String, lang: Lang, stopping: watch::Receiver<bool>) -> Served {
        Served {
            base,
            lang,
            server_id: server_id(),
            state: watch::channel(Arc::new(State::default())).0,
            retired: Mutex::new(Vec::new()),
            stopping,
        }
    }

    pub fn current(&self) -> Arc<State> {
        self.state.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<State>> {
        self.state.subscribe()
    }

    /// Serves `site` from now on (when given), with `overlay`. Open tabs are told
    /// when `change` is not empty.
    pub fn publish(&self, site: Option<Arc<Generation>>, overlay: Option<Arc<str>>, change: Change) {
        self.state.send_modify(|state| {
            let mut next = State {
                site: site.or_else(|| state.site.clone()),
                overlay,
                number: state.number,
                change: state.change.clone(),
            };
            if !change.is_empty() {
                next.number += 1;
                next.change = change;
            }
            if let Some(old) = &state.site
                && !next.site.as_ref().is_some_and(|new| Arc::ptr_eq(new, old))
                && let Ok(mut retired) = self.retired.lock()
            {
                retired.push(old.clone());
            }
            *state = Arc::new(next);
        });
    }

    /// Removes the folders of replaced generations that no request reads any more.
    pub fn remove_unused(&self) {
        let unused: Vec<Arc<Generation>> = match self.retired.lock() {
            Ok(mut retired) => {
                let (unused, used) = retired.drain(..).partition(|g| Arc::strong_count(g) == 1);
                *retired = used;
                unused
            }
            Err(_) => return,
        };
        for generation in unused {
            let _ = std::fs::remove_dir_all(&generation.dir);
        }
    }

    /// The live-reload message for `state`: which server, which change.
    pub fn message(&self, state: &State) -> String {
        serde_json::json!({
            "server": self.server_id,
            "generation": state.number,
            "pages": state.change.pages,
            "css": state.change.css,
        })
        .to_string()
    }
}

/// A random id: the start time and the process id, mixed.
fn server_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn changed_files_become_pages_and_stylesheets() {
        let change = Change::from_files(&files(&[
            "assets/okrsite.css",
            "quarters/2025-Q3/product/index.html",
            "search/s/2025-Q3/1.5f3a9c2e.js",
            "api/okrs.json",
            "feed.xml",
        ]));
        assert_eq!(
            change.pages,
            Some(files(&["quarters/2025-Q3/product/index.html", "search/index.html"]))
        );
        assert_eq!(change.css, files(&["assets/okrsite.css"]));
        assert!(Change::from_files(&files(&["assets/theme.js"])).pages.is_none());
        assert!(Change::from_files(&files(&["api/scores.csv"])).is_empty());
        assert!(!Change::everything().is_empty());
    }

    #[test]
    fn a_page_that_differs_only_in_a_stylesheets_new_name_is_not_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        let (old_css, new_css) = (
            "assets/okrsite.0000000000000000.css",
            "assets/okrsite.1111111111111111.css",
        );
        for (folder, css, other) in [(&old, old_css, "x"), (&new, new_css, "y")] {
            std::fs::create_dir_all(folder.join("assets")).unwrap();
            std::fs::write(folder.join(css), "body{}").unwrap();
            std::fs::write(folder.join("a.html"), format!("<link href=\"../{css}\">")).unwrap();
            std::fs::write(folder.join("b.html"), format!("<link href=\"{css}\">{other}")).unwrap();
        }
        let change = Change::between(&files(&["a.html", "b.html", new_css]), &old, &new);
        assert_eq!(change.pages, Some(files(&["b.html"])));
        assert_eq!(change.css, files(&[new_css]));
    }

    #[test]
    fn a_replaced_generation_is_removed_once_no_request_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let (_tx, rx) = watch::channel(false);
        let served = Served::new("/".into(), Lang::En, rx);
        let make = |name: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir(&path).unwrap();
            Arc::new(Generation { dir: path })
        };
        served.publish(Some(make("1")), None, Change::everything());
        let request = served.current();
        served.publish(Some(make("2")), None, Change::from_files(&files(&["a.html"])));
        assert_eq!(served.current().number, 2);
        served.remove_unused();
        assert!(dir.path().join("1").is_dir(), "a request still reads generation 1");
        drop(request);
        served.remove_unused();
        assert!(!dir.path().join("1").exists());
        assert!(dir.path().join("2").is_dir());
        // No change: the number stays, so tabs are not told.
        served.publish(None, None, Change::from_files(&[]));
        assert_eq!(served.current().number, 2);
    }
}
