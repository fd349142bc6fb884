//! The index's files: one segment per (up to) four quarters, every file named by
//! its content.
//!
//! Quarters are grouped into segments four at a time counted from the oldest, so a
//! new quarter joins the newest segment (or starts one) and never regroups older
//! ones; a query fetches one shard per token per segment, so few segments keep its
//! requests few ([`QUARTERS_PER_SEGMENT`], docs/search.md). A segment's documents are
//! numbered locally: its learnings, quarter by quarter (newest first), each team by
//! team (teams in the order their first document comes), each team's in rank order;
//! then its sections in the same order. Inserting a learning shifts only that
//! segment's numbers, so only its shards change; a document file holds no numbers, so
//! the other retrospectives' files stay as they were.

use std::collections::{BTreeMap, HashMap};

use super::postings::{FilterTokens, Postings, shard_js, shard_lists};
use super::{SearchDoc, normalize, safe_json, safe_json_to};
use crate::files::{Collect, OutputFile, Sink, SinkError, content_hash, fingerprinted};
use crate::terms::normalize_owned;

/// Quarters per segment. A query fetches one shard per token per segment, so on an
/// archive of 8 quarters it looks in 2 segments rather than 8; an edit rewrites the
/// shards of its segment, the newest one for the quarters being written.
pub const QUARTERS_PER_SEGMENT: usize = 4;
/// Size a small segment's shards aim at, in bytes. A change to a segment rewrites all
/// of its shards (document numbers after the change shift), so a segment of a few
/// teams should have 2–4; a query fetches one shard per token per segment, so a
/// large segment's shards are smaller ([`shard_target`], docs/search.md).
pub const SHARD_TARGET_BYTES: usize = 16 * 1024;
/// Postings (in bytes) up to which a segment's shards aim at [`SHARD_TARGET_BYTES`]:
/// up to 4 shards.
const SMALL_SEGMENT_BYTES: usize = 4 * SHARD_TARGET_BYTES;
/// The smallest shard a large segment aims at, in bytes: the segment's shard list
/// (which a query loads) has one hash per shard, so smaller shards make it longer.
const MIN_SHARD_BYTES: usize = 4 * 1024;
/// Hex digits of the hash in the name of a file the manifest lists: the manifest
/// repeats them for every file, and 32 bits tell two versions of one file apart.
const LISTED_HASH_HEX: usize = 8;

/// The index files and the manifest's path (which the search page names).
pub struct SearchIndex {
    pub files: Vec<OutputFile>,
    /// `search/meta.<hash>.js`, relative to the site root.
    pub manifest: String,
}

/// The manifest: filter choices and each segment's files.
#[derive(serde::Serialize)]
struct Manifest {
    teams: Vec<(String, String)>,
    quarters: Vec<(String, String)>,
    tags: Vec<String>,
    /// Newest first, as the documents come.
    segments: Vec<SegmentEntry>,
}

/// A segment in the manifest. Its shards are listed in its shard list
/// (`s/<dir>.<hash>.js`), its quarters' document files in their tables
/// (`t/<quarter dir>.<hash>.js`), each loaded when first needed, so the manifest
/// stays small however many retrospectives a quarter has.
#[derive(serde::Serialize)]
struct SegmentEntry {
    /// The folder of its shards under `search/s/`, and its shard list's name: its
    /// oldest quarter's folder.
    dir: String,
    /// How many documents, and how many of them (the first) are learnings.
    docs: usize,
    learnings: usize,
    /// The hash in its shard list's name.
    t: String,
    /// Its quarters, newest first.
    quarters: Vec<QuarterEntry>,
}

/// A quarter of a segment in the manifest.
#[derive(serde::Serialize)]
struct QuarterEntry {
    /// The quarter's id, as the quarter filter names it.
    q: String,
    /// The folder of its document files under `search/d/`, and its table's name.
    dir: String,
    /// Its learnings and sections: its learnings follow the previous quarters'
    /// learnings of the segment, its sections theirs (after all the learnings).
    l: usize,
    s: usize,
    /// The hash in its table's name.
    t: String,
}

