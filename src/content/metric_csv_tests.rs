use super::*;
use jiff::civil::date;

const FILE: &str = "content/metrics/m.csv";

fn read(text: &str) -> CsvPoints {
    parse(text, FILE)
}

/// `(line, column, message)` of each problem.
fn problems(text: &str) -> Vec<(usize, usize, String)> {
    read(text)
        .problems
        .iter()
        .map(|d| {
            let p = d.position.expect("every CSV problem has a position");
            (p.line, p.column, d.message.to_string())
        })
        .collect()
}

/// The help of a diagnostic, in English.
fn help(d: &Diagnostic) -> String {
    d.help.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn row(offset: usize, line: usize) -> RowStart {
    RowStart {
        offset,
        line,
        column: 1,
    }
}

fn dates_and_values(c: &CsvPoints) -> Vec<(Date, f64)> {
    c.points.iter().map(|p| (p.date.0, p.value)).collect()
}

#[test]
fn a_plain_csv_gives_its_points_in_file_order() {
    let c = read("date,value\n2025-07-14,47.5\n2025-07-07,45\n");
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(
        dates_and_values(&c),
        [(date(2025, 7, 14), 47.5), (date(2025, 7, 7), 45.0)]
    );
    assert_eq!(c.rows, [row(11, 2), row(27, 3)]);
    assert_eq!(c.points[0].note, None);
}

#[test]
fn crlf_a_blank_trailing_line_and_empty_rows_are_accepted() {
    let c = read("date,value,note\r\n2025-07-07,45,\r\n\r\n,,\r\n2025-07-14,46,x\r\n\r\n");
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(
        dates_and_values(&c),
        [(date(2025, 7, 7), 45.0), (date(2025, 7, 14), 46.0)]
    );
    assert_eq!(c.rows[1].line, 5);
    assert_eq!(c.points[1].note.as_deref(), Some("x"));
}

#[test]
fn a_byte_order_mark_is_dropped_as_the_file_is_read() {
    let bytes = b"\xEF\xBB\xBFdate,value\n2025-07-07,x\n";
    let text = crate::content::read::decode_text(bytes, FILE).unwrap();
    // The header is recognised and the column counts from the first visible character.
    assert_eq!(problems(&text), [(2, 12, "`x` is not a number".to_string())]);
}

#[test]
fn a_quoted_note_may_hold_commas_quotes_and_newlines() {
    let text = "date,value,note\n2025-07-07,45,\"A/B test, \"\"new\"\" copy\nsecond line\"\n2025-07-14,x\n";
    let c = read(text);
    assert_eq!(c.points[0].note.as_deref(), Some("A/B test, \"new\" copy\nsecond line"));
    // The row after the two-line note is on line 4, its value in column 12.
    assert_eq!(problems(text), [(4, 12, "`x` is not a number".to_string())]);
}

#[test]
fn slash_dates_as_japanese_spreadsheets_export_them_are_read() {
    let c = read("date,value\n2025/07/07,1\n2025/7/8,2\n 2025-07-09 ,3\n");
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let dates: Vec<Date> = c.points.iter().map(|p| p.date.0).collect();
    assert_eq!(dates, [date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9)]);
}

#[test]
fn a_header_is_read_ignoring_case_and_spaces() {
    assert!(read("Date , VALUE,Note\n2025-07-07,1,n\n").problems.is_empty());
}

#[test]
fn thousands_separators_are_read_when_quoted_and_grouped_by_three() {
    let c = read("date,value\n2025-07-07,\"1,234\"\n2025-07-08,\"-1,234,567.5\"\n");
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.points[0].value, 1234.0);
    assert_eq!(c.points[1].value, -1_234_567.5);
    assert_eq!(parse_value("1,23"), None);
    assert_eq!(parse_value("1234,567"), None);
    assert_eq!(parse_value(",123"), None);
    assert_eq!(parse_value("1.234,5"), None);
    assert_eq!(parse_value("--1,234"), None);
    assert_eq!(parse_value("12"), Some(12.0));
}

#[test]
fn an_unquoted_thousands_separator_is_a_wrong_number_of_fields_with_a_hint() {
    let c = read("date,value\n2025-07-07,1,234\n");
    assert_eq!(c.problems.len(), 1);
    let d = &c.problems[0];
    assert_eq!(d.position, Some(Position::new(2, 14)));
    assert_eq!(d.message.to_string(), "this row has 3 fields; expected date,value");
    assert!(help(d).contains("\"1,234\""), "{:?}", d.help);
}

