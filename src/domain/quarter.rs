//! Quarters: parsing `YYYY-QN`, their days under a fiscal year, and quarter arithmetic
//! (the next and previous quarter, the quarter holding a day, the quarters a span of
//! days crosses). Everything that counts in quarters does it here.

use std::fmt;

use jiff::civil::Date;

use crate::messages::Message;
use crate::msg;

/// Why a text is not a quarter okrsite can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuarterError {
    #[error("{}", self.message())]
    Shape(String),
    #[error("{}", self.message())]
    NoSuchQuarter { text: String, number: i8 },
    #[error("{}", self.message())]
    YearZero(String),
    /// A day of the quarter lies after 9999-12-31 under this fiscal year.
    #[error("{}", self.message())]
    BeyondCalendar {
        quarter: Quarter,
        year: i32,
        month: i32,
        fiscal_year_start_month: i8,
        last_accepted: String,
    },
}

impl QuarterError {
    /// The error in the command line's words.
    pub fn message(&self) -> Message {
        match self {
            QuarterError::Shape(text) => msg!("quarter.shape", text = text),
            QuarterError::NoSuchQuarter { text, number } => {
                msg!("quarter.no_such", text = text, number = number.to_string())
            }
            QuarterError::YearZero(text) => msg!("quarter.year_zero", text = text),
            QuarterError::BeyondCalendar {
                quarter,
                year,
                month,
                fiscal_year_start_month,
                last_accepted,
            } => msg!(
                "quarter.beyond",
                quarter = quarter.to_string(),
                year = format!("{year:04}"),
                month = format!("{month:02}"),
                fiscal = fiscal_words(*fiscal_year_start_month),
                last = last_accepted,
            ),
        }
    }
}

fn fiscal_words(fiscal_year_start_month: i8) -> Message {
    if fiscal_year_start_month == 1 {
        msg!("quarter.calendar")
    } else {
        msg!("quarter.fiscal", month = fiscal_year_start_month.to_string())
    }
}

/// A quarter id such as `2025-Q3`: fiscal year and quarter number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    pub number: i8,
}

impl Quarter {
    /// Parses `YYYY-QN` with N in 1..4 and the year in 0001..9999 (the dates okrsite
    /// reads). Whether the quarter's days exist depends on the fiscal year: see
    /// [`Quarter::parse_for`].
    pub fn parse(s: &str) -> Option<Quarter> {
        Quarter::parse_explained(s).ok()
    }

    /// Like [`Quarter::parse`], saying what is wrong: the shape, the quarter number or
    /// the year.
    pub fn parse_explained(s: &str) -> Result<Quarter, QuarterError> {
        let shape = || QuarterError::Shape(s.to_string());
        let (year, q) = s.split_once("-Q").ok_or_else(shape)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || q.len() != 1 {
            return Err(shape());
        }
        let year: i16 = year.parse().map_err(|_| shape())?;
        let number: i8 = q.parse().map_err(|_| shape())?;
        if !(1..=4).contains(&number) {
            return Err(QuarterError::NoSuchQuarter {
                text: s.to_string(),
                number,
            });
        }
        if year < 1 {
            return Err(QuarterError::YearZero(s.to_string()));
        }
        Ok(Quarter { year, number })
    }

    /// Parses a quarter whose every day exists given the month the fiscal year starts in:
    /// with a fiscal year from April, `9999-Q4` would end in March of year 10000, after
    /// 9999-12-31, the last day okrsite (and its date library) can represent.
    pub fn parse_for(s: &str, fiscal_year_start_month: i8) -> Result<Quarter, QuarterError> {
        let q = Quarter::parse_explained(s)?;
        q.try_bounds(fiscal_year_start_month)?;
        Ok(q)
    }

    /// The calendar year of the quarter's last month.
    fn last_month_year(self, fiscal_year_start_month: i8) -> i32 {
        let last = (i32::from(fiscal_year_start_month) - 1) + (i32::from(self.number) - 1) * 3 + 2;
        i32::from(self.year) + last.div_euclid(12)
    }

