//! Placeholders for computed values in a retrospective: `[[score]]`, `[[grade OBJ]]`,
//! `[[current OBJ/KR]]`… The one rule for what a placeholder is, shared by the check
//! (`resolve`), the renderer (which puts the values in) and the learnings' text.
//!
//! A placeholder is read in the Markdown's text only: never in code spans or code
//! blocks, raw HTML or link targets. It counts where it is written as it is in the
//! source: `\[[score]]` (an escaped bracket) shows `[[score]]` as text.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The words a placeholder starts with.
const WORDS: [&str; 3] = ["score", "grade", "current"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Score,
    Grade,
    /// A KR's current value with its unit.
    Current,
}

/// What a placeholder names in its team's quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    TeamQuarter,
    Objective(String),
    KeyResult(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub kind: Kind,
    pub target: Target,
}

/// Written like a placeholder, but not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    /// `[[scroe]]`: a word close to one of [`WORDS`].
    UnknownWord { word: String, closest: &'static str },
    /// `[[current]]` or `[[current OBJ]]` (the objective written): a current value
    /// belongs to a KR.
    CurrentNeedsKr { objective: Option<String> },
    /// `[[score a/b/c]]`, `[[score /x]]`.
    BadTarget,
}

/// A placeholder as found in a run of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Where it is in the run's text.
    pub range: Range<usize>,
    /// Its byte offset in the Markdown source.
    pub source: usize,
    pub parsed: Result<Placeholder, Malformed>,
}

/// A value for each placeholder, or `None` to leave it as written.
pub type Fill<'f> = &'f (dyn Fn(&Placeholder) -> Option<String> + Sync);

/// Reads the token at the start of `s` (which starts with `[[`): its length and what
/// it is, or `None` when it is not written like a placeholder at all.
fn read_token(s: &str) -> Option<(usize, Result<Placeholder, Malformed>)> {
    // Up to the first `]]`, stopping at the next `[`: each byte of a run is read for
    // one token at most, so a run of `[[[[…` stays linear.
    let bytes = s.as_bytes();
    let inner_end = (2..bytes.len()).find(|&i| matches!(bytes[i], b'[' | b']' | b'\n'))?;
    if bytes[inner_end] != b']' || bytes.get(inner_end + 1) != Some(&b']') {
        return None;
    }
    let inner = &s[2..inner_end];
    let mut parts = inner.split_whitespace();
    let word = parts.next()?;
    let arg = parts.next();
    if parts.next().is_some() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let kind = match word {
        "score" => Kind::Score,
        "grade" => Kind::Grade,
        "current" => Kind::Current,
        _ => {
            let closest = closest_word(word)?;
            let word = word.to_string();
            return Some((inner_end + 2, Err(Malformed::UnknownWord { word, closest })));
        }
    };
    Some((inner_end + 2, parse_target(kind, arg)))
}

/// The word of [`WORDS`] `word` is a slip of (other case, a typo), if any.
fn closest_word(word: &str) -> Option<&'static str> {
    let lower = word.to_ascii_lowercase();
    WORDS
        .iter()
        .map(|w| (strsim::damerau_levenshtein(&lower, w), *w))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, w)| w)
}

fn parse_target(kind: Kind, arg: Option<&str>) -> Result<Placeholder, Malformed> {
    let target = match arg {
        None => Target::TeamQuarter,
        Some(a) => match a.split_once('/') {
            None => Target::Objective(a.to_string()),
            Some((o, k)) if !o.is_empty() && !k.is_empty() && !k.contains('/') => {
                Target::KeyResult(o.to_string(), k.to_string())
            }
            Some(_) => return Err(Malformed::BadTarget),
        },
    };
    match (kind, &target) {
        (Kind::Current, Target::TeamQuarter) => Err(Malformed::CurrentNeedsKr { objective: None }),
        (Kind::Current, Target::Objective(o)) => Err(Malformed::CurrentNeedsKr {
            objective: Some(o.clone()),
        }),
        _ => Ok(Placeholder { kind, target }),
    }
}

/// A run of consecutive text events: the text they make together, and the
/// placeholders in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Source range from the first event's start to the last one's end.
    pub range: Range<usize>,
    pub text: String,
    pub tokens: Vec<Token>,
}

