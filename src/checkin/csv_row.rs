//! A value added as the last row of a metric's `content/metrics/<id>.csv`, written
//! by the `csv` crate in the file's own way: its columns, its line breaks, its date
//! style (`2025-07-07`, or `2025/07/07` as Japanese spreadsheets export dates).

use jiff::civil::Date;

use crate::content::metric_csv;

/// Why a row could not be added.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CsvError {
    #[error("the CSV has problems of its own; run `okrsite check`")]
    Broken,
    #[error("the CSV already has a value on {0}")]
    Duplicate(Date),
    #[error("the row would not read back as written")]
    Unsafe,
}

/// `text` (a metric CSV without its byte order mark) with a row for `value` on
/// `date` at its end.
pub fn append_row(text: &str, file: &str, date: Date, value: f64) -> Result<String, CsvError> {
    let before = metric_csv::parse(text, file);
    if !before.problems.is_empty() {
        return Err(CsvError::Broken);
    }
    if before.points.iter().any(|p| p.date.0 == date) {
        return Err(CsvError::Duplicate(date));
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let columns = header_columns(text);
    let slashed = before.rows.last().is_some_and(|row| {
        let line = &text[row.offset..];
        line.split([',', '\r', '\n']).next().is_some_and(|d| d.contains('/'))
    });
    let date_text = if slashed {
        format!("{:04}/{:02}/{:02}", date.year(), date.month(), date.day())
    } else {
        date.to_string()
    };
    let mut fields = vec![date_text, number(value)];
    fields.resize(columns.max(2), String::new());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(&fields).map_err(|_| CsvError::Unsafe)?;
    let row = writer.into_inner().map_err(|_| CsvError::Unsafe)?;
    let row = String::from_utf8(row)
        .map_err(|_| CsvError::Unsafe)?
        .replace('\n', newline);
    let separator = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        newline
    };
    let edited = format!("{text}{separator}{row}");
    let after = metric_csv::parse(&edited, file);
    let added = after.points.last().map(|p| (p.date.0, p.value));
    if after.problems.is_empty() && after.points.len() == before.points.len() + 1 && added == Some((date, value)) {
        Ok(edited)
    } else {
        Err(CsvError::Unsafe)
    }
}

/// How many columns the header row names (2 or 3).
fn header_columns(text: &str) -> usize {
    text.lines().next().map_or(2, |header| header.split(',').count())
}

/// A value as a CSV cell: `62` when whole, else the shortest form that reads back.
fn number(v: f64) -> String {
    super::edit::whole(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_row_follows_the_file_s_columns_line_breaks_and_date_style() {
        let iso = "date,value\n2025-10-06,70\n";
        assert_eq!(
            append_row(iso, "f.csv", date(2025, 11, 1), 62.0),
            Ok(format!("{iso}2025-11-01,62\n"))
        );
        let japanese = "date,value,note\r\n2025/10/06,70.5,\"a, b\"";
        assert_eq!(
            append_row(japanese, "f.csv", date(2025, 11, 1), 0.25),
            Ok(format!("{japanese}\r\n2025/11/01,0.25,\r\n"))
        );
        assert_eq!(
            append_row(iso, "f.csv", date(2025, 10, 6), 1.0),
            Err(CsvError::Duplicate(date(2025, 10, 6)))
        );
        assert_eq!(
            append_row("date,value\nsoon,1\n", "f.csv", date(2025, 10, 6), 1.0),
            Err(CsvError::Broken)
        );
    }
}
