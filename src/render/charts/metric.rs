//! The metric chart of a metric page: the whole history with thresholds, notes and
//! quarters shaded; for counts, the period values and the quarter-to-date total.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    BLUE, Chart, DrawError, GREY, INK, Labels, Plot, SKY, axis_date, axis_value, day, draw, e, finish, plot_value,
    value_range,
};
use crate::model::{Direction, Point, Thresholds, Unit};
use crate::render::format;

pub struct MetricChartInput<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub unit: Option<&'a Unit>,
    pub points: &'a [Point],
    /// For a count metric, the quarter-to-date total at each point
    /// ([`crate::insight::series::quarter_to_date`]), drawn as a second chart.
    pub quarter_to_date: Option<&'a [f64]>,
    pub thresholds: Option<(Thresholds, Direction)>,
    /// The quarters the series spans: (start, end, label).
    pub quarters: &'a [(Date, Date, String)],
}

const W: u32 = 600;
const H: u32 = 300;

/// One chart for a level; two (period values and quarter-to-date total) for a count.
pub fn metric_charts(input: &MetricChartInput<'_>, labels: &Labels) -> Vec<Chart> {
    let series: Vec<(f64, f64)> = input
        .points
        .iter()
        .map(|p| (day(p.date), plot_value(p.value)))
        .collect();
    let mut charts = vec![line_chart(input, labels, &series, input.name, "", true)];
    if let Some(totals) = input.quarter_to_date {
        let cumulative: Vec<(f64, f64)> = (input.points.iter())
            .zip(totals)
            .map(|(p, &total)| (day(p.date), plot_value(total)))
            .collect();
        let title = format!("{} ({})", input.name, labels.cumulative);
        let mut chart = line_chart(input, labels, &cumulative, &title, "-cumulative", false);
        // The notes are listed once, under the period chart.
        chart.notes.clear();
        charts.push(chart);
    }
    charts
}

/// The axes of a line chart: values `lo..hi` (with `step` between labels), days
/// `left..right` (`span` long).
struct Frame {
    lo: f64,
    hi: f64,
    left: f64,
    right: f64,
    span: f64,
    step: f64,
}

impl Frame {
    fn new(series: &[(f64, f64)], lines: &[f64]) -> Frame {
        let (lo, hi) = value_range(series.iter().map(|p| p.1).chain(lines.iter().copied()));
        let (left, right) = match (series.first(), series.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => (a.0, b.0),
            (Some(a), _) => (a.0 - 7.0, a.0 + 7.0),
            _ => (0.0, 1.0),
        };
        Frame {
            lo,
            hi,
            left,
            right,
            span: right - left,
            step: (hi - lo) / 5.0,
        }
    }
}

fn line_chart(
    input: &MetricChartInput<'_>,
    labels: &Labels,
    series: &[(f64, f64)],
    title: &str,
    id_suffix: &str,
    with_thresholds: bool,
) -> Chart {
    let v = |x: f64| format::with_unit(x, input.unit);
    let thresholds = if with_thresholds { input.thresholds } else { None };
    let lines: Vec<f64> = thresholds
        .map(|(t, _)| [t.red, t.yellow].into_iter().flatten().collect())
        .unwrap_or_default();
    let f = Frame::new(series, &lines);
    let notes: Vec<(f64, f64, String)> = input
        .points
        .iter()
        .zip(series)
        .filter_map(|(p, s)| p.note.as_ref().map(|n| (s.0, s.1, n.clone())))
        .collect();
    let svg = draw(W, H, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(20)
            .x_label_area_size(30)
            .y_label_area_size(64)
            .build_cartesian_2d(f.left..f.right, f.lo..f.hi)
            .map_err(e)?;
        draw_quarters(&mut chart, input.quarters, &f)?;
        if let Some(th) = thresholds {
            super::threshold_bands(&mut chart, th, (f.left, f.right), (f.lo, f.hi), true)?;
        }
        super::mesh(&mut chart, 16, (5, 5), &|x| axis_date(*x, f.span), &|y| {
            axis_value(*y, f.step)
        })?;
        let color = if id_suffix.is_empty() { BLUE } else { SKY };
        draw_values(&mut chart, series, color)?;
        draw_notes(&mut chart, &notes)?;
        root.present().map_err(e)?;
        Ok(())
    });
    let summary = summary(series, title, labels, &v);
    let id = format!("{}{id_suffix}", input.id);
    Chart {
        svg: finish(&svg, &id, "metric-chart", title, &summary),
        summary,
        columns: vec![labels.date.clone(), labels.value.clone(), labels.note.clone()],
        rows: input
            .points
            .iter()
            .zip(series)
            .map(|(p, s)| {
                let day = crate::render::format::date(labels.language, p.date);
                vec![day, v(s.1), p.note.clone().unwrap_or_default()]
            })
            .collect(),
        notes: notes
            .iter()
            .map(|n| {
                let day = crate::render::format::date(labels.language, super::date_of(n.0));
                format!("{day} {}", n.2)
            })
            .collect(),
    }
}

/// Quarters shaded alternately, labelled at the top.
fn draw_quarters(chart: &mut Plot<'_, '_>, quarters: &[(Date, Date, String)], f: &Frame) -> Result<(), DrawError> {
    for (i, (s, end, label)) in quarters.iter().enumerate() {
        let (a, b) = (day(*s).max(f.left), day(*end).min(f.right));
        if b <= a {
            continue;
        }
        if i % 2 == 0 {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(a, f.lo), (b, f.hi)],
                    GREY.mix(0.07).filled(),
                )))
                .map_err(e)?;
        }
        if b - a > f.span / 14.0 {
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    ((a + b) / 2.0, f.hi),
                    (super::FONT, 12)
                        .into_font()
                        .color(&INK.mix(0.8))
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                )))
                .map_err(e)?;
        }
    }
    Ok(())
}

/// The series as a line, with a dot on each point while there are few.
fn draw_values(chart: &mut Plot<'_, '_>, series: &[(f64, f64)], color: RGBColor) -> Result<(), DrawError> {
    chart
        .draw_series(LineSeries::new(series.to_vec(), color.stroke_width(2)))
        .map_err(e)?;
    if series.len() <= 120 {
        chart
            .draw_series(series.iter().map(|p| Circle::new(*p, 3, color.filled())))
            .map_err(e)?;
    }
    Ok(())
}

/// A numbered ring on each point with a note (the notes are listed below the chart).
fn draw_notes(chart: &mut Plot<'_, '_>, notes: &[(f64, f64, String)]) -> Result<(), DrawError> {
    for (i, (x, y, _)) in notes.iter().enumerate() {
        chart
            .draw_series(std::iter::once(Circle::new((*x, *y), 6, INK.stroke_width(1))))
            .map_err(e)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{}", i + 1),
                (*x, *y),
                super::label_above(12),
            )))
            .map_err(e)?;
    }
    Ok(())
}

/// The chart in one sentence: first and last values, how many, the extremes.
fn summary(series: &[(f64, f64)], title: &str, labels: &Labels, v: &dyn Fn(f64) -> String) -> String {
    match (series.first(), series.last()) {
        (Some(a), Some(b)) => {
            let (min, max) = series.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.1), hi.max(p.1))
            });
            format!(
                "{title}: {} {} → {} {} ({} points, min {}, max {})",
                super::date_of(a.0),
                v(a.1),
                super::date_of(b.0),
                v(b.1),
                series.len(),
                v(min),
                v(max)
            )
        }
        _ => format!("{title}: {}", labels.no_data),
    }
}
