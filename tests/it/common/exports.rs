//! The OKR exports of a built site read back whole: the index `api/okrs.json` and
//! the file of every quarter it names (format version 2), checked against each other
//! and put together in the shape of format version 1 (one document with `quarters`
//! and `learnings`), which is what most tests ask about.

use std::path::Path;

use serde_json::{Map, Value};

/// The export format the build writes (`format_version`).
pub const FORMAT_VERSION: u64 = 2;

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The index of the site built into `out`.
pub fn okrs_index(out: &Path) -> Value {
    read_json(&out.join("api/okrs.json"))
}

/// Every quarter file the index of `out` names, in its order, each checked against
/// its index entry: it exists, holds the quarter it is named for, with as many
/// teams and learnings as the entry says, in the same format version.
pub fn okrs_quarter_files(out: &Path) -> Vec<Value> {
    let index = okrs_index(out);
    assert_eq!(index["format_version"], FORMAT_VERSION, "index format");
    let entries = index["quarters"].as_array().expect("index quarters");
    entries
        .iter()
        .map(|entry| {
            let file = entry["file"].as_str().expect("a quarter's file");
            let quarter = read_json(&out.join("api").join(file));
            let id = &entry["id"];
            assert_eq!(quarter["format_version"], FORMAT_VERSION, "{file}");
            assert_eq!(&quarter["id"], id, "{file} holds another quarter");
            for key in ["start", "end", "status"] {
                assert_eq!(quarter[key], entry[key], "{file}: {key}");
            }
            let count = |key: &str| quarter[key].as_array().map_or(0, Vec::len) as u64;
            assert_eq!(entry["team_count"], count("teams"), "{file}: team_count");
            assert_eq!(entry["learning_count"], count("learnings"), "{file}: learning_count");
            quarter
        })
        .collect()
}

/// The OKR exports of `out` as one document of format version 1: the index's site
/// fields and teams, `quarters` with their teams, every quarter's `learnings`.
pub fn okrs_export(out: &Path) -> Value {
    let index = okrs_index(out);
    let mut whole = Map::new();
    for key in [
        "site",
        "base_url",
        "today",
        "fiscal_year_start_month",
        "scoring",
        "teams",
    ] {
        whole.insert(key.into(), index[key].clone());
    }
    let mut quarters = Vec::new();
    let mut learnings = Vec::new();
    for file in okrs_quarter_files(out) {
        let Value::Object(mut fields) = file else {
            panic!("a quarter file is an object")
        };
        if let Some(Value::Array(l)) = fields.remove("learnings") {
            learnings.extend(l);
        }
        for key in ["format_version", "site", "today"] {
            fields.remove(key);
        }
        quarters.push(Value::Object(fields));
    }
    whole.insert("quarters".into(), Value::Array(quarters));
    whole.insert("learnings".into(), Value::Array(learnings));
    Value::Object(whole)
}
