//! The org tree at any depth (issue 22): a chain of teams ten levels deep is drawn
//! one indent step per level on the team index and in the quarter's alignment tree
//! (nested lists, one `<ul>` per level; the dashboard's team table is grouped by unit
//! instead); no page uses a fixed list of depth classes, which ran out at depth 6.

use std::path::Path;

use crate::common::okrsite;

/// Deepest team: `t0` is the company, `t10` ten levels below it.
const DEPTH: usize = 10;

/// A site of one chain of teams `t0` … `t10`, each with one objective aligned to its
/// parent's, in 2026-Q3 (running on the site's `as_of`).
pub fn write_deep_site(root: &Path) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("2026-Q3")).unwrap();
    std::fs::write(
        root.join("okrsite.toml"),
        "title = \"Deep\"\nbase_url = \"/\"\nlanguage = \"en\"\nas_of = \"2026-08-15\"\n",
    )
    .unwrap();
    let mut teams = String::new();
    for d in 0..=DEPTH {
        teams.push_str(&format!("- id: t{d}\n  name: Team level {d}\n"));
        if d > 0 {
            teams.push_str(&format!("  parent: t{}\n", d - 1));
        }
        let aligns = match d {
            0 => String::new(),
            _ => format!("    aligns_to: t{}/o\n", d - 1),
        };
        let okrs = format!(
            "objectives:\n  - id: o\n    title: Objective of level {d}\n{aligns}    key_results:\n      - id: k\n        title: Reach ten\n        baseline: 0\n        target: 10\n"
        );
        std::fs::write(content.join(format!("2026-Q3/t{d}.yaml")), okrs).unwrap();
    }
    std::fs::write(content.join("teams.yaml"), teams).unwrap();
}

/// For each occurrence of `marker` in `html`, how many `<ul>` are open around it.
fn list_depths(html: &str, marker: &str) -> Vec<usize> {
    let mut depths = Vec::new();
    let mut open = 0usize;
    let mut rest = html;
    loop {
        let next = [rest.find("<ul"), rest.find("</ul>"), rest.find(marker)];
        let Some(at) = next.iter().flatten().min().copied() else {
            break;
        };
        if Some(at) == next[2] {
            depths.push(open);
            rest = &rest[at + marker.len()..];
        } else if Some(at) == next[1] {
            open -= 1;
            rest = &rest[at + 5..];
        } else {
            open += 1;
            rest = &rest[at + 3..];
        }
    }
    depths
}

fn build_deep_site() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = tempfile::tempdir().unwrap();
    write_deep_site(site.path());
    let out = tempfile::tempdir().unwrap();
    okrsite()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path())
        .assert()
        .success();
    (site, out)
}

fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap()
}

/// The part of `html` from `start` to the next `end`.
fn section<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn a_tree_ten_levels_deep_nests_one_list_per_level() {
    let (_site, out) = build_deep_site();
    let main = section(&read(out.path(), "teams/index.html"), "<main", "</main>").to_string();
    let expected: Vec<usize> = (1..=DEPTH + 1).collect();
    assert_eq!(list_depths(&main, "<li data-team=\"t"), expected, "team index");
    assert_eq!(main.matches("<ul").count(), main.matches("</ul>").count());

    let quarter = read(out.path(), "quarters/2026-Q3/alignment.html");
    let tree = section(&quarter, "id=\"alignment\"", "</section>");
    assert_eq!(
        list_depths(tree, "<span class=\"tree-team\">"),
        expected,
        "alignment tree"
    );
    assert_eq!(tree.matches("<ul").count(), tree.matches("</ul>").count());
}

#[test]
fn no_page_or_stylesheet_uses_depth_classes() {
    let (_site, out) = build_deep_site();
    for (path, bytes) in crate::common::output_files(out.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("depth-"), "{path} names a depth class");
    }
}
