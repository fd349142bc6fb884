//! The KR trend chart of a team review.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    BLUE, Chart, GREY, INK, Labels, ORANGE, PURPLE, VERMILLION, axis_date, axis_value, dashed, day, draw, e, finish,
    value_range,
};
use crate::insight::kr_trend::{CONTEXT_DAYS, KrTrend};
use crate::model::{Checkin, Direction, Light, Thresholds};
use crate::render::format;

pub struct KrChartInput<'a> {
    /// Unique on the page; prefixes the SVG's element ids.
    pub id: &'a str,
    pub title: &'a str,
    pub unit: Option<&'a str>,
    /// The series and the projection to draw ([`crate::insight::kr_trend`]).
    pub trend: &'a KrTrend<'a>,
    pub start: Date,
    pub end: Date,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub thresholds: Option<(Thresholds, Direction)>,
    pub checkins: &'a [Checkin],
    pub current: Option<f64>,
    pub score: Option<f64>,
    pub today: Date,
}

const W: u32 = 460;
const H: u32 = 250;

pub fn kr_chart(input: &KrChartInput<'_>, labels: &Labels) -> Chart {
    let (x0, x1) = (day(input.start), day(input.end));
    let unit = input.unit;
    let KrTrend {
        inside,
        context,
        projected,
        projected_score,
    } = input.trend;
    let (projected, projected_score) = (*projected, *projected_score);
    let xy: Vec<(f64, f64)> = inside.iter().map(|p| (p.0, p.1)).collect();
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
            .chain(projected)
            .chain(threshold_lines.iter().copied()),
    );
    let has_context = !context.is_empty();
    let left = if has_context { x0 - CONTEXT_DAYS } else { x0 - 2.0 };
    let right = x1 + if context.iter().any(|p| p.0 > x1) { 7.0 } else { 2.0 };
    let span = right - left;
    let step = (hi - lo) / 5.0;
    let notes: Vec<(f64, f64, String)> = inside
        .iter()
        .filter_map(|p| p.2.map(|n| (p.0, p.1, n.to_string())))
        .collect();
    let v = |x: f64| format::with_unit(x, unit);
    // Projections are estimates: three significant digits are enough.
    let approx = |x: f64| format::with_unit(format::round_significant(x, 3), unit);

    let svg = draw(W, H, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(18)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(left..right, lo..hi)
            .map_err(e)?;
        // Alert bands behind everything: worse than red, worse than yellow.
        if let Some(th) = input.thresholds {
            super::threshold_bands(&mut chart, th, (left, right), (lo, hi), false)?;
        }
        // The quarter itself, lightly shaded when context is shown.
        if has_context {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, lo), (x1, hi)],
                    GREY.mix(0.06).filled(),
                )))
                .map_err(e)?;
        }
        super::mesh(&mut chart, 13, (6, 5), &|x| axis_date(*x, span), &|y| {
            axis_value(*y, step)
        })?;
        let font = |size: i32| (super::FONT, size).into_font().color(&INK);
        if let Some(b) = input.baseline {
            chart
                .draw_series(LineSeries::new([(x0, b), (x1, b)], GREY.stroke_width(1)))
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} {}", labels.baseline, v(b)),
                    (x0 + 1.0, b),
                    font(12).pos(Pos::new(HPos::Left, VPos::Bottom)),
                )))
                .map_err(e)?;
        }
        if let Some(t) = input.target {
            chart
                .draw_series(LineSeries::new(
                    [(left, t), (right, t)],
                    dashed(ORANGE, "8 5").stroke_width(2),
                ))
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} {}", labels.target, v(t)),
                    (left + span * 0.01, t),
                    font(13).pos(Pos::new(HPos::Left, VPos::Bottom)),
                )))
                .map_err(e)?;
        }
        if let (Some(b), Some(t)) = (input.baseline, input.target) {
            // The expected pace: from the baseline at the start to the target at the end.
            chart
                .draw_series(LineSeries::new([(x0, b), (x1, t)], dashed(GREY, "2 4").stroke_width(2)))
                .map_err(e)?;
        }
        if !context.is_empty() {
            let before: Vec<(f64, f64)> = context.iter().copied().filter(|p| p.0 < x0).collect();
            let after: Vec<(f64, f64)> = context.iter().copied().filter(|p| p.0 > x1).collect();
            for part in [before, after] {
                chart
                    .draw_series(LineSeries::new(part.clone(), BLUE.mix(0.35).stroke_width(2)))
                    .map_err(e)?;
                chart
                    .draw_series(part.iter().map(|p| Circle::new(*p, 3, BLUE.mix(0.35).filled())))
                    .map_err(e)?;
            }
        }
        if let (Some(p), Some(last)) = (projected, xy.last()) {
            chart
                .draw_series(LineSeries::new(
                    [*last, (x1, p)],
                    dashed(PURPLE, "10 3").stroke_width(2),
                ))
                .map_err(e)?;
            let text = match projected_score {
                Some(s) => format!(
                    "{} {} ({} {})",
                    labels.projection,
                    approx(p),
                    labels.score,
                    format::score(s)
                ),
                None => format!("{} {}", labels.projection, approx(p)),
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (x1, p),
                    font(12).pos(Pos::new(HPos::Right, VPos::Top)),
                )))
                .map_err(e)?;
        }
        chart
            .draw_series(LineSeries::new(xy.clone(), BLUE.stroke_width(3)))
            .map_err(e)?;
        chart
            .draw_series(xy.iter().map(|p| Circle::new(*p, 4, BLUE.filled())))
            .map_err(e)?;
        if xy.is_empty() {
            chart
                .draw_series(std::iter::once(Text::new(
                    labels.no_data.clone(),
                    ((x0 + x1) / 2.0, (lo + hi) / 2.0),
                    font(16).pos(Pos::new(HPos::Center, VPos::Center)),
                )))
                .map_err(e)?;
        }
        // Metric notes: numbered markers; the words are listed below the chart.
        for (i, (x, y, _)) in notes.iter().enumerate() {
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{}", i + 1),
                    (*x, *y),
                    font(12).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))
                .map_err(e)?;
        }
        // Check-ins along the bottom: the shape carries the colour's meaning.
        let y_mark = lo + (hi - lo) * 0.04;
        for c in input
            .checkins
            .iter()
            .filter(|c| c.date >= input.start && c.date <= input.end)
        {
            let x = day(c.date);
            match c.status {
                Light::Green => chart.draw_series(std::iter::once(Circle::new((x, y_mark), 5, super::GREEN.filled()))),
                Light::Yellow => {
                    chart.draw_series(std::iter::once(TriangleMarker::new((x, y_mark), 6, ORANGE.filled())))
                }
                Light::Red => {
                    chart.draw_series(std::iter::once(Cross::new((x, y_mark), 5, VERMILLION.stroke_width(3))))
                }
            }
            .map_err(e)?;
        }
        root.present().map_err(e)?;
        Ok(())
    });

    let summary = {
        let mut s = format!("{}: ", input.title);
        s.push_str(&input.baseline.map(v).unwrap_or_else(|| "—".into()));
        s.push_str(" → ");
        s.push_str(&input.current.map(v).unwrap_or_else(|| labels.no_data.clone()));
        if let Some(t) = input.target {
            s.push_str(&format!(" ({} {})", labels.target, v(t)));
        }
        if let Some(sc) = input.score {
            s.push_str(&format!(", {} {}", labels.score, format::score(sc)));
        }
        if let (Some(p), Some(ps)) = (projected, projected_score) {
            s.push_str(&format!(
                ", {} {} ({} {})",
                labels.projection,
                approx(p),
                labels.score,
                format::score(ps)
            ));
        }
        s
    };
    let rows = inside
        .iter()
        .map(|p| vec![super::date_of(p.0).to_string(), v(p.1), p.2.unwrap_or("").to_string()])
        .collect();
    Chart {
        svg: finish(&svg, input.id, "kr-chart", input.title, &summary),
        summary,
        columns: vec![labels.date.clone(), labels.value.clone(), labels.note.clone()],
        rows,
        notes: notes.iter().map(|n| n.2.clone()).collect(),
    }
}
