//! Numbers, dates and labels as readers see them, in the site's language. Numbers and
//! units (and the rule for compact forms) are in `format/number.rs`.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::Language;
use crate::model::Quarter;

mod number;
#[cfg(test)]
mod number_tests;

pub use number::{number, percent, round_decimals, round_significant, score, with_unit};

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
