//! Numbers and units as readers see them: separators, where a unit goes, the singular
//! of a unit, and the one rule for compact forms (`4.8M`, `480万`).
//!
//! Where a value is compact and where it is full:
//! - **compact** ([`Formatter::compact`], [`Formatter::axis_labels`]): chart axes and
//!   chart labels, and a metric's newest value where it stands alone (the dashboard's
//!   alerts and attention rows, the metrics index, the metric page's headline): the places
//!   a reader glances at;
//! - **full** ([`Formatter::value`], [`with_unit`]): data tables (a metric's points and
//!   comparisons, a KR's check-ins), thresholds, a KR's baseline, current value and target
//!   (on its card and in a retrospective's `[[current]]`: read against each other, so
//!   `$4,772,000` of `$4,800,000` must not both read `$4.8M`), changes, and the exports:
//!   the places a reader looks a number up or compares two.
//!
//! A value is made compact from 10,000 on (below, it is written whole: `4,800`), in the
//! language's steps: English thousands (K, M, B, T), Japanese 万, 億, 兆.

use crate::config::Language;
use crate::domain::Unit;

use super::Formatter;

/// A value is compact from this magnitude on.
const COMPACT_FROM: f64 = 1e4;

/// The steps of the compact form, largest first.
fn steps(lang: Language) -> &'static [(f64, &'static str)] {
    match lang {
        Language::En => &[(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")],
        Language::Ja => &[(1e12, "兆"), (1e8, "億"), (1e4, "万")],
    }
}

/// The step for values of magnitude `m` (none below [`COMPACT_FROM`]).
fn step(lang: Language, m: f64) -> Option<(f64, &'static str)> {
    if !m.is_finite() || m < COMPACT_FROM {
        return None;
    }
    steps(lang).iter().copied().find(|(factor, _)| m >= *factor)
}

impl Formatter {
    /// A value in full with its unit: `$452,000`, `-$1,200`, `45%`, `120 ms`, `12件`,
    /// `1 customer`. For data tables and wherever a value is looked up.
    pub fn value(&self, v: f64, unit: Option<&Unit>) -> String {
        with_unit(v, unit)
    }

    /// A value in the compact form with its unit: `$4.9M`, `480万人`, `$452K`; whole below
    /// 10,000 (`4,800 customers`). Two significant digits under 10 of a step (`4.9M`), whole
    /// steps above (`452K`). For cards, prose and chart labels.
    pub fn compact(&self, v: f64, unit: Option<&Unit>) -> String {
        let Some(first) = step(self.lang, v.abs()) else {
            return with_unit(v, unit);
        };
        let mantissa = |(factor, _): (f64, &str)| {
            let m = v.abs() / factor;
            if m >= 10.0 {
                m.round()
            } else {
                (m * 10.0).round() / 10.0
            }
        };
        // Rounding may carry into the next step: 999,960 is 1M, not 1000K.
        let carried = step(self.lang, mantissa(first) * first.0).unwrap_or(first);
        let (chosen, m) = if carried.0 != first.0 {
            (carried, mantissa(carried))
        } else {
            (first, mantissa(first))
        };
        placed(v < 0.0, false, &format!("{}{}", number(m), chosen.1), unit)
    }

    /// Values shown side by side (a chart's baseline, target and end labels; a KR's numbers
    /// on a card), compact in one step (that of the largest) with as few decimals as
    /// [`Formatter::compact`] gives, and more (up to three) where two different values
    /// would read the same: `$3.7M`, `$4.77M`, `$4.8M`, never `$4.8M` of `$4.8M`.
    pub fn compact_together(&self, values: &[f64], unit: Option<&Unit>) -> Vec<String> {
        let largest = values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        let Some((factor, suffix)) = step(self.lang, largest) else {
            return values.iter().map(|&v| with_unit(v, unit)).collect();
        };
        let text = |v: f64, extra: usize| {
            let m = v.abs() / factor;
            // Two significant digits, as `compact` (whole steps from 10 on).
            let decimals = if m >= 10.0 || m == 0.0 {
                extra
            } else {
                (1 - m.log10().floor() as i64).max(0) as usize + extra
            };
            let digits = fixed(m, decimals);
            let digits = if digits.contains('.') {
                digits.trim_end_matches('0').trim_end_matches('.')
            } else {
                &digits
            };
            if digits == "0" {
                placed(false, false, "0", unit)
            } else {
                placed(v < 0.0, false, &format!("{digits}{suffix}"), unit)
            }
        };
        let distinct = |texts: &[String]| {
            (0..values.len()).all(|i| (0..i).all(|j| values[i] == values[j] || texts[i] != texts[j]))
        };
        let mut texts = Vec::new();
        for extra in 0..=3 {
            texts = values.iter().map(|&v| text(v, extra)).collect();
            if distinct(&texts) {
                break;
            }
        }
        texts
    }

    /// The labels of an axis's ticks: one step for the whole axis (all in M, or none), the
    /// decimals just enough to write every tick exactly (or, failing that, to tell them
    /// apart), the same decimals on every label but zero (`0`, `0.5M`, `1.0M`), separators
    /// (`50,000`) and the unit placed (`$200K`).
    pub fn axis_labels(&self, ticks: &[f64], unit: Option<&Unit>) -> Vec<String> {
        let largest = ticks
            .iter()
            .filter(|t| t.is_finite())
            .fold(0.0f64, |m, t| m.max(t.abs()));
        let (factor, suffix) = step(self.lang, largest).unwrap_or((1.0, ""));
        let scaled: Vec<f64> = ticks.iter().map(|t| t / factor).collect();
        let decimals = axis_decimals(&scaled);
        scaled
            .iter()
            .map(|&x| {
                let digits = fixed(x.abs(), decimals);
                if digits.bytes().all(|b| b == b'0' || b == b'.' || b == b',') {
                    placed(false, false, "0", unit)
                } else {
                    let mut digits = digits;
                    digits.push_str(suffix);
                    placed_owned(x < 0.0, digits, unit)
                }
            })
            .collect()
    }

    /// A change of a value with a unit, signed: `+20 ms (+25%)`, `-3件`, `+$12,000 (+3%)`.
    /// A change of a percentage is in points, one decimal, with no relative change (45% →
    /// 50% is `+5.0 pt` / `+5.0ポイント`, not `+11%`). `relative` is the change in percent
    /// of the earlier value (where it means something; see
    /// [`crate::insight::comparisons::percent_change`]).
    pub fn change(&self, delta: f64, unit: Option<&Unit>, relative: Option<f64>) -> String {
        if unit.is_some_and(Unit::is_percent) {
            // Rounded first, so a tiny negative change is `0.0`, never `-0.0`.
            let tenths = (delta * 10.0).round() / 10.0;
            let shown = if tenths == 0.0 { 0.0 } else { tenths };
            let points = match self.lang {
                Language::Ja => "ポイント",
                Language::En => " pt",
            };
            return placed(
                shown < 0.0,
                shown > 0.0,
                &format!("{}{points}", fixed(shown.abs(), 1)),
                None,
            );
        }
        let sign = if delta > 0.0 { "+" } else { "" };
        let relative = relative.map_or(String::new(), |pct| {
            format!(" ({sign}{}%)", number(round_significant(pct, 2)))
        });
        let rounded = round_significant(delta, 4);
        let digits = number(rounded.abs());
        let negative = rounded < 0.0 && digits != "0";
        format!("{}{relative}", placed(negative, delta > 0.0, &digits, unit))
    }

    /// [`Formatter::change`] beside a compact value (the metrics index: `$4.9M +$136K`):
    /// the change compact by the same rule; a percentage's change in points as ever.
    pub fn change_compact(&self, delta: f64, unit: Option<&Unit>, relative: Option<f64>) -> String {
        if unit.is_some_and(Unit::is_percent) || step(self.lang, delta.abs()).is_none() {
            return self.change(delta, unit, relative);
        }
        let sign = if delta > 0.0 { "+" } else { "" };
        let relative = relative.map_or(String::new(), |pct| {
            format!(" ({sign}{}%)", number(round_significant(pct, 2)))
        });
        format!("{sign}{}{relative}", self.compact(delta, unit))
    }
}

/// The fewest decimals (up to 6) that write every value exactly; failing that, the fewest
/// that tell them apart.
fn axis_decimals(values: &[f64]) -> usize {
    let exact = |d: usize| {
        let f = 10f64.powi(d as i32);
        values
            .iter()
            .all(|&x| !x.is_finite() || ((x * f).round() / f - x).abs() <= 1e-9 * x.abs().max(1.0))
    };
    let distinct = |d: usize| {
        let mut texts: Vec<String> = values.iter().map(|&x| fixed(x, d)).collect();
        texts.sort();
        texts.windows(2).all(|w| w[0] != w[1])
    };
    (0..=6)
        .find(|&d| exact(d))
        .or_else(|| (0..=6).find(|&d| distinct(d)))
        .unwrap_or(6)
}

/// Digits with the unit placed and the sign in front: `-$1,200`, `+20 ms`, `45%`,
/// `1 customer` (the singular where the digits are exactly `1`).
pub(super) fn placed(negative: bool, plus: bool, digits: &str, unit: Option<&Unit>) -> String {
    let sign = if negative {
        "-"
    } else if plus {
        "+"
    } else {
        ""
    };
    // Joined with `push_str` rather than `format!`: charts and tables place thousands.
    let joined = |parts: [&str; 4]| {
        let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            out.push_str(part);
        }
        out
    };
    let Some(unit) = unit.filter(|u| !u.text().is_empty()) else {
        return joined([sign, digits, "", ""]);
    };
    let text = unit_text(unit, digits);
    if unit.before() {
        // `CHF 12`, but `$12`, `US$12`.
        let space = if text.ends_with(|c: char| c.is_alphabetic() && !is_cjk(c)) {
            " "
        } else {
            ""
        };
        joined([sign, text, space, digits])
    } else {
        joined([sign, digits, space_after(text), text])
    }
}

/// [`placed`] written into `digits` itself where the unit follows them (an axis
/// writes a few a chart).
pub(super) fn placed_owned(negative: bool, mut digits: String, unit: Option<&Unit>) -> String {
    match unit.filter(|u| !u.text().is_empty()) {
        Some(u) if u.before() => placed(negative, false, &digits, unit),
        None => {
            if negative {
                digits.insert(0, '-');
            }
            digits
        }
        Some(u) => {
            let text = unit_text(u, &digits);
            if negative {
                digits.insert(0, '-');
            }
            digits.push_str(space_after(text));
            digits.push_str(text);
            digits
        }
    }
}

/// The unit's text after digits `digits` (unsigned): the singular after exactly `1`.
fn unit_text<'u>(unit: &'u Unit, digits: &str) -> &'u str {
    if digits == "1" { unit.text_for(1.0) } else { unit.text() }
}

