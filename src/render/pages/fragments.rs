//! The big fragments of a team-quarter's sheet (each KR chart's two SVGs, or its
//! whole figure, and the retrospective's HTML), kept out of Tera: the sheet's view
//! holds a short marker in their place ([`marker`]), and the rendered page gets them
//! spliced in ([`splice`]), finished with that page's ids and way to the root. Tera
//! then neither converts nor copies them, and a sheet's view no longer depends on
//! the page that shows it: its review page and its booklet page share one Tera value
//! of it.

use std::sync::OnceLock;

/// A fragment of a sheet: KR `k`'s wide or narrow chart, or its whole figure (both
/// charts, notes and data table: [`super::figure`]), or the retrospective's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fragment {
    Wide(usize),
    Narrow(usize),
    Figure(usize),
    Retro,
    /// The whole sheet, written by okrsite ([`super::sheet`]).
    Sheet,
}

impl Fragment {
    fn letter(self) -> (char, usize) {
        match self {
            Fragment::Wide(k) => ('w', k),
            Fragment::Narrow(k) => ('n', k),
            Fragment::Figure(k) => ('f', k),
            Fragment::Retro => ('r', 0),
            Fragment::Sheet => ('s', 0),
        }
    }
}

/// What every marker holds: 128 random bits drawn once per build, so no content
/// (which is read before the build draws them) can write a marker; a marker is
/// `<` this, the sheet's number, the fragment's letter and number, then `>`.
fn needle() -> &'static str {
    static NEEDLE: OnceLock<String> = OnceLock::new();
    NEEDLE.get_or_init(|| format!("okrsitefragment{}:", crate::render::markdown::random_hex()))
}

/// The marker standing for fragment `f` of sheet `sheet` (the sheet's index among
/// the page's sheets). It starts with `<` and ends with `>`, so a template that
/// shows it escaped (without `| safe`) writes `&lt;…&gt;`, which [`splice`] tells
/// apart and fills with the fragment escaped, as Tera would have written it.
pub fn marker(sheet: usize, f: Fragment) -> String {
    let (letter, k) = f.letter();
    format!("<{}{sheet}{letter}{k}>", needle())
}

/// `html` with every marker replaced by its fragment, which `write` appends for a
/// sheet's number and fragment. Each occurrence is filled (a template may show a
/// fragment twice, or not at all), and no marker is left: one a template cut or
/// changed (a filter on the fragment) is dropped rather than written.
pub fn splice(html: &[u8], mut write: impl FnMut(usize, Fragment, &mut Vec<u8>)) -> Vec<u8> {
    let needle = needle().as_bytes();
    let mut out = Vec::with_capacity(html.len() * 2);
    let mut at = 0;
    for hit in memchr::memmem::find_iter(html, needle) {
        // Markers do not overlap, so a hit never lies in one already read; should
        // one, it is skipped rather than read twice.
        if hit < at {
            continue;
        }
        let before = &html[at..hit];
        let (start, close, escaped): (usize, &[u8], bool) = if before.ends_with(b"&lt;") {
            (hit - 4, b"&gt;", true)
        } else if before.ends_with(b"<") {
            (hit - 1, b">", false)
        } else {
            (hit, b"", false)
        };
        out.extend_from_slice(&html[at..start]);
        let rest = &html[hit + needle.len()..];
        match parse_marker(rest) {
            Some((sheet, f, len)) if start < hit && rest[len..].starts_with(close) => {
                if escaped {
                    let mut raw = Vec::new();
                    write(sheet, f, &mut raw);
                    let _ = tera::escape_html(&String::from_utf8_lossy(&raw), &mut out);
                } else {
                    write(sheet, f, &mut out);
                }
                at = hit + needle.len() + len + close.len();
            }
            // A marker cut or changed by the template: drop what is left of it.
            Some((_, _, len)) => at = hit + needle.len() + len,
            None => at = hit + needle.len(),
        }
    }
    out.extend_from_slice(&html[at..]);
    out
}

/// Whether `templates` (every template's source) show the fragments only whole:
/// each `svg`, `narrow` or `html` field is only printed (`{{ x.svg }}`, or with
/// `| safe`), never read by a filter, a test, a condition or `set`, nor the views
/// holding them dumped (`json_encode`), and no filter block (`{% filter %}`)
/// anywhere. Only then are the fragments spliced in: a template that measured or
/// cut a marker would write another page than with the fragment itself (such a
/// theme gets the fragments in its views, as before).
pub fn shown_whole<'t>(templates: impl IntoIterator<Item = &'t str>) -> bool {
    (templates.into_iter()).all(|source| tags(source).all(|(tag, print)| tag_shows_whole(tag, print)))
}

/// The inside of each `{{ }}` and `{% %}` tag of a template's `source`, in order, and
/// whether it is a `{{ }}` one; an unclosed tag ends them.
pub(super) fn tags(source: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = source;
    std::iter::from_fn(move || {
        loop {
            let at = rest.find('{')?;
            rest = &rest[at + 1..];
            let (print, end) = match rest.as_bytes().first() {
                Some(b'{') => (true, "}}"),
                Some(b'%') => (false, "%}"),
                _ => continue,
            };
            let len = rest.find(end)?;
            let tag = &rest[1..len];
            rest = &rest[len..];
            return Some((tag, print));
        }
    })
}

/// A tag's code without its string literals (template names such as "chart.html").
pub(super) fn without_strings(tag: &str) -> String {
    let mut code = String::with_capacity(tag.len());
    let mut quote = None;
    for c in tag.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => code.push(c),
        }
    }
    code
}

