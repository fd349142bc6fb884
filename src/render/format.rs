//! Numbers, dates and labels as readers see them, in the site's language. Numbers and
//! units (and the rule for compact forms) are in `format/number.rs`.

use jiff::civil::Date;

use crate::config::Language;
use crate::model::Quarter;

mod number;
#[cfg(test)]
mod number_tests;

pub use number::{number, percent, round_decimals, round_significant, score, with_unit};

pub use super::strings::Strings;

/// A date as the pages write it in `lang`: 2025年4月4日 / Apr 4, 2025 (what
/// [`Formatter::date`] gives; the charts' tables and notes use it through their labels).
pub fn date(lang: Language, d: Date) -> String {
    match lang {
        Language::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Language::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!("{} {}, {}", MONTHS[(d.month() - 1) as usize], d.day(), d.year())
        }
    }
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

    pub fn period(&self, start: Date, end: Date) -> String {
        format!("{} – {}", self.date(start), self.date(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

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
    }
}
