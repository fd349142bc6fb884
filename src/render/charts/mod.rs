//! Charts: pure functions from data to accessible SVG text, drawn with plotters.
//!
//! Every chart is inline SVG that scales to its container (viewBox only), carries
//! `<title>` and `<desc>` saying in words what it shows, and uses `currentColor`
//! for ink so it follows the page's light or dark theme. Series colours come from
//! the Okabe–Ito palette (safe for colour-blind readers), and line style carries
//! meaning on its own: actual values solid, target dashed, expected pace dotted,
//! projection dash-dotted. Text is SVG `<text>` with a CSS font stack, so building
//! needs no font and the output does not depend on the build machine.

pub mod axes;
mod backend;
pub mod calibration;
pub mod classes;
pub mod distribution;
pub mod kr;
pub mod labels;
mod marks;
pub mod metric;
pub mod score;
pub mod ticks;
mod wrap;

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::RGBColor;

use backend::CompactSvg;
use labels::{Layout, Spot};
use plotters::element::{Drawable, PointCollection};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use crate::render::format::Formatter;

pub use crate::insight::series::{MAX_AXIS, day, plot_value};
pub use kr::{KrChartInput, KrDrawing, kr_chart, kr_drawing};
pub use marks::{DataPath, PixelPath, Pixels, dots, dots_at};
pub use metric::{MetricChartInput, metric_charts};
pub use score::{
    Bar, OutlookAt, bars_chart, bars_chart_outlook, score_history_chart, score_history_chart_outlook, sparkline,
    sparkline_outlook,
};
pub use wrap::{Sink, esc, finish, finish_pair, write_escaped, write_finished, write_narrow};

/// A rendered chart: the SVG and its data as table rows, for a `<details>` below it.
///
/// A chart is drawn twice: `svg` for a wide place and `narrow` for a phone, each with
/// its text at least 11 CSS px where it is shown (the stylesheet shows one of the two
/// by the width of the chart's figure, a container query; see [`Size`]).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Chart {
    pub svg: String,
    /// The narrow drawing (labelled by `svg`'s title and description).
    pub narrow: String,
    /// What the chart shows, in one sentence (also the SVG's `<desc>`).
    pub summary: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Numbered annotations shown on the chart, listed in words below it.
    pub notes: Vec<String>,
    /// The whole `<figure>` the theme's `chart.html` prints for the chart, when
    /// okrsite writes it itself (then every other field is empty); empty otherwise
    /// ([`crate::render::pages`]' `figure` module).
    pub figure: String,
}

/// Words charts need, in the site's language.
#[derive(Debug, Clone)]
pub struct Labels {
    pub baseline: String,
    pub target: String,
    pub current: String,
    pub score: String,
    pub pace: String,
    pub projection: String,
    pub no_data: String,
    pub date: String,
    pub value: String,
    pub note: String,
    pub cumulative: String,
    pub period_value: String,
    pub quarter: String,
    pub checkin: String,
    /// Heading of the label column of bar charts.
    pub item: String,
    /// The site's language: dates in tables and notes are written as the pages write
    /// them ([`crate::render::format::date`]).
    pub language: crate::config::Language,
    /// Dates and numbers in the site's language.
    pub fmt: Formatter,
}

/// The size a chart is drawn at and its text size, in SVG px. A figure narrower than
/// [`NARROW_BELOW`] CSS px shows the narrow drawing, a wider one the wide drawing, so
/// text of `font` px is shown at `font × shown width / width` ≥ 11 CSS px: the wide
/// drawings have `font ≥ 11 × width / NARROW_BELOW`, the narrow ones are at most
/// `font / 11 × 294` wide (the narrowest chart place on a 375 px phone, a KR's chart
/// in its card, is 294 px).
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub width: u32,
    pub height: u32,
    pub font: f64,
    pub narrow: bool,
}

/// The figure width (CSS px) below which the narrow drawing is shown.
pub const NARROW_BELOW: u32 = 480;

