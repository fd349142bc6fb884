//! Diagnostics a newcomer can act on, tried on an English site (and one run on a
//! Japanese one): YAML structure errors said as what to do, every problem of a file
//! in one run, no warning caused by an error already reported, hints for values
//! that are nearly right, and suggested fixes that are valid themselves.
//!
//! Each test writes the mistake into a copy of the base fixture (today is
//! 2025-11-01: 2025-Q3 has ended, 2025-Q4 runs) and asserts the file, line and
//! column, what is wrong and what to do.

use std::path::Path;

use crate::common::*;

/// An English site: the base fixture with `language = "en"` and `files` written.
fn english_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = japanese_site(files);
    let config = dir.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("language = \"en\"\n{text}")).unwrap();
    dir
}

/// The base fixture (a Japanese site) with `files` written.
fn japanese_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = site(None);
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `okrsite check` in `lang`: the diagnostics, one block each.
fn check_in(root: &Path, lang: &str) -> Vec<String> {
    let out = okrsite()
        .env("OKRSITE_LANG", lang)
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr.split("\n\n").map(str::to_string).collect()
}

fn check(root: &Path) -> Vec<String> {
    check_in(root, "en")
}

/// `okrsite check` on an English site whose `content/2025-Q3/company.yaml` is `text`.
fn check_company(text: &str) -> Vec<String> {
    let site = english_site(&[("content/2025-Q3/company.yaml", text)]);
    check(site.path())
}

/// The one block at `location` (`file:line:column`), asserted to hold each of `words`.
fn reported<'a>(blocks: &'a [String], location: &str, words: &[&str]) -> &'a str {
    let found: Vec<&String> = blocks.iter().filter(|b| b.contains(location)).collect();
    assert_eq!(
        found.len(),
        1,
        "one diagnostic at {location} in:\n{}",
        blocks.join("\n\n")
    );
    for w in words {
        assert!(found[0].contains(w), "`{w}` at {location} in:\n{}", found[0]);
    }
    found[0]
}

fn errors(blocks: &[String]) -> usize {
    blocks.iter().filter(|b| b.starts_with("error")).count()
}

/// The warnings about `file` (the base fixture's retrospective has Japanese headings,
/// so an English site warns about its review sections).
fn warnings_in(blocks: &[String], file: &str) -> usize {
    blocks
        .iter()
        .filter(|b| b.starts_with("warning") && b.contains(file))
        .count()
}

const CHECKIN_KR: &str = "objectives:
  - id: grow
    title: Lift retention
    key_results:
      - id: signups
        title: Sign-ups to 300
        metric: signups
        baseline: 0
        target: 300
        checkins:
          - date: 2025-07-15
            status: green
";

#[test]
fn a_key_indented_one_column_short_is_told_where_to_go() {
    let text = format!("{CHECKIN_KR}           note: on track\n");
    let blocks = check_company(&text);
    reported(
        &blocks,
        "content/2025-Q3/company.yaml:13:12",
        &[
            "`note:` starts at column 12, where no key above does",
            "indent `note:` to column 13, under `status:` (line 12)",
        ],
    );
    assert!(
        !blocks.join("").contains("did not find expected"),
        "no raw parser words"
    );
    // One column too far is the same mistake.
    let text = format!("{CHECKIN_KR}             note: on track\n");
    reported(
        &check_company(&text),
        "content/2025-Q3/company.yaml:13:14",
        &["indent `note:` to column 13, under `status:` (line 12)"],
    );
}

#[test]
fn a_list_item_at_the_wrong_level_and_a_key_in_a_list_item() {
    let text = "objectives:
  - id: grow
    title: Lift retention
    key_results:
      - title: Sign-ups to 300
        score: 0.5
    - title: Price page live
      score: 1
";
    reported(
        &check_company(text),
        "content/2025-Q3/company.yaml:7:5",
        &[
            "`- title: Price page live` starts at column 5, where no list above does",
            "move the item (and the lines under it) to column 7, in line with the `-` on line 5",
        ],
    );
    let text = "- id: company\n  name: Company\n- id: product\n name: Product\n";
    let site = english_site(&[("content/teams.yaml", text)]);
    reported(
        &check(site.path()),
        "content/teams.yaml:4:2",
        &["indent `name:` to column 3, under `id:` (line 3)"],
    );
}

