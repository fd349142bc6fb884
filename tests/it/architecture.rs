//! The rules of ARCHITECTURE.md, checked on the source itself: the stages import only
//! the stages before them, files stay short, and errors are typed.

use std::path::{Path, PathBuf};

/// The stages in the order the data flows through them. A module may use its own
/// stage and the ones before it, never a later one.
const STAGES: &[(&str, &[&str])] = &[
    (
        "bottom",
        &[
            "domain", "messages", "msg", "diag", "base_url", "text", "terms", "ignore", "files", "timings", "today",
        ],
    ),
    ("config", &["config"]),
    ("model", &["model"]),
    ("content", &["content"]),
    ("score", &["score"]),
    ("insight", &["insight"]),
    ("render", &["render"]),
    ("output", &["output"]),
    ("build", &["build"]),
    ("drivers", &["serve", "scaffold", "main", "cli_help", "lib"]),
];

fn stage_of_module(module: &str) -> Option<usize> {
    STAGES.iter().position(|(_, modules)| modules.contains(&module))
}

fn sources() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(|e| e.expect("src/ is readable"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    assert!(
        out.len() > 20,
        "found only {} source files under {}",
        out.len(),
        src.display()
    );
    out
}

/// The top-level module a file under src/ belongs to: `src/render/pages/team.rs` → `render`.
fn module_of(file: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = file.strip_prefix(&src).expect("a file under src/");
    let first = rel.components().next().expect("a path under src/");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// Every `crate::<module>` a source names (in `use` lines and in paths), with its line.
fn crate_references(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `okrsite_crate::` or `$crate::` are not this crate's module paths.
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') && !name.is_empty() {
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn no_module_imports_from_a_later_stage() {
    let mut wrong = Vec::new();
    for file in sources() {
        let module = module_of(&file);
        let Some(own) = stage_of_module(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no stage in ARCHITECTURE.md",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a readable source");
        for (line, used) in crate_references(&text) {
            match stage_of_module(&used) {
                Some(theirs) if theirs > own => wrong.push(format!(
                    "{}:{line}: `{module}` ({}) uses `crate::{used}` ({}), a later stage",
                    file.display(),
                    STAGES[own].0,
                    STAGES[theirs].0
                )),
                Some(_) => {}
                None => wrong.push(format!("{}:{line}: `crate::{used}` has no stage", file.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_stage_check_sees_a_backward_import() {
    // The check above must be able to fail: a render file naming the build stage is caught.
    let refs = crate_references("use crate::build::BuildError; // crate::serve in a comment\n");
    assert_eq!(refs, vec![(1, "build".to_string())]);
    let render = stage_of_module("render").unwrap();
    assert!(stage_of_module("build").unwrap() > render);
    assert!(stage_of_module("domain").unwrap() < stage_of_module("config").unwrap());
}

/// A file a reader can hold in mind: past this, split it by what its parts are about.
const MAX_LINES: usize = 700;

#[test]
fn no_file_is_over_700_lines() {
    let mut long = Vec::new();
    for file in sources() {
        let text = std::fs::read_to_string(&file).expect("a readable source");
        let lines = text.lines().count();
        if lines > MAX_LINES {
            long.push(format!("{}: {lines} lines", file.display()));
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines:\n{}", long.join("\n"));
}

#[test]
fn no_error_is_a_bare_string() {
    let mut wrong = Vec::new();
    for file in sources() {
        let text = std::fs::read_to_string(&file).expect("a readable source");
        for (n, line) in text.lines().enumerate() {
            let squashed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if squashed.contains(",String>") && squashed.contains("Result<") {
                wrong.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "errors should be typed:\n{}", wrong.join("\n"));
}
