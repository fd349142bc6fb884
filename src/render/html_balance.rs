//! Where HTML with raw HTML in it can be cut, so that sanitising the pieces one by
//! one gives the same as sanitising the whole.
//!
//! The sanitiser parses each piece with html5ever, from a clean start. A cut is safe
//! where html5ever, having read everything before it, is back in that clean state:
//! between tags (not inside a tag, comment or the text of `<script>`, `<textarea>`…)
//! with no element left open. [`Balance`] follows the tags well enough to say so, and
//! says "not safe" whenever it is unsure: elements that change how what follows is
//! parsed (raw text, templates, foreign content, forms, frames…), a tag or comment
//! left open, an end tag that does not close the element opened last. Once unsure,
//! it stays so: the rest of the document is sanitised whole, as before.

/// Elements after which the parser's state is more than a stack of open elements
/// (raw text, foreign content, templates, select, forms, frames, the document's own
/// elements, markers in the list of active formatting elements).
const UNSURE: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "template",
    "svg",
    "math",
    "select",
    "option",
    "optgroup",
    "frameset",
    "frame",
    "html",
    "head",
    "body",
    "form",
    "applet",
    "marquee",
    "object",
    "caption",
    "colgroup",
    "image",
    "isindex",
    "keygen",
    "menuitem",
];

/// Elements that never stay open.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
];

/// Follows HTML read piece by piece.
#[derive(Default)]
pub struct Balance {
    open: Vec<String>,
    unsure: bool,
}

impl Balance {
    /// Reads the next piece; whether a cut right after it is safe.
    pub fn read(&mut self, html: &str) -> bool {
        if !self.unsure && self.scan(html).is_none() {
            self.unsure = true;
        }
        !self.unsure && self.open.is_empty()
    }

    /// `None` when unsure.
    fn scan(&mut self, html: &str) -> Option<()> {
        let bytes = html.as_bytes();
        let mut i = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
            let at = i + lt + 1;
            let rest = &html[at..];
            let next = rest.as_bytes().first().copied();
            i = match next {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, end) = tag(rest)?;
                    if UNSURE.contains(&name.as_str()) {
                        return None;
                    }
                    if !VOID.contains(&name.as_str()) {
                        self.open.push(name);
                    }
                    at + end
                }
                Some(b'/') if rest.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic) => {
                    let (name, end) = tag(&rest[1..])?;
                    if self.open.pop()? != name {
                        return None;
                    }
                    at + 1 + end
                }
                Some(b'!') if rest.starts_with("!--") => at + comment_end(&rest[3..])? + 3,
                // Bogus comments, doctypes, `</>`: up to the next `>`.
                Some(b'!' | b'?' | b'/') => at + memchr::memchr(b'>', rest.as_bytes())? + 1,
                // A `<` that starts nothing is text.
                _ => at,
            };
        }
        Some(())
    }
}

/// The lowercase name of the tag that `s` starts (after `<` or `</`) and the length
/// of the tag up to and with its `>`, read as html5ever's tokenizer reads attributes.
fn tag(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let is_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let name_end = b.iter().position(|&c| is_space(c) || c == b'/' || c == b'>')?;
    let name = s[..name_end].to_ascii_lowercase();
    let mut i = name_end;
    loop {
        // Before an attribute name: spaces and `/` are skipped.
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((name, i + 1)),
            // The first character of a name is taken whatever it is (even `=`).
            _ => i += 1,
        }
        while i < b.len() && !(is_space(b[i]) || matches!(b[i], b'/' | b'>' | b'=')) {
            i += 1;
        }
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i)? {
            q @ (b'"' | b'\'') => i += 1 + memchr::memchr(*q, &b[i + 1..])? + 1,
            b'>' => return Some((name, i + 1)),
            _ => {
                while i < b.len() && !(is_space(b[i]) || b[i] == b'>') {
                    i += 1;
                }
            }
        }
    }
}

/// The length of a comment's rest (after `<!--`) up to and with its end: `>` or `->`
/// right away, else the first `-->` or `--!>`.
fn comment_end(s: &str) -> Option<usize> {
    if s.starts_with('>') {
        return Some(1);
    }
    if s.starts_with("->") {
        return Some(2);
    }
    let dash = s.find("-->").map(|p| p + 3);
    let bang = s.find("--!>").map(|p| p + 4);
    match (dash, bang) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(html: &str) -> bool {
        Balance::default().read(html)
    }

    #[test]
    fn balanced_html_can_be_cut_after() {
        assert!(safe("<p>x</p>\n"));
        assert!(safe(
            "<div class=\"a>b\" title='</div>' data-x=y><b>x</b><br><img src=a /></div>"
        ));
        assert!(safe("<!-- <div> --><p>a < b</p><!--><!---><!-- a --!>"));
        assert!(safe("<table><tr><td>x</td></tr></table>"));
    }

    #[test]
    fn anything_unsure_cannot() {
        for html in [
            "<div>",
            "<div",
            "<div title=\"x>",
            "<!-- x",
            "<b><i></b></i>",
            "</p>",
            "<script>x</script>",
            "<svg></svg>",
            "<textarea></textarea>",
            "<form></form>",
        ] {
            assert!(!safe(html), "{html}");
        }
        let mut b = Balance::default();
        assert!(!b.read("<script>"));
        assert!(!b.read("</script>"), "once unsure, always");
    }
}