    /// First and last day (both inclusive) given the month the fiscal year starts in,
    /// or what is wrong when a day lies beyond 9999-12-31.
    pub fn try_bounds(self, fiscal_year_start_month: i8) -> Result<(Date, Date), QuarterError> {
        let months_from_year_start = (i32::from(fiscal_year_start_month) - 1) + (i32::from(self.number) - 1) * 3;
        // The first day of the month `months` after January of the quarter's year.
        let first_of = |months: i32| {
            let year = i32::from(self.year) + months.div_euclid(12);
            let month = months.rem_euclid(12) + 1;
            i16::try_from(year)
                .ok()
                .and_then(|y| Date::new(y, month as i8, 1).ok())
                .ok_or(())
        };
        let after = months_from_year_start + 3;
        let beyond = || {
            // The quarter's last month: the month before `after`.
            let last = after - 1;
            let (year, month) = (i32::from(self.year) + last.div_euclid(12), last.rem_euclid(12) + 1);
            let last_accepted = (1..=4)
                .rev()
                .map(|n| Quarter { year: 9999, number: n })
                .find(|q| q.last_month_year(fiscal_year_start_month) <= 9999)
                .map_or_else(|| "9998-Q4".to_string(), |q| q.to_string());
            QuarterError::BeyondCalendar {
                quarter: self,
                year,
                month,
                fiscal_year_start_month,
                last_accepted,
            }
        };
        let start = first_of(months_from_year_start).map_err(|_| beyond())?;
        let end = first_of(after)
            .ok()
            .and_then(|d| d.yesterday().ok())
            // A quarter ending on 9999-12-31 has no following month to count back from.
            .or_else(|| (after == (10_000 - i32::from(self.year)) * 12).then_some(Date::MAX))
            .ok_or_else(beyond)?;
        Ok((start, end))
    }

    /// First and last day (both inclusive) given the month the fiscal year starts in.
    /// With start month m, Q1 of year Y starts on the first of month m of calendar year Y.
    /// Quarters are checked with [`Quarter::parse_for`] when content is read; for one
    /// beyond the calendar both days are the last day there is.
    pub fn bounds(self, fiscal_year_start_month: i8) -> (Date, Date) {
        self.try_bounds(fiscal_year_start_month)
            .unwrap_or((Date::MAX, Date::MAX))
    }

    /// The quarter before this one: Q1's is Q4 of the year before.
    pub fn previous(self) -> Quarter {
        if self.number == 1 {
            Quarter {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number - 1,
            }
        }
    }

    /// The quarter after this one: Q4's is Q1 of the year after.
    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number + 1,
            }
        }
    }

    /// The quarter holding `day`, given the month the fiscal year starts in: with a
    /// fiscal year from April, 2026-02-10 is in 2025-Q4. The year is the one the fiscal
    /// year starts in, as [`Quarter::try_bounds`] reads it; a day of the year 0001
    /// before the fiscal year's first month is in a quarter of the year 0000.
    pub fn containing(day: Date, fiscal_year_start_month: i8) -> Quarter {
        let months_from_year_start = i32::from(day.month()) - i32::from(fiscal_year_start_month);
        let year = i32::from(day.year()) + months_from_year_start.div_euclid(12);
        let number = months_from_year_start.rem_euclid(12) / 3 + 1;
        Quarter {
            // A date's year is within ±9999, so one year earlier still fits.
            year: year as i16,
            number: number as i8,
        }
    }

    /// This quarter and those after it, up to and including `last` (none when `last`
    /// comes first).
    pub fn through(self, last: Quarter) -> impl Iterator<Item = Quarter> {
        std::iter::successors(Some(self), |q| Some(q.next())).take_while(move |q| *q <= last)
    }

    /// The quarters from the one holding `from` to the one holding `to`, in order: the
    /// quarters a span of days touches. Each holds a day of the span; the last can end
    /// beyond 9999-12-31 (9999-Q4 with a fiscal year from February), which
    /// [`Quarter::try_bounds`] reports.
    pub fn spanning(from: Date, to: Date, fiscal_year_start_month: i8) -> impl Iterator<Item = Quarter> {
        let first = Quarter::containing(from, fiscal_year_start_month);
        first.through(Quarter::containing(to, fiscal_year_start_month))
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.number)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuarterStatus {
    Upcoming,
    InProgress,
    Ended,
}

