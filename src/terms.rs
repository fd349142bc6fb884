//! Search terms: how text is normalised and cut into terms. One definition for
//! the search index (and its client, which does the same in JavaScript) and for
//! related learnings, which rank by shared terms.
//!
//! Text is NFKC-normalised and lowercased. Japanese and Chinese runs become
//! character bigrams plus single characters; other words become the whole word
//! plus its prefixes of 2 to [`MAX_PREFIX`] characters.

use unicode_normalization::UnicodeNormalization;

use crate::text::is_cjk;

/// Longest prefix of a non-CJK word that is a term.
pub const MAX_PREFIX: usize = 6;

/// NFKC, then lowercase: full-width ＡＢＣ and half-width ｶﾅ match their usual forms.
/// The same as the client's `s.normalize('NFKC').toLowerCase()` (both lowercase a
/// final Greek sigma to ς).
pub fn normalize(text: &str) -> String {
    // Most text is already NFKC; kana, kanji, ASCII and common Japanese punctuation are
    // stable under NFKC and have no case, so they need no table lookups (the general
    // checks were most of the time spent indexing).
    let plain = |c: &char| c.is_ascii() || caseless_nfkc(*c);
    if is_plain(text) {
        return ascii_lowercase(text);
    }
    // The quick check of the other characters alone (a title's — or ›): the plain
    // ones are NFKC starters (combining class 0), so leaving them out can turn a
    // "yes" into a "no" (then the full normalisation below), never the reverse.
    let others = text.chars().filter(|c| !plain(c));
    if unicode_normalization::is_nfkc_quick(others) == unicode_normalization::IsNormalized::Yes {
        return lowercase(text);
    }
    lowercase(&text.nfkc().collect::<String>())
}

/// [`normalize`] of text the caller has no more use for: plain text (most of it) is
/// lowercased in place rather than copied.
pub fn normalize_owned(mut text: String) -> String {
    if is_plain(&text) {
        text.make_ascii_lowercase();
        return text;
    }
    normalize(&text)
}

/// Whether the text is ASCII and [`caseless_nfkc`] characters only: then its
/// normalised form is its ASCII lowercase.
fn is_plain(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii() || caseless_nfkc(c))
}

/// Characters that NFKC leaves alone and that have no lowercase form: hiragana,
/// katakana (with ー), the main kanji block and Japanese brackets and stops; no
/// combining marks (so a run of these is NFKC as a whole). A unit test checks every
/// one against the Unicode tables.
fn caseless_nfkc(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x3003 | 0x3005..=0x3029 | 0x3030..=0x3035 | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC..=0x30FE | 0x4E00..=0x9FFF)
}

fn ascii_lowercase(text: &str) -> String {
    let mut out = text.to_string();
    out.make_ascii_lowercase();
    out
}

/// `str::to_lowercase`, skipping the tables for characters without case.
fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        // Only sigma's lowercase depends on its neighbours.
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if caseless_nfkc(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Cjk,
    Word,
    Other,
}

fn class(c: char) -> Class {
    // Fast paths for ASCII, kana and the main kanji block (most of the text; a unit
    // test checks they agree with the general rule), as the general rule's Unicode
    // table lookups were a visible part of indexing.
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Other
        };
    }
    if matches!(c as u32, 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC..=0x30FE | 0x4E00..=0x9FFF) {
        return Class::Cjk;
    }
    // Japanese brackets and stops (「」、。), and general punctuation (…, “”).
    if matches!(c as u32, 0x3001..=0x3004 | 0x3008..=0x3020 | 0x2000..=0x206F) {
        return Class::Other;
    }
    general_class(c)
}

fn general_class(c: char) -> Class {
    if !c.is_alphanumeric() {
        Class::Other
    } else if is_cjk(c) {
        Class::Cjk
    } else {
        Class::Word
    }
}