impl Size {
    pub const fn wide(width: u32, height: u32, font: f64) -> Size {
        Size {
            width,
            height,
            font,
            narrow: false,
        }
    }

    pub const fn narrow(width: u32, height: u32, font: f64) -> Size {
        Size {
            width,
            height,
            font,
            narrow: true,
        }
    }
}

/// Chart text in ink at `px` SVG px (plotters' font unit is 1.24 × the CSS size).
pub fn text_style(px: f64) -> TextStyle<'static> {
    (FONT, px * 1.24).into_font().color(&INK)
}

/// The drawing area of a whole chart, in SVG px.
pub type Root<'a> = DrawingArea<CompactSvg<'a>, plotters::coord::Shift>;

/// Draws `text` at `spot` in ink at `px` (as [`put_styled`] with [`text_style`] draws
/// it, straight into the SVG: charts draw thousands of labels).
pub fn put(root: &Root<'_>, text: &str, spot: Spot, px: f64) -> Result<(), DrawError> {
    root.draw(&Label {
        text,
        at: (spot.x.round() as i32, spot.y.round() as i32),
        anchor: Pos::new(spot.h, spot.v),
        size: px * 1.24,
    })
    .map_err(e)
}

/// A text in ink, drawn by [`CompactSvg::text`] without a plotters font.
struct Label<'t> {
    text: &'t str,
    at: BackendCoord,
    anchor: Pos,
    /// plotters' font size (1.24 × the CSS size).
    size: f64,
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Label<'_> {
    type Point = &'a BackendCoord;
    type IntoIter = std::iter::Once<&'a BackendCoord>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<'b> Drawable<CompactSvg<'b>> for Label<'_> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut CompactSvg<'b>,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<std::fmt::Error>> {
        if let Some(at) = points.next() {
            backend.text(self.text, at, self.anchor, &backend::TextLook::ink(self.size));
        }
        Ok(())
    }
}

/// Draws `text` at `spot` in `style` (its position is the spot's).
pub fn put_styled(root: &Root<'_>, text: &str, spot: Spot, style: TextStyle<'_>) -> Result<(), DrawError> {
    root.draw(&Text::new(
        text.to_string(),
        (spot.x.round() as i32, spot.y.round() as i32),
        style.pos(Pos::new(spot.h, spot.v)),
    ))
    .map_err(e)
}

/// Places `text` with `layout` at the first free of `spots` and draws it; a label
/// with no free place is left out. Returns whether it was drawn.
pub fn place(root: &Root<'_>, layout: &mut Layout, text: &str, px: f64, spots: &[Spot]) -> Result<bool, DrawError> {
    // Spots on whole pixels, as the SVG writes them (so the layout's boxes are the SVG's);
    // on the stack for the usual few.
    let snap = |s: &Spot| Spot::new((s.x.round(), s.y.round()), s.h, s.v);
    let mut few = [Spot::new((0.0, 0.0), HPos::Left, VPos::Top); 4];
    let placed = if spots.len() <= few.len() {
        for (to, from) in few.iter_mut().zip(spots) {
            *to = snap(from);
        }
        layout.place(text, px, &few[..spots.len()])
    } else {
        layout.place(text, px, &spots.iter().map(snap).collect::<Vec<_>>())
    };
    match placed {
        Some(spot) => put(root, text, spot, px).map(|()| true),
        None => Ok(false),
    }
}

pub const FONT: &str = "system-ui, -apple-system, Segoe UI, Hiragino Sans, Hiragino Kaku Gothic ProN, Noto Sans JP, Noto Sans CJK JP, Yu Gothic UI, Meiryo, sans-serif";

/// Ink: replaced by `currentColor` after drawing, so text and axes follow the theme.
pub const INK: RGBColor = RGBColor(1, 2, 3);
/// Grid lines: a chart's grid is drawn as one path in this stand-in for [`INK`], its
/// points taken two by two as separate segments, which the chart backend writes as one
/// `<path>` (`M43 168H447M43 91H447…`) where one `<polyline>` a line cost 70 bytes.
pub const GRID: RGBColor = RGBColor(1, 2, 4);
/// Okabe–Ito palette.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub const GREY: RGBColor = RGBColor(128, 128, 128);

