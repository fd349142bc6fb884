//! The big fragments of a team-quarter's sheet (each KR chart's two SVGs, the
//! retrospective's HTML), kept out of Tera: the sheet's view holds a short marker in
//! their place ([`marker`]), and the rendered page gets them spliced in ([`splice`]),
//! finished with that page's ids and way to the root. Tera then neither converts
//! nor copies them, and a sheet's view no longer depends on the page that shows it:
//! its review page and its booklet page share one Tera value of it.

use std::sync::OnceLock;

/// A fragment of a sheet: KR `k`'s wide or narrow chart, or the retrospective's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fragment {
    Wide(usize),
    Narrow(usize),
    Retro,
}

impl Fragment {
    fn letter(self) -> (char, usize) {
        match self {
            Fragment::Wide(k) => ('w', k),
            Fragment::Narrow(k) => ('n', k),
            Fragment::Retro => ('r', 0),
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
        if hit < at {
            continue; // inside a marker already read (cannot happen: the needle does not overlap itself)
        }
        let (open, close): (&[u8], &[u8]) = match html[..hit].ends_with(b"&lt;") {
            true => (b"&lt;", b"&gt;"),
            false => (b"<", b">"),
        };
        let start = hit.saturating_sub(open.len() * usize::from(html[..hit].ends_with(open)));
        let rest = &html[hit + needle.len()..];
        let parsed = parse_marker(rest);
        out.extend_from_slice(&html[at..start]);
        match parsed {
            Some((sheet, f, len)) if rest[len..].starts_with(close) && start < hit => {
                if open == b"<" {
                    write(sheet, f, &mut out);
                } else {
                    let mut raw = Vec::new();
                    write(sheet, f, &mut raw);
                    let _ = tera::escape_html(&String::from_utf8_lossy(&raw), &mut out);
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
        b'r' => Fragment::Retro,
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
            "a{}b{}c{}{}d",
            marker(0, Fragment::Wide(1)),
            marker(12, Fragment::Narrow(3)),
            marker(0, Fragment::Wide(1)),
            marker(2, Fragment::Retro)
        );
        assert_eq!(
            spliced(&html),
            "a[0 Wide(1) <&>]b[12 Narrow(3) <&>]c[0 Wide(1) <&>][2 Retro <&>]d"
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
    }
}
