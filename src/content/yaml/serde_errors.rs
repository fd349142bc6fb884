//! Diagnostics from serde's errors, for the texts [`super::read`] leaves to serde
//! alone (anchors, aliases, tags). serde_yaml gives its errors as text, so this is
//! the one place that reads an error's words (`unknown field`, `invalid type`):
//! a known exception, kept to this fallback.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::locate::{locate, scalar_text};
use super::{Origin, Seg, YamlPath};
use crate::diag::{Diagnostic, Message, Position, suggestion};
use crate::msg;

/// An error without a position (the parser gives none when aliases expand beyond its
/// limit, the "billion laughs" shape) gets the position of the node the parser was
/// reading when it failed, found by walking the document again; and, when the
/// document uses aliases, words for what is wrong.
pub(super) fn locate_failure(text: &str, origin: Origin<'_>, d: &mut Diagnostic) {
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

pub(super) fn to_diagnostic(error: &serde_yaml::Error, origin: Origin<'_>) -> Diagnostic {
    let position = error
        .location()
        .map(|l| Position::new(l.line() + origin.line_offset, l.column()));
    let full = error.to_string();
    let without_location = match full.rfind(" at line ") {
        Some(i) if full[i..].contains(" column ") => &full[..i],
        _ => full.as_str(),
    };
    let (path, message) = split_path(without_location);
    let what = noun_for(path, origin.what);
    let (mut message, help) = explain(message, what, path);
    if !path.is_empty() {
        message = msg!("diag.at_path", message = message, path = path);
    }
    let mut d = Diagnostic::error(origin.file, position, message);
    d.help = help;
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
fn noun_for(path: &str, top: fn() -> Message) -> Message {
    // The innermost list the path went through decides the noun: `...key_results[1]`.
    let last_list = path
        .rsplit('.')
        .find(|seg| seg.ends_with(']'))
        .map(|seg| seg.split('[').next().unwrap_or(""));
    let last_seg = path.rsplit('.').next().unwrap_or("");
    match (last_seg.split('[').next().unwrap_or(""), last_list) {
        ("definition", _) => msg!("yaml.what.definition"),
        ("thresholds", _) => msg!("yaml.what.thresholds"),
        (_, Some("key_results")) if last_seg.ends_with(']') => msg!("yaml.what.key_result"),
        (_, Some("objectives")) if last_seg.ends_with(']') => msg!("yaml.what.objective"),
        (_, Some("checkins")) if last_seg.ends_with(']') => msg!("yaml.what.checkin"),
        (_, Some("points" | "values")) if last_seg.ends_with(']') => msg!("yaml.what.point"),
        _ if path.is_empty() => top(),
        _ => msg!("yaml.what.path", path = path),
    }
}

/// serde's error in words, with the keys or values that would be right.
fn explain(message: &str, what: Message, path: &str) -> (Message, Option<Message>) {
    let key = path.rsplit('.').next().unwrap_or(path);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, expected) = split_expected(rest);
        let keys = expected.join(", ");
        let help = suggestion(key, &expected);
        return (msg!("yaml.unknown_key", key = key, what = what, keys = keys), help);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = split_expected(rest);
        let values = expected.join(", ");
        let help = suggestion(value, &expected);
        return (
            msg!("yaml.unknown_value", value = value, key = key, values = values),
            help,
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = rest.trim_matches('`');
        return (
            msg!("yaml.missing_key", key = key, what = what),
            Some(msg!("yaml.missing_key_help", key = key)),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let key = rest.trim_matches('`');
        return (
            msg!("yaml.duplicate_key", key = key, what = what),
            Some(msg!("yaml.duplicate_key_help")),
        );
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|r| r.split_once(", expected "))
    {
        let expected = match expected {
            "f64" | "i64" | "u64" | "u8" | "u32" | "usize" => msg!("yaml.expect.number"),
            "a boolean" | "bool" => msg!("yaml.expect.bool"),
            "a string" => msg!("yaml.expect.text"),
            "a sequence" => msg!("yaml.expect.list"),
            "struct" => msg!("yaml.expect.mapping"),
            other => Message::verbatim(other),
        };
        let found = Message::verbatim(found);
        if key.is_empty() {
            return (msg!("yaml.wrong_type_top", expected = expected, found = found), None);
        }
        return (
            msg!("yaml.wrong_type", key = key, expected = expected, found = found),
            None,
        );
    }
    (Message::verbatim(message), None)
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