/// Dashed lines. plotters draws a dashed series as one element per dash (dozens per
/// line, most of a chart's bytes), so a dashed line is drawn as one solid line in a
/// stand-in colour that the chart backend turns into the real colour plus `stroke-dasharray`.
/// Each entry: stand-in, real colour, dash pattern.
const DASHES: [(RGBColor, RGBColor, &str); 7] = [
    (RGBColor(230, 159, 1), ORANGE, "8 5"),
    (RGBColor(128, 128, 129), GREY, "2 4"),
    (RGBColor(204, 121, 168), PURPLE, "10 3"),
    (RGBColor(213, 94, 1), VERMILLION, "6 4"),
    (RGBColor(230, 159, 2), ORANGE, "6 4"),
    (RGBColor(0, 158, 116), GREEN, "6 4"),
    (RGBColor(0, 114, 179), BLUE, "4 3"),
];

/// Dots. A dot drawn as a `<circle>` costs about 60 bytes and a series has dozens, so
/// a series' dots are drawn as one path in a stand-in colour that the chart backend
/// writes as zero-length segments with round caps (`M172 128h0`, 10 bytes a dot), which
/// draw the same filled circles. Each entry: stand-in, real colour, radius.
const DOTS: [(RGBColor, RGBColor, u32); 3] = [
    (RGBColor(0, 114, 180), BLUE, 4),
    (RGBColor(0, 114, 181), BLUE, 3),
    (RGBColor(86, 180, 234), SKY, 3),
];

/// The stand-in colour that draws `color` dashed with `pattern` ("dash gap").
/// A combination missing from [`DASHES`] is drawn solid (a unit test checks every use).
pub fn dashed(color: RGBColor, pattern: &str) -> RGBColor {
    DASHES
        .iter()
        .find(|(_, real, p)| *real == color && *p == pattern)
        .map_or(color, |d| d.0)
}

pub fn date_of(x: f64) -> Date {
    Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(x.round().clamp(-700_000.0, 2_900_000.0) as i64))
        .unwrap_or(Date::constant(1970, 1, 1))
}

/// The smallest axis height relative to the magnitude of its ends. plotters looks for
/// tick marks by shrinking the tick step until enough ticks fit; when the height is
/// lost in the rounding of the ends (1.0 to 1.0 + 2⁻⁵²) the count never grows and the
/// search never ends. A millionth of the magnitude leaves ten digits to spare.
const MIN_RELATIVE_HEIGHT: f64 = 1e-6;

/// A padded value range that always has some height, with finite ends no larger than
/// [`MAX_AXIS`] and a height plotters' tick search can divide (see [`MIN_RELATIVE_HEIGHT`]),
/// whatever the values.
pub fn value_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v.clamp(-MAX_AXIS, MAX_AXIS));
        hi = hi.max(v.clamp(-MAX_AXIS, MAX_AXIS));
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.08
    } else if lo != 0.0 {
        lo.abs() * 0.1
    } else {
        1.0
    };
    let pad = pad.max(lo.abs().max(hi.abs()) * MIN_RELATIVE_HEIGHT);
    (lo - pad, hi + pad)
}

/// A chart body drawn by [`draw`]: the size and the elements inside the `<svg>`.
pub struct Drawn {
    pub width: u32,
    pub height: u32,
    pub body: String,
}

/// Draws a chart's elements; a drawing error (never expected) yields an empty chart
/// rather than a failed build.
pub fn draw(
    width: u32,
    height: u32,
    f: impl FnOnce(DrawingArea<CompactSvg<'_>, plotters::coord::Shift>) -> Result<(), DrawError>,
) -> Drawn {
    thread_local! {
        /// Drawn into, then copied out at its size: a chart body's size is not known
        /// before, and growing a fresh `String` reallocated and copied most bodies.
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let draw_into = |body: &mut String| {
        body.clear();
        let ok = f(CompactSvg::new(body, (width, height)).into_drawing_area()).is_ok();
        if !ok {
            body.clear();
        }
        body.as_str().to_owned()
    };
    let body = SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => draw_into(&mut scratch),
        // A chart drawn while drawing another (never expected).
        Err(_) => draw_into(&mut String::new()),
    });
    Drawn { width, height, body }
}

