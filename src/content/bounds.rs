//! Number bounds of the content format (version 2): every number okrsite computes
//! with is finite and small enough that sums, means and projections stay finite.

use crate::messages::Message;
use crate::msg;

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
pub fn out_of_range(what: Message, v: f64) -> (Message, Message) {
    if v.is_finite() {
        (
            msg!("bounds.too_large", what = what, value = shown(v)),
            msg!("bounds.too_large_help"),
        )
    } else {
        (
            msg!("bounds.not_finite", what = what, value = v.to_string()),
            msg!("bounds.not_finite_help"),
        )
    }
}
