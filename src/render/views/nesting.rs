//! A tree written in tree order (each row with its depth) as nested lists: how many
//! lists each row opens and closes, so a template writes one `<ul>` per level and
//! the indentation is one step per level at any depth (issue 22: a fixed list of
//! depth classes ran out at depth 6).

use serde::Serialize;

/// What a row's item does to the nesting of the lists around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Nest {
    /// The next row is this row's child: the row's `<li>` stays open around a new `<ul>`.
    pub opens: bool,
    /// How many lists (each with the `<li>` holding it) close after this row's `<li>`.
    pub closes: usize,
}

/// The nesting of rows at `depths`, in tree order. A row deeper than one below the
/// row before it (which tree order never gives) is nested one level below it, and
/// its siblings with it, so every `<ul>` sits in an `<li>` and the lists balance.
pub fn nesting(depths: &[usize]) -> Vec<Nest> {
    // A row's level is how many rows before it are still open around it: those of a
    // smaller depth, not yet followed by one of their depth or less.
    let mut open: Vec<usize> = Vec::new();
    let mut levels = Vec::with_capacity(depths.len());
    for &depth in depths {
        while open.last().is_some_and(|&d| d >= depth) {
            open.pop();
        }
        levels.push(open.len());
        open.push(depth);
    }
    (0..levels.len())
        .map(|i| {
            let next = levels.get(i + 1).copied().unwrap_or(0);
            Nest {
                opens: next > levels[i],
                closes: levels[i].saturating_sub(next),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML a template writes for `depths`, items named by their position.
    fn html(depths: &[usize]) -> String {
        let mut out = String::from("<ul>");
        for (i, n) in nesting(depths).iter().enumerate() {
            out.push_str(&format!("<li>{i}"));
            if n.opens {
                out.push_str("<ul>");
            } else {
                out.push_str("</li>");
                out.push_str(&"</ul></li>".repeat(n.closes));
            }
        }
        out.push_str("</ul>");
        out
    }

    #[test]
    fn each_level_is_one_list_deeper() {
        assert_eq!(
            html(&[0, 1, 2, 1, 0]),
            "<ul><li>0<ul><li>1<ul><li>2</li></ul></li><li>3</li></ul></li><li>4</li></ul>"
        );
    }

    #[test]
    fn a_deep_chain_closes_every_list_at_the_end() {
        let depths: Vec<usize> = (0..10).collect();
        let out = html(&depths);
        assert_eq!(out.matches("<ul>").count(), 10);
        assert_eq!(out.matches("</ul>").count(), 10);
        assert!(out.ends_with(&"</li></ul>".repeat(10)));
    }

    #[test]
    fn a_jump_of_two_levels_nests_one_level() {
        assert_eq!(html(&[0, 2, 2]), "<ul><li>0<ul><li>1</li><li>2</li></ul></li></ul>");
        assert_eq!(html(&[3]), "<ul><li>0</li></ul>");
    }
}
