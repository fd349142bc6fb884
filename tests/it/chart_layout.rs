//! Chart geometry read back from the SVG: each score bar's label and score sit in
//! that bar's row, no two chart texts overlap (the estimate of
//! `render::charts::labels`, the one the layout uses), every text lies inside its
//! chart, and each drawing's text is at least 11 CSS px where the stylesheet shows it.
//! Run over the edge cases here and over every chart of the sample and of the English
//! fixture (tests/fixtures/english).

use std::path::Path;

use assert_cmd::Command;
use okrsite::config::ScoringThresholds;
use okrsite::render::charts::labels::{Rect, text_box};
use okrsite::render::charts::{self, Bar, NARROW_BELOW};
use plotters::style::text_anchor::{HPos, VPos};

/// A text of a chart: its content, estimated box, font size and whether it is bold.
struct Text {
    text: String,
    b: Rect,
    size: f64,
    bold: bool,
}

/// One `<svg>`: its viewBox size, whether it is the narrow drawing, its texts and the
/// bars (track rectangles, faint ink) in order.
struct Svg {
    name: String,
    width: f64,
    height: f64,
    narrow: bool,
    texts: Vec<Text>,
    tracks: Vec<Rect>,
}

/// A style attribute of a chart element: its own, or the one its class stands for
/// (`charts::classes`).
fn style(node: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    if let Some(value) = node.attribute(name) {
        return Some(value.to_string());
    }
    let class = node.attribute("class")?;
    let (_, run) = charts::classes::STYLE_CLASSES.iter().find(|(c, _)| *c == class)?;
    let start = run.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(run[start..start + run[start..].find('"')?].to_string())
}

fn attr(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

fn parse(svg: &str) -> Svg {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let root = doc.root_element();
    let view: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let class = root.attribute("class").unwrap_or_default();
    let name = root
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or(root.attribute("aria-labelledby").unwrap_or_default())
        .to_string();
    let mut texts = Vec::new();
    let mut tracks = Vec::new();
    for n in root.descendants() {
        if n.has_tag_name("text") {
            // A text without a size of its own has the root's.
            let size = match style(n, "font-size") {
                Some(size) => size.parse().unwrap(),
                None => attr(root, "font-size"),
            };
            let v = match n.attribute("dy") {
                Some("0.76em") => VPos::Top,
                Some("0.5ex") => VPos::Center,
                _ => VPos::Bottom,
            };
            let h = match style(n, "text-anchor").as_deref() {
                Some("middle") => HPos::Center,
                Some("end") => HPos::Right,
                _ => HPos::Left,
            };
            let text = n.text().unwrap_or_default().to_string();
            assert!(n.attribute("transform").is_none(), "no rotated text: {text}");
            texts.push(Text {
                b: text_box(attr(n, "x"), attr(n, "y"), h, v, size, &text),
                text,
                size,
                bold: style(n, "font-weight").as_deref() == Some("bold"),
            });
        }
        if n.has_tag_name("rect") && style(n, "opacity").as_deref() == Some("0.08") {
            let (x, y) = (attr(n, "x"), attr(n, "y"));
            tracks.push(Rect {
                x0: x,
                y0: y,
                x1: x + attr(n, "width"),
                y1: y + attr(n, "height"),
            });
        }
    }
    Svg {
        name,
        width: view[2],
        height: view[3],
        narrow: class.contains("chart-narrow"),
        texts,
        tracks,
    }
}

/// Every problem of one drawing: overlapping texts, texts outside the viewBox, text
/// shown smaller than 11 CSS px.
fn problems(svg: &Svg) -> Vec<String> {
    let mut out = Vec::new();
    let frame = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: svg.width,
        y1: svg.height,
    };
    for (i, a) in svg.texts.iter().enumerate() {
        if !a.b.inside(&frame) {
            out.push(format!("{}: {:?} outside the chart {:?}", svg.name, a.text, a.b));
        }
        // The narrowest place a narrow drawing is shown is 294 CSS px (a KR's card on
        // a 375 px phone); a wide one is shown at least NARROW_BELOW wide.
        let shown = if svg.narrow {
            a.size * 294.0 / svg.width
        } else {
            a.size * f64::from(NARROW_BELOW) / svg.width
        };
        if shown < 11.0 - 1e-9 {
            out.push(format!("{}: {:?} shown at {shown:.1} px", svg.name, a.text));
        }
        for b in &svg.texts[i + 1..] {
            if a.b.overlaps(&b.b) {
                out.push(format!("{}: {:?} overlaps {:?}", svg.name, a.text, b.text));
            }
        }
    }
    out
}

fn thresholds() -> ScoringThresholds {
    ScoringThresholds {
        green: 0.7,
        yellow: 0.4,
        too_safe: 0.9,
    }
}

