//! The search index, built in Rust during the build: no separate tool.
//!
//! Text is NFKC-normalised and lowercased. Japanese and Chinese runs become
//! character bigrams plus single characters (so one-character queries work);
//! other words (Latin, digits, …) become the whole word plus its prefixes of
//! 2 to 6 characters (so a word matches while it is being typed). Filters are
//! tokens too (`\u{1}team:<id>`, `\u{1}quarter:<id>`, `\u{1}tag:<tag>`).
//!
//! The index is **keyed by content** ([`segments`]): one segment per quarter, so a
//! change to one retrospective rewrites its quarter's few shards, its table, one
//! document file and the manifest, and nothing of any other quarter. Every file's name carries a
//! hash of its content, so a cached old file can never be mixed with new ones.
//! All are loaded with `<script>`, so search works from file:// and at any path:
//! - `search/meta.<hash>.js`, the manifest: filter choices and, per segment (newest
//!   quarter first), its document and learning counts and its table's hash; the
//!   search page names it (`data-index`), so it is built before that page;
//! - `search/t/<quarter>.<hash>.js`, a segment's table: its shards' hashes and its
//!   document files (one per retrospective) with how many learnings and sections
//!   each holds, loaded when the segment is first looked in;
//! - `search/s/<quarter>/<n>.<hash>.js`: the segment's shards; a token lives in shard
//!   `hash(token) % n`; postings are ascending document numbers within the segment,
//!   delta-encoded as base-64 varints (or a bitmap);
//! - `search/d/<quarter>/<team>.<hash>.js`: one retrospective's documents (title, text,
//!   URL, labels), with no numbers in them, loaded only for candidates, which the
//!   client checks against the exact query.
//!
//! A segment numbers its learnings first, then its sections, each team by team, so
//! the client ranks learnings (newest quarter first) before sections as before.

use std::borrow::Cow;

pub use crate::terms::MAX_PREFIX;
pub use crate::terms::{normalize, tokens};

mod postings;
mod segments;
pub use segments::{SHARD_TARGET_BYTES, SearchIndex, build, build_into};

/// One document of the index. Its texts are borrowed where the views have them (a
/// learning's text, URL and names: copies of them were 20 MB at 200 teams) and owned
/// where they are made for the index (a section's text and title).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchDoc<'a> {
    /// `learning` or `section`.
    pub kind: &'static str,
    pub title: Cow<'a, str>,
    pub text: Cow<'a, str>,
    /// Relative to the site root, with the anchor.
    pub url: Cow<'a, str>,
    /// Filters are index tokens, so the client does not need the ids.
    #[serde(skip)]
    pub team: Cow<'a, str>,
    pub team_name: Cow<'a, str>,
    #[serde(skip)]
    pub quarter: Cow<'a, str>,
    pub quarter_label: Cow<'a, str>,
    pub tags: Vec<Cow<'a, str>>,
}

