//! Numbers, dates and labels as readers see them, in the site's language. Numbers and
//! units (and the rule for compact forms) are in `format/number.rs`.

use jiff::civil::Date;

use crate::config::Language;
use crate::model::Quarter;

mod number;
#[cfg(test)]
mod number_tests;

pub use number::{
    POWERS_OF_TEN, ascii_digits, fixed_digits, number, percent, push_padded, push_trimmed, round_decimals,
    round_significant, score, with_unit,
};

pub use super::strings::Strings;

/// A date as the pages write it in `lang`: 2025年4月4日 / Apr 4, 2025 (what
/// [`Formatter::date`] gives; the charts' tables and notes use it through their labels).
pub fn date(lang: Language, d: Date) -> String {
    // Written with `push_str` rather than `format!`: every chart's table has a date a row.
    let mut out = String::with_capacity(20);
    match lang {
        Language::Ja => {
            push_signed(&mut out, i64::from(d.year()));
            out.push('年');
            push_signed(&mut out, i64::from(d.month()));
            out.push('月');
            push_signed(&mut out, i64::from(d.day()));
            out.push('日');
        }
        Language::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            out.push_str(MONTHS[(d.month() - 1) as usize]);
            out.push(' ');
            push_signed(&mut out, i64::from(d.day()));
            out.push_str(", ");
            push_signed(&mut out, i64::from(d.year()));
        }
    }
    out
}

/// Appends `n` as `Display` writes it.
fn push_signed(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    out.push_str(ascii_digits(n.unsigned_abs(), &mut buf));
}

#[derive(Debug, Clone)]
pub struct Formatter {
    pub lang: Language,
    pub fiscal_year_start_month: i8,
    /// `quarter_name` of okrsite.toml; `None`: the language's default.
    pub quarter_name: Option<String>,
}

impl Formatter {
    /// The formatter of a site: its language, fiscal year and quarter name.
    pub fn new(config: &crate::config::Config) -> Formatter {
        Formatter {
            lang: config.language,
            fiscal_year_start_month: config.fiscal_year_start_month,
            quarter_name: config.quarter_name.clone(),
        }
    }

    /// A date as the pages write it, the one way per language, in prose and tables
    /// alike: 2025年4月4日 / Apr 4, 2025 ([`date`]).
    pub fn date(&self, d: Date) -> String {
        date(self.lang, d)
    }

    /// The compact form, only where the printed one-page sheet has no room for more
    /// (the check-ins of a KR): 2025/7/4 in Japanese; in English the one form, Jul 4, 2025.
    pub fn short_date(&self, d: Date) -> String {
        match self.lang {
            Language::Ja => format!("{}/{}/{}", d.year(), d.month(), d.day()),
            Language::En => self.date(d),
        }
    }

    /// A quarter's name on the pages, the one way they write it: the site's
    /// `quarter_name`, else 2025年度 Q3 (fiscal years) or 2025年 Q3 (calendar);
    /// FY2025 Q3 / Q3 2025 ([`crate::config::default_quarter_name`]).
    pub fn quarter(&self, q: Quarter) -> String {
        let fiscal = self.fiscal_year_start_month != 1;
        let pattern = self
            .quarter_name
            .as_deref()
            .unwrap_or_else(|| crate::config::default_quarter_name(self.lang, fiscal));
        let (year, yy, number) = (q.year.to_string(), format!("{:02}", q.year % 100), q.number.to_string());
        super::strings::fill_all(pattern, &[("year", &year), ("yy", &yy), ("q", &number)])
    }

    /// A quarter's name in two parts for a narrow chart axis, which writes the number
    /// under every point and the year only where it changes: (`Q3`, `2025年度`),
    /// (`Q3`, `FY2025`), (`Q3`, `2025`). The year part is the quarter name without its
    /// `Q{q}` (the language's default name when the site's own has no `Q{q}`).
    pub fn quarter_parts(&self, q: Quarter) -> (String, String) {
        let fiscal = self.fiscal_year_start_month != 1;
        let pattern = match self.quarter_name.as_deref() {
            Some(own) if own.contains("Q{q}") => own,
            _ => crate::config::default_quarter_name(self.lang, fiscal),
        };
        let year_pattern = pattern.replace("Q{q}", "");
        let year_pattern = year_pattern.trim_matches(|c: char| c.is_whitespace() || "-_/·.".contains(c));
        let (year, yy) = (q.year.to_string(), format!("{:02}", q.year % 100));
        (
            format!("Q{}", q.number),
            super::strings::fill_all(year_pattern, &[("year", &year), ("yy", &yy)]),
        )
    }

    pub fn period(&self, start: Date, end: Date) -> String {
        format!("{} – {}", self.date(start), self.date(end))
    }

