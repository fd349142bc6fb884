//! The index's segment files as first written (a JSON string per document and
//! per shard, escaped char by char; a hash map of string tokens; a BTreeMap per
//! shard), a quarter's documents split by filtering once per team, and the tag
//! names normalised per use: the references the faster [`super::segment_files`],
//! [`super::quarter_docs`] and [`super::tag_names`] must match.

use std::collections::{BTreeMap, HashMap};

use super::super::{encode_postings_for, filter_token, normalize, shard_of, tokens};
use super::{LISTED_HASH_HEX, QuarterDocs, QuarterEntry, SearchDoc, Segment, SegmentEntry, ShardList, path_part};
use crate::files::{OutputFile, content_hash};

/// `safe_json` as first written: serde_json's output, then escaped char by char.
fn safe_json<T: serde::Serialize>(value: &T) -> String {
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

pub(super) fn segment_files(segment: &Segment<'_>) -> (Vec<OutputFile>, SegmentEntry) {
    let texts: Vec<String> = segment.docs.iter().map(|d| index_text(d)).collect();
    let filters: Vec<Vec<String>> = segment.docs.iter().map(|d| filter_tokens(d)).collect();
    let postings = postings(&texts, &filters);
    let shards = shard_count(&postings, texts.len());
    let mut files = Vec::new();
    let mut shard_hashes = Vec::with_capacity(shards as usize);
    let dir = safe_json(&segment.dir);
    for (n, map) in shard_maps(&postings, shards, texts.len()).iter().enumerate() {
        let js = format!("okrsiteSearch.shard({dir},{n},{});\n", safe_json(map));
        let hash = content_hash(js.as_bytes(), LISTED_HASH_HEX);
        files.push(OutputFile::new(format!("search/s/{}/{n}.{hash}.js", segment.dir), js));
        shard_hashes.push(hash);
    }
    let js = format!(
        "okrsiteSearch.shards({dir},{});\n",
        safe_json(&ShardList { s: shard_hashes })
    );
    let t = content_hash(js.as_bytes(), LISTED_HASH_HEX);
    files.push(OutputFile::new(format!("search/s/{}.{t}.js", segment.dir), js));
    let quarters = (segment.quarters.iter())
        .map(|q| quarter_files(q, &mut files))
        .collect();
    let entry = SegmentEntry {
        dir: segment.dir.clone(),
        docs: texts.len(),
        learnings: segment.learnings,
        t,
        quarters,
    };
    (files, entry)
}

/// A quarter's document files (one per retrospective) and its table, which lists
/// them: `[name, hash, learnings, sections, bytes]` each, in numbering order.
fn quarter_files(quarter: &QuarterDocs<'_>, files: &mut Vec<OutputFile>) -> QuarterEntry {
    let id = safe_json(&quarter.quarter);
    let mut entries = Vec::with_capacity(quarter.files.len());
    for (name, own, own_learnings) in &quarter.files {
        let mut js = format!("okrsiteSearch.docs({id},{},[\n", safe_json(name));
        for (i, doc) in own.iter().enumerate() {
            js.push_str(&safe_json(doc));
            js.push_str(if i + 1 < own.len() { ",\n" } else { "\n" });
        }
        js.push_str("]);\n");
        let hash = content_hash(js.as_bytes(), LISTED_HASH_HEX);
        let bytes = js.len();
        files.push(OutputFile::new(
            format!("search/d/{}/{name}.{hash}.js", quarter.dir),
            js,
        ));
        entries.push((name.clone(), hash, *own_learnings, own.len() - own_learnings, bytes));
    }
    let js = format!("okrsiteSearch.table({id},{});\n", safe_json(&entries));
    let t = content_hash(js.as_bytes(), LISTED_HASH_HEX);
    files.push(OutputFile::new(format!("search/t/{}.{t}.js", quarter.dir), js));
    QuarterEntry {
        q: quarter.quarter.to_string(),
        dir: quarter.dir.clone(),
        l: quarter.learnings(),
        s: quarter.sections(),
        t,
    }
}

/// A document's searchable text, normalised: title, text, team, quarter and tags.
fn index_text(doc: &SearchDoc) -> String {
    normalize(&format!(
        "{}\n{}\n{}\n{}\n{}",
        doc.title,
        doc.text,
        doc.team_name,
        doc.quarter_label,
        doc.tags.join(" ")
    ))
}

/// A document's filter tokens: its team, its quarter and its tags.
fn filter_tokens(doc: &SearchDoc) -> Vec<String> {
    let mut f = vec![filter_token("team", &doc.team), filter_token("quarter", &doc.quarter)];
    f.extend(doc.tags.iter().map(|t| filter_token("tag", t)));
    f
}

type Postings<'t> = HashMap<&'t str, Vec<u32>, ahash::RandomState>;

/// Postings: each token's (and filter's) documents, ascending. Tokens borrow from
/// the normalised texts, so counting them allocates nothing.
fn postings<'t>(texts: &'t [String], filters: &'t [Vec<String>]) -> Postings<'t> {
    // Millions of lookups of short keys: a fast hash (the map's order is never used).
    let mut postings: Postings<'t> = HashMap::default();
    for (id, (text, doc_filters)) in texts.iter().zip(filters).enumerate() {
        let n = id as u32;
        let mut add = |token: &'t str| {
            let list = postings.entry(token).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        };
        tokens(text, &mut add);
        doc_filters.iter().for_each(|f| add(f.as_str()));
    }
    postings
}

fn shard_maps<'t>(postings: &Postings<'t>, shards: u32, docs: usize) -> Vec<BTreeMap<&'t str, String>> {
    let mut by_shard: Vec<BTreeMap<&str, String>> = vec![BTreeMap::new(); shards as usize];
    for (token, ids) in postings {
        by_shard[shard_of(token, shards) as usize].insert(token, encode_postings_for(ids, docs));
    }
    by_shard
}

fn shard_count(postings: &Postings<'_>, docs: usize) -> u32 {
    let bitmap_len = docs.div_ceil(6) + 1;
    let total: usize = postings
        .iter()
        .map(|(k, v)| k.len() + 6 + (v.len() * 2).min(bitmap_len))
        .sum();
    total.div_ceil(super::shard_target(total)).clamp(1, 8192) as u32
}

pub(super) fn quarter_docs<'d>(quarter: &'d str, dir: String, docs: &[&'d SearchDoc<'d>]) -> QuarterDocs<'d> {
    let mut teams: Vec<&str> = Vec::new();
    for doc in docs {
        if !teams.contains(&doc.team.as_ref()) {
            teams.push(&doc.team);
        }
    }
    let of = |team: &'d str, learning: bool| {
        docs.iter()
            .copied()
            .filter(move |d| d.team == team && (d.kind == "learning") == learning)
    };
    let files = (teams.iter().enumerate())
        .map(|(i, t)| {
            let mut own: Vec<&SearchDoc> = of(t, true).collect();
            let own_learnings = own.len();
            own.extend(of(t, false));
            (path_part(t, i), own, own_learnings)
        })
        .collect();
    QuarterDocs { quarter, dir, files }
}

pub(super) fn tag_names(docs: &[SearchDoc]) -> Vec<String> {
    let mut tag_names: BTreeMap<String, String> = BTreeMap::new();
    for t in docs.iter().flat_map(|doc| doc.tags.iter()) {
        tag_names.entry(normalize(t)).or_insert_with(|| t.to_string());
    }
    tag_names.into_values().collect()
}
