//! The files as written: serde structs that mirror the content format exactly.
//! Unknown keys are rejected here (`deny_unknown_fields`), so a typo never passes.

use std::fmt;

use jiff::civil::Date;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::domain::{Aggregate, Cadence, Definition, Direction, Layer, Light, UnitPosition};

/// A calendar date written `YYYY-MM-DD`; an impossible date is an error at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub Date);

/// Why a text is not a date.
#[derive(Debug, thiserror::Error)]
pub enum DayError {
    #[error("`{0}` is not a date; write dates as YYYY-MM-DD, e.g. 2025-07-07")]
    Shape(String),
    #[error("`{0}`: the year must be between 0001 and 9999")]
    YearZero(String),
    #[error("`{text}` is an impossible date: there is no month {month}")]
    NoSuchMonth { text: String, month: i8 },
    #[error("`{text}` is an impossible date: {year:04}-{month:02} has {days} days")]
    NoSuchDay {
        text: String,
        year: i16,
        month: i8,
        days: i8,
    },
}

impl DayError {
    /// The same error about the date as it was written (a CSV's `2025/2/30`, read as
    /// `2025-02-30`).
    pub fn written_as(self, written: &str) -> DayError {
        let text = written.to_string();
        match self {
            DayError::Shape(_) => DayError::Shape(text),
            DayError::YearZero(_) => DayError::YearZero(text),
            DayError::NoSuchMonth { month, .. } => DayError::NoSuchMonth { text, month },
            DayError::NoSuchDay { year, month, days, .. } => DayError::NoSuchDay {
                text,
                year,
                month,
                days,
            },
        }
    }
}

impl Day {
    pub fn parse(s: &str) -> Result<Day, DayError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DayError::Shape(s.to_string()));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
        if y < 1 {
            return Err(DayError::YearZero(s.to_string()));
        }
        if !(1..=12).contains(&m) {
            return Err(DayError::NoSuchMonth {
                text: s.to_string(),
                month: m,
            });
        }
        Date::new(y, m, d).map(Day).map_err(|_| DayError::NoSuchDay {
            text: s.to_string(),
            year: y,
            month: m,
            days: Date::new(y, m, 1).map(|first| first.days_in_month()).unwrap_or(31),
        })
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Day;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Day, E> {
                Day::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A list element that failed to parse does not fail its whole file: it is kept
/// as `Err` so the other elements are still checked, and the loader reports it
/// precisely with [`super::yaml::parse_at`]. This is how one run reports an
/// unknown key in the first KR and a wrong type in the third.
#[derive(Debug, Clone)]
pub enum Lenient<T> {
    Ok(T),
    Err,
}

impl<T> Lenient<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Lenient::Ok(t) => Some(t),
            Lenient::Err => None,
        }
    }
}