    /// A chart's date tick, one short form per language: a day `Jul 7` / `7/7`, a
    /// month `Jul` / `7月`, a month with its year `Jan 2026` / `2026年1月`.
    pub fn axis_date(&self, d: Date, kind: DateTick) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS[(d.month() - 1) as usize];
        // Written with `push_str` rather than `format!`: every chart axis writes a few.
        let mut out = String::with_capacity(16);
        let (year, month_number, day) = (i64::from(d.year()), i64::from(d.month()), i64::from(d.day()));
        match (self.lang, kind) {
            (Language::Ja, DateTick::Day) => {
                push_signed(&mut out, month_number);
                out.push('/');
                push_signed(&mut out, day);
            }
            (Language::Ja, DateTick::Month) => {
                push_signed(&mut out, month_number);
                out.push('月');
            }
            (Language::Ja, DateTick::MonthYear) => {
                push_signed(&mut out, year);
                out.push('年');
                push_signed(&mut out, month_number);
                out.push('月');
            }
            (Language::En, kind) => {
                out.push_str(month);
                match kind {
                    DateTick::Day => {
                        out.push(' ');
                        push_signed(&mut out, day);
                    }
                    DateTick::Month => {}
                    DateTick::MonthYear => {
                        out.push(' ');
                        push_signed(&mut out, year);
                    }
                }
            }
        }
        out
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn axis_dates_are_written_as_format_writes_them() {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        for lang in [Language::Ja, Language::En] {
            let fmt = Formatter {
                lang,
                fiscal_year_start_month: 1,
                quarter_name: None,
            };
            for d in [
                date(2025, 4, 4),
                date(-9999, 1, 1),
                date(9999, 12, 31),
                date(-5, 10, 19),
            ] {
                let month = MONTHS[(d.month() - 1) as usize];
                let expected = match lang {
                    Language::Ja => [
                        format!("{}/{}", d.month(), d.day()),
                        format!("{}月", d.month()),
                        format!("{}年{}月", d.year(), d.month()),
                    ],
                    Language::En => [
                        format!("{month} {}", d.day()),
                        month.to_string(),
                        format!("{month} {}", d.year()),
                    ],
                };
                for (kind, text) in [DateTick::Day, DateTick::Month, DateTick::MonthYear]
                    .into_iter()
                    .zip(expected)
                {
                    assert_eq!(fmt.axis_date(d, kind), text, "{d} {kind:?}");
                }
            }
        }
    }

    #[test]
    fn dates_are_written_as_format_writes_them() {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        for d in [
            date(2025, 4, 4),
            date(-9999, 1, 1),
            date(9999, 12, 31),
            date(0, 10, 31),
            date(-5, 2, 9),
        ] {
            let ja = format!("{}年{}月{}日", d.year(), d.month(), d.day());
            let en = format!("{} {}, {}", MONTHS[(d.month() - 1) as usize], d.day(), d.year());
            assert_eq!(super::date(Language::Ja, d), ja);
            assert_eq!(super::date(Language::En, d), en);
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let ja = Formatter {
            lang: Language::Ja,
            fiscal_year_start_month: 4,
            quarter_name: None,
        };
        let en = Formatter {
            lang: Language::En,
            fiscal_year_start_month: 1,
            quarter_name: None,
        };
        assert_eq!(ja.date(date(2025, 4, 4)), "2025年4月4日");
        assert_eq!(en.date(date(2025, 4, 4)), "Apr 4, 2025");
        let q = Quarter { year: 2025, number: 3 };
        assert_eq!(ja.quarter(q), "2025年度 Q3");
        assert_eq!(en.quarter(q), "Q3 2025");
        let fiscal_en = Formatter {
            fiscal_year_start_month: 4,
            ..en.clone()
        };
        assert_eq!(fiscal_en.quarter(q), "FY2025 Q3");
        let calendar_ja = Formatter {
            fiscal_year_start_month: 1,
            ..ja.clone()
        };
        assert_eq!(calendar_ja.quarter(q), "2025年 Q3");
        let own = Formatter {
            quarter_name: Some("FY{yy}-Q{q}".into()),
            ..en
        };
        assert_eq!(own.quarter(Quarter { year: 2009, number: 1 }), "FY09-Q1");
        let parts = |f: &Formatter| f.quarter_parts(q);
        assert_eq!(parts(&ja), ("Q3".into(), "2025年度".into()));
        assert_eq!(parts(&calendar_ja), ("Q3".into(), "2025年".into()));
        assert_eq!(parts(&fiscal_en), ("Q3".into(), "FY2025".into()));
        assert_eq!(parts(&own), ("Q3".into(), "FY25".into()));
        let en_default = Formatter {
            quarter_name: None,
            ..own
        };
        assert_eq!(parts(&en_default), ("Q3".into(), "2025".into()));
    }
}