/// A chart with days (or any number) on x and values on y.
pub type Plot<'a, 'b> = ChartContext<
    'a,
    CompactSvg<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The plotting area that `ChartBuilder` makes on `root` with `margins` (top, bottom,
/// left, right), an x label area `x_label` px high below and a y label area `y_label`
/// px wide on the left, for data ranges `x` and `y`: made directly, as the builder
/// computes it, without its split of the chart into nine areas (a `Vec` and a dozen
/// `Rc` clones) nor the label areas and legend list, which charts never use.
pub fn plot_area<'b>(
    root: &Root<'b>,
    [top, bottom, left, right]: [i32; 4],
    (x_label, y_label): (i32, i32),
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Area<'b> {
    let (w, h) = root.dim_in_pixel();
    let (x0, y0, x1, y1) = (left, top, w as i32 - right, h as i32 - bottom);
    // The builder's breakpoints, sorted: the plotting area is the middle cell.
    let mut xs = [x0, x1, x0 + y_label, x0 + (x1 - x0)];
    let mut ys = [y0, y1, y0, y0 + (y1 - y0) - x_label];
    xs.sort_unstable();
    ys.sort_unstable();
    let (ax0, ax1, ay0, ay1) = (xs[1], xs[2], ys[1], ys[2]);
    let pixels = (ax0..ax1 - 1, ay1 - 1..ay0);
    root.clone()
        .shrink((ax0, ay0), (ax1 - ax0, ay1 - ay0))
        .apply_coord_spec(Cartesian2d::new(x, y, pixels))
}

/// Where data point `p` is drawn on `area`, in SVG px.
pub fn pixel(area: &Area<'_>, p: (f64, f64)) -> (f64, f64) {
    let (x, y) = area.map_coordinate(&p);
    (f64::from(x), f64::from(y))
}

/// The plotting area of a [`Plot`] (`Plot::plotting_area`): what a chart's marks are
/// drawn on, in data coordinates.
pub type Area<'b> = DrawingArea<
    CompactSvg<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The alert bands behind a series: worse than red, worse than yellow (by direction),
/// and optionally the lines themselves, dashed.
pub fn threshold_bands(
    area: &Area<'_>,
    thresholds: (crate::model::Thresholds, crate::model::Direction),
    (left, right): (f64, f64),
    (lo, hi): (f64, f64),
    with_lines: bool,
) -> Result<(), DrawError> {
    let (t, dir) = thresholds;
    for (line, color) in [(t.red, VERMILLION), (t.yellow, ORANGE)] {
        let Some(line) = line else { continue };
        let (a, b) = match dir {
            crate::model::Direction::Increase => (lo, line.clamp(lo, hi)),
            crate::model::Direction::Decrease => (line.clamp(lo, hi), hi),
        };
        if b > a {
            area.draw(&Rectangle::new([(left, a), (right, b)], color.mix(0.10).filled()))
                .map_err(e)?;
        }
        if with_lines {
            DataPath::new(&[(left, line), (right, line)], dashed(color, "6 4").stroke_width(2)).draw_on(area)?;
        }
    }
    Ok(())
}

/// A drawing error of plotters (never expected: the chart is then left empty).
#[derive(Debug)]
pub struct DrawError(
    /// plotters' own description, for debugging.
    #[allow(dead_code, reason = "read through Debug only")]
    String,
);

