//! Marks drawn from borrowed points: lines and dot series as plotters draws them, without
//! the copies and boxes of its series types (a chart draws several; a build, tens of
//! thousands of charts).

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters_backend::{BackendCoord, DrawingBackend, DrawingErrorKind};

use super::{Area, DOTS, DrawError, Root, e};

/// Filled dots of `radius` px in `color` (faded by `opacity`) at `points`, as one path.
pub fn dots(
    area: &Area<'_>,
    points: &[(f64, f64)],
    color: RGBColor,
    radius: u32,
    opacity: f64,
) -> Result<(), DrawError> {
    let Some(stand_in) = DOTS.iter().find(|d| d.1 == color && d.2 == radius).map(|d| d.0) else {
        for p in points {
            area.draw(&Circle::new(*p, radius, color.mix(opacity).filled()))
                .map_err(e)?;
        }
        return Ok(());
    };
    DataPath::new(points, stand_in.mix(opacity)).draw_on(area)
}

/// [`dots`] at points already in pixels, drawn on the chart's root (whose
/// coordinates are pixels).
pub fn dots_at(
    root: &Root<'_>,
    pixels: &[BackendCoord],
    color: RGBColor,
    radius: u32,
    opacity: f64,
) -> Result<(), DrawError> {
    let Some(stand_in) = DOTS.iter().find(|d| d.1 == color && d.2 == radius).map(|d| d.0) else {
        for p in pixels {
            root.draw(&Circle::new(*p, radius, color.mix(opacity).filled()))
                .map_err(e)?;
        }
        return Ok(());
    };
    PixelPath::new(pixels, stand_in.mix(opacity)).draw_on(root)
}

/// Data points mapped to pixels once, for a series drawn as a line and as dots that
/// labels keep clear of (plotters maps a point each time it draws it).
pub struct Pixels {
    /// Where the plotting area maps the points (for the label layout).
    pub mapped: Vec<BackendCoord>,
    /// The same kept inside the plotting area, as plotters draws them there.
    pub drawn: Vec<BackendCoord>,
}

impl Pixels {
    pub fn of(area: &Area<'_>, points: &[(f64, f64)]) -> Pixels {
        let (xs, ys) = area.get_pixel_range();
        let mapped: Vec<BackendCoord> = points.iter().map(|p| area.map_coordinate(p)).collect();
        // As `Rect::truncate` keeps an element's points inside its drawing area.
        let drawn = (mapped.iter())
            .map(|p| (p.0.min(xs.end).max(xs.start), p.1.min(ys.end).max(ys.start)))
            .collect();
        Pixels { mapped, drawn }
    }
}

/// A polyline through borrowed points, drawn as plotters' `LineSeries` draws it (one
/// `PathElement`, nothing when there are no points): a `LineSeries` copies the points
/// into a `Vec` and boxes its element, twice per chart line. `C` is the points'
/// coordinates: data ([`DataPath`], drawn on the plotting area) or pixels
/// ([`PixelPath`], drawn on the root).
pub struct BorrowedPath<'p, C> {
    points: &'p [C],
    style: ShapeStyle,
}

/// A line through data points.
pub type DataPath<'p> = BorrowedPath<'p, (f64, f64)>;
/// A line through points already in pixels ([`Pixels::drawn`], axes and grid lines).
pub type PixelPath<'p> = BorrowedPath<'p, BackendCoord>;

impl<'p, C> BorrowedPath<'p, C> {
    pub fn new(points: &'p [C], style: impl Into<ShapeStyle>) -> BorrowedPath<'p, C> {
        BorrowedPath {
            points,
            style: style.into(),
        }
    }
}

impl DataPath<'_> {
    /// Draws the line on `area` (straight on the plotting area: `ChartContext::draw_series`
    /// would also keep a legend entry per call, which charts never show).
    pub fn draw_on(&self, area: &Area<'_>) -> Result<(), DrawError> {
        if self.points.is_empty() {
            return Ok(());
        }
        area.draw(self).map_err(e)
    }
}

impl PixelPath<'_> {
    /// Draws the line on `root`.
    pub fn draw_on(&self, root: &Root<'_>) -> Result<(), DrawError> {
        if self.points.is_empty() {
            return Ok(());
        }
        root.draw(self).map_err(e)
    }
}

impl<'a, C> PointCollection<'a, C> for &'a BorrowedPath<'_, C> {
    type Point = &'a C;
    type IntoIter = std::slice::Iter<'a, C>;
    fn point_iter(self) -> Self::IntoIter {
        self.points.iter()
    }
}

impl<DB: DrawingBackend, C> Drawable<DB> for BorrowedPath<'_, C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        backend.draw_path(points, &self.style)
    }
}