#[test]
fn each_score_bar_has_its_own_label_and_score_in_its_row() {
    let bars: Vec<Bar> = ["営業チーム", "Customer Success", "プロダクト本部", "Platform"]
        .iter()
        .zip([Some(0.64), Some(0.95), None, Some(0.1)])
        .map(|(l, s)| Bar {
            label: l.to_string(),
            score: s,
        })
        .collect();
    let chart = charts::bars_chart("b", "scores", &bars, thresholds(), &crate::charts::labels());
    for svg in [&chart.svg, &chart.narrow] {
        let svg = parse(svg);
        assert_eq!(svg.tracks.len(), bars.len(), "{}", svg.name);
        for (i, (bar, track)) in bars.iter().zip(&svg.tracks).enumerate() {
            let label = svg
                .texts
                .iter()
                .find(|t| t.text == bar.label)
                .unwrap_or_else(|| panic!("label of {}", bar.label));
            // The label is above its bar, nearer to it than to the bar before.
            let gap_to_own = track.y0 - label.b.y1;
            assert!(gap_to_own >= -0.5, "{}: label over its bar", bar.label);
            if i > 0 {
                let gap_to_previous = label.b.y0 - svg.tracks[i - 1].y1;
                assert!(
                    gap_to_own < gap_to_previous,
                    "{}: label {gap_to_own:.1} px above its bar, {gap_to_previous:.1} px below the one before",
                    bar.label
                );
            }
            // The score (or "no data") is level with the bar.
            let score = svg
                .texts
                .iter()
                .filter(|t| t.bold || t.text == "データなし")
                .nth(i)
                .unwrap_or_else(|| panic!("score of {}", bar.label));
            let middle = (score.b.y0 + score.b.y1) / 2.0;
            assert!(
                middle > track.y0 && middle < track.y1,
                "{}: score {} at {middle:.1}, bar {:.1}..{:.1}",
                bar.label,
                score.text,
                track.y0,
                track.y1
            );
            let expected = bar
                .score
                .map_or("データなし".to_string(), okrsite::render::format::score);
            assert_eq!(score.text, expected);
        }
        assert!(problems(&svg).is_empty(), "{:?}", problems(&svg));
    }
}

/// Every chart `<svg>` of the HTML pages under `dir`.
fn site_svgs(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry.path().strip_prefix(dir).unwrap().display().to_string();
        let mut rest = html.as_str();
        while let Some(start) = rest.find("<svg xmlns") {
            let end = start + rest[start..].find("</svg>").unwrap() + "</svg>".len();
            let svg = &rest[start..end];
            if svg.contains("class=\"chart ") {
                out.push((page.clone(), svg.to_string()));
            }
            rest = &rest[end..];
        }
    }
    out
}

fn build(root: &Path, out: &Path) {
    Command::cargo_bin("okrsite")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn no_chart_text_of_the_sample_or_the_english_fixture_overlaps_or_is_small() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for (name, root) in [
        ("sample", repo.to_path_buf()),
        ("english", repo.join("tests/fixtures/english")),
    ] {
        let out = dir.path().join(name);
        build(&root, &out);
        let svgs = site_svgs(&out);
        assert!(svgs.len() > 20, "{name}: {} charts", svgs.len());
        for (page, svg) in svgs {
            let parsed = parse(&svg);
            all.extend(problems(&parsed).into_iter().map(|p| format!("{name} {page}: {p}")));
        }
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}

/// Digit runs a chart writes without separators: five digits or more anywhere, and four
/// digits that are not a year (`2026年1月`, `Jan 2026`, `FY2025`).
fn unseparated_numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        let year = run.len() == 4 && (1900..=2100).contains(&run.parse::<u32>().unwrap_or(0));
        if run.len() >= 5 || (run.len() == 4 && !year) {
            out.push(run.clone());
        }
        run.clear();
    }
    out
}

#[test]
fn chart_numbers_have_separators_and_units_in_their_place() {
    assert_eq!(
        unseparated_numbers("600000 $4.8M 50,000 2026年1月 Jan 2026 1234"),
        ["600000", "1234"]
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for (name, root) in [
        ("sample", repo.to_path_buf()),
        ("english", repo.join("tests/fixtures/english")),
    ] {
        let out = dir.path().join(name);
        build(&root, &out);
        for (page, svg) in site_svgs(&out) {
            for t in parse(&svg).texts {
                for n in unseparated_numbers(&t.text) {
                    all.push(format!("{name} {page}: `{n}` in `{}`", t.text));
                }
                // A currency sign after a number (`452,000$`, `4.8M$`).
                if t.text.contains("0$") || t.text.contains("M$") || t.text.contains("K$") {
                    all.push(format!("{name} {page}: unit after the number in `{}`", t.text));
                }
            }
        }
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}
