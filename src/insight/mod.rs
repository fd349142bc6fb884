//! Insight: every number a page shows that is computed rather than read, between
//! scoring and rendering. Pure functions of the model and the scores; rendering
//! only formats and draws what these return. Each returns numbers, dates, model
//! references or positions (quarter, team, objective, KR indices), never text.
//!
//! - [`kr_trend`]: a KR's series as its chart shows it and the projection of the
//!   running quarter, on the day-number axis of [`series`] (which also holds a
//!   count's quarter-to-date totals);
//! - [`at_risk`]: KRs off track (running quarter) or missed (ended), most severe first;
//! - [`distribution`]: a quarter's team scores in tenths, and the lowest teams;
//! - [`units`]: teams grouped by their parent unit;
//! - [`low_scores`]: runs of low final scores, two quarters running;
//! - [`comparisons`]: a metric's newest value against the previous point, a month
//!   and a year before, and each point's change;
//! - [`metric_band`]: a metric's newest value, its alert band, staleness, the
//!   dashboard's alerts;
//! - [`kpi_tree`]: the KPI tree of `drives` (KGIs at the roots, levers under them),
//!   each node's colour rolled up from its subtree;
//! - [`attention`]: the dashboard's "needs attention" list (red / yellow metrics,
//!   running KRs off pace, stale metrics);
//! - [`elapsed`]: the current quarter and how far a running quarter has got;
//! - [`team_tree`]: teams in tree order with depth;
//! - [`alignment`]: who supports which objective, each team's quarters, and a
//!   quarter's alignment tree;
//! - [`related`]: related learnings;
//! - [`checkins`]: a KR's check-in timeline with its value on each date;
//! - [`flags`]: a team-quarter's warnings (too safe, low two quarters running);
//! - [`calibration`]: mid-quarter confidence against final scores.

pub mod alignment;
pub mod at_risk;
pub mod attention;
pub mod calibration;
pub mod checkins;
pub mod comparisons;
pub mod distribution;
pub mod elapsed;
pub mod flags;
pub mod kpi_tree;
pub mod kr_trend;
pub mod low_scores;
pub mod metric_band;
pub mod related;
pub mod series;
pub mod team_tree;
pub mod units;
