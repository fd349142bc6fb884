//! The lines of a YAML text as a person reads them: indentation, list dashes and
//! keys, and which lines are inside a quoted text, a bracket or a block scalar.
//! [`super::structure`] explains a syntax error from these, not from the parser's
//! words.

/// One line of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the line's start in the text.
    pub start: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Blank, a comment, or inside a quoted text, a bracket or a block scalar.
    Other,
    Content(Content),
}

/// A line that starts a node: its list dashes and its key, by 1-based column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// The column of its first character.
    pub first: usize,
    pub dashes: Vec<usize>,
    /// The key and its column, for a `key:` line.
    pub key: Option<(String, usize)>,
    /// Whether the line ends at its key's colon (`key:`): what follows nests under it.
    pub opens_block: bool,
}

/// Where quotes and brackets stand at a point of the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scan {
    /// The quote character and the offset of the quote still open.
    pub quote: Option<(u8, usize)>,
    pub open_brackets: usize,
    /// The offset of the innermost bracket still open.
    pub innermost_bracket: Option<usize>,
}

/// Reads quotes, comments and brackets as YAML does (a quote opens only where a
/// value starts; `''` inside single quotes and `\"` inside double quotes do not
/// close them), from the start of the text on, never twice.
#[derive(Debug, Default)]
struct Scanner {
    quote: Option<(u8, usize)>,
    comment: bool,
    brackets: Vec<usize>,
    at: usize,
}

impl Scanner {
    fn run_to(&mut self, b: &[u8], end: usize) {
        let end = end.min(b.len());
        while self.at < end {
            let i = self.at;
            let c = b[i];
            let prev = if i == 0 { b'\n' } else { b[i - 1] };
            if self.comment {
                self.comment = c != b'\n';
            } else if let Some((q, _)) = self.quote {
                let escaped = (q == b'"' && c == b'\\') || (q == b'\'' && c == q && b.get(i + 1) == Some(&q));
                if escaped {
                    self.at += 1;
                } else if c == q {
                    self.quote = None;
                }
            } else {
                match c {
                    b'"' | b'\'' if matches!(prev, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':') => {
                        self.quote = Some((c, i))
                    }
                    b'#' if matches!(prev, b' ' | b'\t' | b'\n') => self.comment = true,
                    b'[' | b'{' => self.brackets.push(i),
                    b']' | b'}' => {
                        self.brackets.pop();
                    }
                    _ => {}
                }
            }
            self.at += 1;
        }
    }

    fn state(&self) -> Scan {
        Scan {
            quote: self.quote,
            open_brackets: self.brackets.len(),
            innermost_bracket: self.brackets.last().copied(),
        }
    }
}

/// Where quotes and brackets stand at byte `end` of `text`.
pub fn scan(text: &str, end: usize) -> Scan {
    let mut s = Scanner::default();
    s.run_to(text.as_bytes(), end);
    s.state()
}

/// The lines of `text`, each read on its own once the quotes, brackets and block
/// scalars before it are known.
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    // A block scalar (`key: |`) holds the lines indented deeper than this column.
    let mut block_above: Option<usize> = None;
    let mut scanner = Scanner::default();
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        scanner.run_to(text.as_bytes(), start);
        let state = scanner.state();
        let indent = line.chars().take_while(|c| *c == ' ').count();
        let blank = line.trim().is_empty();
        let in_block = block_above.is_some_and(|col| blank || indent + 1 > col);
        if !in_block {
            block_above = None;
        }
        let kind = if in_block || state.quote.is_some() || state.open_brackets > 0 {
            Kind::Other
        } else {
            read_line(line)
        };
        if let Kind::Content(c) = &kind
            && starts_block_scalar(line)
        {
            block_above = Some(c.key.as_ref().map_or(c.first, |(_, col)| *col));
        }
        out.push(Line {
            number: n + 1,
            start,
            kind,
        });
        start += raw.len();
    }
    out
}

