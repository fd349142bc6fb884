//! Every chart kind renders for the edge cases as well-formed, accessible SVG, and
//! a golden file pins one chart of each kind.

use jiff::civil::{Date, date};
use okrsite::config::ScoringThresholds;
use okrsite::model::{Aggregate, Checkin, Direction, Light, Point, Quarter, Thresholds, Unit};
use okrsite::render::charts::{self, Bar, Chart, KrChartInput, Labels, MetricChartInput};

pub fn labels() -> Labels {
    Labels {
        baseline: "開始".into(),
        target: "目標".into(),
        current: "現在".into(),
        score: "スコア".into(),
        pace: "想定ペース".into(),
        projection: "予測".into(),
        no_data: "データなし".into(),
        date: "日付".into(),
        value: "値".into(),
        note: "メモ".into(),
        cumulative: "累計".into(),
        period_value: "期間値".into(),
        quarter: "四半期".into(),
        checkin: "チェックイン".into(),
        item: "項目".into(),
        language: okrsite::config::Language::Ja,
        fmt: okrsite::render::format::Formatter {
            lang: okrsite::config::Language::Ja,
            fiscal_year_start_month: 4,
            quarter_name: None,
        },
    }
}

fn q(year: i16, number: i8) -> Quarter {
    Quarter { year, number }
}

fn weekly(start: Date, n: usize, f: impl Fn(usize) -> f64) -> Vec<Point> {
    (0..n)
        .map(|i| Point {
            date: start.checked_add(jiff::Span::new().days(7 * i as i64)).unwrap(),
            value: f(i),
            note: (i == 3).then(|| "ボタン文言のABテスト開始 <b>&</b>".to_string()),
        })
        .collect()
}

/// Parses the SVG as XML and checks the accessible name and description.
fn assert_valid(chart: &Chart, what: &str) {
    let doc = roxmltree::Document::parse(&chart.svg).unwrap_or_else(|e| panic!("{what}: not XML: {e}\n{}", chart.svg));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{what}");
    assert_eq!(root.attribute("role"), Some("img"), "{what}");
    assert!(
        root.attribute("viewBox").is_some() && root.attribute("width").is_none(),
        "{what}: scales to its container"
    );
    let title = root.children().find(|n| n.has_tag_name("title")).expect("title");
    let desc = root.children().find(|n| n.has_tag_name("desc")).expect("desc");
    assert!(
        !title.text().unwrap_or("").is_empty() && !desc.text().unwrap_or("").is_empty(),
        "{what}"
    );
    assert!(!chart.svg.contains("#010203"), "{what}: ink becomes currentColor");
    for n in doc.descendants() {
        for a in n.attributes() {
            assert!(
                !a.value().contains("NaN") && !a.value().contains("inf"),
                "{what}: {}={}",
                a.name(),
                a.value()
            );
        }
    }
}

fn kr(points: &[Point], baseline: Option<f64>, target: Option<f64>, in_progress: bool) -> Chart {
    kr_in(
        (date(2025, 7, 1), date(2025, 9, 30)),
        points,
        baseline,
        target,
        in_progress,
    )
}

/// A KR chart of the quarter `start..=end` (check-ins and today as in [`kr`]).
fn kr_in(
    (start, end): (Date, Date),
    points: &[Point],
    baseline: Option<f64>,
    target: Option<f64>,
    in_progress: bool,
) -> Chart {
    kr_input_in((start, end), points, (baseline, target), in_progress, |input| {
        charts::kr_chart(input, &labels())
    })
}