#[test]
fn a_missing_or_misspelt_header_is_named_with_the_right_one() {
    let missing = read("2025-07-07,45\n2025-07-08,46\n");
    assert_eq!(missing.problems.len(), 1);
    assert_eq!(missing.problems[0].position, Some(Position::new(1, 1)));
    assert!(
        missing.problems[0]
            .message
            .to_string()
            .contains("header row is missing")
    );
    assert!(help(&missing.problems[0]).contains("`date,value`"));
    // The first row is still read as data.
    assert_eq!(missing.points.len(), 2);

    let misspelt = read("date,vaule\n2025-07-07,45\n");
    assert_eq!(
        problems("date,vaule\n2025-07-07,45\n"),
        [(1, 6, "header column 2 is `vaule`, expected `value`".to_string())]
    );
    assert_eq!(help(&misspelt.problems[0]), "did you mean `value`?");
    assert_eq!(misspelt.points.len(), 1, "rows under a misspelt header are read");

    let swapped = read("value,date\n45,2025-07-07\n");
    assert_eq!(swapped.problems.len(), 2, "{:?}", swapped.problems);
    assert_eq!(
        help(&swapped.problems[0]),
        "the columns go in the order date,value,note"
    );
    assert!(swapped.points.is_empty(), "rows under a wrong header are not read");

    let japanese = problems("日付,値\n2025-07-07,45\n");
    assert_eq!(
        japanese[0],
        (1, 1, "header column 1 is `日付`, expected `date`".to_string())
    );
    assert_eq!(
        japanese[1],
        (1, 4, "header column 2 is `値`, expected `value`".to_string())
    );
    assert_eq!(japanese.len(), 2);
}

#[test]
fn a_header_of_the_wrong_width_stops_the_file() {
    assert_eq!(
        problems("date\n2025-07-07\n"),
        [(1, 5, "the header has one column, `date`".to_string())]
    );
    assert_eq!(
        problems("date,value,note,source\n2025-07-07,1,n,s\n"),
        [(1, 17, "unexpected column `source` in the header".to_string())]
    );
}

#[test]
fn an_empty_file_is_an_error() {
    for text in ["", "\n\n", " \n"] {
        let p = problems(text);
        assert_eq!(p.len(), 1, "{text:?}: {p:?}");
        assert_eq!((p[0].0, p[0].1), (1, 1));
        assert!(p[0].2.contains("empty"), "{p:?}");
    }
}

#[test]
fn rows_with_too_few_or_too_many_fields_are_errors_at_the_field() {
    let text = "date,value,note\n2025-07-07\n2025-07-08,1,n,extra\n2025-07-09,2\n";
    assert_eq!(
        problems(text),
        [
            (2, 11, "this row has 1 field; expected date,value,note".to_string()),
            (3, 16, "this row has 4 fields; expected date,value,note".to_string()),
        ]
    );
    // A row may leave out its note.
    assert_eq!(read(text).points.len(), 1);
}

#[test]
fn every_bad_date_is_reported_with_what_would_be_right() {
    let text = "date,value\n,1\n2025-02-30,2\n2025/2/30,3\n7/7/2025,4\n2025/7/7 0:00,5\n2025-13-01,6\n";
    let p = problems(text);
    let expected = [
        (2, 1, "the date is empty"),
        (3, 1, "`2025-02-30` is an impossible date: 2025-02 has 28 days"),
        (4, 1, "`2025/2/30` is an impossible date: 2025-02 has 28 days"),
        (5, 1, "`7/7/2025` is not a date"),
        (6, 1, "`2025/7/7 0:00` has a time of day; a point has a date only"),
        (7, 1, "`2025-13-01` is an impossible date: there is no month 13"),
    ];
    let expected: Vec<(usize, usize, String)> = expected.iter().map(|(l, c, m)| (*l, *c, m.to_string())).collect();
    assert_eq!(p, expected);
    let c = read(text);
    assert!(help(&c.problems[3]).contains("YYYY/MM/DD"));
    assert!(c.points.is_empty());
}