impl Run {
    /// The run's text with each placeholder `value` gives a value for replaced, or
    /// `None` when nothing was replaced.
    pub fn filled(&self, value: Fill<'_>) -> Option<String> {
        let mut out = String::with_capacity(self.text.len());
        let mut copied = 0;
        for t in &self.tokens {
            let Ok(p) = &t.parsed else { continue };
            if let Some(v) = value(p) {
                out.push_str(&self.text[copied..t.range.start]);
                out.push_str(&v);
                copied = t.range.end;
            }
        }
        (copied > 0).then(|| out + &self.text[copied..])
    }
}

/// A text event of a run: where its text starts in the run, its source range, and
/// whether the source holds its text as it is (no escape, no entity).
struct Piece {
    at: usize,
    source: Range<usize>,
    verbatim: bool,
}

/// Finds the runs of text of a Markdown document, an event at a time, outside code
/// blocks. Keeps its state from one event to the next, so events may come a group at
/// a time; runs never span a block, so never a group.
pub struct RunFinder<'s> {
    source: &'s str,
    code_blocks: usize,
    text: String,
    pieces: Vec<Piece>,
}

impl<'s> RunFinder<'s> {
    pub fn new(source: &'s str) -> Self {
        RunFinder {
            source,
            code_blocks: 0,
            text: String::new(),
            pieces: Vec::new(),
        }
    }

    /// Takes the next event; returns the run of text it ends, if any.
    pub fn push(&mut self, event: &Event<'_>, range: &Range<usize>) -> Option<Run> {
        if let Event::Text(t) = event {
            self.pieces.push(Piece {
                at: self.text.len(),
                source: range.clone(),
                verbatim: self.source.get(range.clone()) == Some(&**t),
            });
            self.text.push_str(t);
            return None;
        }
        let run = self.finish();
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.code_blocks += 1,
            Event::End(TagEnd::CodeBlock) => self.code_blocks = self.code_blocks.saturating_sub(1),
            _ => {}
        }
        run
    }

    /// Ends the run being read (at the end of the document).
    pub fn finish(&mut self) -> Option<Run> {
        let first = self.pieces.first()?.source.start;
        let last = self.pieces.last().map_or(first, |p| p.source.end);
        let text = std::mem::take(&mut self.text);
        let tokens = if self.code_blocks == 0 {
            self.tokens(&text)
        } else {
            Vec::new()
        };
        self.pieces.clear();
        Some(Run {
            range: first..last.max(first),
            text,
            tokens,
        })
    }

    /// The placeholders of a run's text that are written as they are in the source.
    fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&text.as_bytes()[from..], b"[[").map(|i| from + i) {
            match read_token(&text[i..]) {
                Some((len, parsed)) => match self.source_offset(i..i + len) {
                    Some(source) => {
                        out.push(Token {
                            range: i..i + len,
                            source,
                            parsed,
                        });
                        from = i + len;
                    }
                    None => from = i + 1,
                },
                None => from = i + 1,
            }
        }
        out
    }

    /// Where the run's text `range` is in the source, if the source holds it as it is.
    fn source_offset(&self, range: Range<usize>) -> Option<usize> {
        let first = self.pieces.partition_point(|p| p.at <= range.start) - 1;
        let mut expected = None;
        for p in self.pieces[first..].iter().take_while(|p| p.at < range.end) {
            if !p.verbatim || expected.is_some_and(|e| e != p.source.start) {
                return None;
            }
            expected = Some(p.source.end);
        }
        let p = &self.pieces[first];
        // `\[[`: the escape is in no piece's range, only in the byte before the first.
        let escaped = range.start == p.at
            && p.source.start > 0
            && self.source.as_bytes()[p.source.start - 1] == b'\\'
            && (first == 0 || self.pieces[first - 1].source.end != p.source.start);
        (!escaped).then_some(p.source.start + (range.start - p.at))
    }
}

/// Every run of text of `source` that holds a placeholder (or something written like one).
pub fn runs_with_tokens(source: &str) -> Vec<Run> {
    if memchr::memmem::find(source.as_bytes(), b"[[").is_none() {
        return Vec::new();
    }
    let parser = pulldown_cmark::Parser::new_ext(source, super::learnings::markdown_options());
    let mut finder = RunFinder::new(source);
    let mut runs: Vec<Run> = parser
        .into_offset_iter()
        .filter_map(|(e, r)| finder.push(&e, &r))
        .collect();
    runs.extend(finder.finish());
    runs.retain(|r| !r.tokens.is_empty());
    runs
}

