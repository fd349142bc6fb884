//! Numbers, dates and labels as readers see them, in the site's language.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::Language;
use crate::model::Quarter;

/// The theme's UI strings for one language (`themes/default/i18n/<lang>.toml`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Strings(pub BTreeMap<String, String>);

impl Strings {
    pub fn parse(toml_text: &str) -> Result<Strings, toml::de::Error> {
        let table: toml::Table = toml::from_str(toml_text)?;
        let map = table
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect();
        Ok(Strings(map))
    }

    /// The string for `key`; the key itself when missing, so a gap shows rather than breaks.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// The string with `{name}` replaced.
    pub fn fill(&self, key: &str, name: &str, value: &str) -> String {
        self.get(key).replace(&format!("{{{name}}}"), value)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Formatter {
    pub lang: Language,
    pub fiscal_year_start_month: i8,
}

impl Formatter {
    /// 2025年4月4日 / Apr 4, 2025
    pub fn date(&self, d: Date) -> String {
        match self.lang {
            Language::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Language::En => {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                ];
                format!("{} {}, {}", MONTHS[(d.month() - 1) as usize], d.day(), d.year())
            }
        }
    }

    /// 2025/7/7 or Jul 7: short dates for tables.
    pub fn short_date(&self, d: Date) -> String {
        match self.lang {
            Language::Ja => format!("{}/{}/{}", d.year(), d.month(), d.day()),
            Language::En => self.date(d),
        }
    }

    /// 2025年度 Q3 (fiscal years) or 2025年 Q3 (calendar); FY2025 Q3 / 2025 Q3.
    pub fn quarter(&self, q: Quarter) -> String {
        let fiscal = self.fiscal_year_start_month != 1;
        match (self.lang, fiscal) {
            (Language::Ja, true) => format!("{}年度 Q{}", q.year, q.number),
            (Language::Ja, false) => format!("{}年 Q{}", q.year, q.number),
            (Language::En, true) => format!("FY{} Q{}", q.year, q.number),
            (Language::En, false) => format!("{} Q{}", q.year, q.number),
        }
    }

    pub fn period(&self, start: Date, end: Date) -> String {
        format!("{} – {}", self.date(start), self.date(end))
    }

    /// A change of a value with a unit, signed: `+20 ms (+25%)`, `-3件`. A change of a
    /// percentage is in points, one decimal, with no relative change (45% → 50% is
    /// `+5.0 pt` / `+5.0ポイント`, not `+11%`). `relative` is the change in percent of
    /// the earlier value (where it means something; see
    /// [`crate::insight::comparisons::percent_change`]).
    pub fn change(&self, delta: f64, unit: Option<&str>, relative: Option<f64>) -> String {
        let sign = if delta > 0.0 { "+" } else { "" };
        if unit == Some("%") {
            // Rounded first, so a tiny negative change is `0.0`, never `-0.0`.
            let tenths = (delta * 10.0).round() / 10.0;
            let shown = if tenths == 0.0 { 0.0 } else { tenths };
            let sign = if shown > 0.0 { "+" } else { "" };
            let points = match self.lang {
                Language::Ja => "ポイント",
                Language::En => " pt",
            };
            return format!("{sign}{}{points}", grouped_tenths(shown));
        }
        let relative = relative.map_or(String::new(), |pct| {
            format!(" ({sign}{}%)", number(round_significant(pct, 2)))
        });
        format!("{sign}{}{relative}", with_unit(round_significant(delta, 4), unit))
    }

    /// A chart's date tick, one short form per language: a day `Jul 7` / `7/7`, a
    /// month `Jul` / `7月`, a month with its year `Jan 2026` / `2026年1月`.
    pub fn axis_date(&self, d: Date, kind: DateTick) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS[(d.month() - 1) as usize];
        match (self.lang, kind) {
            (Language::Ja, DateTick::Day) => format!("{}/{}", d.month(), d.day()),
            (Language::Ja, DateTick::Month) => format!("{}月", d.month()),
            (Language::Ja, DateTick::MonthYear) => format!("{}年{}月", d.year(), d.month()),
            (Language::En, DateTick::Day) => format!("{month} {}", d.day()),
            (Language::En, DateTick::Month) => month.to_string(),
            (Language::En, DateTick::MonthYear) => format!("{month} {}", d.year()),
        }
    }
}

/// How a date tick is written ([`Formatter::axis_date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTick {
    /// A day: `Jul 7`, `7/7`.
    Day,
    /// A month: `Jul`, `7月`.
    Month,
    /// A month with its year (January, or the first tick of an axis spanning years):
    /// `Jan 2026`, `2026年1月`.
    MonthYear,
}

/// A value with exactly one decimal and thousands separators: `5.0`, `-1,234.5`.
fn grouped_tenths(v: f64) -> String {
    let s = format!("{v:.1}");
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |rest| ("-", rest));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let mut out = String::from(sign);
    push_grouped(&mut out, int);
    out.push('.');
    out.push_str(frac);
    out
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
        push_grouped(&mut out, &int.to_string());
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
    let s = format!("{:.3}", v);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => ("-", rest),
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

/// Appends ASCII digits with a comma between thousands.
fn push_grouped(out: &mut String, int: &str) {
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

/// A value with its unit: `45%`, `38日`, `120 ms`, `20,000 users`.
pub fn with_unit(v: f64, unit: Option<&str>) -> String {
    let n = number(v);
    match unit {
        None | Some("") => n,
        Some(u) if u.starts_with(|c: char| c.is_ascii_alphabetic()) => format!("{n} {u}"),
        Some(u) => format!("{n}{u}"),
    }
}

/// `v` rounded to `digits` significant digits (65.571 → 65.6).
pub fn round_significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits - 1 - magnitude);
    let rounded = (v * factor).round() / factor;
    // For tiny (subnormal) or huge values the factor over- or underflows and the
    // result would be NaN or infinite: such values are shown as they are.
    if rounded.is_finite() { rounded } else { v }
}

