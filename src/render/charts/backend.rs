//! A plotters drawing backend that writes the final, compact inline SVG directly.
//!
//! plotters' own `SVGBackend` writes every attribute of every element (font family,
//! opacity 1, stroke width 1, the ink colour) and one element per dash of a dashed
//! line; turning that into the page's SVG took a second pass over every chart, and the
//! two together were the largest single cost of a large build. This backend writes
//! what the page needs in one go:
//!
//! - the ink colour [`INK`](super::INK) becomes `currentColor`, and is left out where
//!   it is inherited (`fill`; the root `<svg>` carries `fill="currentColor"`);
//! - a dash stand-in colour (see [`dashed`](super::dashed)) becomes the real colour
//!   plus `stroke-dasharray`;
//! - attributes equal to their default (`opacity="1"`, `stroke-width="1"`,
//!   `text-anchor="start"`) are left out, and so is the font size of most texts (set
//!   once on the root, as the font family is by the page's stylesheet); font sizes
//!   have one decimal;
//! - an element's style attributes, when they are one of the runs charts draw most,
//!   become one class ([`classes`](super::classes));
//! - a chart's grid lines are one `<path>` (see [`super::GRID`]);
//! - no newlines between elements.
//!
//! Element names, attribute order, text anchoring and escaping follow plotters'
//! `SVGBackend`, so a chart means exactly what it meant drawn by plotters.

use std::fmt::Write as _;

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};

use super::classes;
use crate::render::format::{fixed_digits, push_trimmed};

/// The font size every chart's root sets ([`super::wrap`]), which its texts inherit:
/// most texts are of this size, and write none of their own.
pub const ROOT_FONT_SIZE: &str = " font-size=\"12\"";

/// Draws into a `String`: the body of an `<svg>` element (everything between its tags).
pub struct CompactSvg<'a> {
    out: &'a mut String,
    size: (u32, u32),
}

