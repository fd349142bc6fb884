//! "Did you mean …?": the help for a misspelt key, value or id, and the number a
//! text means when it is written another way (`80%`, `1,200`, `０.７`), shared by
//! the config and content checks.

use unicode_normalization::UnicodeNormalization;

use crate::messages::Message;
use crate::msg;

/// "did you mean `target`?" when one expected word is close to what was written.
pub fn suggestion(written: &str, expected: &[&str]) -> Option<Message> {
    closest(written, expected).map(|word| msg!("suggest.did_you_mean", word = word))
}

/// The expected word `written` most likely means: the same word in another case or
/// width, or with spaces for `-` (`ARR` → `arr`), else the nearest by edit distance.
pub fn closest<'a>(written: &str, expected: &[&'a str]) -> Option<&'a str> {
    let folded = fold(written);
    if let Some(same) = expected.iter().find(|e| fold(e) == folded) {
        return Some(same);
    }
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(written, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 3))
        .min()
        .map(|(_, e)| e)
}

/// A word compared without case, width or the difference of ` `, `_` and `-`.
pub fn fold(word: &str) -> String {
    word.trim()
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| if matches!(c, ' ' | '_') { '-' } else { c })
        .collect()
}

/// The number a text means, written with ASCII digits and nothing else: `45%` →
/// `45`, `1,200` → `1200`, `１２.５` → `12.5`, `¥3,000` → `3000`, `12 users` → `12`;
/// `None` when the text holds no single number or is one already.
pub fn bare_number(text: &str) -> Option<String> {
    let wide: String = text.trim().nfkc().collect();
    let mut core = wide.as_str();
    core = core.trim_start_matches(['$', '¥', '€', '£', '~', '約']);
    core = core.trim_end_matches(|c: char| c.is_alphabetic() || c == '%' || c.is_whitespace());
    let digits: String = core.chars().filter(|c| *c != ',' && *c != '_').collect();
    let well_formed = !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits
            .trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && digits.parse::<f64>().is_ok_and(f64::is_finite);
    (well_formed && digits != text.trim()).then_some(digits)
}

/// The share a percentage means: `80%` → `0.8`, `12.5％` → `0.125`, `70` (a
/// number above 1 where a share is expected) → `0.7`. Worked on the digits, so no
/// rounding shows (`33.3%` is `0.333`, not `0.33299999999999996`).
pub fn as_share(text: &str) -> Option<String> {
    let digits = bare_number(text).unwrap_or_else(|| text.trim().to_string());
    let value = digits.parse::<f64>().ok()?;
    let percent = text.nfkc().any(|c| c == '%');
    let low = if percent { 0.0 } else { 1.0 };
    if !(value > low && value <= 100.0) || digits.starts_with(['-', '+']) {
        return None;
    }
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let int = format!("{int:0>3}");
    let (whole, cents) = int.split_at(int.len() - 2);
    let whole = whole.trim_start_matches('0');
    let frac = format!("{cents}{frac}");
    let frac = frac.trim_end_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    Some(if frac.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{frac}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_word_is_suggested_and_a_far_one_is_not() {
        let keys = ["target", "baseline", "metric"];
        let said = |w: &str| suggestion(w, &keys).map(|m| m.to_string());
        assert_eq!(said("targte").as_deref(), Some("did you mean `target`?"));
        assert_eq!(said("baseline_").as_deref(), Some("did you mean `baseline`?"));
        assert_eq!(said("owner"), None);
        assert_eq!(suggestion("x", &[]), None);
    }

    #[test]
    fn case_and_width_come_before_distance() {
        // `ARR` is three edits from `arr` and from `art`: its case decides.
        assert_eq!(closest("ARR", &["art", "arr"]), Some("arr"));
        assert_eq!(closest("Company", &["company", "compass"]), Some("company"));
        assert_eq!(closest("ＡＲＲ", &["arr"]), Some("arr"));
        assert_eq!(closest("First Value", &["first-value"]), Some("first-value"));
    }

    #[test]
    fn numbers_written_another_way() {
        assert_eq!(bare_number("45%").as_deref(), Some("45"));
        assert_eq!(bare_number("1,200").as_deref(), Some("1200"));
        assert_eq!(bare_number("１２.５").as_deref(), Some("12.5"));
        assert_eq!(bare_number("¥3,000").as_deref(), Some("3000"));
        assert_eq!(bare_number("12 users").as_deref(), Some("12"));
        assert_eq!(bare_number("45"), None);
        assert_eq!(bare_number("heavy"), None);
        assert_eq!(bare_number("1.2.3"), None);
    }

    #[test]
    fn percentages_as_shares() {
        assert_eq!(as_share("80%").as_deref(), Some("0.8"));
        assert_eq!(as_share("70").as_deref(), Some("0.7"));
        assert_eq!(as_share("12.5％").as_deref(), Some("0.125"));
        assert_eq!(as_share("33.3%").as_deref(), Some("0.333"));
        assert_eq!(as_share("5%").as_deref(), Some("0.05"));
        assert_eq!(as_share("0.5%").as_deref(), Some("0.005"));
        assert_eq!(as_share("100%").as_deref(), Some("1"));
        assert_eq!(as_share("0.8"), None);
        assert_eq!(as_share("250%"), None);
    }
}