/// Calls `f` with every token of already normalised text (with repeats), in one
/// pass over its characters: a CJK run's characters and bigrams as they come, a
/// word's whole and its prefixes when it ends.
pub fn tokens<'a>(normalized: &'a str, mut f: impl FnMut(&'a str)) {
    let mut chars = normalized.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let cls = class(c);
        let mut end = start + c.len_utf8();
        match cls {
            Class::Cjk => {
                let mut prev = start;
                while let Some((i, d)) = chars.next_if(|&(_, d)| class(d) == Class::Cjk) {
                    let next_end = i + d.len_utf8();
                    f(&normalized[prev..end]);
                    f(&normalized[prev..next_end]);
                    (prev, end) = (i, next_end);
                }
                f(&normalized[prev..end]);
            }
            Class::Word => {
                // Where the word's first MAX_PREFIX characters end, and its length.
                let mut ends = [end; MAX_PREFIX];
                let mut len = 1;
                while let Some((i, d)) = chars.next_if(|&(_, d)| class(d) == Class::Word) {
                    end = i + d.len_utf8();
                    if len < MAX_PREFIX {
                        ends[len] = end;
                    }
                    len += 1;
                }
                f(&normalized[start..end]);
                for p in 2..=MAX_PREFIX.min(len.saturating_sub(1)) {
                    f(&normalized[start..ends[p - 1]]);
                }
            }
            Class::Other => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens as first written (a vector of the characters, each class looked up
    /// twice): the reference for the one-pass [`tokens`].
    fn tokens_by_index(normalized: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = normalized.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let cls = class(chars[i].1);
            let mut j = i;
            while j < chars.len() && class(chars[j].1) == cls {
                j += 1;
            }
            let byte = |k: usize| chars.get(k).map_or(normalized.len(), |c| c.0);
            match cls {
                Class::Cjk => {
                    for k in i..j {
                        out.push(&normalized[byte(k)..byte(k + 1)]);
                        if k + 1 < j {
                            out.push(&normalized[byte(k)..byte(k + 2)]);
                        }
                    }
                }
                Class::Word => {
                    out.push(&normalized[byte(i)..byte(j)]);
                    for p in 2..=MAX_PREFIX.min((j - i).saturating_sub(1)) {
                        out.push(&normalized[byte(i)..byte(i + p)]);
                    }
                }
                Class::Other => {}
            }
            i = j;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn tokens_come_in_the_order_of_the_reference(text in "[a-z0-9é漢字かなカナー、。 ・]{0,30}") {
            let mut got = Vec::new();
            tokens(&text, |t| got.push(t));
            proptest::prop_assert_eq!(got, tokens_by_index(&text));
        }
    }

    #[test]
    fn fast_character_classes_agree_with_the_general_rule() {
        let ranges = [(0u32, 0x7F), (0x2000, 0x206F), (0x3000, 0x30FF), (0x4E00, 0x9FFF)];
        for c in ranges.iter().flat_map(|&(a, b)| a..=b).filter_map(char::from_u32) {
            assert!(class(c) == general_class(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    proptest::proptest! {
        #[test]
        fn normalize_is_nfkc_then_lowercase(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('\u{0}', '\u{7f}'),
                    proptest::char::range('\u{2000}', '\u{30ff}'),
                    proptest::char::range('\u{4e00}', '\u{4e10}'),
                    proptest::char::range('\u{ff00}', '\u{ffef}'),
                    proptest::char::range('\u{300}', '\u{3ff}'),
                    proptest::char::any(),
                ],
                0..24,
            )
        ) {
            let text: String = text.into_iter().collect();
            let general = text.nfkc().collect::<String>().to_lowercase();
            proptest::prop_assert_eq!(&normalize(&text), &general);
            proptest::prop_assert_eq!(normalize_owned(text), general);
        }
    }

    #[test]
    fn caseless_characters_are_nfkc_stable_and_caseless() {
        use unicode_normalization::{IsNormalized, is_nfkc_quick};
        for c in (0x2000u32..=0xA000)
            .filter_map(char::from_u32)
            .filter(|&c| caseless_nfkc(c))
        {
            assert_eq!(
                is_nfkc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(c.nfkc().collect::<String>(), c.to_string(), "U+{:04X}", c as u32);
            assert_eq!(
                c.to_lowercase().collect::<String>(),
                c.to_string(),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{:04X}",
                c as u32
            );
        }
        // The fast paths give what the general rule gives.
        for text in [
            "価格改定、「CS」。",
            "ＡＢＣ ｶﾅ Ünïcödé",
            "ΟΔΟΣ σ",
            "プロダクト・ローンチ〜",
            "ｶﾞｷﾞ ㈱ ①",
        ] {
            let general = text.nfkc().collect::<String>().to_lowercase();
            assert_eq!(normalize(text), general, "{text}");
        }
    }
}
