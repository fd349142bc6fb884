//! Collecting diagnostics while resolving: locating YAML paths, "did you mean"
//! help within a budget.

use std::collections::HashMap;

use super::super::load::Loaded;
use super::super::yaml::{self, YamlPath};
use super::super::yaml_index::{Found, PositionIndex};
use crate::diag::{Diagnostic, Message, Position, Severity, suggestion};

/// Collects diagnostics and locates YAML paths in one file.
pub(super) struct Reporter<'a> {
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
    /// Node positions of each file with a diagnostic, indexed on its first one
    /// (locating each path by re-reading the file was quadratic).
    positions: HashMap<String, PositionIndex>,
    /// Paths of each file located by re-reading it (where the index cannot tell, as
    /// in a file with anchors): at most [`REREAD_LOCATIONS`] per file.
    rereads: HashMap<String, usize>,
    /// Names compared so far for "did you mean" help: one unknown name against
    /// thousands, thousands of times, took minutes, so the comparisons are budgeted.
    pub(super) suggestion_work: usize,
}

/// Where a diagnostic points: a node of a YAML file, or a position found otherwise
/// (a field of a CSV row).
pub(super) enum Spot {
    Node(YamlPath),
    At(Position),
}

/// How many names "did you mean" may compare in one run.
pub(super) const SUGGESTION_BUDGET: usize = 500_000;
/// How many diagnostics of one file the index cannot locate are located by re-reading it.
const REREAD_LOCATIONS: usize = 20;
/// How many known names a help lists.
const LISTED: usize = 20;

/// `a, b, c`, or the first [`LISTED`] and how many more.
pub(super) fn listing<S: AsRef<str>>(names: &[S]) -> Message {
    let shown: Vec<&str> = names.iter().take(LISTED).map(AsRef::as_ref).collect();
    if names.len() <= LISTED {
        return crate::msg!("list.all", items = shown.join(", "));
    }
    crate::msg!("list.more", items = shown.join(", "), n = names.len() - LISTED)
}

impl<'a> Reporter<'a> {
    pub(super) fn new(diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Reporter {
            diagnostics,
            positions: HashMap::new(),
            rereads: HashMap::new(),
            suggestion_work: 0,
        }
    }

    pub(super) fn suggest<S: AsRef<str>>(&mut self, written: &str, expected: &[S]) -> Option<Message> {
        self.suggestion_work += expected.len();
        if self.suggestion_work > SUGGESTION_BUDGET {
            return None;
        }
        let expected: Vec<&str> = expected.iter().map(AsRef::as_ref).collect();
        suggestion(written, &expected)
    }

    pub(super) fn locate<T>(&mut self, l: &Loaded<T>, path: &YamlPath) -> Option<Position> {
        match self.find(l, path) {
            Found::At(p) => Some(p),
            Found::Nowhere | Found::Unknown => None,
        }
    }

    /// Where `path` is in the file; `Unknown` when only re-reading the file could tell
    /// and its budget is spent.
    fn find<T>(&mut self, l: &Loaded<T>, path: &YamlPath) -> Found {
        let index = self
            .positions
            .entry(l.file.clone())
            .or_insert_with(|| PositionIndex::build(&l.text));
        match index.find(path) {
            Found::Unknown => {
                // Each re-read costs the whole file: thousands of diagnostics in a
                // file with one anchor were quadratic.
                let rereads = self.rereads.entry(l.file.clone()).or_default();
                *rereads += 1;
                if *rereads > REREAD_LOCATIONS {
                    return Found::Unknown;
                }
                yaml::locate(&l.text, path).map_or(Found::Nowhere, Found::At)
            }
            found => found,
        }
    }

    fn push<T>(&mut self, severity: Severity, l: &Loaded<T>, path: &YamlPath, message: Message) -> &mut Diagnostic {
        let (position, message) = match self.find(l, path) {
            Found::At(p) => (Some(p), message),
            Found::Nowhere => (None, message),
            // Past the budget the diagnostic names the node instead of its line.
            Found::Unknown => (
                None,
                crate::msg!("diag.at_path", message = message, path = path.to_string()),
            ),
        };
        self.diagnostics.push(Diagnostic {
            severity,
            file: l.file.clone(),
            position,
            message,
            help: None,
        });
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Reports at `spot`, a node or a position of the file of `l`.
    pub(super) fn report_at<T>(
        &mut self,
        severity: Severity,
        l: &Loaded<T>,
        spot: &Spot,
        message: impl Into<Message>,
    ) -> &mut Diagnostic {
        match spot {
            Spot::Node(path) => self.push(severity, l, path, message.into()),
            Spot::At(position) => {
                self.diagnostics.push(Diagnostic {
                    severity,
                    file: l.file.clone(),
                    position: Some(*position),
                    message: message.into(),
                    help: None,
                });
                self.diagnostics.last_mut().expect("just pushed")
            }
        }
    }

    /// The position of `spot` in the file of `l`, if it can be found.
    pub(super) fn locate_spot<T>(&mut self, l: &Loaded<T>, spot: &Spot) -> Option<Position> {
        match spot {
            Spot::Node(path) => self.locate(l, path),
            Spot::At(position) => Some(*position),
        }
    }

    pub(super) fn error<T>(&mut self, l: &Loaded<T>, path: &YamlPath, message: impl Into<Message>) -> &mut Diagnostic {
        self.push(Severity::Error, l, path, message.into())
    }

    pub(super) fn warning<T>(
        &mut self,
        l: &Loaded<T>,
        path: &YamlPath,
        message: impl Into<Message>,
    ) -> &mut Diagnostic {
        self.push(Severity::Warning, l, path, message.into())
    }
}

pub(super) trait Help {
    fn help(&mut self, help: impl Into<Message>);
}

impl Help for Diagnostic {
    fn help(&mut self, help: impl Into<Message>) {
        self.help = Some(help.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_helper_is_used_for_unknown_positions() {
        // Positions are 1-based; a located path never yields line 0.
        let text = "- id: a\n  name: A\n";
        let p = yaml::locate(text, &YamlPath::root().index(0).key("name")).unwrap();
        assert_eq!(p, Position::new(2, 9));
    }
}
