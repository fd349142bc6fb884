//! The KR trend chart of a team review.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    BLUE, Chart, DrawError, GREY, Labels, ORANGE, PURPLE, Plot, VERMILLION, axis_date, axis_value, dashed, day, draw,
    e, finish, value_range,
};
use crate::insight::kr_trend::{CONTEXT_DAYS, KrTrend};
use crate::model::{Checkin, Direction, Light, Thresholds, Unit};
use crate::render::format;

pub struct KrChartInput<'a> {
    /// Unique on the page; prefixes the SVG's element ids.
    pub id: &'a str,
    pub title: &'a str,
    pub unit: Option<&'a Unit>,
    /// The series and the projection to draw ([`crate::insight::kr_trend`]).
    pub trend: &'a KrTrend<'a>,
    pub start: Date,
    pub end: Date,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub thresholds: Option<(Thresholds, Direction)>,
    pub checkins: &'a [Checkin],
    /// The check-ins in words ("check-ins: 7/6 on track, …"), for the summary: the
    /// chart marks each along its bottom in its colour and shape.
    pub checkins_text: Option<String>,
    /// The word for a running quarter's score (見込み / outlook); `None` once it has ended.
    pub outlook_word: Option<&'a str>,
    pub current: Option<f64>,
    pub score: Option<f64>,
    pub today: Date,
}

const W: u32 = 460;
const H: u32 = 250;

/// Where the chart's frame lies in data coordinates.
struct Frame {
    /// The quarter's first and last day.
    x0: f64,
    x1: f64,
    left: f64,
    right: f64,
    lo: f64,
    hi: f64,
}

/// The KR chart: alert bands, the quarter, reference lines (baseline, target,
/// expected pace), context points, the projection, the actual series, notes and
/// check-ins, in that order (later ones on top); its summary and data table.
pub fn kr_chart(input: &KrChartInput<'_>, labels: &Labels) -> Chart {
    let trend = input.trend;
    let xy: Vec<(f64, f64)> = trend.inside.iter().map(|p| (p.0, p.1)).collect();
    let f = frame(input, &xy);
    let notes: Vec<(f64, f64, String)> = trend
        .inside
        .iter()
        .filter_map(|p| p.2.map(|n| (p.0, p.1, n.to_string())))
        .collect();
    let svg = draw(W, H, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(18)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(f.left..f.right, f.lo..f.hi)
            .map_err(e)?;
        draw_background(&mut chart, input, &f)?;
        draw_reference_lines(&mut chart, input, &f, labels)?;
        draw_context(&mut chart, &trend.context, &f)?;
        draw_projection(&mut chart, input, &xy, &f, labels)?;
        draw_actuals(&mut chart, &xy, &f, labels)?;
        draw_markers(&mut chart, input, &notes, &f)?;
        root.present().map_err(e)?;
        Ok(())
    });
    let summary = summary(input, labels);
    let rows = trend
        .inside
        .iter()
        .map(|p| {
            vec![
                crate::render::format::date(labels.language, super::date_of(p.0)),
                value_text(p.1, input.unit),
                p.2.unwrap_or("").to_string(),
            ]
        })
        .collect();
    Chart {
        svg: finish(&svg, input.id, "kr-chart", input.title, &summary),
        summary,
        columns: vec![labels.date.clone(), labels.value.clone(), labels.note.clone()],
        rows,
        notes: notes.iter().map(|n| n.2.clone()).collect(),
    }
}

/// The value range covers every point, line and projection; the days cover the
/// quarter, with the context before and after it when there is some.
fn frame(input: &KrChartInput<'_>, xy: &[(f64, f64)]) -> Frame {
    let (x0, x1) = (day(input.start), day(input.end));
    let context = &input.trend.context;
    let threshold_lines: Vec<f64> = input
        .thresholds
        .map(|(t, _)| [t.red, t.yellow].into_iter().flatten().collect())
        .unwrap_or_default();
    let (lo, hi) = value_range(
        xy.iter()
            .map(|p| p.1)
            .chain(context.iter().map(|p| p.1))
            .chain(input.baseline)
            .chain(input.target)
            .chain(input.trend.projected)
            .chain(threshold_lines.iter().copied()),
    );
    let left = if context.is_empty() {
        x0 - 2.0
    } else {
        x0 - CONTEXT_DAYS
    };
    let right = x1 + if context.iter().any(|p| p.0 > x1) { 7.0 } else { 2.0 };
    Frame {
        x0,
        x1,
        left,
        right,
        lo,
        hi,
    }
}

