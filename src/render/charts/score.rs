//! Score charts: a team's score across quarters, objective score bars with the
//! grade thresholds, and dashboard sparklines.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{BLUE, Chart, DrawError, GREEN, INK, Labels, ORANGE, Plot, VERMILLION, draw, e, finish};
use crate::config::ScoringThresholds;
use crate::model::Light;
use crate::render::format;

/// A team's score per quarter (`None` where it has no score), on 0..1 with the
/// grade thresholds as dashed lines.
pub fn score_history_chart(
    id: &str,
    title: &str,
    points: &[(String, Option<f64>)],
    t: ScoringThresholds,
    labels: &Labels,
) -> Chart {
    score_history_chart_outlook(id, title, points, None, t, labels)
}

/// The running quarter of a score chart: its position among the points and the
/// word that marks its score as an outlook.
pub struct OutlookAt<'a> {
    pub index: usize,
    pub word: &'a str,
}

/// [`score_history_chart`] whose point `outlook.index` is a running quarter's: drawn
/// hollow at the end of a dashed segment, and called an outlook in the summary and table.
pub fn score_history_chart_outlook(
    id: &str,
    title: &str,
    points: &[(String, Option<f64>)],
    outlook: Option<OutlookAt<'_>>,
    t: ScoringThresholds,
    labels: &Labels,
) -> Chart {
    let n = points.len().max(1);
    let running = outlook.as_ref().map(|o| o.index);
    let scored = |keep: &dyn Fn(usize) -> bool| -> Vec<(f64, f64)> {
        points
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .filter_map(|(i, (_, s))| s.map(|s| (i as f64, s)))
            .collect()
    };
    let finals = scored(&|i| Some(i) != running);
    let outlook_point = scored(&|i| Some(i) == running).first().copied();
    let svg = draw(520, 240, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(20)
            .x_label_area_size(30)
            .y_label_area_size(44)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..1.05)
            .map_err(e)?;
        quarter_mesh(&mut chart, points)?;
        for (line, color) in [(t.green, GREEN), (t.yellow, ORANGE)] {
            chart
                .draw_series(LineSeries::new(
                    [(-0.5, line), (n as f64 - 0.5, line)],
                    super::dashed(color, "6 4").stroke_width(2),
                ))
                .map_err(e)?;
        }
        draw_scores(&mut chart, &finals)?;
        if let Some(p) = outlook_point {
            let before = finals.iter().rev().find(|f| f.0 < p.0).copied();
            draw_outlook_point(&mut chart, before, p)?;
        }
        root.present().map_err(e)?;
        Ok(())
    });
    let score_text = |i: usize, s: &Option<f64>| match (s, &outlook) {
        (Some(s), Some(o)) if o.index == i => format!("{} ({})", format::score(*s), o.word),
        (Some(s), _) => format::score(*s),
        (None, _) => "—".into(),
    };
    let summary = format!(
        "{title}: {}",
        points
            .iter()
            .enumerate()
            .map(|(i, (q, s))| format!("{q} {}", score_text(i, s)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Chart {
        svg: finish(&svg, id, "score-chart", title, &summary),
        columns: vec![labels.quarter.clone(), labels.score.clone()],
        rows: points
            .iter()
            .enumerate()
            .map(|(i, (q, s))| vec![q.clone(), score_text(i, s)])
            .collect(),
        summary,
        notes: Vec::new(),
    }
}

/// A running quarter's score: a dashed segment from the last final score before it
/// and a hollow marker, labelled with its value.
fn draw_outlook_point(chart: &mut Plot<'_, '_>, before: Option<(f64, f64)>, p: (f64, f64)) -> Result<(), DrawError> {
    if let Some(b) = before {
        chart
            .draw_series(LineSeries::new([b, p], super::dashed(BLUE, "4 3").stroke_width(2)))
            .map_err(e)?;
    }
    chart
        .draw_series(std::iter::once(Circle::new(p, 5, BLUE.stroke_width(2))))
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format::score(p.1),
            p,
            super::label_above(12),
        )))
        .map_err(e)?;
    Ok(())
}