/// [`shown_whole`] for the inside of one tag (`print`: a `{{ }}` one).
fn tag_shows_whole(tag: &str, print: bool) -> bool {
    // A filter block (`{% filter upper %}`) would change the markers it holds.
    let block_filter = !print && tag.trim_start_matches('-').trim_start().starts_with("filter");
    if block_filter || tag.contains("json_encode") {
        return false;
    }
    // Field names in string literals (template names such as "chart.html", or
    // `x["svg"]`) are read with the literal's quotes, so `["svg"]` counts.
    let code = without_strings(tag);
    if [
        "[\"svg\"]",
        "[\"narrow\"]",
        "[\"html\"]",
        "['svg']",
        "['narrow']",
        "['html']",
    ]
    .iter()
    .any(|k| tag.contains(k))
    {
        return false;
    }
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for field in [".svg", ".narrow", ".html"] {
        for (at, _) in code.match_indices(field) {
            let after = &code[at + field.len()..];
            if after.starts_with(ident) {
                continue;
            }
            let after = after.trim_start();
            let after = after
                .strip_prefix('|')
                .map_or(after, |f| f.trim_start().strip_prefix("safe").unwrap_or(f));
            let end = after.trim_start().trim_start_matches('-').trim();
            if !print || !end.is_empty() {
                return false;
            }
        }
    }
    true
}

/// A marker's sheet number, fragment and length after the needle.
fn parse_marker(rest: &[u8]) -> Option<(usize, Fragment, usize)> {
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let number = |s: &[u8]| std::str::from_utf8(s).ok()?.parse::<usize>().ok();
    let n = digits(rest);
    let sheet = number(&rest[..n])?;
    let letter = *rest.get(n)?;
    let m = digits(&rest[n + 1..]);
    let k = number(&rest[n + 1..n + 1 + m])?;
    let f = match letter {
        b'w' => Fragment::Wide(k),
        b'n' => Fragment::Narrow(k),
        b'f' => Fragment::Figure(k),
        b'r' => Fragment::Retro,
        b's' => Fragment::Sheet,
        _ => return None,
    };
    Some((sheet, f, n + 1 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(sheet: usize, f: Fragment, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("[{sheet} {f:?} <&>]").as_bytes());
    }

    fn spliced(html: &str) -> String {
        String::from_utf8(splice(html.as_bytes(), fill)).unwrap()
    }

    #[test]
    fn every_occurrence_is_filled_with_its_own_fragment() {
        let html = format!(
            "a{}b{}c{}{}d{}",
            marker(0, Fragment::Wide(1)),
            marker(12, Fragment::Narrow(3)),
            marker(0, Fragment::Wide(1)),
            marker(2, Fragment::Retro),
            marker(3, Fragment::Figure(10)),
        );
        assert_eq!(
            spliced(&html),
            "a[0 Wide(1) <&>]b[12 Narrow(3) <&>]c[0 Wide(1) <&>][2 Retro <&>]d[3 Figure(10) <&>]"
        );
    }

    #[test]
    fn a_page_without_markers_is_left_as_it_is() {
        let html = "<p>okrsitefragment: <b>x</b> &lt;okrsitefragment&gt;</p>";
        assert_eq!(spliced(html), html);
    }

    #[test]
    fn an_escaped_marker_gets_its_fragment_escaped() {
        let mut escaped = Vec::new();
        tera::escape_html(&marker(4, Fragment::Retro), &mut escaped).unwrap();
        let html = format!("x{}y", String::from_utf8(escaped).unwrap());
        assert_eq!(spliced(&html), "x[4 Retro &lt;&amp;&gt;]y");
    }

    #[test]
    fn no_marker_is_left_even_when_a_template_cut_it() {
        let whole = marker(1, Fragment::Narrow(2));
        let cut = &whole[..whole.len() - 3];
        let html = format!("a{cut}b{}c", &whole[1..]);
        let out = spliced(&html);
        assert!(!out.contains(needle()), "{out}");
        assert!(out.starts_with('a') && out.ends_with('c'), "{out}");
    }

    #[test]
    fn the_default_theme_shows_the_fragments_whole() {
        let templates = crate::render::theme::TEMPLATES.iter().map(|(_, text)| *text);
        assert!(shown_whole(templates));
    }

    #[test]
    fn a_template_reading_a_fragment_keeps_the_fragments_in_the_views() {
        for whole in [
            "{{ chart.svg | safe }}{{ chart.narrow|safe-}}",
            "{{ review.retro.html }}",
            "{% include \"chart.html\" %}<a href=\"x.html#a\">{{ t.svg_note }}</a>",
        ] {
            assert!(shown_whole([whole]), "{whole}");
        }
        for read in [
            "{{ chart.svg | length }}",
            "{{ review.retro.html | safe | striptags }}",
            "{% if review.retro.html %}x{% endif %}",
            "{% set s = chart.narrow %}{{ s }}",
            "{{ review | json_encode }}",
            "{{ chart[\"svg\"] | safe }}",
            "{{ chart.svg == \"\" }}",
            "{%- filter upper %}{{ chart.svg | safe }}{% endfilter %}",
        ] {
            assert!(!shown_whole(["{{ a }}", read]), "{read}");
        }
    }

    #[test]
    fn user_text_cannot_write_a_marker() {
        // The needle is drawn at random for each build: two draws differ, and a text
        // written without knowing it holds none.
        let (one, two) = (
            crate::render::markdown::random_hex(),
            crate::render::markdown::random_hex(),
        );
        assert_ne!(one, two);
        assert_eq!(needle().len(), "okrsitefragment".len() + 32 + 1);
        assert!(!needle().contains(crate::render::markdown::root_marker()));
        // A marker written in content without the build's random part stays text.
        let forged = "<p><okrsitefragment0123456789abcdef0123456789abcdef:0r0></p>";
        assert_eq!(spliced(forged), forged);
    }
}
