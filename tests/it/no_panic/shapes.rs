//! Fuzz targets for the input shapes of issue 15: deep nesting, long runs of one
//! construct, many tags, long and look-alike tags, huge and tiny numbers, long ids,
//! deep and cyclic structures. Each asserts what the issue promises: no panic, a
//! bounded time per case (so a quadratic step shows up as a failure at the sizes
//! generated here), output whose size grows in proportion to the input, path
//! segments within 100 bytes, and no non-finite or negative-zero number on a page.

use super::*;

/// The largest size of a generated shape: `release` in release builds (where
/// bench/fuzz.sh runs for minutes and a quadratic step shows at these sizes), an
/// eighth of it in debug (`cargo test`), whose cases take 10-20 times longer.
fn up_to(release: usize) -> usize {
    if cfg!(debug_assertions) { release / 8 } else { release }
}

/// One Markdown construct repeated `n` times: the shapes that were quadratic.
fn markdown_shape() -> impl Strategy<Value = String> {
    let kind = prop::sample::select(vec![
        "a\\*",
        "- \n",
        "- ",
        "1. ",
        "> ",
        "<div>",
        "</div>",
        "<b>",
        "[",
        "![",
        "[[",
        "[[score]]",
        "*",
        "_a",
        "`",
        "<",
        "&#",
        "| ",
        "#t ",
        "nested-list",
        "nested-quote",
        "empty-table",
        "paragraphs",
    ]);
    (kind, 1usize..up_to(6_000)).prop_map(|(kind, n)| shape(kind, n))
}

fn shape(kind: &str, n: usize) -> String {
    match kind {
        "nested-list" => (0..n.min(3_000))
            .map(|i| format!("{}- x\n", "  ".repeat(i % 400)))
            .collect(),
        "nested-quote" => (0..n).map(|i| format!("{}x\n", "> ".repeat(i % 50))).collect(),
        "empty-table" => {
            let cols = 1 + n % 120;
            let rows = n / cols + 1;
            let row = format!("{}|\n", "| ".repeat(cols));
            format!("{row}{}|\n{}", "|-".repeat(cols), row.repeat(rows))
        }
        "paragraphs" => "短い段落。\n\n".repeat(n),
        "#t " => (0..n).map(|i| format!("#t{i} ")).collect(),
        other => other.repeat(n),
    }
}

/// Output bytes allowed per input byte: a tag page or a learning card has a fixed
/// size, so a byte of input can produce a few KB of output, never more.
const OUTPUT_PER_INPUT_BYTE: usize = 4096;

#[test]
fn fuzz_markdown_shapes() {
    fuzz_large(
        "fuzz_markdown_shapes",
        12,
        (markdown_shape(), markdown_shape(), any::<bool>()),
        |(a, b, in_learning)| {
            let md = if in_learning {
                format!("## 学び\n- {a}{b}\n")
            } else {
                format!("{a}\n{b}")
            };
            let headings = vec!["学び".to_string()];
            let found = retro::extract_learnings(&md, &headings);
            for f in &found {
                let inline = markdown::render_inline(&f.markdown, false, Some(&hostile_value));
                assert_html_is_inert("learning.html", &inline)?;
            }
            let html = markdown::render(
                &md,
                &markdown::Options {
                    allow_html: false,
                    reserved_ids: &[],
                    learnings: None,
                    placeholders: Some(&hostile_value),
                },
            );
            assert_html_is_inert("review.html", &html)?;
            prop_assert!(
                html.len() <= 64 * md.len() + 4096,
                "{} bytes of HTML from {} bytes of Markdown",
                html.len(),
                md.len()
            );
            let normalized = search::normalize(&md);
            let mut n = 0usize;
            search::tokens(&normalized, |_| n += 1);
            prop_assert!(n <= normalized.chars().count() * (search::MAX_PREFIX + 1));
            Ok(())
        },
    );
}

/// A tag as people write it, or a look-alike of another one.
fn tag_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}",
        2 => prop::sample::select(vec!["a.b", "a b", "a_b", "a-b", "A_B", "ａｂ", "カ\u{3099}", "ガ", "e\u{301}", "é", "価格", "Pricing", "pricing"])
            .prop_map(str::to_string),
        1 => "[ぁ-ん一-龥]{40,120}",
        1 => "[a-z]{100,300}",
    ]
}

