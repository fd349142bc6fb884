//! No input makes okrsite panic: arbitrary bytes and arbitrary YAML go to every
//! parser entry point, and whole sites of garbage go through `check`.
//!
//! The `fuzz_*` tests are the fuzz targets of issue 8, one per input kind: each YAML
//! file kind, the config, retrospectives (front matter + Markdown), learnings
//! extraction, the search tokenizer and index, the Markdown renderer, and the whole
//! load → validate → score → render pipeline on generated sites. Each asserts no
//! panic, the properties the output must keep (no script from content, JS-safe
//! search files, no draft text), and a bound on the time of one case: 1 s in release,
//! 10 s in debug, or `OKRSITE_FUZZ_MAX_MS`. `PROPTEST_CASES` sets the number of
//! cases (small by default so `cargo test` stays quick); `bench/fuzz.sh` runs each
//! target for minutes in release and reports the cases executed.

mod shapes;

use crate::common;

use okrsite::build;
use okrsite::content::raw::{Lenient, RawFrontMatter, RawMetric, RawSeries, RawTeam, RawTeamQuarter};
use okrsite::content::shapes as file_shapes;
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
        what: || okrsite::msg!("yaml.what.file"),
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
    let _ = okrsite::content::metric_csv::parse(text, "f.csv");
}

proptest! {
    #![proptest_config(config(256))]

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
        what: || okrsite::msg!("yaml.what.teams_file"),
    };
    let err = yaml::parse::<Vec<RawTeam>>(&text, origin).unwrap_err();
    assert!(
        err.message.to_string().contains("repetition limit") || err.message.to_string().contains("must be a list"),
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
        what: || okrsite::msg!("yaml.what.file"),
    };
    for text in ["[".repeat(100_000), "- ".repeat(20_000) + "x", "{a: ".repeat(50_000)] {
        let err = yaml::parse::<RawTeamQuarter>(&text, origin).unwrap_err();
        assert!(!err.message.to_string().is_empty());
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
    assert!(d.message.to_string().contains("MB"), "{}", d.message);
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
    assert!(d.message.to_string().contains("UTF-8"));
    assert_eq!(d.position.map(|p| p.line), Some(2));
}

// --- Fuzz targets -------------------------------------------------------------------

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use okrsite::render::markdown;
use okrsite::render::search;
use proptest::test_runner::{TestCaseError, TestRunner};

/// `PROPTEST_CASES` when set (proptest reads it), otherwise `default`.
fn config(default: u32) -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = default;
    }
    c.failure_persistence = None;
    c.max_shrink_time = 120_000;
    c
}

/// The longest one case may take.
fn time_limit() -> Duration {
    let default = if cfg!(debug_assertions) { 10_000 } else { 1_000 };
    let ms = std::env::var("OKRSITE_FUZZ_MAX_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Duration::from_millis(ms)
}

/// Whether `OKRSITE_FUZZ_DEADLINE` (seconds since 1970) has passed: then the
/// remaining cases of a long run are skipped, so bench/fuzz.sh can give each
/// target a time budget rather than a case count.
fn past_deadline() -> bool {
    std::env::var("OKRSITE_FUZZ_DEADLINE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|deadline| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .is_ok_and(|now| now.as_secs() >= deadline)
        })
}

/// Runs one fuzz target: `default_cases` cases of `strategy` (or `PROPTEST_CASES`),
/// each timed. Prints `FUZZ <name>: <n> cases, slowest <ms> ms` for bench/fuzz.sh.
fn fuzz<S: Strategy>(name: &str, default_cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    fuzz_with(name, config(default_cases), strategy, test)
}

/// [`fuzz`] for targets whose cases are large (thousands of items): a failing case
/// may itself be slow, so shrinking stops after a few steps rather than minutes.
fn fuzz_large<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut c = config(default_cases);
    c.max_shrink_iters = 24;
    c.max_shrink_time = 60_000;
    fuzz_with(name, c, strategy, test)
}

fn fuzz_with<S: Strategy>(
    name: &str,
    config: ProptestConfig,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let limit = time_limit();
    let cases = AtomicU64::new(0);
    let slowest = AtomicU64::new(0);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |value| {
        if past_deadline() {
            return Ok(());
        }
        let started = Instant::now();
        test(value)?;
        let took = started.elapsed();
        cases.fetch_add(1, Ordering::Relaxed);
        slowest.fetch_max(took.as_millis() as u64, Ordering::Relaxed);
        if took > limit {
            return Err(TestCaseError::fail(format!("one case took {took:?}, over {limit:?}")));
        }
        Ok(())
    });
    let line = format!(
        "FUZZ {name}: {} cases, slowest {} ms, {}",
        cases.load(Ordering::Relaxed),
        slowest.load(Ordering::Relaxed),
        if result.is_ok() { "ok" } else { "FAILED" }
    );
    eprintln!("{line}");
    if let Err(e) = result {
        panic!("{line}\n{e}");
    }
}

/// A placeholder's value that is itself hostile, and grows the text.
fn hostile_value(_: &okrsite::content::placeholders::Placeholder) -> Option<String> {
    Some("0.5 <b onmouseover=alert(1)>[[score]]</b> ]]>".into())
}

/// Text that has broken static sites before, and arbitrary text.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "<script>alert(1)</script>",
            "</script><!--",
            "]]>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)>",
            "\"><b onmouseover=alert(1)>",
            "' onfocus='alert(1)",
            "javascript:alert(1)",
            "[x](javascript:alert(1))",
            "{{ config }}",
            "{% raw %}",
            "{#",
            "\u{2028}",
            "\u{2029}",
            "\u{202e}",
            "👨\u{200d}👩\u{200d}👧\u{200d}👦",
            "e\u{301}",
            "Z̷a̸l̶g̴o̵",
            "שלום",
            "مرحبا",
            "学び",
            "価格改定",
            "ｶﾅ",
            "#tag",
            "[[score]]",
            "[[current o1/kr1]]",
            "\\[[",
            "[[scroe x]]",
            "# ",
            "## 学び\n- x",
            "- ",
            ": ",
            "---",
            "&amp;",
            "&#x3c;",
            "\\",
            "%2e%2e/",
            "../",
            "\u{0}",
            "\u{1}",
            "\u{b}",
            "\u{fffe}",
            "\r\n",
            "\t",
            "=cmd",
            "@x",
            "",
        ])
        .prop_map(str::to_string),
        "\\PC{0,12}",
        ".{0,6}",
    ];
    prop::collection::vec(piece, 0..4).prop_map(|v| v.concat())
}

