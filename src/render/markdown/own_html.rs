//! When sanitising can be skipped: HTML that okrsite's Markdown pass wrote from a
//! document without raw HTML, holding only the few tags and attributes below and no
//! text that ammonia writes differently, is what ammonia gives back, byte for byte.
//! Sanitising it would parse and write it again for nothing (it was about a
//! twentieth of a full build). Anything else, a link or image of the author's, a
//! table, a footnote, a `"` in the text, goes through ammonia as before.
//!
//! Why this is safe whatever the author wrote: with no raw HTML in the document,
//! every `<` in the HTML is a tag pulldown-cmark or okrsite's passes wrote, and the
//! allowed tags carry no script, no event handler, no style and no URL but okrsite's
//! own tag links (which start with the build's random [`super::root_marker`], which
//! no content can write). The tests below check, on every Markdown file of the repo
//! and on random documents, that ammonia gives back whatever this lets through.

/// Whether ammonia ([`super::sanitize`]) would give `html` back as it is; `html` is
/// what the Markdown pass wrote for a document without raw HTML.
pub(super) fn needs_no_sanitizing(html: &str) -> bool {
    let mut rest = html;
    loop {
        let Some(open) = rest.find('<') else {
            return plain_text(rest);
        };
        if !plain_text(&rest[..open]) {
            return false;
        }
        let Some(len) = rest[open..].find('>') else {
            return false;
        };
        if !allowed_tag(&rest[open + 1..open + len]) {
            return false;
        }
        rest = &rest[open + len + 1..];
    }
}

/// Text that ammonia writes back as it is: no entity but `&amp;`, `&lt;` and `&gt;`
/// (pulldown-cmark writes `"` as `&quot;`, which ammonia writes as `"`), no
/// no-break space (ammonia writes `&nbsp;`) and no control character but newline and
/// tab (HTML parsing changes carriage returns and NULs).
///
/// Byte by byte, as each is what it is in UTF-8: a control character is a byte below
/// 0x20 or 0x7F, or C2 80–9F; the no-break space is C2 A0 (a page is mostly Japanese,
/// three bytes a character, which decoding character by character went through slowly).
fn plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\n' | b'\t' => true,
        0..=0x1f | 0x7f => false,
        0xc2 => !matches!(bytes.get(i + 1), Some(0x80..=0xa0)),
        b'&' => [&b"&amp;"[..], b"&lt;", b"&gt;"]
            .iter()
            .any(|e| bytes[i..].starts_with(e)),
        _ => true,
    })
}

/// Elements written without attributes.
const BARE: [&str; 24] = [
    "p",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "a",
];

/// The inside of a tag (between `<` and `>`) that ammonia keeps as it is.
fn allowed_tag(tag: &str) -> bool {
    if let Some(name) = tag.strip_prefix('/') {
        return BARE.contains(&name);
    }
    let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
    let attributes = match attributes_of(attributes) {
        Some(a) => a,
        None => return false,
    };
    match (name, attributes.as_slice()) {
        ("a" | "span", []) => false,
        (name, []) => BARE.contains(&name),
        ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", [("id", _)]) => true,
        ("li", [("id", _), ("class", "learning")]) => true,
        ("span", [("class", "tags")]) => true,
        ("a", [("class", "tag"), ("href", href), ("rel", "noopener noreferrer")]) => {
            href.starts_with(super::root_marker())
        }
        _ => false,
    }
}

