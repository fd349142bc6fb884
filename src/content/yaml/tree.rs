//! A YAML document as a tree of nodes that keep their positions, built from one
//! pass of libyaml's events, so a file can be checked whole (every problem, each at
//! its line and column) before serde reads it.
//!
//! Only what the content format uses is built: a document with anchors, aliases,
//! tags, keys that are not plain scalars, more than one document, or nesting deeper
//! than [`MAX_DEPTH`] gives no tree, and its caller falls back to serde alone.

use super::events::{self as ev, OwnedEvent, Parser, Stop};
use crate::diag::Position;

/// Nesting deeper than this is left to serde (which refuses it): the tree is walked
/// and dropped recursively.
pub const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: Position,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Map(Vec<Entry>),
    Seq(Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// Written without quotes: only plain scalars are numbers, booleans or null.
    pub plain: bool,
}

impl Scalar {
    /// Whether the scalar is YAML's null (empty, `~`, `null`), as serde reads it.
    pub fn is_null(&self) -> bool {
        self.plain && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_at: Position,
    pub value: Node,
}

/// What reading a text as a tree gives.
#[derive(Debug)]
pub enum Built {
    /// The document's root (`None` for an empty document).
    Tree(Option<Node>),
    /// The text is not YAML.
    NotYaml(Stop),
    /// The text uses what the tree does not follow (see the module docs).
    Unsupported,
}

/// A node being built: its position, and the entries or items so far.
enum Open {
    Map(Position, Vec<Entry>, Option<(String, Position)>),
    Seq(Position, Vec<Node>),
}

pub fn build(text: &str) -> Built {
    let Some(mut parser) = Parser::new(text) else {
        return Built::Unsupported;
    };
    let mut tree = Building::default();
    loop {
        let built = match parser.next() {
            Ok(event) => tree.step(&event),
            Err(stop) => Some(Built::NotYaml(stop)),
        };
        if let Some(built) = built {
            return built;
        }
    }
}

/// The nodes open while the events are read, and the root once closed.
#[derive(Default)]
struct Building {
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
}

impl Building {
    /// Takes one event; what was built once the stream ends (or cannot be followed).
    fn step(&mut self, event: &OwnedEvent) -> Option<Built> {
        let node = match event.type_ {
            ev::YAML_STREAM_START_EVENT | ev::YAML_DOCUMENT_END_EVENT => return None,
            ev::YAML_STREAM_END_EVENT => return Some(Built::Tree(self.root.take())),
            ev::YAML_DOCUMENT_START_EVENT => {
                self.documents += 1;
                return (self.documents > 1).then_some(Built::Unsupported);
            }
            ev::YAML_ALIAS_EVENT => return Some(Built::Unsupported),
            _ if event.has_anchor_or_tag() => return Some(Built::Unsupported),
            ev::YAML_MAPPING_START_EVENT | ev::YAML_SEQUENCE_START_EVENT if self.stack.len() >= MAX_DEPTH => {
                return Some(Built::Unsupported);
            }
            ev::YAML_MAPPING_START_EVENT => {
                self.stack.push(Open::Map(event.at(), Vec::new(), None));
                return None;
            }
            ev::YAML_SEQUENCE_START_EVENT => {
                self.stack.push(Open::Seq(event.at(), Vec::new()));
                return None;
            }
            ev::YAML_SCALAR_EVENT => Node {
                at: event.at(),
                value: Value::Scalar(Scalar {
                    text: event.scalar_text(),
                    plain: event.is_plain(),
                }),
            },
            ev::YAML_MAPPING_END_EVENT | ev::YAML_SEQUENCE_END_EVENT => match self.stack.pop() {
                Some(Open::Map(at, entries, _)) => Node {
                    at,
                    value: Value::Map(entries),
                },
                Some(Open::Seq(at, items)) => Node {
                    at,
                    value: Value::Seq(items),
                },
                None => return Some(Built::Unsupported),
            },
            _ => return Some(Built::Unsupported),
        };
        self.attach(node)
    }

    /// Puts a finished node under the node open above it.
    fn attach(&mut self, node: Node) -> Option<Built> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, key)) => match (key.take(), node.value) {
                (Some((key, key_at)), value) => entries.push(Entry {
                    key,
                    key_at,
                    value: Node { at: node.at, value },
                }),
                (None, Value::Scalar(s)) => *key = Some((s.text, node.at)),
                // A mapping or a list as a key.
                (None, _) => return Some(Built::Unsupported),
            },
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        match build(text) {
            Built::Tree(Some(n)) => n,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nodes_keep_their_positions_and_styles() {
        let root = tree("a:\n  - x: '1'\n    y: 2\nb: [3]\n");
        let Value::Map(entries) = &root.value else { panic!() };
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[0].key_at, Position::new(1, 1));
        let Value::Seq(items) = &entries[0].value.value else {
            panic!()
        };
        assert_eq!(items[0].at, Position::new(2, 5));
        let Value::Map(item) = &items[0].value else { panic!() };
        assert_eq!(item[0].value.at, Position::new(2, 8));
        assert_eq!(
            item[0].value.value,
            Value::Scalar(Scalar {
                text: "1".into(),
                plain: false
            })
        );
        assert_eq!(item[1].key_at, Position::new(3, 5));
        assert_eq!(entries[1].value.at, Position::new(4, 4));
    }

    #[test]
    fn what_the_tree_does_not_follow_is_left_to_serde() {
        for text in ["a: &x 1\nb: *x\n", "a: !tag 1\n", "? [a]\n: 1\n", "a: 1\n---\nb: 2\n"] {
            assert!(matches!(build(text), Built::Unsupported), "{text}");
        }
        assert!(matches!(build(&"- ".repeat(MAX_DEPTH + 1)), Built::Unsupported));
        assert!(matches!(build(""), Built::Tree(None)));
        assert!(matches!(build("a: [1\n"), Built::NotYaml(_)));
    }
}
