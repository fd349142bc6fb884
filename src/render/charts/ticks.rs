//! Axis ticks: calendar-aligned dates along x (month starts for spans over about
//! three months, Mondays for shorter ones) and nice numbers (1, 2 or 5 × 10ⁿ) up y.
//! Every tick lies inside the axis: none past its end.

use jiff::civil::Date;

use super::{date_of, day};

pub use crate::render::format::DateTick;

/// A span of more days than this gets month ticks; a shorter one Mondays.
pub const MONTHS_FROM_DAYS: f64 = 92.0;

/// Calendar ticks on the days `left..=right`, at most `max` of them: month starts
/// (every 1, 2, 3, 6 or 12 months, counted from January) for spans over
/// [`MONTHS_FROM_DAYS`], else Mondays (every 1, 2 or 4 weeks), else days.
pub fn date_ticks(left: f64, right: f64, max: usize) -> Vec<(f64, Date, DateTick)> {
    let max = max.max(2);
    if !(left.is_finite() && right.is_finite()) || right < left {
        return Vec::new();
    }
    let (first, last) = (date_of(left.ceil()), date_of(right.floor()));
    if right - left > MONTHS_FROM_DAYS {
        for step in [1, 2, 3, 6, 12, 24, 60, 120, 600, 1200] {
            let ticks = month_starts(first, last, step);
            if ticks.len() <= max {
                let mut ticks: Vec<_> = ticks.into_iter().map(|d| (day(d), d, DateTick::Month)).collect();
                mark_years(&mut ticks);
                return ticks;
            }
        }
        return Vec::new();
    }
    let steps: &[i64] = if right - left >= 7.0 { &[7, 14, 28] } else { &[1, 2] };
    for &step in steps {
        // Day 4 (1970-01-05) is a Monday: weekly ticks fall on Mondays, and two- or
        // four-weekly ones on the same Mondays whatever the axis.
        let anchor = if step % 7 == 0 { 4 } else { 0 };
        let start = left.ceil() as i64;
        let first_tick = start + (anchor - start).rem_euclid(step);
        let ticks: Vec<(f64, Date, DateTick)> = (0..)
            .map(|k| first_tick + k * step)
            .take_while(|&x| x as f64 <= right)
            .map(|x| (x as f64, date_of(x as f64), DateTick::Day))
            .collect();
        if ticks.len() <= max {
            return ticks;
        }
    }
    Vec::new()
}

/// Writes the year on month ticks only where the ticks themselves cross a year: then
/// on the first tick and on every January; ticks within one calendar year are
/// months alone (`10月`, `Oct`), even when the axis runs a day or two into the next
/// year. Day ticks are left as they are. Run again on the ticks an axis keeps.
pub fn mark_years(ticks: &mut [(f64, Date, DateTick)]) {
    let years = |t: &(f64, Date, DateTick)| t.1.year();
    let spans_years = match (ticks.first(), ticks.last()) {
        (Some(a), Some(b)) => years(a) != years(b),
        _ => false,
    };
    for (i, t) in ticks.iter_mut().enumerate() {
        if t.2 == DateTick::Day {
            continue;
        }
        t.2 = if spans_years && (i == 0 || t.1.month() == 1) {
            DateTick::MonthYear
        } else {
            DateTick::Month
        };
    }
}

