//! The KR trend chart of a team review.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Ticks};
use super::labels::{Layout, Rect, Spot};
use super::{
    Area, BLUE, Chart, DataPath, DrawError, Drawn, GREY, Labels, ORANGE, PURPLE, PixelPath, Pixels, Root, Sink, Size,
    VERMILLION, dashed, day, draw, e, pixel, place, plot_area, value_range, write_escaped, write_narrow,
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

const WIDE: Size = Size::wide(460, 250, 12.0);
const NARROW: Size = Size::narrow(310, 230, 12.0);

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
    kr_drawing(input, labels).into_chart(input.id)
}

/// A KR chart drawn but not yet given its id: a team-quarter's sheet shows it on the
/// review page and in the booklet, under different ids, from one drawing.
pub struct KrDrawing {
    wide: Drawn,
    narrow: Drawn,
    /// The title and the summary escaped, once for every page that shows the chart.
    title: String,
    summary: String,
    /// The chart but its SVGs ([`KrDrawing::chart`] writes them).
    rest: Chart,
}

impl KrDrawing {
    /// The chart, its SVGs' element ids starting with `id` (unique on the page).
    pub fn chart(&self, id: &str) -> Chart {
        let (svg, narrow) = self.svgs(id);
        Chart {
            svg,
            narrow,
            ..self.rest.clone()
        }
    }

    /// [`KrDrawing::chart`] of a drawing shown once, its table moved rather than copied.
    pub fn into_chart(self, id: &str) -> Chart {
        let (svg, narrow) = self.svgs(id);
        Chart {
            svg,
            narrow,
            ..self.rest
        }
    }

    /// The wide and the narrow SVG, their element ids starting with `id`.
    fn svgs(&self, id: &str) -> (String, String) {
        let mut narrow = String::with_capacity(self.narrow.body.len() + 400);
        write_narrow(&self.narrow, id, CLASS, &mut narrow);
        (self.wide_svg(id), narrow)
    }

    /// The wide SVG, with the title and description that label both drawings.
    fn wide_svg(&self, id: &str) -> String {
        let mut svg = String::with_capacity(self.wide.body.len() + self.title.len() + self.summary.len() + 420);
        write_escaped(&self.wide, id, WIDE_CLASS, (&self.title, &self.summary), &mut svg);
        svg
    }

    /// [`KrDrawing::chart`] as a booklet shows it: its narrow drawing alone, which
    /// then carries its own title and description ([`KrDrawing::write_narrow_alone`]).
    pub fn booklet_chart(&self, id: &str) -> Chart {
        let mut narrow = String::with_capacity(self.narrow.body.len() + self.title.len() + self.summary.len() + 420);
        self.write_narrow_alone(id, &mut narrow);
        Chart {
            svg: self.wide_svg(id),
            narrow,
            ..self.rest.clone()
        }
    }

    /// Appends the narrow SVG for a page that shows it without the wide one (a
    /// booklet): labelled by a title and description of its own, since the wide
    /// drawing's, which labels it elsewhere, is not on the page. Their ids end in
    /// `-n-t` and `-n-d`, so a template printing both drawings still has unique ids.
    pub fn write_narrow_alone(&self, id: &str, out: &mut impl Sink) {
        let id = format!("{id}-n");
        write_escaped(&self.narrow, &id, NARROW_CLASS, (&self.title, &self.summary), out);
    }

    /// The chart with `svg` and `narrow` standing for its SVGs ([`KrDrawing::write_svg`]).
    pub fn chart_standing_in(&self, svg: String, narrow: String) -> Chart {
        Chart {
            svg,
            narrow,
            ..self.rest.clone()
        }
    }

    /// The chart without its SVGs: its summary, notes and data table.
    pub fn without_svgs(&self) -> &Chart {
        &self.rest
    }

    /// Appends the chart's wide SVG (`narrow` false) or its narrow one, as
    /// [`KrDrawing::chart`] writes them with ids starting with `id`.
    pub fn write_svg(&self, id: &str, narrow: bool, out: &mut Vec<u8>) {
        match narrow {
            false => write_escaped(&self.wide, id, WIDE_CLASS, (&self.title, &self.summary), out),
            true => write_narrow(&self.narrow, id, CLASS, out),
        }
    }
}

