//! A metric's points from `content/metrics/<id>.csv`, the form a BI tool or a
//! scheduled export writes: a header row `date,value` or `date,value,note`, then one
//! row per point, quoted as RFC 4180 says (read with the `csv` crate).
//!
//! Every problem of the file is reported at its line and column, the first
//! [`REPORTED`] one by one and the rest counted. What makes a series wrong as a
//! whole (duplicate dates, numbers out of bounds) is checked by `resolve`, the same
//! rule as for the points of a YAML file.

use csv::{ReaderBuilder, StringRecord};
use jiff::civil::Date;

use super::raw::{Day, DayError, RawPoint};
use crate::diag::{Diagnostic, Message, Position, suggestion};
use crate::msg;

/// The columns of a metric CSV, in order; `note` may be left out.
pub const COLUMNS: [&str; 3] = ["date", "value", "note"];

/// How many problems of one file are reported one by one.
const REPORTED: usize = 20;

/// A metric CSV as read: its points, where their rows are, and its problems.
#[derive(Debug, Clone, Default)]
pub struct CsvPoints {
    pub points: Vec<RawPoint>,
    /// Where the row of each point starts (same order as `points`).
    pub rows: Vec<RowStart>,
    /// Every problem of the file (see the module docs).
    pub problems: Vec<Diagnostic>,
}

/// Where a row starts: its byte offset in the text, and its line and column (the
/// column is 1 unless lines end in a bare `\r`, as old Mac spreadsheets wrote them:
/// positions count `\n` lines, as every other diagnostic's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowStart {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl RowStart {
    pub fn position(self) -> Position {
        Position::new(self.line, self.column)
    }
}

/// The position of field `index` (from 0) of the row starting at `row`; the end of
/// the row when it has fewer fields. Costs the length of the row.
pub fn field_position(text: &str, row: RowStart, index: usize) -> Position {
    let fields = scan_row(text, row.offset);
    let offset = fields.starts.get(index).copied().unwrap_or(fields.end);
    position_in_row(text, row, offset)
}

/// A byte offset inside the row starting at `row` as a line and column (a quoted
/// field may span lines).
fn position_in_row(text: &str, row: RowStart, offset: usize) -> Position {
    advance(row.position(), &text[row.offset..offset.min(text.len())])
}

/// The position after `segment`, which starts at `from`.
fn advance(from: Position, segment: &str) -> Position {
    match segment.rfind('\n') {
        None => Position::new(from.line, from.column + segment.chars().count()),
        Some(newline) => Position::new(
            from.line + segment.matches('\n').count(),
            segment[newline + 1..].chars().count() + 1,
        ),
    }
}

/// The fields of one row as written: where each starts, where the row ends, and
/// the offset of a quote left open at the end of the text.
struct RowFields {
    starts: Vec<usize>,
    end: usize,
    open_quote: Option<usize>,
}

/// Finds the fields of the row starting at `start` as `csv` reads them: a quote
/// opens a quoted field only at its start, `""` inside one is a quote.
fn scan_row(text: &str, start: usize) -> RowFields {
    let bytes = text.as_bytes();
    let mut starts = vec![start];
    let mut quote = None;
    let mut field_start = true;
    let mut i = start;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (Some(_), b'"') if bytes.get(i + 1) == Some(&b'"') => i += 1,
            (Some(_), b'"') => quote = None,
            (Some(_), _) => {}
            (None, b'"') if field_start => quote = Some(i),
            (None, b',') => {
                starts.push(i + 1);
                i += 1;
                field_start = true;
                continue;
            }
            (None, b'\n' | b'\r') => break,
            (None, _) => {}
        }
        field_start = false;
        i += 1;
    }
    RowFields {
        starts,
        end: i,
        open_quote: quote,
    }
}