impl QuarterStatus {
    pub fn of(start: Date, end: Date, today: Date) -> QuarterStatus {
        if today > end {
            QuarterStatus::Ended
        } else if today >= start {
            QuarterStatus::InProgress
        } else {
            QuarterStatus::Upcoming
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn quarter_parsing() {
        assert_eq!(Quarter::parse("2025-Q3"), Some(Quarter { year: 2025, number: 3 }));
        for bad in ["2025-Q5", "2025-Q0", "25-Q1", "2025-q1", "2025-Q12", "abcd-Q1"] {
            assert_eq!(Quarter::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn quarters_at_the_edge_of_the_calendar_say_what_is_wrong() {
        // Calendar quarters: 9999-Q4 ends on the last day there is.
        assert_eq!(
            Quarter::parse_for("9999-Q4", 1).unwrap().bounds(1),
            (date(9999, 10, 1), date(9999, 12, 31))
        );
        // From April: 9999-Q3 is the last quarter; Q4 would end in 10000-03.
        assert_eq!(
            Quarter::parse_for("9999-Q3", 4).unwrap().bounds(4),
            (date(9999, 10, 1), date(9999, 12, 31))
        );
        let e = Quarter::parse_for("9999-Q4", 4).unwrap_err().to_string();
        assert!(e.contains("9999-Q4 ends in 10000-03"), "{e}");
        assert!(e.contains("fiscal year starting in month 4"), "{e}");
        assert!(e.contains("the last quarter it accepts is 9999-Q3"), "{e}");
        // From December: even 9999-Q1 (Dec 9999 to Feb 10000) is beyond.
        let e = Quarter::parse_for("9999-Q1", 12).unwrap_err().to_string();
        assert!(e.contains("ends in 10000-02") && e.contains("9998-Q4"), "{e}");
        let e = Quarter::parse_for("9999-Q2", 12).unwrap_err().to_string();
        assert!(e.contains("9999-Q2 ends in 10000-05"), "{e}");
        // The first year.
        assert_eq!(
            Quarter::parse_for("0001-Q1", 1).unwrap().bounds(1),
            (date(1, 1, 1), date(1, 3, 31))
        );
        assert!(Quarter::parse_for("0001-Q1", 4).is_ok());
        let e = Quarter::parse_explained("0000-Q1").unwrap_err().to_string();
        assert!(e.contains("years run from 0001 to 9999"), "{e}");
        let e = Quarter::parse_explained("2025-Q5").unwrap_err().to_string();
        assert!(e.contains("there is no quarter 5"), "{e}");
        // Every month and quarter of the last years: a result or an error, never a panic.
        for fy in 1..=12 {
            for year in [1, 2, 9998, 9999] {
                for n in 1..=4 {
                    let q = Quarter { year, number: n };
                    if let Ok((s, e)) = q.try_bounds(fy) {
                        assert!(s < e, "{q} {fy}");
                    }
                    let _ = q.previous();
                }
            }
        }
    }

    #[test]
    fn calendar_quarter_bounds() {
        let q = Quarter::parse("2025-Q3").unwrap();
        assert_eq!(q.bounds(1), (date(2025, 7, 1), date(2025, 9, 30)));
        let q = Quarter::parse("2024-Q1").unwrap();
        assert_eq!(q.bounds(1), (date(2024, 1, 1), date(2024, 3, 31)));
        let q = Quarter::parse("2025-Q4").unwrap();
        assert_eq!(q.bounds(1), (date(2025, 10, 1), date(2025, 12, 31)));
    }

    #[test]
    fn fiscal_year_starting_in_april() {
        assert_eq!(
            Quarter::parse("2025-Q1").unwrap().bounds(4),
            (date(2025, 4, 1), date(2025, 6, 30))
        );
        assert_eq!(
            Quarter::parse("2025-Q4").unwrap().bounds(4),
            (date(2026, 1, 1), date(2026, 3, 31))
        );
        assert_eq!(
            Quarter::parse("2025-Q3").unwrap().bounds(12),
            (date(2026, 6, 1), date(2026, 8, 31))
        );
    }

    #[test]
    fn quarter_status() {
        let (s, e) = (date(2025, 7, 1), date(2025, 9, 30));
        assert_eq!(QuarterStatus::of(s, e, date(2025, 9, 30)), QuarterStatus::InProgress);
        assert_eq!(QuarterStatus::of(s, e, date(2025, 10, 1)), QuarterStatus::Ended);
        assert_eq!(QuarterStatus::of(s, e, date(2025, 6, 30)), QuarterStatus::Upcoming);
    }

    fn q(year: i16, number: i8) -> Quarter {
        Quarter { year, number }
    }

    #[test]
    fn next_and_previous_cross_the_year() {
        assert_eq!(q(2025, 3).next(), q(2025, 4));
        assert_eq!(q(2025, 4).next(), q(2026, 1));
        assert_eq!(q(2026, 1).previous(), q(2025, 4));
        assert_eq!(q(2025, 2).previous(), q(2025, 1));
        // The ends of the years a quarter may be written with.
        assert_eq!(q(1, 1).previous(), q(0, 4));
        assert_eq!(q(9999, 4).next(), q(10_000, 1));
        for n in 1..=4 {
            assert_eq!(q(2025, n).next().previous(), q(2025, n));
            assert_eq!(q(2025, n).previous().next(), q(2025, n));
            assert!(q(2025, n).previous() < q(2025, n) && q(2025, n) < q(2025, n).next());
        }
    }

    #[test]
    fn the_quarter_holding_a_day() {
        // Calendar quarters.
        assert_eq!(Quarter::containing(date(2025, 1, 1), 1), q(2025, 1));
        assert_eq!(Quarter::containing(date(2025, 3, 31), 1), q(2025, 1));
        assert_eq!(Quarter::containing(date(2025, 4, 1), 1), q(2025, 2));
        assert_eq!(Quarter::containing(date(2025, 12, 31), 1), q(2025, 4));
        // A fiscal year from April: January to March close the year before.
        assert_eq!(Quarter::containing(date(2025, 4, 1), 4), q(2025, 1));
        assert_eq!(Quarter::containing(date(2025, 12, 31), 4), q(2025, 3));
        assert_eq!(Quarter::containing(date(2026, 1, 1), 4), q(2025, 4));
        assert_eq!(Quarter::containing(date(2026, 3, 31), 4), q(2025, 4));
        assert_eq!(Quarter::containing(date(2025, 3, 31), 4), q(2024, 4));
        // From December: a quarter crosses the calendar year.
        assert_eq!(Quarter::containing(date(2025, 12, 1), 12), q(2025, 1));
        assert_eq!(Quarter::containing(date(2026, 2, 28), 12), q(2025, 1));
        assert_eq!(Quarter::containing(date(2025, 11, 30), 12), q(2024, 4));
        // The ends of the calendar.
        assert_eq!(Quarter::containing(date(1, 1, 1), 1), q(1, 1));
        assert_eq!(Quarter::containing(date(1, 1, 1), 4), q(0, 4));
        assert_eq!(Quarter::containing(date(9999, 12, 31), 1), q(9999, 4));
        assert_eq!(Quarter::containing(date(9999, 12, 31), 4), q(9999, 3));
        assert_eq!(Quarter::containing(date(9999, 12, 31), 12), q(9999, 1));
    }

    #[test]
    fn the_quarter_holding_a_day_has_it_within_its_bounds() {
        let days = [
            (1, 1, 1),
            (1, 2, 28),
            (2024, 2, 29),
            (2025, 6, 30),
            (2025, 7, 1),
            (9999, 11, 30),
            (9999, 12, 31),
        ];
        for fy in 1..=12 {
            for (y, m, d) in days {
                let day = date(y, m, d);
                let quarter = Quarter::containing(day, fy);
                match quarter.try_bounds(fy) {
                    Ok((start, end)) => assert!(start <= day && day <= end, "{day} in {quarter} from month {fy}"),
                    // Only the last quarter of the calendar can run past its end.
                    Err(_) => assert!(y == 9999 && quarter.year == 9999 && fy != 1, "{day} from month {fy}"),
                }
            }
            // Every first of a month starts or continues the quarter of the day before.
            for month in 1..=12 {
                let first = date(2025, month, 1);
                let before = Quarter::containing(first.yesterday().unwrap(), fy);
                let expected = if (month - fy).rem_euclid(3) == 0 {
                    before.next()
                } else {
                    before
                };
                assert_eq!(Quarter::containing(first, fy), expected, "{first} from month {fy}");
            }
        }
    }

    #[test]
    fn the_quarters_a_span_of_days_touches() {
        let spanning = |from, to, fy| {
            Quarter::spanning(from, to, fy)
                .map(|q| q.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            spanning(date(2025, 2, 10), date(2025, 8, 1), 1),
            ["2025-Q1", "2025-Q2", "2025-Q3"]
        );
        assert_eq!(spanning(date(2025, 7, 7), date(2025, 7, 7), 1), ["2025-Q3"]);
        // Across the calendar year, and across the fiscal year.
        assert_eq!(
            spanning(date(2025, 12, 31), date(2026, 1, 1), 1),
            ["2025-Q4", "2026-Q1"]
        );
        assert_eq!(
            spanning(date(2025, 12, 31), date(2026, 1, 1), 4),
            ["2025-Q3", "2025-Q4"]
        );
        assert_eq!(spanning(date(2026, 3, 31), date(2026, 4, 1), 4), ["2025-Q4", "2026-Q1"]);
        assert_eq!(
            spanning(date(2025, 1, 15), date(2026, 4, 15), 4),
            ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
        );
        assert!(spanning(date(2025, 8, 1), date(2025, 2, 10), 1).is_empty());
        // The whole calendar, from April: 0000-Q4 (Jan–Mar 0001) to 9999-Q3 (Oct–Dec 9999),
        // (9999 − 0) × 4 + (3 − 4) + 1 quarters, each with days that exist.
        let all: Vec<Quarter> = Quarter::spanning(date(1, 1, 1), date(9999, 12, 31), 4).collect();
        assert_eq!(all.len(), 39_996);
        assert_eq!((all[0], all[all.len() - 1]), (q(0, 4), q(9999, 3)));
        assert!(all.iter().all(|q| q.try_bounds(4).is_ok()));
        assert!(all.windows(2).all(|w| w[0].next() == w[1]));
    }
}
