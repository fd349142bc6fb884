//! Issue 15 regression tests: every input shape costs time in proportion to its size.
//!
//! Each input below took the old code from several seconds to minutes in a release
//! build (bench/shapes.sh measures them; BENCHMARKS.md, "Input shapes"); the limits
//! are generous and only catch a return of the quadratic step, in a debug build.

#[allow(unused_imports)]
use super::*;

/// Generous: a hang, not a speed target.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `okrsite <args> --root <root>`, failing the test when it takes longer than [`LIMIT`].
/// Output goes to files: a full pipe would stop the child.
fn run_within(root: &Path, args: &[&str]) -> Output {
    run_within_limit(root, args, LIMIT)
}

/// [`run_within`] with another limit, for a run that writes tens of thousands of
/// files (bound by the file system; a debug build on a busy machine needs minutes).
fn run_within_limit(root: &Path, args: &[&str], limit: Duration) -> Output {
    let logs = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (logs.path().join("out"), logs.path().join("err"));
    let mut child = okrsite()
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("okrsite {args:?} took over {limit:?}: a quadratic step is back");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    }
}

fn site_with_retro(body: &str) -> tempfile::TempDir {
    let site = common::site(None);
    std::fs::write(
        site.path().join("content/2025-Q3/product.md"),
        format!("---\ntitle: shapes\n---\n\n{body}"),
    )
    .unwrap();
    site
}