/// The class of a KR chart's SVGs ([`super::finish_pair`] adds the drawing's).
const CLASS: &str = "kr-chart";
const WIDE_CLASS: &str = "kr-chart chart-wide";
const NARROW_CLASS: &str = "kr-chart chart-narrow";

/// What both drawings of a KR chart draw, worked out once for the two.
struct Shared<'a> {
    xy: Vec<(f64, f64)>,
    /// The context points before and after the quarter.
    before: Vec<(f64, f64)>,
    after: Vec<(f64, f64)>,
    f: Frame,
    texts: LabelTexts<'a>,
}

/// The labels' texts, which do not depend on the drawing's size.
struct LabelTexts<'a> {
    /// Each note's point and number.
    notes: Vec<(f64, f64, String)>,
    target: Option<String>,
    /// The projection's label, and the longer one with its score.
    projected: Option<(String, Option<String>)>,
    baseline: Option<String>,
    no_data: &'a str,
}

/// [`kr_chart`] but its ids: the drawing does not depend on `input.id`.
pub fn kr_drawing(input: &KrChartInput<'_>, labels: &Labels) -> KrDrawing {
    let trend = input.trend;
    let xy: Vec<(f64, f64)> = trend.inside.iter().map(|p| (p.0, p.1)).collect();
    let f = frame(input, &xy);
    let context = &trend.context;
    let shared = Shared {
        before: context.iter().copied().filter(|p| p.0 < f.x0).collect(),
        after: context.iter().copied().filter(|p| p.0 > f.x1).collect(),
        texts: label_texts(input, labels),
        xy,
        f,
    };
    let wide = draw_kr(input, labels, &shared, WIDE);
    let narrow = draw_kr(input, labels, &shared, NARROW);
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
    KrDrawing {
        wide,
        narrow,
        title: super::esc(input.title),
        summary: super::esc(&summary),
        rest: Chart {
            svg: String::new(),
            narrow: String::new(),
            summary,
            columns: vec![labels.date.clone(), labels.value.clone(), labels.note.clone()],
            rows,
            notes: trend.inside.iter().filter_map(|p| p.2.map(str::to_string)).collect(),
            figure: String::new(),
        },
    }
}

/// The texts of the note numbers and of the target, projection and baseline labels.
fn label_texts<'a>(input: &KrChartInput<'_>, labels: &'a Labels) -> LabelTexts<'a> {
    let trend = input.trend;
    let notes = (trend.inside.iter().filter(|p| p.2.is_some()).enumerate())
        .map(|(i, p)| (p.0, p.1, (i + 1).to_string()))
        .collect();
    // The baseline, target and projected end side by side, compact in one step.
    let projected = trend.projected.filter(|_| !trend.inside.is_empty());
    let shown: Vec<f64> = [input.baseline, input.target, projected]
        .into_iter()
        .flatten()
        .collect();
    let mut texts = labels.fmt.compact_together(&shown, input.unit).into_iter();
    let baseline_text = input.baseline.and_then(|_| texts.next());
    let target_text = input.target.and_then(|_| texts.next());
    let projected_text = projected.and_then(|_| texts.next());
    LabelTexts {
        notes,
        target: target_text.map(|text| format!("{} {text}", labels.target)),
        projected: projected_text.map(|approx| {
            let short = format!("{} {approx}", labels.projection);
            let long = (trend.projected_score).map(|s| format!("{short} ({} {})", labels.score, format::score(s)));
            (short, long)
        }),
        baseline: baseline_text.map(|text| format!("{} {text}", labels.baseline)),
        no_data: &labels.no_data,
    }
}

