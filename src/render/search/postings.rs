//! A segment's postings (each token's documents) and its shards' files.
//!
//! Indexing looks up every token of every document (millions at 200 teams), so
//! the lookups are what this module makes cheap: most tokens (a CJK character or
//! bigram, a short word or prefix) fit in 7 bytes and are looked up as one integer,
//! and each filter's token is made once per segment rather than once per document.

use std::collections::HashMap;

use super::{SearchDoc, encode_postings_for_to, filter_token, safe_json_to, shard_of, tokens};

/// A token and its documents, ascending.
pub(super) type Posting<'t> = (&'t str, Vec<u32>);

/// Each distinct filter's token (`\u{1}team:<id>`, …), made once: a segment's
/// thousands of documents share a few teams, quarters and tags.
pub(super) struct FilterTokens<'d>(HashMap<(&'static str, &'d str), String, ahash::RandomState>);

impl<'d> FilterTokens<'d> {
    pub(super) fn new(docs: &[&'d SearchDoc]) -> Self {
        let mut tokens: HashMap<_, _, _> = HashMap::default();
        for filter in docs.iter().flat_map(|doc| filters_of(doc)) {
            tokens
                .entry(filter)
                .or_insert_with(|| filter_token(filter.0, filter.1));
        }
        FilterTokens(tokens)
    }
}

/// A document's filters, as (kind, value): its team, its quarter and its tags.
fn filters_of(doc: &SearchDoc) -> impl Iterator<Item = (&'static str, &str)> {
    let tags = doc.tags.iter().map(|t| ("tag", t.as_str()));
    [("team", doc.team.as_str()), ("quarter", doc.quarter.as_str())]
        .into_iter()
        .chain(tags)
}

/// Postings: each token's (and filter's) documents, ascending, tokens in no order.
/// `texts[n]` is document `n`'s normalised text; tokens borrow from the texts and
/// the filter tokens, so collecting them allocates only the lists.
pub(super) fn postings<'t>(texts: &'t [String], docs: &[&'t SearchDoc], filters: &'t FilterTokens<'t>) -> Vec<Posting<'t>> {
    let mut places = TokenPlaces::default();
    let mut postings: Vec<Posting<'t>> = Vec::new();
    for (id, (text, doc)) in texts.iter().zip(docs).enumerate() {
        let n = id as u32;
        let mut add = |token: &'t str| {
            let place = places.place(token, postings.len());
            if place == postings.len() {
                postings.push((token, Vec::new()));
            }
            let list = &mut postings[place].1;
            if list.last() != Some(&n) {
                list.push(n);
            }
        };
        tokens(text, &mut add);
        filters_of(doc).for_each(|f| add(&filters.0[&f]));
    }
    postings
}

/// Where each token's postings are. A token of up to 7 bytes is keyed by its bytes
/// and length packed into an integer ([`short_key`]), which hashes and compares in
/// a few instructions; longer ones by the string.
#[derive(Default)]
struct TokenPlaces<'t> {
    short: HashMap<u64, u32, ahash::RandomState>,
    long: HashMap<&'t str, u32, ahash::RandomState>,
}

impl<'t> TokenPlaces<'t> {
    /// The token's place, or `next` (now its place) if it is new.
    fn place(&mut self, token: &'t str, next: usize) -> usize {
        let place = match short_key(token) {
            Some(key) => self.short.entry(key).or_insert(next as u32),
            None => self.long.entry(token).or_insert(next as u32),
        };
        *place as usize
    }
}

/// A token of up to 7 bytes as an integer: its bytes, then zeros, then its length in
/// the last byte, so two tokens have the same key only if they are equal.
fn short_key(token: &str) -> Option<u64> {
    let bytes = token.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut key = [0u8; 8];
    key[..bytes.len()].copy_from_slice(bytes);
    key[7] = bytes.len() as u8;
    Some(u64::from_le_bytes(key))
}

/// Each shard's postings in token order (the order of the shard object's keys).
pub(super) fn shard_lists<'p, 't>(postings: &'p [Posting<'t>], shards: u32) -> Vec<Vec<&'p Posting<'t>>> {
    let mut by_shard: Vec<Vec<&Posting<'_>>> = vec![Vec::new(); shards as usize];
    for posting in postings {
        by_shard[shard_of(posting.0, shards) as usize].push(posting);
    }
    // Each token has one posting, so an unstable sort gives the one order.
    by_shard.iter_mut().for_each(|s| s.sort_unstable_by_key(|p| p.0));
    by_shard
}

/// Shard `n`'s file: `okrsiteSearch.shard(<dir>,<n>,{"<token>":"<postings>",…});`,
/// the object as serde_json writes a map, encoded postings straight into it.
pub(super) fn shard_js(dir_json: &str, n: usize, shard: &[&Posting<'_>], docs: usize) -> Vec<u8> {
    let mut js = Vec::with_capacity(64 + shard.len() * 16);
    js.extend_from_slice(format!("okrsiteSearch.shard({dir_json},{n},{{").as_bytes());
    for (i, (token, ids)) in shard.iter().map(|p| (p.0, &p.1)).enumerate() {
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
        let tokens = ["", "a", "a\0", "\0", "ab", "価", "価格", "pricing", "pricin", "a\0\0\0\0\0\0"];
        let keys: Vec<Option<u64>> = tokens.iter().map(|t| short_key(t)).collect();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(i == j, a == b, "{:?} {:?}", tokens[i], tokens[j]);
            }
        }
        assert_eq!(short_key("pricing"), short_key("pricing"));
        assert_eq!(short_key("pricing!"), None, "8 bytes are a long token");
        assert_eq!(short_key("価格改"), None);
    }
}
