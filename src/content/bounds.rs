//! Number bounds of the content format (version 2): every number okrsite computes
//! with is finite and small enough that sums, means and projections stay finite.

/// The largest magnitude of a value, baseline, target or threshold (content format
/// version 2). A quarter has at most 92 daily points and a series at most one point per
/// day of years 1..9999 (3.7 million), so sums stay below 4e21 and every mean, span and
/// projection stays finite.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// The largest KR weight: weights are in (0, MAX_WEIGHT], so weighted sums of scores
/// (each in [0, 1]) stay finite whatever the number of KRs.
pub const MAX_WEIGHT: f64 = 1000.0;

/// Whether `v` is a number okrsite computes with: finite and at most [`MAX_MAGNITUDE`].
pub fn in_range(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_MAGNITUDE
}

/// A number as a message shows it: `1e308` rather than 309 digits.
pub fn shown(v: f64) -> String {
    if v.is_finite() && v != 0.0 && !(1e-4..1e6).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// The error for a number outside [`in_range`]: non-finite or too large.
pub fn out_of_range(what: &str, v: f64) -> (String, &'static str) {
    if v.is_finite() {
        (
            format!(
                "{what} is {}, larger in magnitude than 1e15 (the largest number okrsite accepts)",
                shown(v)
            ),
            "write a number between -1e15 and 1e15; for larger quantities use a larger unit (e.g. millions)",
        )
    } else {
        (
            format!("{what} is not a finite number ({v})"),
            "write a plain number such as 45.0",
        )
    }
}