/// One drawing of the KR chart at `size`: the marks first, then the labels, placed
/// by importance (axes, note numbers, target, projection, baseline) where they
/// overlap nothing; a label with no free place is left out.
fn draw_kr(input: &KrChartInput<'_>, labels: &Labels, shared: &Shared<'_>, size: Size) -> Drawn {
    let (px, f, xy) = (size.font, &shared.f, &shared.xy[..]);
    let fmt = &labels.fmt;
    let y_ticks = axes::value_axis(fmt, f.lo, f.hi, if size.narrow { 4 } else { 5 }, input.unit);
    draw(size.width, size.height, |root| {
        let label_areas = ((px * 1.6) as u32 as i32, axes::label_width(&y_ticks, px) as i32);
        let area = &plot_area(&root, [10, 10, 10, 12], label_areas, f.left..f.right, f.lo..f.hi);
        let max_x = if size.narrow { 4 } else { 6 };
        let fits = |x: f64, text: &str| axes::fits_under(area, size.width, px, x, text);
        let ticks = Ticks {
            x: axes::date_axis(fmt, f.left, f.right, max_x, &fits),
            y: y_ticks,
        };
        let mut layout = Layout::new(size.width, size.height);
        draw_background(area, input, f)?;
        axes::axes(&root, area, &mut layout, px, &ticks)?;
        draw_reference_lines(area, input, f)?;
        draw_context(&root, area, shared)?;
        draw_projection(area, input, xy, f)?;
        let actuals = Pixels::of(area, xy);
        draw_actuals(&root, &actuals)?;
        draw_checkins(area, input, f)?;
        let at = |p: (f64, f64)| pixel(area, p);
        let mut line: Vec<(f64, f64)> = Vec::with_capacity(xy.len() + 1);
        line.extend(actuals.mapped.iter().map(|p| (f64::from(p.0), f64::from(p.1))));
        for p in &line {
            layout.block(Rect::around(*p, 4.0));
        }
        if let (Some(p), Some(_)) = (input.trend.projected, xy.last()) {
            line.push(at((f.x1, p)));
        }
        layout.line(&line);
        if let (Some(b), Some(t)) = (input.baseline, input.target) {
            layout.line(&[at((f.x0, b)), at((f.x1, t))]);
        }
        draw_labels(&root, area, &mut layout, input, (&shared.texts, f), px)?;
        root.present().map_err(e)?;
        Ok(())
    })
}

