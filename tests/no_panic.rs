//! No input makes okrsite panic: arbitrary bytes and arbitrary YAML go to every
//! parser entry point, and whole sites of garbage go through `check`.

mod common;

use okrsite::build;
use okrsite::content::raw::{RawFrontMatter, RawMetric, RawSeries, RawTeam, RawTeamQuarter};
use okrsite::content::yaml::{self, Origin, YamlPath};
use okrsite::content::{load, retro};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

const KEYS: &[&str] = &[
    "objectives",
    "key_results",
    "id",
    "title",
    "metric",
    "baseline",
    "target",
    "weight",
    "checkins",
    "values",
    "score",
    "date",
    "status",
    "note",
    "aligns_to",
    "initiatives",
    "not_doing",
    "private",
    "name",
    "unit",
    "direction",
    "points",
    "thresholds",
    "red",
    "yellow",
    "definition",
    "aggregate",
    "layer",
    "parent",
    "tags",
    "draft",
    "value",
    "2025-07-07",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Value::Number(f.into())),
        prop::sample::select(vec![
            "2025-07-07",
            "2025-02-30",
            "0000-00-00",
            "9999-12-31",
            "green",
            "blue",
            "increase",
            "sum",
            "company/grow",
            "a/b/c",
            "../x",
            "o1",
            ""
        ])
        .prop_map(|s| Value::String(s.to_string())),
        ".{0,20}".prop_map(Value::String),
    ]
}

fn yaml_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Sequence),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kvs| {
                let mut m = Mapping::new();
                for (k, v) in kvs {
                    m.insert(Value::String(k.to_string()), v);
                }
                Value::Mapping(m)
            }),
        ]
    })
}

fn parse_everything(text: &str) {
    let origin = Origin {
        file: "f.yaml",
        line_offset: 0,
        what: "a file",
    };
    let _ = yaml::parse::<RawTeamQuarter>(text, origin);
    let _ = yaml::parse::<RawMetric>(text, origin);
    let _ = yaml::parse::<Vec<RawTeam>>(text, origin);
    let _ = yaml::parse::<RawFrontMatter>(text, origin);
    let _ = yaml::parse::<RawSeries>(text, origin);
    let path = YamlPath::root()
        .key("objectives")
        .index(0)
        .key("key_results")
        .index(1)
        .key("target");
    let _ = yaml::locate(text, &path);
    let _ = okrsite::config::parse(text);
    let _ = retro::parse(text, "f.md");
    let _ = retro::extract_learnings(text, &["学び".to_string(), "Learnings".to_string()]);
    let _ = retro::split_tags(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        parse_everything(&text);
    }

    #[test]
    fn arbitrary_yaml_never_panics(value in yaml_value()) {
        let text = serde_yaml::to_string(&value).unwrap_or_default();
        parse_everything(&text);
        parse_everything(&format!("---\n{text}---\n## 学び\n- x #t\n"));
    }

    #[test]
    fn arbitrary_bytes_in_every_file_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        value in yaml_value(),
        which in 0usize..5,
    ) {
        let site = common::site(None);
        let files = ["content/teams.yaml", "content/metrics/onboarding.yaml", "content/2025-Q3/product.yaml", "content/2025-Q3/product.md", "okrsite.toml"];
        std::fs::write(site.path().join(files[which]), &bytes).unwrap();
        let yaml_text = serde_yaml::to_string(&value).unwrap_or_default();
        std::fs::write(site.path().join(files[(which + 1) % 5]), yaml_text).unwrap();
        let today = jiff::civil::date(2025, 11, 1);
        let checked = build::check(site.path(), false, today);
        if checked.site.is_none() {
            prop_assert!(checked.error_count() > 0, "a failed check must say why");
        }
        let _ = load::read_text(&site.path().join(files[which]), files[which]);
    }
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        text.push_str(&format!(
            "{}: &{} [{}]\n",
            w[1],
            w[1],
            vec![format!("*{}", w[0]); 9].join(",")
        ));
    }
    let origin = Origin {
        file: "content/teams.yaml",
        line_offset: 0,
        what: "teams.yaml",
    };
    let err = yaml::parse::<Vec<RawTeam>>(&text, origin).unwrap_err();
    assert!(
        err.message.contains("repetition limit") || err.message.contains("wrong type"),
        "{}",
        err.message
    );
    let site = common::site(None);
    std::fs::write(
        site.path().join("content/2025-Q3/product.yaml"),
        format!("objectives: []\nbomb:\n  {}", text.replace('\n', "\n  ")),
    )
    .unwrap();
    let checked = build::check(site.path(), false, jiff::civil::date(2025, 11, 1));
    assert!(checked.error_count() > 0);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let origin = Origin {
        file: "f.yaml",
        line_offset: 0,
        what: "a file",
    };
    for text in ["[".repeat(100_000), "- ".repeat(20_000) + "x", "{a: ".repeat(50_000)] {
        let err = yaml::parse::<RawTeamQuarter>(&text, origin).unwrap_err();
        assert!(!err.message.is_empty());
        let deep = YamlPath((0..300).map(|_| okrsite::content::yaml::Seg::Index(0)).collect());
        let _ = yaml::locate(&text, &deep);
    }
    let md = "> ".repeat(50_000) + "- x";
    let _ = retro::extract_learnings(&md, &["学び".to_string()]);
}

#[test]
fn a_huge_file_gets_a_size_error() {
    let site = common::site(None);
    let path = site.path().join("content/metrics/onboarding.yaml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(load::MAX_FILE_BYTES + 1).unwrap();
    let checked = build::check(site.path(), false, jiff::civil::date(2025, 11, 1));
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.file == "content/metrics/onboarding.yaml")
        .expect("a diagnostic");
    assert!(d.message.contains("MB"), "{}", d.message);
}

#[test]
fn binary_garbage_is_a_utf8_error_with_a_position() {
    let site = common::site(None);
    std::fs::write(
        site.path().join("content/2025-Q3/product.yaml"),
        b"objectives:\n  - title: \x89PNG\r\n\x1a\n\0\0",
    )
    .unwrap();
    let checked = build::check(site.path(), false, jiff::civil::date(2025, 11, 1));
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.file == "content/2025-Q3/product.yaml")
        .expect("a diagnostic");
    assert!(d.message.contains("UTF-8"));
    assert_eq!(d.position.map(|p| p.line), Some(2));
}