fn slug() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z][a-z0-9-]{0,6}",
        1 => prop::sample::select(vec!["../../etc", "Bad Id", "", "o1", "kr1", "a/b", "é"]).prop_map(str::to_string),
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (1i32..=9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        6 => (2024i32..=2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => prop::sample::select(vec!["2025-02-30", "0000-01-01", "2025-13-01", "2025-7-7", "x", "9999-12-31", "2024-02-29"])
            .prop_map(str::to_string),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => (-1000.0f64..1000.0).prop_map(|f| Value::Number(f.into())),
        2 => (0u32..=10).prop_map(|n| Value::Number((n as f64 / 10.0).into())),
        1 => any::<f64>().prop_map(|f| Value::Number(f.into())),
        1 => any::<i64>().prop_map(|n| Value::Number(n.into())),
        1 => prop::sample::select(vec!["zero", "1e999", ".nan", ""]).prop_map(|s| Value::String(s.to_string())),
    ]
}

/// A number the format accepts (for sites meant to pass `check`).
fn number_ok() -> impl Strategy<Value = Value> {
    (-1000.0f64..1000.0).prop_map(|f| Value::Number(f.into()))
}

/// A date the format accepts, mostly near the fixtures' "today", sometimes at the ends.
fn date_ok() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (2024i32..=2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => prop::sample::select(vec!["0001-01-01", "9999-12-31", "2024-02-29", "2025-09-30", "2025-07-01"]).prop_map(str::to_string),
    ]
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn map(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(s(k), v);
        }
    }
    Value::Mapping(m)
}

/// A series: a list of `{date, value, note}` or a mapping of date to value.
fn series() -> impl Strategy<Value = Value> {
    let point = (date(), number(), prop::option::of(hostile_text()))
        .prop_map(|(d, v, n)| map(vec![("date", Some(s(d))), ("value", Some(v)), ("note", n.map(s))]));
    prop_oneof![
        prop::collection::vec(point, 0..8).prop_map(Value::Sequence),
        prop::collection::vec((date(), number()), 0..8).prop_map(|ps| {
            let mut m = Mapping::new();
            for (d, v) in ps {
                m.insert(s(d), v);
            }
            Value::Mapping(m)
        }),
    ]
}

/// teams.yaml: mostly the fixture's two teams (so the site stays valid) with hostile
/// names, plus random teams, parents and keys.
fn teams_value() -> impl Strategy<Value = Value> {
    let team = (slug(), hostile_text(), prop::option::of(slug()), 0u8..10).prop_map(|(id, name, parent, extra)| {
        map(vec![
            ("id", Some(s(id))),
            ("name", Some(s(name))),
            ("parent", parent.map(s)),
            ("colour", (extra == 0).then(|| s("red"))),
        ])
    });
    (
        hostile_text(),
        hostile_text(),
        prop::option::of(prop::sample::select(vec!["company", "product", "nope"])),
        prop::collection::vec(team, 0..4),
        0u8..6,
    )
        .prop_map(|(company, product, parent, extra, shape)| {
            let mut teams = vec![
                map(vec![
                    ("id", Some(s("company"))),
                    ("name", Some(s(company))),
                    ("parent", None),
                ]),
                map(vec![
                    ("id", Some(s("product"))),
                    ("name", Some(s(product))),
                    ("parent", Some(s(parent.unwrap_or("company")))),
                ]),
            ];
            teams.extend(extra);
            match shape {
                0 => Value::Sequence(teams.split_off(2)),
                1 => Value::Mapping(Mapping::new()),
                _ => Value::Sequence(teams),
            }
        })
}

fn key_result() -> impl Strategy<Value = Value> {
    let checkin = (
        date(),
        prop::sample::select(vec!["green", "yellow", "red", "blue"]),
        hostile_text(),
    )
        .prop_map(|(d, st, note)| {
            map(vec![
                ("date", Some(s(d))),
                ("status", Some(s(st))),
                ("note", Some(s(note))),
            ])
        });
    (
        (
            prop::option::of(slug()),
            hostile_text(),
            prop::option::of(hostile_text()),
        ),
        (
            prop::option::of(prop::sample::select(vec!["onboarding", "signups", "nope", "../x"])),
            prop::option::of(hostile_text()),
        ),
        (
            prop::option::of(number()),
            prop::option::of(number()),
            prop::option::of(number()),
        ),
        prop::collection::vec(checkin, 0..3),
        prop::option::of(series()),
        prop::option::of(number()),
    )
        .prop_map(
            |((id, title, owner), (metric, unit), (baseline, target, weight), checkins, values, score)| {
                map(vec![
                    ("id", id.map(s)),
                    ("title", Some(s(title))),
                    ("owner", owner.map(s)),
                    ("metric", metric.map(s)),
                    ("unit", unit.map(s)),
                    ("baseline", baseline),
                    ("target", target),
                    ("weight", weight),
                    ("checkins", (!checkins.is_empty()).then_some(Value::Sequence(checkins))),
                    ("values", values),
                    ("score", score),
                ])
            },
        )
}

fn okr_value() -> impl Strategy<Value = Value> {
    let objective = (
        prop::option::of(slug()),
        hostile_text(),
        prop::option::of(hostile_text()),
        prop::option::of(prop::sample::select(vec![
            "company/grow",
            "company/nope",
            "x",
            "a/b/c",
            "../../etc/passwd",
        ])),
        prop::collection::vec(key_result(), 0..5),
        prop::collection::vec(hostile_text(), 0..3),
    )
        .prop_map(|(id, title, owner, aligns, krs, initiatives)| {
            map(vec![
                ("id", id.map(s)),
                ("title", Some(s(title))),
                ("owner", owner.map(s)),
                ("aligns_to", aligns.map(s)),
                ("key_results", Some(Value::Sequence(krs))),
                (
                    "initiatives",
                    Some(Value::Sequence(initiatives.into_iter().map(s).collect())),
                ),
            ])
        });
    (
        prop::collection::vec(objective, 0..4),
        prop::collection::vec(hostile_text(), 0..3),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(objectives, not_doing, private)| {
            map(vec![
                ("objectives", Some(Value::Sequence(objectives))),
                (
                    "not_doing",
                    Some(Value::Sequence(not_doing.into_iter().map(s).collect())),
                ),
                ("private", private.map(Value::Bool)),
            ])
        })
}