fn value_text(x: f64, unit: Option<&Unit>) -> String {
    format::with_unit(x, unit)
}

/// Projections are estimates: three significant digits are enough.
fn approx_text(x: f64, unit: Option<&Unit>) -> String {
    format::with_unit(format::round_significant(x, 3), unit)
}

/// Alert bands behind everything (worse than red, worse than yellow), the quarter
/// lightly shaded when context is shown, and the axes.
fn draw_background(chart: &mut Plot<'_, '_>, input: &KrChartInput<'_>, f: &Frame) -> Result<(), DrawError> {
    if let Some(th) = input.thresholds {
        super::threshold_bands(chart, th, (f.left, f.right), (f.lo, f.hi), false)?;
    }
    if !input.trend.context.is_empty() {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(f.x0, f.lo), (f.x1, f.hi)],
                GREY.mix(0.06).filled(),
            )))
            .map_err(e)?;
    }
    let (span, step) = (f.right - f.left, (f.hi - f.lo) / 5.0);
    super::mesh(chart, 13, (6, 5), &|x| axis_date(*x, span), &|y| axis_value(*y, step))
}

/// The baseline, the target and the expected pace from one to the other.
fn draw_reference_lines(
    chart: &mut Plot<'_, '_>,
    input: &KrChartInput<'_>,
    f: &Frame,
    labels: &Labels,
) -> Result<(), DrawError> {
    let v = |x: f64| value_text(x, input.unit);
    if let Some(b) = input.baseline {
        chart
            .draw_series(LineSeries::new([(f.x0, b), (f.x1, b)], GREY.stroke_width(1)))
            .map_err(e)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{} {}", labels.baseline, v(b)),
                (f.x0 + 1.0, b),
                super::ink_text(12).pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))
            .map_err(e)?;
    }
    if let Some(t) = input.target {
        chart
            .draw_series(LineSeries::new(
                [(f.left, t), (f.right, t)],
                dashed(ORANGE, "8 5").stroke_width(2),
            ))
            .map_err(e)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{} {}", labels.target, v(t)),
                (f.left + (f.right - f.left) * 0.01, t),
                super::ink_text(13).pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))
            .map_err(e)?;
    }
    if let (Some(b), Some(t)) = (input.baseline, input.target) {
        // The expected pace: from the baseline at the start to the target at the end.
        chart
            .draw_series(LineSeries::new(
                [(f.x0, b), (f.x1, t)],
                dashed(GREY, "2 4").stroke_width(2),
            ))
            .map_err(e)?;
    }
    Ok(())
}

/// Points before and after the quarter, faint.
fn draw_context(chart: &mut Plot<'_, '_>, context: &[(f64, f64)], f: &Frame) -> Result<(), DrawError> {
    if context.is_empty() {
        return Ok(());
    }
    let before: Vec<(f64, f64)> = context.iter().copied().filter(|p| p.0 < f.x0).collect();
    let after: Vec<(f64, f64)> = context.iter().copied().filter(|p| p.0 > f.x1).collect();
    for part in [before, after] {
        chart
            .draw_series(LineSeries::new(part.clone(), BLUE.mix(0.35).stroke_width(2)))
            .map_err(e)?;
        chart
            .draw_series(part.iter().map(|p| Circle::new(*p, 3, BLUE.mix(0.35).filled())))
            .map_err(e)?;
    }
    Ok(())
}

