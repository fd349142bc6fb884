//! The pages' words (issue 20): the theme's catalogues complete in both languages,
//! every key used exists, and the English fixture's pages read as English: plurals,
//! one date format, one quarter name, no Japanese punctuation, phrases in order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use okrsite::config::Language;
use okrsite::render::strings::{Strings, Text, placeholders};

use crate::common::{self, okrsite};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue(lang: Language) -> Strings {
    let file = root().join(format!("themes/default/i18n/{}.toml", lang.code()));
    let text = std::fs::read_to_string(&file).unwrap();
    Strings::parse(&text, lang).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Each key's placeholders, over all its forms.
fn placeholders_of(text: &Text) -> BTreeSet<String> {
    match text {
        Text::Plain(s) => placeholders(s).into_iter().collect(),
        Text::Plural { one, other } => one.iter().chain([other]).flat_map(|s| placeholders(s)).collect(),
    }
}

/// What is wrong between the two catalogues, one line per problem.
fn catalogue_problems(en: &Strings, ja: &Strings) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, text) in &en.texts {
        let Some(other) = ja.texts.get(key) else {
            problems.push(format!("`{key}` is missing from ja.toml"));
            continue;
        };
        if placeholders_of(text) != placeholders_of(other) {
            problems.push(format!(
                "`{key}`: placeholders {:?} in en.toml, {:?} in ja.toml",
                placeholders_of(text),
                placeholders_of(other)
            ));
        }
        match (text, other) {
            (Text::Plain(_), Text::Plain(_)) => {}
            (Text::Plural { one: Some(_), .. }, Text::Plural { one: None, .. }) => {}
            (Text::Plural { one: None, .. }, _) => problems.push(format!("`{key}`: en.toml has no `one` form")),
            (_, Text::Plural { one: Some(_), .. }) => {
                problems.push(format!("`{key}`: ja.toml has a `one` form (Japanese has only `other`)"))
            }
            _ => problems.push(format!("`{key}`: a count in one catalogue, a text in the other")),
        }
    }
    for key in ja.texts.keys().filter(|k| !en.texts.contains_key(*k)) {
        problems.push(format!("`{key}` is missing from en.toml"));
    }
    problems
}

#[test]
fn both_catalogues_hold_the_same_keys_forms_and_placeholders() {
    let problems = catalogue_problems(&catalogue(Language::En), &catalogue(Language::Ja));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_gap_between_the_catalogues_is_found() {
    // The check itself can fail: a key missing, another placeholder, a form missing.
    let en = Strings::parse(
        "a = \"x {n}\"\nb = \"y\"\nc = { one = \"1\", other = \"{n}\" }\nd = { other = \"{n}\" }\n",
        Language::En,
    )
    .unwrap();
    let ja = Strings::parse(
        "a = \"x {m}\"\nc = { other = \"{n}\" }\nd = { other = \"{n}\" }\ne = \"z\"\n",
        Language::Ja,
    )
    .unwrap();
    let problems = catalogue_problems(&en, &ja).join("\n");
    for want in [
        "`a`: placeholders",
        "`b` is missing from ja.toml",
        "`d`: en.toml has no `one` form",
        "`e` is missing from en.toml",
    ] {
        assert!(problems.contains(want), "{want} not in:\n{problems}");
    }
    assert!(!problems.contains("`c`"), "{problems}");
}

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The identifier that starts `s` (`[a-z0-9_]+`).
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The keys the templates use: `t.<key>` and `tr(key="<key>"…)`.
fn keys_in_templates() -> BTreeMap<String, String> {
    let mut used = BTreeMap::new();
    for file in files_under(&root().join("themes/default/templates"), "html") {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (i, _) in text.match_indices("t.") {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let key = ident(&text[i + 2..]);
            if !key.is_empty() {
                used.insert(key.to_string(), name.clone());
            }
        }
        for (i, _) in text.match_indices("tr(key=") {
            let rest = &text[i + 7..];
            let key = ident(rest.trim_start_matches(['"', '\'']));
            used.insert(key.to_string(), name.clone());
        }
    }
    used
}

/// The keys the code of `src/render` asks for by name: `t.get("<key>")`, `t.fill(`,
/// `t.format(`, `t.count(`, `t.count_with(`, and the chart labels' `g("<key>")`.
fn keys_in_code() -> BTreeMap<String, String> {
    let mut used = BTreeMap::new();
    for file in files_under(&root().join("src/render"), "rs") {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        for call in [
            "t.get(\"",
            "t.fill(\"",
            "t.format(\"",
            "t.count(\"",
            "t.count_with(\"",
            " g(\"",
        ] {
            for (i, _) in text.match_indices(call) {
                let key = ident(&text[i + call.len()..]);
                used.insert(key.to_string(), name.clone());
            }
        }
    }
    used
}

#[test]
fn every_key_used_is_in_the_catalogues_and_every_key_is_used() {
    let en = catalogue(Language::En);
    let mut used = keys_in_templates();
    used.extend(keys_in_code());
    assert!(used.len() > 100, "the scan found only {} keys", used.len());
    let missing: Vec<String> = used
        .iter()
        .filter(|(k, _)| !en.texts.contains_key(*k))
        .map(|(k, file)| format!("`{k}` (used in {file})"))
        .collect();
    assert!(missing.is_empty(), "keys used but in neither catalogue: {missing:?}");
    // Keys looked up by a name made at run time (`grade_{light}`, `flag_{key}`…) and
    // keys named in lists of the code (`def_formula`…) count as used when their
    // quoted name or their family's prefix appears in the code.
    let families = [
        "grade_",
        "status_",
        "band_",
        "quarter_",
        "layer_",
        "flag_",
        "placeholder_outlook_",
    ];
    let code: String = files_under(&root().join("src/render"), "rs")
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let unused: Vec<&String> = en
        .texts
        .keys()
        .filter(|k| !used.contains_key(*k))
        .filter(|k| !code.contains(&format!("\"{k}\"")))
        .filter(|k| !families.iter().any(|f| k.starts_with(f)))
        .collect();
    assert!(unused.is_empty(), "keys no template or code uses: {unused:?}");
}

/// The English fixture, built once (its `as_of` pins today: 2026-11-20).
fn english_site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let out = tempfile::tempdir().unwrap();
            okrsite()
                .args(["build", "--root"])
                .arg(common::fixtures().join("english"))
                .arg("--output")
                .arg(out.path().join("public"))
                .assert()
                .success();
            let public = out.path().join("public");
            (out, public)
        })
        .1
}