fn metric_value() -> impl Strategy<Value = Value> {
    let definition = prop::collection::vec(
        (
            prop::sample::select(vec![
                "formula",
                "numerator",
                "denominator",
                "period",
                "exclusions",
                "source",
                "frequency",
                "owner",
                "typo",
            ]),
            hostile_text(),
        ),
        0..4,
    )
    .prop_map(|kv| {
        let mut m = Mapping::new();
        for (k, v) in kv {
            m.insert(s(k), s(v));
        }
        Value::Mapping(m)
    });
    (
        (hostile_text(), prop::option::of(hostile_text())),
        (
            prop::option::of(prop::sample::select(vec!["increase", "decrease", "up"])),
            prop::option::of(prop::sample::select(vec!["leading", "intermediate", "lagging", "x"])),
            prop::option::of(prop::sample::select(vec!["last", "sum", "avg"])),
        ),
        prop::option::of(definition),
        prop::option::of((prop::option::of(number()), prop::option::of(number()))),
        series(),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |((name, unit), (direction, layer, aggregate), definition, thresholds, points, private)| {
                map(vec![
                    ("name", Some(s(name))),
                    ("unit", unit.map(s)),
                    ("direction", direction.map(s)),
                    ("layer", layer.map(s)),
                    ("aggregate", aggregate.map(s)),
                    ("definition", definition),
                    (
                        "thresholds",
                        thresholds.map(|(red, yellow)| map(vec![("red", red), ("yellow", yellow)])),
                    ),
                    ("points", Some(points)),
                    ("private", private.map(Value::Bool)),
                ])
            },
        )
}

fn front_matter_value() -> impl Strategy<Value = Value> {
    (
        prop::option::of(hostile_text()),
        prop::option::of(date()),
        prop::collection::vec(hostile_text(), 0..3),
        prop::collection::vec(hostile_text(), 0..4),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(title, d, authors, tags, draft, private)| {
            map(vec![
                ("title", title.map(s)),
                ("date", d.map(s)),
                ("authors", Some(Value::Sequence(authors.into_iter().map(s).collect()))),
                ("tags", Some(Value::Sequence(tags.into_iter().map(s).collect()))),
                ("draft", draft.map(Value::Bool)),
                ("private", private.map(Value::Bool)),
            ])
        })
}

/// Markdown built from the constructs retrospectives use, with hostile text in them.
fn markdown_text() -> impl Strategy<Value = String> {
    let block = (
        prop::sample::select(vec![
            "## {}\n",
            "### {}\n",
            "## 学び\n",
            "## Learnings\n",
            "### lessons learned \n",
            "## 決定事項\n",
            "# {}\n",
            "- {} #{}\n",
            "- {}\n  - nested {}\n",
            "1. {}\n",
            "* {} #tag_{}\n",
            "> - {}\n",
            "```\n{}\n```\n",
            "`{}`\n",
            "| a | {} |\n|:--|--:|\n| {} | x |\n",
            "<div onclick=\"x\">{}</div>\n",
            "<script>{}</script>\n",
            "[{}](javascript:{})\n",
            "![{}]({})\n",
            "**{}**「{}」\n",
            "*{}*です\n",
            "- [ ] {}\n- [x] {}\n",
            "{}[^1]\n\n[^1]: {}\n",
            "## {} {{#id .class onclick=x}}\n",
            "---\n",
            "<!-- {}\n",
            "{}\\\n{}\n",
            "\n",
            "{}\n",
        ]),
        hostile_text(),
        hostile_text(),
    )
        .prop_map(|(template, a, b)| template.replacen("{}", &a, 1).replacen("{}", &b, 1));
    prop::collection::vec(block, 0..12).prop_map(|v| v.concat())
}

