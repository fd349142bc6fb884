//! Axes: calendar-aligned date ticks or nice value ticks ([`super::ticks`]), a light
//! grid at them, and their texts in the site's language, placed with the chart's
//! label layout so none overlaps another or leaves the chart.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::labels::{self, Layout, Spot};
use super::{DrawError, INK, Plot, Root, e, place, ticks};
use crate::render::format::Formatter;

/// Ticks of both axes, each with its text.
pub struct Ticks {
    pub x: Vec<(f64, String)>,
    pub y: Vec<(f64, String)>,
}

/// Date ticks along x, at most `max`, written in the site's language.
pub fn date_axis(fmt: &Formatter, left: f64, right: f64, max: usize) -> Vec<(f64, String)> {
    ticks::date_ticks(left, right, max)
        .into_iter()
        .map(|(x, d, kind)| (x, fmt.axis_date(d, kind)))
        .collect()
}

/// Value ticks up y, at most `max`, written with one scale for the whole axis.
pub fn value_axis(fmt: &Formatter, lo: f64, hi: f64, max: usize, unit: Option<&str>) -> Vec<(f64, String)> {
    let (ticks, step) = ticks::value_ticks(lo, hi, max);
    let texts = axis_labels(fmt, &ticks, step, unit);
    ticks.into_iter().zip(texts).collect()
}

/// The texts of a value axis: thousands separators, the decimals the step needs, one
/// compact scale for the whole axis when it reaches millions (`4.8M`, `480万`), `%`
/// after the number and a currency sign before it.
pub fn axis_labels(fmt: &Formatter, ticks: &[f64], step: f64, unit: Option<&str>) -> Vec<String> {
    let top = ticks.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (divisor, suffix) = match fmt.lang {
        _ if top < 1e6 => (1.0, ""),
        crate::config::Language::Ja if top >= 1e8 => (1e8, "億"),
        crate::config::Language::Ja => (1e4, "万"),
        crate::config::Language::En if top >= 1e12 => (1e12, "T"),
        crate::config::Language::En if top >= 1e9 => (1e9, "B"),
        crate::config::Language::En => (1e6, "M"),
    };
    let scaled = step / divisor;
    let decimals = if scaled > 0.0 && scaled.is_finite() {
        (-scaled.log10().floor()).clamp(0.0, 8.0) as usize
    } else {
        0
    };
    let (before, after) = match unit {
        Some(u @ ("$" | "€" | "£" | "¥" | "￥")) => (u, ""),
        Some("%") => ("", "%"),
        _ => ("", ""),
    };
    ticks
        .iter()
        .map(|v| {
            if divisor > 1.0 && *v == 0.0 {
                return format!("{before}0{after}");
            }
            let s = format!("{:.*}", decimals, v / divisor);
            let s = if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
                s[1..].to_string()
            } else {
                s
            };
            let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
            let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
            let mut grouped = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{sign}{before}{grouped}{frac}{suffix}{after}")
        })
        .collect()
}

/// The width the y-axis labels need (the widest text and a gap).
pub fn label_width(texts: &[(f64, String)], px: f64) -> u32 {
    let w = texts.iter().map(|t| labels::text_width(&t.1, px)).fold(0.0, f64::max);
    (w + 10.0).ceil() as u32
}

/// The frame, a light grid at the ticks and the ticks' texts (x below the plot, y
/// left of it), placed with `layout` so a text that would overlap another or leave
/// the chart is left out.
pub fn axes(
    root: &Root<'_>,
    chart: &Plot<'_, '_>,
    layout: &mut Layout,
    px: f64,
    ticks: &Ticks,
) -> Result<(), DrawError> {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let (x0, x1, y0, y1) = (xs.start, xs.end - 1, ys.start, ys.end - 1);
    let grid = INK.mix(0.12);
    for (y, text) in &ticks.y {
        let py = chart.backend_coord(&(0.0, *y)).1;
        if py < y0 || py > y1 {
            continue;
        }
        root.draw(&PathElement::new(vec![(x0, py), (x1, py)], grid))
            .map_err(e)?;
        let spot = Spot::new((f64::from(x0) - 5.0, f64::from(py)), HPos::Right, VPos::Center);
        place(root, layout, text, px, &[spot])?;
    }
    for (x, text) in &ticks.x {
        let px_x = chart.backend_coord(&(*x, 0.0)).0;
        if px_x < x0 || px_x > x1 {
            continue;
        }
        root.draw(&PathElement::new(vec![(px_x, y0), (px_x, y1)], grid))
            .map_err(e)?;
        let spot = Spot::new((f64::from(px_x), f64::from(y1) + 5.0), HPos::Center, VPos::Top);
        place(root, layout, text, px, &[spot])?;
    }
    let axis = INK.mix(0.6);
    root.draw(&PathElement::new(vec![(x0, y0), (x0, y1), (x1, y1)], axis))
        .map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    fn fmt(lang: Language) -> Formatter {
        Formatter {
            lang,
            fiscal_year_start_month: 4,
        }
    }

    #[test]
    fn value_labels_share_one_scale_and_group_thousands() {
        let en = fmt(Language::En);
        let ja = fmt(Language::Ja);
        assert_eq!(
            axis_labels(&en, &[0.0, 25_000.0, 50_000.0], 25_000.0, None),
            ["0", "25,000", "50,000"]
        );
        assert_eq!(
            axis_labels(&en, &[0.0, 2e6, 4e6, 6e6], 2e6, Some("$")),
            ["$0", "$2M", "$4M", "$6M"]
        );
        assert_eq!(
            axis_labels(&en, &[4e6, 4.5e6, 5e6], 5e5, None),
            ["4.0M", "4.5M", "5.0M"]
        );
        assert_eq!(axis_labels(&ja, &[0.0, 2e6, 4e6], 2e6, None), ["0", "200万", "400万"]);
        assert_eq!(axis_labels(&ja, &[0.4, 0.6], 0.2, Some("%")), ["0.4%", "0.6%"]);
        assert_eq!(axis_labels(&en, &[-0.0, 0.25], 0.05, None), ["0.00", "0.25"]);
    }
}
