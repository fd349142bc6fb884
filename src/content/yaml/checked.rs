//! The value a checked document is read from ([`super::shape`] builds it, serde
//! reads the raw structs from it).
//!
//! It holds only what the check has already decided: each scalar as the type its
//! shape asks for, each mapping as its keys in order. serde_yaml's `Value` would do,
//! but its mappings are hash maps keyed by values: building and reading them was most
//! of the time from tree to raw structs, for a check that has already found every
//! duplicate key. Reading consumes the value, so texts move rather than copy.

use std::borrow::Cow;

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};

/// A checked value. A number is an `f64`, as serde_yaml gives every number the
/// check accepts (and the raw structs read every number as one).
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedValue {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<CheckedValue>),
    /// Keys in document order: a record's field names, or a series' dates.
    Map(Vec<(Cow<'static, str>, CheckedValue)>),
}

/// Reads `T` from `value`, each [`crate::content::raw::Lenient`] element straight
/// (null is a failed element: see [`crate::content::raw::read_checked`]).
pub fn read<T: de::DeserializeOwned>(value: CheckedValue) -> Result<T, Error> {
    crate::content::raw::read_checked(|| T::deserialize(value))
}

impl<'de> de::Deserializer<'de> for CheckedValue {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            CheckedValue::Null => visitor.visit_unit(),
            CheckedValue::Bool(b) => visitor.visit_bool(b),
            CheckedValue::Number(n) => visitor.visit_f64(n),
            CheckedValue::Text(s) => visitor.visit_string(s),
            CheckedValue::List(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            CheckedValue::Map(entries) => {
                let mut map = MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            CheckedValue::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    /// A unit variant, written as its name (a status, a direction).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            CheckedValue::Text(s) => visitor.visit_enum(s.into_deserializer()),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for CheckedValue {
    type Deserializer = CheckedValue;

    fn into_deserializer(self) -> CheckedValue {
        self
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;

    use crate::content::raw::{Lenient, RawMetric, RawTeam, RawTeamQuarter};
    use crate::content::shapes::{METRIC_FILE, TEAM_QUARTER_FILE, TEAMS_FILE};
    use crate::content::yaml::shape::Shape;
    use crate::content::yaml::{Origin, read};

    /// What `text` reads as through the check, and through serde_yaml alone, if the
    /// check found no problem.
    fn both<T: DeserializeOwned + Debug>(text: &str, shape: &Shape) -> Option<(String, String)> {
        let origin = Origin {
            file: "f.yaml",
            line_offset: 0,
            what: || crate::msg!("yaml.what.metric_file"),
        };
        let checked = read::<T>(text, origin, shape);
        let serde = serde_yaml::from_str::<T>(text).ok();
        checked.value.map(|v| (format!("{v:?}"), format!("{serde:?}")))
    }

    #[test]
    fn a_checked_file_reads_as_serde_yaml_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut compared = 0;
        for dir in ["content", "tests/fixtures"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                if e.path().extension().is_none_or(|x| x != "yaml") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                let results = [
                    both::<Option<RawTeamQuarter>>(&text, &TEAM_QUARTER_FILE),
                    both::<RawMetric>(&text, &METRIC_FILE),
                    both::<Option<Vec<Lenient<RawTeam>>>>(&text, &TEAMS_FILE),
                ];
                for (checked, serde) in results.into_iter().flatten() {
                    assert_eq!(format!("Some({checked})"), serde, "{}", e.path().display());
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn failed_elements_read_as_err_beside_the_others() {
        // Failures two and three levels deep, beside valid elements: the valid ones
        // are kept, the failing ones are `Err`, as serde_yaml alone reads them.
        let doc = "objectives:\n- title: ok\n  key_results:\n  - title: fine\n    checkins:\n    - {date: 2025-07-01, status: green}\n    - {date: 2025-07-02, status: purple}\n  - title: bad\n    tagret: 3\n- title: also ok\n- just text\n";
        let origin = Origin {
            file: "f.yaml",
            line_offset: 0,
            what: || crate::msg!("yaml.what.team_quarter"),
        };
        let checked = read::<Option<RawTeamQuarter>>(doc, origin, &TEAM_QUARTER_FILE);
        assert_eq!(checked.problems.len(), 3, "{:?}", checked.problems);
        let checked = format!("{:?}", checked.value.unwrap());
        let serde = format!("{:?}", serde_yaml::from_str::<Option<RawTeamQuarter>>(doc).unwrap());
        assert_eq!(checked, serde);
        assert_eq!(checked.matches("Err").count(), 3, "{checked}");
        assert!(
            checked.contains("\"fine\"") && checked.contains("\"also ok\""),
            "{checked}"
        );
    }
}