/// Reads a metric CSV (its text without a byte order mark). `file` is its display path.
pub fn parse(text: &str, file: &str) -> CsvPoints {
    let mut p = Parser::new(text, file);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = StringRecord::new();
    let mut width = None;
    let mut last = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // The text is UTF-8 and rows may have any length: not expected.
                let at = e.position().map_or(Position::new(1, 1), |pos| p.at_offset(pos.byte()));
                p.report(
                    at,
                    msg!("csv.read_error", error = e.to_string()),
                    msg!("csv.read_error_help"),
                );
                break;
            }
        }
        let row = p.row_start(record.position().map_or(0, |pos| pos.byte() as usize));
        last = Some(row);
        if record.iter().all(|f| f.trim().is_empty()) {
            // Spreadsheets write empty rows as `,,`.
            continue;
        }
        match p.row(&record, row, width) {
            Some(w) => width = Some(w),
            // Rows read against a header that cannot be understood would only
            // repeat its error.
            None => return p.finish(None),
        }
    }
    if width.is_none() {
        p.report(Position::new(1, 1), msg!("csv.empty"), msg!("csv.empty_help"));
    }
    p.finish(last)
}

/// What the first row of a CSV turned out to be.
enum Header {
    /// A header of this many columns (2 or 3), usable even if misspelt.
    Columns(usize),
    /// A data row: the header is missing (reported).
    Data,
    /// A header the rows cannot be read against (reported).
    Unusable,
}