/// What `draw` makes of the input of [`kr_in`]'s chart (id `c1`).
fn kr_input_in<T>(
    (start, end): (Date, Date),
    points: &[Point],
    (baseline, target): (Option<f64>, Option<f64>),
    in_progress: bool,
    draw: impl FnOnce(&KrChartInput<'_>) -> T,
) -> T {
    let checkins = [
        Checkin {
            date: date(2025, 7, 15),
            status: Light::Yellow,
            confidence: None,
            note: None,
        },
        Checkin {
            date: date(2025, 8, 15),
            status: Light::Red,
            confidence: None,
            note: None,
        },
        Checkin {
            date: date(2025, 9, 1),
            status: Light::Green,
            confidence: None,
            note: None,
        },
    ];
    let trend = okrsite::insight::kr_trend::kr_trend(&okrsite::insight::kr_trend::TrendInput {
        points,
        aggregate: Aggregate::Last,
        start,
        end,
        baseline,
        target,
        in_progress,
    });
    let percent = Unit::new("%");
    let input = KrChartInput {
        id: "c1",
        title: "オンボーディング完了率を45%→65%",
        unit: Some(&percent),
        trend: &trend,
        start,
        end,
        baseline,
        target,
        thresholds: Some((
            Thresholds {
                red: Some(40.0),
                yellow: Some(50.0),
            },
            Direction::Increase,
        )),
        checkins: &checkins,
        checkins_text: None,
        outlook_word: None,
        current: points
            .iter()
            .rev()
            .find(|p| p.date <= end && p.date >= start)
            .map(|p| p.value),
        score: Some(0.8),
        today: date(2025, 8, 20),
    };
    draw(&input)
}

/// A review page and a booklet show one drawing of a KR chart under their own ids
/// (`charts::kr_drawing`): each is the chart drawn with that id, and the two differ
/// in their ids alone.
#[test]
fn one_kr_drawing_gives_the_chart_under_any_id() {
    let points = weekly(date(2025, 7, 1), 10, |i| 45.0 + i as f64);
    let quarter = (date(2025, 7, 1), date(2025, 9, 30));
    let (drawing, direct) = kr_input_in(quarter, &points, (Some(45.0), Some(65.0)), true, |input| {
        let prefixed = KrChartInput {
            id: "team.c1",
            checkins_text: input.checkins_text.clone(),
            ..*input
        };
        (
            charts::kr_drawing(input, &labels()),
            charts::kr_chart(&prefixed, &labels()),
        )
    });
    let (review, booklet) = (drawing.chart("c1"), drawing.chart("team.c1"));
    assert_eq!(review.svg, kr_in(quarter, &points, Some(45.0), Some(65.0), true).svg);
    assert_eq!((&booklet.svg, &booklet.narrow), (&direct.svg, &direct.narrow));
    assert!(booklet.svg.contains("id=\"team.c1-t\"") && booklet.narrow.contains("\"team.c1-t team.c1-d\""));
    assert_eq!(booklet.svg.replace("team.c1", "c1"), review.svg);
    assert_eq!(booklet.narrow.replace("team.c1", "c1"), review.narrow);
    assert_eq!((&booklet.summary, &booklet.rows), (&review.summary, &review.rows));
}

/// The texts of an SVG, in order.
pub fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// A quarter from October to December, whose axis runs a day or two into January:
/// month ticks without a January drawn are months alone, in both drawings.
#[test]
fn month_ticks_write_the_year_only_when_the_drawn_ticks_cross_one() {
    let points = weekly(date(2025, 9, 22), 14, |i| 45.0 + i as f64);
    let chart = kr_in(
        (date(2025, 10, 1), date(2025, 12, 31)),
        &points,
        Some(45.0),
        Some(65.0),
        false,
    );
    for (which, svg) in [("wide", &chart.svg), ("narrow", &chart.narrow)] {
        let months: Vec<String> = svg_texts(svg).into_iter().filter(|t| t.ends_with('月')).collect();
        assert!(months.len() >= 2, "{which}: {months:?}");
        let january = months.iter().any(|m| m.ends_with("年1月"));
        assert_eq!(
            months.iter().any(|m| m.contains("2025年")),
            january,
            "{which}: the year only when a January is drawn too: {months:?}"
        );
    }
}

#[test]
fn kr_charts_render_for_every_edge_case() {
    let q3 = date(2025, 6, 2);
    /// (what, points, baseline, target, in progress)
    type Case = (&'static str, Vec<Point>, Option<f64>, Option<f64>, bool);
    let cases: Vec<Case> = vec![
        (
            "increasing",
            weekly(q3, 18, |i| 45.0 + i as f64),
            Some(45.0),
            Some(65.0),
            false,
        ),
        (
            "decreasing",
            weekly(q3, 18, |i| 38.0 - i as f64 * 0.5),
            Some(38.0),
            Some(28.0),
            false,
        ),
        (
            "single point",
            vec![Point {
                date: date(2025, 8, 1),
                value: 50.0,
                note: None,
            }],
            Some(45.0),
            Some(65.0),
            true,
        ),
        (
            "no point in the quarter",
            weekly(date(2025, 1, 6), 5, |i| i as f64),
            Some(45.0),
            Some(65.0),
            false,
        ),
        (
            "far outside the range",
            weekly(q3, 18, |i| if i == 9 { 1e6 } else { 50.0 }),
            Some(45.0),
            Some(65.0),
            false,
        ),
        (
            "negative",
            weekly(q3, 18, |i| -20.0 + i as f64),
            Some(-20.0),
            Some(-5.0),
            true,
        ),
        (
            "huge",
            weekly(q3, 18, |i| 1e12 + i as f64 * 1e10),
            Some(1e12),
            Some(1.2e12),
            true,
        ),
        (
            "tiny",
            weekly(q3, 18, |i| 0.0001 + i as f64 * 1e-6),
            Some(0.0001),
            Some(0.00012),
            true,
        ),
        ("no baseline or target", weekly(q3, 18, |i| i as f64), None, None, false),
        ("no data at all", vec![], Some(45.0), Some(65.0), true),
    ];
    for (what, points, b, t, ip) in cases {
        let chart = kr(&points, b, t, ip);
        assert_valid(&chart, what);
    }
    // The description says the numbers in words.
    let chart = kr(
        &weekly(date(2025, 7, 7), 12, |i| 45.0 + i as f64 * 1.5),
        Some(45.0),
        Some(65.0),
        true,
    );
    assert!(
        chart.summary.starts_with("オンボーディング完了率を45%→65%: 45% → "),
        "{}",
        chart.summary
    );
    assert!(chart.summary.contains("(目標 65%), スコア 0.80"), "{}", chart.summary);
    assert!(chart.summary.contains("予測"), "in progress: a projection");
    assert!(
        chart.svg.contains("&lt;b&gt;") || !chart.svg.contains("<b>"),
        "notes are text"
    );
}

#[test]
fn projection_follows_the_recent_pace() {
    let pts: Vec<(f64, f64)> = (0..5).map(|i| (i as f64 * 7.0, 10.0 + i as f64)).collect();
    let p = okrsite::insight::kr_trend::projection(&pts, 28.0 + 70.0).unwrap();
    assert!((p - 24.0).abs() < 1e-9, "{p}");
    assert_eq!(okrsite::insight::kr_trend::projection(&pts[..1], 10.0), None);
}

fn metric(points: &[Point], aggregate: Aggregate) -> Vec<Chart> {
    let quarters: Vec<(Date, Date, String)> = (2020..2027)
        .flat_map(|y| {
            [(1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31)]
                .into_iter()
                .enumerate()
                .map(move |(i, (m, em, ed))| (date(y, m, 1), date(y, em, ed), format!("{y}-Q{}", i + 1)))
        })
        .collect();
    let bounds: Vec<(Date, Date)> = quarters.iter().map(|(s, e, _)| (*s, *e)).collect();
    let totals = (aggregate == Aggregate::Sum).then(|| okrsite::insight::series::quarter_to_date(points, &bounds));
    let percent = Unit::new("%");
    let input = MetricChartInput {
        id: "m1",
        name: "90日解約率",
        unit: Some(&percent),
        points,
        quarter_to_date: totals.as_deref(),
        thresholds: Some((
            Thresholds {
                red: Some(4.0),
                yellow: Some(3.0),
            },
            Direction::Decrease,
        )),
        quarters: &quarters,
    };
    charts::metric_charts(&input, &labels())
}

#[test]
fn metric_charts_render_for_levels_counts_and_five_years_of_daily_points() {
    let daily: Vec<Point> = (0..5 * 365)
        .map(|i| Point {
            date: date(2021, 1, 1).checked_add(jiff::Span::new().days(i)).unwrap(),
            value: 3.0 + ((i as f64) / 30.0).sin(),
            note: (i % 400 == 0).then(|| format!("note {i}")),
        })
        .collect();
    let charts = metric(&daily, Aggregate::Last);
    assert_eq!(charts.len(), 1);
    assert_valid(&charts[0], "5 years daily");
    assert_eq!(charts[0].rows.len(), 5 * 365);
    let counts = metric(&weekly(date(2025, 1, 6), 40, |i| (i % 7) as f64 * 10.0), Aggregate::Sum);
    assert_eq!(counts.len(), 2, "period and cumulative side by side");
    for c in &counts {
        assert_valid(c, "counts");
    }
    for (what, pts) in [
        ("empty", vec![]),
        (
            "single",
            vec![Point {
                date: date(2025, 1, 1),
                value: -5.0,
                note: None,
            }],
        ),
        ("huge", weekly(date(2025, 1, 6), 10, |i| 1e15 * i as f64)),
    ] {
        for c in metric(&pts, Aggregate::Last) {
            assert_valid(&c, what);
        }
    }
}

#[test]
fn score_charts_render() {
    let t = ScoringThresholds {
        green: 0.7,
        yellow: 0.4,
        too_safe: 0.9,
    };
    let history = vec![(q(2025, 2), Some(0.7)), (q(2025, 3), None), (q(2025, 4), Some(0.35))];
    assert_valid(
        &charts::score_history_chart("s1", "プロダクトチーム", &history, t, &labels()),
        "history",
    );
    assert_valid(
        &charts::score_history_chart("s2", "empty", &[], t, &labels()),
        "empty history",
    );
    let bars = vec![
        Bar {
            label: "価格理解の摩擦を取り、有料の一歩を軽くする".into(),
            score: Some(0.78),
        },
        Bar {
            label: "no data".into(),
            score: None,
        },
        Bar {
            label: "over".into(),
            score: Some(1.0),
        },
    ];
    assert_valid(&charts::bars_chart("b1", "目標", &bars, t, &labels()), "bars");
    let spark = charts::sparkline("sp1", "trend", &[Some(0.5), None, Some(0.7)], "0.5 → 0.7");
    assert!(roxmltree::Document::parse(&spark).is_ok());
}

/// Six quarters over two fiscal years on the narrow drawing (320 px wide, shown from
/// 375 px screens): every point's quarter is named under it, `Q2`…, with the year
/// on a second line where it changes; the wide drawing names each in full.
#[test]
fn the_narrow_score_history_names_every_quarter() {
    let t = ScoringThresholds {
        green: 0.7,
        yellow: 0.4,
        too_safe: 0.9,
    };
    let quarters = [q(2025, 2), q(2025, 3), q(2025, 4), q(2026, 1), q(2026, 2), q(2026, 3)];
    let points: Vec<(Quarter, Option<f64>)> = quarters
        .iter()
        .zip([0.8, 0.68, 0.75, 0.62, 0.59, 0.18])
        .map(|(q, s)| (*q, Some(s)))
        .collect();
    let chart = charts::score_history_chart("h", "プロダクトチーム", &points, t, &labels());
    let wide = svg_texts(&chart.svg);
    for name in [
        "2025年度 Q2",
        "2025年度 Q3",
        "2025年度 Q4",
        "2026年度 Q1",
        "2026年度 Q2",
        "2026年度 Q3",
    ] {
        assert!(wide.contains(&name.to_string()), "wide: {name} in {wide:?}");
    }
    let narrow = svg_texts(&chart.narrow);
    let quarter_texts: Vec<&str> = narrow
        .iter()
        .map(String::as_str)
        .filter(|t| t.starts_with('Q') || t.ends_with("年度"))
        .collect();
    assert_eq!(
        quarter_texts,
        ["Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "2025年度", "2026年度"],
        "{narrow:?}"
    );
}

/// One chart of each kind, pinned. Regenerate with
/// `OKRSITE_BLESS=1 cargo test --test it charts::golden_charts` after an intended change,
/// and look at the result before committing it.
#[test]
fn golden_charts() {
    let t = ScoringThresholds {
        green: 0.7,
        yellow: 0.4,
        too_safe: 0.9,
    };
    let kr_chart = kr(
        &weekly(date(2025, 6, 2), 16, |i| 45.0 + i as f64 * 1.2),
        Some(45.0),
        Some(65.0),
        true,
    );
    let metric_chart = metric(&weekly(date(2025, 1, 6), 30, |i| 4.5 - i as f64 * 0.05), Aggregate::Sum);
    let history = charts::score_history_chart(
        "g3",
        "プロダクトチーム",
        &[
            (q(2025, 2), Some(0.8)),
            (q(2025, 3), Some(0.68)),
            (q(2025, 4), Some(0.75)),
        ],
        t,
        &labels(),
    );
    let bars = charts::bars_chart(
        "g4",
        "目標",
        &[Bar {
            label: "価格理解の摩擦を取る".into(),
            score: Some(0.78),
        }],
        t,
        &labels(),
    );
    let spark = charts::sparkline(
        "g5",
        "trend",
        &[Some(0.8), Some(0.68), Some(0.75)],
        "0.80 → 0.68 → 0.75",
    );
    let all = [
        ("kr.svg", kr_chart.svg),
        ("kr-narrow.svg", kr_chart.narrow),
        ("metric.svg", metric_chart[0].svg.clone()),
        ("metric-narrow.svg", metric_chart[0].narrow.clone()),
        ("metric-cumulative.svg", metric_chart[1].svg.clone()),
        ("score-history.svg", history.svg),
        ("score-history-narrow.svg", history.narrow),
        ("bars.svg", bars.svg),
        ("bars-narrow.svg", bars.narrow),
        ("sparkline.svg", spark),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    for (name, svg) in all {
        let path = dir.join(name);
        if std::env::var_os("OKRSITE_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        }
        let golden =
            std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {name}; run with OKRSITE_BLESS=1"));
        assert_eq!(svg, golden, "{name} changed");
    }
}