/// Builds a retrospective of this body; it must build, in time.
fn builds(body: &str) -> String {
    let site = site_with_retro(body);
    let out = tempfile::tempdir().unwrap();
    // 40,000 team pages: bound by the file system, not by the chain.
    let o = run_within_limit(
        site.path(),
        &["build", "--output", out.path().join("p").to_str().unwrap()],
        Duration::from_secs(300),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_to_string(out.path().join("p/quarters/2025-Q3/product/index.html")).unwrap()
}

#[test]
fn escaped_stars_render_in_linear_time() {
    // 2,400,000 text events, each copied into the whole run before: 300,000 took 6.5 s
    // in a release build, and the copying (memmove) is as fast in a debug build.
    let html = builds(&"a\\*".repeat(1_200_000));
    assert!(html.contains("a*a*a*"));
}

#[test]
fn empty_list_items_and_table_cells_render_in_linear_time() {
    // Search sections looked from every break to the next text: 80,000 empty items 6.7 s.
    builds(&"-\n".repeat(160_000));
    let cols = 120;
    let table = format!(
        "|{}\n|{}\n{}",
        " a |".repeat(cols),
        "---|".repeat(cols),
        format!("|{}\n", " |".repeat(cols)).repeat(1_600)
    );
    builds(&table);
}

#[test]
fn deep_nesting_renders_flat_in_linear_time() {
    // The sanitiser's parser scans every open element for each new one.
    for body in ["- ".repeat(40_000) + "x\n", "> ".repeat(90_000) + "x\n"] {
        let html = builds(&body);
        assert!(html.contains('x'));
    }
    let html = builds(&"<div>".repeat(100_000));
    // Raw HTML past the nesting limit is shown as text, so nothing is lost and no
    // tree is deeper than the limit.
    assert!(html.contains("&lt;div&gt;"), "the tags past the limit are text");
}

#[test]
fn many_learnings_are_checked_in_linear_time() {
    // Each learning's line was counted from the top of the file: 60,000 took 23.9 s.
    let n = 60_000;
    let body = format!(
        "## 学び\n{}",
        (0..n).map(|i| format!("- 学び{i}\n")).collect::<String>()
    );
    let site = site_with_retro(&body);
    let o = run_within(site.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn okrs(site: &Path, yaml: &str) {
    std::fs::write(site.join("content/2025-Q3/product.yaml"), yaml).unwrap();
}

#[test]
fn thousands_of_diagnostics_in_one_file_are_found_in_linear_time() {
    // Each diagnostic re-read the whole file to find its line: 8,000 KRs naming
    // unknown metrics took over 120 s, 3,000 duplicate KR ids 25 s.
    let site = common::site(None);
    let n = 8_000;
    let krs: String = (0..n)
        .map(|i| format!("      - id: k{i}\n        title: KR {i}\n        metric: nope-{i}\n        baseline: 0\n        target: 1\n"))
        .collect();
    okrs(
        site.path(),
        &format!("objectives:\n  - id: o\n    title: O\n    key_results:\n{krs}"),
    );
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // The last one is located exactly: its `metric` on the fourth line of its KR.
    let line = 4 + 5 * (n - 1) + 3;
    assert!(
        err.contains(&format!("content/2025-Q3/product.yaml:{line}:17"))
            && err.contains("metric `nope-7999` does not exist"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );

    let krs: String = (0..3_000)
        .map(|i| format!("      - id: same\n        title: KR {i}\n        score: 0.5\n"))
        .collect();
    okrs(
        site.path(),
        &format!("objectives:\n  - id: o\n    title: O\n    key_results:\n{krs}"),
    );
    let o = run_within(site.path(), &["check"]);
    assert!(stderr(&o).contains("duplicate key result id `same`"), "{}", stderr(&o));

    // One warning per objective: 5,000 took 49 s.
    let objectives: String = (0..5_000)
        .map(|i| format!("  - id: o{i}\n    title: O {i}\n    key_results:\n      - {{title: K, score: 0.5}}\n"))
        .collect();
    okrs(site.path(), &format!("objectives:\n{objectives}"));
    let o = run_within(site.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("objective `o4999` (O 4999) has 1 key result"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn thousands_of_team_diagnostics_are_found_in_linear_time() {
    // Every unknown parent compared against every team id and listed them all: 4,000
    // teams took 38 s and printed every id 4,000 times.
    let site = common::site(None);
    let mut teams = String::from("- id: company\n  name: C\n- id: product\n  name: P\n  parent: company\n");
    teams.extend((0..4_000).map(|i| format!("- id: team-{i}\n  name: T{i}\n  parent: nobody-{i}\n")));
    std::fs::write(site.path().join("content/teams.yaml"), teams).unwrap();
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..2000.min(err.len())]);
    assert!(err.contains("parent `nobody-3999` names no team"));
    assert!(
        err.len() < 10_000_000,
        "the help lists a bounded number of ids: {} bytes",
        err.len()
    );
}

#[test]
fn a_deep_parent_chain_is_checked_in_linear_time() {
    // Each team's parents were walked to the top: a 20,000-deep chain took 12.6 s.
    let site = common::site(None);
    let mut teams = String::from("- id: company\n  name: C\n- id: product\n  name: P\n  parent: company\n");
    teams.push_str("- id: t0\n  name: T0\n  parent: company\n");
    teams.extend((1..40_000).map(|i| format!("- id: t{i}\n  name: T{i}\n  parent: t{}\n", i - 1)));
    std::fs::write(site.path().join("content/teams.yaml"), teams).unwrap();
    let o = run_within(site.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The team tree was walked by recursion: a 40,000-deep chain overflowed the stack
    // (an abort, exit 134), and each team was looked for in the whole list.
    let out = tempfile::tempdir().unwrap();
    // 40,000 team pages: bound by the file system, not by the chain.
    let o = run_within_limit(
        site.path(),
        &["build", "--output", out.path().join("p").to_str().unwrap()],
        Duration::from_secs(300),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.path().join("p/teams/t39999/index.html").is_file());
    // A cycle is still found, and named.
    std::fs::write(
        site.path().join("content/teams.yaml"),
        "- id: company\n  name: C\n  parent: product\n- id: product\n  name: P\n  parent: company\n",
    )
    .unwrap();
    let o = run_within(site.path(), &["check"]);
    assert!(
        stderr(&o).contains("a cycle of parents: company → product → company"),
        "{}",
        stderr(&o)
    );
}

// --- remaining shapes ---

#[test]
fn a_long_parent_cycle_is_reported_once_in_linear_time() {
    // Each team on a cycle walked the whole cycle and reported it, every name in it:
    // 10,000 teams in one cycle took 16 s and 1 GB in a release build (5,000: 3 s).
    let site = common::site(None);
    let n = 20_000;
    let mut teams = String::from("- id: company\n  name: C\n- id: product\n  name: P\n  parent: company\n");
    teams.extend((0..n).map(|i| format!("- id: t{i}\n  name: T{i}\n  parent: t{}\n", (i + 1) % n)));
    std::fs::write(site.path().join("content/teams.yaml"), teams).unwrap();
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..2000.min(err.len())]);
    assert_eq!(
        err.matches("a cycle of parents").count(),
        1,
        "once: {}",
        &err[..2000.min(err.len())]
    );
    // At the first team of the cycle, named by its ends.
    assert!(
        err.contains("content/teams.yaml:8:11")
            && err.contains(&format!(
                "a cycle of parents: t0 → t1 → t2 → t3 → … ({} more) … →",
                n - 8
            )),
        "{err}"
    );
    // Two cycles are two errors, a team leading into one is none.
    std::fs::write(
        site.path().join("content/teams.yaml"),
        "- {id: a, name: A, parent: b}\n- {id: b, name: B, parent: a}\n- {id: c, name: C, parent: c}\n- {id: d, name: D, parent: a}\n",
    )
    .unwrap();
    let err = stderr(&run_within(site.path(), &["check"]));
    assert!(err.contains("a cycle of parents: a → b → a"), "{err}");
    assert!(err.contains("a cycle of parents: c → c"), "{err}");
    assert_eq!(err.matches("a cycle of parents").count(), 2, "{err}");
}

#[test]
fn thousands_of_broken_list_elements_are_reported_in_linear_time() {
    // Each broken element re-read the file up to itself: 5,000 check-ins with a wrong
    // status took 42 s in a release build, 2,500 KRs with an unknown key 14 s.
    let site = common::site(None);
    let n = 10_000;
    let checkins: String = (0..n)
        .map(|i| format!("          - {{date: 2025-09-15, status: blue{i}}}\n"))
        .collect();
    okrs(
        site.path(),
        &format!(
            "objectives:\n  - id: o\n    title: O\n    key_results:\n      - title: K\n        score: 0.5\n        checkins:\n{checkins}"
        ),
    );
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..2000.min(err.len())]);
    // The first ones are explained where they are, the rest counted in one error at
    // the first not explained (the 51st check-in's status, line 8 + 50).
    assert!(
        err.contains("content/2025-Q3/product.yaml:8:40"),
        "{}",
        &err[..2000.min(err.len())]
    );
    assert!(err.contains("blue0"), "{}", &err[..2000.min(err.len())]);
    assert!(
        err.contains(&format!(
            "{} more problems in this file, the first of them here",
            n - 50
        )) && err.contains("content/2025-Q3/product.yaml:58:40"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(err.matches("error").count() < 200, "{}", &err[..2000.min(err.len())]);

    let krs: String = (0..n)
        .map(|i| format!("      - title: KR {i}\n        score: 0.5\n        scroe{i}: 1\n"))
        .collect();
    okrs(
        site.path(),
        &format!("objectives:\n  - id: o\n    title: O\n    key_results:\n{krs}"),
    );
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert!(err.contains("scroe0"), "{}", &err[..2000.min(err.len())]);
    assert!(
        err.contains(&format!("{} more problems in this file", n - 50)),
        "{}",
        &err[..2000.min(err.len())]
    );
}

#[test]
fn diagnostics_in_a_file_with_an_anchor_are_found_in_linear_time() {
    // The position index leaves files with anchors to a re-read per diagnostic: one
    // anchor and 2,000 KRs naming unknown metrics took 26 s in a release build.
    let site = common::site(None);
    let n = 8_000;
    let krs: String = (0..n)
        .map(|i| format!("      - id: k{i}\n        title: KR {i}\n        metric: nope-{i}\n        baseline: 0\n        target: 1\n"))
        .collect();
    okrs(
        site.path(),
        &format!("objectives:\n  - id: o\n    title: &t O\n    key_results:\n{krs}"),
    );
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..2000.min(err.len())]);
    // The first ones are located exactly, the rest name their node.
    assert!(
        err.contains("content/2025-Q3/product.yaml:7:17") && err.contains("metric `nope-0` does not exist"),
        "{}",
        &err[..2000.min(err.len())]
    );
    assert!(
        err.contains("metric `nope-7999` does not exist: there is no content/metrics/nope-7999.yaml (at `objectives[0].key_results[7999].metric`)"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
}

#[test]
fn thousands_of_diagnostics_on_one_long_line_are_rendered_in_linear_time() {
    // Each diagnostic counted the characters of its line up to its column, and looked
    // for the line's ends: 10,000 on one 800 KB line took 27 s in a release build.
    let site = common::site(None);
    let n = 10_000;
    let objectives: Vec<String> = (0..n)
        .map(|i| {
            format!("{{id: o{i}, title: 目標, key_results: [{{title: K, metric: nope{i}, baseline: 0, target: 1}}]}}")
        })
        .collect();
    let line = format!("objectives: [{}]", objectives.join(", "));
    okrs(site.path(), &format!("{line}\n"));
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..2000.min(err.len())]);
    // The last one, at its column in characters (目標 is two), quoted around it.
    let column = line[..line.find("nope9999").unwrap()].chars().count() + 1;
    assert!(
        err.contains(&format!("content/2025-Q3/product.yaml:1:{column}"))
            && err.contains("metric `nope9999` does not exist")
            && err.contains("metric: nope9999, baseline"),
        "{}",
        &err[err.len().saturating_sub(3000)..]
    );
}

#[test]
fn unknown_metrics_among_thousands_of_metric_files_are_found_in_linear_time() {
    // The known metric ids were gathered and sorted again for each unknown one: 10,000
    // metric files and 10,000 KRs naming unknown metrics took 10.6 s in a release build.
    let site = common::site(None);
    let n = 12_000;
    for i in 0..n {
        std::fs::write(
            site.path().join(format!("content/metrics/m{i}.yaml")),
            "name: S\nunit: x\ndirection: increase\naggregate: sum\npoints: {2025-07-07: 1}\n",
        )
        .unwrap();
    }
    let krs: String = (0..n)
        .map(|i| format!("      - {{title: K, metric: nope{i}, baseline: 0, target: 1}}\n"))
        .collect();
    okrs(
        site.path(),
        &format!("objectives:\n  - id: o\n    title: O\n    key_results:\n{krs}"),
    );
    let o = run_within(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..2000.min(err.len())]);
    // The help lists the known ids in order, a bounded number of them.
    assert!(
        err.contains(&format!("known: m0, m1, m10, m100, m1000, m10000, m10001, m10002, m10003, m10004, m10005, m10006, m10007, m10008, m10009, m1001, m10010, m10011, m10012, m10013, … ({} more)", n + 2 - 20)),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
}

/// Builds `site` into a fresh folder; returns the peak memory of the build (its
/// maximum resident set, read with `wait4`) in MB.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also gives its peak memory
fn build_peak_mb(site: &Path) -> u64 {
    let out = tempfile::tempdir().unwrap();
    let child = okrsite()
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--output")
        .arg(out.path().join("p"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is valid, and `wait4` reaps only our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed: {status}"
    );
    assert!(out.path().join("p/index.html").is_file());
    // ru_maxrss is in KB on Linux.
    usage.ru_maxrss as u64 / 1024
}

#[cfg(target_os = "linux")]
#[test]
fn a_big_retrospective_builds_in_memory_in_proportion_to_its_size() {
    // 4 MB of short paragraphs (3 Markdown events each) peaked at 630 MB in a release
    // build, 1 GB at 8 MB: the whole document's events were held at once, twice (the
    // page and its search sections). Now about 190 MB, and 310 MB at 8 MB (debug
    // builds use a little less). The bound is loose; the old cost was far above it.
    let body = "段落 a\n\n".repeat(4 * 1024 * 1024 / 11);
    let site = site_with_retro(&body);
    let peak = build_peak_mb(site.path());
    assert!(peak < 400, "a 4 MB retrospective's build peaked at {peak} MB");
}