/// `name="value"` pairs separated by single spaces, no value holding `&` or `"`;
/// `None` for anything else.
fn attributes_of(mut text: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    while !text.is_empty() {
        let (name, after) = text.split_once("=\"")?;
        let (value, after) = after.split_once('"')?;
        let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        if !name_ok || value.contains('&') {
            return None;
        }
        out.push((name, value));
        text = match after.strip_prefix(' ') {
            Some(next) if !next.is_empty() => next,
            Some(_) => return None,
            None if after.is_empty() => after,
            None => return None,
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::super::{LearningMarks, Options, root_marker, sanitize, write};
    use super::*;

    /// `md` rendered as a retrospective is, with learning marks and tag links, before
    /// sanitising, and whether it holds raw HTML.
    fn unsanitised(md: &str) -> (String, bool) {
        let tag_url = |t: &str| format!("{}tags/{t}/index.html", root_marker());
        let anchors: HashMap<usize, String> = (md.match_indices("- ").enumerate())
            .map(|(i, (at, _))| (at, format!("learning-{}", i + 1)))
            .collect();
        let headings = vec!["学び".to_string(), "Learnings".to_string()];
        let options = Options {
            allow_html: false,
            reserved_ids: &[],
            learnings: Some(LearningMarks {
                headings: &headings,
                anchors,
                tag_url: &tag_url,
            }),
            placeholders: None,
        };
        let written = write(md, &options);
        (written.html, written.has_raw_html)
    }

    /// Whether `md` skips sanitising, and when it does and ammonia would not give its
    /// HTML back as it is, the document with both HTMLs.
    fn skips(md: &str) -> (bool, Option<String>) {
        let (html, raw) = unsanitised(md);
        if raw || !needs_no_sanitizing(&html) {
            return (false, None);
        }
        let clean = sanitize(&html);
        (true, (clean != html).then(|| format!("{md:?}\n{html}\n{clean}")))
    }

    #[test]
    fn every_markdown_file_of_the_repo_skips_sanitising_only_where_ammonia_changes_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut skipped, mut files) = (0, 0);
        for dir in ["content", "tests/fixtures", "docs", "examples"] {
            for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let e = e.unwrap();
                if e.path().extension().is_some_and(|x| x == "md") {
                    files += 1;
                    let text = std::fs::read_to_string(e.path()).unwrap();
                    // The body, after the front matter.
                    let body = (text.strip_prefix("---\n"))
                        .and_then(|rest| rest.split_once("\n---\n"))
                        .map_or(text.as_str(), |(_, body)| body);
                    let (skip, mismatch) = skips(body);
                    assert_eq!(mismatch, None);
                    skipped += usize::from(skip);
                }
            }
        }
        // Most retrospectives skip it; some (links, footnotes, raw HTML) do not.
        assert!(skipped > 20 && skipped < files, "{skipped} of {files}");
    }

    #[test]
    fn what_can_run_script_or_link_elsewhere_is_sanitised() {
        for md in [
            "[x](javascript:alert(1))",
            "<script>alert(1)</script>",
            "![i](x.png)",
            "<https://example.com>",
            "a\u{a0}b",
            "line  \nbreak",
            "---",
            "| a |\n|:-|\n| 1 |",
            "x[^1]\n\n[^1]: n",
            "```rust\nfn x() {}\n```",
            "<span onclick=\"x\">s</span>",
        ] {
            let (html, raw) = unsanitised(md);
            assert!(raw || !needs_no_sanitizing(&html), "{md:?}: {html}");
        }
        let (html, _) = unsanitised("## 学び\n\n- 価格は先に見せる #価格 #営業\n- 二つ目 & <三つ目>\n");
        assert!(
            html.contains("class=\"tag\"") && html.contains("class=\"learning\""),
            "{html}"
        );
        assert!(needs_no_sanitizing(&html), "{html}");
        assert_eq!(sanitize(&html), html);
    }

    /// Pieces of Markdown of every kind the pass writes, with characters HTML treats
    /// specially.
    const PIECES: [&str; 25] = [
        "## 学び\n\n",
        "## Learnings\n\n",
        "### 見出し <x> & \"y\"\n\n",
        "- 価格は先に見せる #価格 #営業\n",
        "- item & more\n",
        "  - nested\n",
        "1. one\n2. two\n",
        "3. starts at three\n",
        "段落 *強調* **太字** ~~消し~~ `code`\n\n",
        "a < b > c & d\n\n",
        "'single' \"double\"\n\n",
        "> 引用\n\n",
        "```\n<pre> & code\n```\n\n",
        "    indented\n\n",
        "[link](https://example.com)\n\n",
        "text\u{a0}nbsp\n\n",
        "line  \nbreak\n\n",
        "***\n\n",
        "&amp; &copy; &#39;\n\n",
        "<b>raw</b>\n\n",
        "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n",
        "| a | b |\n|---|---|\n| 1 <x> | &amp; |\n| 3 |\n\n",
        "- [x] done\n",
        "\n",
        "tab\there\n\n",
    ];

    /// `plain_text` as first written, character by character.
    fn plain_text_by_chars(text: &str) -> bool {
        let entities_ok = text
            .match_indices('&')
            .all(|(i, _)| ["&amp;", "&lt;", "&gt;"].iter().any(|e| text[i..].starts_with(e)));
        entities_ok
            && !text
                .chars()
                .any(|c| c == '\u{a0}' || (c.is_control() && c != '\n' && c != '\t'))
    }

    #[test]
    fn plain_text_knows_each_control_character_and_the_no_break_space() {
        for c in ('\0'..='\u{2ff}').chain(['価', '\u{2028}', '\u{feff}', '\u{10ffff}']) {
            let text = format!("a{c}b");
            assert_eq!(plain_text(&text), plain_text_by_chars(&text), "{:?}", c);
        }
        assert!(plain_text("価格 &amp; &lt;x&gt;\n\t"));
        assert!(!plain_text("a &copy; b") && !plain_text("&am") && !plain_text("a\rb"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn plain_text_is_the_char_by_char_reference(text in "[a-z&;\u{0}-\u{1f}\u{7f}-\u{a1}価€ampltg]{0,24}") {
            prop_assert_eq!(plain_text(&text), plain_text_by_chars(&text));
        }

        #[test]
        fn random_documents_skip_sanitising_only_where_ammonia_changes_nothing(
            picks in proptest::collection::vec(0..PIECES.len(), 1..16)
        ) {
            let md: String = picks.iter().map(|&i| PIECES[i]).collect();
            let (_, mismatch) = skips(&md);
            prop_assert_eq!(mismatch, None);
        }
    }
}