/// The base fixture's retrospective with one learning carrying `tags`, plus
/// front-matter tags; returns the text and its size.
fn retro_with_tags(inline: &[String], front: &[String], shape_md: &str) -> String {
    let front: Vec<Value> = front.iter().cloned().map(Value::String).collect();
    let front = to_yaml(&map(vec![
        ("title", Some(s("振り返り"))),
        ("date", Some(s("2025-10-03"))),
        ("tags", Some(Value::Sequence(front))),
    ]));
    let inline: String = inline
        .iter()
        .map(|t| format!(" #{}", t.replace([' ', '#'], "_")))
        .collect();
    format!("---\n{front}---\n\n## 成果サマリ\n本文\n\n## 学び\n- 学び{inline}\n- {shape_md}\n\n## 決定事項\n- x\n")
}

/// Every path segment of every output file within 100 bytes; total output in
/// proportion to the input.
fn assert_output_is_proportional(
    files: &[okrsite::render::OutputFile],
    baseline: usize,
    input: usize,
) -> Result<(), TestCaseError> {
    for f in files {
        for segment in f.path.split('/') {
            prop_assert!(segment.len() <= 100, "a {}-byte file name: {}", segment.len(), f.path);
        }
    }
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    prop_assert!(
        total <= baseline + OUTPUT_PER_INPUT_BYTE * input,
        "{total} bytes of output from {input} bytes of input (the fixture alone: {baseline})"
    );
    Ok(())
}

#[test]
fn fuzz_tags_and_long_names() {
    let scratch = Scratch::new();
    let baseline: usize = check_and_render(scratch.root(), false)
        .unwrap()
        .iter()
        .map(|f| f.bytes.len())
        .sum();
    let rel = "content/2025-Q3/product.md";
    fuzz_large(
        "fuzz_tags_and_long_names",
        8,
        (
            prop_oneof![
                3 => prop::collection::vec(tag_text(), 0..20),
                1 => (1usize..up_to(3_000)).prop_map(|n| (0..n).map(|i| format!("t{i}")).collect()),
            ],
            prop::collection::vec(tag_text(), 0..6),
            prop_oneof![3 => Just(String::new()), 1 => markdown_shape()],
        ),
        |(inline, front, shape_md)| {
            let text = retro_with_tags(&inline, &front, &shape_md);
            let path = scratch.root().join(rel);
            std::fs::write(&path, &text).unwrap();
            let result = check_and_render(scratch.root(), false);
            std::fs::copy(common::fixtures().join("base").join(rel), &path).unwrap();
            let files = result?;
            if files.is_empty() {
                return Ok(());
            }
            assert_output_is_proportional(&files, baseline, text.len())?;
            // Distinct tags (after NFC and case folding) never share a page.
            let mut distinct: std::collections::HashSet<String> = std::collections::HashSet::new();
            for t in inline
                .iter()
                .map(|t| t.replace([' ', '#'], "_"))
                .chain(front.iter().cloned())
            {
                let t: String = unicode_normalization::UnicodeNormalization::nfc(t.trim()).collect();
                if !t.is_empty() {
                    distinct.insert(t.to_lowercase());
                }
            }
            let tag_pages = files
                .iter()
                .filter(|f| {
                    f.path.starts_with("tags/") && f.path.matches('/').count() == 2 && f.path.ends_with("/index.html")
                })
                .count();
            prop_assert!(
                tag_pages <= distinct.len() + 1,
                "{tag_pages} tag pages for {} distinct tags",
                distinct.len()
            );
            Ok(())
        },
    );
    scratch.report("fuzz_tags_and_long_names");
}

/// A number at the edges: huge, tiny, subnormal, signed zero, at the 1e15 bound.
fn edge_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => prop::sample::select(vec![
            0.0, -0.0, 1e15, -1e15, 1e15 + 1.0, 9.99e14, 1.7e308, -1.7e308, f64::MAX, f64::MIN_POSITIVE,
            5e-324, 1e-320, -1e-320, 1e-300, 0.1, 1000.0, 1000.0001, 1e308,
        ]),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        2 => -100.0f64..100.0,
    ]
}

