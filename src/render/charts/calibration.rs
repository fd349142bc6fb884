//! The confidence calibration chart: each KR's mid-quarter confidence (x) against
//! its final score (y), with the diagonal where the two agree and the margin around
//! it ([`crate::insight::calibration::MARGIN`]).

use plotters::prelude::*;

use super::{BLUE, Chart, DrawError, GREY, ORANGE, Plot, VERMILLION, draw, e, finish};
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
    let svg = draw(420, 360, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .margin_right(20)
            .x_label_area_size(40)
            .y_label_area_size(44)
            .build_cartesian_2d(-0.02..1.02, -0.02..1.02)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_desc(w.confidence)
            .y_desc(w.score)
            .x_label_formatter(&|x| format!("{x:.1}"))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .label_style(super::ink_text(12))
            .axis_desc_style(super::ink_text(13))
            .axis_style(super::INK.mix(0.6))
            .bold_line_style(super::INK.mix(0.10))
            .light_line_style(TRANSPARENT)
            .max_light_lines(0)
            .draw()
            .map_err(e)?;
        draw_band(&mut chart)?;
        draw_dots(&mut chart, dots)?;
        root.present().map_err(e)?;
        Ok(())
    });
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
    Chart {
        svg: finish(&svg, id, "calibration-chart", title, &summary),
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
    }
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
