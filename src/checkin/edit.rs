//! Adding one entry to a list (or to a series written as a mapping) in a YAML file's
//! text, keeping every other byte as it was: comments, order, quoting, blank lines.
//!
//! The place comes from libyaml's events ([`crate::content::yaml_index::node_span`]);
//! every value is written by a serializer (serde_yaml, or a JSON string where a flow
//! collection needs quotes that serde_yaml would leave out), and the result is
//! parsed again and compared with the document as it was plus the entry, so no text
//! of a note can change anything else.

use serde_yaml::{Mapping, Value};

use crate::content::yaml::{Seg, YamlPath};
use crate::content::yaml_index::{Mark, NodeKind, NodeSpan, node_span};

/// What to add under a key of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub enum Addition {
    /// An item of a list: a mapping of these keys, in this order.
    Item(Vec<(&'static str, Value)>),
    /// A point of a series: an item `{date, value}` of a list, or `date: value` in a
    /// series written as a mapping.
    Point { date: String, value: f64 },
}

/// Why an entry could not be added to a text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("the file does not parse, or uses YAML anchors, aliases or tags, which okrsite does not edit")]
    Unreadable,
    #[error("`{0}` is not found in the file")]
    NoParent(String),
    #[error("`{0}` holds a value that is neither a list nor empty")]
    NotAList(String),
    #[error("adding to `{0}` would change more than the entry (the file's layout is unusual); add it by hand")]
    Unsafe(String),
}

impl EditError {
    /// The reason in the command line's words.
    pub fn message(&self) -> crate::messages::Message {
        use crate::msg;
        match self {
            EditError::Unreadable => msg!("checkin.edit_unreadable"),
            EditError::NoParent(path) => msg!("checkin.edit_no_parent", path = path),
            EditError::NotAList(path) => msg!("checkin.edit_not_a_list", path = path),
            EditError::Unsafe(path) => msg!("checkin.edit_unsafe", path = path),
        }
    }
}

/// `text` with `addition` added to the collection under `key` of the mapping at
/// `parent` (a list made when there is none).
pub fn append(text: &str, parent: &YamlPath, key: &str, addition: &Addition) -> Result<String, EditError> {
    let path = parent.key(key);
    let edited = match node_span(text, &path) {
        Some(span) if span.kind == NodeKind::Sequence => add_item(text, &span, &item(addition), &path)?,
        Some(span) if span.kind == NodeKind::Mapping => match addition {
            Addition::Point { date, value } => add_pair(text, &span, date, *value)?,
            Addition::Item(_) => return Err(EditError::NotAList(path.to_string())),
        },
        Some(span) => replace_empty(text, parent, key, &span, &item(addition))?,
        None => add_key(text, parent, key, &item(addition))?,
    };
    verify(text, &edited, &path, addition)?;
    Ok(edited)
}

/// The addition as a list item.
fn item(addition: &Addition) -> Vec<(&'static str, Value)> {
    match addition {
        Addition::Item(fields) => fields.clone(),
        Addition::Point { date, value } => vec![("date", Value::from(date.as_str())), ("value", number(*value))],
    }
}

/// A number as the files write it: `62`, not `62.0`, when it is whole.
pub fn number(v: f64) -> Value {
    whole(v).map_or_else(|| Value::from(v), Value::from)
}

/// `v` as an integer when it is one exactly (up to 2^53, where every whole number is).
pub fn whole(v: f64) -> Option<i64> {
    (v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0).then_some(v as i64)
}

