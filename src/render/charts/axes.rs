//! Axes: calendar-aligned date ticks or nice value ticks ([`super::ticks`]), a light
//! grid at them, and their texts in the site's language, placed with the chart's
//! label layout so none overlaps another or leaves the chart.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::labels::{self, Layout, Spot};
use super::{Area, DrawError, GRID, INK, PixelPath, Root, place, ticks};
use crate::model::Unit;
use crate::render::format::Formatter;

/// Ticks of both axes, each with its text.
pub struct Ticks {
    pub x: Vec<(f64, String)>,
    pub y: Vec<(f64, String)>,
}

/// Date ticks along x, at most `max`, written in the site's language. `fits` says
/// whether a tick's text fits the chart there (a tick at the very end of the axis
/// may not): the ticks kept are the ones whose text fits, and the year is written
/// only when those cross a year ([`ticks::mark_years`]), so an axis that
/// shows October to December does not write 2025年10月 for a January it cannot show.
pub fn date_axis(
    fmt: &Formatter,
    left: f64,
    right: f64,
    max: usize,
    fits: &dyn Fn(f64, &str) -> bool,
) -> Vec<(f64, String)> {
    let mut kept = ticks::date_ticks(left, right, max);
    // Dropping a tick may take the year off the others, so their texts narrow: check
    // again until every text kept fits. Each round writes the texts once, and the last
    // round's are the axis's.
    loop {
        ticks::mark_years(&mut kept);
        let texts: Vec<(f64, String)> = (kept.iter())
            .map(|(x, d, kind)| (*x, fmt.axis_date(*d, *kind)))
            .collect();
        let fitting: Vec<bool> = texts.iter().map(|(x, text)| fits(*x, text)).collect();
        if fitting.iter().all(|f| *f) {
            return texts;
        }
        let mut fit = fitting.into_iter();
        kept.retain(|_| fit.next().unwrap_or(false));
    }
}

/// Whether `text` centred under `x` (data units) stays inside a chart `width` px wide.
pub fn fits_under(area: &Area<'_>, width: u32, px: f64, x: f64, text: &str) -> bool {
    let (xs, _) = area.get_pixel_range();
    let at = f64::from(area.map_coordinate(&(x, 0.0)).0);
    let half = labels::text_width(text, px) / 2.0;
    at >= f64::from(xs.start) && at <= f64::from(xs.end - 1) && at - half >= 0.0 && at + half <= f64::from(width)
}

/// Value ticks up y, at most `max`, written with one scale for the whole axis
/// ([`Formatter::axis_labels`]).
pub fn value_axis(fmt: &Formatter, lo: f64, hi: f64, max: usize, unit: Option<&Unit>) -> Vec<(f64, String)> {
    let (ticks, _) = ticks::value_ticks(lo, hi, max);
    let texts = fmt.axis_labels(&ticks, unit);
    ticks.into_iter().zip(texts).collect()
}

/// The width the y-axis labels need (the widest text and a gap).
pub fn label_width(texts: &[(f64, String)], px: f64) -> u32 {
    let w = texts.iter().map(|t| labels::text_width(&t.1, px)).fold(0.0, f64::max);
    (w + 10.0).ceil() as u32
}

/// The frame, a light grid at the ticks and the ticks' texts (x below the plot, y
/// left of it), placed with `layout` so a text that would overlap another or leave
/// the chart is left out. The texts are placed in the order of the ticks, y first.
pub fn axes(root: &Root<'_>, area: &Area<'_>, layout: &mut Layout, px: f64, ticks: &Ticks) -> Result<(), DrawError> {
    let (xs, ys) = area.get_pixel_range();
    let (x0, x1, y0, y1) = (xs.start, xs.end - 1, ys.start, ys.end - 1);
    let y_ticks: Vec<(i32, &str)> = (ticks.y.iter())
        .map(|(y, text)| (area.map_coordinate(&(0.0, *y)).1, text.as_str()))
        .filter(|&(py, _)| (y0..=y1).contains(&py))
        .collect();
    let x_ticks: Vec<(i32, &str)> = (ticks.x.iter())
        .map(|(x, text)| (area.map_coordinate(&(*x, 0.0)).0, text.as_str()))
        .filter(|&(px_x, _)| (x0..=x1).contains(&px_x))
        .collect();
    // The grid first, as one path (GRID), then the texts over it.
    let horizontal = y_ticks.iter().flat_map(|&(py, _)| [(x0, py), (x1, py)]);
    let vertical = x_ticks.iter().flat_map(|&(px_x, _)| [(px_x, y0), (px_x, y1)]);
    let grid: Vec<(i32, i32)> = horizontal.chain(vertical).collect();
    PixelPath::new(&grid, GRID.mix(0.12)).draw_on(root)?;
    for &(py, text) in &y_ticks {
        let spot = Spot::new((f64::from(x0) - 5.0, f64::from(py)), HPos::Right, VPos::Center);
        place(root, layout, text, px, &[spot])?;
    }
    for &(px_x, text) in &x_ticks {
        let spot = Spot::new((f64::from(px_x), f64::from(y1) + 5.0), HPos::Center, VPos::Top);
        place(root, layout, text, px, &[spot])?;
    }
    let axis = INK.mix(0.6);
    PixelPath::new(&[(x0, y0), (x0, y1), (x1, y1)], axis).draw_on(root)
}
