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
///
/// By bytes (`str::split_whitespace` decodes every character, and each learning's
/// text and tags pass through here): a table finds the bytes that may begin white
/// space ([`MAY_BEGIN_WHITESPACE`]), and only those are looked at closely
/// ([`whitespace_len`], which says what `char::is_whitespace` says).
pub fn squash_whitespace(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word_start = 0;
    let mut i = 0;
    while let Some(k) = bytes[i..].iter().position(|&b| MAY_BEGIN_WHITESPACE[usize::from(b)]) {
        let at = i + k;
        match whitespace_len(bytes, at) {
            // A kana or another character with the same first byte: go on after it.
            0 => i = at + 1,
            n => {
                if word_start < at {
                    push_word(&mut out, &s[word_start..at]);
                }
                i = at + n;
                word_start = i;
            }
        }
    }
    if word_start < bytes.len() {
        push_word(&mut out, &s[word_start..]);
    }
    out
}

/// The first bytes of the UTF-8 forms of white space ([`whitespace_len`]). The
/// continuation bytes 0x80–0xBF are not among them, so a search may restart anywhere.
const MAY_BEGIN_WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    let firsts = [b'\t', b'\n', 0x0B, 0x0C, b'\r', b' ', 0xC2, 0xE1, 0xE2, 0xE3];
    let mut k = 0;
    while k < firsts.len() {
        table[firsts[k] as usize] = true;
        k += 1;
    }
    table
};

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// The length in bytes of the white space character starting at `bytes[i]`, or 0:
/// the UTF-8 forms of the characters with Unicode's White_Space property. (A byte
/// inside a character never matches: those are 0x80–0xBF.)
fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    let next = |k: usize| bytes.get(i + k).copied();
    match bytes[i] {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        // U+0085, U+00A0
        0xC2 if matches!(next(1), Some(0x85 | 0xA0)) => 2,
        // U+1680
        0xE1 if (next(1), next(2)) == (Some(0x9A), Some(0x80)) => 3,
        // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F
        0xE2 => match (next(1), next(2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        // U+3000, the ideographic space
        0xE3 if (next(1), next(2)) == (Some(0x80), Some(0x80)) => 3,
        _ => 0,
    }
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
    fn white_space_bytes_are_the_standard_white_space() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let expected = if c.is_whitespace() { bytes.len() } else { 0 };
            assert_eq!(whitespace_len(bytes, 0), expected, "{c:?}");
            if c.is_whitespace() {
                assert!(MAY_BEGIN_WHITESPACE[usize::from(bytes[0])], "{c:?}");
            }
        }
    }

    fn squash_by_chars(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn squashing_collapses_runs_and_trims() {
        assert_eq!(
            squash_whitespace("  価格\u{3000}\u{3000}改定 \n\t と a\u{a0}b  "),
            "価格 改定 と a b"
        );
        assert_eq!(squash_whitespace(""), "");
        assert_eq!(squash_whitespace(" \u{2028} "), "");
    }

    proptest::proptest! {
        #[test]
        fn squashing_is_split_whitespace_joined(s in "[ a価あ\u{3000}\u{3001}\u{2000}\u{200b}\u{85}\u{a0}\u{a9}\u{1680}\u{2029}\t\n]{0,24}") {
            proptest::prop_assert_eq!(squash_whitespace(&s), squash_by_chars(&s));
        }
    }

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
