//! The histogram of a quarter's team scores: one column per tenth of 0–1 with its
//! count of teams on top, the green and yellow thresholds dashed. It stays the same
//! size at any number of teams (the bar chart of every team was 21,700 px tall at
//! 400 teams); the page names the lowest teams below it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::labels::Spot;
use super::{BLUE, Chart, Drawn, GREEN, INK, ORANGE, Size, VERMILLION, draw, e};
use crate::config::ScoringThresholds;
use crate::insight::distribution::{BINS, Distribution};
use crate::model::Light;

/// The words the histogram needs, in the site's language.
pub struct Words<'a> {
    /// Column heading of the score range in the data table.
    pub range: &'a str,
    /// Column heading of the count of teams.
    pub teams: &'a str,
    /// What the chart shows, with `{n}` teams (already filled in).
    pub summary: String,
}

/// The histogram of `d` with id `id`. `grading` colours the columns by the grade their
/// scores would get (an ended quarter); a running quarter's scores are outlooks, drawn
/// in one colour.
pub fn histogram(
    id: &str,
    title: &str,
    d: &Distribution,
    grading: Option<ScoringThresholds>,
    t: ScoringThresholds,
    words: &Words<'_>,
) -> Chart {
    let wide = draw_histogram(Size::wide(520, 200, 12.0), d, grading, t);
    let narrow = draw_histogram(Size::narrow(320, 180, 12.0), d, grading, t);
    let (svg, narrow) = super::finish_pair(&wide, &narrow, id, "histogram", title, &words.summary);
    Chart {
        svg,
        narrow,
        summary: words.summary.clone(),
        columns: vec![words.range.to_string(), words.teams.to_string()],
        rows: (0..BINS).map(|i| vec![range_text(i), d.bins[i].to_string()]).collect(),
        notes: Vec::new(),
        figure: String::new(),
    }
}

/// A bin's range as its table row writes it: `0.0–0.1`, the last `0.9–1.0`.
fn range_text(i: usize) -> String {
    format!("{:.1}–{:.1}", i as f64 / BINS as f64, (i + 1) as f64 / BINS as f64)
}

fn draw_histogram(size: Size, d: &Distribution, grading: Option<ScoringThresholds>, t: ScoringThresholds) -> Drawn {
    let px = size.font;
    let (width, height) = (f64::from(size.width), f64::from(size.height));
    let left = (super::labels::text_width("0.0", px) / 2.0 + 4.0).round();
    let right = width - left;
    let top = (px * 1.6).round();
    let axis_y = height - (px * 1.8).round();
    let tallest = d.bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let x = |score: f64| (left + score.clamp(0.0, 1.0) * (right - left)).round();
    draw(size.width, size.height, |root| {
        for (line, color) in [(t.green, GREEN), (t.yellow, ORANGE)] {
            let lx = x(line) as i32;
            root.draw(&PathElement::new(
                vec![(lx, top as i32), (lx, axis_y as i32)],
                super::dashed(color, "6 4").stroke_width(2),
            ))
            .map_err(e)?;
        }
        for (i, &count) in d.bins.iter().enumerate() {
            let (x0, x1) = (x(i as f64 / BINS as f64) + 1.0, x((i + 1) as f64 / BINS as f64) - 1.0);
            let mid = (i as f64 + 0.5) / BINS as f64;
            let fill = match grading.map(|g| crate::score::grade(mid, g)) {
                Some(Light::Green) => GREEN.filled(),
                Some(Light::Yellow) => ORANGE.filled(),
                Some(Light::Red) => VERMILLION.filled(),
                None => BLUE.mix(0.6).filled(),
            };
            let bar_top = (axis_y - (axis_y - top) * count as f64 / tallest).round();
            if count > 0 {
                root.draw(&Rectangle::new(
                    [(x0 as i32, bar_top as i32), (x1 as i32, axis_y as i32)],
                    fill,
                ))
                .map_err(e)?;
            }
            super::put(
                &root,
                &count.to_string(),
                Spot::new(((x0 + x1) / 2.0, bar_top - 3.0), HPos::Center, VPos::Bottom),
                px,
            )?;
        }
        root.draw(&PathElement::new(
            vec![(left as i32, axis_y as i32), (right as i32, axis_y as i32)],
            INK.mix(0.6),
        ))
        .map_err(e)?;
        let step = if size.narrow { 2 } else { 1 };
        for i in (0..=BINS).step_by(step) {
            let s = i as f64 / BINS as f64;
            super::put(
                &root,
                &format!("{s:.1}"),
                Spot::new((x(s), axis_y + 4.0), HPos::Center, VPos::Top),
                px,
            )?;
        }
        root.present().map_err(e)?;
        Ok(())
    })
}