/// Randomly damages text (on character boundaries), so error paths run too.
fn mutate(text: &str, edits: &[(usize, u8, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(pos, op, c) in edits {
        let at = if chars.is_empty() { 0 } else { pos % (chars.len() + 1) };
        match op % 4 {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => chars.insert(at, c),
            2 if at < chars.len() => chars.truncate(at),
            _ => {
                let line: Vec<char> = chars[at..].iter().take_while(|&&c| c != '\n').copied().collect();
                for (i, ch) in line.into_iter().enumerate() {
                    chars.insert(at + i, ch);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, char)>> {
    prop_oneof![
        3 => Just(Vec::new()),
        1 => prop::collection::vec(
            (any::<usize>(), any::<u8>(), prop::sample::select(vec![':', '-', ' ', '\n', '"', '\'', '{', '[', '&', '*', '!', '#', '|', '>', '\t', 'é'])),
            1..4
        ),
    ]
}

fn to_yaml(v: &Value) -> String {
    serde_yaml::to_string(v).unwrap_or_default()
}

/// A copy of the base fixture, reused across the cases of one target.
struct Scratch {
    dir: tempfile::TempDir,
    /// Cases whose site passed `check` and was rendered.
    rendered: AtomicU64,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: common::site(None),
            rendered: AtomicU64::new(0),
        }
    }

    fn report(&self, name: &str) {
        eprintln!(
            "FUZZ {name}: {} valid sites rendered",
            self.rendered.load(Ordering::Relaxed)
        );
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `rel`, checks the site, and (when it is valid) scores and
    /// renders it, then puts the base fixture's file back.
    fn check_with(&self, rel: &str, text: &str) -> Result<(), TestCaseError> {
        let path = self.root().join(rel);
        let original = std::fs::read(common::fixtures().join("base").join(rel)).ok();
        std::fs::write(&path, text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let result = check_and_render(self.root(), false);
        match original {
            Some(o) => std::fs::write(&path, o).unwrap(),
            None => std::fs::remove_file(&path).unwrap(),
        }
        if result.as_ref().is_ok_and(|files| !files.is_empty()) {
            self.rendered.fetch_add(1, Ordering::Relaxed);
        }
        result.map(|_| ())
    }
}

/// Checks the site at `root` and, when it is valid, scores and renders it in memory,
/// asserting what every output must keep. Returns the output files (none on errors).
fn check_and_render(root: &Path, drafts: bool) -> Result<Vec<okrsite::render::OutputFile>, TestCaseError> {
    let today = jiff::civil::date(2025, 11, 1);
    let checked = build::check(root, drafts, today);
    let Some(site) = checked.site.as_ref() else {
        if std::env::var_os("OKRSITE_FUZZ_DEBUG").is_some() {
            for d in checked.diagnostics.iter().filter(|d| d.is_error()).take(3) {
                eprintln!("DEBUG {}: {}", d.file, d.message);
            }
        }
        prop_assert!(checked.error_count() > 0, "a failed check must say why");
        return Ok(Vec::new());
    };
    prop_assert_eq!(checked.error_count(), 0);
    let theme = okrsite::render::theme::load(root, site.config.language, &Default::default())
        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    let scores = okrsite::score::score_site(site);
    let sink = okrsite::render::Collect::default();
    okrsite::render::render_site(site, &scores, &theme, &sink)
        .map(|_| ())
        .map_err(|e| TestCaseError::fail(format!("render failed on a valid site: {e}")))?;
    let files = sink.into_files();
    for f in &files {
        assert_output_is_safe(f)?;
    }
    Ok(files)
}

/// What no output file may hold, whatever the content: a path outside the output,
/// script other than the theme's, an event handler, a `javascript:` URL, search
/// files that break out of JS, feeds that are not XML.
fn assert_output_is_safe(f: &okrsite::render::OutputFile) -> Result<(), TestCaseError> {
    prop_assert!(
        Path::new(&f.path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_))),
        "output path {:?}",
        f.path
    );
    let text = std::str::from_utf8(&f.bytes).map_err(|_| TestCaseError::fail(format!("{} is not UTF-8", f.path)))?;
    if f.path.ends_with(".html") {
        assert_html_is_inert(&f.path, text)?;
    } else if f.path.starts_with("search/") {
        for bad in ["<", "\u{2028}", "\u{2029}"] {
            prop_assert!(!text.contains(bad), "{} holds {:?}", f.path, bad);
        }
    } else if f.path.ends_with(".xml")
        && let Err(e) = roxmltree::Document::parse(text)
    {
        return Err(TestCaseError::fail(format!("{} is not XML: {e}", f.path)));
    }
    Ok(())
}

/// Every tag in generated HTML: our HTML escapes `<` in text, so each `<` starts a tag.
fn assert_html_is_inert(path: &str, html: &str) -> Result<(), TestCaseError> {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = rest[lt..end].to_ascii_lowercase();
        rest = &rest[end..];
        if tag.starts_with("<script") {
            // The theme's scripts only: search.js on the search page, teams.js (the team
            // table's filter) on the dashboard and the quarter pages, picker.js everywhere.
            let teams_page = path == "index.html" || (path.starts_with("quarters/") && path.ends_with("/index.html"));
            prop_assert!(
                (path == "search/index.html"
                    && tag
                        .strip_prefix("<script src=\"../")
                        .and_then(|t| t.strip_suffix("\">"))
                        .is_some_and(|src| common::is_fingerprinted(src, "assets/search.js")))
                    || (teams_page
                        && tag
                            .strip_prefix("<script src=\"")
                            .and_then(|t| t.strip_suffix("\">"))
                            .map(|src| src.trim_start_matches("../"))
                            .is_some_and(|src| common::is_fingerprinted(src, "assets/teams.js")))
                    // And the team picker's on every page.
                    || tag
                        .strip_prefix("<script src=\"")
                        .and_then(|t| t.strip_suffix("\" defer>"))
                        .and_then(|src| src.find("assets/").map(|i| &src[i..]))
                        .is_some_and(|src| common::is_fingerprinted(src, "assets/picker.js")),
                "{}: {}",
                path,
                tag
            );
        }
        for bad in [
            "<iframe",
            "<object",
            "<embed",
            "<base",
            "<style",
            "<form action=\"javascript",
            "<meta http-equiv",
        ] {
            prop_assert!(!tag.starts_with(bad), "{}: {}", path, tag);
        }
        // Attribute names: after whitespace, up to `=`, outside quotes.
        let mut in_quote = None;
        let bytes = tag.as_bytes();
        for i in 1..bytes.len() {
            let c = bytes[i];
            match in_quote {
                Some(q) if c == q => in_quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => in_quote = Some(c),
                None if bytes[i - 1].is_ascii_whitespace() && tag[i..].starts_with("on") => {
                    let name: String = tag[i..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                    prop_assert!(
                        !tag[i + name.len()..].trim_start().starts_with('='),
                        "{}: event handler in {}",
                        path,
                        tag
                    );
                }
                None => {}
            }
        }
        for attr in ["href=\"", "src=\"", "action=\""] {
            if let Some(i) = tag.find(attr) {
                let value = tag[i + attr.len()..].trim_start();
                prop_assert!(
                    !value.starts_with("javascript:") && !value.starts_with("data:") && !value.starts_with("vbscript:"),
                    "{}: {}",
                    path,
                    tag
                );
            }
        }
    }
    Ok(())
}

/// The shape check of a file (`passed`: it found no problem) and serde agree: serde
/// reads what the check passes, and the check reports what serde refuses. Texts
/// with anchors, aliases or tags are read by serde alone and not compared.
fn shape_agrees_with_serde<T: serde::de::DeserializeOwned>(text: &str, passed: bool) -> Result<(), TestCaseError> {
    if text.contains(['&', '*', '!']) {
        return Ok(());
    }
    let serde_reads = serde_yaml::from_str::<T>(text).is_ok();
    prop_assert_eq!(passed, serde_reads, "the shape check and serde disagree on:\n{}", text);
    Ok(())
}

/// [`shape_agrees_with_serde`] for an OKR file, whose broken elements serde keeps as
/// `Lenient::Err`: a file the check passes has none.
fn okr_shape_agrees_with_serde(text: &str, origin: Origin<'_>) -> Result<(), TestCaseError> {
    let read = yaml::read::<Option<RawTeamQuarter>>(text, origin, &file_shapes::TEAM_QUARTER_FILE);
    if !read.problems.is_empty() || text.contains(['&', '*', '!']) {
        return Ok(());
    }
    let every_element = read.value.flatten().is_none_or(|okrs| {
        okrs.objectives.iter().all(|o| {
            o.ok().is_some_and(|o| {
                o.key_results
                    .iter()
                    .all(|k| k.ok().is_some_and(|k| k.checkins.iter().all(|c| c.ok().is_some())))
            })
        })
    });
    prop_assert!(every_element, "an element left out without a problem:\n{}", text);
    let serde_reads = serde_yaml::from_str::<Option<RawTeamQuarter>>(text).is_ok();
    prop_assert!(serde_reads, "the shape check passes what serde refuses:\n{}", text);
    Ok(())
}

#[test]
fn fuzz_teams_yaml() {
    let scratch = Scratch::new();
    fuzz("fuzz_teams_yaml", 48, (teams_value(), edits()), |(value, edits)| {
        let text = mutate(&to_yaml(&value), &edits);
        let origin = Origin {
            file: "content/teams.yaml",
            line_offset: 0,
            what: || okrsite::msg!("yaml.what.teams_file"),
        };
        let _ = yaml::parse::<Vec<RawTeam>>(&text, origin);
        let read = yaml::read::<Option<Vec<Lenient<RawTeam>>>>(&text, origin, &file_shapes::TEAMS_FILE);
        shape_agrees_with_serde::<Option<Vec<RawTeam>>>(&text, read.problems.is_empty())?;
        scratch.check_with("content/teams.yaml", &text)
    });
    scratch.report("fuzz_teams_yaml");
}

#[test]
fn fuzz_okr_file() {
    let scratch = Scratch::new();
    fuzz("fuzz_okr_file", 48, (okr_value(), edits()), |(value, edits)| {
        let text = mutate(&to_yaml(&value), &edits);
        let origin = Origin {
            file: "content/2025-Q3/product.yaml",
            line_offset: 0,
            what: || okrsite::msg!("yaml.what.team_quarter"),
        };
        let _ = yaml::parse::<RawTeamQuarter>(&text, origin);
        okr_shape_agrees_with_serde(&text, origin)?;
        scratch.check_with("content/2025-Q3/product.yaml", &text)
    });
    scratch.report("fuzz_okr_file");
}

#[test]
fn fuzz_metric_file() {
    let scratch = Scratch::new();
    fuzz("fuzz_metric_file", 48, (metric_value(), edits()), |(value, edits)| {
        let text = mutate(&to_yaml(&value), &edits);
        let origin = Origin {
            file: "content/metrics/onboarding.yaml",
            line_offset: 0,
            what: || okrsite::msg!("yaml.what.metric_file"),
        };
        let _ = yaml::parse::<RawMetric>(&text, origin);
        let read = yaml::read::<RawMetric>(&text, origin, &file_shapes::METRIC_FILE);
        shape_agrees_with_serde::<RawMetric>(&text, read.problems.is_empty())?;
        scratch.check_with("content/metrics/onboarding.yaml", &text)
    });
    scratch.report("fuzz_metric_file");
}

#[test]
fn fuzz_metric_csv() {
    let scratch = Scratch::new();
    std::fs::write(scratch.root().join("content/metrics/revenue.yaml"), "name: 売上\n").unwrap();
    let field = prop_oneof![
        6 => prop::sample::select(vec![
            "date", "value", "note", "Date", "2025-07-07", "2025/7/7", "2025/07/08", "2025-02-30",
            "7/7/2025", "2025/7/7 0:00", "45", "-1.5", "\"1,234\"", "\"1,23\"", "inf", "NaN", "1e16",
            "\"a, b\"", "\"x\"\"y\"", "\"open", "１２", "45%", "", " ", "日付",
        ])
        .prop_map(str::to_string),
        1 => hostile_text(),
    ];
    let row = prop::collection::vec(field, 0..5).prop_map(|f| f.join(","));
    let ending = prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n"]);
    let rows = prop::collection::vec((row, ending), 0..12)
        .prop_map(|rows| rows.iter().map(|(r, e)| format!("{r}{e}")).collect::<String>());
    // A valid file now and then, so valid sites are rendered too: unique dates in
    // either spelling, values with or without separators, notes quoted or not.
    let valid = prop::collection::btree_map(0i64..400, (-2000i64..2000, any::<bool>()), 0..10).prop_map(|points| {
        let mut text = String::from("date,value,note\r\n");
        for (day, (value, alt)) in points {
            let date = jiff::civil::date(2025, 7, 1) + jiff::Span::new().days(day);
            let (date, value) = match alt {
                true => (
                    date.strftime("%Y/%-m/%-d").to_string(),
                    format!("\"{value}\",\"a, \"\"b\"\"\""),
                ),
                false => (date.to_string(), format!("{value}.5,")),
            };
            text.push_str(&format!("{date},{value}\r\n"));
        }
        text
    });
    let body = prop_oneof![2 => rows, 1 => valid];
    fuzz(
        "fuzz_metric_csv",
        64,
        (body, any::<bool>(), edits()),
        |(body, bom, edits)| {
            let text = mutate(&format!("{}{body}", if bom { "\u{FEFF}" } else { "" }), &edits);
            let parsed = okrsite::content::metric_csv::parse(&text, "content/metrics/revenue.csv");
            prop_assert!(
                parsed.problems.iter().all(|d| d.position.is_some()),
                "every CSV problem has a position"
            );
            prop_assert_eq!(parsed.points.len(), parsed.rows.len());
            scratch.check_with("content/metrics/revenue.csv", &text)
        },
    );
    scratch.report("fuzz_metric_csv");
}

#[test]
fn fuzz_config_toml() {
    let scratch = Scratch::new();
    use toml::Value as T;
    let text = |pool: Vec<&'static str>| {
        prop_oneof![
            4 => prop::sample::select(pool).prop_map(|s| T::String(s.to_string())),
            1 => hostile_text().prop_map(T::String),
            1 => any::<i64>().prop_map(T::Integer),
        ]
    };
    let entry = prop_oneof![
        text(vec![
            "/",
            "/okr/",
            "https://intra.example.com/okr/",
            "//evil.example/",
            "javascript:x",
            "okr",
            " "
        ])
        .prop_map(|v| ("base_url", v)),
        text(vec!["ja", "en", "fr", "JA"]).prop_map(|v| ("language", v)),
        text(vec!["default", "other"]).prop_map(|v| ("theme", v)),
        text(vec!["public", "out", "", "..", "content"]).prop_map(|v| ("output_dir", v)),
        prop_oneof![4 => (0i64..=14).prop_map(T::Integer), 1 => any::<f64>().prop_map(T::Float)]
            .prop_map(|v| ("fiscal_year_start_month", v)),
        prop::collection::vec(text(vec!["**/*.xlsx", "README.md", "[", "{a,b}", "**"]), 0..3)
            .prop_map(|v| ("ignore", T::Array(v))),
        prop_oneof![4 => any::<bool>().prop_map(T::Boolean), 1 => hostile_text().prop_map(T::String)]
            .prop_map(|v| ("allow_html", v)),
        hostile_text().prop_map(|v| ("tilte", T::String(v))),
    ];
    let score = prop_oneof![4 => (-0.2f64..1.2).prop_map(T::Float), 1 => any::<f64>().prop_map(T::Float), 1 => hostile_text().prop_map(T::String)];
    let headings = prop_oneof![
        3 => prop::collection::vec(hostile_text().prop_map(T::String), 0..3).prop_map(T::Array),
        1 => hostile_text().prop_map(T::String),
    ];
    let table = (
        prop_oneof![8 => "[A-Za-z]{1,3}".prop_map(Some), 1 => Just(None)],
        hostile_text(),
        prop::collection::vec(entry, 0..6),
        prop::option::of((prop::option::of(score.clone()), prop::option::of(score))),
        prop::option::of(headings),
    )
        .prop_map(|(lead, title, top, scoring, headings)| {
            let top: Vec<(&'static str, T)> = match lead {
                Some(lead) => std::iter::once(("title", T::String(format!("{lead} {title}"))))
                    .chain(top)
                    .collect(),
                None => top,
            };
            (top, scoring, headings)
        });
    fuzz(
        "fuzz_config_toml",
        64,
        (table, edits()),
        |((top, scoring, headings), edits)| {
            let mut t = toml::Table::new();
            for (k, v) in top {
                t.insert(k.to_string(), v);
            }
            if let Some((green, yellow)) = scoring {
                let mut sc = toml::Table::new();
                if let Some(g) = green {
                    sc.insert("green".into(), g);
                }
                if let Some(y) = yellow {
                    sc.insert("yellow".into(), y);
                }
                t.insert("scoring".into(), toml::Value::Table(sc));
            }
            if let Some(h) = headings {
                let mut l = toml::Table::new();
                l.insert("headings".into(), h);
                t.insert("learnings".into(), toml::Value::Table(l));
            }
            let text = mutate(&toml::to_string(&t).unwrap_or_default(), &edits);
            let _ = okrsite::config::parse(&text);
            scratch.check_with("okrsite.toml", &text)
        },
    );
    scratch.report("fuzz_config_toml");
}

#[test]
fn fuzz_retro_front_matter_and_markdown() {
    let scratch = Scratch::new();
    fuzz(
        "fuzz_retro_front_matter_and_markdown",
        48,
        (front_matter_value(), markdown_text(), edits(), any::<bool>()),
        |(front, body, edits, with_front)| {
            let text = if with_front {
                format!("---\n{}---\n{body}", to_yaml(&front))
            } else {
                body
            };
            let text = mutate(&text, &edits);
            let _ = retro::parse(&text, "content/2025-Q3/product.md");
            scratch.check_with("content/2025-Q3/product.md", &text)
        },
    );
    scratch.report("fuzz_retro_front_matter_and_markdown");
}

#[test]
fn fuzz_learnings_extraction() {
    let headings = prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec!["学び", "Learnings", " lessons LEARNED ", "", "#", "<b>x</b>"])
                .prop_map(str::to_string),
            hostile_text(),
        ],
        0..4,
    );
    fuzz(
        "fuzz_learnings_extraction",
        256,
        (markdown_text(), headings, edits()),
        |(body, headings, edits)| {
            let body = mutate(&body, &edits);
            let found = retro::extract_learnings(&body, &headings);
            let lines = body.split('\n').count();
            for l in &found {
                prop_assert!(!l.text.is_empty());
                prop_assert!(l.line >= 1 && l.line <= lines, "line {} of {}", l.line, lines);
                prop_assert!(l.offset <= body.len() && body.is_char_boundary(l.offset));
                for t in &l.tags {
                    prop_assert!(
                        !t.is_empty() && !t.contains('#') && !t.contains(char::is_whitespace),
                        "tag {:?}",
                        t
                    );
                }
                // (Not a property: removing tags can leave text that reads like a tag:
                // `#a_#b` is the tag `a_` and the text `#b`.)
                prop_assert_eq!(l.text.trim(), l.text.as_str());
            }
            let (_, tags) = retro::split_tags(&body);
            prop_assert!(tags.iter().all(|t| t.chars().all(retro::is_tag_char)));
            Ok(())
        },
    );
}

