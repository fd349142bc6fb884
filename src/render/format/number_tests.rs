//! Tests of the numbers and units of [`super::number`], against hand-computed text.

use super::number::{fixed, placed, placed_owned, push_grouped};
use super::*;
use crate::config::Language;
use crate::domain::{Unit, UnitPosition};

fn u(text: &str) -> Unit {
    Unit::new(text)
}

const JA: Formatter = Formatter {
    lang: Language::Ja,
    fiscal_year_start_month: 4,
    quarter_name: None,
};
const EN: Formatter = Formatter {
    lang: Language::En,
    fiscal_year_start_month: 1,
    quarter_name: None,
};

/// `number` as it was written first, with `{:.3}` for every value: the fast path
/// must give exactly the same text.
fn number_reference(v: f64) -> String {
    let s = format!("{:.3}", v);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => ("-", rest),
        Some(rest) => ("", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

use proptest::strategy::Strategy as _;

proptest::proptest! {
    #[test]
    fn fast_numbers_match_exact_formatting(
        v in proptest::prop_oneof![
            proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
            -2e9..2e9f64,
            -1000.0..1000.0f64,
            (-2_000_000_000i64..2_000_000_000).prop_map(|n| n as f64 / 2000.0),
            (-2_000_000i64..2_000_000).prop_map(|n| n as f64 / 1000.0 + 0.0005),
        ]
    ) {
        proptest::prop_assert_eq!(number(v), number_reference(v));
    }
}

#[test]
fn fast_numbers_match_exact_formatting_at_edges() {
    for v in [
        0.0,
        -0.0,
        0.0005,
        -0.0005,
        0.0015,
        2.675,
        1.0005,
        -1.0005,
        999_999.999_5,
        1e9,
        -1e9,
        1e12,
        123_456_789.123,
        0.1 + 0.2,
        1e-9,
        -1e-9,
        45.0,
        -3.5,
        1234.5,
        1e20,
        -1e20,
    ] {
        assert_eq!(number(v), number_reference(v), "{v}");
    }
}

#[test]
fn numbers_read_naturally() {
    assert_eq!(number(45.0), "45");
    assert_eq!(number(16.2), "16.2");
    assert_eq!(number(99.975), "99.975");
    assert_eq!(number(20000.0), "20,000");
    assert_eq!(number(-1234.5), "-1,234.5");
    assert_eq!(number(-0.0001), "0");
    assert_eq!(number(0.1 + 0.2), "0.3");
    assert_eq!(with_unit(45.0, Some(&u("%"))), "45%");
    assert_eq!(with_unit(120.0, Some(&u("ms"))), "120 ms");
    assert_eq!(with_unit(38.0, Some(&u("日"))), "38日");
    assert_eq!(score(0.8), "0.80");
    assert_eq!(round_significant(65.571, 3), 65.6);
    assert_eq!(round_significant(0.0012345, 3), 0.00123);
    assert_eq!(round_significant(123456.0, 3), 123000.0);
    // Scaled down by dividing by an exact power of ten, not multiplying by an inexact
    // inverse: a 15-digit integer survives 15 digits, and rounds right at 14.
    assert_eq!(round_significant(123_456_789_012_345.0, 15), 123_456_789_012_345.0);
    assert_eq!(round_significant(123_456_789_012_345.0, 14), 123_456_789_012_350.0);
    assert_eq!(round_significant(0.1 + 0.2, 15), 0.3);
    assert_eq!(round_decimals(0.6499999999999999, 4), 0.65);
    assert_eq!(round_decimals(6.0 / 7.0, 4), 0.8571);
    assert_eq!(round_decimals(-0.00004, 4), 0.0);
}

#[test]
fn changes_of_percentages_are_in_points() {
    let (ja, en) = (
        Formatter {
            lang: Language::Ja,
            fiscal_year_start_month: 4,
            quarter_name: None,
        },
        Formatter {
            lang: Language::En,
            fiscal_year_start_month: 1,
            quarter_name: None,
        },
    );
    // 45% → 50%: +5 points, although 50 is 11% more than 45.
    let relative = Some((50.0 - 45.0) / 45.0 * 100.0);
    assert_eq!(en.change(50.0 - 45.0, Some(&u("%")), relative), "+5.0 pt");
    assert_eq!(ja.change(50.0 - 45.0, Some(&u("%")), relative), "+5.0ポイント");
    assert_eq!(en.change(47.5 - 50.0, Some(&u("%")), None), "-2.5 pt");
    assert_eq!(en.change(-0.04, Some(&u("%")), None), "0.0 pt");
    assert_eq!(en.change(0.0, Some(&u("%")), None), "0.0 pt");
    assert_eq!(en.change(1234.5, Some(&u("%")), None), "+1,234.5 pt");
    // Other units: the change in the unit, and the relative change where given.
    assert_eq!(en.change(20.0, Some(&u("ms")), Some(25.0)), "+20 ms (+25%)");
    assert_eq!(ja.change(-3.0, Some(&u("件")), None), "-3件");
    assert_eq!(ja.change(50.0, None, Some(150.0)), "+50 (+150%)");
}

#[test]
fn negative_zero_scores_print_as_zero() {
    assert_eq!(score(-0.0), "0.00");
    assert_eq!(score(-0.001), "0.00");
    assert_eq!(score(-0.5), "-0.50");
    assert_eq!(score(0.0), "0.00");
}

#[test]
fn scores_as_bar_widths() {
    assert_eq!(percent(0.734), 73);
    assert_eq!(percent(0.125), 13);
    assert_eq!(percent(1.2), 100);
    assert_eq!(percent(-0.1), 0);
}

#[test]
fn rounding_stays_finite() {
    assert_eq!(round_significant(1e-320, 4), 1e-320);
    assert!(round_significant(f64::MAX, 2).is_finite());
}

#[test]
fn currency_signs_go_before_the_number_after_its_sign() {
    assert_eq!(with_unit(452_000.0, Some(&u("$"))), "$452,000");
    assert_eq!(with_unit(-1200.0, Some(&u("$"))), "-$1,200");
    assert_eq!(with_unit(1200.5, Some(&u("€"))), "€1,200.5");
    assert_eq!(with_unit(99.0, Some(&u("£"))), "£99");
    assert_eq!(with_unit(1000.0, Some(&u("¥"))), "¥1,000");
    assert_eq!(with_unit(7.0, Some(&u("US$"))), "US$7");
    assert_eq!(with_unit(50_000.0, Some(&u("₩"))), "₩50,000");
    assert_eq!(with_unit(-0.0001, Some(&u("$"))), "$0");
    // A word before the number is spaced; after, as before: `12件`, `120 ms`.
    let chf = u("CHF").placed(Some(UnitPosition::Before));
    assert_eq!(with_unit(12.0, Some(&chf)), "CHF 12");
    assert_eq!(with_unit(1000.0, Some(&u("円"))), "1,000円");
    assert_eq!(with_unit(12.0, Some(&u("件"))), "12件");
    // The key turns the default round.
    let dollars_after = u("$").placed(Some(UnitPosition::After));
    assert_eq!(with_unit(452_000.0, Some(&dollars_after)), "452,000$");
    assert_eq!(EN.value(452_000.0, Some(&u("$"))), "$452,000");
    assert_eq!(EN.value(452_000.0, None), "452,000");
}

#[test]
fn a_unit_with_a_singular_uses_it_for_one() {
    let customers = u("customers").with_one(Some("customer".into()));
    assert_eq!(EN.value(1.0, Some(&customers)), "1 customer");
    assert_eq!(EN.value(-1.0, Some(&customers)), "-1 customer");
    assert_eq!(EN.value(2.0, Some(&customers)), "2 customers");
    assert_eq!(EN.value(0.0, Some(&customers)), "0 customers");
    assert_eq!(EN.value(1.5, Some(&customers)), "1.5 customers");
    // Written as 1, so read as one.
    assert_eq!(EN.value(1.0001, Some(&customers)), "1 customer");
    assert_eq!(EN.change(1.0, Some(&customers), None), "+1 customer");
    assert_eq!(EN.compact(1.0, Some(&customers)), "1 customer");
    // Without a singular, the unit as written.
    assert_eq!(EN.value(1.0, Some(&u("customers"))), "1 customers");
}

#[test]
fn compact_forms_follow_the_language() {
    let dollar = u("$");
    assert_eq!(EN.compact(4_870_000.0, Some(&dollar)), "$4.9M");
    assert_eq!(EN.compact(452_000.0, Some(&dollar)), "$452K");
    assert_eq!(EN.compact(-1_250_000.0, Some(&dollar)), "-$1.3M");
    assert_eq!(EN.compact(12_345.0, None), "12K");
    assert_eq!(EN.compact(4_800.0, None), "4,800");
    assert_eq!(EN.compact(10_000.0, None), "10K");
    assert_eq!(EN.compact(2_000_000_000.0, None), "2B");
    assert_eq!(EN.compact(4_000_000.0, Some(&u("users"))), "4M users");
    // Rounding carries into the next step.
    assert_eq!(EN.compact(999_960.0, None), "1M");
    assert_eq!(EN.compact(9_960.0, None), "9,960");
    assert_eq!(JA.compact(4_800_000.0, None), "480万");
    assert_eq!(JA.compact(4_800_000.0, Some(&u("人"))), "480万人");
    assert_eq!(JA.compact(12_345.0, None), "1.2万");
    assert_eq!(JA.compact(123_000_000.0, Some(&u("円"))), "1.2億円");
    assert_eq!(JA.compact(99_990_000.0, None), "9,999万");
    assert_eq!(JA.compact(99_996_000.0, None), "1億");
    assert_eq!(JA.compact(45_678_900.0, None), "4,568万");
    assert_eq!(JA.compact(9_999.0, Some(&u("件"))), "9,999件");
    assert_eq!(JA.compact(4_870_000.0, Some(&dollar)), "$487万");
    assert_eq!(EN.compact(45.5, Some(&u("%"))), "45.5%");
}

#[test]
fn axis_labels_share_one_step_and_tell_ticks_apart() {
    let dollar = u("$");
    assert_eq!(
        EN.axis_labels(&[0.0, 200_000.0, 400_000.0, 600_000.0], Some(&dollar)),
        ["$0", "$200K", "$400K", "$600K"]
    );
    assert_eq!(
        EN.axis_labels(&[4_000_000.0, 4_500_000.0, 5_000_000.0], Some(&dollar)),
        ["$4.0M", "$4.5M", "$5.0M"]
    );
    // One step for the axis: 500K is 0.5M beside 1.5M.
    assert_eq!(
        EN.axis_labels(&[0.0, 500_000.0, 1_000_000.0, 1_500_000.0], None),
        ["0", "0.5M", "1.0M", "1.5M"]
    );
    // Below 10,000 nothing is scaled, but thousands are separated.
    assert_eq!(
        EN.axis_labels(&[0.0, 2500.0, 5000.0, 7500.0], None),
        ["0", "2,500", "5,000", "7,500"]
    );
    assert_eq!(
        JA.axis_labels(&[0.0, 25_000.0, 50_000.0], None),
        ["0", "2.5万", "5.0万"]
    );
    assert_eq!(
        JA.axis_labels(&[0.0, 5000.0, 10_000.0], Some(&u("件"))),
        ["0件", "0.5万件", "1.0万件"]
    );
    // Decimals: as many as the ticks need, computing noise ignored.
    assert_eq!(
        EN.axis_labels(&[0.1, 0.1 + 0.1, 0.1 + 0.2], Some(&u("%"))),
        ["0.1%", "0.2%", "0.3%"]
    );
    assert_eq!(
        EN.axis_labels(&[0.0, 0.25, 0.5, 0.75, 1.0], None),
        ["0", "0.25", "0.50", "0.75", "1.00"]
    );
    assert_eq!(
        EN.axis_labels(&[-20.0, -10.0, 0.0, 10.0], Some(&u("ms"))),
        ["-20 ms", "-10 ms", "0 ms", "10 ms"]
    );
    assert_eq!(
        EN.axis_labels(&[-1_000_000.0, 0.0, 1_000_000.0], Some(&dollar)),
        ["-$1M", "$0", "$1M"]
    );
    // Ticks no decimals can write exactly: the fewest that tell them apart.
    assert_eq!(
        EN.axis_labels(&[1.0 / 3.0, 2.0 / 3.0, 1.0], None),
        ["0.3", "0.7", "1.0"]
    );
    assert!(EN.axis_labels(&[], None).is_empty());
}

#[test]
fn changes_place_the_unit() {
    assert_eq!(EN.change(12_000.0, Some(&u("$")), Some(3.0)), "+$12,000 (+3%)");
    assert_eq!(EN.change(-1_200.0, Some(&u("$")), Some(-0.5)), "-$1,200 (-0.5%)");
    assert_eq!(EN.change(0.0, Some(&u("$")), None), "$0");
    assert_eq!(JA.change(12_345.0, Some(&u("円")), None), "+12,350円");
    // Beside a compact value, compact by the same rule.
    assert_eq!(EN.change_compact(136_000.0, Some(&u("$")), None), "+$136K");
    assert_eq!(
        EN.change_compact(-1_250_000.0, Some(&u("$")), Some(-20.0)),
        "-$1.3M (-20%)"
    );
    assert_eq!(JA.change_compact(-142.0, Some(&u("件/月")), None), "-142件/月");
    assert_eq!(JA.change_compact(25_000.0, Some(&u("人")), None), "+2.5万人");
    assert_eq!(EN.change_compact(2.0, Some(&u("%")), None), "+2.0 pt");
}

#[test]
fn values_side_by_side_stay_apart() {
    let dollar = u("$");
    // ARR's KR: baseline 3,703,000, current 4,772,000, target 4,800,000.
    assert_eq!(
        EN.compact_together(&[3_703_000.0, 4_772_000.0, 4_800_000.0], Some(&dollar)),
        ["$3.7M", "$4.77M", "$4.8M"]
    );
    // Apart already: as compact writes each.
    assert_eq!(
        EN.compact_together(&[300_000.0, 452_000.0, 600_000.0], Some(&dollar)),
        ["$300K", "$452K", "$600K"]
    );
    // One step for all: the largest's.
    assert_eq!(
        EN.compact_together(&[0.0, 950_000.0, 2_000_000.0], None),
        ["0", "0.95M", "2M"]
    );
    // Equal values may read the same.
    assert_eq!(EN.compact_together(&[4_800_000.0, 4_800_000.0], None), ["4.8M", "4.8M"]);
    assert_eq!(
        JA.compact_together(&[24_500.0, 28_000.0, 30_000.0], Some(&u("件"))),
        ["2.5万件", "2.8万件", "3万件"]
    );
    assert_eq!(JA.compact_together(&[24_500.0, 24_999.0], None), ["2.45万", "2.5万"]);
    // Below the compact range, in full.
    let customers = u("customers").with_one(Some("customer".into()));
    assert_eq!(
        EN.compact_together(&[0.0, 1.0], Some(&customers)),
        ["0 customers", "1 customer"]
    );
}

/// `fixed` as it was written first, with `{:.N}` for every value.
fn fixed_reference(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) if rest.bytes().any(|b| b != b'0' && b != b'.') => ("-", rest),
        Some(rest) => ("", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    push_grouped(&mut out, int);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `score` as it was written first.
fn score_reference(v: f64) -> String {
    let s = format!("{v:.2}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

/// What `push_trimmed` replaces: `{:.N}` with its trailing zeros and point cut.
fn trimmed_reference(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn trimmed(v: f64, decimals: usize) -> String {
    let mut out = String::new();
    push_trimmed(&mut out, v, decimals);
    out
}

/// Values near every rounding edge a fast path could get wrong: halves at the last
/// decimal, tiny and huge values, any float.
fn edgy_values() -> impl proptest::strategy::Strategy<Value = f64> {
    proptest::prop_oneof![
        proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
        -2e12..2e12f64,
        -1000.0..1000.0f64,
        -2.0..2.0f64,
        (-2_000_000_000i64..2_000_000_000).prop_map(|n| n as f64 / 2000.0),
        (-2_000_000i64..2_000_000).prop_map(|n| n as f64 / 1000.0 + 0.0005),
        (-2_000_000i64..2_000_000).prop_map(|n| n as f64 / 100.0 + 0.005),
        (-2_000_000i64..2_000_000).prop_map(|n| n as f64 / 10.0 + 0.05),
        (0u32..100).prop_map(|k| f64::from(k) / 100.0),
        (1u32..400).prop_map(|n| f64::from(n) / 4.0 * 1.24 / 1.24),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
    #[test]
    fn fast_fixed_matches_exact_formatting(v in edgy_values(), decimals in 0usize..9) {
        proptest::prop_assert_eq!(fixed(v, decimals), fixed_reference(v, decimals));
        proptest::prop_assert_eq!(trimmed(v, decimals), trimmed_reference(v, decimals));
    }

    #[test]
    fn fast_scores_match_exact_formatting(v in edgy_values()) {
        proptest::prop_assert_eq!(score(v), score_reference(v));
    }
}

#[test]
fn fast_fixed_matches_exact_formatting_at_edges() {
    for v in [
        0.0,
        -0.0,
        0.05,
        -0.05,
        0.25,
        2.675,
        -0.004,
        -0.04,
        0.125,
        999_999.999_5,
        1e12,
        -1e12,
        1e20,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        12.0 * 1.24 / 1.24,
        15.0 * 1.24 / 1.24,
    ] {
        for decimals in 0..9 {
            assert_eq!(fixed(v, decimals), fixed_reference(v, decimals), "{v} {decimals}");
            assert_eq!(trimmed(v, decimals), trimmed_reference(v, decimals), "{v} {decimals}");
        }
        assert_eq!(score(v), score_reference(v), "{v}");
    }
    assert_eq!(trimmed(12.0, 1), "12");
    assert_eq!(trimmed(10.48, 1), "10.5");
    assert_eq!(trimmed(-0.01, 1), "-0");
    assert_eq!(fixed(-1234.5, 2), "-1,234.50");
}

#[test]
fn units_placed_in_the_digits_read_as_placed() {
    let units = [
        None,
        Some(u("")),
        Some(u("%")),
        Some(u("ms")),
        Some(u("件")),
        Some(u("$")),
        Some(u("CHF").placed(Some(UnitPosition::Before))),
        Some(u("customers").with_one(Some("customer".to_string()))),
    ];
    for unit in &units {
        for digits in ["1", "0", "12.5", "1,200", "3.4M"] {
            for negative in [false, true] {
                assert_eq!(
                    placed_owned(negative, digits.to_string(), unit.as_ref()),
                    placed(negative, false, digits, unit.as_ref()),
                    "{unit:?} {digits} {negative}"
                );
            }
        }
    }
}