/// Reads one line outside quotes and brackets: its dashes and its key.
pub fn read_line(line: &str) -> Kind {
    let chars: Vec<char> = line.chars().collect();
    let mut i = chars.iter().take_while(|c| **c == ' ').count();
    if i >= chars.len() || chars[i] == '#' {
        return Kind::Other;
    }
    let first = i + 1;
    let mut dashes = Vec::new();
    while chars.get(i) == Some(&'-') && chars.get(i + 1).is_none_or(|c| *c == ' ') {
        dashes.push(i + 1);
        i += 1;
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
    }
    let rest: String = chars[i.min(chars.len())..].iter().collect();
    let key = plain_key(&rest).map(|k| (k.to_string(), i + 1));
    let opens_block = key
        .as_ref()
        .is_some_and(|(k, _)| value_text(&rest[k.len() + 1..]).is_empty());
    Kind::Content(Content {
        first,
        dashes,
        key,
        opens_block,
    })
}

/// The key of `key: value` or `key:` at the start of `rest`, when it is plain text.
pub fn plain_key(rest: &str) -> Option<&str> {
    if rest.starts_with(['"', '\'', '[', '{', '#', '|', '>', '&', '*', '!', '?']) {
        return None;
    }
    let colon = rest
        .char_indices()
        .find(|&(i, c)| c == ':' && rest[i + 1..].chars().next().is_none_or(|n| n == ' ' || n == '\t'))?
        .0;
    let key = &rest[..colon];
    (!key.is_empty() && !key.contains(" #")).then_some(key)
}

/// A value without its comment and spaces.
pub fn value_text(after_colon: &str) -> &str {
    let v = after_colon.trim();
    if v.starts_with('#') {
        return "";
    }
    match v.find(" #") {
        Some(i) if !v.starts_with(['"', '\'']) => v[..i].trim_end(),
        _ => v,
    }
}

/// Whether the line's value starts a block scalar (`|`, `>-`, `|2`…).
fn starts_block_scalar(line: &str) -> bool {
    let v = match line.find(": ") {
        Some(i) => value_text(&line[i + 1..]),
        None => value_text(line.trim_start().trim_start_matches("- ")),
    };
    v.starts_with(['|', '>']) && v[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(line: &str) -> Content {
        match read_line(line) {
            Kind::Content(c) => c,
            Kind::Other => panic!("{line}"),
        }
    }

    #[test]
    fn dashes_and_keys_by_column() {
        let c = content("      - date: 2025-07-07");
        assert_eq!((c.first, c.dashes.clone()), (7, vec![7]));
        assert_eq!(c.key, Some(("date".into(), 9)));
        assert!(!c.opens_block);
        let c = content("    key_results:  # the KRs");
        assert_eq!(c.key, Some(("key_results".into(), 5)));
        assert!(c.opens_block);
        assert_eq!(content("- - a").dashes, vec![1, 3]);
        assert_eq!(content("  url: http://x").key, Some(("url".into(), 3)));
        assert_eq!(content("  score:1.0").key, None);
        assert_eq!(read_line("  # note"), Kind::Other);
    }

    #[test]
    fn quoted_bracketed_and_block_lines_are_not_read() {
        let text = "a: \"x\n  b: y\"\nc: [1,\n  d: 2]\ne: |\n  f: 3\n\n  g: 4\nh: 5\n";
        let keys: Vec<Option<String>> = lines(text)
            .into_iter()
            .map(|l| match l.kind {
                Kind::Content(c) => c.key.map(|k| k.0),
                Kind::Other => None,
            })
            .collect();
        let expected = ["a", "", "c", "", "e", "", "", "", "h"];
        let expected: Vec<Option<String>> = expected
            .iter()
            .map(|k| (!k.is_empty()).then(|| k.to_string()))
            .collect();
        assert_eq!(keys, expected);
    }

    #[test]
    fn quotes_open_only_where_a_value_starts() {
        assert_eq!(scan("a: don't\n", 9).quote, None);
        assert_eq!(scan("a: 'it''s\n", 10).quote, Some((b'\'', 3)));
        assert_eq!(scan("a: [1, {b: 2\n", 13).open_brackets, 2);
    }
}
