//! The styles charts draw most, each written as one class instead of its attributes.
//!
//! A chart element's style (`fill`, `stroke`, `opacity`, …) is a run of presentation
//! attributes that the [backend](super::backend) writes together. A few dozen runs make
//! up nearly every element of every chart, and written out they were about a seventh
//! of a team's review page. So the backend looks each run up in [`STYLE_CLASSES`] and,
//! when it is there, writes ` class="…"` in its place; the theme's stylesheet
//! (`themes/default/static/okrsite.css`) gives each class exactly the run's
//! declarations. A run not in the table stays as attributes, so a chart always means
//! what its attributes meant.
//!
//! The rules are `:where(svg.chart .x) { … }`: no specificity, first in the
//! stylesheet, like the presentation attributes they replace, so any rule a site adds
//! still wins over them as it won over the attributes. A unit test checks the
//! stylesheet against the table.

/// Each class and the attribute run it stands for, most used first (the shortest
/// names for the most used). A run starts with its space, as the backend writes it.
pub const STYLE_CLASSES: [(&str, &str); 40] = [
    ("a", " text-anchor=\"middle\""),
    ("b", " text-anchor=\"end\""),
    (
        "c",
        " fill=\"none\" opacity=\"0.35\" stroke=\"#0072B2\" stroke-width=\"2\"",
    ),
    (
        "d",
        " opacity=\"0.35\" stroke=\"#0072B2\" stroke-width=\"6\" stroke-linecap=\"round\"",
    ),
    ("e", " fill=\"none\" opacity=\"0.6\" stroke=\"currentColor\""),
    ("f", " opacity=\"0.12\" stroke=\"currentColor\""),
    ("g", " fill=\"none\" stroke=\"#0072B2\" stroke-width=\"3\""),
    ("h", " fill=\"none\" stroke=\"#808080\""),
    (
        "i",
        " fill=\"none\" stroke=\"#E69F00\" stroke-dasharray=\"8 5\" stroke-width=\"2\"",
    ),
    (
        "j",
        " fill=\"none\" stroke=\"#808080\" stroke-dasharray=\"2 4\" stroke-width=\"2\"",
    ),
    ("k", " stroke=\"#0072B2\" stroke-width=\"8\" stroke-linecap=\"round\""),
    ("l", " opacity=\"0.1\" fill=\"#D55E00\" stroke=\"none\""),
    ("m", " opacity=\"0.1\" fill=\"#E69F00\" stroke=\"none\""),
    ("n", " opacity=\"0.06\" fill=\"#808080\" stroke=\"none\""),
    ("o", " stroke=\"#D55E00\" stroke-width=\"3\""),
    ("p", " fill=\"#009E73\" stroke=\"none\""),
    ("q", " fill=\"#E69F00\""),
    ("r", " opacity=\"0.08\" stroke=\"none\""),
    ("s", " font-weight=\"bold\""),
    ("t", " fill=\"#E69F00\" stroke=\"none\""),
    (
        "u",
        " fill=\"none\" stroke=\"#E69F00\" stroke-dasharray=\"6 4\" stroke-width=\"2\"",
    ),
    ("v", " fill=\"#0072B2\" stroke=\"none\""),
    (
        "w",
        " fill=\"none\" stroke=\"#009E73\" stroke-dasharray=\"6 4\" stroke-width=\"2\"",
    ),
    ("x", " fill=\"#D55E00\" stroke=\"none\""),
    ("y", " opacity=\"0.1\" stroke=\"currentColor\""),
    ("z", " text-anchor=\"middle\" font-size=\"14\""),
    ("A", " fill=\"none\" stroke=\"currentColor\""),
    ("B", " opacity=\"0.07\" fill=\"#808080\" stroke=\"none\""),
    ("C", " text-anchor=\"end\" font-size=\"14\""),
    ("D", " fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\""),
    (
        "E",
        " fill=\"none\" stroke=\"#CC79A7\" stroke-dasharray=\"10 3\" stroke-width=\"2\"",
    ),
    (
        "F",
        " fill=\"none\" stroke=\"#D55E00\" stroke-dasharray=\"6 4\" stroke-width=\"2\"",
    ),
    ("G", " stroke=\"#0072B2\" stroke-width=\"6\" stroke-linecap=\"round\""),
    (
        "H",
        " fill=\"none\" stroke=\"#0072B2\" stroke-dasharray=\"4 3\" stroke-width=\"2\"",
    ),
    ("I", " opacity=\"0.6\" fill=\"#0072B2\" stroke=\"none\""),
    ("J", " opacity=\"0.45\" fill=\"#0072B2\" stroke=\"none\""),
    ("K", " font-size=\"14\""),
    ("L", " fill=\"none\" stroke=\"#0072B2\""),
    ("M", " fill=\"none\" stroke=\"#56B4E9\" stroke-width=\"2\""),
    ("N", " stroke=\"#56B4E9\" stroke-width=\"6\" stroke-linecap=\"round\""),
];