/// Whether `text` shows a number that must never appear on a page.
fn bad_number_token(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '%')))
        .find(|t| {
            matches!(
                t.trim_end_matches('%'),
                "NaN" | "nan" | "inf" | "+inf" | "-inf" | "Infinity" | "-Infinity" | "-0.00" | "-0.0" | "-0"
            )
        })
        .map(str::to_string)
}

#[test]
fn fuzz_huge_numbers() {
    let scratch = Scratch::new();
    let rel = "content/2025-Q3/product.yaml";
    fuzz_large(
        "fuzz_huge_numbers",
        16,
        (
            (edge_number(), edge_number(), edge_number(), edge_number()),
            prop::collection::vec((1u32..=28, edge_number()), 1..6),
            prop::sample::select(vec!["last", "sum"]),
        ),
        |((baseline, target, weight1, weight2), points, aggregate)| {
            let number = |f: f64| Value::Number(f.into());
            let values: Vec<Value> = points
                .iter()
                .map(|(d, v)| {
                    map(vec![
                        ("date", Some(s(format!("2025-09-{d:02}")))),
                        ("value", Some(number(*v))),
                    ])
                })
                .collect();
            let okrs = map(vec![(
                "objectives",
                Some(Value::Sequence(vec![map(vec![
                    ("id", Some(s("first-value"))),
                    ("title", Some(s("o"))),
                    ("aligns_to", Some(s("company/grow"))),
                    (
                        "key_results",
                        Some(Value::Sequence(vec![
                            map(vec![
                                ("id", Some(s("a"))),
                                ("title", Some(s("a"))),
                                ("baseline", Some(number(baseline))),
                                ("target", Some(number(target))),
                                ("weight", Some(number(weight1))),
                                ("values", Some(Value::Sequence(values))),
                            ]),
                            map(vec![
                                ("id", Some(s("b"))),
                                ("title", Some(s("b"))),
                                ("metric", Some(s("onboarding"))),
                                ("baseline", Some(number(target))),
                                ("target", Some(number(baseline))),
                                ("weight", Some(number(weight2))),
                            ]),
                        ])),
                    ),
                ])])),
            )]);
            let metric = map(vec![
                ("name", Some(s("m"))),
                ("unit", Some(s("%"))),
                ("direction", Some(s("increase"))),
                ("aggregate", Some(s(aggregate))),
                (
                    "points",
                    Some(Value::Sequence(
                        points
                            .iter()
                            .map(|(d, v)| {
                                map(vec![
                                    ("date", Some(s(format!("2025-08-{d:02}")))),
                                    ("value", Some(number(*v))),
                                ])
                            })
                            .collect(),
                    )),
                ),
            ]);
            let metric_rel = "content/metrics/onboarding.yaml";
            std::fs::write(scratch.root().join(metric_rel), to_yaml(&metric)).unwrap();
            std::fs::write(scratch.root().join(rel), to_yaml(&okrs)).unwrap();
            let result = check_and_render(scratch.root(), false);
            for r in [rel, metric_rel] {
                std::fs::copy(common::fixtures().join("base").join(r), scratch.root().join(r)).unwrap();
            }
            for f in &result? {
                if f.path.starts_with("search/") || f.path.starts_with("assets/") {
                    continue;
                }
                let text = String::from_utf8_lossy(&f.bytes);
                // Charts hold coordinates, not shown numbers; their labels are text.
                if let Some(bad) = bad_number_token(&text) {
                    return Err(TestCaseError::fail(format!("{} shows {bad:?}", f.path)));
                }
            }
            Ok(())
        },
    );
    scratch.report("fuzz_huge_numbers");
}

/// Structures whose size is a count: a parent chain, cycles, repeated ids,
/// unknown metrics, many diagnostics.
#[derive(Debug, Clone)]
enum Structure {
    ParentChain(usize),
    AlignsCycle(usize),
    DuplicateKrIds(usize),
    UnknownMetrics(usize),
    ManyObjectives(usize),
    LongIds(usize),
}

fn structure() -> impl Strategy<Value = Structure> {
    prop_oneof![
        (1usize..up_to(4_000)).prop_map(Structure::ParentChain),
        (1usize..up_to(2_000)).prop_map(Structure::AlignsCycle),
        (1usize..up_to(3_000)).prop_map(Structure::DuplicateKrIds),
        (1usize..up_to(4_000)).prop_map(Structure::UnknownMetrics),
        (1usize..up_to(3_000)).prop_map(Structure::ManyObjectives),
        (90usize..400).prop_map(Structure::LongIds),
    ]
}

