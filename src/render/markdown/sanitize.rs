//! Sanitising rendered Markdown with ammonia, a group of whole blocks at a time.

use crate::render::html_balance::Balance;

/// Sanitises rendered Markdown a group of top-level blocks at a time, cut only
/// between whole blocks: so this gives the same as sanitising all of it at once,
/// while the sanitiser's document tree stays small (a whole 8 MB retrospective's tree
/// took gigabytes). With raw HTML, a block may leave an element open for the next;
/// cuts are then made only where [`Balance`] finds the HTML before them balanced.
pub(super) fn sanitize_blocks(html: &str, blocks: &[usize], has_raw_html: bool) -> String {
    sanitize_in_groups(html, blocks, has_raw_html, 64 * 1024)
}

/// [`sanitize_blocks`], in groups of at least `group_bytes`.
fn sanitize_in_groups(html: &str, blocks: &[usize], has_raw_html: bool, group_bytes: usize) -> String {
    let mut balance = Balance::default();
    let mut out = String::with_capacity(html.len());
    let (mut start, mut read) = (0, 0);
    for &b in blocks.iter().chain(std::iter::once(&html.len())) {
        if b - start < group_bytes && b < html.len() {
            continue;
        }
        let cut = !has_raw_html || balance.read(&html[read..b]) || b == html.len();
        read = b;
        if cut && b > start {
            out.push_str(&sanitize(&html[start..b]));
            start = b;
        }
    }
    out
}

/// Removes script, event handlers, `style` attributes and `javascript:` URLs from
/// rendered Markdown, keeping what Markdown itself produces: heading ids, table
/// alignment (as classes: a page must work under `Content-Security-Policy: default-src
/// 'self'`, which ignores inline styles), footnotes, task-list checkboxes and
/// learning anchors.
pub fn sanitize(html: &str) -> String {
    use std::sync::OnceLock;
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class"])
            .add_tags(["del", "s"])
            .link_rel(Some("noopener noreferrer"));
        for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "sup", "section"] {
            b.add_tag_attributes(tag, ["id"]);
        }
        b
    });
    if html.contains(" style=\"text-align: ") {
        return cleaner.clean(&alignment_as_classes(html)).to_string();
    }
    cleaner.clean(html).to_string()
}

/// pulldown-cmark's table-cell alignment (`<td style="text-align: left">`) as a class
/// the stylesheet aligns (`<td class="align-left">`).
fn alignment_as_classes(html: &str) -> String {
    let mut out = html.to_string();
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            out = out.replace(
                &format!("<{cell} style=\"text-align: {side}\">"),
                &format!("<{cell} class=\"align-{side}\">"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use pulldown_cmark::{Event, Parser};

    use super::super::tests::{long_markdown, md};
    use super::super::{Options, groups, render, write_html};
    use super::*;
    use crate::content::learnings::markdown_options;

    #[test]
    fn sanitising_block_by_block_gives_what_sanitising_the_whole_gives() {
        let md_text = long_markdown();
        let written = Cell::new(0);
        let mut blocks = Vec::new();
        let events = groups(&md_text).flat_map(|group| {
            assert!(
                !group
                    .events
                    .iter()
                    .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
            );
            if group.top_level {
                blocks.push(written.get());
            }
            group.events.into_iter().map(|(e, _)| e)
        });
        let html = write_html(events, &written, 0);
        assert!(html.len() > 3 * 64 * 1024, "several groups: {}", html.len());
        assert!(blocks.len() > 3, "{}", blocks.len());
        assert_eq!(sanitize_blocks(&html, &blocks, false), sanitize(&html));
    }

    /// Rendered HTML of `md` (raw HTML kept), and where each top-level block starts in it.
    fn html_and_blocks(md: &str) -> (String, Vec<usize>) {
        let written = Cell::new(0);
        let mut blocks = Vec::new();
        let mut depth = 0usize;
        let events = Parser::new_ext(md, markdown_options()).map(|e| {
            match e {
                Event::Start(_) => {
                    if depth == 0 {
                        blocks.push(written.get());
                    }
                    depth += 1;
                }
                Event::End(_) => depth -= 1,
                _ => {}
            }
            e
        });
        let html = write_html(events, &written, 0);
        (html, blocks)
    }

    #[test]
    fn raw_html_is_sanitised_in_pieces_only_where_that_gives_the_same() {
        // Pieces of Markdown and raw HTML, balanced or not, in a pseudo-random order.
        let pieces = [
            "<p>x</p>\n\n",
            "<div class=\"a>b\">\n\n*md* 日本\n\n</div>\n\n",
            "<div>\n\nopen\n\n",
            "</div>\n\n",
            "a <b>bold\n\nstill</b> c\n\n",
            "<!-- note <p> -->\n\n",
            "<!-- open\n\n",
            "-->\n\n",
            "<details><summary>s</summary>\n\n- a\n- b\n\n</details>\n\n",
            "| a | b |\n|---|---|\n| <i>x</i> | y |\n\n",
            "<table><tr><td>1</td></tr></table>\n\n",
            "<p>unclosed\n\n",
            "<span title='x'>s</span><br>\n\n",
            "<b><i>x</b></i>\n\n",
            "<script>alert(1)</script>\n\n",
            "<textarea>\n\n<p>t</p>\n\n</textarea>\n\n",
            "## 見出し\n\n> q <em>e</em>\n\n",
            "```\n<div>\n```\n\n",
            "<a href=\"#x\">a <a href=\"#y\">b</a></a>\n\n",
            "text < 3 and <3\n\n",
        ];
        let mut seed = 7u64;
        for round in 0..300 {
            let mut md = String::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                // Unsure pieces (scripts, open comments) less often, so cuts come after them too.
                md.push_str(pieces[(seed >> 33) as usize % (pieces.len() - 2 * usize::from(round % 3 != 0))]);
            }
            let (html, blocks) = html_and_blocks(&md);
            assert_eq!(sanitize_in_groups(&html, &blocks, true, 1), sanitize(&html), "{md}");
        }
    }

    #[test]
    fn markdown_extensions_survive_sanitising() {
        let html = md("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ text[^1]\n\n[^1]: note\n");
        assert!(html.contains("<th class=\"align-left\">"), "{html}");
        assert!(html.contains("<td class=\"align-right\">"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("<span class=\"task done\">☑</span> done"), "{html}");
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("class=\"footnote-definition\""), "{html}");
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let src = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<b onclick=\"x()\">b</b>\n\n<p style=\"color:red\">s</p>";
        let html = md(src);
        for bad in ["<script", "onerror", "javascript:", "onclick", "style="] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        let raw = render(
            src,
            &Options {
                allow_html: true,
                reserved_ids: &[],
                learnings: None,
                placeholders: None,
            },
        );
        assert!(raw.contains("<script>"));
    }
}
