//! The position of every node of a YAML document, from one pass of the YAML parser.
//!
//! [`super::yaml::locate`] re-parses the whole file to find one node, which made
//! `check` quadratic in files with thousands of diagnostics (8,000 key results that
//! name unknown metrics took minutes). This index is built once per file, on its
//! first diagnostic, from the same parser (libyaml, through `libyaml-rs`, which
//! yaml_serde uses), so its positions are the ones `locate` gives.
//!
//! Documents with anchors, aliases, tags, merge keys or complex keys are not indexed
//! (`locate` follows aliases the way the deserializer does); callers fall back to
//! `locate` for them.

use std::collections::HashMap;

use super::yaml::events::{self as sys, OwnedEvent, Parser};
use super::yaml::{Seg, YamlPath, too_deep};
use crate::diag::Position;

/// Node positions by (parent node, key or index).
#[derive(Debug, Default)]
pub struct PositionIndex {
    children: HashMap<(usize, Step), usize>,
    positions: Vec<Position>,
    /// Whether every node was indexed; when not, a missing path says nothing.
    complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

/// What the index says about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    At(Position),
    /// The document has no node there.
    Nowhere,
    /// The index cannot tell: ask [`super::yaml::locate`].
    Unknown,
}

enum Frame {
    /// `entries`: values seen so far (an index into a mapping means its i-th entry).
    Map {
        node: usize,
        key: Option<String>,
        entries: usize,
    },
    Seq {
        node: usize,
        next: usize,
    },
}

impl PositionIndex {
    /// Indexes `text`; a text that does not parse, or uses what the index does not
    /// follow, gives an incomplete index.
    pub fn build(text: &str) -> PositionIndex {
        if too_deep(text).is_some() {
            // `locate` finds nothing in such a text (it would take the parser too long).
            return PositionIndex {
                complete: true,
                ..PositionIndex::default()
            };
        }
        Self::try_build(text).unwrap_or_default()
    }

    fn try_build(text: &str) -> Option<PositionIndex> {
        let mut index = PositionIndex::default();
        let mut parser = Parser::new(text)?;
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let event = parser.next().ok()?;
            let mark = event.at();
            match event.type_ {
                sys::YAML_STREAM_START_EVENT | sys::YAML_DOCUMENT_START_EVENT => {}
                sys::YAML_DOCUMENT_END_EVENT | sys::YAML_STREAM_END_EVENT => break,
                sys::YAML_SCALAR_EVENT | sys::YAML_MAPPING_START_EVENT | sys::YAML_SEQUENCE_START_EVENT => {
                    if event.has_anchor_or_tag() {
                        return None;
                    }
                    let Place::Node(place) = place(&mut stack, &event)? else {
                        continue;
                    };
                    let node = index.positions.len();
                    index.positions.push(mark);
                    for step in place.into_iter().flatten() {
                        index.children.entry(step).or_insert(node);
                    }
                    match event.type_ {
                        sys::YAML_MAPPING_START_EVENT => stack.push(Frame::Map {
                            node,
                            key: None,
                            entries: 0,
                        }),
                        sys::YAML_SEQUENCE_START_EVENT => stack.push(Frame::Seq { node, next: 0 }),
                        _ => {}
                    }
                }
                sys::YAML_MAPPING_END_EVENT | sys::YAML_SEQUENCE_END_EVENT => {
                    stack.pop();
                }
                _ => return None,
            }
        }
        index.complete = true;
        Some(index)
    }

    pub fn find(&self, path: &YamlPath) -> Found {
        let miss = if self.complete { Found::Nowhere } else { Found::Unknown };
        if self.positions.is_empty() {
            return miss;
        }
        let mut node = 0;
        for seg in &path.0 {
            let step = match seg {
                Seg::Key(k) => Step::Key(k.clone()),
                Seg::Index(i) => Step::Index(*i),
            };
            match self.children.get(&(node, step)) {
                Some(&child) => node = child,
                None => return miss,
            }
        }
        Found::At(self.positions[node])
    }
}

/// What an event that starts a node is, for the index.
enum Place {
    /// A mapping's key: the node that follows is its value.
    Key,
    /// A node under its parent's key or index and, in a mapping, under the entry's
    /// index too (`[step, entry]`; neither for the root).
    Node([Option<(usize, Step)>; 2]),
}

/// Where a node starting with `event` hangs; `None` when the index does not follow
/// it (a key that is not plain text, a merge key).
fn place(stack: &mut [Frame], event: &OwnedEvent) -> Option<Place> {
    let place = match stack.last_mut() {
        None => [None, None],
        Some(Frame::Seq { node, next }) => {
            *next += 1;
            [Some((*node, Step::Index(*next - 1))), None]
        }
        Some(Frame::Map { node, key, entries }) => match key.take() {
            Some(k) => {
                *entries += 1;
                [Some((*node, Step::Key(k))), Some((*node, Step::Index(*entries - 1)))]
            }
            None => {
                // A key: only plain text keys are followed.
                if event.type_ != sys::YAML_SCALAR_EVENT {
                    return None;
                }
                let k = event.scalar_text();
                if k == "<<" {
                    return None;
                }
                *key = Some(k);
                return Some(Place::Key);
            }
        },
    };
    Some(Place::Node(place))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml::locate;

    const DOC: &str = "objectives:\n  - id: o1\n    title: タイトル\n    key_results:\n      - {title: a, target: 3}\n      - title: b\n        target: 60\n        metric:\n  - id: o2\n";

    #[test]
    fn positions_are_the_ones_locate_gives() {
        let index = PositionIndex::build(DOC);
        let o = YamlPath::root().key("objectives");
        let mut paths = vec![YamlPath::root(), o.clone(), o.index(1).key("id"), o.index(5)];
        for k in ["id", "title", "key_results", "missing"] {
            paths.push(o.index(0).key(k));
        }
        for i in 0..3 {
            let kr = o.index(0).key("key_results").index(i);
            for k in ["title", "target", "metric"] {
                paths.push(kr.key(k));
            }
            paths.push(kr);
        }
        for p in &paths {
            let expected = locate(DOC, p).map_or(Found::Nowhere, Found::At);
            assert_eq!(index.find(p), expected, "{p}");
        }
        assert_eq!(index.find(&o.index(0).key("title")), Found::At(Position::new(3, 12)));
    }

    #[test]
    fn an_index_into_a_mapping_is_its_entry() {
        let doc = "name: x\npoints: {2025-07-07: 100, 2030-01-01: 5}\nmore:\n  a: 1\n  b: 2\n";
        let index = PositionIndex::build(doc);
        for p in [
            YamlPath::root().key("points").index(1),
            YamlPath::root().key("points").index(0),
            YamlPath::root().key("more").index(1),
            YamlPath::root().index(2),
            YamlPath::root().key("points").index(2),
        ] {
            assert_eq!(index.find(&p), locate(doc, &p).map_or(Found::Nowhere, Found::At), "{p}");
        }
    }

    #[test]
    fn anchors_and_broken_text_leave_it_to_locate() {
        let aliased = "a: &x {b: 1}\nc: *x\n";
        assert_eq!(
            PositionIndex::build(aliased).find(&YamlPath::root().key("q")),
            Found::Unknown
        );
        let broken = "a: [1, 2\nb: 3\n";
        assert_eq!(
            PositionIndex::build(broken).find(&YamlPath::root().key("b")),
            Found::Unknown
        );
    }
}
