//! Quarters: parsing `YYYY-QN`, their days under a fiscal year, and quarter arithmetic
//! (the next and previous quarter, the quarter holding a day, the quarters a span of
//! days crosses). Everything that counts in quarters does it here.

use std::fmt;

use jiff::civil::Date;

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
    pub fn parse_explained(s: &str) -> Result<Quarter, String> {
        let shape = || format!("`{s}` is not a quarter: write YYYY-QN with N in 1..4, e.g. 2025-Q3");
        let (year, q) = s.split_once("-Q").ok_or_else(shape)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || q.len() != 1 {
            return Err(shape());
        }
        let year: i16 = year.parse().map_err(|_| shape())?;
        let number: i8 = q.parse().map_err(|_| shape())?;
        if !(1..=4).contains(&number) {
            return Err(format!(
                "`{s}` is not a quarter: there is no quarter {number}; quarters are Q1 to Q4"
            ));
        }
        if year < 1 {
            return Err(format!(
                "`{s}` is not a quarter: there is no year 0000; years run from 0001 to 9999"
            ));
        }
        Ok(Quarter { year, number })
    }

    /// Parses a quarter whose every day exists given the month the fiscal year starts in:
    /// with a fiscal year from April, `9999-Q4` would end in March of year 10000, after
    /// 9999-12-31, the last day okrsite (and its date library) can represent.
    pub fn parse_for(s: &str, fiscal_year_start_month: i8) -> Result<Quarter, String> {
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
    pub fn try_bounds(self, fiscal_year_start_month: i8) -> Result<(Date, Date), String> {
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
            let fiscal = if fiscal_year_start_month == 1 {
                "calendar quarters".to_string()
            } else {
                format!("a fiscal year starting in month {fiscal_year_start_month}")
            };
            let last_quarter = (1..=4)
                .rev()
                .map(|n| Quarter { year: 9999, number: n })
                .find(|q| q.last_month_year(fiscal_year_start_month) <= 9999)
                .map_or_else(|| "9998-Q4".to_string(), |q| q.to_string());
            format!(
                "{self} ends in {year:04}-{month:02} with {fiscal}, after 9999-12-31, the last day okrsite can represent; the last quarter it accepts is {last_quarter}"
            )
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
        let e = Quarter::parse_for("9999-Q4", 4).unwrap_err();
        assert!(e.contains("9999-Q4 ends in 10000-03"), "{e}");
        assert!(e.contains("fiscal year starting in month 4"), "{e}");
        assert!(e.contains("the last quarter it accepts is 9999-Q3"), "{e}");
        // From December: even 9999-Q1 (Dec 9999 to Feb 10000) is beyond.
        let e = Quarter::parse_for("9999-Q1", 12).unwrap_err();
        assert!(e.contains("ends in 10000-02") && e.contains("9998-Q4"), "{e}");
        let e = Quarter::parse_for("9999-Q2", 12).unwrap_err();
        assert!(e.contains("9999-Q2 ends in 10000-05"), "{e}");
        // The first year.
        assert_eq!(
            Quarter::parse_for("0001-Q1", 1).unwrap().bounds(1),
            (date(1, 1, 1), date(1, 3, 31))
        );
        assert!(Quarter::parse_for("0001-Q1", 4).is_ok());
        let e = Quarter::parse_explained("0000-Q1").unwrap_err();
        assert!(e.contains("years run from 0001 to 9999"), "{e}");
        let e = Quarter::parse_explained("2025-Q5").unwrap_err();
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
}
