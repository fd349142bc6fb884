//! The shape of each content file, for checking a file whole before serde reads it
//! (see [`super::yaml::shape`]): the raw structs of [`super::raw`], key by key, and
//! the words people write for the values of each choice. A test keeps the keys and
//! values in step with the structs.

use super::yaml::shape::{Choice, Field, Record, Shape};
use crate::msg;

/// `content/teams.yaml`: a list of teams (or nothing).
pub static TEAMS_FILE: Shape = Shape::Maybe(&Shape::List(&Shape::Lenient(&Shape::Record(&TEAM))));
/// `content/metrics/<id>.yaml`.
pub static METRIC_FILE: Shape = Shape::Record(&METRIC);
/// `content/<quarter>/<team>.yaml` (empty is no OKRs).
pub static TEAM_QUARTER_FILE: Shape = Shape::Maybe(&Shape::Record(&TEAM_QUARTER));
/// A retrospective's front matter.
pub static FRONT_MATTER: Shape = Shape::Record(&FRONT);

const TEXT: Shape = Shape::Maybe(&Shape::Text);
const NUMBER: Shape = Shape::Maybe(&Shape::Number);

static TEAM: Record = Record {
    what: || msg!("yaml.what.team"),
    fields: &[
        Field::required("id", Shape::Text),
        Field::required("name", Shape::Text),
        Field::new("parent", TEXT),
    ],
};

static METRIC: Record = Record {
    what: || msg!("yaml.what.metric_file"),
    fields: &[
        Field::required("name", Shape::Text),
        Field::new("unit", TEXT),
        Field::new("unit_one", TEXT),
        Field::new("unit_position", Shape::Maybe(&Shape::Choice(&UNIT_POSITION))),
        Field::new("direction", Shape::Maybe(&Shape::Choice(&DIRECTION))),
        Field::new("layer", Shape::Maybe(&Shape::Choice(&LAYER))),
        Field::new("definition", Shape::Maybe(&Shape::Record(&DEFINITION))),
        Field::new("aggregate", Shape::Maybe(&Shape::Choice(&AGGREGATE))),
        Field::new("thresholds", Shape::Maybe(&Shape::Record(&THRESHOLDS))),
        Field::new("cadence", Shape::Maybe(&Shape::Choice(&CADENCE))),
        Field::new("drives", Shape::List(&Shape::Text)),
        Field::new("points", Shape::Series),
        Field::new("private", Shape::Bool),
    ],
};

static DEFINITION: Record = Record {
    what: || msg!("yaml.what.definition"),
    fields: &[
        Field::new("formula", TEXT),
        Field::new("numerator", TEXT),
        Field::new("denominator", TEXT),
        Field::new("period", TEXT),
        Field::new("exclusions", TEXT),
        Field::new("source", TEXT),
        Field::new("frequency", TEXT),
        Field::new("owner", TEXT),
    ],
};

static THRESHOLDS: Record = Record {
    what: || msg!("yaml.what.thresholds"),
    fields: &[
        Field::new("red", NUMBER),
        Field::new("yellow", NUMBER),
        Field::new("action", TEXT),
    ],
};

static TEAM_QUARTER: Record = Record {
    what: || msg!("yaml.what.team_quarter"),
    fields: &[
        Field::new("objectives", Shape::List(&Shape::Lenient(&Shape::Record(&OBJECTIVE)))),
        Field::new("not_doing", Shape::List(&Shape::Text)),
        Field::new("private", Shape::Bool),
    ],
};

static OBJECTIVE: Record = Record {
    what: || msg!("yaml.what.objective"),
    fields: &[
        Field::new("id", TEXT),
        Field::required("title", Shape::Text),
        Field::new("owner", TEXT),
        Field::new("aligns_to", TEXT),
        Field::new("key_results", Shape::List(&Shape::Lenient(&Shape::Record(&KEY_RESULT)))),
        Field::new("initiatives", Shape::List(&Shape::Text)),
    ],
};

static KEY_RESULT: Record = Record {
    what: || msg!("yaml.what.key_result"),
    fields: &[
        Field::new("id", TEXT),
        Field::required("title", Shape::Text),
        Field::new("owner", TEXT),
        Field::new("metric", TEXT),
        Field::new("unit", TEXT),
        Field::new("unit_one", TEXT),
        Field::new("unit_position", Shape::Maybe(&Shape::Choice(&UNIT_POSITION))),
        Field::new("baseline", NUMBER),
        Field::new("target", NUMBER),
        Field::new("weight", NUMBER),
        Field::new("checkins", Shape::List(&Shape::Lenient(&Shape::Record(&CHECKIN)))),
        Field::new("values", Shape::Maybe(&Shape::Series)),
        Field::new("score", Shape::Maybe(&Shape::Share)),
    ],
};

static CHECKIN: Record = Record {
    what: || msg!("yaml.what.checkin"),
    fields: &[
        Field::required("date", Shape::Date),
        Field::required("status", Shape::Choice(&LIGHT)),
        Field::new("confidence", Shape::Maybe(&Shape::Share)),
        Field::new("note", TEXT),
    ],
};

static FRONT: Record = Record {
    what: || msg!("yaml.what.front_matter"),
    fields: &[
        Field::new("title", TEXT),
        Field::new("date", Shape::Maybe(&Shape::Date)),
        Field::new("authors", Shape::List(&Shape::Text)),
        Field::new("tags", Shape::List(&Shape::Text)),
        Field::new("draft", Shape::Bool),
        Field::new("private", Shape::Bool),
    ],
};

