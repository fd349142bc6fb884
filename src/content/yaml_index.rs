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

/// A place in a YAML text as libyaml counts it: `index` in bytes from the start of
/// the text (after a byte order mark), `line` from 0, `column` in characters from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn of(mark: &libyaml_rs::yaml_mark_t) -> Mark {
        Mark {
            index: mark.index as usize,
            line: mark.line as usize,
            column: mark.column as usize,
        }
    }
}

/// What kind of node a [`NodeSpan`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Scalar,
    Sequence,
    Mapping,
}

/// Where one node of a YAML text is, for editing the text in place: where it starts
/// and ends, where its last scalar ends, and where its first child starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpan {
    pub kind: NodeKind,
    /// A collection written `[…]` or `{…}`.
    pub flow: bool,
    pub start: Mark,
    /// A scalar's end; a collection's closing event (the `]` or `}` of a flow one).
    pub end: Mark,
    /// The end of the last scalar inside (a scalar's own end; a collection's start
    /// when it holds nothing).
    pub content_end: Mark,
    /// Items of a sequence, entries of a mapping.
    pub children: usize,
    /// The start of the first item, or of the first key.
    pub first_child: Option<Mark>,
}

/// The span of the node at `path` in `text`; `None` when there is none, or when the
/// text does not parse or uses what the index does not follow (anchors, aliases,
/// tags, merge keys, complex keys).
pub fn node_span(text: &str, path: &YamlPath) -> Option<NodeSpan> {
    if too_deep(text).is_some() {
        return None;
    }
    let target: Vec<Step> = (path.0.iter())
        .map(|seg| match seg {
            Seg::Key(k) => Step::Key(k.clone()),
            Seg::Index(i) => Step::Index(*i),
        })
        .collect();
    let mut parser = Parser::new(text)?;
    let mut walk = SpanWalk::default();
    loop {
        let event = parser.next().ok()?;
        match event.type_ {
            sys::YAML_STREAM_START_EVENT | sys::YAML_DOCUMENT_START_EVENT => {}
            sys::YAML_SCALAR_EVENT | sys::YAML_MAPPING_START_EVENT | sys::YAML_SEQUENCE_START_EVENT => {
                if event.has_anchor_or_tag() {
                    return None;
                }
                if let Some(span) = walk.node(&event, &target)? {
                    return Some(span);
                }
            }
            sys::YAML_MAPPING_END_EVENT | sys::YAML_SEQUENCE_END_EVENT => {
                if let Some(span) = walk.end(&event) {
                    return Some(span);
                }
            }
            _ => return None,
        }
    }
}

/// The state of [`node_span`]'s walk: the open collections with their paths, and
/// the span being measured once the node is found (at depth `found_depth`).
#[derive(Default)]
struct SpanWalk {
    stack: Vec<Frame>,
    paths: Vec<Vec<Step>>,
    found: Option<(usize, NodeSpan)>,
}

impl SpanWalk {
    /// A node's (or a key's) start event; `Some(Some(span))` when it is the whole
    /// scalar looked for, `None` when the text cannot be followed.
    fn node(&mut self, event: &OwnedEvent, target: &[Step]) -> Option<Option<NodeSpan>> {
        let depth = self.stack.len();
        let is_scalar = event.type_ == sys::YAML_SCALAR_EVENT;
        if let Some((found_depth, span)) = self.found.as_mut() {
            if is_scalar {
                span.content_end = Mark::of(&event.end_mark);
            }
            let parent_is_found = depth == *found_depth;
            let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
            let is_item = matches!(self.stack.last(), Some(Frame::Seq { .. }));
            if parent_is_found && (is_key || is_item) {
                span.children += 1;
                span.first_child.get_or_insert(Mark::of(&event.start_mark));
            }
        }
        let Place::Node(place) = place(&mut self.stack, event)? else {
            return Some(None);
        };
        let mut path = self.paths.last().cloned().unwrap_or_default();
        path.extend(place[0].clone().map(|(_, step)| step));
        if self.found.is_none() && path == target {
            let span = new_span(event);
            if is_scalar {
                return Some(Some(span));
            }
            self.found = Some((depth + 1, span));
        }
        match event.type_ {
            sys::YAML_MAPPING_START_EVENT => self.stack.push(Frame::Map {
                node: depth,
                key: None,
                entries: 0,
            }),
            sys::YAML_SEQUENCE_START_EVENT => self.stack.push(Frame::Seq { node: depth, next: 0 }),
            _ => return Some(None),
        }
        self.paths.push(path);
        Some(None)
    }

    /// A collection's end event; the span when it closes the node looked for.
    fn end(&mut self, event: &OwnedEvent) -> Option<NodeSpan> {
        let closes_found = self.found.as_ref().is_some_and(|(d, _)| *d == self.stack.len());
        self.stack.pop();
        self.paths.pop();
        if closes_found {
            let (_, mut span) = self.found.take()?;
            span.end = Mark::of(&event.start_mark);
            return Some(span);
        }
        None
    }
}

/// The span of a node as its start event tells it.
fn new_span(event: &OwnedEvent) -> NodeSpan {
    // SAFETY: the union member read is the one of the event's type.
    let (kind, flow) = unsafe {
        match event.type_ {
            sys::YAML_SEQUENCE_START_EVENT => (
                NodeKind::Sequence,
                event.data.sequence_start.style == libyaml_rs::YAML_FLOW_SEQUENCE_STYLE,
            ),
            sys::YAML_MAPPING_START_EVENT => (
                NodeKind::Mapping,
                event.data.mapping_start.style == libyaml_rs::YAML_FLOW_MAPPING_STYLE,
            ),
            _ => (NodeKind::Scalar, false),
        }
    };
    let start = Mark::of(&event.start_mark);
    let end = Mark::of(&event.end_mark);
    NodeSpan {
        kind,
        flow,
        start,
        end,
        content_end: if kind == NodeKind::Scalar { end } else { start },
        children: 0,
        first_child: None,
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
