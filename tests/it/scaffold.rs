//! `init`, `new` and `completions`.

use assert_cmd::Command;

fn okrsite(epoch: &str) -> Command {
    let mut c = Command::cargo_bin("okrsite").unwrap();
    c.env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .env("OKRSITE_LANG", "en");
    c
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
    // The example quarter is 2026-Q3; start 2026-Q4 for the product team.
    okrsite(DAYS[0])
        .args(["new", "2026-Q4", "product", "--root"])
        .arg(&site)
        .assert()
        .success();
    let yaml = std::fs::read_to_string(site.join("content/2026-Q4/product.yaml")).unwrap();
    assert!(
        yaml.contains(
            "#     # 2026-Q3: 0.90 green; baseline: where it ended\n#     - title: オンボーディング完了率を45%→65%\n"
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
    let md = std::fs::read_to_string(site.join("content/2026-Q4/product.md")).unwrap();
    let order = ["成果サマリ", "KRごとの要因分析", "学び", "決定事項", "未解決事項"];
    let positions: Vec<usize> = order.iter().map(|h| md.find(&format!("## {h}")).expect(h)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "review order: {md}");
    assert!(md.contains("draft: true"));
    okrsite(DAYS[0])
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .assert()
        .success();

    std::fs::write(site.join("content/2026-Q4/product.md"), "mine").unwrap();
    okrsite(DAYS[0])
        .args(["new", "2026-Q4", "product", "--root"])
        .arg(&site)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(site.join("content/2026-Q4/product.md")).unwrap(),
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

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = okrsite(DAYS[0]).args(["completions", shell]).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(text.contains("okrsite") && text.contains("build"), "{shell}: {text}");
    }
}