/// The text a reader sees of a page: no tags, no scripts, styles, SVG (the charts
/// are checked by `it::charts`) or code (file paths such as `content/2026-Q3/x.yaml`).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open + 1..];
        let name = ident(&tag.to_ascii_lowercase()).to_string();
        let skip_to = match name.as_str() {
            "script" | "style" | "svg" | "code" => {
                let close = format!("</{name}>");
                tag.find(&close).map(|at| at + close.len())
            }
            _ => tag.find('>').map(|at| at + 1),
        };
        match skip_to {
            Some(at) => {
                out.push(' ');
                rest = &tag[at..];
            }
            None => rest = "",
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", "\"")
}

/// Every page of the English fixture: (path, visible text).
fn english_pages() -> Vec<(String, String)> {
    let site = english_site();
    files_under(site, "html")
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(site).unwrap().display().to_string();
            (rel, visible_text(&std::fs::read_to_string(&p).unwrap()))
        })
        .collect()
}

fn page(path: &str) -> String {
    english_pages()
        .into_iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no page {path}"))
        .1
}

/// Where `what` occurs in `text`, with some context, for the failure message.
fn occurrences(text: &str, what: impl Fn(&str) -> Option<usize>) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = what(&text[from..]).map(|i| from + i) {
        let start = text[..at].char_indices().rev().nth(30).map_or(0, |(i, _)| i);
        let end = text[at..].char_indices().nth(30).map_or(text.len(), |(i, _)| at + i);
        found.push(text[start..end].split_whitespace().collect::<Vec<_>>().join(" "));
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

#[test]
fn english_pages_hold_no_japanese_punctuation() {
    // The fixture's content is all English: any of these comes from the theme or the code.
    let site = english_site();
    let mut found = Vec::new();
    for ext in ["html", "xml", "js", "json"] {
        for file in files_under(site, ext) {
            if file.starts_with(site.join("assets")) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for hit in occurrences(&text, |s| s.find(['、', '・', '「', '」', '。'])) {
                found.push(format!("{}: {hit}", file.strip_prefix(site).unwrap().display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Japanese punctuation on an English site:\n{}",
        found.join("\n")
    );
}

#[test]
fn english_counts_are_singular_for_one() {
    let mut found = Vec::new();
    for (path, text) in english_pages() {
        for word in [
            "learnings",
            "results",
            "days",
            "sub-teams",
            "tags",
            "check-ins",
            "KRs",
            "teams",
            "Learnings",
        ] {
            let one = format!("1 {word}");
            for hit in occurrences(&text, |s| {
                s.match_indices(&one)
                    .find(|(i, _)| !s[..*i].ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ','))
                    .map(|(i, _)| i)
            }) {
                found.push(format!("{path}: {hit}"));
            }
        }
    }
    assert!(found.is_empty(), "plural after 1:\n{}", found.join("\n"));
    // The counts that the fixture has at 1 and at more.
    assert!(page("tags/trials/index.html").contains("1 learning ·"));
    assert!(page("tags/sales/index.html").contains("3 learnings ·"));
    let q3 = page("quarters/2026-Q3/index.html");
    assert!(q3.contains("2 learnings") && q3.contains("1 learning "), "{q3}");
}

#[test]
fn english_pages_say_as_of_before_the_date() {
    let home = page("index.html");
    assert!(home.contains("as of Nov 20, 2026"), "{home}");
    let bad: Vec<String> = english_pages()
        .into_iter()
        .filter(|(_, t)| t.contains("2026 as of") || t.contains("2026as of"))
        .map(|(p, _)| p)
        .collect();
    assert!(bad.is_empty(), "`<date> as of` on {bad:?}");
}

#[test]
fn a_metric_says_which_direction_is_better_once() {
    let metric = page("metrics/arr/index.html");
    assert!(!metric.contains("Better when"), "{metric}");
    assert!(metric.contains("Direction") && metric.contains("higher is better"));
}

/// The first ISO date (`2026-09-07`) of `s`.
fn iso_date(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find(|&i| {
        let d = |k: usize| b[i + k].is_ascii_digit();
        d(0) && d(1) && d(2) && d(3) && b[i + 4] == b'-' && d(5) && d(6) && b[i + 7] == b'-' && d(8) && d(9)
    })
}

#[test]
fn english_pages_write_one_date_format_and_one_quarter_name() {
    let mut found = Vec::new();
    for (path, text) in english_pages() {
        for hit in occurrences(&text, iso_date) {
            found.push(format!("{path}: ISO date: {hit}"));
        }
        for q in 1..=4 {
            for other in [format!("2026 Q{q}"), format!("2026-Q{q}")] {
                for hit in occurrences(&text, |s| s.find(&other)) {
                    found.push(format!("{path}: quarter: {hit}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    let q3 = page("quarters/2026-Q3/index.html");
    assert!(q3.contains("Q3 2026 across teams"), "{q3}");
    assert!(q3.contains("Jul 1, 2026 – Sep 30, 2026"), "{q3}");
}

#[test]
fn quarter_name_names_every_quarter_on_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixtures().join("english"), dir.path());
    let config = dir.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("quarter_name = \"FY{{yy}} Q{{q}}\"\n{text}")).unwrap();
    let out = dir.path().join("public");
    okrsite()
        .args(["build", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let html = |p: &str| visible_text(&std::fs::read_to_string(out.join(p)).unwrap());
    let quarter = html("quarters/2026-Q3/index.html");
    assert!(quarter.contains("FY26 Q3 across teams"), "{quarter}");
    // (The retrospectives' titles, "Q2 2026 review — Sales", are the authors' words.)
    let team = html("teams/sales/index.html")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        team.contains("FY26 Q2 1.00 FY26 Q3 0.75 FY26 Q4 0.69 (Outlook)"),
        "{team}"
    );
    // A bad one is an error at its line, and nothing is built.
    std::fs::write(&config, format!("quarter_name = \"Q{{quarter}}\"\n{text}")).unwrap();
    let failed = okrsite().args(["check", "--root"]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("okrsite.toml:1:1") && stderr.contains("`{quarter}`"),
        "{stderr}"
    );
}

#[test]
fn english_phrases_read_as_english() {
    let review = page("quarters/2026-Q3/engineering/index.html");
    // (The date is an element of its own, so its text is spaced apart: words only.)
    let words = review.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Oct 2, 2026 · By Tom Becker, Priya Natarajan"),
        "{review}"
    );
    // An ended quarter's list is of KRs that fell short, not of KRs at risk.
    let ended = page("quarters/2026-Q3/index.html");
    assert!(
        ended.contains("KRs that fell short") && !ended.contains("KRs at risk"),
        "{ended}"
    );
    let running = page("quarters/2026-Q4/index.html");
    assert!(running.contains("KRs at risk"), "{running}");
    let teams = page("teams/index.html");
    assert!(teams.contains("(3 sub-teams)"), "{teams}");
    let home = page("index.html");
    assert!(home.contains("41 days left"), "{home}");
}
