//! YAML parsing with positions.
//!
//! [`read`] reads a content file whole: the text as a tree with positions
//! ([`tree`]), checked against the file's shape ([`shape`], every problem at once,
//! with hints for near misses from [`hints`]), then read by serde from the checked
//! value. A syntax error is said as what to do ([`structure`], from the text's lines:
//! [`lines`]). Texts the tree does not follow (anchors, aliases, tags) are read by
//! serde alone ([`parse`]), whose first error is reported.
//!
//! The values serde returns carry no positions. Errors found later (a duplicate
//! id, a `metric` that names nothing) are located with [`locate`], which re-reads
//! the file and stops at a path, so positions cost nothing unless a problem is
//! reported (`yaml_index` does it for many paths at once).

pub mod checked;
pub(crate) mod events;
mod hints;
mod lines;
mod locate;
mod serde_errors;
pub mod shape;
mod structure;
pub mod tree;

use std::fmt;

use serde::de::DeserializeOwned;

pub use locate::{locate, parse_at};
use serde_errors::{locate_failure, to_diagnostic};
use shape::{Problem, Shape};
use tree::Built;

use crate::diag::{Diagnostic, Message, Position};
use crate::msg;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into a YAML document, e.g. `objectives[0].key_results[1].target`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    pub fn root() -> Self {
        YamlPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }

    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Where one YAML document sits inside its file (front matter starts below the `---`).
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a str,
    /// Lines above the document in its file.
    pub line_offset: usize,
    /// What the top level of the document is, in words ("a metric file").
    pub what: fn() -> Message,
}

impl Origin<'_> {
    /// A problem found in the document, as a diagnostic of its file.
    fn diagnostic(&self, p: Problem) -> Diagnostic {
        let at = Position::new(p.at.line + self.line_offset, p.at.column);
        let mut d = Diagnostic::error(self.file, Some(at), p.message);
        d.help = p.help;
        d
    }
}

/// A document read by [`read`]: its value, unless a problem is outside every element
/// that may fail on its own, and every problem found.
#[derive(Debug)]
pub struct Read<T> {
    pub value: Option<T>,
    pub problems: Vec<Diagnostic>,
}

impl<T> Read<T> {
    fn failed(problems: Vec<Diagnostic>) -> Read<T> {
        Read { value: None, problems }
    }

    /// The value, or the first problem (for a caller that keeps only one).
    pub fn into_result(mut self) -> Result<T, Vec<Diagnostic>> {
        match self.value.take() {
            Some(v) if self.problems.is_empty() => Ok(v),
            _ => Err(self.problems),
        }
    }
}

/// Reads one YAML document as `T`, whose shape is `shape`, reporting every problem
/// of it (see the module docs).
pub fn read<T: DeserializeOwned>(text: &str, origin: Origin<'_>, shape: &Shape) -> Read<T> {
    if too_deep(text).is_some() {
        return Read::failed(parse::<T>(text, origin).err().into_iter().collect());
    }
    let root = match tree::build(text) {
        Built::Tree(root) => root,
        Built::NotYaml(stop) => return Read::failed(vec![origin.diagnostic(structure::explain(text, &stop))]),
        Built::Unsupported => return read_with_serde(text, origin),
    };
    let checked = shape::check(root.as_ref(), shape);
    let problems = reported(checked.problems, origin);
    let value = checked.value.and_then(|v| checked::read::<T>(v).ok());
    match value {
        Some(v) => Read {
            value: Some(v),
            problems,
        },
        None if !problems.is_empty() => Read::failed(problems),
        // The shape passed what serde refuses: serde's own words.
        None => read_with_serde(text, origin),
    }
}

/// How many problems of one document are reported one by one; the rest are
/// counted in one more diagnostic (10,000 wrong statuses are one mistake copied).
pub const REPORTED_PROBLEMS: usize = 50;

/// The problems as diagnostics: the first [`REPORTED_PROBLEMS`], then how many more.
fn reported(problems: Vec<Problem>, origin: Origin<'_>) -> Vec<Diagnostic> {
    let more = problems.len().saturating_sub(REPORTED_PROBLEMS);
    let first_unreported = problems.get(REPORTED_PROBLEMS).map(|p| p.at);
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .take(REPORTED_PROBLEMS)
        .map(|p| origin.diagnostic(p))
        .collect();
    if let Some(at) = first_unreported {
        out.push(origin.diagnostic(Problem {
            at,
            message: msg!("yaml.more_problems", n = more),
            help: Some(msg!("yaml.more_problems_help", shown = REPORTED_PROBLEMS)),
        }));
    }
    out
}

/// [`parse`], with a syntax error explained as [`read`] does.
fn read_with_serde<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Read<T> {
    match parse::<T>(text, origin) {
        Ok(v) => Read {
            value: Some(v),
            problems: Vec::new(),
        },
        Err(d) => match syntax_stop(text) {
            Some(stop) => Read::failed(vec![origin.diagnostic(structure::explain(text, &stop))]),
            None => Read::failed(vec![d]),
        },
    }
}