struct Parser<'a> {
    text: &'a str,
    file: &'a str,
    out: CsvPoints,
    /// Problems found, reported or not.
    problems: usize,
    /// Where the first problem past [`REPORTED`] is.
    first_unreported: Option<Position>,
    /// The row read last, so lines are counted once over the whole text.
    last_row: RowStart,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        Parser {
            text,
            file,
            out: CsvPoints::default(),
            problems: 0,
            first_unreported: None,
            last_row: RowStart {
                offset: 0,
                line: 1,
                column: 1,
            },
        }
    }

    /// Reads a row that is not empty: the header while the width is not known yet
    /// (`width`), data after it. The width of the rows from now on; `None` when they
    /// cannot be read (the header cannot be understood).
    fn row(&mut self, record: &StringRecord, row: RowStart, width: Option<usize>) -> Option<usize> {
        let width = match width {
            Some(w) => w,
            None => match self.header(record, row) {
                Header::Columns(w) => return Some(w),
                Header::Data => COLUMNS.len(),
                Header::Unusable => return None,
            },
        };
        self.data_row(record, row, width);
        Some(width)
    }
    /// The row `csv` says starts at `offset` (rows come in order). Its offset is
    /// that of the line ending before the row (the `\n` of a `\r\n`, blank lines
    /// skipped): the row starts after them.
    fn row_start(&mut self, offset: usize) -> RowStart {
        let bytes = self.text.as_bytes();
        let offset = offset
            + bytes[offset.min(bytes.len())..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        let last = self.last_row;
        let at = advance(last.position(), &self.text[last.offset..offset]);
        self.last_row = RowStart {
            offset,
            line: at.line,
            column: at.column,
        };
        self.last_row
    }

    fn at_offset(&self, offset: u64) -> Position {
        Position::of_offset(self.text, offset as usize)
    }

    fn at(&self, row: RowStart, field: usize) -> Position {
        field_position(self.text, row, field)
    }

    /// Records a problem: reported if among the first [`REPORTED`], counted otherwise.
    fn problem(&mut self, row: RowStart, field: usize, message: Message, help: impl Into<Message>) {
        self.problems += 1;
        if self.problems <= REPORTED {
            let at = self.at(row, field);
            self.report(at, message, help);
        } else if self.first_unreported.is_none() {
            self.first_unreported = Some(self.at(row, field));
        }
    }

    fn report(&mut self, at: Position, message: Message, help: impl Into<Message>) {
        self.out
            .problems
            .push(Diagnostic::error(self.file, Some(at), message).with_help(help));
    }

    /// Checks the first row: the header, or a data row if it is missing.
    fn header(&mut self, record: &StringRecord, row: RowStart) -> Header {
        let names: Vec<&str> = record.iter().map(str::trim).collect();
        let first = names.first().copied().unwrap_or("");
        if first.starts_with(|c: char| c.is_ascii_digit()) {
            self.problem(row, 0, msg!("csv.no_header"), msg!("csv.no_header_help"));
            return Header::Data;
        }
        if names.len() < 2 {
            let message = msg!("csv.one_column", name = first);
            self.problem(row, 1, message, msg!("csv.header_help"));
            return Header::Unusable;
        }
        if let Some(extra) = names.get(COLUMNS.len()) {
            let message = msg!("csv.extra_column", name = *extra);
            self.problem(row, COLUMNS.len(), message, msg!("csv.extra_column_help"));
            return Header::Unusable;
        }
        let mut usable = true;
        for (i, name) in names.iter().enumerate() {
            let expected = COLUMNS[i];
            if name.eq_ignore_ascii_case(expected) {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            let near = suggestion(&lower, &[expected]);
            usable &= near.is_some();
            let help = match near {
                Some(near) => near,
                None if COLUMNS.contains(&lower.as_str()) => msg!("csv.header_order_help"),
                None => msg!("csv.header_help"),
            };
            let message = msg!("csv.header_name", n = i + 1, name = *name, expected = expected);
            self.problem(row, i, message, help);
        }
        if usable {
            Header::Columns(names.len())
        } else {
            Header::Unusable
        }
    }

    /// Reads a row of data under a header of `width` columns (a row may leave out its note).
    fn data_row(&mut self, record: &StringRecord, row: RowStart, width: usize) {
        let n = record.len();
        if n < 2 || n > width {
            self.wrong_width(record, row, width);
            return;
        }
        let date = self.date(&record[0], row);
        let value = self.value(&record[1], row);
        let (Some(date), Some(value)) = (date, value) else {
            return;
        };
        let note = record
            .get(2)
            .map(|n| n.trim().replace("\r\n", "\n"))
            .filter(|n| !n.is_empty());
        self.out.points.push(RawPoint {
            date: Day(date),
            value,
            note,
        });
        self.out.rows.push(row);
    }

    fn wrong_width(&mut self, record: &StringRecord, row: RowStart, width: usize) {
        let n = record.len();
        let message = msg!("csv.row_width", n = n, columns = COLUMNS[..width].join(","));
        let help = if n < 2 {
            msg!("csv.row_width_short_help")
        } else if looks_like_split_number(record) {
            msg!("csv.row_width_separator_help")
        } else if width == 2 {
            msg!("csv.row_width_note_column_help")
        } else {
            msg!("csv.row_width_note_comma_help")
        };
        // At the first field too many, or at the end of a row too short.
        self.problem(row, n.min(width), message, help);
    }

    fn date(&mut self, field: &str, row: RowStart) -> Option<Date> {
        match parse_date(field.trim()) {
            Ok(d) => Some(d),
            Err(e) => {
                let help = match e {
                    DateProblem::Impossible(_) => msg!("csv.date_impossible_help"),
                    DateProblem::TimeOfDay(_) => msg!("csv.date_time_help"),
                    _ => msg!("csv.date_shape_help"),
                };
                self.problem(row, 0, e.message(), help);
                None
            }
        }
    }

    fn value(&mut self, field: &str, row: RowStart) -> Option<f64> {
        let written = field.trim();
        match parse_value(written) {
            Some(v) => Some(v),
            None => {
                let (message, help) = if written.is_empty() {
                    (msg!("csv.value_empty"), msg!("csv.value_empty_help"))
                } else {
                    (msg!("csv.value_shape", text = written), value_help(written))
                };
                self.problem(row, 1, message, help);
                None
            }
        }
    }

    /// The points and the problems, with a quote left open in the last row and the
    /// problems past [`REPORTED`] counted.
    fn finish(mut self, last: Option<RowStart>) -> CsvPoints {
        if let Some(row) = last
            && let Some(quote) = scan_row(self.text, row.offset).open_quote
        {
            let at = position_in_row(self.text, row, quote);
            self.report(at, msg!("csv.open_quote"), msg!("csv.open_quote_help"));
        }
        if let Some(at) = self.first_unreported {
            let more = self.problems - REPORTED;
            self.report(at, msg!("csv.more", n = more), msg!("csv.more_help", n = REPORTED));
        }
        self.out
    }
}

/// Whether a row reads as a number split at its thousands separator: `2025-07-07,1,234`.
fn looks_like_split_number(record: &StringRecord) -> bool {
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        let s = s.trim().trim_start_matches(['-', '+']);
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let third = record.get(2).unwrap_or("").trim();
    let whole = third.split('.').next().unwrap_or("");
    digits(&record[1], 1..=3) && digits(whole, 3..=3)
}

/// What a value that is not a number may have meant.
fn value_help(written: &str) -> Message {
    if written.ends_with('%') {
        msg!("csv.value_percent_help")
    } else if written.contains(',') {
        msg!("csv.value_separator_help")
    } else if written.chars().any(|c| ('０'..='９').contains(&c)) {
        msg!("csv.value_digits_help")
    } else {
        msg!("csv.value_plain_help")
    }
}

/// A value as written in a CSV: a number, possibly with thousands separators between
/// groups of three digits (`1,234.5`, as spreadsheets export it, quoted). Non-finite
/// numbers parse (`inf`): the series check reports them with the other bounds.
pub fn parse_value(written: &str) -> Option<f64> {
    if !written.contains(',') {
        return written.parse().ok();
    }
    let unsigned = written.trim_start_matches(['-', '+']);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let grouped = (1..=3).contains(&first.len()) && digits(first) && groups.all(|g| g.len() == 3 && digits(g));
    if !grouped || fraction.contains(',') || written.len() - unsigned.len() > 1 {
        return None;
    }
    written.replace(',', "").parse().ok()
}

/// Why a CSV date is not a date.
#[derive(Debug)]
pub enum DateProblem {
    Empty,
    Shape(String),
    TimeOfDay(String),
    Impossible(DayError),
}

impl DateProblem {
    /// What is wrong, in the catalogue's words.
    pub fn message(&self) -> Message {
        match self {
            DateProblem::Empty => msg!("csv.date_empty"),
            DateProblem::Shape(text) | DateProblem::Impossible(DayError::Shape(text)) => {
                msg!("csv.date_shape", text = text)
            }
            DateProblem::TimeOfDay(text) => msg!("csv.date_time", text = text),
            DateProblem::Impossible(DayError::YearZero(text)) => msg!("csv.date_year", text = text),
            DateProblem::Impossible(DayError::NoSuchMonth { text, month }) => {
                msg!("csv.date_month", text = text, month = month.to_string())
            }
            DateProblem::Impossible(DayError::NoSuchDay {
                text,
                year,
                month,
                days,
            }) => msg!(
                "csv.date_day",
                text = text,
                month = format!("{year:04}-{month:02}"),
                days = days.to_string()
            ),
        }
    }
}

impl std::fmt::Display for DateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for DateProblem {}

/// A date as spreadsheets write it: `2025-07-07`, or `2025/07/07` and `2025/7/7` as
/// Japanese spreadsheets export dates.
pub fn parse_date(written: &str) -> Result<Date, DateProblem> {
    if written.is_empty() {
        return Err(DateProblem::Empty);
    }
    let iso = if written.contains('/') {
        slashed(written).ok_or_else(|| shape(written))?
    } else {
        written.to_string()
    };
    match Day::parse(&iso) {
        Ok(day) => Ok(day.0),
        Err(DayError::Shape(_)) => Err(shape(written)),
        Err(e) => Err(DateProblem::Impossible(e.written_as(written))),
    }
}

/// `2025/7/7` as `2025-07-07`; `None` unless year, month and day are digits (4, 1-2, 1-2).
fn slashed(written: &str) -> Option<String> {
    let mut parts = written.split('/');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let ok = parts.next().is_none() && digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2);
    ok.then(|| format!("{y}-{m:0>2}-{d:0>2}"))
}

/// A date that is not one; `TimeOfDay` for a date followed by a time (`2025/7/7 0:00`).
fn shape(written: &str) -> DateProblem {
    let date_part = written.split([' ', 'T']).next().unwrap_or("");
    let is_date = date_part.len() < written.len()
        && (Day::parse(date_part).is_ok() || slashed(date_part).is_some_and(|d| Day::parse(&d).is_ok()));
    if is_date {
        DateProblem::TimeOfDay(written.to_string())
    } else {
        DateProblem::Shape(written.to_string())
    }
}

#[cfg(test)]
#[path = "metric_csv_tests.rs"]
mod tests;