/// The space between digits and a unit written after them: `120 ms`, `20,000 users`,
/// but `45%`, `38日`.
fn space_after(text: &str) -> &'static str {
    if text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        " "
    } else {
        ""
    }
}

/// Han, kana and the CJK symbols: written without a space next to a number.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// A value with exactly `decimals` decimals and thousands separators: `5.0`, `-1,234.50`.
/// A value that rounds to zero has no sign.
pub(super) fn fixed(v: f64, decimals: usize) -> String {
    if let Some(n) = fixed_digits(v, decimals) {
        let mut out = String::with_capacity(24);
        if v < 0.0 && n != 0 {
            out.push('-');
        }
        let whole = n / POWERS_OF_TEN[decimals];
        let mut buf = [0u8; 20];
        push_grouped(&mut out, ascii_digits(whole, &mut buf));
        if decimals > 0 {
            out.push('.');
            push_padded(&mut out, n % POWERS_OF_TEN[decimals], decimals);
        }
        return out;
    }
    let s = format!("{v:.decimals$}");
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) if rest.bytes().any(|b| b != b'0' && b != b'.') => ("-", rest),
        Some(rest) => ("", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    push_grouped(&mut out, int);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// 10ⁿ for the decimals [`fixed_digits`] handles.
pub const POWERS_OF_TEN: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// `|v| × 10^decimals` rounded to a whole number as `format!("{v:.decimals$}")` rounds it
/// (its digits without the point), where integer arithmetic is sure to agree: `None` for
/// more than six decimals, non-finite or huge values, and values whose scaled fraction is
/// near a half. Charts write thousands of numbers, and `{:.N}` of a float is slow.
///
/// The product is exact but for one rounding (powers of ten up to 10²² are exact), so
/// below 10¹² it is within 2⁻⁵³ × 10¹² ≈ 10⁻⁴ of `|v| × 10^decimals`; unless its fraction is
/// within 10⁻³ of a half, both round to the same whole number.
pub fn fixed_digits(v: f64, decimals: usize) -> Option<u64> {
    let factor = *POWERS_OF_TEN.get(decimals)? as f64;
    let scaled = v.abs() * factor;
    if !scaled.is_finite() || scaled >= 1e12 || ((scaled - scaled.trunc()) - 0.5).abs() <= 1e-3 {
        return None;
    }
    Some(scaled.round() as u64)
}

/// The decimal digits of `n`, written into the end of `buf`.
pub fn ascii_digits(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// Appends `n` as exactly `width` digits, zeros in front (a fraction's digits).
pub fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut buf = [0u8; 20];
    let digits = ascii_digits(n, &mut buf);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(digits);
}

/// Appends `v` with at most `decimals` decimals and no trailing zeros, as
/// `format!("{v:.decimals$}")` with its trailing zeros (and point) cut: `10.5`, `12`,
/// `-0` (the sign of any negative value is kept). No separators: for SVG attributes.
pub fn push_trimmed(out: &mut String, v: f64, decimals: usize) {
    let Some(n) = fixed_digits(v, decimals) else {
        let s = format!("{v:.decimals$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        out.push_str(s);
        return;
    };
    if v.is_sign_negative() {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    out.push_str(ascii_digits(n / POWERS_OF_TEN[decimals], &mut buf));
    let mut frac = n % POWERS_OF_TEN[decimals];
    if frac != 0 {
        let mut width = decimals;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        out.push('.');
        push_padded(out, frac, width);
    }
}

/// A value for reading: thousands separators, at most three decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    // Charts and tables format every point, and `{:.3}` is slow. Below 10^9 the product
    // `v * 1000` is within 10^-4 of the exact value, so unless its fraction is near a
    // half (where the two could round differently) rounding it gives the same digits.
    let scaled = v * 1000.0;
    if scaled.abs() < 1e12 && ((scaled - scaled.trunc()).abs() - 0.5).abs() > 1e-3 {
        let n = scaled.round() as i64;
        let (int, thousandths) = (n.unsigned_abs() / 1000, n.unsigned_abs() % 1000);
        let mut out = String::with_capacity(24);
        if n < 0 {
            out.push('-');
        }
        let mut buf = [0u8; 20];
        push_grouped(&mut out, ascii_digits(int, &mut buf));
        if thousandths != 0 {
            let frac = [
                b'0' + (thousandths / 100) as u8,
                b'0' + (thousandths / 10 % 10) as u8,
                b'0' + (thousandths % 10) as u8,
            ];
            out.push('.');
            out.push_str(std::str::from_utf8(&frac).unwrap_or_default().trim_end_matches('0'));
        }
        return out;
    }
    let s = fixed(v, 3);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Appends ASCII digits with a comma between thousands.
pub(super) fn push_grouped(out: &mut String, int: &str) {
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

/// A value in full with its unit placed: `45%`, `38日`, `120 ms`, `20,000 users`,
/// `$452,000`, `-$1,200`, `1 customer`.
pub fn with_unit(v: f64, unit: Option<&Unit>) -> String {
    let digits = number(v);
    // What `placed` writes, but on the end of `digits` where the unit follows them
    // (every chart's table writes a value a row).
    let Some(unit) = unit.filter(|u| !u.text().is_empty()) else {
        return digits;
    };
    if !unit.before() {
        let text = unit_text(unit, digits.strip_prefix('-').unwrap_or(&digits));
        let mut out = digits;
        out.push_str(space_after(text));
        out.push_str(text);
        return out;
    }
    match digits.strip_prefix('-') {
        Some(abs) => placed(true, false, abs, Some(unit)),
        None => placed(false, false, &digits, Some(unit)),
    }
}

/// `v` rounded to `digits` significant digits (65.571 → 65.6).
pub fn round_significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let exponent = digits - 1 - magnitude;
    // Powers of ten up to 10^22 are exact, so scaling by one (rather than by its
    // inverse, 0.1 being inexact) changes nothing a value written with `digits`
    // significant digits holds.
    let rounded = if exponent >= 0 {
        let factor = 10f64.powi(exponent);
        (v * factor).round() / factor
    } else {
        let factor = 10f64.powi(-exponent);
        (v / factor).round() * factor
    };
    // For tiny (subnormal) or huge values the factor over- or underflows and the
    // result would be NaN or infinite: such values are shown as they are.
    if rounded.is_finite() { rounded } else { v }
}

/// `v` rounded to `decimals` decimals (0.6499999999999999 → 0.65 at 4), the nearest
/// double to the rounded decimal, so it prints as that decimal.
pub fn round_decimals(v: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    let rounded = (v * factor).round() / factor;
    if rounded.is_finite() { rounded } else { v }
}

/// A score as a whole percentage, for bar widths.
pub fn percent(score: f64) -> u32 {
    (score.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// Scores are shown with two decimals: 0.72. A negative zero (or a tiny negative
/// value that rounds to zero) is shown as 0.00, never -0.00.
pub fn score(v: f64) -> String {
    if let Some(n) = fixed_digits(v, 2) {
        let mut out = String::with_capacity(8);
        if v < 0.0 && n != 0 {
            out.push('-');
        }
        let mut buf = [0u8; 20];
        out.push_str(ascii_digits(n / 100, &mut buf));
        out.push('.');
        push_padded(&mut out, n % 100, 2);
        return out;
    }
    let s = format!("{v:.2}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}
