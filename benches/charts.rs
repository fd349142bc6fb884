//! Charts per second: `cargo bench --bench charts`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;
use okrsite::model::{Aggregate, Checkin, Direction, Light, Point, Thresholds, Unit};
use okrsite::render::charts::{self, KrChartInput, Labels, MetricChartInput};

fn labels() -> Labels {
    let s = |x: &str| x.to_string();
    Labels {
        baseline: s("開始"),
        target: s("目標"),
        current: s("現在"),
        score: s("スコア"),
        pace: s("想定ペース"),
        projection: s("予測"),
        no_data: s("データなし"),
        date: s("日付"),
        value: s("値"),
        note: s("メモ"),
        cumulative: s("累計"),
        period_value: s("期間値"),
        quarter: s("四半期"),
        checkin: s("チェックイン"),
        item: s("項目"),
        language: okrsite::config::Language::Ja,
    }
}

fn bench(c: &mut Criterion) {
    let points: Vec<Point> = (0..20)
        .map(|i| Point {
            date: date(2025, 6, 2).checked_add(jiff::Span::new().days(7 * i)).unwrap(),
            value: 45.0 + i as f64 * 1.1,
            note: (i == 8).then(|| "ボタン文言のABテスト開始".to_string()),
        })
        .collect();
    let checkins = [
        Checkin {
            date: date(2025, 7, 15),
            status: Light::Yellow,
            confidence: None,
            note: None,
        },
        Checkin {
            date: date(2025, 8, 26),
            status: Light::Green,
            confidence: None,
            note: None,
        },
    ];
    let labels = labels();
    let trend = okrsite::insight::kr_trend::kr_trend(&okrsite::insight::kr_trend::TrendInput {
        points: &points,
        aggregate: Aggregate::Last,
        start: date(2025, 7, 1),
        end: date(2025, 9, 30),
        baseline: Some(45.0),
        target: Some(65.0),
        in_progress: true,
    });
    let percent = Unit::new("%");
    let mut group = c.benchmark_group("charts");
    group.throughput(Throughput::Elements(1));
    group.bench_function("kr_chart", |b| {
        b.iter(|| {
            charts::kr_chart(
                &KrChartInput {
                    id: "c",
                    title: "オンボーディング完了率を45%→65%",
                    unit: Some(&percent),
                    trend: &trend,
                    start: date(2025, 7, 1),
                    end: date(2025, 9, 30),
                    baseline: Some(45.0),
                    target: Some(65.0),
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
                    current: Some(61.0),
                    score: Some(0.8),
                    today: date(2025, 8, 30),
                },
                &labels,
            )
        })
    });
    let weekly: Vec<Point> = (0..78)
        .map(|i| Point {
            date: date(2025, 7, 7).checked_add(jiff::Span::new().days(7 * i)).unwrap(),
            value: 3.0 + (i as f64 / 5.0).sin(),
            note: None,
        })
        .collect();
    let quarters: Vec<_> = (0..8)
        .map(|i| {
            let s = date(2025, 7, 1).checked_add(jiff::Span::new().months(3 * i)).unwrap();
            let e = s.checked_add(jiff::Span::new().months(3)).unwrap().yesterday().unwrap();
            (s, e, format!("Q{i}"))
        })
        .collect();
    group.bench_function("metric_chart_78_weekly_points", |b| {
        b.iter(|| {
            charts::metric_charts(
                &MetricChartInput {
                    id: "m",
                    name: "90日解約率",
                    unit: Some(&percent),
                    points: &weekly,
                    quarter_to_date: None,
                    thresholds: Some((
                        Thresholds {
                            red: Some(4.0),
                            yellow: Some(3.0),
                        },
                        Direction::Decrease,
                    )),
                    quarters: &quarters,
                },
                &labels,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