/// The note numbers, the target, projection and baseline labels, and "no data".
fn draw_labels(
    root: &Root<'_>,
    area: &Area<'_>,
    layout: &mut Layout,
    input: &KrChartInput<'_>,
    (texts, f): (&LabelTexts<'_>, &Frame),
    px: f64,
) -> Result<(), DrawError> {
    let at = |p: (f64, f64)| pixel(area, p);
    let (plot_x, _) = area.get_pixel_range();
    let (left, right) = (f64::from(plot_x.start) + 4.0, f64::from(plot_x.end) - 4.0);
    for (x, y, number) in &texts.notes {
        place(root, layout, number, px, &Spot::around(at((*x, *y)), 6.0))?;
    }
    // A line's label: above or below the line, at its start or at its end.
    let along = |y: f64, from: f64, to: f64| {
        [
            Spot::new((from, y - 2.0), HPos::Left, VPos::Bottom),
            Spot::new((from, y + 3.0), HPos::Left, VPos::Top),
            Spot::new((to, y - 2.0), HPos::Right, VPos::Bottom),
            Spot::new((to, y + 3.0), HPos::Right, VPos::Top),
        ]
    };
    if let (Some(t), Some(text)) = (input.target, &texts.target) {
        let y = at((f.x0, t)).1;
        place(root, layout, text, px, &along(y, left, right))?;
    }
    let projected = input.trend.projected.filter(|_| !input.trend.inside.is_empty());
    if let (Some(p), Some((short, long))) = (projected, &texts.projected) {
        let end = at((f.x1, p));
        let spots = [
            Spot::new((end.0 - 4.0, end.1 + 5.0), HPos::Right, VPos::Top),
            Spot::new((end.0 - 4.0, end.1 - 5.0), HPos::Right, VPos::Bottom),
        ];
        let drawn = match long {
            Some(long) => place(root, layout, long, px, &spots)?,
            None => false,
        };
        if !drawn {
            place(root, layout, short, px, &spots)?;
        }
    }
    if let (Some(b), Some(text)) = (input.baseline, &texts.baseline) {
        let y = at((f.x0, b)).1;
        let (from, to) = (at((f.x0, b)).0 + 2.0, at((f.x1, b)).0 - 2.0);
        place(root, layout, text, px, &along(y, from, to))?;
    }
    if input.trend.inside.is_empty() {
        let mid = at(((f.x0 + f.x1) / 2.0, (f.lo + f.hi) / 2.0));
        place(
            root,
            layout,
            texts.no_data,
            px * 1.25,
            &[Spot::new(mid, HPos::Center, VPos::Center)],
        )?;
    }
    Ok(())
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
fn draw_background(area: &Area<'_>, input: &KrChartInput<'_>, f: &Frame) -> Result<(), DrawError> {
    if let Some(th) = input.thresholds {
        super::threshold_bands(area, th, (f.left, f.right), (f.lo, f.hi), false)?;
    }
    if !input.trend.context.is_empty() {
        area.draw(&Rectangle::new([(f.x0, f.lo), (f.x1, f.hi)], GREY.mix(0.06).filled()))
            .map_err(e)?;
    }
    Ok(())
}

/// The baseline, the target and the expected pace from one to the other (their
/// labels are placed with the others, [`draw_labels`]).
fn draw_reference_lines(area: &Area<'_>, input: &KrChartInput<'_>, f: &Frame) -> Result<(), DrawError> {
    if let Some(b) = input.baseline {
        DataPath::new(&[(f.x0, b), (f.x1, b)], GREY.stroke_width(1)).draw_on(area)?;
    }
    if let Some(t) = input.target {
        DataPath::new(&[(f.left, t), (f.right, t)], dashed(ORANGE, "8 5").stroke_width(2)).draw_on(area)?;
    }
    if let (Some(b), Some(t)) = (input.baseline, input.target) {
        // The expected pace: from the baseline at the start to the target at the end.
        DataPath::new(&[(f.x0, b), (f.x1, t)], dashed(GREY, "2 4").stroke_width(2)).draw_on(area)?;
    }
    Ok(())
}

/// Points before and after the quarter, faint.
fn draw_context(root: &Root<'_>, area: &Area<'_>, shared: &Shared<'_>) -> Result<(), DrawError> {
    if shared.before.is_empty() && shared.after.is_empty() {
        return Ok(());
    }
    for part in [&shared.before, &shared.after] {
        let part = Pixels::of(area, part).drawn;
        PixelPath::new(&part, BLUE.mix(0.35).stroke_width(2)).draw_on(root)?;
        super::dots_at(root, &part, BLUE, 3, 0.35)?;
    }
    Ok(())
}

/// From the last point to the projected end value (labelled in [`draw_labels`]).
fn draw_projection(area: &Area<'_>, input: &KrChartInput<'_>, xy: &[(f64, f64)], f: &Frame) -> Result<(), DrawError> {
    let (Some(p), Some(last)) = (input.trend.projected, xy.last()) else {
        return Ok(());
    };
    DataPath::new(&[*last, (f.x1, p)], dashed(PURPLE, "10 3").stroke_width(2)).draw_on(area)
}

/// The values themselves.
fn draw_actuals(root: &Root<'_>, actuals: &Pixels) -> Result<(), DrawError> {
    PixelPath::new(&actuals.drawn, BLUE.stroke_width(3)).draw_on(root)?;
    super::dots_at(root, &actuals.drawn, BLUE, 4, 1.0)
}

/// Check-ins along the bottom, whose shape carries the colour's meaning.
fn draw_checkins(area: &Area<'_>, input: &KrChartInput<'_>, f: &Frame) -> Result<(), DrawError> {
    let y_mark = f.lo + (f.hi - f.lo) * 0.04;
    for c in input
        .checkins
        .iter()
        .filter(|c| c.date >= input.start && c.date <= input.end)
    {
        let x = day(c.date);
        match c.status {
            Light::Green => area.draw(&Circle::new((x, y_mark), 5, super::GREEN.filled())),
            Light::Yellow => area.draw(&TriangleMarker::new((x, y_mark), 6, ORANGE.filled())),
            Light::Red => area.draw(&Cross::new((x, y_mark), 5, VERMILLION.stroke_width(3))),
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
