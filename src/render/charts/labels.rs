//! Label layout: a small greedy placement so that no two chart texts overlap and
//! labels keep off the data line where they can (after Observable Plot's and Vega's
//! label avoidance). Labels are placed in order of importance; each tries its
//! candidate positions (above, below, left, right of what it names) and takes the
//! first that overlaps nothing placed before it, stays inside the chart and, if one
//! does, keeps off the lines; a label with no such place is dropped.
//!
//! Text boxes are estimated from the characters (a build needs no font): CJK and
//! other wide characters 1 em, Latin letters and digits 0.6 em, narrow punctuation
//! 0.35 em; 1 em tall. tests/it/charts.rs reads every chart of the sample back and
//! checks with [`text_box`] that no two texts overlap.

use plotters::style::text_anchor::{HPos, VPos};

/// A box in SVG pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// The box around a point, `r` to each side.
    pub fn around((x, y): (f64, f64), r: f64) -> Rect {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    /// Whether the segment from `a` to `b` passes through the box.
    pub fn crosses(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        // Clip the segment to the box (Liang–Barsky).
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// The estimated width of `text` at `size` px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'l' | 'j' | '(' | ')' | '/' | '-' => 0.35,
            c if c.is_ascii() => 0.62,
            // Fullwidth and CJK characters, kana, symbols like → and ％.
            _ => 1.0,
        })
        .sum::<f64>()
        * size
}

/// The estimated box of a text drawn at (`x`, `y`) anchored as plotters anchors it
/// (and as the chart backend writes it: `text-anchor`, and `dy` 0.76em, 0.5ex or
/// -0.5ex for top, centre, bottom). The box runs from 0.8 em above the baseline to
/// 0.2 em below it.
pub fn text_box(x: f64, y: f64, h: HPos, v: VPos, size: f64, text: &str) -> Rect {
    box_of_width(x, y, h, v, size, text_width(text, size))
}

/// [`text_box`] of a text `w` px wide.
fn box_of_width(x: f64, y: f64, h: HPos, v: VPos, size: f64, w: f64) -> Rect {
    let x0 = match h {
        HPos::Left => x,
        HPos::Center => x - w / 2.0,
        HPos::Right => x - w,
    };
    let baseline = match v {
        VPos::Top => y + 0.76 * size,
        VPos::Center => y + 0.25 * size,
        VPos::Bottom => y - 0.25 * size,
    };
    Rect {
        x0,
        y0: baseline - 0.8 * size,
        x1: x0 + w,
        y1: baseline + 0.2 * size,
    }
}

/// A candidate position: the anchor point and how the text hangs from it.
#[derive(Clone, Copy)]
pub struct Spot {
    pub x: f64,
    pub y: f64,
    pub h: HPos,
    pub v: VPos,
}

impl Spot {
    pub fn new((x, y): (f64, f64), h: HPos, v: VPos) -> Spot {
        Spot { x, y, h, v }
    }

    /// The usual places around a point, `gap` px away: above, below, right, left.
    pub fn around((x, y): (f64, f64), gap: f64) -> [Spot; 4] {
        [
            Spot::new((x, y - gap), HPos::Center, VPos::Bottom),
            Spot::new((x, y + gap), HPos::Center, VPos::Top),
            Spot::new((x + gap, y), HPos::Left, VPos::Center),
            Spot::new((x - gap, y), HPos::Right, VPos::Center),
        ]
    }
}

/// The texts placed so far, the marks to keep clear of, and the lines to keep off.
pub struct Layout {
    bounds: Rect,
    taken: Vec<Rect>,
    lines: Vec<((f64, f64), (f64, f64))>,
}

/// Space kept between two texts, px.
const PAD: f64 = 1.5;

impl Layout {
    pub fn new(width: u32, height: u32) -> Layout {
        Layout {
            bounds: Rect {
                x0: 0.0,
                y0: 0.0,
                x1: f64::from(width),
                y1: f64::from(height),
            },
            // A chart places a dozen or two texts and marks along a few lines.
            taken: Vec::with_capacity(32),
            lines: Vec::with_capacity(32),
        }
    }

    /// A mark (a point, a marker) no text may cover.
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// A line (pixels) texts should keep off where they can.
    pub fn line(&mut self, points: &[(f64, f64)]) {
        self.lines.extend(points.windows(2).map(|w| (w[0], w[1])));
    }

    /// Places `text` at the first of `spots` that is inside the chart, overlaps no
    /// text or mark placed before, and crosses no line; failing that, the first that
    /// only crosses a line. `None` (drop the label) when no spot is free.
    pub fn place(&mut self, text: &str, size: f64, spots: &[Spot]) -> Option<Spot> {
        // Measured once: every spot tries the same text.
        let width = text_width(text, size);
        let free = |s: &Spot| {
            let b = box_of_width(s.x, s.y, s.h, s.v, size, width);
            let padded = Rect {
                x0: b.x0 - PAD,
                y0: b.y0 - PAD,
                x1: b.x1 + PAD,
                y1: b.y1 + PAD,
            };
            (b.inside(&self.bounds) && !self.taken.iter().any(|t| t.overlaps(&padded))).then_some(b)
        };
        let off_lines = |b: &Rect| !self.lines.iter().any(|(a, c)| b.crosses(*a, *c));
        let chosen = spots
            .iter()
            .find(|s| free(s).is_some_and(|b| off_lines(&b)))
            .or_else(|| spots.iter().find(|s| free(s).is_some()))
            .copied()?;
        self.taken
            .push(box_of_width(chosen.x, chosen.y, chosen.h, chosen.v, size, width));
        Some(chosen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_wide_characters_as_one_em() {
        assert_eq!(text_width("目標", 10.0), 20.0);
        assert!((text_width("40", 10.0) - 12.4).abs() < 1e-9);
    }

    #[test]
    fn a_second_label_moves_and_a_third_is_dropped() {
        let mut l = Layout::new(200, 100);
        let p = (100.0, 50.0);
        let first = l.place("目標 65%", 12.0, &Spot::around(p, 4.0)).unwrap();
        assert!(matches!(first.v, VPos::Bottom), "above");
        let second = l.place("目標 65%", 12.0, &Spot::around(p, 4.0)).unwrap();
        assert!(matches!(second.v, VPos::Top), "below");
        let third = l.place("目標 65%", 12.0, &Spot::around(p, 4.0)[..2]);
        assert!(third.is_none());
    }

    #[test]
    fn labels_keep_off_lines_when_they_can() {
        let mut l = Layout::new(200, 100);
        // A line rising through the place above the point.
        l.line(&[(100.0, 50.0), (100.0, 0.0)]);
        let s = l.place("12", 12.0, &Spot::around((100.0, 50.0), 4.0)).unwrap();
        assert!(matches!(s.v, VPos::Top), "below, off the line");
        assert!(Rect::around((0.0, 0.0), 1.0).crosses((-5.0, 0.5), (5.0, 0.5)));
        assert!(!Rect::around((0.0, 0.0), 1.0).crosses((-5.0, 2.0), (5.0, 3.0)));
    }
}