#[test]
fn fuzz_search_tokenizer() {
    fuzz(
        "fuzz_search_tokenizer",
        512,
        prop_oneof![hostile_text(), "\\PC{0,200}", ".{0,50}"],
        |text| {
            let normalized = search::normalize(&text);
            prop_assert_eq!(
                search::normalize(&normalized),
                normalized.clone(),
                "normalize is idempotent"
            );
            let mut n = 0;
            search::tokens(&normalized, |t| {
                n += 1;
                assert!(!t.is_empty() && normalized.contains(t), "token {t:?} of {normalized:?}");
                assert!(t.chars().all(char::is_alphanumeric), "token {t:?}");
            });
            prop_assert!(n <= normalized.chars().count() * (search::MAX_PREFIX + 1));
            Ok(())
        },
    );
}

#[test]
fn fuzz_search_index() {
    let doc = (
        prop::sample::select(vec!["learning", "section"]),
        (hostile_text(), hostile_text(), hostile_text()),
        (
            slug(),
            hostile_text(),
            prop::sample::select(vec!["2025-Q3", "0001-Q1"]),
            hostile_text(),
        ),
        prop::collection::vec(hostile_text(), 0..3),
    )
        .prop_map(
            |(kind, (title, text, url), (team, team_name, quarter, quarter_label), tags)| search::SearchDoc {
                kind,
                title: title.into(),
                text: text.into(),
                url: url.into(),
                team: team.into(),
                team_name: team_name.into(),
                quarter: quarter.into(),
                quarter_label: quarter_label.into(),
                tags: tags.into_iter().map(Into::into).collect(),
            },
        );
    let ids = prop::collection::btree_set(0u32..5000, 0..50);
    fuzz(
        "fuzz_search_index",
        64,
        (
            prop::collection::vec(doc, 0..20),
            ids,
            prop::collection::vec((hostile_text(), hostile_text()), 0..3),
        ),
        |(docs, ids, teams)| {
            let index = search::build(&docs, teams.clone(), teams);
            let files = &index.files;
            // One document file per retrospective, a table per quarter, the shards and the manifest.
            let retros: std::collections::BTreeSet<(&str, &str)> =
                docs.iter().map(|d| (d.quarter.as_ref(), d.team.as_ref())).collect();
            let quarters: std::collections::BTreeSet<&str> = docs.iter().map(|d| d.quarter.as_ref()).collect();
            prop_assert_eq!(
                files.len(),
                retros.len() + quarters.len() + 1 + files.iter().filter(|f| f.path.starts_with("search/s/")).count()
            );
            prop_assert!(files.iter().any(|f| f.path == index.manifest));
            for f in files {
                prop_assert!(
                    f.path.split('/').all(|p| !p.is_empty() && !p.starts_with('.'))
                        && f.path
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)),
                    "unsafe path {}",
                    f.path
                );
                let text = std::str::from_utf8(&f.bytes).unwrap();
                for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
                    prop_assert!(!text.contains(bad), "{} holds {:?}", f.path, bad);
                }
                // One call, `okrsiteSearch.<what>(<JSON arguments>);`.
                let args = text
                    .strip_suffix(");\n")
                    .and_then(|t| t.split_once('(').map(|(_, r)| r))
                    .unwrap();
                prop_assert!(
                    serde_json::from_str::<serde_json::Value>(&format!("[{args}]")).is_ok(),
                    "{}: {}",
                    f.path,
                    args
                );
            }
            let ids: Vec<u32> = ids.into_iter().collect();
            prop_assert_eq!(search::decode_postings(&search::encode_postings(&ids)), ids.clone());
            prop_assert_eq!(search::decode_postings(&search::encode_postings_for(&ids, 5000)), ids);
            Ok(())
        },
    );
}

