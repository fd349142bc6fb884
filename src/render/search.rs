//! The search index, built in Rust during the build: no separate tool.
//!
//! Text is NFKC-normalised and lowercased. Japanese and Chinese runs become
//! character bigrams plus single characters (so one-character queries work);
//! other words (Latin, digits, …) become the whole word plus its prefixes of
//! 2 to 6 characters (so a word matches while it is being typed). Filters are
//! tokens too (`\u{1}team:<id>`, `\u{1}quarter:<id>`, `\u{1}tag:<tag>`).
//!
//! Output, all loaded with `<script>` so search works from file:// and at any path:
//! - `search/meta.js`: filter choices and the shard count;
//! - `search/s/<n>.js`: index shards; a token lives in shard `hash(token) % n`;
//!   postings are ascending document numbers, delta-encoded as base-64 varints;
//! - `search/d/<n>.js`: documents `8n` to `8n + 7` (title, text, URL, labels),
//!   loaded only for candidates, which the client checks against the exact query.
//!
//! Documents are numbered by rank: learnings newest first, then retrospective
//! sections newest first, so the first postings are the best results.

use std::collections::{BTreeMap, HashMap};

use crate::files::OutputFile;
pub use crate::terms::{normalize, tokens};

/// Size an index shard aims at, in bytes.
pub const SHARD_TARGET_BYTES: usize = 2 * 1024;
/// Documents per `search/d/<n>.js` file. One file per document made tens of thousands
/// of files on a large site, the largest file-system cost of a build; documents are in
/// rank order, so a query's best candidates tend to share files, and 8 keeps a
/// first query within its transfer budget (docs/search.md).
pub const DOCS_PER_FILE: usize = 8;
pub use crate::terms::MAX_PREFIX;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchDoc {
    /// `learning` or `section`.
    pub kind: &'static str,
    pub title: String,
    pub text: String,
    /// Relative to the site root, with the anchor.
    pub url: String,
    /// Filters are index tokens, so the client does not need the ids.
    #[serde(skip)]
    pub team: String,
    pub team_name: String,
    #[serde(skip)]
    pub quarter: String,
    pub quarter_label: String,
    pub tags: Vec<String>,
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

/// Ascending numbers as deltas in base-64 varints: 5 bits of value per character,
/// the sixth bit says another character follows.
pub fn encode_postings(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len() * 2);
    let mut prev = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        let mut delta = if i == 0 { id } else { id - prev };
        prev = id;
        loop {
            let chunk = (delta & 31) as usize;
            delta >>= 5;
            if delta == 0 {
                out.push(B64[chunk] as char);
                break;
            }
            out.push(B64[chunk | 32] as char);
        }
    }
    out
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

pub fn filter_token(kind: &str, value: &str) -> String {
    format!("\u{1}{kind}:{}", normalize(value))
}

/// Choices for the filters.
#[derive(serde::Serialize)]
pub struct Meta {
    pub shards: u32,
    pub docs: usize,
    /// Documents per document file ([`DOCS_PER_FILE`]).
    pub group: usize,
    pub teams: Vec<(String, String)>,
    pub quarters: Vec<(String, String)>,
    pub tags: Vec<String>,
}

/// The index files for `docs` (already in rank order).
pub fn build(
    docs: &[SearchDoc],
    meta_teams: Vec<(String, String)>,
    meta_quarters: Vec<(String, String)>,
) -> Vec<OutputFile> {
    use rayon::prelude::*;
    let texts = index_texts(docs);
    let filters = filter_tokens(docs);
    let postings = postings(&texts, &filters);
    let shards = shard_count(&postings, docs.len());
    let mut files = Vec::with_capacity(shards as usize + docs.len().div_ceil(DOCS_PER_FILE) + 1);
    files.extend(shard_files(&postings, shards, docs.len()));
    files.par_extend(docs.par_chunks(DOCS_PER_FILE).enumerate().map(|(file, chunk)| {
        let mut js = String::with_capacity(chunk.len() * 700);
        for (i, doc) in chunk.iter().enumerate() {
            let n = file * DOCS_PER_FILE + i;
            js.push_str(&format!("okrsiteSearch.doc({n},{});\n", safe_json(doc)));
        }
        OutputFile::new(format!("search/d/{file}.js"), js)
    }));
    let meta = Meta {
        shards,
        docs: docs.len(),
        group: DOCS_PER_FILE,
        teams: meta_teams,
        quarters: meta_quarters,
        tags: tag_names(docs),
    };
    files.push(OutputFile::new(
        "search/meta.js",
        format!("okrsiteSearch.meta({});\n", safe_json(&meta)),
    ));
    files
}

/// Each document's searchable text, normalised: title, text, team, quarter and tags.
fn index_texts(docs: &[SearchDoc]) -> Vec<String> {
    use rayon::prelude::*;
    docs.par_iter()
        .map(|doc| {
            normalize(&format!(
                "{}\n{}\n{}\n{}\n{}",
                doc.title,
                doc.text,
                doc.team_name,
                doc.quarter_label,
                doc.tags.join(" ")
            ))
        })
        .collect()
}

