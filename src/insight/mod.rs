//! Insight: every number a page shows that is computed rather than read, between
//! scoring and rendering. Pure functions of the model and the scores; rendering
//! only formats and draws what these return.
//!
//! So far: a KR's series as its chart shows it and the projection of the running
//! quarter ([`kr_trend`]), on the day-number axis of [`series`]; related
//! learnings ([`related`]); the quarter-to-date total of a count metric
//! ([`metric_totals`]). (Issue 17 moves the rest here: on-track and at-risk,
//! low-score runs, comparisons with earlier periods, alignment roll-ups.)

pub mod kr_trend;
pub mod metric_totals;
pub mod related;
pub mod series;
