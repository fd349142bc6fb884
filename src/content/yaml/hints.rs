//! What to write instead: hints for values that are nearly right (`80%` for a
//! share, `amber` for a status, `2025/07/07` for a date, `yes` for `true`).

use super::shape::{Choice, Shape, number};
use super::tree::Scalar;
use crate::content::raw::{Day, DayError};
use crate::diag::{Message, as_share, bare_number, closest, fold, suggestion};
use crate::msg;

/// The longest text quoted back in a message.
const SHOWN_CHARS: usize = 40;

/// `text`, cut to [`SHOWN_CHARS`] characters.
pub(super) fn short(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SHOWN_CHARS).collect();
    format!("{cut}…")
}

/// What to write instead of a scalar that is not what `shape` wants.
pub(super) fn scalar_hint(s: &Scalar, shape: &Shape) -> Option<Message> {
    let unquoted = Scalar {
        text: s.text.clone(),
        plain: true,
    };
    match shape {
        Shape::Maybe(inner) | Shape::Lenient(inner) => scalar_hint(s, inner),
        Shape::Number | Shape::Share if !s.plain && number(&unquoted).is_some() => {
            Some(msg!("yaml.hint.unquote", text = s.text.as_str()))
        }
        Shape::Share => as_share(&s.text)
            .map(|share| msg!("yaml.hint.share", share = share))
            .or_else(|| bare_number(&s.text).map(|n| msg!("yaml.hint.bare_number", number = n))),
        Shape::Number => bare_number(&s.text).map(|n| {
            if s.text.contains(['%', '％']) {
                msg!("yaml.hint.percent_number", number = n)
            } else {
                msg!("yaml.hint.bare_number", number = n)
            }
        }),
        Shape::Bool => bool_hint(s),
        Shape::List(_) if s.is_null() => Some(msg!("yaml.hint.empty_list")),
        Shape::List(_) => Some(msg!("yaml.hint.list", text = short(&s.text))),
        _ => None,
    }
}

/// `yes`, `on`, `はい` → `true`; a quoted `"true"` → without quotes.
fn bool_hint(s: &Scalar) -> Option<Message> {
    let value = match fold(&s.text).as_str() {
        "true" | "yes" | "y" | "on" | "はい" => "true",
        "false" | "no" | "n" | "off" | "いいえ" => "false",
        _ => return None,
    };
    Some(msg!("yaml.hint.bool", value = value))
}

/// "did you mean `yellow`?" for a word people write for one of a choice's values
/// (`amber`, `Green`, `on track`, `緑`), or one close to it.
pub(super) fn choice_hint(text: &str, choice: &Choice) -> Option<Message> {
    let folded = fold(text);
    let meant = choice
        .near
        .iter()
        .find(|(written, _)| fold(written) == folded)
        .map(|(_, meant)| *meant)
        .or_else(|| closest(text, choice.values));
    match meant {
        Some(word) => Some(msg!("suggest.did_you_mean", word = word)),
        None => suggestion(text, choice.values),
    }
}

/// What is wrong with a date and how to write it.
pub(super) fn date_problem(text: &str, e: &DayError) -> (Message, Option<Message>) {
    let shown = short(text);
    let message = match e {
        DayError::Shape(_) => msg!("yaml.date.shape", text = shown.as_str()),
        DayError::YearZero(_) => msg!("yaml.date.year", text = shown.as_str()),
        DayError::NoSuchMonth { month, .. } => {
            msg!("yaml.date.month", text = shown.as_str(), month = month.to_string())
        }
        DayError::NoSuchDay { year, month, days, .. } => msg!(
            "yaml.date.day",
            text = shown.as_str(),
            month = format!("{year:04}-{month:02}"),
            days = days.to_string()
        ),
    };
    let help = match e {
        DayError::Shape(_) => Some(match date_written_otherwise(text) {
            Some(date) => msg!("yaml.date.write_as", date = date),
            None => msg!("yaml.date.format"),
        }),
        _ => None,
    };
    (message, help)
}

/// The YYYY-MM-DD form of a date written `2025/07/07`, `2025.7.7`, `2025-7-7`,
/// `2025年7月7日` or `20250707`, when it is a real date.
pub(crate) fn date_written_otherwise(text: &str) -> Option<String> {
    let text = text.trim();
    let parts: Vec<&str> = text
        .split(['/', '.', '-', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (*y, *m, *d),
        // Eight ASCII digits (eight bytes of other text may not split at 4 and 6).
        [all] if all.len() == 8 && all.bytes().all(|b| b.is_ascii_digit()) => (&all[..4], &all[4..6], &all[6..]),
        _ => return None,
    };
    let digits = |s: &str, max: usize| !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    if !(y.len() == 4 && digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let date = format!("{y}-{m:0>2}-{d:0>2}");
    (date != text && Day::parse(&date).is_ok()).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_another_way() {
        assert_eq!(date_written_otherwise("2025/07/07").as_deref(), Some("2025-07-07"));
        assert_eq!(date_written_otherwise("2025/7/7").as_deref(), Some("2025-07-07"));
        assert_eq!(date_written_otherwise("2025年7月7日").as_deref(), Some("2025-07-07"));
        assert_eq!(date_written_otherwise("20250707").as_deref(), Some("2025-07-07"));
        assert_eq!(date_written_otherwise("2025/02/30"), None);
        assert_eq!(date_written_otherwise("07/07/2025"), None);
        assert_eq!(date_written_otherwise("2025-07-07"), None);
    }

    /// Eight bytes that are not eight digits are no date, and are never cut inside a
    /// character (two four-byte characters once panicked here: the fuzz test's find).
    #[test]
    fn eight_bytes_of_other_text_are_no_date() {
        assert_eq!(date_written_otherwise("\u{50d52}\u{b5684}"), None);
        assert_eq!(date_written_otherwise("2025年７日"), None);
        assert_eq!(date_written_otherwise("abcdefgh"), None);
    }

    #[test]
    fn near_words_of_a_choice() {
        static LIGHT: Choice = Choice {
            values: &["green", "yellow", "red"],
            near: &[("amber", "yellow"), ("on track", "green"), ("緑", "green")],
        };
        let hint = |t: &str| choice_hint(t, &LIGHT).map(|m| m.to_string());
        assert_eq!(hint("amber").as_deref(), Some("did you mean `yellow`?"));
        assert_eq!(hint("Amber").as_deref(), Some("did you mean `yellow`?"));
        assert_eq!(hint("On Track").as_deref(), Some("did you mean `green`?"));
        assert_eq!(hint("緑").as_deref(), Some("did you mean `green`?"));
        assert_eq!(hint("GREEN").as_deref(), Some("did you mean `green`?"));
        assert_eq!(hint("grene").as_deref(), Some("did you mean `green`?"));
        assert_eq!(hint("purple"), None);
    }
}