/// A segment's shard list: `search/s/<dir>.<hash>.js`. Shard `n` is
/// `s/<dir>/<n>.<hash>.js`.
#[derive(serde::Serialize)]
struct ShardList {
    s: Vec<String>,
}

/// A retrospective's documents: its file's name part, its documents (learnings
/// first), and how many learnings.
type DocFile<'d> = (String, Vec<&'d SearchDoc<'d>>, usize);

/// One quarter's documents, team by team.
struct QuarterDocs<'d> {
    quarter: &'d str,
    dir: String,
    files: Vec<DocFile<'d>>,
}

impl QuarterDocs<'_> {
    fn learnings(&self) -> usize {
        self.files.iter().map(|f| f.2).sum()
    }

    fn sections(&self) -> usize {
        self.files.iter().map(|f| f.1.len() - f.2).sum()
    }
}

/// Up to [`QUARTERS_PER_SEGMENT`] quarters' documents, numbered: `docs[n]` is
/// document `n`.
struct Segment<'d> {
    dir: String,
    /// Newest first.
    quarters: Vec<QuarterDocs<'d>>,
    docs: Vec<&'d SearchDoc<'d>>,
    learnings: usize,
}

/// The index files for `docs` (in rank order: newest quarter first, learnings first),
/// kept: for tests and benchmarks ([`build_into`] gives them to a sink).
pub fn build(docs: &[SearchDoc], teams: Vec<(String, String)>, quarters: Vec<(String, String)>) -> SearchIndex {
    let kept = Collect::default();
    let manifest = build_into(docs, teams, quarters, &kept).expect("keeping a file cannot fail");
    SearchIndex {
        files: kept.into_files(),
        manifest,
    }
}

/// The index files for `docs` (in rank order: newest quarter first, learnings first),
/// each segment's given to `sink` as soon as they are made, rather than all held until
/// the manifest is (at 200 teams, 28 MB of files held while the pages render); returns
/// the manifest's path.
pub fn build_into(
    docs: &[SearchDoc],
    teams: Vec<(String, String)>,
    quarters: Vec<(String, String)>,
    sink: &dyn Sink,
) -> Result<String, SinkError> {
    use rayon::prelude::*;
    let segments = segments(docs);
    let entries = (segments.par_iter())
        .map(|segment| {
            let (files, entry) = segment_files(segment);
            files.into_iter().try_for_each(|f| sink.put(f))?;
            Ok(entry)
        })
        .collect::<Result<Vec<SegmentEntry>, SinkError>>()?;
    let manifest = Manifest {
        teams,
        quarters,
        tags: tag_names(docs),
        segments: entries,
    };
    let js = format!("okrsiteSearch.meta({});\n", safe_json(&manifest));
    let path = fingerprinted("search/meta.js", js.as_bytes());
    sink.put(OutputFile::new(path.clone(), js))?;
    Ok(path)
}

/// A name part for a file path: the id itself when it is a plain slug, else `_<i>`
/// (ids are slugs on a real site; this keeps any other text out of paths).
fn path_part(id: &str, i: usize) -> String {
    let plain = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with(['.', '_'])
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain { id.to_string() } else { format!("_{i}") }
}

/// The documents split by quarter (in the order quarters first come, newest first),
/// grouped into segments of [`QUARTERS_PER_SEGMENT`] counted from the oldest, and
/// numbered.
fn segments<'d>(docs: &'d [SearchDoc<'_>]) -> Vec<Segment<'d>> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_quarter: HashMap<&str, Vec<&SearchDoc<'_>>> = HashMap::new();
    for doc in docs {
        let list = by_quarter.entry(doc.quarter.as_ref()).or_default();
        if list.is_empty() {
            order.push(&doc.quarter);
        }
        list.push(doc);
    }
    let count = order.len();
    let mut segments: Vec<Vec<QuarterDocs<'_>>> = Vec::new();
    let mut current = usize::MAX;
    for (i, q) in order.iter().enumerate() {
        // The group counted from the oldest quarter: stable as newer quarters come.
        let group = (count - 1 - i) / QUARTERS_PER_SEGMENT;
        if group != current {
            segments.push(Vec::new());
            current = group;
        }
        let quarter = quarter_docs(q, path_part(q, i), &by_quarter[q]);
        segments.last_mut().expect("pushed").push(quarter);
    }
    segments.into_iter().map(segment).collect()
}

