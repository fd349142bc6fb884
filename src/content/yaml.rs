//! YAML parsing with positions.
//!
//! serde_yaml reports where a syntax or type error is, but the values it
//! returns carry no positions. Errors found later (a duplicate id, a `metric`
//! that names nothing) are located with [`locate`], which re-reads the file
//! and stops at a path, so positions cost nothing unless a problem is reported.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::diag::{Diagnostic, Position, suggestion};

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
    /// What the top level of the document is, for messages ("a metric file").
    pub what: &'a str,
}

/// Parses one YAML document into `T`, turning serde's error into a diagnostic
/// that names the key, the file, the line and column, and what would be right.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    if let Some(offset) = too_deep(text) {
        let pos = Position::of_offset(text, offset);
        return Err(Diagnostic::error(
            origin.file,
            Some(Position::new(pos.line + origin.line_offset, pos.column)),
            format!("brackets nested more than {MAX_FLOW_DEPTH} levels deep"),
        )
        .with_help("OKR files need only a few levels; check for unclosed `[` or `{`"));
    }
    serde_yaml::from_str::<T>(text).map_err(|e| {
        let mut d = to_diagnostic(&e, origin);
        if d.position.is_none() {
            locate_failure(text, origin, &mut d);
        }
        d
    })
}

/// An error without a position (the parser gives none when aliases expand beyond its
/// limit, the "billion laughs" shape) gets the position of the node the parser was
/// reading when it failed, found by walking the document again; and, when the
/// document uses aliases, words for what is wrong.
fn locate_failure(text: &str, origin: Origin<'_>, d: &mut Diagnostic) {
    let trail = std::cell::RefCell::new(Vec::new());
    let de = serde_yaml::Deserializer::from_str(text);
    if Trace(&trail).deserialize(de).is_ok() {
        return;
    }
    // The deepest node may lie inside an alias's expansion, whose position is that of
    // its anchor, above: the node shown is the deepest one reached without going back
    // up the file (the one whose aliases expand too far).
    let path = trail.into_inner();
    let mut found: Option<Position> = None;
    for depth in 1..=path.len() {
        let Some(p) = locate(text, &YamlPath(path[..depth].to_vec())) else {
            break;
        };
        if found.is_some_and(|f| (p.line, p.column) < (f.line, f.column)) {
            break;
        }
        found = Some(p);
    }
    if let Some(p) = found {
        d.position = Some(Position::new(p.line + origin.line_offset, p.column));
    }
    if uses_aliases(text) {
        d.message = crate::msg!("yaml.alias_expansion", reason = d.message.clone());
        d.help = Some(crate::msg!("yaml.alias_expansion_help"));
    }
}

/// Whether the text has an alias token (`*name` after a space, `[`, `{`, `,` or `:`).
fn uses_aliases(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2)
        .any(|w| w[1] == b'*' && matches!(w[0], b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'-'))
}

/// Walks a whole document, keeping in `.0` the path of the node being read, so that
/// after a failure it holds where the failure was.
struct Trace<'a>(&'a std::cell::RefCell<Vec<Seg>>);

