//! A segment's postings (each token's documents) and its shards' files.
//!
//! Indexing looks up every token of every document (millions at 200 teams), so
//! the lookups are what this module makes cheap: most tokens (a CJK character or
//! bigram, a short word or prefix) fit in 7 bytes and are looked up as one integer,
//! and each filter's token is made once per segment rather than once per document.

use std::collections::HashMap;

use super::{SearchDoc, encode_postings_for_to, filter_token, safe_json_to, shard_of, tokens};

/// A token and its documents, ascending.
pub(super) type Posting<'p> = (&'p str, &'p [u32]);

/// Each distinct filter's token (`\u{1}team:<id>`, …), made once: a segment's
/// thousands of documents share a few teams, quarters and tags.
pub(super) struct FilterTokens<'d>(HashMap<(&'static str, &'d str), String, ahash::RandomState>);

impl<'d> FilterTokens<'d> {
    pub(super) fn new(docs: &[&'d SearchDoc<'d>]) -> Self {
        let mut tokens: HashMap<_, _, _> = HashMap::default();
        for filter in docs.iter().flat_map(|doc| filters_of(doc)) {
            tokens.entry(filter).or_insert_with(|| filter_token(filter.0, filter.1));
        }
        FilterTokens(tokens)
    }
}

/// A document's filters, as (kind, value): its team, its quarter and its tags.
fn filters_of<'d>(doc: &'d SearchDoc<'_>) -> impl Iterator<Item = (&'static str, &'d str)> {
    let tags = doc.tags.iter().map(|t| ("tag", t.as_ref()));
    [("team", doc.team.as_ref()), ("quarter", doc.quarter.as_ref())]
        .into_iter()
        .chain(tags)
}

/// Each token's (and filter's) documents, ascending. A token of up to 7 bytes (a CJK
/// character or bigram, a short word or prefix: most of them) is keyed by its bytes
/// and length packed into an integer ([`ShortKey`]), which hashes and compares in a
/// few instructions; a longer one by the string, borrowed from the texts or filters.
/// The lists are in the maps (not behind an index), one cache miss fewer per token.
#[derive(Default)]
pub(super) struct Postings<'t> {
    short: HashMap<ShortKey, Vec<u32>, ahash::RandomState>,
    long: HashMap<&'t str, Vec<u32>, ahash::RandomState>,
}

impl<'t> Postings<'t> {
    /// `texts[n]` is document `n`'s normalised text.
    pub(super) fn new(texts: &'t [String], docs: &[&'t SearchDoc<'t>], filters: &'t FilterTokens<'t>) -> Self {
        let mut postings = Postings::default();
        for (id, (text, doc)) in texts.iter().zip(docs).enumerate() {
            let n = id as u32;
            let mut add = |token: &'t str| {
                let list = match ShortKey::new(token) {
                    Some(key) => postings.short.entry(key).or_default(),
                    None => postings.long.entry(token).or_default(),
                };
                if list.last() != Some(&n) {
                    list.push(n);
                }
            };
            tokens(text, &mut add);
            filters_of(doc).for_each(|f| add(&filters.0[&f]));
        }
        postings
    }

    /// Every token with its documents, in no order.
    pub(super) fn iter(&self) -> impl Iterator<Item = Posting<'_>> {
        let short = (self.short.iter()).map(|(key, ids)| (key.token(), ids.as_slice()));
        short.chain(self.long.iter().map(|(token, ids)| (*token, ids.as_slice())))
    }
}

/// A token of up to 7 bytes: its bytes, then zeros, then its length in the last
/// byte, so two tokens have the same key only if they are equal. Hashed as one
/// integer, compared as one.
#[derive(PartialEq, Eq)]
struct ShortKey([u8; 8]);

impl std::hash::Hash for ShortKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(u64::from_le_bytes(self.0));
    }
}

impl ShortKey {
    /// The token's key, if it has at most 7 bytes. (Byte by byte: a `copy_from_slice`
    /// of a variable length is a call to `memcpy`, which made indexing twice as slow.)
    fn new(token: &str) -> Option<Self> {
        let bytes = token.as_bytes();
        if bytes.len() > 7 {
            return None;
        }
        let mut key = (bytes.len() as u64) << 56;
        for (i, &b) in bytes.iter().enumerate() {
            key |= (b as u64) << (8 * i);
        }
        Some(ShortKey(key.to_le_bytes()))
    }

    fn token(&self) -> &str {
        std::str::from_utf8(&self.0[..self.0[7] as usize]).expect("made of a token")
    }
}

/// Each shard's postings in token order (the order of the shard object's keys).
pub(super) fn shard_lists<'p>(postings: &'p Postings<'_>, shards: u32) -> Vec<Vec<Posting<'p>>> {
    let mut by_shard: Vec<Vec<Posting<'_>>> = vec![Vec::new(); shards as usize];
    for posting in postings.iter() {
        by_shard[shard_of(posting.0, shards) as usize].push(posting);
    }
    // Each token has one posting, so an unstable sort gives the one order.
    by_shard.iter_mut().for_each(|s| s.sort_unstable_by_key(|p| p.0));
    by_shard
}

/// Shard `n`'s file: `okrsiteSearch.shard(<dir>,<n>,{"<token>":"<postings>",…});`,
/// the object as serde_json writes a map, encoded postings straight into it.
pub(super) fn shard_js(dir_json: &str, n: usize, shard: &[Posting<'_>], docs: usize) -> Vec<u8> {
    let mut js = Vec::with_capacity(64 + shard.len() * 16);
    js.extend_from_slice(format!("okrsiteSearch.shard({dir_json},{n},{{").as_bytes());
    for (i, &(token, ids)) in shard.iter().enumerate() {
        if i > 0 {
            js.push(b',');
        }
        safe_json_to(&mut js, &token);
        // Base 64 and `!` need no escaping.
        js.extend_from_slice(b":\"");
        encode_postings_for_to(&mut js, ids, docs);
        js.push(b'"');
    }
    js.extend_from_slice(b"});\n");
    js
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_tell_tokens_apart() {
        let tokens = [
            "",
            "a",
            "a\0",
            "\0",
            "ab",
            "価",
            "価格",
            "pricing",
            "pricin",
            "a\0\0\0\0\0\0",
        ];
        let keys: Vec<Option<ShortKey>> = tokens.iter().map(|t| ShortKey::new(t)).collect();
        for (i, a) in keys.iter().enumerate() {
            assert_eq!(a.as_ref().map(ShortKey::token), Some(tokens[i]));
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(i == j, a == b, "{:?} {:?}", tokens[i], tokens[j]);
            }
        }
        assert!(ShortKey::new("pricing!").is_none(), "8 bytes are a long token");
        assert!(ShortKey::new("価格改").is_none());
    }
}