/// A score as a whole percentage, for bar widths.
pub fn percent(score: f64) -> u32 {
    (score.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// Scores are shown with two decimals: 0.72. A negative zero (or a tiny negative
/// value that rounds to zero) is shown as 0.00, never -0.00.
pub fn score(v: f64) -> String {
    let s = format!("{v:.2}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// `number` as it was written first, with `{:.3}` for every value: the fast path
    /// must give exactly the same text.
    fn number_reference(v: f64) -> String {
        let s = format!("{:.3}", v);
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        let (sign, digits) = match s.strip_prefix('-') {
            Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => ("-", rest),
            Some(rest) => ("", rest),
            None => ("", s.as_str()),
        };
        let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}.{f}"),
            None => format!("{sign}{grouped}"),
        }
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #[test]
        fn fast_numbers_match_exact_formatting(
            v in proptest::prop_oneof![
                proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
                -2e9..2e9f64,
                -1000.0..1000.0f64,
                (-2_000_000_000i64..2_000_000_000).prop_map(|n| n as f64 / 2000.0),
                (-2_000_000i64..2_000_000).prop_map(|n| n as f64 / 1000.0 + 0.0005),
            ]
        ) {
            proptest::prop_assert_eq!(number(v), number_reference(v));
        }
    }

    #[test]
    fn fast_numbers_match_exact_formatting_at_edges() {
        for v in [
            0.0,
            -0.0,
            0.0005,
            -0.0005,
            0.0015,
            2.675,
            1.0005,
            -1.0005,
            999_999.999_5,
            1e9,
            -1e9,
            1e12,
            123_456_789.123,
            0.1 + 0.2,
            1e-9,
            -1e-9,
            45.0,
            -3.5,
            1234.5,
            1e20,
            -1e20,
        ] {
            assert_eq!(number(v), number_reference(v), "{v}");
        }
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(number(45.0), "45");
        assert_eq!(number(16.2), "16.2");
        assert_eq!(number(99.975), "99.975");
        assert_eq!(number(20000.0), "20,000");
        assert_eq!(number(-1234.5), "-1,234.5");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(with_unit(45.0, Some("%")), "45%");
        assert_eq!(with_unit(120.0, Some("ms")), "120 ms");
        assert_eq!(with_unit(38.0, Some("日")), "38日");
        assert_eq!(score(0.8), "0.80");
        assert_eq!(round_significant(65.571, 3), 65.6);
        assert_eq!(round_significant(0.0012345, 3), 0.00123);
        assert_eq!(round_significant(123456.0, 3), 123000.0);
    }

    #[test]
    fn changes_of_percentages_are_in_points() {
        let (ja, en) = (
            Formatter {
                lang: Language::Ja,
                fiscal_year_start_month: 4,
            },
            Formatter {
                lang: Language::En,
                fiscal_year_start_month: 1,
            },
        );
        // 45% → 50%: +5 points, although 50 is 11% more than 45.
        let relative = Some((50.0 - 45.0) / 45.0 * 100.0);
        assert_eq!(en.change(50.0 - 45.0, Some("%"), relative), "+5.0 pt");
        assert_eq!(ja.change(50.0 - 45.0, Some("%"), relative), "+5.0ポイント");
        assert_eq!(en.change(47.5 - 50.0, Some("%"), None), "-2.5 pt");
        assert_eq!(en.change(-0.04, Some("%"), None), "0.0 pt");
        assert_eq!(en.change(0.0, Some("%"), None), "0.0 pt");
        assert_eq!(en.change(1234.5, Some("%"), None), "+1,234.5 pt");
        // Other units: the change in the unit, and the relative change where given.
        assert_eq!(en.change(20.0, Some("ms"), Some(25.0)), "+20 ms (+25%)");
        assert_eq!(ja.change(-3.0, Some("件"), None), "-3件");
        assert_eq!(ja.change(50.0, None, Some(150.0)), "+50 (+150%)");
    }

    #[test]
    fn negative_zero_scores_print_as_zero() {
        assert_eq!(score(-0.0), "0.00");
        assert_eq!(score(-0.001), "0.00");
        assert_eq!(score(-0.5), "-0.50");
        assert_eq!(score(0.0), "0.00");
    }

    #[test]
    fn scores_as_bar_widths() {
        assert_eq!(percent(0.734), 73);
        assert_eq!(percent(0.125), 13);
        assert_eq!(percent(1.2), 100);
        assert_eq!(percent(-0.1), 0);
    }

    #[test]
    fn rounding_stays_finite() {
        assert_eq!(round_significant(1e-320, 4), 1e-320);
        assert!(round_significant(f64::MAX, 2).is_finite());
    }

    #[test]
    fn dates_follow_the_language() {
        let ja = Formatter {
            lang: Language::Ja,
            fiscal_year_start_month: 4,
        };
        let en = Formatter {
            lang: Language::En,
            fiscal_year_start_month: 1,
        };
        assert_eq!(ja.date(date(2025, 4, 4)), "2025年4月4日");
        assert_eq!(en.date(date(2025, 4, 4)), "Apr 4, 2025");
        let q = Quarter { year: 2025, number: 3 };
        assert_eq!(ja.quarter(q), "2025年度 Q3");
        assert_eq!(en.quarter(q), "2025 Q3");
    }
}