/// The events of `source` with each run of text merged into one event and its
/// placeholders filled by `value` (outside code): what the text of a document reads
/// with its values in.
pub fn filled_events<'a>(source: &'a str, value: Fill<'a>) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
    let mut parser = pulldown_cmark::Parser::new_ext(source, super::learnings::markdown_options()).into_offset_iter();
    let mut finder = RunFinder::new(source);
    let mut pending: Option<(Event<'a>, Range<usize>)> = None;
    let mut done = false;
    std::iter::from_fn(move || {
        loop {
            if let Some(e) = pending.take() {
                return Some(e);
            }
            if done {
                return None;
            }
            let next = parser.next();
            let run = match &next {
                Some((e, r)) => finder.push(e, r),
                None => {
                    done = true;
                    finder.finish()
                }
            };
            pending = next.filter(|(e, _)| !matches!(e, Event::Text(_)));
            if let Some(run) = run {
                let text = run.filled(value).unwrap_or(run.text);
                return Some((Event::Text(CowStr::from(text)), run.range));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str) -> Vec<(String, Result<Placeholder, Malformed>)> {
        runs_with_tokens(source)
            .into_iter()
            .flat_map(|r| {
                r.tokens
                    .into_iter()
                    .map(|t| (source[t.source..t.source + t.range.len()].to_string(), t.parsed))
            })
            .collect()
    }

    fn p(kind: Kind, target: Target) -> Result<Placeholder, Malformed> {
        Ok(Placeholder { kind, target })
    }

    #[test]
    fn placeholders_are_read_in_text_and_not_in_code() {
        let src = "全体 [[score]]、[[grade grow]] と [[current grow/kr1]]。\n\n`[[score]]`\n\n```\n[[score]]\n```\n\n<b>[[score]]</b>? no: html is text here\n";
        let found = parsed(src);
        assert_eq!(found[0], ("[[score]]".into(), p(Kind::Score, Target::TeamQuarter)));
        assert_eq!(
            found[1],
            (
                "[[grade grow]]".into(),
                p(Kind::Grade, Target::Objective("grow".into()))
            )
        );
        assert_eq!(
            found[2],
            (
                "[[current grow/kr1]]".into(),
                p(Kind::Current, Target::KeyResult("grow".into(), "kr1".into()))
            )
        );
        // The one between inline HTML tags is text; the code span and block are not.
        assert_eq!(found.len(), 4, "{found:?}");
    }

    #[test]
    fn slips_are_malformed_and_other_brackets_are_text() {
        let found = parsed("[[scroe]] [[Score]] [[current grow]] [[score a/b/c]] [[Meeting notes]] [[1]] [[score]");
        let errors: Vec<_> = found.iter().map(|(_, r)| r.clone().unwrap_err()).collect();
        assert_eq!(
            errors,
            [
                Malformed::UnknownWord {
                    word: "scroe".into(),
                    closest: "score"
                },
                Malformed::UnknownWord {
                    word: "Score".into(),
                    closest: "score"
                },
                Malformed::CurrentNeedsKr {
                    objective: Some("grow".into())
                },
                Malformed::BadTarget,
            ]
        );
    }

    #[test]
    fn an_escaped_bracket_keeps_a_placeholder_as_text() {
        let found = parsed("\\[[score]] and [[score]] and [\\[score]] x \\[[grade]]");
        assert_eq!(found.len(), 1, "{found:?}");
        // An escaped backslash before a placeholder escapes nothing of it.
        assert_eq!(parsed("\\\\[[score]]").len(), 1);
        let runs = runs_with_tokens("\\[[score]] and [[score]]");
        assert_eq!(runs[0].tokens[0].source, "\\[[score]] and ".len());
    }

    #[test]
    fn filled_events_merge_text_and_put_values_in() {
        let value = |p: &Placeholder| (p.kind == Kind::Score).then(|| "0.72".to_string());
        let texts: Vec<String> = filled_events("a [[score]] b [[grade]] `[[score]]`\n", &value)
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.to_string()),
                Event::Code(t) => Some(format!("`{t}`")),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["a 0.72 b [[grade]] ", "`[[score]]`"]);
    }
}
