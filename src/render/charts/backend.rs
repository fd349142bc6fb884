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
//! - attributes equal to their default (`opacity="1"`, `stroke-width="1"`) and the
//!   font family (set once on the root) are left out; font sizes have one decimal;
//! - no newlines between elements.
//!
//! Element names, attribute order, text anchoring and escaping follow plotters'
//! `SVGBackend`, so a chart means exactly what it meant drawn by plotters.

use std::fmt::Write as _;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};

/// Draws into a `String`: the body of an `<svg>` element (everything between its tags).
pub struct CompactSvg<'a> {
    out: &'a mut String,
    size: (u32, u32),
}

impl<'a> CompactSvg<'a> {
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        CompactSvg { out, size }
    }

    fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
    }

    fn attr(&mut self, name: &str, value: impl std::fmt::Display) {
        let _ = write!(self.out, " {name}=\"{value}\"");
    }

    fn opacity(&mut self, color: BackendColor) {
        if color.alpha != 1.0 {
            self.attr("opacity", color.alpha);
        }
    }

    /// `fill`, left out when it is the inherited ink.
    fn fill(&mut self, color: BackendColor) {
        if color.rgb != ink() {
            self.attr("fill", Hex(color.rgb));
        }
    }

    /// `stroke`, with `stroke-dasharray` for a dash stand-in colour.
    fn stroke(&mut self, color: BackendColor) {
        match super::DASHES.iter().find(|d| (d.0.0, d.0.1, d.0.2) == color.rgb) {
            Some((_, real, pattern)) => {
                self.attr("stroke", Hex((real.0, real.1, real.2)));
                self.attr("stroke-dasharray", pattern);
            }
            None if color.rgb == ink() => self.attr("stroke", "currentColor"),
            None => self.attr("stroke", Hex(color.rgb)),
        }
    }

    fn stroke_width(&mut self, width: u32) {
        if width != 1 {
            self.attr("stroke-width", width);
        }
    }

    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        for (i, (x, y)) in path.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            let _ = write!(self.out, "{x},{y}");
        }
        self.out.push('"');
    }

    fn close(&mut self) {
        self.out.push_str("/>");
    }
}

fn ink() -> (u8, u8, u8) {
    (super::INK.0, super::INK.1, super::INK.2)
}

/// An SVG colour: the ink as `currentColor`, others as `#RRGGBB`.
struct Hex((u8, u8, u8));

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (r, g, b) = self.0;
        if (r, g, b) == ink() {
            f.write_str("currentColor")
        } else {
            write!(f, "#{r:02X}{g:02X}{b:02X}")
        }
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
        self.attr("x", x);
        self.attr("y", y);
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
        self.opacity(color);
        self.stroke(color);
        self.stroke_width(style.stroke_width());
        self.attr("x1", from.0);
        self.attr("y1", from.1);
        self.attr("x2", to.0);
        self.attr("y2", to.1);
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
        self.attr("x", upper_left.0);
        self.attr("y", upper_left.1);
        self.attr("width", bottom_right.0 - upper_left.0);
        self.attr("height", bottom_right.1 - upper_left.1);
        self.opacity(color);
        if fill {
            self.fill(color);
            self.out.push_str(" stroke=\"none\"");
        } else {
            self.out.push_str(" fill=\"none\"");
            self.stroke(color);
        }
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
        self.open("polyline");
        self.out.push_str(" fill=\"none\"");
        self.opacity(color);
        self.stroke(color);
        self.stroke_width(style.stroke_width());
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
        self.opacity(color);
        self.fill(color);
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
        self.attr("cx", center.0);
        self.attr("cy", center.1);
        self.attr("r", radius);
        self.opacity(color);
        if fill {
            self.fill(color);
            self.out.push_str(" stroke=\"none\"");
        } else {
            self.out.push_str(" fill=\"none\"");
            self.stroke(color);
        }
        self.stroke_width(style.stroke_width());
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
        let anchor = style.anchor();
        self.open("text");
        self.attr("x", x);
        self.attr("y", y);
        self.attr(
            "dy",
            match anchor.v_pos {
                VPos::Top => "0.76em",
                VPos::Center => "0.5ex",
                VPos::Bottom => "-0.5ex",
            },
        );
        self.attr(
            "text-anchor",
            match anchor.h_pos {
                HPos::Left => "start",
                HPos::Right => "end",
                HPos::Center => "middle",
            },
        );
        // plotters sizes fonts in its own unit, 1.24 × the CSS size.
        self.attr("font-size", super::trim(style.size() / 1.24, 1));
        self.opacity(color);
        self.fill(color);
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.attr("font-weight", "bold"),
            other => self.attr("font-style", other.as_str()),
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        if let Some(degrees) = degrees {
            let _ = write!(self.out, " transform=\"rotate({degrees}, {x}, {y})\"");
        }
        self.out.push('>');
        push_escaped(self.out, text);
        self.out.push_str("</text>");
        Ok(())
    }
}
