//! A series of values (a metric's points, a KR's own values), wherever it is
//! written: one rule for the points of a YAML list or mapping and for the rows of
//! a metric CSV.

use std::collections::HashMap;

use jiff::civil::Date;

use super::super::bounds::{in_range, out_of_range};
use super::super::load::Loaded;
use super::super::metric_csv::{RowStart, field_position};
use super::super::raw::{RawPoint, RawSeries};
use super::super::yaml::YamlPath;
use super::report::{Help, Reporter, Spot};
use crate::diag::{Position, Severity};
use crate::model::Point;

/// Where the points of a series are written, so a problem points at the right place.
pub(super) trait Layout {
    /// The point number `i` (its list item or its row).
    fn point(&self, i: usize) -> Spot;
    /// The value of point number `i`.
    fn value(&self, i: usize) -> Spot;
    /// The whole series.
    fn whole(&self) -> Spot;
}

/// A series in a YAML file: a list of `{date, value, note}` or a mapping of date to value.
pub(super) struct YamlLayout<'a> {
    pub(super) path: &'a YamlPath,
    pub(super) series: &'a RawSeries,
}

impl Layout for YamlLayout<'_> {
    fn point(&self, i: usize) -> Spot {
        Spot::Node(self.path.index(i))
    }

    fn value(&self, i: usize) -> Spot {
        // A mapping's value sits on its date's line: the item is the place.
        match self.series.mapping_form {
            true => self.point(i),
            false => Spot::Node(self.path.index(i).key("value")),
        }
    }

    fn whole(&self) -> Spot {
        Spot::Node(self.path.clone())
    }
}

/// The rows of a metric CSV (`text` is the file's text).
pub(super) struct CsvLayout<'a> {
    pub(super) text: &'a str,
    pub(super) rows: &'a [RowStart],
}

impl Layout for CsvLayout<'_> {
    fn point(&self, i: usize) -> Spot {
        Spot::At(self.rows[i].position())
    }

    fn value(&self, i: usize) -> Spot {
        Spot::At(field_position(self.text, self.rows[i], 1))
    }

    fn whole(&self) -> Spot {
        Spot::At(Position::new(1, 1))
    }
}

/// Locating a point re-reads the file, so only the first few problems of each kind
/// (non-finite, duplicate, after today) are reported point by point; the rest are
/// counted in one more diagnostic. 100,000 future dates stay fast.
const EACH: usize = 3;

/// Checks a series (metric points or KR values): finite values, unique dates,
/// none after today (a warning); returns the points sorted by date.
pub(super) fn resolve_series<T>(
    l: &Loaded<T>,
    layout: &impl Layout,
    raw: &[RawPoint],
    today: Date,
    r: &mut Reporter<'_>,
) -> Vec<Point> {
    let mut seen: HashMap<Date, usize> = HashMap::new();
    let mut points = Vec::with_capacity(raw.len());
    // How many problems of each kind: non-finite, duplicate, after today.
    let mut more = [0usize; 3];
    for (i, p) in raw.iter().enumerate() {
        let date = p.date.to_string();
        if !in_range(p.value) {
            more[0] += 1;
            if more[0] <= EACH {
                let (message, help) = out_of_range(crate::msg!("series.value_on", date = date.as_str()), p.value);
                r.report_at(Severity::Error, l, &layout.value(i), message).help(help);
            }
            continue;
        }
        if let Some(first) = seen.insert(p.date.0, i) {
            more[1] += 1;
            if more[1] <= EACH {
                let message = match r.locate_spot(l, &layout.point(first)) {
                    Some(p) => crate::msg!("series.duplicate_date_first", date = date.as_str(), line = p.line),
                    None => crate::msg!("series.duplicate_date", date = date.as_str()),
                };
                r.report_at(Severity::Error, l, &layout.point(i), message)
                    .help(crate::msg!("series.duplicate_date_help"));
            }
            continue;
        }
        if p.date.0 > today {
            more[2] += 1;
            if more[2] <= EACH {
                r.report_at(
                    Severity::Warning,
                    l,
                    &layout.point(i),
                    crate::msg!("series.future", date = date.as_str(), today = today.to_string()),
                )
                .help(crate::msg!("series.future_help"));
            }
        }
        points.push(Point {
            date: p.date.0,
            value: p.value,
            note: p.note.clone(),
        });
    }
    report_the_rest(l, &layout.whole(), more, today, r);
    points.sort_by_key(|p| p.date);
    points
}

/// One diagnostic for each kind of problem past the first [`EACH`] of a series.
fn report_the_rest<T>(l: &Loaded<T>, whole: &Spot, counts: [usize; 3], today: Date, r: &mut Reporter<'_>) {
    let more = counts.map(|n| n.saturating_sub(EACH));
    if more[0] > 0 {
        r.report_at(
            Severity::Error,
            l,
            whole,
            crate::msg!("series.more_out_of_range", more = more[0]),
        );
    }
    if more[1] > 0 {
        r.report_at(
            Severity::Error,
            l,
            whole,
            crate::msg!("series.more_duplicates", more = more[1]),
        );
    }
    if more[2] > 0 {
        r.report_at(
            Severity::Warning,
            l,
            whole,
            crate::msg!("series.more_future", more = more[2], today = today.to_string()),
        );
    }
}
