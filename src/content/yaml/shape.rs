//! Checking a YAML tree against the shape of a content file, every problem at
//! once: serde stops at the first unknown key or wrong type, so a file with three
//! mistakes took three runs to fix. The check walks the tree of [`super::tree`]
//! once (linear), reports each problem at its line and column with what would be
//! right, and builds the value serde then reads ([`CheckedValue`]), with each
//! problem's element left out (a [`Shape::Lenient`] list element becomes null, read
//! as `Lenient::Err`).
//!
//! A shape mirrors a raw struct of `content/raw.rs` (`content/shapes.rs` holds
//! them; a test there keeps them in step).

use std::borrow::Cow;
use std::fmt;

use super::checked::CheckedValue as Checked;
use super::tree::{Node, Scalar, Value};
use crate::diag::{Message, Position, suggestion};
use crate::msg;

/// What a node must be.
#[derive(Debug)]
pub enum Shape {
    /// Any scalar, as text (`String`).
    Text,
    /// A plain number (`f64`).
    Number,
    /// A plain number meant as a share from 0 to 1 (`f64`; hints speak of shares).
    Share,
    /// `true` or `false`.
    Bool,
    /// A date written YYYY-MM-DD (`Day`).
    Date,
    /// One of a few words (a unit enum).
    Choice(&'static Choice),
    List(&'static Shape),
    /// A list element that fails on its own (`Lenient<T>`): its problems are
    /// reported, and it is read as null.
    Lenient(&'static Shape),
    Record(&'static Record),
    /// A series of points: a list of `{date, value, note}`, a mapping of date to
    /// value, or nothing (`RawSeries`).
    Series,
    /// Nothing (null, empty) or the inner shape (`Option<T>`).
    Maybe(&'static Shape),
}

/// The words a [`Shape::Choice`] accepts, and words people write for them.
#[derive(Debug)]
pub struct Choice {
    pub values: &'static [&'static str],
    /// `(written, meant)`, compared after trimming and lowercasing.
    pub near: &'static [(&'static str, &'static str)],
}

/// A mapping with known keys (a struct with `deny_unknown_fields`), of at most
/// [`MAX_FIELDS`].
#[derive(Debug)]
pub struct Record {
    /// What it is, in words ("a key result").
    pub what: fn() -> Message,
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
}

impl Field {
    pub const fn new(key: &'static str, shape: Shape) -> Field {
        Field {
            key,
            shape,
            required: false,
        }
    }

    pub const fn required(key: &'static str, shape: Shape) -> Field {
        Field {
            key,
            shape,
            required: true,
        }
    }
}

/// One problem found, at its position in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: Position,
    pub message: Message,
    pub help: Option<Message>,
}

/// The most fields a [`Record`] has: the check marks the keys seen in a bit set.
pub const MAX_FIELDS: usize = 64;

/// What checking a document gives: its problems, and the value to read (none when
/// a problem is outside every lenient element).
pub struct CheckedDoc {
    pub problems: Vec<Problem>,
    pub value: Option<Checked>,
}

/// What a node is called in messages: its key, or an element of a list. Written
/// out only when a problem is reported.
#[derive(Clone, Copy)]
enum Label<'a> {
    Key(&'a str),
    Item(&'a Label<'a>, usize),
}

impl Label<'_> {
    fn is_top(&self) -> bool {
        matches!(self, Label::Key(""))
    }
}

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Key(key) => f.write_str(key),
            Label::Item(list, i) => write!(f, "{list}[{i}]"),
        }
    }
}

