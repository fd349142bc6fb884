//! `init`, `new` and `completions`.

use assert_cmd::Command;

fn okrsite(epoch: &str) -> Command {
    let mut c = Command::cargo_bin("okrsite").unwrap();
    c.env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .env("OKRSITE_LANG", "en");
    c
}

/// `check --drafts` passes on `site`; its diagnostics.
fn check_drafts(site: &std::path::Path) -> String {
    let out = okrsite(DAYS[0])
        .args(["check", "--drafts", "--root"])
        .arg(site)
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// Sets the base_url `init` leaves relative (`/`) to where the site is published,
/// as its okrsite.toml's comment asks: `check --strict` then has nothing to say.
fn publish_at_an_address(site: &std::path::Path) {
    let toml = site.join("okrsite.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("\nbase_url = \"/\"\n"), "{text}");
    let text = text.replace("\nbase_url = \"/\"\n", "\nbase_url = \"https://okr.example.com/\"\n");
    std::fs::write(toml, text).unwrap();
}

/// 2026-11-21 and 2026-01-15 (a new year: the example quarter is the previous year's Q4).
const DAYS: [&str; 2] = ["1795219200", "1768435200"];

#[test]
fn init_makes_a_site_that_passes_check_strict_and_builds() {
    for epoch in DAYS {
        for lang in ["ja", "en"] {
            let dir = tempfile::tempdir().unwrap();
            let site = dir.path().join("okr");
            okrsite(epoch)
                .arg("init")
                .arg(&site)
                .args(["--lang", lang])
                .assert()
                .success();
            // Relative, as init leaves it: no error, one warning (no sitemap or
            // feed without the site's address), which --strict fails on.
            let said = okrsite(epoch).args(["check", "--root"]).arg(&site).assert().success();
            let said = String::from_utf8_lossy(&said.get_output().stderr).into_owned();
            assert!(
                said.contains("0 errors, 1 warning") && said.contains("sitemap.xml"),
                "{said}"
            );
            okrsite(epoch)
                .args(["check", "--strict", "--root"])
                .arg(&site)
                .assert()
                .code(1);
            publish_at_an_address(&site);
            okrsite(epoch)
                .args(["check", "--strict", "--root"])
                .arg(&site)
                .assert()
                .success();
            okrsite(epoch).args(["build", "--root"]).arg(&site).assert().success();
            assert!(site.join("public/index.html").is_file());
            assert_eq!(std::fs::read_to_string(site.join(".gitignore")).unwrap(), "/public\n");
            let toml = std::fs::read_to_string(site.join("okrsite.toml")).unwrap();
            assert!(toml.contains(&format!("language = \"{lang}\"")));
        }
    }
}