/// Where the text stops being YAML, if it does.
fn syntax_stop(text: &str) -> Option<events::Stop> {
    let mut parser = events::Parser::new(text)?;
    loop {
        match parser.next() {
            Err(stop) => return Some(stop),
            Ok(e) if e.type_ == events::YAML_STREAM_END_EVENT => return None,
            Ok(_) => {}
        }
    }
}

/// Parses one YAML document into `T`, turning serde's error into a diagnostic
/// that names the key, the file, the line and column, and what would be right.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    if let Some(offset) = too_deep(text) {
        let pos = Position::of_offset(text, offset);
        return Err(Diagnostic::error(
            origin.file,
            Some(Position::new(pos.line + origin.line_offset, pos.column)),
            msg!("yaml.too_deep", depth = MAX_FLOW_DEPTH),
        )
        .with_help(msg!("yaml.too_deep_help")));
    }
    serde_yaml::from_str::<T>(text).map_err(|e| {
        let mut d = to_diagnostic(&e, origin);
        if d.position.is_none() {
            locate_failure(text, origin, &mut d);
        }
        d
    })
}

/// How deep `[`/`{` may nest. The YAML scanner slows down quadratically with
/// flow depth (50,000 `{a: ` take seconds), so deeper input is refused first.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The offset where flow brackets first nest deeper than [`MAX_FLOW_DEPTH`],
/// skipping quoted text and comments. Brackets inside plain text count too, which
/// only matters for text with dozens of unclosed brackets.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    // Most files are in block style: no bracket, no depth.
    let first = memchr::memchr2(b'[', b'{', text.as_bytes())?;
    if first + MAX_FLOW_DEPTH >= text.len() {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut prev = b'\n';
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if comment {
            comment = b != b'\n';
        } else if let Some(q) = quote {
            if b == q {
                quote = None;
            }
        } else {
            match b {
                b'"' | b'\'' if matches!(prev, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':') => quote = Some(b),
                b'#' if matches!(prev, b' ' | b'\t' | b'\n') => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = b;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let origin = Origin {
            file: "f.yaml",
            line_offset: 2,
            what: || msg!("yaml.what.file"),
        };
        let d = parse::<serde_yaml::Value>(&"{a: ".repeat(50_000), origin).unwrap_err();
        assert!(d.message.to_string().contains("nested more than 64"), "{}", d.message);
        assert_eq!(d.position, Some(Position::new(3, 4 * 64 + 1)));
        // Brackets in quotes and comments do not count.
        let fine = format!("a: \"{}\" # {}\nb: [[1]]\n", "[".repeat(100), "{".repeat(100));
        assert!(parse::<serde_yaml::Value>(&fine, origin).is_ok());
        // The depth is counted from the first bracket, however late it comes.
        assert_eq!(too_deep("a: 1\nb: two\n"), None);
        assert_eq!(too_deep(&format!("x: {}", "[".repeat(64))), None);
        assert_eq!(too_deep(&format!("x: {}", "[".repeat(65))), Some(3 + 64));
        assert_eq!(too_deep(&format!("x: {}a", "{".repeat(65))), Some(3 + 64));
    }

    #[test]
    fn billion_laughs_is_an_error_with_a_line() {
        let mut doc = String::from("name: x\nitems:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            doc.push_str(&format!("  - &a{i} [{refs}]\n"));
        }
        let origin = Origin {
            file: "f.yaml",
            line_offset: 2,
            what: || msg!("yaml.what.file"),
        };
        let d = parse::<serde_yaml::Value>(&doc, origin).unwrap_err();
        // The item whose aliases pass the parser's limit: `- &a5 [...]`, on line 8.
        assert_eq!(d.position, Some(Position::new(2 + 8, 5)));
        assert!(d.message.to_string().contains("aliases"), "{}", d.message);
    }

    #[test]
    fn unknown_key_names_the_kind_and_suggests() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Kr {
            title: String,
            target: Option<f64>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Doc {
            key_results: Vec<Kr>,
        }
        let origin = Origin {
            file: "f.yaml",
            line_offset: 0,
            what: || msg!("yaml.what.file"),
        };
        let d = parse::<Doc>("key_results:\n  - title: x\n    targte: 3\n", origin).unwrap_err();
        assert_eq!(d.position, Some(Position::new(3, 5)));
        assert!(
            d.message
                .to_string()
                .starts_with("unknown key `targte` in a key result; expected one of: title, target"),
            "{}",
            d.message
        );
        assert_eq!(
            d.help.as_ref().map(ToString::to_string).as_deref(),
            Some("did you mean `target`?")
        );
    }
}
