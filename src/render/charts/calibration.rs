//! The confidence calibration chart: each KR's mid-quarter confidence (x) against
//! its final score (y), with the diagonal where the two agree and the margin around
//! it ([`crate::insight::calibration::MARGIN`]).

use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Ticks};
use super::labels::{Layout, Spot};
use super::{BLUE, Chart, DrawError, Drawn, GREY, ORANGE, Plot, Size, VERMILLION, draw, e, finish_pair, place};
use crate::insight::calibration::MARGIN;
use crate::render::format;

/// One KR on the chart.
pub struct Dot {
    /// Quarter, team and KR, for the data table.
    pub label: String,
    pub confidence: f64,
    pub score: f64,
    pub over: bool,
    pub under: bool,
}

/// The words the chart needs, in the site's language.
pub struct Words<'a> {
    pub item: &'a str,
    pub confidence: &'a str,
    pub score: &'a str,
    pub over: &'a str,
    pub under: &'a str,
    pub diagonal: &'a str,
    /// Heading of the over/under column.
    pub verdict: &'a str,
}

/// The scatter of confidence against score; over-confident KRs as crosses below the
/// band, under-confident ones as triangles above it, the rest as dots (shape carries
/// the meaning, colour repeats it).
pub fn calibration_chart(id: &str, title: &str, dots: &[Dot], w: &Words<'_>) -> Chart {
    let wide = draw_calibration(Size::wide(420, 360, 12.0), dots, w);
    let narrow = draw_calibration(Size::narrow(320, 310, 12.0), dots, w);
    let (over, under) = (
        dots.iter().filter(|d| d.over).count(),
        dots.iter().filter(|d| d.under).count(),
    );
    let summary = format!(
        "{title}: {} KR; {} {over}, {} {under}. {}",
        dots.len(),
        w.over,
        w.under,
        w.diagonal
    );
    let (svg, narrow) = finish_pair(&wide, &narrow, id, "calibration-chart", title, &summary);
    Chart {
        svg,
        narrow,
        columns: vec![
            w.item.to_string(),
            w.confidence.to_string(),
            w.score.to_string(),
            w.verdict.to_string(),
        ],
        rows: dots
            .iter()
            .map(|d| {
                let verdict = match (d.over, d.under) {
                    (true, _) => w.over,
                    (_, true) => w.under,
                    _ => "",
                };
                vec![
                    d.label.clone(),
                    format::score(d.confidence),
                    format::score(d.score),
                    verdict.to_string(),
                ]
            })
            .collect(),
        summary,
        notes: Vec::new(),
        figure: String::new(),
    }
}

/// One drawing at `size`: the band, the dots, the axes 0 to 1 with their names
/// (confidence under the x axis, score above the y axis).
fn draw_calibration(size: Size, dots: &[Dot], w: &Words<'_>) -> Drawn {
    let px = size.font;
    let steps: Vec<(f64, String)> = (0..=5)
        .map(|i| (f64::from(i) / 5.0, format!("{:.1}", f64::from(i) / 5.0)))
        .collect();
    let ticks = Ticks {
        x: steps.clone(),
        y: steps,
    };
    draw(size.width, size.height, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_top((px * 1.6) as u32 + 6)
            .margin_right(14)
            .x_label_area_size((px * 3.2) as u32)
            .y_label_area_size(axes::label_width(&ticks.y, px))
            .build_cartesian_2d(-0.02..1.02, -0.02..1.02)
            .map_err(e)?;
        let mut layout = Layout::new(size.width, size.height);
        axes::axes(&root, chart.plotting_area(), &mut layout, px, &ticks)?;
        draw_band(&mut chart)?;
        draw_dots(&mut chart, dots)?;
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let (x0, x1, y0, y1) = (
            f64::from(xs.start),
            f64::from(xs.end),
            f64::from(ys.start),
            f64::from(ys.end),
        );
        let below = Spot::new(((x0 + x1) / 2.0, y1 + px * 1.6), HPos::Center, VPos::Top);
        place(&root, &mut layout, w.confidence, px, &[below])?;
        let above = Spot::new((x0 - 4.0, y0 - 6.0), HPos::Left, VPos::Bottom);
        place(&root, &mut layout, &format!("↑ {}", w.score), px, &[above])?;
        root.present().map_err(e)?;
        Ok(())
    })
}

/// The diagonal (score as confident as the team was) and the margin around it, faint.
fn draw_band(chart: &mut Plot<'_, '_>) -> Result<(), DrawError> {
    chart
        .draw_series(std::iter::once(Polygon::new(
            vec![
                (0.0, 0.0),
                (0.0, MARGIN),
                (1.0 - MARGIN, 1.0),
                (1.0, 1.0),
                (1.0, 1.0 - MARGIN),
                (MARGIN, 0.0),
            ],
            GREY.mix(0.12).filled(),
        )))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], GREY.stroke_width(1)))
        .map_err(e)?;
    Ok(())
}

fn draw_dots(chart: &mut Plot<'_, '_>, dots: &[Dot]) -> Result<(), DrawError> {
    for d in dots {
        let p = (d.confidence.clamp(0.0, 1.0), d.score.clamp(0.0, 1.0));
        match (d.over, d.under) {
            (true, _) => chart.draw_series(std::iter::once(Cross::new(p, 5, VERMILLION.stroke_width(3)))),
            (_, true) => chart.draw_series(std::iter::once(TriangleMarker::new(p, 6, ORANGE.filled()))),
            _ => chart.draw_series(std::iter::once(Circle::new(p, 4, BLUE.filled()))),
        }
        .map_err(e)?;
    }
    Ok(())
}