/// A check-in's status, and what people write for it (English and Japanese).
static LIGHT: Choice = Choice {
    values: &["green", "yellow", "red"],
    near: &[
        ("amber", "yellow"),
        ("orange", "yellow"),
        ("at risk", "yellow"),
        ("ok", "green"),
        ("good", "green"),
        ("on track", "green"),
        ("done", "green"),
        ("bad", "red"),
        ("off track", "red"),
        ("blocked", "red"),
        ("緑", "green"),
        ("青", "green"),
        ("黄", "yellow"),
        ("黄色", "yellow"),
        ("赤", "red"),
    ],
};

static DIRECTION: Choice = Choice {
    values: &["increase", "decrease"],
    near: &[
        ("up", "increase"),
        ("higher", "increase"),
        ("more", "increase"),
        ("increasing", "increase"),
        ("higher is better", "increase"),
        ("down", "decrease"),
        ("lower", "decrease"),
        ("less", "decrease"),
        ("decreasing", "decrease"),
        ("lower is better", "decrease"),
        ("増加", "increase"),
        ("減少", "decrease"),
    ],
};

/// Where a unit is written.
static UNIT_POSITION: Choice = Choice {
    values: &["before", "after"],
    near: &[
        ("prefix", "before"),
        ("left", "before"),
        ("front", "before"),
        ("前", "before"),
        ("suffix", "after"),
        ("right", "after"),
        ("back", "after"),
        ("後", "after"),
    ],
};

static LAYER: Choice = Choice {
    values: &["leading", "intermediate", "lagging"],
    near: &[("lead", "leading"), ("lag", "lagging"), ("middle", "intermediate")],
};

static AGGREGATE: Choice = Choice {
    values: &["last", "sum"],
    near: &[
        ("latest", "last"),
        ("level", "last"),
        ("total", "sum"),
        ("count", "sum"),
    ],
};

static CADENCE: Choice = Choice {
    values: &["daily", "weekly", "monthly", "quarterly"],
    near: &[
        ("day", "daily"),
        ("week", "weekly"),
        ("month", "monthly"),
        ("quarter", "quarterly"),
        ("毎日", "daily"),
        ("毎週", "weekly"),
        ("毎月", "monthly"),
        ("四半期", "quarterly"),
    ],
};

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use serde::de::{self, Deserialize, Visitor};

    use super::*;
    use crate::content::raw::{
        RawCheckin, RawFrontMatter, RawKeyResult, RawMetric, RawObjective, RawTeam, RawTeamQuarter, RawThresholds,
    };
    use crate::domain::{Aggregate, Cadence, Definition, Direction, Layer, Light, UnitPosition};

    /// A deserializer that notes the field or variant names serde asks for.
    struct Probe<'a>(&'a Cell<&'static [&'static str]>);

    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("probe"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set(fields);
            Err(de::Error::custom("probe"))
        }
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set(variants);
            Err(de::Error::custom("probe"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
        }
    }

    fn names<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
        let cell = Cell::new(&[][..]);
        let _ = T::deserialize(Probe(&cell));
        cell.get().to_vec()
    }

    fn keys(r: &Record) -> Vec<&'static str> {
        r.fields.iter().map(|f| f.key).collect()
    }

    #[test]
    fn the_shapes_have_the_keys_of_the_raw_structs() {
        assert_eq!(keys(&TEAM), names::<RawTeam>());
        assert_eq!(keys(&METRIC), names::<RawMetric>());
        assert_eq!(keys(&DEFINITION), names::<Definition>());
        assert_eq!(keys(&THRESHOLDS), names::<RawThresholds>());
        assert_eq!(keys(&TEAM_QUARTER), names::<RawTeamQuarter>());
        assert_eq!(keys(&OBJECTIVE), names::<RawObjective>());
        assert_eq!(keys(&KEY_RESULT), names::<RawKeyResult>());
        assert_eq!(keys(&CHECKIN), names::<RawCheckin>());
        assert_eq!(keys(&FRONT), names::<RawFrontMatter>());
        let records = [
            &TEAM,
            &METRIC,
            &DEFINITION,
            &THRESHOLDS,
            &TEAM_QUARTER,
            &OBJECTIVE,
            &KEY_RESULT,
            &CHECKIN,
            &FRONT,
        ];
        for r in records {
            assert!(r.fields.len() <= super::super::yaml::shape::MAX_FIELDS, "{:?}", keys(r));
        }
    }

    #[test]
    fn the_choices_have_the_values_of_the_enums() {
        assert_eq!(LIGHT.values, names::<Light>());
        assert_eq!(DIRECTION.values, names::<Direction>());
        assert_eq!(LAYER.values, names::<Layer>());
        assert_eq!(AGGREGATE.values, names::<Aggregate>());
        assert_eq!(CADENCE.values, names::<Cadence>());
        assert_eq!(UNIT_POSITION.values, names::<UnitPosition>());
        for choice in [&LIGHT, &DIRECTION, &LAYER, &AGGREGATE, &CADENCE, &UNIT_POSITION] {
            for (_, meant) in choice.near {
                assert!(choice.values.contains(meant), "{meant}");
            }
        }
    }
}