#[test]
fn every_bad_value_is_reported_at_its_column() {
    let text = "date,value\n2025-07-07,\n2025-07-08,abc\n2025-07-09, 45%\n2025-07-10,\"1,23\"\n2025-07-11,１２\n";
    let c = read(text);
    let at: Vec<(usize, usize)> = c
        .problems
        .iter()
        .map(|d| (d.position.unwrap().line, d.position.unwrap().column))
        .collect();
    assert_eq!(at, [(2, 12), (3, 12), (4, 12), (5, 12), (6, 12)]);
    assert_eq!(c.problems[0].message.to_string(), "the value is empty");
    assert_eq!(c.problems[1].message.to_string(), "`abc` is not a number");
    assert!(help(&c.problems[2]).contains("without `%`"));
    assert!(help(&c.problems[3]).contains("groups of three"));
    assert!(help(&c.problems[4]).contains("ASCII digits"));
}

#[test]
fn a_bad_date_and_a_bad_value_of_one_row_are_both_reported() {
    let p = problems("date,value\n2025-02-30,x\n");
    assert_eq!(p.len(), 2);
    assert_eq!((p[0].0, p[0].1), (2, 1));
    assert_eq!((p[1].0, p[1].1), (2, 12));
}

#[test]
fn non_finite_and_huge_values_are_left_to_the_series_check() {
    // `resolve` reports them with the YAML's points, by the same rule.
    let c = read("date,value\n2025-07-07,inf\n2025-07-08,1e16\n");
    assert!(c.problems.is_empty());
    assert!(c.points[0].value.is_infinite());
    assert_eq!(c.points[1].value, 1e16);
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let p = problems("date,value,note\n2025-07-07,1,\"never closed\n2025-07-08,2,n\n");
    assert_eq!(p, [(2, 14, "this quoted field is never closed".to_string())]);
}

#[test]
fn past_twenty_problems_the_rest_are_counted_at_the_first() {
    let mut text = String::from("date,value\n");
    for _ in 0..25 {
        text.push_str("bad,1\n");
    }
    let c = read(&text);
    assert_eq!(c.problems.len(), 21);
    let last = c.problems.last().unwrap();
    assert_eq!(last.message.to_string(), "5 more problems in this file, the first here");
    // Header on line 1, the 21st bad row on line 22.
    assert_eq!(last.position, Some(Position::new(22, 1)));
}

#[test]
fn field_positions_count_characters_and_follow_quoted_newlines() {
    let text = "date,value,note\n2025-07-07,\"a\nb\",c\n";
    assert_eq!(field_position(text, row(16, 2), 0), Position::new(2, 1));
    assert_eq!(field_position(text, row(16, 2), 1), Position::new(2, 12));
    assert_eq!(field_position(text, row(16, 2), 2), Position::new(3, 4));
    // Past the last field: the end of the row.
    assert_eq!(field_position(text, row(16, 2), 5), Position::new(3, 5));
    assert_eq!(field_position("日付,値\n", row(0, 1), 1), Position::new(1, 4));
}

#[test]
fn lines_ending_in_a_bare_cr_are_read_and_positioned_as_one_line() {
    // Old Mac spreadsheets end lines in `\r`; positions count `\n` lines, as the
    // terminal's excerpt does: the second row starts on line 1 at column 12, its
    // value at column 23; the third at byte 24, column 25.
    let c = read("date,value\r2025-07-07,x\r2025-07-08,2\r");
    assert_eq!(
        c.rows,
        [RowStart {
            offset: 24,
            line: 1,
            column: 25
        }]
    );
    assert_eq!(c.problems[0].position, Some(Position::new(1, 23)));
    assert_eq!(c.points[0].value, 2.0);
}

#[test]
fn reading_is_linear_in_the_file_size() {
    // 200,000 rows, every one a problem: counted past the first twenty, no
    // position computed for them, so this stays fast.
    let mut text = String::from("date,value\n");
    for _ in 0..200_000 {
        text.push_str("2025-02-30,x\n");
    }
    let c = read(&text);
    assert_eq!(c.problems.len(), 21);
    assert!(c.problems[20].message.to_string().starts_with("399980 more problems"));
}

#[test]
fn the_example_of_the_content_format_reads_as_documented() {
    let doc = include_str!("../../docs/content-format.md");
    let start = doc.find("```csv\n").expect("docs/content-format.md has a CSV example") + 7;
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let c = read(example);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let last = c.points.last().unwrap();
    assert_eq!((last.date.0, last.value), (date(2025, 8, 18), 1027.0));
    assert_eq!(last.note.as_deref(), Some("展示会の翌週, 問い合わせ増"));
    assert_eq!(c.points[2].note.as_deref(), Some("お盆休み"));
}