/// Converts plotters' errors for `?`.
pub fn e<E: std::fmt::Debug>(err: E) -> DrawError {
    DrawError(format!("{err:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dash_style_in_use_has_a_stand_in() {
        for (color, pattern) in [
            (ORANGE, "8 5"),
            (GREY, "2 4"),
            (PURPLE, "10 3"),
            (VERMILLION, "6 4"),
            (ORANGE, "6 4"),
            (GREEN, "6 4"),
            (BLUE, "4 3"),
        ] {
            assert_ne!(dashed(color, pattern), color, "{color:?} {pattern}");
        }
        let drawn = draw(100, 50, |root| {
            let mut chart = ChartBuilder::on(&root)
                .build_cartesian_2d(0.0..10.0, 0.0..10.0)
                .map_err(e)?;
            chart
                .draw_series(LineSeries::new([(0.0, 1.0), (10.0, 1.0)], dashed(GREY, "2 4")))
                .map_err(e)?;
            root.draw(&Text::new("x<", (5, 5), (FONT, 13).into_font().color(&INK)))
                .map_err(e)
        });
        let svg = finish(&drawn, "c", "k", "t", "d");
        assert!(svg.contains("stroke=\"#808080\" stroke-dasharray=\"2 4\""), "{svg}");
        assert!(
            svg.contains(r#"<text x="5" y="5" dy="0.76em" font-size="10.5">x&lt;</text>"#),
            "{svg}"
        );
        assert!(!svg.contains("#010203") && !svg.contains('\n'), "{svg}");
    }

    #[test]
    fn labels_drawn_directly_match_plotters_text() {
        let spots = [
            Spot::new((10.4, 20.6), HPos::Left, VPos::Top),
            Spot::new((100.0, 50.0), HPos::Center, VPos::Center),
            Spot::new((-3.5, 7.5), HPos::Right, VPos::Bottom),
        ];
        for px in [8.0, 10.5, 11.0, 12.0, 13.2, 15.0, 12.0 * 1.25] {
            for (i, spot) in spots.iter().enumerate() {
                let text = ["目標 65%", "a<b & \"c\"", "12"][i];
                let direct = draw(200, 100, |root| put(&root, text, *spot, px));
                let plotters = draw(200, 100, |root| put_styled(&root, text, *spot, text_style(px)));
                assert!(!direct.body.is_empty());
                assert_eq!(direct.body, plotters.body, "{px} {text}");
            }
        }
        let grid = INK.mix(0.12);
        let direct = draw(200, 100, |root| {
            PixelPath::new(&[(1, 2), (3, 4), (5, 6)], grid).draw_on(&root)
        });
        let plotters = draw(200, 100, |root| {
            root.draw(&PathElement::new(vec![(1, 2), (3, 4), (5, 6)], grid))
                .map_err(e)
        });
        assert_eq!(direct.body, plotters.body);
    }

    #[test]
    fn plot_areas_are_the_builders() {
        for (w, h, x_label, y_label) in [
            (460, 250, 19, 40),
            (310, 230, 19, 63),
            (100, 50, 0, 0),
            (120, 80, 70, 500),
        ] {
            draw(w, h, |root| {
                let chart = ChartBuilder::on(&root)
                    .margin(10)
                    .margin_right(12)
                    .x_label_area_size(x_label)
                    .y_label_area_size(y_label)
                    .build_cartesian_2d(-3.0..7.5, 0.25..99.0)
                    .map_err(e)?;
                let built = chart.plotting_area();
                let made = plot_area(&root, [10, 10, 10, 12], (x_label, y_label), -3.0..7.5, 0.25..99.0);
                assert_eq!(
                    built.get_pixel_range(),
                    made.get_pixel_range(),
                    "{w} {h} {x_label} {y_label}"
                );
                for p in [(-3.0, 0.25), (7.5, 99.0), (0.1, 50.0), (-10.0, 1e9)] {
                    assert_eq!(built.map_coordinate(&p), made.map_coordinate(&p), "{p:?}");
                }
                Ok(())
            });
        }
    }

    #[test]
    fn day_numbers_match_jiff() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (1, 1, 1),
            (9999, 12, 31),
            (1969, 12, 31),
            (2026, 3, 1),
        ] {
            let date = Date::new(y, m, d).unwrap();
            let expected = (date - Date::constant(1970, 1, 1)).get_days() as f64;
            assert_eq!(day(date), expected, "{date}");
        }
    }

    /// Draws a metric chart of `values` on another thread; false if it takes over 20 s.
    fn metric_chart_finishes(values: &[f64], aggregate: crate::model::Aggregate) -> bool {
        let values = values.to_vec();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let points: Vec<crate::model::Point> = values
                .iter()
                .enumerate()
                .map(|(i, &value)| crate::model::Point {
                    date: Date::constant(2025, 7, 1 + i as i8),
                    value,
                    note: None,
                })
                .collect();
            let totals = (aggregate == crate::model::Aggregate::Sum)
                .then(|| crate::insight::series::quarter_to_date(&points, &[]));
            let input = MetricChartInput {
                id: "m",
                name: "m",
                unit: None,
                points: &points,
                quarter_to_date: totals.as_deref(),
                thresholds: None,
                quarters: &[],
            };
            let labels = test_labels();
            let _ = tx.send(metric_charts(&input, &labels).len());
        });
        rx.recv_timeout(std::time::Duration::from_secs(20)).is_ok()
    }

    fn test_labels() -> Labels {
        let s = |x: &str| x.to_string();
        Labels {
            baseline: s("b"),
            target: s("t"),
            current: s("c"),
            score: s("s"),
            pace: s("p"),
            projection: s("pr"),
            no_data: s("n"),
            date: s("d"),
            value: s("v"),
            note: s("no"),
            cumulative: s("cu"),
            period_value: s("pv"),
            quarter: s("q"),
            checkin: s("ch"),
            item: s("i"),
            language: crate::config::Language::Ja,
            fmt: Formatter {
                lang: crate::config::Language::En,
                fiscal_year_start_month: 1,
                quarter_name: None,
            },
        }
    }

    #[test]
    fn charts_of_any_finite_values_finish() {
        for values in [
            vec![1.7e308, 1.7e308],
            vec![f64::MAX, -f64::MAX],
            vec![1e300, 1e300 * (1.0 + 4.0 * f64::EPSILON)],
            vec![1.0, 1.0 + f64::EPSILON],
            vec![1e-320, 2e-320],
            vec![-1e16, 1e16],
        ] {
            for aggregate in [crate::model::Aggregate::Last, crate::model::Aggregate::Sum] {
                assert!(metric_chart_finishes(&values, aggregate), "{values:?} {aggregate:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(64))]
        /// Any finite values, huge, tiny or nearly equal: the chart is drawn and ends.
        #[test]
        fn charts_of_arbitrary_finite_values_finish(
            values in proptest::collection::vec(
                proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
                1..5,
            ),
            sum in proptest::bool::ANY,
        ) {
            let aggregate = if sum { crate::model::Aggregate::Sum } else { crate::model::Aggregate::Last };
            proptest::prop_assert!(metric_chart_finishes(&values, aggregate), "{:?}", values);
            let (lo, hi) = value_range(values.iter().copied());
            proptest::prop_assert!(lo.is_finite() && hi.is_finite() && hi > lo);
        }
    }

    #[test]
    fn ranges_are_finite_and_divisible() {
        for values in [[f64::MAX, -f64::MAX], [1.0, 1.0 + f64::EPSILON], [1e300, 1e300]] {
            let (lo, hi) = value_range(values);
            assert!(lo.is_finite() && hi.is_finite() && hi > lo, "{values:?}");
            assert!(hi - lo >= lo.abs().max(hi.abs()) * MIN_RELATIVE_HEIGHT, "{values:?}");
        }
    }

    #[test]
    fn ranges_always_have_height() {
        assert_eq!(value_range([]), (0.0, 1.0));
        let (lo, hi) = value_range([5.0]);
        assert!(lo < 5.0 && hi > 5.0);
        let (lo, hi) = value_range([0.0]);
        assert!(lo < 0.0 && hi > 0.0);
    }
}