#[test]
fn init_ja_starts_the_year_in_april_and_writes_the_review_sections_of_its_language() {
    let expected = [
        (
            "ja",
            "fiscal_year_start_month = 4\n",
            ["成果サマリ", "KRごとの要因分析", "学び", "決定事項", "未解決事項"],
            // 2026-11-21 is in fiscal 2026-Q3 (October to December): the example is 2026-Q2.
            "2026-Q2",
        ),
        (
            "en",
            "fiscal_year_start_month = 1\n",
            [
                "Results summary",
                "Analysis per KR",
                "Learnings",
                "Decisions",
                "Open issues",
            ],
            "2026-Q3",
        ),
    ];
    for (lang, month, sections, quarter) in expected {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("okr");
        okrsite(DAYS[0])
            .arg("init")
            .arg(&site)
            .args(["--lang", lang])
            .assert()
            .success();
        let toml = std::fs::read_to_string(site.join("okrsite.toml")).unwrap();
        assert!(toml.contains(month), "{toml}");
        let listed: Vec<String> = sections.iter().map(|s| format!("\"{s}\"")).collect();
        assert!(
            toml.contains("[review]\n") && toml.contains(&format!("sections = [{}]\n", listed.join(", "))),
            "{toml}"
        );
        let retro = std::fs::read_to_string(site.join(format!("content/{quarter}/product.md"))).unwrap();
        let positions: Vec<usize> = sections
            .iter()
            .map(|h| retro.find(&format!("\n## {h}\n")).expect(h))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{retro}");
        // Its summary states the computed values: objective o1 = mean(0.9, 1.0) = 0.95.
        okrsite(DAYS[0]).args(["build", "--root"]).arg(&site).assert().success();
        let page = std::fs::read_to_string(site.join(format!("public/quarters/{quarter}/product/index.html"))).unwrap();
        let summary = if lang == "ja" {
            "チーム全体のスコアは0.95（達成）。オンボーディング完了率は63%まで上がった。"
        } else {
            "The team's score is 0.95 (Success). Onboarding completion reached 63%."
        };
        assert!(page.contains(summary), "{lang}: {page}");
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    okrsite(DAYS[0]).arg("init").arg(dir.path()).assert().code(2);
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
    assert!(!dir.path().join("okrsite.toml").exists());
}

#[test]
fn new_bridges_from_the_previous_quarter_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("okr");
    okrsite(DAYS[0]).arg("init").arg(&site).assert().success();
    publish_at_an_address(&site);
    // The example quarter is 2026-Q2 (a fiscal year from April); start 2026-Q3.
    okrsite(DAYS[0])
        .args(["new", "2026-Q3", "product", "--root"])
        .arg(&site)
        .assert()
        .success();
    let yaml = std::fs::read_to_string(site.join("content/2026-Q3/product.yaml")).unwrap();
    assert!(
        yaml.contains(
            "#     # 2026-Q2: 0.90 green; baseline: where it ended\n#     - title: オンボーディング完了率を45%→65%\n"
        ),
        "{yaml}"
    );
    assert!(yaml.contains(" green"), "final grade shown: {yaml}");
    assert!(
        yaml.contains("# not_doing:\n# - 新規チャネルの開拓\n"),
        "not-doing list as comments: {yaml}"
    );
    assert!(
        yaml.contains("\nobjectives: []\n"),
        "nothing carried over blindly: {yaml}"
    );
    assert!(
        yaml.ends_with(
            "# 2026-Q2 の振り返りの決定事項:\n#   - 次の四半期は招待を重点にする\n# 2026-Q2 の振り返りの未解決事項:\n#   - 完了の定義を営業と揃える\n"
        ),
        "decisions and open issues as comments: {yaml}"
    );
    let md = std::fs::read_to_string(site.join("content/2026-Q3/product.md")).unwrap();
    assert!(
        md.contains("## 前期からの持ち越し\n\n2026-Q2 の決定事項:\n\n- 次の四半期は招待を重点にする\n\n2026-Q2 の未解決事項:\n\n- 完了の定義を営業と揃える\n"),
        "{md}"
    );
    assert!(
        md.contains("## 成果サマリ\n\n- チーム全体: [[score]]（[[grade]]）\n"),
        "{md}"
    );
    let order = ["成果サマリ", "KRごとの要因分析", "学び", "決定事項", "未解決事項"];
    let positions: Vec<usize> = order.iter().map(|h| md.find(&format!("## {h}")).expect(h)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "review order: {md}");
    assert!(md.contains("draft: true"));
    okrsite(DAYS[0])
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .assert()
        .success();
    // With the draft: its placeholders resolve; only its empty sections are left to write.
    let stderr = check_drafts(&site);
    assert!(stderr.contains("0 errors, 4 warnings"), "{stderr}");
    assert_eq!(stderr.matches("has nothing under it").count(), 4, "{stderr}");

    std::fs::write(site.join("content/2026-Q3/product.md"), "mine").unwrap();
    okrsite(DAYS[0])
        .args(["new", "2026-Q3", "product", "--root"])
        .arg(&site)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(site.join("content/2026-Q3/product.md")).unwrap(),
        "mine"
    );
    okrsite(DAYS[0])
        .args(["new", "2026-Q5", "product", "--root"])
        .arg(&site)
        .assert()
        .code(2);
    okrsite(DAYS[0])
        .args(["new", "2026-Q4", "nobody", "--root"])
        .arg(&site)
        .assert()
        .code(2);
}

/// 2026-08-15: inside fiscal 2026-Q2 (July to September), the example's quarter.
const INSIDE_THE_EXAMPLE: &str = "1786752000";

