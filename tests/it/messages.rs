//! The command line's message catalogues (`src/messages/{en,ja}.toml`): complete in
//! both languages, every key used exists, and a Japanese site hears Japanese.

use std::collections::BTreeSet;
use std::path::Path;

use okrsite::messages::{self, Lang, parse_catalogue, placeholders};

use crate::common;

/// Each key of a catalogue with the placeholders of its texts.
fn keys_and_placeholders(lang: Lang) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let catalogue = parse_catalogue(messages::source(lang)).expect("the catalogue is valid TOML");
    catalogue
        .iter()
        .map(|(key, entry)| {
            let names = entry.texts().into_iter().flat_map(placeholders).collect();
            (key.clone(), names)
        })
        .collect()
}

#[test]
fn both_catalogues_hold_the_same_keys_with_the_same_placeholders() {
    let en = keys_and_placeholders(Lang::En);
    let ja = keys_and_placeholders(Lang::Ja);
    let en_keys: BTreeSet<&String> = en.keys().collect();
    let ja_keys: BTreeSet<&String> = ja.keys().collect();
    let only_en: Vec<_> = en_keys.difference(&ja_keys).collect();
    let only_ja: Vec<_> = ja_keys.difference(&en_keys).collect();
    assert!(only_en.is_empty(), "missing from ja.toml: {only_en:?}");
    assert!(only_ja.is_empty(), "missing from en.toml: {only_ja:?}");
    for (key, names) in &en {
        assert_eq!(names, &ja[key], "`{key}` has other placeholders in ja.toml");
    }
}

/// Every `msg!("key"` in `src/`.
fn keys_used_in_source() -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut used = BTreeSet::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Code only: the docs show the macro with made-up keys.
        let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
        let code = code.join("\n");
        for (i, _) in code.match_indices("msg!(") {
            if let Some(quoted) = code[i + 5..].trim_start().strip_prefix('"') {
                let key = &quoted[..quoted.find('"').unwrap()];
                used.insert(key.to_owned());
            }
        }
    }
    used
}

#[test]
fn every_key_used_is_in_the_catalogue_and_every_entry_is_used() {
    let en = keys_and_placeholders(Lang::En);
    let used = keys_used_in_source();
    let missing: Vec<_> = used.iter().filter(|k| !en.contains_key(*k)).collect();
    assert!(missing.is_empty(), "used but not in en.toml: {missing:?}");
    let unused: Vec<_> = en.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "in en.toml but used nowhere: {unused:?}");
}

#[test]
fn the_key_scan_sees_the_keys() {
    // Guards the test above: a scan that found nothing would pass it vacuously.
    let used = keys_used_in_source();
    assert!(
        used.contains("check.summary") && used.contains("diag.error"),
        "{used:?}"
    );
}

/// `okrsite check` on the base fixture (a Japanese site) with one error, as the user
/// runs it: no `OKRSITE_LANG`.
fn check_with_error(lang_var: Option<&str>) -> String {
    let site = common::site(None);
    std::fs::write(site.path().join("content/2025-Q3/nope.yaml"), "objectives: []\n").unwrap();
    let mut cmd = common::okrsite();
    cmd.env_remove("OKRSITE_LANG");
    if let Some(v) = lang_var {
        cmd.env("OKRSITE_LANG", v);
    }
    let out = cmd.args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_japanese_site_is_checked_in_japanese() {
    let stderr = check_with_error(None);
    assert!(stderr.contains("エラー"), "{stderr}");
    assert!(stderr.contains("エラー1件、警告"), "{stderr}");
    assert!(!stderr.contains("1 error"), "{stderr}");
}

#[test]
fn okrsite_lang_overrides_the_site_language() {
    let stderr = check_with_error(Some("en"));
    assert!(stderr.contains("error"), "{stderr}");
    assert!(stderr.contains("1 error, "), "{stderr}");
    assert!(!stderr.contains("エラー"), "{stderr}");
}

#[test]
fn an_english_site_is_checked_in_english() {
    let site = common::site(None);
    let config = std::fs::read_to_string(site.path().join("okrsite.toml")).unwrap();
    std::fs::write(site.path().join("okrsite.toml"), format!("language = \"en\"\n{config}")).unwrap();
    let out = common::okrsite()
        .env_remove("OKRSITE_LANG")
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(" errors, ") || stderr.contains(" error, "), "{stderr}");
}

#[test]
fn outside_a_site_the_locale_decides() {
    let dir = tempfile::tempdir().unwrap();
    let new_site = dir.path().join("site");
    let out = common::okrsite()
        .env_remove("OKRSITE_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .args(["init"])
        .arg(&new_site)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("作成しました"), "{stderr}");
}

#[test]
fn the_help_and_usage_errors_speak_the_chosen_language() {
    let run = |lang: &str, args: &[&str]| {
        let out = common::okrsite().env("OKRSITE_LANG", lang).args(args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
        (out.status.code(), text)
    };
    let (code, ja) = run("ja", &["check", "--help"]);
    assert_eq!(code, Some(0));
    assert!(
        ja.contains("使い方: okrsite check") && ja.contains("警告もエラーとして扱う"),
        "{ja}"
    );
    assert!(!ja.contains("Usage") && !ja.contains("Print help"), "{ja}");
    let (_, en) = run("en", &["check", "--help"]);
    assert!(
        en.contains("Usage: okrsite check") && en.contains("Treat warnings as errors"),
        "{en}"
    );
    let (code, ja) = run("ja", &["chek"]);
    assert_eq!(code, Some(2));
    assert!(
        ja.contains("`chek` というコマンドはありません") && ja.contains("`check`"),
        "{ja}"
    );
}

/// Errors found by the loader, the teams, the metrics and the alignments, on a
/// Japanese site: none of them speaks English.
#[test]
fn diagnostics_of_every_stage_speak_japanese() {
    let errors = common::fixtures().join("errors");
    let site = common::site(Some(&errors.join("duplicate-team")));
    for overlay in ["drives-cycle", "stray-file", "aligns-to"] {
        common::copy_dir(&errors.join(overlay), site.path());
    }
    let out = common::okrsite()
        .env("OKRSITE_LANG", "ja")
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let pairs = [
        ("duplicate team id", "チームの id `product` が重複しています"),
        ("drives itself", "指標 `signups` が自分自身を drives に挙げています"),
        ("unexpected file in content/", "content/ に想定外のファイルがあります"),
        (
            "names no objective of",
            "に当たる目標が 2025-Q3 の `company` にありません",
        ),
    ];
    for (english, japanese) in pairs {
        assert!(!stderr.contains(english), "`{english}` in:\n{stderr}");
        assert!(stderr.contains(japanese), "`{japanese}` missing from:\n{stderr}");
    }
}
