//! Every page's ids are unique and every `aria-labelledby` / `aria-describedby` names
//! ids that are on the page: a chart (`role="img"`) without its title in the page has
//! no accessible name at all. The booklets are the case in point: they show a KR
//! chart's narrow drawing without the wide one whose title and description label it
//! on the review page, so there it carries its own (`KrDrawing::write_narrow_alone`).

use std::collections::HashSet;
use std::path::Path;

use crate::common::{self, FIXTURE_EPOCH};
use crate::hostile::parse_html;

/// Every problem of one page: ids given twice, references to ids not on it.
fn problems(rel: &str, html: &str) -> Vec<String> {
    let tags = parse_html(html).tags;
    let mut ids = HashSet::new();
    let mut found = Vec::new();
    for tag in &tags {
        for (name, value) in &tag.attrs {
            if name == "id" && !ids.insert(value.clone()) {
                found.push(format!("{rel}: id {value:?} twice"));
            }
        }
    }
    for tag in &tags {
        for (name, value) in &tag.attrs {
            if name == "aria-labelledby" || name == "aria-describedby" {
                for id in value.split_whitespace().filter(|id| !ids.contains(*id)) {
                    found.push(format!("{rel}: <{} {name}> names {id:?}, not on the page", tag.name));
                }
            }
        }
    }
    found
}

#[test]
fn every_page_labels_its_charts_with_ids_it_has() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english = common::fixtures().join("english");
    let tmp = tempfile::tempdir().unwrap();
    let mut found = Vec::new();
    let mut booklets = 0;
    for (i, (root, epoch)) in [(sample, "1795219200"), (english.as_path(), FIXTURE_EPOCH)]
        .into_iter()
        .enumerate()
    {
        let out = tmp.path().join(i.to_string());
        crate::csp::build(root, epoch, &out);
        for (rel, bytes) in common::output_files(&out) {
            if rel.ends_with(".html") {
                let html = String::from_utf8(bytes).unwrap();
                booklets += usize::from(rel.contains("/print") && html.contains("chart-narrow"));
                found.extend(problems(&rel, &html));
            }
        }
    }
    assert!(booklets > 0, "no booklet with a KR chart was checked");
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

#[test]
fn the_checker_finds_missing_labels_and_repeated_ids() {
    let narrow_alone = r#"<svg class="chart-narrow" role="img" aria-labelledby="c-t c-d"></svg>"#;
    assert_eq!(problems("p", narrow_alone).len(), 2);
    assert_eq!(problems("p", r#"<p id="a"></p><p id="a"></p>"#).len(), 1);
    let labelled = r#"<svg role="img" aria-labelledby="c-t"><title id="c-t">t</title></svg>"#;
    assert!(problems("p", labelled).is_empty());
}