#[test]
fn a_tab_in_the_indentation_is_pointed_at() {
    let text = "objectives:\n  - id: grow\n    title: Lift retention\n    key_results:\n      - title: Price page live\n\tscore: 1\n";
    reported(
        &check_company(text),
        "content/2025-Q3/company.yaml:6:1",
        &[
            "a tab in the indentation: YAML indents with spaces only",
            "replace the tab with spaces",
        ],
    );
}

#[test]
fn an_unclosed_quote_a_missing_space_and_a_colon_in_a_title() {
    let site = english_site(&[(
        "content/2025-Q3/company.yaml",
        "objectives:\n  - id: grow\n    title: \"Lift retention\n    key_results:\n      - {title: a, score: 1}\n",
    )]);
    reported(
        &check(site.path()),
        "content/2025-Q3/company.yaml:3:12",
        &["this `\"` opens a quoted text that is never closed"],
    );
    let site = english_site(&[(
        "content/2025-Q3/company.yaml",
        "objectives:\n  - id: grow\n    title: Lift retention\n    key_results:\n      - title: a\n        score:1\n",
    )]);
    reported(
        &check(site.path()),
        "content/2025-Q3/company.yaml:6:14",
        &["`score:1` needs a space after the colon", "write `score: 1`"],
    );
    let site = english_site(&[(
        "content/2025-Q3/company.yaml",
        "objectives:\n  - id: grow\n    title: Q3: lift retention\n    key_results:\n      - {title: a, score: 1}\n",
    )]);
    reported(
        &check(site.path()),
        "content/2025-Q3/company.yaml:3:14",
        &["put the text in quotes: `title: \"Q3: lift retention\"`"],
    );
}

#[test]
fn every_problem_of_one_kr_is_reported_in_one_run() {
    let text = "objectives:
  - id: grow
    title: Lift retention
    key_results:
      - title: Sign-ups to 300
        metric: signups
        baseline: 0%
        targte: 300
        weight: heavy
        score: 80%
        checkins:
          - date: 2025/09/15
            status: amber
            confidence: 70%
      - title: Price page live
        score: 1
";
    let blocks = check_company(text);
    let f = "content/2025-Q3/company.yaml";
    reported(
        &blocks,
        &format!("{f}:7:19"),
        &[
            "`baseline` must be a number, but it is the text `0%`",
            "write the number alone: 0",
        ],
    );
    reported(
        &blocks,
        &format!("{f}:8:9"),
        &["unknown key `targte` in a key result", "did you mean `target`?"],
    );
    reported(
        &blocks,
        &format!("{f}:9:17"),
        &["`weight` must be a number, but it is the text `heavy`"],
    );
    reported(
        &blocks,
        &format!("{f}:10:16"),
        &[
            "`score` must be a number from 0 to 1, but it is the text `80%`",
            "write a share: 0.8",
        ],
    );
    reported(
        &blocks,
        &format!("{f}:12:19"),
        &["`2025/09/15` is not a date", "write it `2025-09-15` (YYYY-MM-DD)"],
    );
    reported(
        &blocks,
        &format!("{f}:13:21"),
        &[
            "unknown value `amber` for `status`; expected one of: green, yellow, red",
            "did you mean `yellow`?",
        ],
    );
    reported(&blocks, &format!("{f}:14:25"), &["write a share: 0.7"]);
    assert_eq!(errors(&blocks), 7, "{}", blocks.join("\n\n"));
    // The objective keeps its other KR: no warning that it has only one.
    assert_eq!(warnings_in(&blocks, "company.yaml"), 0, "{}", blocks.join("\n\n"));
}

