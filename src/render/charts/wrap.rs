//! A drawn chart wrapped as accessible inline SVG: the root `<svg>` with its viewBox,
//! class, font size and ink, and the wide drawing's `<title>` and `<desc>`. The font
//! family is the page's (its stylesheet's), which the chart's texts inherit.

use super::{Drawn, backend};

/// Wraps a drawn chart as an accessible inline chart: no fixed size (viewBox only),
/// `role="img"` with `<title>` and `<desc>`, the font size and ink set once on the root.
pub fn finish(drawn: &Drawn, id: &str, class: &str, title: &str, desc: &str) -> String {
    let (title, desc) = (esc(title), esc(desc));
    let mut out = String::with_capacity(drawn.body.len() + title.len() + desc.len() + 420);
    write_escaped(drawn, id, class, (&title, &desc), &mut out);
    out
}

/// [`finish`], appended to `out`.
pub fn write_finished(drawn: &Drawn, id: &str, class: &str, title: &str, desc: &str, out: &mut Vec<u8>) {
    write_escaped(drawn, id, class, (&esc(title), &esc(desc)), out);
}

/// [`finish`] of a title and description already escaped, appended to `out` (a
/// drawing written on several pages escapes them once).
pub fn write_escaped(drawn: &Drawn, id: &str, class: &str, (title, desc): (&str, &str), out: &mut impl Sink) {
    write_head(drawn, id, [class, ""], out);
    write_labels(id, (title, desc), &drawn.body, out);
}

/// The rest of a wide drawing after its root tag: its title, description and body.
fn write_labels(id: &str, (title, desc): (&str, &str), body: &str, out: &mut impl Sink) {
    for part in [
        "><title id=\"",
        id,
        "-t\">",
        title,
        "</title><desc id=\"",
        id,
        "-d\">",
        desc,
        "</desc>",
    ] {
        out.put(part);
    }
    out.put(body);
    out.put("</svg>");
}

/// The root `<svg>` tag of a chart but its closing `>`; its class is `chart` and the
/// two parts of `class` run together.
fn write_head(drawn: &Drawn, id: &str, class: [&str; 2], out: &mut impl Sink) {
    out.put("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    out.put_u32(drawn.width);
    out.put(" ");
    out.put_u32(drawn.height);
    for part in [
        "\" class=\"chart ",
        class[0],
        class[1],
        "\" role=\"img\" aria-labelledby=\"",
        id,
        "-t ",
        id,
        "-d\"",
        backend::ROOT_FONT_SIZE,
        " fill=\"currentColor\"",
    ] {
        out.put(part);
    }
}

/// Where a chart's SVG is written: a `String` for a [`Chart`], a page's bytes for a
/// chart spliced into a page. Written without `fmt` (charts write tens of thousands).
pub trait Sink {
    fn put(&mut self, text: &str);
    fn put_u32(&mut self, n: u32);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
    fn put_u32(&mut self, n: u32) {
        backend::push_int(self, n.min(i32::MAX as u32) as i32);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
    fn put_u32(&mut self, n: u32) {
        let mut buf = [0u8; 20];
        self.extend_from_slice(crate::render::format::ascii_digits(u64::from(n), &mut buf).as_bytes());
    }
}

/// The wide and the narrow drawing of a chart (`class` gets `chart-wide` and
/// `chart-narrow`). The narrow one is labelled by the wide one's title and
/// description (`aria-labelledby` may name hidden elements), so they are written once.
pub fn finish_pair(wide: &Drawn, narrow: &Drawn, id: &str, class: &str, title: &str, desc: &str) -> (String, String) {
    let (title, desc) = (esc(title), esc(desc));
    let mut svg = String::with_capacity(wide.body.len() + title.len() + desc.len() + 420);
    write_head(wide, id, [class, " chart-wide"], &mut svg);
    write_labels(id, (&title, &desc), &wide.body, &mut svg);
    let mut out = String::with_capacity(narrow.body.len() + 400);
    write_narrow(narrow, id, class, &mut out);
    (svg, out)
}

/// The narrow drawing of [`finish_pair`], appended to `out`.
pub fn write_narrow(narrow: &Drawn, id: &str, class: &str, out: &mut impl Sink) {
    write_head(narrow, id, [class, " chart-narrow"], out);
    out.put(">");
    out.put(&narrow.body);
    out.put("</svg>");
}

pub fn esc(s: &str) -> String {
    crate::text::escape_html(s)
}