impl<'a> CompactSvg<'a> {
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        CompactSvg { out, size }
    }

    // The attribute writers are inlined where they are called, so their names and
    // constant values are copied as the constants they are (not by a `memcpy` call).
    #[inline(always)]
    fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
    }

    fn attr(&mut self, name: &str, value: impl std::fmt::Display) {
        let _ = write!(self.out, " {name}=\"{value}\"");
    }

    /// An integer attribute, without the formatting machinery (charts write thousands).
    #[inline(always)]
    fn int(&mut self, name: &str, value: i32) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_int(self.out, value);
        self.out.push('"');
    }

    #[inline(always)]
    fn str(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(value);
        self.out.push('"');
    }

    fn opacity(&mut self, color: BackendColor) {
        if color.alpha == 1.0 {
            return;
        }
        // Charts fade in hundredths (0.12, 0.35): written as `Display` writes them.
        let hundredths = (color.alpha * 100.0).round();
        if (1.0..100.0).contains(&hundredths) && hundredths / 100.0 == color.alpha {
            let n = hundredths as u8;
            self.out.push_str(" opacity=\"0.");
            self.out.push(char::from(b'0' + n / 10));
            if !n.is_multiple_of(10) {
                self.out.push(char::from(b'0' + n % 10));
            }
            self.out.push('"');
        } else {
            self.attr("opacity", color.alpha);
        }
    }

    /// `fill`, left out when it is the inherited ink.
    fn fill(&mut self, color: BackendColor) {
        if color.rgb != ink() {
            self.color("fill", color.rgb);
        }
    }

    /// A colour attribute: `#RRGGBB`, or `currentColor` for the ink.
    fn color(&mut self, name: &str, rgb: (u8, u8, u8)) {
        if rgb == ink() {
            return self.str(name, "currentColor");
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"#");
        // Pushed a character at a time: no UTF-8 check of a stack buffer, no memcpy call.
        for byte in [rgb.0, rgb.1, rgb.2] {
            self.out.push(char::from(HEX[usize::from(byte >> 4)]));
            self.out.push(char::from(HEX[usize::from(byte & 15)]));
        }
        self.out.push('"');
    }

    /// `stroke`, with `stroke-dasharray` for a dash stand-in colour.
    fn stroke(&mut self, color: BackendColor) {
        match super::DASHES.iter().find(|d| (d.0.0, d.0.1, d.0.2) == color.rgb) {
            Some((_, real, pattern)) => {
                self.color("stroke", (real.0, real.1, real.2));
                self.str("stroke-dasharray", pattern);
            }
            None => self.color("stroke", color.rgb),
        }
    }

    /// A filled shape has no stroke; an outlined one no fill (as plotters draws them).
    fn fill_or_stroke(&mut self, color: BackendColor, fill: bool) {
        if fill {
            self.fill(color);
            self.out.push_str(" stroke=\"none\"");
        } else {
            self.out.push_str(" fill=\"none\"");
            self.stroke(color);
        }
    }

    fn stroke_width(&mut self, width: u32) {
        if width != 1 {
            self.int("stroke-width", width as i32);
        }
    }

    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        for (i, (x, y)) in path.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            push_int(self.out, x);
            self.out.push(',');
            push_int(self.out, y);
        }
        self.out.push('"');
    }

    #[inline(always)]
    fn close(&mut self) {
        self.out.push_str("/>");
    }

    /// Ends the style run written since `at` (an element's presentation attributes):
    /// it becomes its class when [`classes::STYLE_CLASSES`] has one.
    #[inline]
    fn classify(&mut self, at: usize) {
        if at == self.out.len() {
            return;
        }
        if let Some(class) = classes::class_of(&self.out[at..]) {
            self.out.truncate(at);
            self.out.push_str(" class=\"");
            self.out.push_str(class);
            self.out.push('"');
        }
    }

    /// Grid lines ([`super::GRID`]): the points two by two, each pair a segment of one
    /// `<path>` in ink. No fill: the root's fill paints nothing on subpaths of one
    /// straight segment each.
    fn segments(&mut self, path: impl IntoIterator<Item = BackendCoord>, color: BackendColor) {
        let mut points = path.into_iter();
        self.open("path");
        self.out.push_str(" d=\"");
        while let (Some((x0, y0)), Some((x1, y1))) = (points.next(), points.next()) {
            self.out.push('M');
            push_int(self.out, x0);
            self.out.push(' ');
            push_int(self.out, y0);
            if y1 == y0 {
                self.out.push('H');
                push_int(self.out, x1);
            } else if x1 == x0 {
                self.out.push('V');
                push_int(self.out, y1);
            } else {
                self.out.push('L');
                push_int(self.out, x1);
                self.out.push(' ');
                push_int(self.out, y1);
            }
        }
        self.out.push('"');
        let style = self.out.len();
        self.opacity(color);
        self.color("stroke", ink());
        self.classify(style);
        self.close();
    }
}

fn ink() -> (u8, u8, u8) {
    (super::INK.0, super::INK.1, super::INK.2)
}

/// Writes a decimal integer. Charts write tens of thousands of coordinates of one to
/// three digits: pushing the digits one by one is cheaper than a UTF-8 check of a
/// digit buffer and a `memcpy` call for its few bytes.
pub(super) fn push_int(out: &mut String, value: i32) {
    // Most are pixel coordinates: up to three digits, written without a loop.
    if let Ok(small @ 0..1000) = u16::try_from(value) {
        if small >= 100 {
            out.push(char::from(b'0' + (small / 100) as u8));
        }
        if small >= 10 {
            out.push(char::from(b'0' + (small / 10 % 10) as u8));
        }
        out.push(char::from(b'0' + (small % 10) as u8));
        return;
    }
    // Anything else (rare): the shared digit writer.
    if value < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    out.push_str(crate::render::format::ascii_digits(
        u64::from(value.unsigned_abs()),
        &mut buf,
    ));
}