#[test]
fn near_misses_of_values_get_the_value_meant() {
    let okrs = "objectives:
  - id: grow
    title: Lift retention
    key_results:
      - title: Sign-ups to 300
        metric: signups
        baseline: 0
        target: 300
        checkins:
          - {date: 2025-09-01, status: Green, confidence: 0.5}
          - {date: 2025-09-08, status: on track}
          - {date: 2025-09-15, status: 緑, confidence: 70}
          - {date: 2025-09-22, status: grey}
      - title: Price page live
        score: \"0.5\"
";
    let metric = "name: Revenue\nunit: JPY\ndirection: up\ncadence: Weekly\nprivate: yes\n";
    let site = english_site(&[
        ("content/2025-Q3/company.yaml", okrs),
        ("content/metrics/arr.yaml", metric),
    ]);
    let blocks = check(site.path());
    let f = "content/2025-Q3/company.yaml";
    reported(&blocks, &format!("{f}:10:40"), &["did you mean `green`?"]);
    reported(&blocks, &format!("{f}:11:40"), &["did you mean `green`?"]);
    reported(&blocks, &format!("{f}:12:40"), &["did you mean `green`?"]);
    reported(&blocks, &format!("{f}:13:40"), &["unknown value `grey` for `status`"]);
    reported(&blocks, &format!("{f}:15:16"), &["write it without quotes: `0.5`"]);
    let m = "content/metrics/arr.yaml";
    reported(
        &blocks,
        &format!("{m}:3:12"),
        &["unknown value `up` for `direction`", "did you mean `increase`?"],
    );
    reported(&blocks, &format!("{m}:4:10"), &["did you mean `weekly`?"]);
    reported(
        &blocks,
        &format!("{m}:5:10"),
        &["`private` must be true or false", "write `true`"],
    );
}

#[test]
fn a_confidence_or_score_written_as_a_percentage_is_told_the_share() {
    let okrs = "objectives:
  - id: grow
    title: Lift retention
    key_results:
      - title: Price page live
        score: 80
        checkins:
          - {date: 2025-09-15, status: green, confidence: 70}
      - title: Second
        score: 0.5
";
    let blocks = check_company(okrs);
    let f = "content/2025-Q3/company.yaml";
    reported(
        &blocks,
        &format!("{f}:6:16"),
        &["score 80 is outside [0, 1]", "write a share: 0.8"],
    );
    reported(
        &blocks,
        &format!("{f}:8:59"),
        &["`confidence` is 70, outside 0 to 1", "write a share: 0.7"],
    );
}

#[test]
fn an_id_in_another_case_is_suggested_in_its_own_case() {
    let okrs = "objectives:
  - id: grow
    title: Lift retention
    aligns_to: Company/Grow
    key_results:
      - title: Revenue
        metric: Signups
        baseline: 0
        target: 300
      - title: Price page live
        score: 1
";
    let site = english_site(&[("content/2025-Q3/product.yaml", okrs)]);
    let blocks = check(site.path());
    let f = "content/2025-Q3/product.yaml";
    reported(
        &blocks,
        &format!("{f}:7:17"),
        &["metric `Signups` does not exist", "did you mean `signups`?"],
    );
    reported(&blocks, &format!("{f}:4:16"), &["did you mean `company/grow`?"]);
}

#[test]
fn a_team_file_named_in_capitals_is_told_a_valid_id() {
    let site = english_site(&[("content/2025-Q3/Marketing.md", "## Learnings\n- a learning\n")]);
    let blocks = check(site.path());
    let block = reported(
        &blocks,
        "content/2025-Q3/Marketing.md",
        &[
            "team `Marketing` (the file name) is not in content/teams.yaml",
            "rename the file to `marketing.md` and add `- id: marketing` to teams.yaml",
        ],
    );
    assert!(!block.contains("id: Marketing"), "{block}");
    // A name no id can be made of: no invalid id is proposed.
    let site = english_site(&[("content/2025-Q3/営業.md", "## Learnings\n- a learning\n")]);
    let blocks = check(site.path());
    let block = reported(&blocks, "content/2025-Q3/営業.md", &["pick one (lowercase letters"]);
    assert!(!block.contains("id: 営業"), "{block}");
    // A KR id that breaks the slug rule gets one that keeps it.
    let okrs = "objectives:\n  - id: Grow Fast\n    title: t\n    key_results:\n      - {title: a, score: 1}\n      - {title: b, score: 1}\n";
    reported(
        &check_company(okrs),
        "content/2025-Q3/company.yaml:2:9",
        &["objective id `Grow Fast` breaks the slug rule", "e.g. `grow-fast`"],
    );
}