/// The grid, with each quarter's name under its place and scores 0 to 1 up the side.
fn quarter_mesh(chart: &mut Plot<'_, '_>, points: &[(String, Option<f64>)]) -> Result<(), DrawError> {
    chart
        .configure_mesh()
        .x_labels(points.len().max(1))
        .y_labels(6)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 0.01 && i >= 0.0 {
                points.get(i as usize).map(|p| p.0.clone()).unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format!("{y:.1}"))
        .label_style((super::FONT, 13).into_font().color(&INK))
        .axis_style(INK.mix(0.6))
        .bold_line_style(INK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(e)
}

/// The scores as a line of dots, each labelled with its value.
fn draw_scores(chart: &mut Plot<'_, '_>, xy: &[(f64, f64)]) -> Result<(), DrawError> {
    chart
        .draw_series(LineSeries::new(xy.to_vec(), BLUE.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(xy.iter().map(|p| Circle::new(*p, 5, BLUE.filled())))
        .map_err(e)?;
    chart
        .draw_series(
            xy.iter()
                .map(|p| Text::new(format::score(p.1), *p, super::label_above(12))),
        )
        .map_err(e)?;
    Ok(())
}

/// One bar of a score bar chart.
pub struct Bar {
    pub label: String,
    pub score: Option<f64>,
}

/// Horizontal score bars (objectives of a review, teams of a quarter) with the
/// green and yellow thresholds as dashed lines. A bar's fill pattern does not
/// carry meaning; its score is written next to it.
pub fn bars_chart(id: &str, title: &str, bars: &[Bar], t: ScoringThresholds, labels: &Labels) -> Chart {
    bars_chart_outlook(id, title, bars, None, t, labels)
}

/// [`bars_chart`] of a running quarter when `outlook` (the word) is given: its scores
/// are outlooks, so the bars take no grade colour and the summary says so.
pub fn bars_chart_outlook(
    id: &str,
    title: &str,
    bars: &[Bar],
    outlook: Option<&str>,
    t: ScoringThresholds,
    labels: &Labels,
) -> Chart {
    let n = bars.len().max(1);
    let row = 44u32;
    let height = 40 + row * n as u32;
    let svg = draw(520, height, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(26)
            .y_label_area_size(8)
            .build_cartesian_2d(0.0..1.0, 0.0..n as f64)
            .map_err(e)?;
        score_axis_mesh(&mut chart)?;
        for (i, bar) in bars.iter().enumerate() {
            let grading = outlook.is_none().then_some(t);
            draw_bar(&mut chart, bar, (n - i) as f64 - 0.45, grading, labels)?;
        }
        for (line, color) in [(t.green, GREEN), (t.yellow, ORANGE)] {
            chart
                .draw_series(LineSeries::new(
                    [(line, 0.0), (line, n as f64)],
                    super::dashed(color, "6 4").stroke_width(2),
                ))
                .map_err(e)?;
        }
        root.present().map_err(e)?;
        Ok(())
    });
    let title_words = match outlook {
        Some(word) => format!("{title} ({word})"),
        None => title.to_string(),
    };
    let summary = format!(
        "{title_words}: {}",
        bars.iter()
            .map(|b| format!(
                "{} {}",
                b.label,
                b.score.map(format::score).unwrap_or_else(|| labels.no_data.clone())
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Chart {
        svg: finish(&svg, id, "bars-chart", title, &summary),
        columns: vec![labels.item.clone(), labels.score.clone()],
        rows: bars
            .iter()
            .map(|b| {
                vec![
                    b.label.clone(),
                    b.score.map(format::score).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
        summary,
        notes: Vec::new(),
    }
}

/// The grid of a bar chart: scores 0 to 1 along the bottom, no vertical axis.
fn score_axis_mesh(chart: &mut Plot<'_, '_>) -> Result<(), DrawError> {
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(6)
        .x_label_formatter(&|x| format!("{x:.1}"))
        .label_style((super::FONT, 13).into_font().color(&INK))
        .axis_style(INK.mix(0.6))
        .bold_line_style(INK.mix(0.10))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(e)
}

/// One bar whose row's top is at `top`: its label (cut at 30 characters), its track,
/// its fill in its grade's colour (`grading`; a running quarter's outlook has no
/// grade and is filled faint blue), and its score.
fn draw_bar(
    chart: &mut Plot<'_, '_>,
    bar: &Bar,
    top: f64,
    grading: Option<ScoringThresholds>,
    labels: &Labels,
) -> Result<(), DrawError> {
    let label: String = bar.label.chars().take(30).collect();
    let label = if bar.label.chars().count() > 30 {
        format!("{label}…")
    } else {
        label
    };
    chart
        .draw_series(std::iter::once(Text::new(
            label,
            (0.005, top + 0.38),
            (super::FONT, 13)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )))
        .map_err(e)?;
    let (a, b) = (top - 0.05, top - 0.40);
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, a), (1.0, b)],
            INK.mix(0.08).filled(),
        )))
        .map_err(e)?;
    if let Some(s) = bar.score {
        let fill = match grading.map(|t| crate::score::grade(s, t)) {
            Some(Light::Green) => GREEN.filled(),
            Some(Light::Yellow) => ORANGE.filled(),
            Some(Light::Red) => VERMILLION.filled(),
            None => BLUE.mix(0.45).filled(),
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, a), (s.clamp(0.0, 1.0), b)],
                fill,
            )))
            .map_err(e)?;
    }
    let text = bar.score.map(format::score).unwrap_or_else(|| labels.no_data.clone());
    let x = bar.score.map_or(0.01, |s| (s + 0.01).min(0.9));
    chart
        .draw_series(std::iter::once(Text::new(
            text,
            (x, (a + b) / 2.0),
            (super::FONT, 13)
                .into_font()
                .style(FontStyle::Bold)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )))
        .map_err(e)?;
    Ok(())
}