/// From the last point to the projected end value, labelled with its score.
fn draw_projection(
    chart: &mut Plot<'_, '_>,
    input: &KrChartInput<'_>,
    xy: &[(f64, f64)],
    f: &Frame,
    labels: &Labels,
) -> Result<(), DrawError> {
    let (Some(p), Some(last)) = (input.trend.projected, xy.last()) else {
        return Ok(());
    };
    chart
        .draw_series(LineSeries::new(
            [*last, (f.x1, p)],
            dashed(PURPLE, "10 3").stroke_width(2),
        ))
        .map_err(e)?;
    let approx = approx_text(p, input.unit);
    let text = match input.trend.projected_score {
        Some(s) => format!("{} {approx} ({} {})", labels.projection, labels.score, format::score(s)),
        None => format!("{} {approx}", labels.projection),
    };
    chart
        .draw_series(std::iter::once(Text::new(
            text,
            (f.x1, p),
            super::ink_text(12).pos(Pos::new(HPos::Right, VPos::Top)),
        )))
        .map_err(e)?;
    Ok(())
}

/// The values themselves, or "no data".
fn draw_actuals(chart: &mut Plot<'_, '_>, xy: &[(f64, f64)], f: &Frame, labels: &Labels) -> Result<(), DrawError> {
    chart
        .draw_series(LineSeries::new(xy.to_vec(), BLUE.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(xy.iter().map(|p| Circle::new(*p, 4, BLUE.filled())))
        .map_err(e)?;
    if xy.is_empty() {
        chart
            .draw_series(std::iter::once(Text::new(
                labels.no_data.clone(),
                ((f.x0 + f.x1) / 2.0, (f.lo + f.hi) / 2.0),
                super::ink_text(16).pos(Pos::new(HPos::Center, VPos::Center)),
            )))
            .map_err(e)?;
    }
    Ok(())
}

/// Numbered markers for metric notes (the words are listed below the chart), and
/// check-ins along the bottom, whose shape carries the colour's meaning.
fn draw_markers(
    chart: &mut Plot<'_, '_>,
    input: &KrChartInput<'_>,
    notes: &[(f64, f64, String)],
    f: &Frame,
) -> Result<(), DrawError> {
    for (i, (x, y, _)) in notes.iter().enumerate() {
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{}", i + 1),
                (*x, *y),
                super::label_above(12),
            )))
            .map_err(e)?;
    }
    let y_mark = f.lo + (f.hi - f.lo) * 0.04;
    for c in input
        .checkins
        .iter()
        .filter(|c| c.date >= input.start && c.date <= input.end)
    {
        let x = day(c.date);
        match c.status {
            Light::Green => chart.draw_series(std::iter::once(Circle::new((x, y_mark), 5, super::GREEN.filled()))),
            Light::Yellow => chart.draw_series(std::iter::once(TriangleMarker::new((x, y_mark), 6, ORANGE.filled()))),
            Light::Red => chart.draw_series(std::iter::once(Cross::new((x, y_mark), 5, VERMILLION.stroke_width(3)))),
        }
        .map_err(e)?;
    }
    Ok(())
}

/// The chart in one sentence: baseline → current (target), score, projection.
fn summary(input: &KrChartInput<'_>, labels: &Labels) -> String {
    let v = |x: f64| value_text(x, input.unit);
    let mut s = format!("{}: ", input.title);
    s.push_str(&input.baseline.map(v).unwrap_or_else(|| "—".into()));
    s.push_str(" → ");
    s.push_str(&input.current.map(v).unwrap_or_else(|| labels.no_data.clone()));
    if let Some(t) = input.target {
        s.push_str(&format!(" ({} {})", labels.target, v(t)));
    }
    if let Some(sc) = input.score {
        s.push_str(&format!(", {} {}", labels.score, format::score(sc)));
        if let Some(word) = input.outlook_word {
            s.push_str(&format!(" ({word})"));
        }
    }
    if let (Some(p), Some(ps)) = (input.trend.projected, input.trend.projected_score) {
        s.push_str(&format!(
            ", {} {} ({} {})",
            labels.projection,
            approx_text(p, input.unit),
            labels.score,
            format::score(ps)
        ));
    }
    if let Some(text) = &input.checkins_text {
        s.push_str(&format!(". {text}"));
    }
    s
}