#[test]
fn new_labels_the_scores_of_a_running_quarter_as_an_outlook() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("okr");
    okrsite(DAYS[0]).arg("init").arg(&site).assert().success();
    okrsite(INSIDE_THE_EXAMPLE)
        .args(["new", "2026-Q3", "product", "--root"])
        .arg(&site)
        .assert()
        .success();
    let yaml = std::fs::read_to_string(site.join("content/2026-Q3/product.yaml")).unwrap();
    assert!(
        yaml.contains("# 2026-Q2:\n# （この四半期はまだ続いています。スコアは確定ではなく見込みです）\n#   オンボーディングで迷わせない (0.95 見込み)\n#     # 2026-Q2: 0.90 見込み; baseline: where it is now\n"),
        "{yaml}"
    );
    assert!(!yaml.contains("green"), "no final grade while it runs: {yaml}");
    // Its review page says so too: a running quarter's grade is an outlook.
    okrsite(INSIDE_THE_EXAMPLE)
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .success();
    let page = std::fs::read_to_string(site.join("public/quarters/2026-Q2/product/index.html")).unwrap();
    assert!(
        page.contains("チーム全体のスコアは0.95（見込み）（達成の見込み）。"),
        "{page}"
    );
}

#[test]
fn carried_titles_and_decisions_cannot_add_structure() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("okr");
    okrsite(DAYS[0]).arg("init").arg(&site).assert().success();
    let hostile = [
        "複数行の\nタイトル: \"x\" # y\n---\n- z",
        "\"引用符\" と 'single': 値 # コメントではない",
        "---",
        "- 先頭がハイフン",
        "# 見出し\r\n## もう一つ",
    ];
    let krs: Vec<serde_yaml::Value> = hostile
        .iter()
        .map(|t| {
            serde_yaml::from_str(&format!("{{title: {}, score: 0.5}}", serde_json::to_string(t).unwrap())).unwrap()
        })
        .collect();
    let okrs = serde_yaml::to_string(&serde_json::json!({
        "objectives": [{"id": "o1", "title": hostile[0], "key_results": krs}],
        "not_doing": hostile,
    }))
    .unwrap();
    std::fs::write(site.join("content/2026-Q2/product.yaml"), okrs).unwrap();
    let decisions = "## 決定事項\n\n- \"引用符\" と 'single': 値 # コメントではない\n- \\---\n- 複数行の\n  決定事項\n- \\- 先頭がハイフン\n- スコア[[score]]で決めた <b>x</b>\n\n## 未解決事項\n\n- `[[score]]` と `## code`\n";
    let retro = std::fs::read_to_string(site.join("content/2026-Q2/product.md")).unwrap();
    let retro = retro.split("## 決定事項").next().unwrap().to_string() + decisions;
    std::fs::write(site.join("content/2026-Q2/product.md"), retro).unwrap();
    okrsite(DAYS[0]).args(["check", "--root"]).arg(&site).assert().success();
    okrsite(DAYS[0])
        .args(["new", "2026-Q3", "product", "--root"])
        .arg(&site)
        .assert()
        .success();
    let yaml = std::fs::read_to_string(site.join("content/2026-Q3/product.yaml")).unwrap();
    let lines: Vec<&str> = yaml.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines, ["objectives: []"], "{yaml}");
    let md = std::fs::read_to_string(site.join("content/2026-Q3/product.md")).unwrap();
    let parsed = okrsite::content::retro::parse(&md, "new.md").unwrap();
    let carried = okrsite::content::retro::extract_learnings(&parsed.body, &["前期からの持ち越し".to_string()]);
    let texts: Vec<&str> = carried.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "\"引用符\" と 'single': 値 # コメントではない",
            "---",
            "複数行の決定事項",
            "- 先頭がハイフン",
            // Its placeholder holds the previous quarter's value: mean(0.5 × 5) = 0.5.
            "スコア0.50で決めた x",
            "[[score]] と ## code",
        ],
        "{md}"
    );
    let stderr = check_drafts(&site);
    assert!(stderr.contains("0 errors"), "{stderr}");
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = okrsite(DAYS[0]).args(["completions", shell]).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(text.contains("okrsite") && text.contains("build"), "{shell}: {text}");
    }
}
