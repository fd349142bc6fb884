//! Finding a node of a document by its path with serde's own deserializer (so
//! positions agree with serde's), for documents the position index cannot follow.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::serde_errors::to_diagnostic;
use super::{Origin, Seg, YamlPath, too_deep};
use crate::diag::{Diagnostic, Position};

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

pub(super) fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
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
    fn locate_finds_values_keys_and_items() {
        let kr = YamlPath::root().key("objectives").index(0).key("key_results").index(1);
        assert_eq!(locate(DOC, &kr.key("target")), Some(Position::new(8, 19)));
        assert_eq!(locate(DOC, &kr), Some(Position::new(6, 9)));
        assert_eq!(locate(DOC, &kr.key("missing")), None);
    }
}
