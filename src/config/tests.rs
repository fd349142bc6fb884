//! The tests of `okrsite.toml`'s reading (`config.rs`), one per key or rule.

use super::*;

#[test]
fn defaults_and_normalisation() {
    let c = parse("title = \"T\"\nbase_url = \"/okr\"\n").unwrap();
    assert_eq!(c.base_url.as_str(), "/okr/");
    assert_eq!(c.fiscal_year_start_month, 1);
    assert_eq!(
        c.scoring,
        ScoringThresholds {
            green: 0.6,
            yellow: 0.4,
            too_safe: 0.9
        }
    );
    assert_eq!(c.review_sections[2], "学び");
    assert!(c.tag_aliases.is_empty());
}

#[test]
fn version_2_keys_are_read_and_checked() {
    let c = parse(
        "title = \"T\"\nlanguage = \"en\"\n[scoring]\ntoo_safe = 0.95\n[tags]\naliases = { \"価格\" = \"pricing\" }\n",
    )
    .unwrap();
    assert_eq!(c.scoring.too_safe, 0.95);
    assert_eq!(c.review_sections[0], "Results summary");
    assert_eq!(c.tag_aliases.get("価格").map(String::as_str), Some("pricing"));
    let errors = parse("title = \"T\"\n[scoring]\ngreen = 0.6\ntoo_safe = 0.5\n").unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.to_string().contains("too_safe (0.5) is not above"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[0].position.map(|p| p.line), Some(4));
    let errors = parse("title = \"T\"\n[tags]\naliases = { a = \"b\", b = \"c\" }\n").unwrap_err();
    assert!(
        errors[0].message.to_string().contains("itself an alias"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_quarter_name_is_read_and_a_bad_one_is_an_error_at_its_line() {
    let c = parse("title = \"T\"\nquarter_name = \"FY{yy} Q{q}\"\n").unwrap();
    assert_eq!(c.quarter_name.as_deref(), Some("FY{yy} Q{q}"));
    assert_eq!(parse("title = \"T\"\n").unwrap().quarter_name, None);
    for (name, says) in [
        ("Q{quarter} {year}", "has `{quarter}`, which is not a placeholder"),
        ("Q{q} {year", "has `{year`, which is not a placeholder"),
        ("{year}", "has no {q}"),
        ("Q{q}", "has no {year} or {yy}"),
        ("", "has no {q}"),
    ] {
        let errs = parse(&format!("title = \"T\"\n\nquarter_name = \"{name}\"\n")).unwrap_err();
        assert_eq!(errs.len(), 1, "{name}");
        assert_eq!(errs[0].position, Some(Position::new(3, 1)), "{name}");
        assert!(
            errs[0].message.to_string().contains(says),
            "{name}: {}",
            errs[0].message
        );
        let help = errs[0].help.as_ref().unwrap().to_string();
        assert!(help.contains("quarter_name = \"Q{q} {year}\""), "{help}");
    }
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let errs = parse("title = \"T\"\nlanguage = \"fr\"\nfiscal_year_start_month = 13\n").unwrap_err();
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].position, Some(Position::new(2, 1)));
    assert!(errs[0].message.to_string().contains("unknown language `fr`"));
    assert_eq!(errs[1].position, Some(Position::new(3, 1)));
}

#[test]
fn as_of_pins_today_and_a_bad_one_is_an_error_at_its_value() {
    assert_eq!(parse("title = \"T\"\n").unwrap().as_of, None);
    let quoted = parse("title = \"T\"\nas_of = \"2026-11-21\"\n").unwrap();
    assert_eq!(quoted.as_of, Some(jiff::civil::date(2026, 11, 21)));
    let toml_date = parse("title = \"T\"\nas_of = 2026-11-21\n").unwrap();
    assert_eq!(toml_date.as_of, Some(jiff::civil::date(2026, 11, 21)));
    for (bad, shown) in [
        ("\"2026-02-30\"", "2026-02-30"),
        ("\"2026/11/21\"", "2026/11/21"),
        ("\"0000-01-01\"", "0000-01-01"),
        ("2026-11-21T09:00:00", "2026-11-21T09:00:00"),
        ("20261121", "20261121"),
    ] {
        let errors = parse(&format!("title = \"T\"\nas_of =  {bad}\n")).unwrap_err();
        assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
        assert_eq!(errors[0].message.to_string(), format!("`as_of` is {shown}, not a date"));
        assert_eq!(errors[0].position, Some(Position::new(2, 10)), "{bad}");
    }
}

#[test]
fn feed_entries_is_a_whole_number_of_one_or_more_at_its_value() {
    assert_eq!(parse("title = \"T\"\n").unwrap().feed_entries, DEFAULT_FEED_ENTRIES);
    assert_eq!(parse("title = \"T\"\nfeed_entries = 7\n").unwrap().feed_entries, 7);
    for (bad, shown) in [
        ("0", "0"),
        ("-1", "-1"),
        ("2.5", "2.5"),
        ("\"50\"", "\"50\""),
        ("true", "true"),
    ] {
        let errors = parse(&format!("title = \"T\"\n\nfeed_entries = {bad}\n")).unwrap_err();
        assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
        assert_eq!(
            errors[0].message.to_string(),
            format!("`feed_entries` is {shown}, not a whole number of 1 or more")
        );
        assert_eq!(errors[0].position, Some(Position::new(3, 16)), "{bad}");
    }
}

#[test]
fn missing_title_and_unknown_keys_are_errors() {
    let errs = parse("language = \"ja\"\n").unwrap_err();
    assert!(errs[0].message.to_string().contains("no `title`"));
    let errs = parse("title = \"T\"\nlangauge = \"ja\"\n").unwrap_err();
    assert!(
        errs[0].message.to_string().contains("unknown key `langauge`"),
        "{}",
        errs[0].message
    );
    assert_eq!(
        errs[0].help.as_ref().map(ToString::to_string).as_deref(),
        Some("did you mean `language`?")
    );
    assert_eq!(errs[0].position, Some(Position::new(2, 1)));
}