#[test]
fn a_checkin_with_a_bad_date_raises_no_outdated_warning() {
    let okrs = "objectives:
  - id: grow
    title: Lift retention
    key_results:
      - id: signups
        title: Sign-ups to 300
        metric: signups
        baseline: 0
        target: 300
        checkins:
          - {date: 2025-10-32, status: green}
      - title: Price page live
        score: 0.5
        checkins:
          - {date: 2025-10-28, status: green}
";
    let site = english_site(&[("content/2025-Q4/company.yaml", okrs)]);
    let blocks = check(site.path());
    reported(
        &blocks,
        "content/2025-Q4/company.yaml:11:20",
        &["`2025-10-32` is an impossible date: 2025-10 has 31 days"],
    );
    assert_eq!(errors(&blocks), 1, "{}", blocks.join("\n\n"));
    assert_eq!(
        warnings_in(&blocks, "company.yaml"),
        0,
        "no false outdated warning:\n{}",
        blocks.join("\n\n")
    );
    // Without the broken check-in the KR is outdated, and named by its title.
    let site = english_site(&[(
        "content/2025-Q4/company.yaml",
        &okrs.replacen(
            "        checkins:\n          - {date: 2025-10-32, status: green}\n",
            "",
            1,
        ),
    )]);
    let blocks = check(site.path());
    reported(
        &blocks,
        "content/2025-Q4/company.yaml:5:9",
        &[
            "KR `grow/signups` (Sign-ups to 300) is outdated: it has had no check-in since the quarter began, 31 days ago",
        ],
    );
}

#[test]
fn every_problem_of_a_front_matter_is_reported_in_one_run() {
    let md =
        "---\ntitle: Review\ndate: 2025/10/03\ntags: retro\ndraft: no\nauthor: me\n---\n## Learnings\n- a learning\n";
    let site = english_site(&[("content/2025-Q3/product.md", md)]);
    let blocks = check(site.path());
    let f = "content/2025-Q3/product.md";
    reported(&blocks, &format!("{f}:3:7"), &["write it `2025-10-03`"]);
    reported(
        &blocks,
        &format!("{f}:4:7"),
        &["`tags` must be a list", "write a list: `[retro]`"],
    );
    reported(&blocks, &format!("{f}:5:8"), &["write `false`"]);
    reported(
        &blocks,
        &format!("{f}:6:1"),
        &["unknown key `author` in the front matter", "did you mean `authors`?"],
    );
    assert_eq!(errors(&blocks), 4, "{}", blocks.join("\n\n"));
}

#[test]
fn a_japanese_site_is_told_in_japanese() {
    let text = format!("{CHECKIN_KR}           note: 順調\n");
    let site = japanese_site(&[("content/2025-Q3/company.yaml", &text)]);
    let blocks = check_in(site.path(), "ja");
    reported(
        &blocks,
        "content/2025-Q3/company.yaml:13:12",
        &[
            "エラー: `note:` が12桁目から始まっていますが、上にその桁のキーはありません",
            "ヒント: `note:` を13桁目まで字下げし、12行目の `status:` の下に揃えてください",
        ],
    );
    let okrs = "objectives:\n  - id: grow\n    title: 継続率を上げる\n    key_results:\n      - title: 価格ページ\n        score: 80%\n      - title: 登録\n        score: 0.5\n        checkins:\n          - {date: 2025-09-15, status: 黄}\n";
    let site = japanese_site(&[("content/2025-Q3/company.yaml", okrs)]);
    let blocks = check_in(site.path(), "ja");
    reported(
        &blocks,
        "content/2025-Q3/company.yaml:6:16",
        &[
            "`score` には0から1の数値を書きます（いまは文字列 `80%`）",
            "割合で書いてください: 0.8",
        ],
    );
    reported(
        &blocks,
        "content/2025-Q3/company.yaml:10:40",
        &["`yellow` のことですか？"],
    );
}

#[test]
fn an_objective_that_cannot_be_read_raises_no_error_where_it_is_named() {
    // `grow` has a wrong type: product's `aligns_to: company/grow` is not also "names no objective".
    let company = "objectives:\n  - id: grow\n    title: Lift retention\n    owner: [a, b]\n    key_results:\n      - {title: a, score: 1}\n      - {title: b, score: 1}\n";
    let blocks = check_company(company);
    reported(
        &blocks,
        "content/2025-Q3/company.yaml:4:12",
        &["`owner` must be text, but it is a list"],
    );
    assert_eq!(errors(&blocks), 1, "{}", blocks.join("\n\n"));
}