/// Writes `v` as [`push_trimmed`] does with one decimal (a font size: `12`, `10.5`),
/// through [`push_int`] for the usual positive sizes.
fn push_tenths(out: &mut String, v: f64) {
    match fixed_digits(v, 1) {
        Some(tenths) if v > 0.0 && tenths < 1_000_000 => {
            push_int(out, (tenths / 10) as i32);
            if !tenths.is_multiple_of(10) {
                out.push('.');
                out.push(char::from(b'0' + (tenths % 10) as u8));
            }
        }
        _ => push_trimmed(out, v, 1),
    }
}

/// Escapes text as plotters' SVG backend does (`'` too, harmless and kept for parity).
fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['<', '>', '&', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            _ => "&apos;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

impl DrawingBackend for CompactSvg<'_> {
    type ErrorType = std::fmt::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.open("rect");
        self.int("x", x);
        self.int("y", y);
        self.out.push_str(" width=\"1\" height=\"1\" stroke=\"none\"");
        self.opacity(color);
        self.fill(color);
        self.close();
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.open("line");
        let at = self.out.len();
        self.opacity(color);
        self.stroke(color);
        self.stroke_width(style.stroke_width());
        self.classify(at);
        self.int("x1", from.0);
        self.int("y1", from.1);
        self.int("x2", to.0);
        self.int("y2", to.1);
        self.close();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.open("rect");
        self.int("x", upper_left.0);
        self.int("y", upper_left.1);
        self.int("width", bottom_right.0 - upper_left.0);
        self.int("height", bottom_right.1 - upper_left.1);
        let at = self.out.len();
        self.opacity(color);
        self.fill_or_stroke(color, fill);
        self.classify(at);
        self.close();
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        if color.rgb == (super::GRID.0, super::GRID.1, super::GRID.2) {
            self.segments(path, color);
            return Ok(());
        }
        if let Some((_, real, radius)) = super::DOTS.iter().find(|d| (d.0.0, d.0.1, d.0.2) == color.rgb) {
            self.open("path");
            self.out.push_str(" d=\"");
            for (x, y) in path {
                self.out.push('M');
                push_int(self.out, x);
                self.out.push(' ');
                push_int(self.out, y);
                self.out.push_str("h0");
            }
            self.out.push('"');
            let at = self.out.len();
            self.opacity(color);
            self.color("stroke", (real.0, real.1, real.2));
            self.int("stroke-width", 2 * *radius as i32);
            self.out.push_str(" stroke-linecap=\"round\"");
            self.classify(at);
            self.close();
            return Ok(());
        }
        self.open("polyline");
        let at = self.out.len();
        self.out.push_str(" fill=\"none\"");
        self.opacity(color);
        self.stroke(color);
        self.stroke_width(style.stroke_width());
        self.classify(at);
        self.points(path);
        self.close();
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.open("polygon");
        let at = self.out.len();
        self.opacity(color);
        self.fill(color);
        self.classify(at);
        self.points(path);
        self.close();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.open("circle");
        self.int("cx", center.0);
        self.int("cy", center.1);
        self.int("r", radius as i32);
        let at = self.out.len();
        self.opacity(color);
        self.fill_or_stroke(color, fill);
        self.stroke_width(style.stroke_width());
        self.classify(at);
        self.close();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        let look = TextLook {
            size: style.size(),
            color,
            style: style.style(),
            degrees,
        };
        self.text(text, (x, y), style.anchor(), &look);
        Ok(())
    }
}

/// How a text is drawn, besides where: plotters' font size (1.24 × the CSS size), its
/// colour, style and rotation.
pub struct TextLook {
    pub size: f64,
    pub color: BackendColor,
    pub style: FontStyle,
    pub degrees: Option<u16>,
}

impl TextLook {
    /// Upright text in ink at `size` (plotters' unit), as [`super::text_style`] draws.
    pub fn ink(size: f64) -> TextLook {
        TextLook {
            size,
            color: BackendColor { alpha: 1.0, rgb: ink() },
            style: FontStyle::Normal,
            degrees: None,
        }
    }
}