/// FNV-1a: stable across platforms and identical to the client's.
pub fn shard_of(token: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for unit in token.encode_utf16() {
        h ^= unit as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A posting list in whichever form is shorter: deltas as varints, or (for tokens
/// in many documents, such as の) `!` and a bitmap, six documents per character.
pub fn encode_postings_for(ids: &[u32], docs: usize) -> String {
    let mut out = Vec::new();
    encode_postings_for_to(&mut out, ids, docs);
    String::from_utf8(out).expect("base 64 is ASCII")
}

/// [`encode_postings_for`] appended to `out`: a shard's postings are written straight
/// into its file, with no string per token.
pub fn encode_postings_for_to(out: &mut Vec<u8>, ids: &[u32], docs: usize) {
    let start = out.len();
    encode_postings_to(out, ids);
    let bitmap_len = docs.div_ceil(6) + 1;
    if out.len() - start <= bitmap_len {
        return;
    }
    out.truncate(start);
    let mut bits = vec![0u8; docs.div_ceil(6)];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    out.reserve(bitmap_len);
    out.push(b'!');
    out.extend(bits.iter().map(|&b| B64[b as usize]));
}

/// Ascending numbers as deltas in base-64 varints: 5 bits of value per character,
/// the sixth bit says another character follows.
pub fn encode_postings(ids: &[u32]) -> String {
    let mut out = Vec::with_capacity(ids.len() * 2);
    encode_postings_to(&mut out, ids);
    String::from_utf8(out).expect("base 64 is ASCII")
}

fn encode_postings_to(out: &mut Vec<u8>, ids: &[u32]) {
    let mut prev = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        let mut delta = if i == 0 { id } else { id - prev };
        prev = id;
        loop {
            let chunk = (delta & 31) as usize;
            delta >>= 5;
            if delta == 0 {
                out.push(B64[chunk]);
                break;
            }
            out.push(B64[chunk | 32]);
        }
    }
}

pub fn decode_postings(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    if let Some(bitmap) = s.strip_prefix('!') {
        for (i, b) in bitmap.bytes().enumerate() {
            let Some(d) = B64.iter().position(|&x| x == b) else {
                continue;
            };
            out.extend((0..6).filter(|k| d & (1 << k) != 0).map(|k| (i * 6 + k) as u32));
        }
        return out;
    }
    let (mut value, mut shift, mut prev) = (0u32, 0u32, 0u32);
    for b in s.bytes() {
        let Some(d) = B64.iter().position(|&x| x == b) else {
            continue;
        };
        value |= ((d & 31) as u32) << shift;
        if d & 32 != 0 {
            shift += 5;
        } else {
            prev = if out.is_empty() { value } else { prev + value };
            out.push(prev);
            value = 0;
            shift = 0;
        }
    }
    out
}

/// JSON that is safe anywhere in HTML or JS: `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub fn safe_json<T: serde::Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    safe_json_to(&mut out, value);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// [`safe_json`] appended to `out`: the index writes thousands of documents and
/// shards, each straight into its file's bytes, with no JSON string in between.
pub fn safe_json_to<T: serde::Serialize>(out: &mut Vec<u8>, value: &T) {
    let start = out.len();
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeFormatter);
    if value.serialize(&mut serializer).is_err() {
        out.truncate(start);
        out.extend_from_slice(b"null");
    }
}

/// serde_json's compact output, but with the characters that could end a script or
/// a JS string escaped as they are written. They can only occur inside strings (keys
/// too), which all go through [`write_string_fragment`](serde_json::ser::Formatter::write_string_fragment).
struct SafeFormatter;

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut done = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                0xE2 if bytes[i + 1..i + 3] == [0x80, 0xA8] => b"\\u2028",
                0xE2 if bytes[i + 1..i + 3] == [0x80, 0xA9] => b"\\u2029",
                _ => continue,
            };
            writer.write_all(&bytes[done..i])?;
            writer.write_all(escape)?;
            done = i + if b == 0xE2 { 3 } else { 1 };
        }
        writer.write_all(&bytes[done..])
    }
}