/// Checks `root` (`None`: an empty document, read as null) against `shape`.
pub fn check(root: Option<&Node>, shape: &Shape) -> CheckedDoc {
    let empty = Node {
        at: Position::new(1, 1),
        value: Value::Scalar(Scalar {
            text: String::new(),
            plain: true,
        }),
    };
    let mut checker = Checker { problems: Vec::new() };
    let value = checker.node(root.unwrap_or(&empty), shape, Label::Key(""));
    CheckedDoc {
        problems: checker.problems,
        value,
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn report(&mut self, at: Position, message: Message, help: Option<Message>) {
        self.problems.push(Problem { at, message, help });
    }

    /// The value of `node` if it has `shape`; `label` names it in messages (its key).
    fn node(&mut self, node: &Node, shape: &Shape, label: Label<'_>) -> Option<Checked> {
        match (shape, &node.value) {
            (Shape::Maybe(_), Value::Scalar(s)) if s.is_null() => Some(Checked::Null),
            (Shape::Maybe(inner), _) => self.node(node, inner, label),
            (Shape::Lenient(inner), _) => Some(self.node(node, inner, label).unwrap_or(Checked::Null)),
            (Shape::Record(record), Value::Map(entries)) => self.record(node.at, entries, record),
            (Shape::List(item), Value::Seq(items)) => self.list(items, item, label),
            (Shape::Series, _) => self.series(node, label),
            (_, Value::Scalar(s)) => self.scalar(node.at, s, shape, label),
            _ => {
                self.wrong_type(node, shape, label);
                None
            }
        }
    }

    fn list(&mut self, items: &[Node], item: &Shape, label: Label<'_>) -> Option<Checked> {
        let mut values = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, node) in items.iter().enumerate() {
            match self.node(node, item, Label::Item(&label, i)) {
                Some(v) => values.push(v),
                None => ok = false,
            }
        }
        ok.then_some(Checked::List(values))
    }

    fn record(&mut self, at: Position, entries: &[super::tree::Entry], record: &Record) -> Option<Checked> {
        let mut out = Vec::with_capacity(entries.len());
        let mut ok = true;
        // Bit n: field n's key was seen.
        let mut seen = 0u64;
        for e in entries {
            let Some((n, field)) = record.fields.iter().enumerate().find(|(_, f)| f.key == e.key) else {
                self.unknown_key(e, record);
                ok = false;
                continue;
            };
            if seen & (1 << n) != 0 {
                let message = msg!("yaml.duplicate_key", key = field.key, what = (record.what)());
                self.report(e.key_at, message, Some(msg!("yaml.duplicate_key_help")));
                ok = false;
                continue;
            }
            seen |= 1 << n;
            match self.node(&e.value, &field.shape, Label::Key(field.key)) {
                Some(v) => out.push((Cow::Borrowed(field.key), v)),
                None => ok = false,
            }
        }
        let missing = (record.fields.iter().enumerate()).filter(|(n, f)| f.required && seen & (1 << n) == 0);
        for (_, field) in missing {
            let message = msg!("yaml.missing_key", key = field.key, what = (record.what)());
            self.report(at, message, Some(msg!("yaml.missing_key_help", key = field.key)));
            ok = false;
        }
        ok.then_some(Checked::Map(out))
    }

    fn unknown_key(&mut self, e: &super::tree::Entry, record: &Record) {
        let keys: Vec<&str> = record.fields.iter().map(|f| f.key).collect();
        let message = msg!(
            "yaml.unknown_key",
            key = e.key.as_str(),
            what = (record.what)(),
            keys = keys.join(", ")
        );
        self.report(e.key_at, message, suggestion(&e.key, &keys));
    }

    /// A series: a list of points, a mapping of date to value, or nothing.
    fn series(&mut self, node: &Node, label: Label<'_>) -> Option<Checked> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => Some(Checked::Null),
            Value::Seq(items) => self.list(items, &Shape::Record(&POINT), label),
            Value::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                let mut ok = true;
                for e in entries {
                    let key = Scalar {
                        text: e.key.clone(),
                        plain: true,
                    };
                    let date = self.scalar(e.key_at, &key, &Shape::Date, label);
                    let value = self.node(&e.value, &Shape::Number, Label::Key(&e.key));
                    match (date, value) {
                        (Some(Checked::Text(d)), Some(v)) => out.push((Cow::Owned(d), v)),
                        _ => ok = false,
                    }
                }
                ok.then_some(Checked::Map(out))
            }
            Value::Scalar(_) => {
                self.wrong_type(node, &Shape::Series, label);
                None
            }
        }
    }

    fn scalar(&mut self, at: Position, s: &Scalar, shape: &Shape, label: Label<'_>) -> Option<Checked> {
        let value = match shape {
            Shape::Text => Some(Checked::Text(s.text.clone())),
            Shape::Number | Shape::Share => number(s).map(Checked::Number),
            Shape::Bool => boolean(s).map(Checked::Bool),
            Shape::Date => return self.date(at, s),
            Shape::Choice(choice) => return self.choice(at, s, choice, label),
            _ => None,
        };
        if value.is_none() {
            let node = Node {
                at,
                value: Value::Scalar(s.clone()),
            };
            self.wrong_type(&node, shape, label);
        }
        value
    }

    fn date(&mut self, at: Position, s: &Scalar) -> Option<Checked> {
        match crate::content::raw::Day::parse(&s.text) {
            Ok(_) => Some(Checked::Text(s.text.clone())),
            Err(e) => {
                let (message, help) = super::hints::date_problem(&s.text, &e);
                self.report(at, message, help);
                None
            }
        }
    }

    fn choice(&mut self, at: Position, s: &Scalar, choice: &Choice, label: Label<'_>) -> Option<Checked> {
        if choice.values.contains(&s.text.as_str()) {
            return Some(Checked::Text(s.text.clone()));
        }
        let message = msg!(
            "yaml.unknown_value",
            value = s.text.as_str(),
            key = label.to_string().as_str(),
            values = choice.values.join(", ")
        );
        self.report(at, message, super::hints::choice_hint(&s.text, choice));
        None
    }

    fn wrong_type(&mut self, node: &Node, shape: &Shape, label: Label<'_>) {
        let found = match &node.value {
            Value::Map(_) => msg!("yaml.found.map"),
            Value::Seq(_) => msg!("yaml.found.list"),
            Value::Scalar(s) if s.is_null() => msg!("yaml.found.nothing"),
            Value::Scalar(s) if number(s).is_some() => msg!("yaml.found.number", text = s.text.as_str()),
            Value::Scalar(s) if boolean(s).is_some() => msg!("yaml.found.bool", text = s.text.as_str()),
            Value::Scalar(s) => msg!("yaml.found.text", text = super::hints::short(&s.text)),
        };
        let expected = expected(shape);
        let message = if label.is_top() {
            msg!("yaml.wrong_type_top", expected = expected, found = found)
        } else {
            let key = label.to_string();
            msg!(
                "yaml.wrong_type",
                key = key.as_str(),
                expected = expected,
                found = found
            )
        };
        let help = match &node.value {
            Value::Scalar(s) => super::hints::scalar_hint(s, shape),
            _ => None,
        };
        self.report(node.at, message, help);
    }
}