#[test]
fn fuzz_markdown_renderer() {
    fuzz(
        "fuzz_markdown_renderer",
        256,
        (markdown_text(), edits(), prop::collection::vec(hostile_text(), 0..3)),
        |(md, edits, reserved)| {
            let md = mutate(&md, &edits);
            let headings = vec!["学び".to_string(), "Learnings".to_string()];
            let found = retro::extract_learnings(&md, &headings);
            let anchors: std::collections::HashMap<usize, String> = found
                .iter()
                .enumerate()
                .map(|(i, f)| (f.offset, format!("learning-{}", i + 1)))
                .collect();
            let tag_url = |t: &str| format!("../tags/{}/index.html", okrsite::render::urls::tag_key(t));
            for allow_html in [false, true] {
                let html = markdown::render(
                    &md,
                    &markdown::Options {
                        allow_html,
                        reserved_ids: &reserved,
                        learnings: Some(markdown::LearningMarks {
                            headings: &headings,
                            anchors: anchors.clone(),
                            tag_url: &tag_url,
                        }),
                        placeholders: Some(&hostile_value),
                    },
                );
                if !allow_html {
                    assert_html_is_inert("review.html", &html)?;
                    prop_assert_eq!(markdown::sanitize(&html), html.clone(), "sanitising is stable");
                }
                let inline = markdown::render_inline(&md, allow_html, Some(&hostile_value));
                if !allow_html {
                    assert_html_is_inert("learning.html", &inline)?;
                }
            }
            for f in &found {
                assert_html_is_inert(
                    "learning.html",
                    &markdown::render_inline(&f.markdown, false, Some(&hostile_value)),
                )?;
            }
            let sections = markdown::sections(&md, &reserved, Some(&hostile_value), &[]);
            for s in &sections {
                prop_assert!(!s.id.is_empty());
            }
            Ok(())
        },
    );
}