impl<'de> DeserializeSeed<'de> for Trace<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Trace<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            // Keys as [`Walk`] matches them: text, a scalar's text, or the entry's index.
            let seg = match &key {
                serde_yaml::Value::String(s) => Seg::Key(s.clone()),
                other => scalar_text(other).map_or(Seg::Index(i), Seg::Key),
            };
            self.0.borrow_mut().push(seg);
            map.next_value_seed(Trace(self.0))?;
            self.0.borrow_mut().pop();
            i += 1;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.0.borrow_mut().push(Seg::Index(i));
            let more = seq.next_element_seed(Trace(self.0))?;
            self.0.borrow_mut().pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag x`): its content.
        let (_, variant) = data.variant::<IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, Trace(self.0))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// How deep `[`/`{` may nest. The YAML scanner slows down quadratically with
/// flow depth (50,000 `{a: ` take seconds), so deeper input is refused first.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The offset where flow brackets first nest deeper than [`MAX_FLOW_DEPTH`],
/// skipping quoted text and comments. Brackets inside plain text count too, which
/// only matters for text with dozens of unclosed brackets.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
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

fn to_diagnostic(error: &serde_yaml::Error, origin: Origin<'_>) -> Diagnostic {
    let position = error
        .location()
        .map(|l| Position::new(l.line() + origin.line_offset, l.column()));
    let full = error.to_string();
    let without_location = match full.rfind(" at line ") {
        Some(i) if full[i..].contains(" column ") => &full[..i],
        _ => full.as_str(),
    };
    let (path, message) = split_path(without_location);
    let noun = noun_for(path, origin.what);
    let (message, help) = explain(message, &noun);
    let mut message = message;
    if !path.is_empty() {
        message.push_str(&format!(" (at `{path}`)"));
    }
    let mut d = Diagnostic::error(origin.file, position, message);
    if let Some(help) = help {
        d = d.with_help(help);
    }
    d
}

/// Splits serde_yaml's `objectives[0].title: message` into path and message.
fn split_path(message: &str) -> (&str, &str) {
    if let Some(i) = message.find(": ") {
        let head = &message[..i];
        if !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
        {
            return (head, &message[i + 2..]);
        }
    }
    ("", message)
}

/// Names what the innermost mapping of a path is, in words.
fn noun_for(path: &str, top: &str) -> String {
    // The innermost list the path went through decides the noun: `...key_results[1]`.
    let last_list = path
        .rsplit('.')
        .find(|seg| seg.ends_with(']'))
        .map(|seg| seg.split('[').next().unwrap_or(""));
    let last_seg = path.rsplit('.').next().unwrap_or("");
    let noun = match (last_seg.split('[').next().unwrap_or(""), last_list) {
        ("definition", _) => "the definition sheet",
        ("thresholds", _) => "the thresholds",
        ("scoring", _) => "[scoring]",
        ("learnings", _) => "[learnings]",
        (_, Some("key_results")) if last_seg.ends_with(']') => "a key result",
        (_, Some("objectives")) if last_seg.ends_with(']') => "an objective",
        (_, Some("checkins")) if last_seg.ends_with(']') => "a check-in",
        (_, Some("points")) if last_seg.ends_with(']') => "a data point",
        (_, Some("values")) if last_seg.ends_with(']') => "a data point",
        _ if path.is_empty() => top,
        _ => return format!("`{path}`"),
    };
    noun.to_string()
}

/// The keys each kind of mapping accepts, so an unknown key gets a suggestion.
fn explain(message: &str, noun: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, expected) = split_expected(rest);
        let help = suggestion(key, &expected);
        let list = expected.join(", ");
        return (format!("unknown key `{key}` in {noun}; expected one of: {list}"), help);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = split_expected(rest);
        let help = suggestion(value, &expected);
        return (
            format!("unknown value `{value}`; expected one of: {}", expected.join(", ")),
            help,
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = rest.trim_matches('`');
        return (
            format!("missing key `{key}` in {noun}"),
            Some(format!("add `{key}: ...`")),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let key = rest.trim_matches('`');
        return (
            format!("key `{key}` appears twice in {noun}"),
            Some("keep one of them".into()),
        );
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|r| r.split_once(", expected "))
    {
        let expected = match expected {
            "f64" | "i64" | "u64" | "u8" | "u32" | "usize" => "a number",
            "a boolean" | "bool" => "true or false",
            "a string" => "text",
            "a sequence" => "a list",
            "struct" => "a mapping of keys to values",
            other => other,
        };
        return (format!("wrong type: found {found}, expected {expected}"), None);
    }
    (message.to_string(), None)
}

/// Parses "`x`, expected one of `a`, `b`" or "`x`, expected `a`".
fn split_expected(rest: &str) -> (&str, Vec<&str>) {
    let (key, tail) = match rest.split_once(", expected ") {
        Some((k, t)) => (k, t),
        None => (rest, ""),
    };
    let key = key.trim_matches('`');
    let tail = tail.strip_prefix("one of ").unwrap_or(tail);
    let expected = tail
        .split(", ")
        .flat_map(|s| s.split(" or "))
        .map(|s| s.trim_matches('`'))
        .filter(|s| !s.is_empty() && *s != "nothing")
        .collect();
    (key, expected)
}

/// Finds the position of the node at `path` in a YAML document, by re-parsing it
/// and stopping with an error at that node (serde_yaml gives errors a position).
pub fn locate(text: &str, path: &YamlPath) -> Option<Position> {
    if too_deep(text).is_some() {
        return None;
    }
    let de = serde_yaml::Deserializer::from_str(text);
    STOPPED_HERE.set(false);
    let result = Walk::<StopHere>::new(&path.0).deserialize(de);
    // Only the error StopHere raised locates the node; any other (the path is
    // missing, the text is broken) does not. Told by a flag, not by the message.
    match result {
        Err(e) if STOPPED_HERE.replace(false) => e.location().map(|l| Position::new(l.line(), l.column())),
        _ => None,
    }
}

thread_local! {
    /// Set by [`StopHere`] when it reaches its node, for [`locate`] on the same thread.
    static STOPPED_HERE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Parses the node at `path` as `T` with the position-tracking deserializer, so
/// an element that failed on its own (see [`super::raw::Lenient`]) gets the same
/// precise diagnostic as a whole-file error. `None` if it parses.
pub fn parse_at<T: DeserializeOwned>(text: &str, path: &YamlPath, origin: Origin<'_>) -> Option<Diagnostic> {
    if too_deep(text).is_some() {
        return None;
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match Walk::<Parse<T>>::new(&path.0).deserialize(de) {
        Err(e) => Some(to_diagnostic(&e, origin)),
        Ok(()) => None,
    }
}

/// What to do with the node a [`Walk`] arrives at.
trait Endpoint {
    fn at<'de, D: Deserializer<'de>>(d: D) -> Result<(), D::Error>;
}

impl Endpoint for StopHere {
    fn at<'de, D: Deserializer<'de>>(d: D) -> Result<(), D::Error> {
        d.deserialize_any(StopHere)
    }
}

struct Parse<T>(std::marker::PhantomData<T>);

impl<T: DeserializeOwned> Endpoint for Parse<T> {
    fn at<'de, D: Deserializer<'de>>(d: D) -> Result<(), D::Error> {
        T::deserialize(d).map(|_| ())
    }
}

/// Walks down a path through the document, skipping everything else.
struct Walk<'a, E>(&'a [Seg], std::marker::PhantomData<E>);

impl<'a, E> Walk<'a, E> {
    fn new(path: &'a [Seg]) -> Self {
        Walk(path, std::marker::PhantomData)
    }
}

impl<'de, E: Endpoint> DeserializeSeed<'de> for Walk<'_, E> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.0.is_empty() {
            E::at(d)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de, P: Endpoint> Visitor<'de> for Walk<'_, P> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            // An index into a mapping means its i-th entry (series written `date: value`).
            let matches = match (&self.0[0], &key) {
                (Seg::Key(want), serde_yaml::Value::String(s)) => s == want,
                (Seg::Key(want), other) => scalar_text(other).is_some_and(|s| &s == want),
                (Seg::Index(n), _) => *n == i,
            };
            i += 1;
            if matches {
                return map.next_value_seed(Walk::<P>::new(&self.0[1..]));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            if self.0[0] == Seg::Index(i) {
                return seq.next_element_seed(Walk::<P>::new(&self.0[1..])).map(|_| ());
            }
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Fails on whatever node it is given, so the error carries that node's position.
struct StopHere;

impl StopHere {
    fn stop<E: de::Error>() -> E {
        STOPPED_HERE.set(true);
        E::custom("the node to locate")
    }
}

impl<'de> Visitor<'de> for StopHere {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(StopHere::stop())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(StopHere::stop())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(StopHere::stop())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(StopHere::stop())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(StopHere::stop())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(StopHere::stop())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(StopHere::stop())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(StopHere::stop())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "objectives:\n  - title: a\n    key_results:\n      - title: x\n        target: 3\n      - title: y\n        baseline: 5\n        target:   5\n";

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let origin = Origin {
            file: "f.yaml",
            line_offset: 2,
            what: "a file",
        };
        let d = parse::<serde_yaml::Value>(&"{a: ".repeat(50_000), origin).unwrap_err();
        assert!(d.message.to_string().contains("nested more than 64"), "{}", d.message);
        assert_eq!(d.position, Some(Position::new(3, 4 * 64 + 1)));
        // Brackets in quotes and comments do not count.
        let fine = format!("a: \"{}\" # {}\nb: [[1]]\n", "[".repeat(100), "{".repeat(100));
        assert!(parse::<serde_yaml::Value>(&fine, origin).is_ok());
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
            what: "a file",
        };
        let d = parse::<serde_yaml::Value>(&doc, origin).unwrap_err();
        // The item whose aliases pass the parser's limit: `- &a5 [...]`, on line 8.
        assert_eq!(d.position, Some(Position::new(2 + 8, 5)));
        assert!(d.message.to_string().contains("aliases"), "{}", d.message);
    }

    #[test]
    fn locate_finds_values_keys_and_items() {
        let kr = YamlPath::root().key("objectives").index(0).key("key_results").index(1);
        assert_eq!(locate(DOC, &kr.key("target")), Some(Position::new(8, 19)));
        assert_eq!(locate(DOC, &kr), Some(Position::new(6, 9)));
        assert_eq!(locate(DOC, &kr.key("missing")), None);
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
            what: "a file",
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