/// The shape of one point of a series written as a list.
static POINT: Record = Record {
    what: || msg!("yaml.what.point"),
    fields: &[
        Field::required("date", Shape::Date),
        Field::required("value", Shape::Number),
        Field::new("note", Shape::Maybe(&Shape::Text)),
    ],
};

/// What a shape is, in words.
pub(super) fn expected(shape: &Shape) -> Message {
    match shape {
        Shape::Text => msg!("yaml.expect.text"),
        Shape::Number => msg!("yaml.expect.number"),
        Shape::Share => msg!("yaml.expect.share"),
        Shape::Bool => msg!("yaml.expect.bool"),
        Shape::Date => msg!("yaml.expect.date"),
        Shape::Choice(c) => msg!("yaml.expect.choice", values = c.values.join(", ")),
        Shape::List(_) => msg!("yaml.expect.list"),
        Shape::Record(r) => msg!("yaml.expect.record", what = (r.what)()),
        Shape::Series => msg!("yaml.expect.series"),
        Shape::Maybe(inner) | Shape::Lenient(inner) => expected(inner),
    }
}

/// A plain scalar's number, as serde reads an `f64` (yaml_serde's `parse_f64`).
pub(super) fn number(s: &Scalar) -> Option<f64> {
    if !s.plain {
        return None;
    }
    let text = s.text.as_str();
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (unsigned, text) {
        (".inf" | ".Inf" | ".INF", _) => Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => Some(f64::NAN),
        _ => unsigned.parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

/// A plain scalar's boolean, as serde reads a `bool`.
pub(super) fn boolean(s: &Scalar) -> Option<bool> {
    match s.text.as_str() {
        "true" | "True" | "TRUE" if s.plain => Some(true),
        "false" | "False" | "FALSE" if s.plain => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tree::{Built, build};
    use super::*;

    static KR: Record = Record {
        what: || msg!("yaml.what.key_result"),
        fields: &[
            Field::required("title", Shape::Text),
            Field::new("target", Shape::Maybe(&Shape::Number)),
            Field::new("score", Shape::Maybe(&Shape::Share)),
        ],
    };
    static DOC: Shape = Shape::Record(&Record {
        what: || msg!("yaml.what.team_quarter"),
        fields: &[Field::new("krs", Shape::List(&Shape::Lenient(&Shape::Record(&KR))))],
    });

    fn checked(text: &str) -> CheckedDoc {
        let Built::Tree(root) = build(text) else { panic!() };
        check(root.as_ref(), &DOC)
    }

    #[test]
    fn every_problem_of_an_element_is_reported_and_the_element_left_out() {
        let c = checked("krs:\n  - title: a\n    targte: 3\n    score: 80%\n  - title: 2026\n    target: 5\n");
        let at: Vec<Position> = c.problems.iter().map(|p| p.at).collect();
        assert_eq!(at, [Position::new(3, 5), Position::new(4, 12)]);
        assert_eq!(
            c.problems[0].message.to_string(),
            "unknown key `targte` in a key result; expected one of: title, target, score"
        );
        assert_eq!(c.problems[1].help.as_ref().unwrap().to_string(), "write a share: 0.8");
        let Some(Checked::Map(doc)) = c.value else { panic!() };
        let Checked::List(krs) = &doc[0].1 else { panic!() };
        assert_eq!(krs[0], Checked::Null);
        // A number as a title is text, as serde reads a `String`.
        let Checked::Map(second) = &krs[1] else { panic!() };
        assert_eq!(second[0], ("title".into(), Checked::Text("2026".into())));
    }

    #[test]
    fn missing_and_duplicate_keys_and_quoted_numbers() {
        let c = checked("krs:\n  - target: 1\n    target: 2\n  - title: x\n    target: \"3\"\n");
        let words: Vec<String> = c.problems.iter().map(|p| p.message.to_string()).collect();
        assert_eq!(
            words,
            [
                "key `target` appears twice in a key result",
                "missing key `title` in a key result",
                "`target` must be a number, but it is the text `3`",
            ]
        );
        assert_eq!(c.problems[1].at, Position::new(2, 5));
        assert_eq!(c.problems[2].at, Position::new(5, 13));
    }

    #[test]
    fn numbers_are_read_as_serde_reads_them() {
        let plain = |t: &str| Scalar {
            text: t.into(),
            plain: true,
        };
        assert_eq!(number(&plain("45")), Some(45.0));
        assert_eq!(number(&plain("+1.5")), Some(1.5));
        assert_eq!(number(&plain("0x10")), None);
        assert_eq!(number(&plain("1e400")), None);
        assert!(number(&plain(".nan")).unwrap().is_nan());
        assert_eq!(boolean(&plain("yes")), None);
    }
}