/// Slots of the open-addressing index of [`STYLE_CLASSES`]: a power of two, well
/// above the table's size so that lookups of runs not in it end at once.
const SLOTS: usize = 256;
const EMPTY: u8 = u8::MAX;

/// A hash of an attribute run, eight bytes at a time (runs are 10 to 80 bytes and
/// every chart element looks one up). `const`, so the index is built at compile time.
const fn hash(run: &[u8]) -> usize {
    let mut h: u64 = run.len() as u64;
    let mut i = 0;
    while i < run.len() {
        let mut word: u64 = 0;
        let mut k = 0;
        while k < 8 && i + k < run.len() {
            word |= (run[i + k] as u64) << (8 * k);
            k += 1;
        }
        h = (h ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
        i += 8;
    }
    (h >> 32) as usize & (SLOTS - 1)
}

/// The index: for each slot, the entry of [`STYLE_CLASSES`] hashed there (or the next
/// free slot after it), [`EMPTY`] where none is.
const INDEX: [u8; SLOTS] = {
    let mut index = [EMPTY; SLOTS];
    let mut entry = 0;
    while entry < STYLE_CLASSES.len() {
        let mut slot = hash(STYLE_CLASSES[entry].1.as_bytes());
        while index[slot] != EMPTY {
            slot = (slot + 1) & (SLOTS - 1);
        }
        index[slot] = entry as u8;
        entry += 1;
    }
    index
};

/// The class that stands for the attribute run `run`, if the table has one.
#[inline]
pub fn class_of(run: &str) -> Option<&'static str> {
    let mut slot = hash(run.as_bytes());
    loop {
        let entry = INDEX[slot];
        if entry == EMPTY {
            return None;
        }
        let (class, attrs) = STYLE_CLASSES[usize::from(entry)];
        if attrs == run {
            return Some(class);
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
}

/// The CSS declarations of an attribute run (`fill="none" stroke-width="2"` →
/// `fill:none;stroke-width:2px`): what the stylesheet's rule for its class must say.
/// Lengths get `px`, which inside an SVG is the user unit the attribute meant.
#[cfg(test)]
fn declarations(run: &str) -> String {
    let mut out = Vec::new();
    for pair in run.split('"').collect::<Vec<_>>().chunks(2) {
        let [name, value] = pair else { continue };
        let name = name.trim().trim_end_matches('=');
        let value = match name {
            "stroke-width" | "font-size" => format!("{value}px"),
            _ => (*value).to_string(),
        };
        out.push(format!("{name}:{value}"));
    }
    out.join(";")
}

#[cfg(test)]
mod tests {
    use super::{STYLE_CLASSES, class_of, declarations};

    #[test]
    fn every_run_finds_its_class_and_nothing_else_finds_one() {
        for (class, run) in STYLE_CLASSES {
            assert_eq!(class_of(run), Some(class), "{run}");
            // A run that merely starts or ends like one in the table has no class.
            assert_eq!(class_of(&run[..run.len() - 1]), None, "{run}");
            assert_eq!(class_of(&format!("{run} opacity=\"0.5\"")), None, "{run}");
        }
        assert_eq!(class_of(""), None);
        assert_eq!(class_of(" fill=\"#123456\""), None);
    }

    #[test]
    fn classes_and_runs_are_unique() {
        for (i, (class, run)) in STYLE_CLASSES.iter().enumerate() {
            for (other_class, other_run) in &STYLE_CLASSES[i + 1..] {
                assert_ne!(class, other_class);
                assert_ne!(run, other_run);
            }
        }
    }

    #[test]
    fn declarations_are_the_runs_attributes_as_css() {
        assert_eq!(
            declarations(" fill=\"none\" stroke=\"#808080\" stroke-dasharray=\"2 4\" stroke-width=\"2\""),
            "fill:none;stroke:#808080;stroke-dasharray:2 4;stroke-width:2px"
        );
        assert_eq!(
            declarations(" text-anchor=\"end\" font-size=\"14\""),
            "text-anchor:end;font-size:14px"
        );
    }

    /// The theme's stylesheet has each class's rule, with exactly its run's
    /// declarations, and no rule for a class the table no longer has.
    #[test]
    fn the_stylesheet_styles_every_class_as_its_run() {
        let css = include_str!("../../../themes/default/static/okrsite.css");
        for (class, run) in STYLE_CLASSES {
            let rule = format!(":where(svg.chart .{class}){{{}}}", declarations(run));
            assert_eq!(css.matches(&rule).count(), 1, "okrsite.css should have {rule}");
        }
        assert_eq!(
            css.matches(":where(svg.chart .").count(),
            STYLE_CLASSES.len(),
            "okrsite.css has a chart class rule the table does not"
        );
    }
}