fn write_structure(root: &Path, s: &Structure) -> String {
    let q = root.join("content/2025-Q3");
    let kr = |id: &str, extra: &str| format!("      - id: {id}\n        title: k\n{extra}");
    let objective = |id: &str, krs: &str| format!("  - id: {id}\n    title: o\n    key_results:\n{krs}");
    match *s {
        Structure::ParentChain(n) => {
            let mut t = String::from("- id: company\n  name: c\n- id: product\n  name: p\n  parent: company\n");
            for i in 0..n {
                let parent = if i == 0 {
                    "product".to_string()
                } else {
                    format!("t{}", i - 1)
                };
                t.push_str(&format!("- id: t{i}\n  name: t\n  parent: {parent}\n"));
            }
            std::fs::write(root.join("content/teams.yaml"), t).unwrap();
            "content/teams.yaml".into()
        }
        Structure::AlignsCycle(n) => {
            let mut y = String::from(
                "objectives:\n  - id: grow\n    title: g\n    key_results:\n      - title: k\n        score: 0.5\n",
            );
            for i in 0..n {
                y.push_str(&format!(
                    "  - id: o{i}\n    title: o\n    aligns_to: company/o{}\n    key_results:\n      - title: k\n        score: 0.5\n",
                    (i + 1) % n
                ));
            }
            std::fs::write(q.join("company.yaml"), y).unwrap();
            "content/2025-Q3/company.yaml".into()
        }
        Structure::DuplicateKrIds(n) => {
            let krs: String = (0..n).map(|_| kr("same", "        score: 0.5\n")).collect();
            std::fs::write(q.join("product.yaml"), format!("objectives:\n{}", objective("o", &krs))).unwrap();
            "content/2025-Q3/product.yaml".into()
        }
        Structure::UnknownMetrics(n) => {
            let krs: String = (0..n)
                .map(|i| {
                    kr(
                        &format!("k{i}"),
                        &format!("        metric: nope{i}\n        baseline: 1\n        target: 2\n"),
                    )
                })
                .collect();
            std::fs::write(q.join("product.yaml"), format!("objectives:\n{}", objective("o", &krs))).unwrap();
            "content/2025-Q3/product.yaml".into()
        }
        Structure::ManyObjectives(n) => {
            let y: String = (0..n)
                .map(|i| objective(&format!("o{i}"), &kr("k", "        baseline: 1\n        target: 2\n")))
                .collect();
            std::fs::write(q.join("product.yaml"), format!("objectives:\n{y}")).unwrap();
            "content/2025-Q3/product.yaml".into()
        }
        Structure::LongIds(n) => {
            let long = "a".repeat(n);
            let krs = kr(&long, "        score: 0.5\n");
            std::fs::write(
                q.join("product.yaml"),
                format!("objectives:\n{}", objective(&long, &krs)),
            )
            .unwrap();
            let t = format!(
                "- id: company\n  name: c\n- id: product\n  name: p\n  parent: company\n- id: {long}\n  name: x\n  parent: company\n"
            );
            std::fs::write(root.join("content/teams.yaml"), t).unwrap();
            "content/teams.yaml".into()
        }
    }
}

#[test]
fn fuzz_deep_and_repeated_structures() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("site");
    fuzz_large("fuzz_deep_and_repeated_structures", 8, structure(), |s| {
        let _ = std::fs::remove_dir_all(&root);
        common::copy_dir(&common::fixtures().join("base"), &root);
        write_structure(&root, &s);
        let files = check_and_render(&root, false)?;
        let must_fail = matches!(
            s,
            Structure::AlignsCycle(_) | Structure::DuplicateKrIds(2..) | Structure::UnknownMetrics(_)
        );
        if must_fail {
            prop_assert!(files.is_empty(), "{s:?} passed check");
        }
        for f in &files {
            for segment in f.path.split('/') {
                prop_assert!(segment.len() <= 100, "a {}-byte file name: {}", segment.len(), f.path);
            }
        }
        Ok(())
    });
}