impl CompactSvg<'_> {
    /// A `<text>` element, as [`DrawingBackend::draw_text`] writes it (which calls this;
    /// chart labels call it directly, without building a plotters font each).
    pub fn text(&mut self, text: &str, (x, y): BackendCoord, anchor: Pos, look: &TextLook) {
        let color = look.color;
        if color.alpha == 0.0 {
            return;
        }
        self.open("text");
        self.int("x", x);
        self.int("y", y);
        self.str(
            "dy",
            match anchor.v_pos {
                VPos::Top => "0.76em",
                VPos::Center => "0.5ex",
                VPos::Bottom => "-0.5ex",
            },
        );
        let style = self.out.len();
        // `start` is the initial text anchor, left out like other defaults.
        match anchor.h_pos {
            HPos::Left => {}
            HPos::Right => self.str("text-anchor", "end"),
            HPos::Center => self.str("text-anchor", "middle"),
        }
        // plotters sizes fonts in its own unit, 1.24 × the CSS size. The root's size
        // ([`super::wrap`]) is left out.
        let size_at = self.out.len();
        self.out.push_str(" font-size=\"");
        push_tenths(self.out, look.size / 1.24);
        self.out.push('"');
        if self.out[size_at..] == *ROOT_FONT_SIZE {
            self.out.truncate(size_at);
        }
        self.opacity(color);
        self.fill(color);
        match look.style {
            FontStyle::Normal => {}
            FontStyle::Bold => self.str("font-weight", "bold"),
            other => self.str("font-style", other.as_str()),
        }
        self.classify(style);
        if let Some(degrees) = look.degrees {
            let _ = write!(self.out, " transform=\"rotate({degrees}, {x}, {y})\"");
        }
        self.out.push('>');
        push_escaped(self.out, text);
        self.out.push_str("</text>");
    }
}

#[cfg(test)]
mod tests {
    use super::{BackendColor, CompactSvg, push_int};

    #[test]
    fn opacities_are_written_as_display_does() {
        for alpha in (1..100).map(|k| f64::from(k) / 100.0).chain([0.123, 0.5 + 1e-12, 1e-9]) {
            let mut s = String::new();
            CompactSvg::new(&mut s, (1, 1)).opacity(BackendColor { alpha, rgb: (0, 0, 0) });
            assert_eq!(s, format!(" opacity=\"{alpha}\""));
        }
    }

    /// A style run in the class table is written as its class, any other as attributes.
    #[test]
    fn a_known_style_is_one_class_and_any_other_stays_attributes() {
        use plotters_backend::{BackendStyle, DrawingBackend};
        struct Fill(BackendColor);
        impl BackendStyle for Fill {
            fn color(&self) -> BackendColor {
                self.0
            }
        }
        let orange = |alpha| {
            Fill(BackendColor {
                alpha,
                rgb: (230, 159, 0),
            })
        };
        let mut s = String::new();
        let mut svg = CompactSvg::new(&mut s, (10, 10));
        svg.draw_rect((1, 2), (4, 6), &orange(0.1), true).unwrap();
        svg.draw_rect((1, 2), (4, 6), &orange(0.2), true).unwrap();
        assert_eq!(
            s,
            "<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" class=\"m\"/>\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"0.2\" fill=\"#E69F00\" stroke=\"none\"/>"
        );
        assert_eq!(
            super::classes::class_of(" opacity=\"0.1\" fill=\"#E69F00\" stroke=\"none\""),
            Some("m")
        );
    }

    #[test]
    fn font_sizes_are_written_as_push_trimmed_does() {
        for v in [
            12.0,
            10.5,
            15.0,
            0.04,
            0.05,
            0.25,
            9.96,
            1e13,
            -3.5,
            0.0,
            12.0 * 1.24 / 1.24,
        ] {
            let (mut fast, mut slow) = (String::new(), String::new());
            super::push_tenths(&mut fast, v);
            crate::render::format::push_trimmed(&mut slow, v, 1);
            assert_eq!(fast, slow, "{v}");
        }
    }

    #[test]
    fn integers_are_written_as_display_does() {
        for v in (-1100..1100).chain([i32::MAX, i32::MIN, 65535, 65536, -65536]) {
            let mut s = String::new();
            push_int(&mut s, v);
            assert_eq!(s, v.to_string());
        }
    }
}