pub fn filter_token(kind: &str, value: &str) -> String {
    format!("\u{1}{kind}:{}", normalize(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokens(&normalize(text), |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn japanese_becomes_bigrams_and_characters() {
        assert_eq!(all("価格改定"), ["価", "価格", "格", "格改", "改", "改定", "定"]);
        // Punctuation separates runs.
        assert_eq!(all("価格、不安"), ["価", "価格", "格", "不", "不安", "安"]);
    }

    #[test]
    fn no_term_spans_two_items_or_fields() {
        // Section texts end each list item and table cell with a line break; a
        // document's fields are joined with one.
        let terms = all("顧客は価格\n改善は遅れて効く\nbig\nredesign");
        assert!(terms.contains(&"価格".to_string()) && terms.contains(&"改善".to_string()));
        assert!(
            !terms
                .iter()
                .any(|t| t == "格改" || t.contains('\n') || t.starts_with("bigr"))
        );
    }

    #[test]
    fn words_are_lowercased_with_prefixes() {
        assert_eq!(all("Pricing"), ["pricing", "pr", "pri", "pric", "prici", "pricin"]);
        assert_eq!(all("A b2"), ["a", "b2"]);
    }

    #[test]
    fn nfkc_folds_width() {
        assert_eq!(normalize("ＡＢＣ ｶﾅ"), "abc カナ");
        assert_eq!(normalize("価格 Pricing"), "価格 pricing");
        // As JavaScript's toLowerCase: a word-final sigma becomes ς.
        assert_eq!(normalize("ΟΔΟΣ"), "οδος");
        assert_eq!(normalize("ＯＤＯＳ ΟΔΟΣ"), "odos οδος");
        assert_eq!(all("ｶﾅ"), all("カナ"));
    }

    #[test]
    fn postings_round_trip() {
        let ids = vec![0, 1, 5, 31, 32, 33, 1000, 1_000_000];
        assert_eq!(decode_postings(&encode_postings(&ids)), ids);
        assert_eq!(encode_postings(&[0, 1, 2]), "ABB");
        let dense: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let enc = encode_postings_for(&dense, 1000);
        assert!(enc.starts_with('!') && enc.len() <= 1000 / 6 + 2, "{}", enc.len());
        assert_eq!(decode_postings(&enc), dense);
        assert_eq!(decode_postings(&encode_postings_for(&[7, 900], 1000)), [7, 900]);
    }

    #[test]
    fn json_cannot_break_out() {
        let s = safe_json(&"</script><img src=x onerror=alert(1)>\u{2028}&");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('\u{2028}') && !s.contains('&'));
        assert_eq!(
            serde_json::from_str::<String>(&s).unwrap(),
            "</script><img src=x onerror=alert(1)>\u{2028}&"
        );
    }

    /// `safe_json` as first written: serde_json's output, then escaped char by char.
    fn safe_json_by_chars<T: serde::Serialize>(value: &T) -> String {
        let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
        let mut out = String::with_capacity(json.len());
        for c in json.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                _ => out.push(c),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn safe_json_is_the_char_by_char_reference(
            key in "[a-z<>&\u{2028}\u{2029}\u{2027}\u{1}\"\\\\\n€価]{0,12}",
            value in "[a-z<>&\u{2028}\u{2029}\u{202a}\u{1}\"\\\\\n€価]{0,40}",
            n in proptest::prelude::any::<i64>(),
        ) {
            let map: std::collections::BTreeMap<&str, (&str, i64, Vec<&str>)> =
                [(key.as_str(), (value.as_str(), n, vec![value.as_str(), key.as_str()]))].into();
            proptest::prop_assert_eq!(safe_json(&map), safe_json_by_chars(&map));
            proptest::prop_assert_eq!(safe_json(&value), safe_json_by_chars(&value));
        }
    }

    #[test]
    fn safe_json_of_what_json_cannot_hold_is_null() {
        let bad: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert_eq!(safe_json(&bad), "null");
        assert_eq!(safe_json(&bad), safe_json_by_chars(&bad));
        let mut out = b"x=".to_vec();
        safe_json_to(&mut out, &bad);
        assert_eq!(out, b"x=null");
    }

    /// `encode_postings_for` as first written, on strings.
    fn encode_postings_for_by_strings(ids: &[u32], docs: usize) -> String {
        let list = encode_postings(ids);
        let bitmap_len = docs.div_ceil(6) + 1;
        if list.len() <= bitmap_len {
            return list;
        }
        let mut bits = vec![0u8; docs.div_ceil(6)];
        for &id in ids {
            bits[id as usize / 6] |= 1 << (id % 6);
        }
        let mut out = String::with_capacity(bitmap_len);
        out.push('!');
        out.extend(bits.iter().map(|&b| B64[b as usize] as char));
        out
    }

    proptest::proptest! {
        #[test]
        fn postings_are_encoded_as_the_reference(
            ids in proptest::collection::btree_set(0u32..3000, 0..800),
            extra in 0usize..50,
        ) {
            let ids: Vec<u32> = ids.into_iter().collect();
            let docs = ids.last().map_or(0, |&i| i as usize + 1) + extra;
            let mut out = b"x".to_vec();
            encode_postings_for_to(&mut out, &ids, docs);
            let reference = encode_postings_for_by_strings(&ids, docs);
            proptest::prop_assert_eq!(&out[1..], reference.as_bytes());
            proptest::prop_assert_eq!(encode_postings_for(&ids, docs), reference);
        }
    }

    #[test]
    fn shard_hash_is_stable() {
        // The client computes the same FNV-1a over UTF-16 code units.
        assert_eq!(shard_of("価格", 1000), shard_of("価格", 1000));
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", 1 << 31), 0xe40c292c & 0x7fff_ffff);
    }
}
