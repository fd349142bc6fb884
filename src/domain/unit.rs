//! A unit of measure with where it is written: `$452,000`, `45%`, `120 ms`, `1 customer`.

use serde::Deserialize;

/// Where a unit is written: `unit_position` in a metric or KR file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitPosition {
    /// Before the number, after its sign: `$452,000`, `-$1,200`.
    Before,
    /// After the number: `45%`, `120 ms`, `12件`.
    After,
}

/// The units written before the number when `unit_position` is not given: the currency
/// signs, alone or with a country prefix (`US$`, `A$`, `HK$`, `R$`).
const BEFORE_BY_DEFAULT: &[&str] = &["€", "£", "¥", "￥", "₩", "₹", "₽", "₺", "₪", "₱", "฿", "₦", "₴", "₿"];

/// A unit: its text, its singular (the text for a value of exactly 1, `unit_one`), and
/// whether it goes before the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    text: String,
    one: Option<String>,
    before: bool,
}

impl Unit {
    /// A unit placed by the default rule: currency signs before, everything else after.
    pub fn new(text: impl Into<String>) -> Unit {
        let text = text.into();
        let before = Unit::before_by_default(&text);
        Unit {
            text,
            one: None,
            before,
        }
    }

    /// The unit written where `position` says (the default rule without one).
    pub fn placed(self, position: Option<UnitPosition>) -> Unit {
        match position {
            Some(p) => Unit {
                before: p == UnitPosition::Before,
                ..self
            },
            None => self,
        }
    }

    /// The unit with its singular, used for a value of exactly 1 (`1 customer`).
    pub fn with_one(self, one: Option<String>) -> Unit {
        Unit {
            one: one.filter(|o| !o.is_empty()),
            ..self
        }
    }

    /// Whether a unit goes before the number unless a file says otherwise.
    pub fn before_by_default(text: &str) -> bool {
        text.ends_with('$') || BEFORE_BY_DEFAULT.contains(&text)
    }

    /// The unit's text (the plural, where it has a singular).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The singular, if the unit has one.
    pub fn one(&self) -> Option<&str> {
        self.one.as_deref()
    }

    /// The text for the value `v`: the singular for exactly 1 (or -1).
    pub fn text_for(&self, v: f64) -> &str {
        match &self.one {
            Some(one) if v.abs() == 1.0 => one,
            _ => &self.text,
        }
    }

    /// Whether the unit is written before the number.
    pub fn before(&self) -> bool {
        self.before
    }

    /// Whether the unit is a percentage (its changes are in points).
    pub fn is_percent(&self) -> bool {
        self.text == "%"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_signs_go_before_by_default() {
        for before in ["$", "US$", "HK$", "€", "£", "¥", "￥", "₩", "₹"] {
            assert!(Unit::new(before).before(), "{before}");
        }
        for after in ["%", "ms", "件", "円", "customers", "hours", "人", "USD"] {
            assert!(!Unit::new(after).before(), "{after}");
        }
    }

    #[test]
    fn a_position_overrides_the_default() {
        assert!(!Unit::new("$").placed(Some(UnitPosition::After)).before());
        assert!(Unit::new("pts").placed(Some(UnitPosition::Before)).before());
        assert!(Unit::new("€").placed(None).before());
    }

    #[test]
    fn the_singular_is_for_exactly_one() {
        let u = Unit::new("customers").with_one(Some("customer".into()));
        assert_eq!(u.text_for(1.0), "customer");
        assert_eq!(u.text_for(-1.0), "customer");
        assert_eq!(u.text_for(0.0), "customers");
        assert_eq!(u.text_for(1.5), "customers");
        assert_eq!(u.text_for(2.0), "customers");
        assert_eq!(Unit::new("件").text_for(1.0), "件");
        assert_eq!(Unit::new("x").with_one(Some(String::new())).one(), None);
    }
}