thread_local! {
    /// Set while an outer [`Lenient`] reads its element in one pass: the elements
    /// nested in it are then read straight, without a copy of their own.
    static ONE_PASS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Set while a checked value is read ([`read_checked`]).
    static CHECKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read`, which reads raw structs from a checked value
/// ([`super::yaml::checked`]): there every element that failed the check is null
/// and every other one passed it, so each [`Lenient`] reads its element straight,
/// null as `Err`, without the copy that keeps a failure from failing the rest.
pub(crate) fn read_checked<R>(read: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            CHECKED.set(false);
        }
    }
    CHECKED.set(true);
    let _reset = Reset;
    read()
}

/// Clears [`ONE_PASS`] when the one pass ends, however it ends.
struct OnePass;

impl OnePass {
    fn start() -> OnePass {
        ONE_PASS.set(true);
        OnePass
    }
}

impl Drop for OnePass {
    fn drop(&mut self) {
        ONE_PASS.set(false);
    }
}

#[cfg(not(test))]
fn one_pass_allowed() -> bool {
    true
}

/// Tests compare the one pass with reading each element on its own.
#[cfg(test)]
fn one_pass_allowed() -> bool {
    !tests::EACH_ON_ITS_OWN.get()
}

/// Each element is copied once, so that a failure can be kept as `Err`. Nested
/// `Lenient`s (an objective's KRs, a KR's check-ins) would each copy again, so the
/// outermost first reads its element in one pass with the nested ones read straight
/// (any failure then fails the pass), and only when that fails reads it again with
/// every nested element on its own: the result is the same, and a valid file (the
/// usual case) is copied once rather than once per level.
impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if CHECKED.get() {
            return Option::<T>::deserialize(d).map(|t| t.map_or(Lenient::Err, Lenient::Ok));
        }
        if ONE_PASS.get() {
            return T::deserialize(d).map(Lenient::Ok);
        }
        let value = serde_yaml::Value::deserialize(d)?;
        if one_pass_allowed() {
            let pass = OnePass::start();
            let read = T::deserialize(&value);
            drop(pass);
            if let Ok(t) = read {
                return Ok(Lenient::Ok(t));
            }
        }
        Ok(serde_yaml::from_value::<T>(value).map_or(Lenient::Err, Lenient::Ok))
    }
}

/// One point of a time series.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPoint {
    pub date: Day,
    pub value: f64,
    pub note: Option<String>,
}

/// A series written as a list of `{date, value, note}` or as a mapping `date: value`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawSeries {
    pub points: Vec<RawPoint>,
    /// Whether it was written as a mapping (positions are then looked up by date key).
    pub mapping_form: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListPoint {
    date: Day,
    value: f64,
    note: Option<String>,
}

impl<'de> Deserialize<'de> for RawSeries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSeries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of {date, value, note} or a mapping of date to value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawSeries, A::Error> {
                let mut points = Vec::new();
                while let Some(p) = seq.next_element::<ListPoint>()? {
                    points.push(RawPoint {
                        date: p.date,
                        value: p.value,
                        note: p.note,
                    });
                }
                Ok(RawSeries {
                    points,
                    mapping_form: false,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSeries, A::Error> {
                let mut points = Vec::new();
                while let Some(date) = map.next_key::<Day>()? {
                    let value = map.next_value::<f64>()?;
                    points.push(RawPoint {
                        date,
                        value,
                        note: None,
                    });
                }
                Ok(RawSeries {
                    points,
                    mapping_form: true,
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawSeries, E> {
                Ok(RawSeries::default())
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThresholds {
    pub red: Option<f64>,
    pub yellow: Option<f64>,
    pub action: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    pub name: String,
    pub unit: Option<String>,
    pub unit_one: Option<String>,
    pub unit_position: Option<UnitPosition>,
    pub direction: Option<Direction>,
    pub layer: Option<Layer>,
    pub definition: Option<Definition>,
    pub aggregate: Option<Aggregate>,
    pub thresholds: Option<RawThresholds>,
    pub cadence: Option<Cadence>,
    #[serde(default)]
    pub drives: Vec<String>,
    #[serde(default)]
    pub points: RawSeries,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheckin {
    pub date: Day,
    pub status: Light,
    pub confidence: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyResult {
    pub id: Option<String>,
    pub title: String,
    /// Not in the format's example, but people name KR owners; optional.
    pub owner: Option<String>,
    pub metric: Option<String>,
    pub unit: Option<String>,
    pub unit_one: Option<String>,
    pub unit_position: Option<UnitPosition>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub weight: Option<f64>,
    #[serde(default)]
    pub checkins: Vec<Lenient<RawCheckin>>,
    pub values: Option<RawSeries>,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObjective {
    pub id: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub aligns_to: Option<String>,
    #[serde(default)]
    pub key_results: Vec<Lenient<RawKeyResult>>,
    #[serde(default)]
    pub initiatives: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeamQuarter {
    #[serde(default)]
    pub objectives: Vec<Lenient<RawObjective>>,
    #[serde(default)]
    pub not_doing: Vec<String>,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<Day>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub private: bool,
}

/// A file that may be kept out of the site: draft or private files are built only
/// with `--drafts` (see `resolve::Options::publishes`, the one filter).
pub trait MaybeUnpublished {
    /// Whether the file asks to stay out of the published site.
    fn is_unpublished(&self) -> bool;
}

impl MaybeUnpublished for RawMetric {
    fn is_unpublished(&self) -> bool {
        self.private
    }
}

impl MaybeUnpublished for RawTeamQuarter {
    fn is_unpublished(&self) -> bool {
        self.private
    }
}

impl MaybeUnpublished for RawFrontMatter {
    fn is_unpublished(&self) -> bool {
        self.draft || self.private
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Makes every [`Lenient`] read its element on its own, as before the one pass.
        pub static EACH_ON_ITS_OWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// What `text` reads as, as a team-quarter's OKRs and as a team list, both ways.
    fn read_both_ways(text: &str) -> [String; 2] {
        let read = || {
            let okrs = serde_yaml::from_str::<Option<RawTeamQuarter>>(text);
            let from_value = serde_yaml::from_str::<serde_yaml::Value>(text)
                .map(|v| serde_yaml::from_value::<Option<RawTeamQuarter>>(v).map_err(|e| e.to_string()));
            let teams = serde_yaml::from_str::<Option<Vec<Lenient<RawTeam>>>>(text);
            format!("{okrs:?}\n{from_value:?}\n{teams:?}")
        };
        let one_pass = read();
        EACH_ON_ITS_OWN.set(true);
        let each_on_its_own = read();
        EACH_ON_ITS_OWN.set(false);
        [one_pass, each_on_its_own]
    }

    #[test]
    fn one_pass_reads_what_each_element_on_its_own_reads() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for dir in ["content", "tests/fixtures"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                if e.path().extension().is_some_and(|x| x == "yaml") {
                    // Fixtures of broken encodings are not YAML text.
                    let Ok(text) = std::fs::read_to_string(e.path()) else {
                        continue;
                    };
                    let [one, each] = read_both_ways(&text);
                    assert_eq!(one, each, "{}", e.path().display());
                    files += 1;
                }
            }
        }
        assert!(files > 100, "{files}");
        // Failures two and three levels deep, beside valid elements: the valid ones
        // are kept, the failing ones are `Err`, as when each is read on its own.
        let doc = "objectives:\n- title: ok\n  key_results:\n  - title: fine\n    checkins:\n    - {date: 2025-07-01, status: green}\n    - {date: 2025-07-02, status: purple}\n  - title: bad\n    tagret: 3\n- title: also ok\n";
        let [one, each] = read_both_ways(doc);
        assert_eq!(one, each);
        assert!(
            one.contains("Err") && one.contains("\"fine\"") && one.contains("\"also ok\""),
            "{one}"
        );
    }

    #[test]
    fn dates_are_checked_for_shape_and_existence() {
        assert!(Day::parse("2025-07-07").is_ok());
        assert!(Day::parse("2024-02-29").is_ok());
        let e = Day::parse("2025-02-30").unwrap_err().to_string();
        assert!(e.contains("2025-02 has 28 days"), "{e}");
        assert!(
            Day::parse("2025-13-01")
                .unwrap_err()
                .to_string()
                .contains("no month 13")
        );
        assert!(Day::parse("2025/07/07").unwrap_err().to_string().contains("YYYY-MM-DD"));
        assert!(Day::parse("0000-01-01").is_err());
        assert!(Day::parse("9999-12-31").is_ok());
    }

    #[test]
    fn series_accepts_both_forms() {
        let list: RawSeries = serde_yaml::from_str("- date: 2025-07-07\n  value: 45\n  note: x\n").unwrap();
        let map: RawSeries = serde_yaml::from_str("{2025-07-07: 45.0}").unwrap();
        assert_eq!(list.points[0].value, map.points[0].value);
        assert_eq!(list.points[0].date, map.points[0].date);
        assert!(map.mapping_form && !list.mapping_form);
    }
}