/// Each document's filter tokens: its team, its quarter and its tags.
fn filter_tokens(docs: &[SearchDoc]) -> Vec<Vec<String>> {
    docs.iter()
        .map(|doc| {
            let mut f = vec![filter_token("team", &doc.team), filter_token("quarter", &doc.quarter)];
            f.extend(doc.tags.iter().map(|t| filter_token("tag", t)));
            f
        })
        .collect()
}

/// Postings: each token's (and filter's) documents, ascending. Tokens borrow from
/// the normalised texts, so counting them allocates nothing.
fn postings<'t>(texts: &'t [String], filters: &'t [Vec<String>]) -> HashMap<&'t str, Vec<u32>, ahash::RandomState> {
    // Millions of lookups of short keys: a fast hash (the map's order is never used).
    let mut postings: HashMap<&str, Vec<u32>, ahash::RandomState> = HashMap::default();
    for (id, (text, doc_filters)) in texts.iter().zip(filters).enumerate() {
        let n = id as u32;
        tokens(text, |token| {
            let list = postings.entry(token).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        });
        for f in doc_filters {
            let list = postings.entry(f.as_str()).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        }
    }
    postings
}

/// Every tag's first spelling, by its normalised form.
fn tag_names(docs: &[SearchDoc]) -> Vec<String> {
    let mut tag_names: BTreeMap<String, String> = BTreeMap::new();
    for t in docs.iter().flat_map(|doc| doc.tags.iter()) {
        tag_names.entry(normalize(t)).or_insert_with(|| t.clone());
    }
    tag_names.into_values().collect()
}

/// How many shards keep each near [`SHARD_TARGET_BYTES`].
fn shard_count(postings: &HashMap<&str, Vec<u32>, ahash::RandomState>, docs: usize) -> u32 {
    let bitmap_len = docs.div_ceil(6) + 1;
    let total: usize = postings
        .iter()
        .map(|(k, v)| k.len() + 6 + (v.len() * 2).min(bitmap_len))
        .sum();
    (total / SHARD_TARGET_BYTES).clamp(1, 8192) as u32
}

/// The index shards, `search/s/<n>.js`.
fn shard_files(postings: &HashMap<&str, Vec<u32>, ahash::RandomState>, shards: u32, docs: usize) -> Vec<OutputFile> {
    let mut by_shard: Vec<BTreeMap<&str, String>> = vec![BTreeMap::new(); shards as usize];
    for (token, ids) in postings {
        by_shard[shard_of(token, shards) as usize].insert(token, encode_postings_for(ids, docs));
    }
    (by_shard.iter().enumerate())
        .map(|(n, map)| {
            OutputFile::new(
                format!("search/s/{n}.js"),
                format!("okrsiteSearch.shard({n},{});\n", safe_json(map)),
            )
        })
        .collect()
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

    #[test]
    fn documents_are_grouped_in_rank_order() {
        let docs: Vec<SearchDoc> = (0..DOCS_PER_FILE * 2 + 3)
            .map(|i| SearchDoc {
                kind: "learning",
                title: String::new(),
                text: format!("学び{i}"),
                url: format!("q/{i}/"),
                team: "t".into(),
                team_name: "チーム".into(),
                quarter: "2026-Q1".into(),
                quarter_label: "2026年 Q1".into(),
                tags: vec![],
            })
            .collect();
        let files = build(&docs, vec![], vec![]);
        let doc_files: Vec<&OutputFile> = files.iter().filter(|f| f.path.starts_with("search/d/")).collect();
        assert_eq!(doc_files.len(), 3);
        for (file, f) in doc_files.iter().enumerate() {
            assert_eq!(f.path, format!("search/d/{file}.js"));
            let text = std::str::from_utf8(&f.bytes).unwrap();
            let first = file * DOCS_PER_FILE;
            let expected: Vec<String> = (first..docs.len().min(first + DOCS_PER_FILE))
                .map(|n| format!("okrsiteSearch.doc({n},"))
                .collect();
            let starts: Vec<String> = text
                .lines()
                .map(|l| l[..l.find(',').unwrap() + 1].to_string())
                .collect();
            assert_eq!(starts, expected);
            assert!(text.contains(&format!("q/{first}/")));
        }
        let meta = files.iter().find(|f| f.path == "search/meta.js").unwrap();
        assert!(
            std::str::from_utf8(&meta.bytes)
                .unwrap()
                .contains(&format!("\"group\":{DOCS_PER_FILE}"))
        );
    }

    #[test]
    fn shard_hash_is_stable() {
        // The client computes the same FNV-1a over UTF-16 code units.
        assert_eq!(shard_of("価格", 1000), shard_of("価格", 1000));
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", 1 << 31), 0xe40c292c & 0x7fff_ffff);
    }
}