/// (quarter index, team index, OKR file, optional retrospective: front matter and body)
type GenFile = (usize, usize, Value, Option<(Value, String)>);

/// A small site, mostly valid, with hostile text in every field and some drafts and
/// private files whose text carries `zqsecret`.
#[derive(Debug, Clone)]
struct GenSite {
    teams: Vec<String>,
    quarters: Vec<&'static str>,
    fiscal_month: u8,
    /// (quarter index, team index, OKR yaml, optional retro)
    files: Vec<GenFile>,
    metrics: Vec<Value>,
    edits: Vec<(usize, u8, char)>,
}

fn gen_site() -> impl Strategy<Value = GenSite> {
    let kr = (
        0u8..4,
        hostile_text(),
        number_ok(),
        0usize..3,
        prop::collection::btree_map(date_ok(), number_ok(), 0..4),
        0u32..=10,
        hostile_text(),
    )
        .prop_map(|(kind, title, target, metric, values, score, note)| {
            let base = |extra: Vec<(&str, Option<Value>)>| {
                let mut v = vec![("title", Some(s(title.clone())))];
                v.extend(extra);
                map(v)
            };
            let checkins = Some(Value::Sequence(vec![map(vec![
                ("date", Some(s("2025-08-15"))),
                ("status", Some(s("yellow"))),
                ("note", Some(s(note))),
            ])]));
            match kind {
                0 => base(vec![
                    ("metric", Some(s(format!("m{metric}")))),
                    ("baseline", Some(Value::Number(12345.5.into()))),
                    ("target", Some(target)),
                    ("checkins", checkins),
                ]),
                1 => base(vec![
                    ("unit", Some(s("%"))),
                    ("baseline", Some(Value::Number(12345.5.into()))),
                    ("target", Some(target)),
                    (
                        "values",
                        Some(Value::Sequence(
                            values
                                .into_iter()
                                .map(|(d, v)| map(vec![("date", Some(s(d))), ("value", Some(v))]))
                                .collect(),
                        )),
                    ),
                ]),
                2 => base(vec![("score", Some(Value::Number((score as f64 / 10.0).into())))]),
                _ => base(vec![]),
            }
        });
    let objective = (
        hostile_text(),
        hostile_text(),
        prop::collection::vec(kr, 1..4),
        prop::collection::vec(hostile_text(), 0..2),
        any::<bool>(),
    )
        .prop_map(|(title, owner, krs, initiatives, align)| {
            map(vec![
                ("title", Some(s(title))),
                ("owner", Some(s(owner))),
                ("aligns_to", align.then(|| s("t0/o1"))),
                ("key_results", Some(Value::Sequence(krs))),
                (
                    "initiatives",
                    Some(Value::Sequence(initiatives.into_iter().map(s).collect())),
                ),
            ])
        });
    let okrs = (
        prop::collection::vec(objective, 1..3),
        prop::collection::vec(hostile_text(), 0..2),
        0u8..6,
    )
        .prop_map(|(objectives, not_doing, secret)| {
            map(vec![
                ("objectives", Some(Value::Sequence(objectives))),
                (
                    "not_doing",
                    Some(Value::Sequence(not_doing.into_iter().map(s).collect())),
                ),
                ("private", (secret == 0).then_some(Value::Bool(true))),
            ])
        });
    let front = (
        hostile_text(),
        prop::option::of(date_ok()),
        prop::collection::vec(hostile_text(), 0..3),
        prop::collection::vec(hostile_text(), 0..4),
        0u8..8,
    )
        .prop_map(|(title, d, authors, tags, hide)| {
            map(vec![
                ("title", Some(s(title))),
                ("date", d.map(s)),
                ("authors", Some(Value::Sequence(authors.into_iter().map(s).collect()))),
                ("tags", Some(Value::Sequence(tags.into_iter().map(s).collect()))),
                ("draft", (hide == 0).then_some(Value::Bool(true))),
                ("private", (hide == 1).then_some(Value::Bool(true))),
            ])
        });
    let retro = prop::option::of((front, markdown_text()));
    let metric = (
        (hostile_text(), hostile_text()),
        (
            prop::sample::select(vec!["increase", "decrease"]),
            prop::sample::select(vec!["leading", "intermediate", "lagging"]),
            prop::sample::select(vec!["last", "sum"]),
        ),
        prop::collection::vec(
            (
                prop::sample::select(vec!["formula", "numerator", "source", "owner"]),
                hostile_text(),
            ),
            0..3,
        ),
        prop::collection::btree_map(date_ok(), (-100.0f64..100.0, prop::option::of(hostile_text())), 0..10),
    )
        .prop_map(|((name, unit), (direction, layer, aggregate), definition, points)| {
            let mut def = Mapping::new();
            for (k, v) in definition {
                def.insert(s(k), s(v));
            }
            let points = points
                .into_iter()
                .map(|(d, (v, note))| {
                    map(vec![
                        ("date", Some(s(d))),
                        ("value", Some(Value::Number(v.into()))),
                        ("note", note.map(s)),
                    ])
                })
                .collect();
            map(vec![
                ("name", Some(s(name))),
                ("unit", Some(s(unit))),
                ("direction", Some(s(direction))),
                ("layer", Some(s(layer))),
                ("aggregate", Some(s(aggregate))),
                ("definition", Some(Value::Mapping(def))),
                ("points", Some(Value::Sequence(points))),
            ])
        });
    (
        prop::collection::vec(hostile_text(), 1..5),
        prop::sample::subsequence(vec!["0001-Q1", "2024-Q4", "2025-Q3", "2025-Q4", "9998-Q4"], 1..3),
        prop::sample::select(vec![1u8, 4]),
        prop::collection::vec((0usize..8, 0usize..8, okrs, retro), 1..8),
        prop::collection::vec(metric, 3..4),
        prop_oneof![6 => Just(Vec::new()), 1 => edits()],
    )
        .prop_map(|(teams, quarters, fiscal_month, files, metrics, edits)| GenSite {
            files: files
                .into_iter()
                .map(|(q, t, okrs, retro)| (q % quarters.len(), t % teams.len(), okrs, retro))
                .collect(),
            teams,
            quarters,
            fiscal_month,
            metrics,
            edits,
        })
}

