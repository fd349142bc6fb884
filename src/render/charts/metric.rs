//! The metric chart of a metric page: the whole history with thresholds, notes and
//! quarters shaded; for counts, the period values and the quarter-to-date total.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Ticks};
use super::labels::{Layout, Rect, Spot};
use super::score::pixel;
use super::{
    BLUE, Chart, DrawError, Drawn, GREY, INK, Labels, Plot, SKY, Size, day, draw, e, finish_pair, place, plot_value,
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

const WIDE: Size = Size::wide(600, 300, 14.0);
const NARROW: Size = Size::narrow(320, 240, 12.0);

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
}

impl Frame {
    fn new(series: &[(f64, f64)], lines: &[f64]) -> Frame {
        let (lo, hi) = value_range(series.iter().map(|p| p.1).chain(lines.iter().copied()));
        let (left, right) = match (series.first(), series.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => (a.0, b.0),
            (Some(a), _) => (a.0 - 7.0, a.0 + 7.0),
            _ => (0.0, 1.0),
        };
        Frame { lo, hi, left, right }
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
    let color = if id_suffix.is_empty() { BLUE } else { SKY };
    let look = Look {
        input,
        labels,
        series,
        notes: &notes,
        thresholds,
        color,
    };
    let (wide, narrow) = (look.draw(&f, WIDE), look.draw(&f, NARROW));
    let summary = summary(series, title, labels, &v);
    let id = format!("{}{id_suffix}", input.id);
    let (svg, narrow) = finish_pair(&wide, &narrow, &id, "metric-chart", title, &summary);
    Chart {
        svg,
        narrow,
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
        figure: String::new(),
    }
}

/// What one line chart draws.
struct Look<'a> {
    input: &'a MetricChartInput<'a>,
    labels: &'a Labels,
    series: &'a [(f64, f64)],
    notes: &'a [(f64, f64, String)],
    thresholds: Option<(Thresholds, Direction)>,
    color: RGBColor,
}

impl Look<'_> {
    /// One drawing at `size`: quarters, thresholds, axes, the values, then the labels
    /// by importance (axes, note numbers, quarter names); one with no free place is
    /// left out.
    fn draw(&self, f: &Frame, size: Size) -> Drawn {
        let px = size.font;
        let fmt = &self.labels.fmt;
        let y_ticks = Ticks {
            x: Vec::new(),
            y: axes::value_axis(fmt, f.lo, f.hi, if size.narrow { 4 } else { 5 }, self.input.unit),
        };
        draw(size.width, size.height, |root| {
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .margin_right(14)
                .x_label_area_size((px * 1.6) as u32)
                .y_label_area_size(axes::label_width(&y_ticks.y, px))
                .build_cartesian_2d(f.left..f.right, f.lo..f.hi)
                .map_err(e)?;
            let max_x = if size.narrow { 4 } else { 6 };
            let fits = |x: f64, text: &str| axes::fits_under(chart.plotting_area(), size.width, px, x, text);
            let ticks = Ticks {
                x: axes::date_axis(fmt, f.left, f.right, max_x, &fits),
                y: y_ticks.y.clone(),
            };
            let mut layout = Layout::new(size.width, size.height);
            draw_quarters(&mut chart, self.input.quarters, f)?;
            if let Some(th) = self.thresholds {
                super::threshold_bands(chart.plotting_area(), th, (f.left, f.right), (f.lo, f.hi), true)?;
            }
            axes::axes(&root, chart.plotting_area(), &mut layout, px, &ticks)?;
            draw_values(&mut chart, self.series, self.color)?;
            let line: Vec<(f64, f64)> = self.series.iter().map(|p| pixel(&chart, *p)).collect();
            let dots = self.series.len() <= 120;
            for (x, y, _) in self.notes {
                chart
                    .draw_series(std::iter::once(Circle::new((*x, *y), 6, INK.stroke_width(1))))
                    .map_err(e)?;
                layout.block(Rect::around(pixel(&chart, (*x, *y)), 6.0));
            }
            if dots && line.len() <= 40 {
                for p in &line {
                    layout.block(Rect::around(*p, 3.0));
                }
            }
            layout.line(&line);
            for (i, (x, y, _)) in self.notes.iter().enumerate() {
                let at = pixel(&chart, (*x, *y));
                place(&root, &mut layout, &format!("{}", i + 1), px, &Spot::around(at, 8.0))?;
            }
            quarter_labels(&root, &chart, &mut layout, self.input.quarters, f, px)?;
            root.present().map_err(e)?;
            Ok(())
        })
    }
}

/// The quarters' names at the top of each quarter, where they fit.
fn quarter_labels(
    root: &super::Root<'_>,
    chart: &Plot<'_, '_>,
    layout: &mut Layout,
    quarters: &[(Date, Date, String)],
    f: &Frame,
    px: f64,
) -> Result<(), DrawError> {
    for (s, end, label) in quarters {
        let (a, b) = (day(*s).max(f.left), day(*end).min(f.right));
        if b <= a {
            continue;
        }
        let (left, top) = pixel(chart, (a, f.hi));
        let (right, _) = pixel(chart, (b, f.hi));
        if super::labels::text_width(label, px) + 4.0 > right - left {
            continue;
        }
        let spot = Spot::new(((left + right) / 2.0, top + 2.0), HPos::Center, VPos::Top);
        place(root, layout, label, px, &[spot])?;
    }
    Ok(())
}

/// Quarters shaded alternately (named by [`quarter_labels`]).
fn draw_quarters(chart: &mut Plot<'_, '_>, quarters: &[(Date, Date, String)], f: &Frame) -> Result<(), DrawError> {
    for (i, (s, end, _)) in quarters.iter().enumerate() {
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
    }
    Ok(())
}

/// The series as a line, with a dot on each point while there are few.
fn draw_values(chart: &mut Plot<'_, '_>, series: &[(f64, f64)], color: RGBColor) -> Result<(), DrawError> {
    chart
        .draw_series(LineSeries::new(thin(chart, series), color.stroke_width(2)))
        .map_err(e)?;
    if series.len() <= 120 {
        super::dots(chart.plotting_area(), series, color, 3, 1.0)?;
    }
    Ok(())
}

/// The points of a line that show on screen: of the points falling in one pixel
/// column, the first, the lowest, the highest and the last (M4), so a long series
/// draws exactly as all its points would, in at most four points a column.
fn thin(chart: &Plot<'_, '_>, series: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut i = 0;
    while i < series.len() {
        let column = chart.backend_coord(&series[i]).0;
        let mut j = i;
        while j + 1 < series.len() && chart.backend_coord(&series[j + 1]).0 == column {
            j += 1;
        }
        let group = &series[i..=j];
        let lowest = group
            .iter()
            .copied()
            .fold(group[0], |m, p| if p.1 < m.1 { p } else { m });
        let highest = group
            .iter()
            .copied()
            .fold(group[0], |m, p| if p.1 > m.1 { p } else { m });
        let (mut a, mut b) = (lowest, highest);
        if a.0 > b.0 {
            std::mem::swap(&mut a, &mut b);
        }
        for p in [group[0], a, b, group[group.len() - 1]] {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
        i = j + 1;
    }
    out
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
