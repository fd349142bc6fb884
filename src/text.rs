//! Small text helpers shared by every stage.

/// Whether `c` is written without spaces between words: kana, kanji, Hangul
/// syllables are excluded on purpose (Korean uses spaces), full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK symbols and punctuation 、。「」
        | 0x3040..=0x309F // hiragana
        | 0x30A0..=0x30FF // katakana
        | 0x31F0..=0x31FF // katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFFEF // half-width and full-width forms
        | 0x20000..=0x2FA1F)
}

/// What a line break inside a paragraph becomes: nothing between two Japanese
/// characters (a space there would show as a gap), a space otherwise.
pub fn soft_break(before: Option<char>, after: Option<char>) -> &'static str {
    match (before, after) {
        (Some(a), Some(b)) if is_cjk(a) && is_cjk(b) => "",
        _ => " ",
    }
}

/// `text` with every `needle` replaced by `with`, borrowed when there is none: one
/// pass with a searcher built for `needle` (the markers of a page's HTML are long and
/// the pages many), where `contains` then `replace` searched twice.
pub fn replace_all<'t>(text: &'t str, needle: &str, with: &str) -> std::borrow::Cow<'t, str> {
    if needle.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let finder = memchr::memmem::Finder::new(needle);
    let mut found = finder.find_iter(text.as_bytes()).peekable();
    if found.peek().is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + with.len().saturating_sub(needle.len()) * 4);
    let mut copied = 0;
    for at in found {
        out.push_str(&text[copied..at]);
        out.push_str(with);
        copied = at + needle.len();
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// `char::is_alphanumeric`, answered at once for kana and the common kanji: those
/// are most of a Japanese tag or heading, and the standard library looks each of
/// them up in its tables.
pub fn is_alphanumeric(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fff}') || c.is_alphanumeric()
}

/// Collapses runs of white space into one space and trims the ends.
pub fn squash_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values (and XML).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_alphanumeric_is_the_standard_one() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn replace_all_is_str_replace(text in "[ab価]{0,20}", needle in "[ab価]{1,3}", with in "[xy]{0,4}") {
            proptest::prop_assert_eq!(replace_all(&text, &needle, &with), text.replace(&needle, &with));
        }
    }

    #[test]
    fn soft_breaks_between_japanese_vanish() {
        assert_eq!(soft_break(Some('る'), Some('た')), "");
        assert_eq!(soft_break(Some('。'), Some('次')), "");
        assert_eq!(soft_break(Some('a'), Some('た')), " ");
        assert_eq!(soft_break(Some('a'), Some('b')), " ");
        assert_eq!(soft_break(None, Some('b')), " ");
    }
}