/// Writes a generated site; returns whether it holds secret files.
fn write_gen_site(root: &Path, site: &GenSite) -> bool {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root.join("content/metrics")).unwrap();
    std::fs::write(
        root.join("okrsite.toml"),
        format!(
            "title = \"<script>alert(1)</script> {{{{ config }}}}\"\nfiscal_year_start_month = {}\n",
            site.fiscal_month
        ),
    )
    .unwrap();
    let teams: Vec<Value> = site
        .teams
        .iter()
        .enumerate()
        .map(|(i, name)| {
            map(vec![
                ("id", Some(s(format!("t{i}")))),
                ("name", Some(s(name.clone()))),
                ("parent", (i > 0).then(|| s("t0"))),
            ])
        })
        .collect();
    std::fs::write(root.join("content/teams.yaml"), to_yaml(&Value::Sequence(teams))).unwrap();
    for (i, m) in site.metrics.iter().enumerate() {
        std::fs::write(root.join(format!("content/metrics/m{i}.yaml")), to_yaml(m)).unwrap();
    }
    let mut secrets = false;
    let mut first = true;
    let present: std::collections::HashSet<(usize, usize)> = site.files.iter().map(|(q, t, _, _)| (*q, *t)).collect();
    for (q, t, okrs, retro) in &site.files {
        let dir = root.join("content").join(site.quarters[*q]);
        std::fs::create_dir_all(&dir).unwrap();
        let mut okrs = okrs.clone();
        // `aligns_to: t0/o1` only where team t0 has OKRs that quarter.
        if (*t == 0 || !present.contains(&(*q, 0)))
            && let Some(Value::Sequence(objectives)) = okrs.get_mut("objectives")
        {
            for o in objectives {
                if let Value::Mapping(m) = o {
                    m.remove("aligns_to");
                }
            }
        }
        let private = okrs.get("private").is_some();
        if private {
            secrets = true;
            okrs["not_doing"] = Value::Sequence(vec![s("zqsecret private okrs")]);
        }
        let mut yaml = to_yaml(&okrs);
        if first {
            yaml = mutate(&yaml, &site.edits);
            first = false;
        }
        std::fs::write(dir.join(format!("t{t}.yaml")), yaml).unwrap();
        if let Some((front, body)) = retro {
            let hidden =
                front.get("draft") == Some(&Value::Bool(true)) || front.get("private") == Some(&Value::Bool(true));
            let body = if hidden {
                secrets = true;
                format!("{body}\n\n## 学び\n\n- zqsecret learning #zqsecrettag\n")
            } else {
                body.clone()
            };
            std::fs::write(
                dir.join(format!("t{t}.md")),
                format!("---\n{}---\n{body}", to_yaml(front)),
            )
            .unwrap();
        }
    }
    secrets
}

#[test]
fn fuzz_pipeline() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("site");
    let built = AtomicU64::new(0);
    fuzz("fuzz_pipeline", 24, gen_site(), |site| {
        let secrets = write_gen_site(&root, &site);
        let files = check_and_render(&root, false)?;
        if !files.is_empty() {
            built.fetch_add(1, Ordering::Relaxed);
        }
        if secrets {
            for f in &files {
                let text = String::from_utf8_lossy(&f.bytes).to_lowercase();
                prop_assert!(
                    !text.contains("zqsecret") && !f.path.contains("zqsecret"),
                    "a draft or private file leaked into {}",
                    f.path
                );
            }
        }
        Ok(())
    });
    eprintln!(
        "FUZZ fuzz_pipeline: {} sites passed check and were rendered",
        built.load(Ordering::Relaxed)
    );
}