/// A tiny line without axes, for the dashboard; the summary says the numbers.
pub fn sparkline(id: &str, title: &str, values: &[Option<f64>], summary: &str) -> String {
    sparkline_outlook(id, title, values, false, summary)
}

/// [`sparkline`] whose last value may be a running quarter's outlook (`outlook_last`):
/// then it is drawn hollow at the end of a dashed segment (the summary should say so).
pub fn sparkline_outlook(id: &str, title: &str, values: &[Option<f64>], outlook_last: bool, summary: &str) -> String {
    let mut xy: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
        .collect();
    let last_index = values.len().checked_sub(1).map(|i| i as f64);
    let outlook = match xy.last() {
        Some(&p) if outlook_last && Some(p.0) == last_index => xy.pop(),
        _ => None,
    };
    let (lo, hi) = super::value_range(xy.iter().chain(&outlook).map(|p| p.1));
    let n = values.len().max(2) as f64;
    let svg = draw(120, 32, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(4)
            .build_cartesian_2d(0.0..(n - 1.0), lo..hi)
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new(xy.clone(), BLUE.stroke_width(2)))
            .map_err(e)?;
        match (outlook, xy.last()) {
            (Some(p), last) => {
                if let Some(l) = last {
                    chart
                        .draw_series(LineSeries::new([*l, p], super::dashed(BLUE, "4 3").stroke_width(2)))
                        .map_err(e)?;
                }
                chart
                    .draw_series(std::iter::once(Circle::new(p, 3, BLUE.stroke_width(1))))
                    .map_err(e)?;
            }
            (None, Some(last)) => {
                chart
                    .draw_series(std::iter::once(Circle::new(*last, 3, BLUE.filled())))
                    .map_err(e)?;
            }
            (None, None) => {}
        }
        root.present().map_err(e)?;
        Ok(())
    });
    finish(&svg, id, "sparkline", title, summary)
}