/// First days of months from `first` to `last` whose month index (from January of
/// year 0) is a multiple of `step`.
fn month_starts(first: Date, last: Date, step: i32) -> Vec<Date> {
    let index = |d: Date| i32::from(d.year()) * 12 + i32::from(d.month()) - 1;
    let mut i = index(first) + if first.day() == 1 { 0 } else { 1 };
    i += (-i).rem_euclid(step);
    let mut out = Vec::new();
    while i <= index(last) {
        let (y, m) = (i.div_euclid(12), i.rem_euclid(12) + 1);
        match Date::new(y as i16, m as i8, 1) {
            Ok(d) if d <= last => out.push(d),
            _ => break,
        }
        i += step;
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

/// Nice value ticks inside `lo..=hi`, at most `max` (and at least two where the
/// range allows): multiples of 1, 2 or 5 × 10ⁿ. Returns the ticks and their step.
pub fn value_ticks(lo: f64, hi: f64, max: usize) -> (Vec<f64>, f64) {
    let max = max.max(2);
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (Vec::new(), 1.0);
    }
    let raw = (hi - lo) / (max - 1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0, 20.0] {
        let step = m * magnitude;
        if step <= 0.0 || !step.is_finite() {
            break;
        }
        let (a, b) = ((lo / step).ceil(), (hi / step).floor());
        if b - a + 1.0 <= max as f64 {
            let ticks = (0..=((b - a) as i64).max(0))
                .map(|k| {
                    let v = (a + k as f64) * step;
                    // 0.1 × 3 is 0.30000000000000004: round to the step's decimals.
                    let decimals = (-step.log10().floor()).clamp(0.0, 15.0) as i32;
                    let f = 10f64.powi(decimals);
                    let v = (v * f).round() / f;
                    if v == 0.0 { 0.0 } else { v }
                })
                .filter(|v| *v >= lo && *v <= hi)
                .collect();
            return (ticks, step);
        }
    }
    (vec![lo, hi], hi - lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, dd: i8) -> Date {
        Date::new(y, m, dd).unwrap()
    }

    fn dates(left: Date, right: Date, max: usize) -> Vec<(String, DateTick)> {
        date_ticks(day(left), day(right), max)
            .into_iter()
            .map(|(_, date, k)| (date.to_string(), k))
            .collect()
    }

    #[test]
    fn a_quarter_has_month_ticks_inside_it() {
        // 2025-Q3 of a fiscal year from April: Oct 1 to Dec 31, 91 days + 2 of margin.
        let t = date_ticks(day(d(2025, 9, 29)), day(d(2026, 1, 2)), 6);
        let names: Vec<String> = t.iter().map(|x| x.1.to_string()).collect();
        assert_eq!(names, ["2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01"]);
        assert_eq!(t[0].2, DateTick::MonthYear);
        assert_eq!(t[3].2, DateTick::MonthYear);
        assert_eq!(t[1].2, DateTick::Month);
        assert!(t.iter().all(|x| x.0 <= day(d(2026, 1, 2))), "none past the end");
    }

    #[test]
    fn ticks_within_one_year_have_no_year() {
        // 2025-Q3 of a fiscal year from April with a margin into January, every two
        // months: Sep, Nov, Jan cross a year; Sep and Nov alone (as an axis that has
        // no room for the January text keeps them) do not.
        let mut t = date_ticks(day(d(2025, 8, 25)), day(d(2026, 1, 2)), 3);
        let kinds: Vec<DateTick> = t.iter().map(|x| x.2).collect();
        assert_eq!(kinds, [DateTick::MonthYear, DateTick::Month, DateTick::MonthYear]);
        t.pop();
        mark_years(&mut t);
        assert!(t.iter().all(|x| x.2 == DateTick::Month), "{t:?}");
        // A quarter inside one calendar year.
        let t = date_ticks(day(d(2025, 6, 28)), day(d(2025, 10, 2)), 6);
        assert!(t.iter().all(|x| x.2 == DateTick::Month), "{t:?}");
    }

    #[test]
    fn short_spans_tick_on_mondays() {
        // 2026-07-01 is a Wednesday: the Mondays are 6, 13, 20, 27 July.
        assert_eq!(
            dates(d(2026, 7, 1), d(2026, 7, 31), 6),
            [
                ("2026-07-06".to_string(), DateTick::Day),
                ("2026-07-13".to_string(), DateTick::Day),
                ("2026-07-20".to_string(), DateTick::Day),
                ("2026-07-27".to_string(), DateTick::Day),
            ]
        );
        // Eight weeks with room for three ticks: every four weeks, still Mondays.
        let t = dates(d(2026, 7, 1), d(2026, 8, 26), 3);
        assert_eq!(t.len(), 2);
        for (s, _) in &t {
            let date: Date = s.parse().unwrap();
            assert_eq!(date.weekday(), jiff::civil::Weekday::Monday, "{s}");
        }
    }

    #[test]
    fn long_spans_tick_on_fewer_month_starts() {
        // Five years with room for six ticks: every 12 months, on January, with years.
        let t = dates(d(2021, 3, 15), d(2026, 3, 14), 6);
        assert_eq!(
            t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01", "2026-01-01"]
        );
        assert!(t.iter().all(|x| x.1 == DateTick::MonthYear));
        // A year with four ticks: every 3 months from January.
        let t = dates(d(2025, 4, 1), d(2026, 3, 31), 4);
        assert_eq!(
            t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"]
        );
        assert_eq!(
            t.iter().map(|x| x.1).collect::<Vec<_>>(),
            [
                DateTick::MonthYear,
                DateTick::Month,
                DateTick::Month,
                DateTick::MonthYear
            ]
        );
    }

    #[test]
    fn value_ticks_are_nice_and_inside() {
        assert_eq!(
            value_ticks(0.0, 100.0, 6),
            (vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0], 20.0)
        );
        assert_eq!(value_ticks(31.3, 68.2, 5).0, vec![40.0, 50.0, 60.0]);
        let (t, step) = value_ticks(0.21, 0.93, 5);
        assert_eq!(step, 0.2);
        assert_eq!(t, vec![0.4, 0.6, 0.8]);
        let (t, _) = value_ticks(410_000.0, 5_100_000.0, 5);
        assert_eq!(t, vec![1e6, 2e6, 3e6, 4e6, 5e6]);
        for (lo, hi) in [(0.1, 0.7), (-3.0, 2.0), (1e-9, 3e-9), (99.9, 100.2)] {
            let (t, _) = value_ticks(lo, hi, 5);
            assert!(t.len() >= 2 && t.len() <= 5, "{lo} {hi}: {t:?}");
            assert!(t.iter().all(|v| *v >= lo && *v <= hi), "{lo} {hi}: {t:?}");
        }
    }
}
