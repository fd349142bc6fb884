//! Score charts: a team's score across quarters, objective score bars with the
//! grade thresholds, and dashboard sparklines.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::labels::{Layout, Rect, Spot};
use super::{
    BLUE, Chart, DrawError, GREEN, INK, Labels, ORANGE, PixelPath, Plot, Size, VERMILLION, draw, e, finish, finish_pair,
};
use crate::config::ScoringThresholds;
use crate::model::{Light, Quarter};
use crate::render::format;

/// A team's score per quarter (`None` where it has no score), on 0..1 with the
/// grade thresholds as dashed lines. The wide drawing names each quarter in full
/// (`2025年度 Q2`); the narrow one has no room for that, so it writes the number under
/// every point (`Q2`) and the year on a second line where it changes (`2025年度`).
pub fn score_history_chart(
    id: &str,
    title: &str,
    points: &[(Quarter, Option<f64>)],
    t: ScoringThresholds,
    labels: &Labels,
) -> Chart {
    score_history_chart_outlook(id, title, points, None, t, labels)
}

/// The running quarter of a score chart: its position among the points and the
/// word that marks its score as an outlook.
pub struct OutlookAt<'a> {
    pub index: usize,
    pub word: &'a str,
}

/// [`score_history_chart`] whose point `outlook.index` is a running quarter's: drawn
/// hollow at the end of a dashed segment, and called an outlook in the summary and table.
pub fn score_history_chart_outlook(
    id: &str,
    title: &str,
    points: &[(Quarter, Option<f64>)],
    outlook: Option<OutlookAt<'_>>,
    t: ScoringThresholds,
    labels: &Labels,
) -> Chart {
    let running = outlook.as_ref().map(|o| o.index);
    let scored = |keep: &dyn Fn(usize) -> bool| -> Vec<(f64, f64)> {
        points
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .filter_map(|(i, (_, s))| s.map(|s| (i as f64, s)))
            .collect()
    };
    let finals = scored(&|i| Some(i) != running);
    let outlook_point = scored(&|i| Some(i) == running).first().copied();
    let history = History {
        points,
        finals: &finals,
        outlook: outlook_point,
        t,
        fmt: &labels.fmt,
    };
    let wide = history.draw(Size::wide(520, 240, 12.0));
    let narrow = history.draw(Size::narrow(320, 220, 12.0));
    let score_text = |i: usize, s: &Option<f64>| match (s, &outlook) {
        (Some(s), Some(o)) if o.index == i => format!("{} ({})", format::score(*s), o.word),
        (Some(s), _) => format::score(*s),
        (None, _) => "—".into(),
    };
    let summary = format!(
        "{title}: {}",
        points
            .iter()
            .enumerate()
            .map(|(i, (q, s))| format!("{} {}", labels.fmt.quarter(*q), score_text(i, s)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (svg, narrow) = finish_pair(&wide, &narrow, id, "score-chart", title, &summary);
    Chart {
        svg,
        narrow,
        columns: vec![labels.quarter.clone(), labels.score.clone()],
        rows: points
            .iter()
            .enumerate()
            .map(|(i, (q, s))| vec![labels.fmt.quarter(*q), score_text(i, s)])
            .collect(),
        summary,
        notes: Vec::new(),
        figure: String::new(),
    }
}

/// What a score history chart draws.
struct History<'a> {
    points: &'a [(Quarter, Option<f64>)],
    finals: &'a [(f64, f64)],
    outlook: Option<(f64, f64)>,
    t: ScoringThresholds,
    fmt: &'a crate::render::format::Formatter,
}

impl History<'_> {
    fn draw(&self, size: Size) -> super::Drawn {
        let n = self.points.len().max(1);
        let px = size.font;
        let y_ticks = super::axes::value_axis(self.fmt, 0.0, 1.05, 6, None);
        let parts: Vec<(String, String)> = self.points.iter().map(|p| self.fmt.quarter_parts(p.0)).collect();
        let ticks = super::axes::Ticks {
            x: self
                .points
                .iter()
                .zip(&parts)
                .enumerate()
                .map(|(i, (p, (number, _)))| {
                    let text = if size.narrow {
                        number.clone()
                    } else {
                        self.fmt.quarter(p.0)
                    };
                    (i as f64, text)
                })
                .collect(),
            y: y_ticks,
        };
        // The narrow drawing's second line: the year under the first point and where it changes.
        let years: Vec<(f64, &str)> = if size.narrow {
            parts
                .iter()
                .enumerate()
                .filter(|(i, p)| *i == 0 || parts[i - 1].1 != p.1)
                .map(|(i, p)| (i as f64, p.1.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let label_lines = if years.is_empty() { 1.6 } else { 2.9 };
        draw(size.width, size.height, |root| {
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .margin_right(14)
                .x_label_area_size((px * label_lines) as u32)
                .y_label_area_size(super::axes::label_width(&ticks.y, px))
                .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..1.05)
                .map_err(e)?;
            let mut layout = Layout::new(size.width, size.height);
            let all: Vec<(f64, f64)> = self.finals.iter().copied().chain(self.outlook).collect();
            let pixels: Vec<(f64, f64)> = all.iter().map(|p| pixel(&chart, *p)).collect();
            for p in &pixels {
                layout.block(Rect::around(*p, 5.0));
            }
            layout.line(&self.finals.iter().map(|p| pixel(&chart, *p)).collect::<Vec<_>>());
            super::axes::axes(&root, chart.plotting_area(), &mut layout, px, &ticks)?;
            let below = f64::from(chart.plotting_area().get_pixel_range().1.end - 1) + 5.0 + (px * 1.3).round();
            for (x, year) in &years {
                let at = pixel(&chart, (*x, 0.0)).0.round();
                let spots = [
                    Spot::new((at, below), HPos::Center, VPos::Top),
                    Spot::new((at - px, below), HPos::Left, VPos::Top),
                    Spot::new((at + px, below), HPos::Right, VPos::Top),
                ];
                super::place(&root, &mut layout, year, px, &spots)?;
            }
            for (line, color) in [(self.t.green, GREEN), (self.t.yellow, ORANGE)] {
                chart
                    .draw_series(LineSeries::new(
                        [(-0.5, line), (n as f64 - 0.5, line)],
                        super::dashed(color, "6 4").stroke_width(2),
                    ))
                    .map_err(e)?;
            }
            draw_scores(&mut chart, self.finals)?;
            if let Some(p) = self.outlook {
                let before = self.finals.iter().rev().find(|f| f.0 < p.0).copied();
                draw_outlook_point(&mut chart, before, p)?;
            }
            for (p, at) in all.iter().zip(&pixels) {
                super::place(&root, &mut layout, &format::score(p.1), px, &Spot::around(*at, 7.0))?;
            }
            root.present().map_err(e)?;
            Ok(())
        })
    }
}

/// Where a data point is drawn, in SVG px.
pub fn pixel(chart: &Plot<'_, '_>, p: (f64, f64)) -> (f64, f64) {
    let (x, y) = chart.backend_coord(&p);
    (f64::from(x), f64::from(y))
}

/// A running quarter's score: a dashed segment from the last final score before it
/// and a hollow marker (its value is labelled with the others).
fn draw_outlook_point(chart: &mut Plot<'_, '_>, before: Option<(f64, f64)>, p: (f64, f64)) -> Result<(), DrawError> {
    if let Some(b) = before {
        chart
            .draw_series(LineSeries::new([b, p], super::dashed(BLUE, "4 3").stroke_width(2)))
            .map_err(e)?;
    }
    chart
        .draw_series(std::iter::once(Circle::new(p, 5, BLUE.stroke_width(2))))
        .map_err(e)?;
    Ok(())
}

/// The scores as a line of dots.
fn draw_scores(chart: &mut Plot<'_, '_>, xy: &[(f64, f64)]) -> Result<(), DrawError> {
    chart
        .draw_series(LineSeries::new(xy.to_vec(), BLUE.stroke_width(3)))
        .map_err(e)?;
    chart
        .draw_series(xy.iter().map(|p| Circle::new(*p, 5, BLUE.filled())))
        .map_err(e)?;
    Ok(())
}

/// One bar of a score bar chart.
pub struct Bar {
    pub label: String,
    pub score: Option<f64>,
}

/// Horizontal score bars (objectives of a review, teams of a quarter) with the
/// green and yellow thresholds as dashed lines. A bar's fill pattern does not
/// carry meaning; its score is written next to it.
pub fn bars_chart(id: &str, title: &str, bars: &[Bar], t: ScoringThresholds, labels: &Labels) -> Chart {
    bars_chart_outlook(id, title, bars, None, t, labels)
}

/// [`bars_chart`] of a running quarter when `outlook` (the word) is given: its scores
/// are outlooks, so the bars take no grade colour and the summary says so.
pub fn bars_chart_outlook(
    id: &str,
    title: &str,
    bars: &[Bar],
    outlook: Option<&str>,
    t: ScoringThresholds,
    labels: &Labels,
) -> Chart {
    let grading = outlook.is_none().then_some(t);
    let wide = draw_bars(Size::wide(520, 0, 12.0), bars, grading, t, labels);
    let narrow = draw_bars(Size::narrow(320, 0, 12.0), bars, grading, t, labels);
    let title_words = match outlook {
        Some(word) => format!("{title} ({word})"),
        None => title.to_string(),
    };
    let summary = format!(
        "{title_words}: {}",
        bars.iter()
            .map(|b| format!(
                "{} {}",
                b.label,
                b.score.map(format::score).unwrap_or_else(|| labels.no_data.clone())
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (svg, narrow) = finish_pair(&wide, &narrow, id, "bars-chart", title, &summary);
    Chart {
        svg,
        narrow,
        columns: vec![labels.item.clone(), labels.score.clone()],
        rows: bars
            .iter()
            .map(|b| {
                vec![
                    b.label.clone(),
                    b.score.map(format::score).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
        summary,
        notes: Vec::new(),
        figure: String::new(),
    }
}

/// The rows of a bar chart, in SVG px: each row is its label, and right under it its
/// bar with the score in a column right of the bars; the rows are apart by a gap
/// larger than the one between a label and its bar, so each label reads with its own
/// bar. Below the rows, scores 0 to 1 with the green and yellow thresholds.
struct BarRows {
    px: f64,
    left: f64,
    right: f64,
    top: f64,
    label_h: f64,
    bar_h: f64,
    row: f64,
}

impl BarRows {
    fn new(size: Size) -> BarRows {
        let px = size.font;
        let label_h = (px * 1.25).round();
        let bar_h = (px * 1.1).round();
        let score_w = super::labels::text_width("0.00", px) + 12.0;
        BarRows {
            px,
            left: (super::labels::text_width("0.0", px) / 2.0 + 4.0).round(),
            right: f64::from(size.width) - score_w - 8.0,
            top: 8.0,
            label_h,
            bar_h,
            row: label_h + bar_h + (px * 0.9).round(),
        }
    }

    fn x(&self, score: f64) -> f64 {
        (self.left + score.clamp(0.0, 1.0) * (self.right - self.left)).round()
    }

    /// The top of row `i` and of its bar.
    fn tops(&self, i: usize) -> (f64, f64) {
        let row_top = self.top + self.row * i as f64;
        (row_top, row_top + self.label_h)
    }
}

fn draw_bars(
    size: Size,
    bars: &[Bar],
    grading: Option<ScoringThresholds>,
    t: ScoringThresholds,
    labels: &Labels,
) -> super::Drawn {
    let r = BarRows::new(size);
    let n = bars.len().max(1);
    let axis_y = r.tops(n).0;
    let height = (axis_y + r.px * 1.6 + 4.0).ceil() as u32;
    draw(size.width, height, |root| {
        let rect = |a: (f64, f64), b: (f64, f64), style: ShapeStyle| {
            root.draw(&Rectangle::new(
                [(a.0 as i32, a.1 as i32), (b.0 as i32, b.1 as i32)],
                style,
            ))
            .map_err(e)
        };
        let ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
        let grid: Vec<(i32, i32)> = (ticks.iter())
            .flat_map(|&x| [(r.x(x) as i32, r.top as i32), (r.x(x) as i32, axis_y as i32)])
            .collect();
        PixelPath::new(&grid, super::GRID.mix(0.10)).draw_on(&root)?;
        for x in ticks {
            let px = r.x(x) as i32;
            super::put(
                &root,
                &format!("{x:.1}"),
                Spot::new((f64::from(px), axis_y + 4.0), HPos::Center, VPos::Top),
                r.px,
            )?;
        }
        let bottom = (axis_y - (r.row - r.label_h - r.bar_h)) as i32;
        for (line, color) in [(t.green, GREEN), (t.yellow, ORANGE)] {
            let x = r.x(line) as i32;
            root.draw(&PathElement::new(
                vec![(x, r.top as i32), (x, bottom)],
                super::dashed(color, "6 4").stroke_width(2),
            ))
            .map_err(e)?;
        }
        let label_room = r.right + super::labels::text_width("0.00", r.px) + 6.0 - r.left;
        for (i, bar) in bars.iter().enumerate() {
            let (row_top, bar_top) = r.tops(i);
            let bar_bottom = bar_top + r.bar_h;
            super::put(
                &root,
                &fit(&bar.label, r.px, label_room),
                Spot::new((r.left, row_top), HPos::Left, VPos::Top),
                r.px,
            )?;
            rect((r.left, bar_top), (r.right, bar_bottom), INK.mix(0.08).filled())?;
            if let Some(s) = bar.score {
                let fill = match grading.map(|t| crate::score::grade(s, t)) {
                    Some(Light::Green) => GREEN.filled(),
                    Some(Light::Yellow) => ORANGE.filled(),
                    Some(Light::Red) => VERMILLION.filled(),
                    None => BLUE.mix(0.45).filled(),
                };
                rect((r.left, bar_top), (r.x(s), bar_bottom), fill)?;
            }
            let text = bar.score.map(format::score).unwrap_or_else(|| labels.no_data.clone());
            let (x, style) = match bar.score {
                Some(_) => (
                    r.right + 6.0,
                    (super::FONT, r.px * 1.24)
                        .into_font()
                        .style(FontStyle::Bold)
                        .color(&INK),
                ),
                None => (r.left + 4.0, super::text_style(r.px)),
            };
            super::put_styled(
                &root,
                &text,
                Spot::new((x, (bar_top + bar_bottom) / 2.0), HPos::Left, VPos::Center),
                style,
            )?;
        }
        root.draw(&PathElement::new(
            vec![(r.left as i32, axis_y as i32), (r.right as i32, axis_y as i32)],
            INK.mix(0.6),
        ))
        .map_err(e)?;
        root.present().map_err(e)?;
        Ok(())
    })
}

/// `text` cut to fit `width` px at `px` (with an ellipsis).
pub fn fit(text: &str, px: f64, width: f64) -> String {
    if super::labels::text_width(text, px) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if super::labels::text_width(&out, px) + px > width {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// A tiny line without axes, for the dashboard; the summary says the numbers.
pub fn sparkline(id: &str, title: &str, values: &[Option<f64>], summary: &str) -> String {
    sparkline_outlook(id, title, values, false, summary)
}

/// [`sparkline`] whose last value may be a running quarter's outlook (`outlook_last`):
/// then it is drawn hollow at the end of a dashed segment (the summary should say so).
pub fn sparkline_outlook(id: &str, title: &str, values: &[Option<f64>], outlook_last: bool, summary: &str) -> String {
    let mut xy: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
        .collect();
    let last_index = values.len().checked_sub(1).map(|i| i as f64);
    let outlook = match xy.last() {
        Some(&p) if outlook_last && Some(p.0) == last_index => xy.pop(),
        _ => None,
    };
    let (lo, hi) = super::value_range(xy.iter().chain(&outlook).map(|p| p.1));
    let n = values.len().max(2) as f64;
    let svg = draw(120, 32, |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(4)
            .build_cartesian_2d(0.0..(n - 1.0), lo..hi)
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new(xy.clone(), BLUE.stroke_width(2)))
            .map_err(e)?;
        match (outlook, xy.last()) {
            (Some(p), last) => {
                if let Some(l) = last {
                    chart
                        .draw_series(LineSeries::new([*l, p], super::dashed(BLUE, "4 3").stroke_width(2)))
                        .map_err(e)?;
                }
                chart
                    .draw_series(std::iter::once(Circle::new(p, 3, BLUE.stroke_width(1))))
                    .map_err(e)?;
            }
            (None, Some(last)) => {
                chart
                    .draw_series(std::iter::once(Circle::new(*last, 3, BLUE.filled())))
                    .map_err(e)?;
            }
            (None, None) => {}
        }
        root.present().map_err(e)?;
        Ok(())
    });
    finish(&svg, id, "sparkline", title, summary)
}