/// An item added to a list: a new line after its last item, or inside its brackets.
fn add_item(
    text: &str,
    list: &NodeSpan,
    fields: &[(&'static str, Value)],
    path: &YamlPath,
) -> Result<String, EditError> {
    if list.flow {
        return Ok(insert_in_flow(text, list, &flow_mapping(fields)));
    }
    let layout = || EditError::Unsafe(path.to_string());
    let first = list.first_child.ok_or_else(layout)?;
    let (dash, gap) = dash_of(text, first).ok_or_else(layout)?;
    let at = after_line(text, list.content_end);
    Ok(splice(text, at, &block_item(fields, dash, gap, newline(text))))
}

/// A `date: value` entry added to a series written as a mapping.
fn add_pair(text: &str, map: &NodeSpan, date: &str, value: f64) -> Result<String, EditError> {
    let (key, value) = (flow_scalar(&Value::from(date)), flow_scalar(&number(value)));
    if map.flow {
        return Ok(insert_in_flow(text, map, &format!("{key}: {value}")));
    }
    let column = map.first_child.ok_or(EditError::Unreadable)?.column;
    let at = after_line(text, map.content_end);
    let line = format!("{}{key}: {value}{}", " ".repeat(column), newline(text));
    Ok(splice(text, at, &line))
}

/// A key whose value is empty (`checkins:`, `checkins: ~`) given a list of one item.
fn replace_empty(
    text: &str,
    parent: &YamlPath,
    key: &str,
    scalar: &NodeSpan,
    fields: &[(&'static str, Value)],
) -> Result<String, EditError> {
    let value: Option<Value> = serde_yaml::from_str(&text[offset(text, scalar.start)..offset(text, scalar.end)]).ok();
    if !matches!(value, Some(Value::Null)) {
        return Err(EditError::NotAList(parent.key(key).to_string()));
    }
    let owner = parent_span(text, parent)?;
    let (start, end) = (offset(text, scalar.start), offset(text, scalar.end));
    if owner.flow {
        return Ok(format!("{}[{}]{}", &text[..start], flow_mapping(fields), &text[end..]));
    }
    // The list goes on the lines after the key's, the empty value's text removed.
    let column = owner.first_child.ok_or(EditError::Unreadable)?.column + 2;
    let at = after_line(text, scalar.end);
    let list = block_item(fields, column, 1, newline(text));
    let with_list = splice(text, at, &list);
    Ok(format!("{}{}", &with_list[..start], &with_list[end..]))
}

/// `key` added at the end of the mapping at `parent`, with a list of one item.
fn add_key(text: &str, parent: &YamlPath, key: &str, fields: &[(&'static str, Value)]) -> Result<String, EditError> {
    let owner = parent_span(text, parent)?;
    if owner.kind != NodeKind::Mapping {
        return Err(EditError::NoParent(parent.to_string()));
    }
    let key_text = flow_scalar(&Value::from(key));
    if owner.flow {
        return Ok(insert_in_flow(
            text,
            &owner,
            &format!("{key_text}: [{}]", flow_mapping(fields)),
        ));
    }
    let column = owner.first_child.ok_or(EditError::Unreadable)?.column;
    let nl = newline(text);
    let lines = format!(
        "{}{key_text}:{nl}{}",
        " ".repeat(column),
        block_item(fields, column + 2, 1, nl)
    );
    Ok(splice(text, after_line(text, owner.content_end), &lines))
}

/// The span of the mapping an entry goes into: not there, or a text the spans do
/// not follow (anchors, aliases, tags).
fn parent_span(text: &str, parent: &YamlPath) -> Result<NodeSpan, EditError> {
    match (node_span(text, parent), node_span(text, &YamlPath::root())) {
        (Some(span), _) => Ok(span),
        (None, Some(_)) => Err(EditError::NoParent(parent.to_string())),
        (None, None) => Err(EditError::Unreadable),
    }
}

/// `entry` put inside a flow collection, after its last element.
fn insert_in_flow(text: &str, collection: &NodeSpan, entry: &str) -> String {
    let close = offset(text, collection.end);
    let before = text[..close].trim_end();
    let at = before.len();
    let glue = match (collection.children, before.ends_with(',')) {
        (0, _) => "",
        (_, true) => " ",
        (_, false) => ", ",
    };
    splice(text, at, &format!("{glue}{entry}"))
}

/// A block list item: `- key: value` lines, the `-` at column `dash` and the keys
/// `gap` spaces after it, as the list's other items are written.
fn block_item(fields: &[(&'static str, Value)], dash: usize, gap: usize, nl: &str) -> String {
    let mapping: Mapping = fields.iter().map(|(k, v)| (Value::from(*k), v.clone())).collect();
    let yaml = serde_yaml::to_string(&mapping).unwrap_or_default();
    let indent = " ".repeat(dash + 1 + gap);
    let mut out = String::new();
    for (i, line) in yaml.lines().enumerate() {
        if i == 0 {
            out.push_str(&format!("{}-{}{line}", " ".repeat(dash), " ".repeat(gap)));
        } else if line.is_empty() {
            // An empty line inside a block scalar stays empty (no trailing spaces).
        } else {
            out.push_str(&indent);
            out.push_str(line);
        }
        out.push_str(nl);
    }
    out
}

/// `{key: value, …}`, each value a flow scalar.
fn flow_mapping(fields: &[(&'static str, Value)]) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {}", flow_scalar(&Value::from(*k)), flow_scalar(v)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// A scalar as serde_yaml writes it, or as a JSON string (a YAML double-quoted
/// scalar) when serde_yaml's form would not survive inside `[…]` or `{…}`: it spans
/// lines, or is plain and holds a flow indicator.
fn flow_scalar(value: &Value) -> String {
    let yaml = serde_yaml::to_string(value).unwrap_or_default();
    let yaml = yaml.strip_suffix('\n').unwrap_or(&yaml);
    let quoted = yaml.starts_with(['"', '\'']);
    let unsafe_in_flow = yaml.contains(['\n', '\r']) || (!quoted && yaml.contains([',', '[', ']', '{', '}']));
    match value {
        Value::String(s) if unsafe_in_flow => serde_json::to_string(s).unwrap_or_default(),
        _ => yaml.to_string(),
    }
}

/// The column of the `-` of the list item starting at `item`, and the spaces
/// between it and the item; `None` when the item's line holds no `-` before it.
fn dash_of(text: &str, item: Mark) -> Option<(usize, usize)> {
    let start = offset(text, item);
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    let dash = before.rfind('-')?;
    let gap = before[dash + 1..].chars().count();
    (gap > 0 && before[dash + 1..].chars().all(|c| c == ' ')).then(|| (before[..dash].chars().count(), gap))
}

/// The byte offset of a mark, on a character boundary.
fn offset(text: &str, mark: Mark) -> usize {
    let mut at = mark.index.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where the lines after the one holding `mark` begin; a mark at the start of a line
/// (the end of a block scalar) is that place itself.
fn after_line(text: &str, mark: Mark) -> usize {
    let at = offset(text, mark);
    if mark.column == 0 {
        return at;
    }
    match text[at..].find('\n') {
        Some(i) => at + i + 1,
        None => text.len(),
    }
}

/// `text` with `insert` at byte `at`; a last line without its line break gets one first.
fn splice(text: &str, at: usize, insert: &str) -> String {
    let mut out = String::with_capacity(text.len() + insert.len() + 2);
    out.push_str(&text[..at]);
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        out.push_str(newline(text));
    }
    out.push_str(insert);
    out.push_str(&text[at..]);
    out
}

/// The file's line break: `\r\n` when it uses them.
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Checks that `edited` is `original` with the addition and nothing else, as YAML
/// values: whatever a note holds, it stays inside the entry.
fn verify(original: &str, edited: &str, path: &YamlPath, addition: &Addition) -> Result<(), EditError> {
    let unsafe_edit = || EditError::Unsafe(path.to_string());
    let mut expected: Value = serde_yaml::from_str(original).map_err(|_| EditError::Unreadable)?;
    let got: Value = serde_yaml::from_str(edited).map_err(|_| unsafe_edit())?;
    let (last, parents) = path.0.split_last().ok_or_else(unsafe_edit)?;
    let Seg::Key(key) = last else { return Err(unsafe_edit()) };
    let mut node = &mut expected;
    for seg in parents {
        node = match seg {
            Seg::Key(k) => node.get_mut(k.as_str()),
            Seg::Index(i) => node.get_mut(*i),
        }
        .ok_or_else(unsafe_edit)?;
    }
    let owner = node.as_mapping_mut().ok_or_else(unsafe_edit)?;
    let slot = owner.entry(Value::from(key.as_str())).or_insert(Value::Null);
    match (slot, addition) {
        (Value::Mapping(points), Addition::Point { date, value }) => {
            points.insert(Value::from(date.as_str()), number(*value));
        }
        (Value::Sequence(items), _) => items.push(item_value(addition)),
        (slot @ Value::Null, _) => *slot = Value::Sequence(vec![item_value(addition)]),
        _ => return Err(unsafe_edit()),
    }
    if got == expected { Ok(()) } else { Err(unsafe_edit()) }
}

fn item_value(addition: &Addition) -> Value {
    Value::Mapping(item(addition).into_iter().map(|(k, v)| (Value::from(k), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkin(note: &str) -> Addition {
        Addition::Item(vec![
            ("date", Value::from("2026-11-21")),
            ("status", Value::from("yellow")),
            ("note", Value::from(note)),
        ])
    }

    fn kr() -> YamlPath {
        YamlPath::root().key("objectives").index(0).key("key_results").index(0)
    }

    /// `text` with `lines` put in where `marker` ends.
    fn inserted_after(text: &str, marker: &str, lines: &str) -> String {
        let at = text.find(marker).expect("marker") + marker.len();
        format!("{}{lines}{}", &text[..at], &text[at..])
    }

    const BLOCK: &str = "objectives:\n  - id: a  # the objective\n    key_results:\n      - id: b\n        checkins:\n          -   date: 2026-10-13   # four spaces after the dash\n              status: yellow # a comment\n\n          # a comment below the list\n      - id: c\n";

    #[test]
    fn an_item_goes_after_the_last_one_in_its_layout_and_comments_stay() {
        let got = append(BLOCK, &kr(), "checkins", &checkin("x")).unwrap();
        let want = inserted_after(
            BLOCK,
            "status: yellow # a comment\n",
            "          -   date: 2026-11-21\n              status: yellow\n              note: x\n",
        );
        assert_eq!(got, want);
    }

    #[test]
    fn a_kr_without_checkins_gets_the_key_at_its_end() {
        let doc = "objectives:\n- id: a\n  key_results:\n  - id: b\n    title: t   # last line of the KR\n# a comment\n- id: c\n";
        let got = append(doc, &kr(), "checkins", &checkin("x")).unwrap();
        let want = inserted_after(
            doc,
            "# last line of the KR\n",
            "    checkins:\n      - date: 2026-11-21\n        status: yellow\n        note: x\n",
        );
        assert_eq!(got, want);
        // An empty value is replaced by the list; the comment after it stays.
        let empty =
            "objectives:\n  - key_results:\n      - title: t\n        checkins: ~  # none yet\n        target: 3\n";
        let got = append(empty, &kr(), "checkins", &checkin("x")).unwrap();
        assert_eq!(
            got,
            "objectives:\n  - key_results:\n      - title: t\n        checkins:   # none yet\n          - date: 2026-11-21\n            status: yellow\n            note: x\n        target: 3\n"
        );
    }

    #[test]
    fn flow_collections_stay_flow_and_quote_what_flow_needs() {
        let doc = "objectives: [{key_results: [{title: t, checkins: [{date: 2026-10-13, status: green}], values: {2026-10-01: 3}}]}]\n";
        let got = append(doc, &kr(), "checkins", &checkin("a, b]")).unwrap();
        assert_eq!(
            got,
            doc.replace(
                "status: green}]",
                "status: green}, {date: 2026-11-21, status: yellow, note: \"a, b]\"}]"
            )
        );
        let point = Addition::Point {
            date: "2026-11-21".into(),
            value: 4.5,
        };
        let got = append(doc, &kr(), "values", &point).unwrap();
        assert_eq!(got, doc.replace("{2026-10-01: 3}", "{2026-10-01: 3, 2026-11-21: 4.5}"));
        let empty = "objectives: [{key_results: [{title: t, checkins: []}]}]";
        let got = append(empty, &kr(), "checkins", &checkin("x")).unwrap();
        assert_eq!(
            got,
            "objectives: [{key_results: [{title: t, checkins: [{date: 2026-11-21, status: yellow, note: x}]}]}]"
        );
        let no_key = "objectives: [{key_results: [{title: t}]}]";
        let got = append(no_key, &kr(), "checkins", &checkin("x")).unwrap();
        assert_eq!(
            got,
            "objectives: [{key_results: [{title: t, checkins: [{date: 2026-11-21, status: yellow, note: x}]}]}]"
        );
    }

    #[test]
    fn a_series_written_as_a_mapping_gets_a_date_key() {
        let doc = "name: n\npoints:\n  2026-10-01: 3   # first\n  2026-11-01: 4\n# the end\n";
        let point = Addition::Point {
            date: "2026-11-21".into(),
            value: -0.25,
        };
        let got = append(doc, &YamlPath::root(), "points", &point).unwrap();
        assert_eq!(got, inserted_after(doc, "2026-11-01: 4\n", "  2026-11-21: -0.25\n"));
        // A list of points gets an item; a file without its last line break gets one.
        let list = "points:\n  - date: 2026-10-01\n    value: 3";
        let got = append(list, &YamlPath::root(), "points", &point).unwrap();
        assert_eq!(got, format!("{list}\n  - date: 2026-11-21\n    value: -0.25\n"));
    }

    #[test]
    fn crlf_files_keep_crlf_and_block_scalars_end_where_they_end() {
        let doc = "objectives:\r\n  - key_results:\r\n      - title: t\r\n        checkins:\r\n          - date: 2026-10-13\r\n            status: red\r\n            note: |\r\n              line one\r\n\r\n              line two\r\n\r\n      - title: u\r\n";
        let got = append(doc, &kr(), "checkins", &checkin("two\nlines")).unwrap();
        // The blank line after the block scalar is part of it: the item comes after.
        let want = inserted_after(
            doc,
            "line two\r\n\r\n",
            "          - date: 2026-11-21\r\n            status: yellow\r\n            note: |-\r\n              two\r\n              lines\r\n",
        );
        assert_eq!(got, want);
    }

    /// Notes that would be YAML if pasted in as they are: each stays one note, in a
    /// block list and in a flow list, and nothing else changes.
    #[test]
    fn no_note_can_inject_yaml() {
        let notes = [
            "a: b",
            "x # not a comment",
            "\"quoted\" and 'single'",
            "line\n          - date: 2030-01-01\n            status: green",
            "]}, {date: 2030-01-01, status: red}, [",
            "- item",
            "&anchor *alias !!python/object:os.system",
            "---\n...\n",
            "\ttab\u{2028}ls\u{85}nel\u{2029}ps\r\ncr",
            "  leading and trailing spaces  ",
            "null",
            "0.5",
            "",
            "|\n  block",
            "{{ config }} <script>",
        ];
        let flow = "objectives: [{key_results: [{title: t, checkins: [{date: 2026-10-13, status: green}]}]}]\n";
        for note in notes {
            for doc in [BLOCK, flow] {
                let got = append(doc, &kr(), "checkins", &checkin(note)).unwrap_or_else(|e| panic!("{note:?}: {e}"));
                let value: Value = serde_yaml::from_str(&got).unwrap();
                let checkins = &value["objectives"][0]["key_results"][0]["checkins"];
                assert_eq!(checkins.as_sequence().map(Vec::len), Some(2), "{note:?} in\n{got}");
                assert_eq!(checkins[1]["note"].as_str(), Some(note), "{note:?} in\n{got}");
            }
        }
    }

    #[test]
    fn what_cannot_be_edited_safely_is_refused() {
        let aliased = "objectives:\n  - key_results:\n      - &k {title: t}\n";
        assert_eq!(
            append(aliased, &kr(), "checkins", &checkin("x")),
            Err(EditError::Unreadable)
        );
        let scalar = "objectives:\n  - key_results:\n      - title: t\n        checkins: soon\n";
        assert!(matches!(
            append(scalar, &kr(), "checkins", &checkin("x")),
            Err(EditError::NotAList(_))
        ));
        let missing = "objectives: []\n";
        assert!(matches!(
            append(missing, &kr(), "checkins", &checkin("x")),
            Err(EditError::NoParent(_))
        ));
        // An item whose `-` is on a line of its own: no layout to follow.
        let dash_alone = "checkins:\n  -\n    date: 2026-10-13\n    status: red\n";
        assert!(matches!(
            append(dash_alone, &YamlPath::root(), "checkins", &checkin("x")),
            Err(EditError::Unsafe(_))
        ));
    }
}