/// One quarter's documents, team by team (teams in the order their first document
/// comes), each team's learnings first, each in the order they come. In one pass:
/// filtering the quarter's documents once per team was quadratic (200 teams and
/// thousands of documents a quarter).
fn quarter_docs<'d>(quarter: &'d str, dir: String, docs: &[&'d SearchDoc<'d>]) -> QuarterDocs<'d> {
    let mut places: HashMap<&str, usize, ahash::RandomState> = HashMap::default();
    let mut teams: Vec<(&str, Vec<&SearchDoc<'_>>, Vec<&SearchDoc<'_>>)> = Vec::new();
    for &doc in docs {
        let place = *places.entry(doc.team.as_ref()).or_insert_with(|| {
            teams.push((&doc.team, Vec::new(), Vec::new()));
            teams.len() - 1
        });
        let (_, learnings, sections) = &mut teams[place];
        if doc.kind == "learning" {
            learnings.push(doc);
        } else {
            sections.push(doc);
        }
    }
    let files = (teams.into_iter().enumerate())
        .map(|(i, (team, mut own, sections))| {
            let own_learnings = own.len();
            own.extend(sections);
            (path_part(team, i), own, own_learnings)
        })
        .collect();
    QuarterDocs { quarter, dir, files }
}

/// A segment of quarters (newest first), numbered: every quarter's learnings, then
/// every quarter's sections, each team by team.
fn segment(quarters: Vec<QuarterDocs<'_>>) -> Segment<'_> {
    let files = || quarters.iter().flat_map(|q| q.files.iter());
    let mut docs: Vec<&SearchDoc<'_>> = files().flat_map(|f| f.1[..f.2].iter().copied()).collect();
    let learnings = docs.len();
    docs.extend(files().flat_map(|f| f.1[f.2..].iter().copied()));
    let dir = quarters.last().map(|q| q.dir.clone()).unwrap_or_default();
    Segment {
        dir,
        quarters,
        docs,
        learnings,
    }
}

/// A segment's shards and shard list, its quarters' document files and tables, and
/// its manifest entry.
fn segment_files(segment: &Segment<'_>) -> (Vec<OutputFile>, SegmentEntry) {
    let texts: Vec<String> = segment.docs.iter().map(|d| index_text(d)).collect();
    let filters = FilterTokens::new(&segment.docs);
    let postings = Postings::new(&texts, &segment.docs, &filters);
    let shards = shard_count(&postings, texts.len());
    let mut files = Vec::new();
    let mut shard_hashes = Vec::with_capacity(shards as usize);
    let dir = safe_json(&segment.dir);
    for (n, shard) in shard_lists(&postings, shards).iter().enumerate() {
        let js = shard_js(&dir, n, shard, texts.len());
        let hash = content_hash(&js, LISTED_HASH_HEX);
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
        let mut js = Vec::with_capacity(64 + own.iter().map(|doc| json_size(doc)).sum::<usize>());
        js.extend_from_slice(format!("okrsiteSearch.docs({id},{},[\n", safe_json(name)).as_bytes());
        for (i, doc) in own.iter().enumerate() {
            safe_json_to(&mut js, doc);
            js.extend_from_slice(if i + 1 < own.len() { b",\n" } else { b"\n" });
        }
        js.extend_from_slice(b"]);\n");
        let hash = content_hash(&js, LISTED_HASH_HEX);
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

/// About the size of `doc`'s JSON, so a document file's bytes are allocated once
/// rather than grown a dozen times: its texts, and room for the keys and escapes.
fn json_size(doc: &SearchDoc) -> usize {
    let texts = [&doc.title, &doc.text, &doc.url, &doc.team_name, &doc.quarter_label];
    let tags: usize = doc.tags.iter().map(|t| t.len() + 3).sum();
    texts.iter().map(|t| t.len()).sum::<usize>() + tags + 96
}

/// A document's searchable text, normalised: title, text, team, quarter and tags,
/// each after a line break (so no term spans two of them).
fn index_text(doc: &SearchDoc) -> String {
    let parts = [&doc.title, &doc.text, &doc.team_name, &doc.quarter_label];
    let len = parts.iter().copied().chain(&doc.tags).map(|p| p.len() + 1).sum();
    let mut text = String::with_capacity(len);
    for part in parts {
        text.push_str(part);
        text.push('\n');
    }
    for (i, tag) in doc.tags.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(tag);
    }
    normalize_owned(text)
}

/// Every tag's first spelling, by its normalised form. Each spelling is normalised
/// once: a spelling seen before is already in (or has lost to an earlier one).
fn tag_names(docs: &[SearchDoc]) -> Vec<String> {
    let mut seen: std::collections::HashSet<&str, ahash::RandomState> = Default::default();
    let mut tag_names: BTreeMap<String, &str> = BTreeMap::new();
    for t in docs.iter().flat_map(|doc| doc.tags.iter()) {
        if seen.insert(t) {
            tag_names.entry(normalize(t)).or_insert(t);
        }
    }
    tag_names.into_values().map(str::to_string).collect()
}

/// How many shards keep each near [`shard_target`].
fn shard_count(postings: &Postings<'_>, docs: usize) -> u32 {
    let bitmap_len = docs.div_ceil(6) + 1;
    let total: usize = postings
        .iter()
        .map(|(k, v)| k.len() + 6 + (v.len() * 2).min(bitmap_len))
        .sum();
    total.div_ceil(shard_target(total)).clamp(1, 8192) as u32
}

/// The size a segment's shards aim at, for `total` bytes of postings. A small segment's
/// are [`SHARD_TARGET_BYTES`], so an edit rewrites at most 4 of them. Beyond
/// [`SMALL_SEGMENT_BYTES`] an edit rewrites many shards whatever their size, while a
/// query fetches one per token from every quarter: the target shrinks as the segment
/// grows (twice the postings, half the shard) down to [`MIN_SHARD_BYTES`].
fn shard_target(total: usize) -> usize {
    if total <= SMALL_SEGMENT_BYTES {
        return SHARD_TARGET_BYTES;
    }
    (SHARD_TARGET_BYTES * SMALL_SEGMENT_BYTES / total).max(MIN_SHARD_BYTES)
}

#[cfg(test)]
#[path = "segments_reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn doc(kind: &'static str, team: &str, quarter: &str, text: &str) -> SearchDoc<'static> {
        SearchDoc {
            kind,
            title: "".into(),
            text: text.to_string().into(),
            url: format!("quarters/{quarter}/{team}/").into(),
            team: team.to_string().into(),
            team_name: team.to_string().into(),
            quarter: quarter.to_string().into(),
            quarter_label: quarter.to_string().into(),
            tags: vec![],
        }
    }

    fn text(f: &OutputFile) -> &str {
        std::str::from_utf8(&f.bytes).unwrap()
    }

    #[test]
    fn a_segment_numbers_learnings_then_sections_quarter_by_quarter_team_by_team() {
        let docs = vec![
            doc("learning", "a", "2026-Q2", "a1"),
            doc("learning", "b", "2026-Q2", "b1"),
            doc("learning", "a", "2026-Q2", "a2"),
            doc("section", "b", "2026-Q2", "bs"),
            doc("section", "a", "2026-Q2", "as"),
            doc("learning", "a", "2026-Q1", "old"),
            doc("section", "a", "2026-Q1", "olds"),
        ];
        let segs = segments(&docs);
        assert_eq!(segs.len(), 1);
        let order: Vec<&str> = segs[0].docs.iter().map(|d| d.text.as_ref()).collect();
        assert_eq!(order, ["a1", "a2", "b1", "old", "as", "bs", "olds"]);
        assert_eq!(segs[0].learnings, 4);
        assert_eq!(segs[0].dir, "2026-Q1", "named by its oldest quarter");
        let index = build(&docs, vec![], vec![]);
        let table = index
            .files
            .iter()
            .find(|f| f.path.starts_with("search/t/2026-Q2."))
            .unwrap();
        assert!(
            text(table).starts_with(r#"okrsiteSearch.table("2026-Q2",[["a","#),
            "{}",
            text(table)
        );
        let a = index
            .files
            .iter()
            .find(|f| f.path.starts_with("search/d/2026-Q2/a."))
            .unwrap();
        assert!(text(a).starts_with("okrsiteSearch.docs(\"2026-Q2\",\"a\",[\n"));
        assert_eq!(text(a).matches("\"kind\"").count(), 3);
        let manifest = index.files.iter().find(|f| f.path == index.manifest).unwrap();
        assert!(
            text(manifest).contains(r#""quarters":[{"q":"2026-Q2","dir":"2026-Q2","l":3,"s":2,"#),
            "{}",
            text(manifest)
        );
    }

    #[test]
    fn quarters_are_grouped_four_at_a_time_from_the_oldest() {
        let quarters = [
            "2027-Q1", "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1",
        ];
        let docs: Vec<SearchDoc> = quarters.iter().map(|q| doc("learning", "t", q, "学び")).collect();
        let groups: Vec<Vec<&str>> = segments(&docs)
            .iter()
            .map(|s| s.quarters.iter().map(|q| q.quarter).collect())
            .collect();
        assert_eq!(
            groups,
            [
                vec!["2027-Q1"],
                vec!["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1"],
                vec!["2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
            ]
        );
    }

    #[test]
    fn every_name_carries_its_content_hash() {
        let docs: Vec<SearchDoc> = (0..30)
            .map(|i| doc("learning", "t", "2026-Q1", &format!("学び{i}")))
            .collect();
        let index = build(&docs, vec![], vec![]);
        for f in &index.files {
            let hash = f.path.rsplit('.').nth(1).unwrap();
            assert_eq!(hash, content_hash(&f.bytes, hash.len()), "{}", f.path);
        }
        assert!(index.manifest.starts_with("search/meta.") && index.manifest.len() == "search/meta..js".len() + 16);
    }

    #[test]
    fn large_segments_have_smaller_shards() {
        assert_eq!(shard_target(40 * 1024), SHARD_TARGET_BYTES);
        assert_eq!(shard_target(SMALL_SEGMENT_BYTES), SHARD_TARGET_BYTES);
        assert_eq!(shard_target(2 * SMALL_SEGMENT_BYTES), SHARD_TARGET_BYTES / 2);
        assert_eq!(shard_target(200 * 1024), 5242);
        assert_eq!(shard_target(400 * 1024), MIN_SHARD_BYTES);
        assert_eq!(shard_target(10 << 20), MIN_SHARD_BYTES);
    }

    #[test]
    fn a_change_in_one_segment_leaves_the_others_files() {
        let quarters = ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3"];
        let mut docs: Vec<SearchDoc> = (0..50)
            .map(|i| doc("learning", ["a", "b"][i % 2], quarters[i / 10], &format!("学び{i}")))
            .collect();
        let before = build(&docs, vec![], vec![]);
        let paths = |i: &SearchIndex| -> Vec<String> { i.files.iter().map(|f| f.path.clone()).collect() };
        // The newest quarter is a segment of its own: the others keep every file.
        docs.insert(3, doc("learning", "a", "2026-Q3", "新しい学び"));
        let after = build(&docs, vec![], vec![]);
        let (b, a) = (paths(&before), paths(&after));
        let older = |p: &&String| !p.contains("2026-Q3") && !p.starts_with("search/meta.");
        assert!(b.iter().filter(older).all(|p| a.contains(p)));
        assert!(b.iter().any(|p| p.starts_with("search/d/2026-Q3/b.") && a.contains(p)));
        assert_ne!(before.manifest, after.manifest);
        // In an older segment: its shards change, its other quarters' documents do not.
        docs.insert(30, doc("learning", "a", "2026-Q1", "古い学び"));
        let later = build(&docs, vec![], vec![]);
        let l = paths(&later);
        assert!(a.iter().filter(|p| p.contains("2026-Q3")).all(|p| l.contains(p)));
        assert!(
            a.iter()
                .filter(|p| p.starts_with("search/d/2025-Q4/"))
                .all(|p| l.contains(p))
        );
        assert!(a.iter().any(|p| p.starts_with("search/s/2025-Q3/") && !l.contains(p)));
    }

    /// Documents made of pieces that exercise every path: CJK runs, Latin words of
    /// every length around the 7-byte short keys, characters JSON escapes, tags.
    fn arbitrary_docs() -> impl proptest::strategy::Strategy<Value = Vec<SearchDoc<'static>>> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("価格改定"),
            Just("顧客"),
            Just("の"),
            Just("pricing"),
            Just("Pricin"),
            Just("ab"),
            Just("redesigned"),
            Just("1234567"),
            Just("ＡＢＣ"),
            Just("ΟΔΟΣ"),
            Just("<b>&amp;"),
            Just("\u{2028}"),
            Just("、"),
            Just(" "),
            Just("\n"),
            Just("\"q\""),
            Just("é"),
        ];
        let text = proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat());
        let tag = prop_oneof![Just("CS"), Just("cs"), Just("価格"), Just("<x>")];
        let doc = (
            any::<bool>(),
            0..4usize,
            0..6usize,
            text.clone(),
            text,
            proptest::collection::vec(tag, 0..3),
        )
            .prop_map(|(learning, team, quarter, title, text, tags)| SearchDoc {
                kind: if learning { "learning" } else { "section" },
                title: title.into(),
                text: text.into(),
                url: format!("q/{quarter}/{team}/#x").into(),
                team: ["a", "b", "c d", "価"][team].into(),
                team_name: ["A", "B<", "C", "価格"][team].into(),
                quarter: format!("2026-Q{quarter}").into(),
                quarter_label: format!("2026 Q{quarter}").into(),
                tags: tags.into_iter().map(Cow::Borrowed).collect(),
            });
        proptest::collection::vec(doc, 0..60)
    }

    proptest::proptest! {
        #[test]
        fn segment_files_are_the_references_byte_for_byte(docs in arbitrary_docs()) {
            for segment in segments(&docs) {
                let (files, entry) = segment_files(&segment);
                let (reference, reference_entry) = reference::segment_files(&segment);
                let named = |f: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
                    f.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect()
                };
                proptest::prop_assert_eq!(named(&files), named(&reference));
                proptest::prop_assert_eq!(safe_json(&entry), safe_json(&reference_entry));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn quarters_are_split_by_team_as_the_reference(docs in arbitrary_docs()) {
            let all: Vec<&SearchDoc<'_>> = docs.iter().collect();
            let files = |q: QuarterDocs<'_>| -> Vec<(String, Vec<*const u8>, usize)> {
                let pointers = |own: Vec<&SearchDoc<'_>>| own.into_iter().map(|d| std::ptr::from_ref(d).cast::<u8>()).collect();
                q.files.into_iter().map(|(name, own, n)| (name, pointers(own), n)).collect()
            };
            proptest::prop_assert_eq!(
                files(quarter_docs("q", "d".into(), &all)),
                files(reference::quarter_docs("q", "d".into(), &all))
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn tag_names_are_the_references(docs in arbitrary_docs()) {
            proptest::prop_assert_eq!(tag_names(&docs), reference::tag_names(&docs));
        }
    }
}
