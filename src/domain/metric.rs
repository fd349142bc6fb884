//! What a metric is: which way is better, where it sits in the chain from cause to
//! effect, how its points add up over a quarter, and how it is defined. Read from the
//! metric files as written (serde) and kept unchanged in the model.

use serde::Deserialize;

/// Which way of a metric is better: up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Increase,
    Decrease,
}

/// Where a metric sits between cause and effect: leading indicators move first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Leading,
    Intermediate,
    Lagging,
}

/// How a metric's points make a quarter's value: the last one, or their sum (a count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    #[default]
    Last,
    Sum,
}

/// How often a metric gets a point. A metric whose newest point is older than two
/// cadences is stale: its data stopped arriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
}

impl Cadence {
    /// Days in one cadence (a month as 31 days, a quarter as 92: the longest, so a
    /// point that is on time is never called stale).
    pub fn days(self) -> i64 {
        match self {
            Cadence::Daily => 1,
            Cadence::Weekly => 7,
            Cadence::Monthly => 31,
            Cadence::Quarterly => 92,
        }
    }

    /// Whether a metric whose newest point is on `newest` is stale on `today`:
    /// more than two cadences old.
    pub fn is_stale(self, newest: jiff::civil::Date, today: jiff::civil::Date) -> bool {
        (today - newest).get_days() as i64 > 2 * self.days()
    }
}

/// How a metric is measured, in the words of its file.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub formula: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub period: Option<String>,
    pub exclusions: Option<String>,
    pub source: Option<String>,
    pub frequency: Option<String>,
    pub owner: Option<String>,
}
