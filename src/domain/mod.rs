//! Domain types at the bottom of the crate: the words every stage shares. They import
//! nothing from the pipeline (config, content, model, score, render), so any stage may
//! use them; the model re-exports them as part of its vocabulary.
//!
//! - `quarter`: [`Quarter`] and its arithmetic, [`QuarterStatus`].
//! - `metric`: what a metric is ([`Direction`], [`Layer`], [`Aggregate`], [`Definition`]).
//! - `light`: the traffic light ([`Light`]).
//! - `unit`: a unit of measure and where it is written ([`Unit`], [`UnitPosition`]).
//! - `ids`: ids as types of their own ([`TeamId`], [`MetricId`], [`ObjectiveId`], [`KrId`],
//!   [`ObjectiveRef`], [`KrRef`]).

mod ids;
mod light;
mod metric;
mod quarter;
mod unit;

pub use ids::{KrId, KrRef, MetricId, ObjectiveId, ObjectiveRef, TeamId};
pub use light::Light;
pub use metric::{Aggregate, Cadence, Definition, Direction, Layer};
pub use quarter::{Quarter, QuarterError, QuarterStatus};
pub use unit::{Unit, UnitPosition};
