//! A chart's whole `<figure>` as the theme's `chart.html` prints it, written without
//! Tera. A review sheet's KR charts show on its review page and in its booklet, and
//! each figure's notes and data table (a dozen rows of three cells) cost Tera a
//! conversion of every cell and a loop over them, on both pages. okrsite writes the
//! figure itself only while `chart.html` is its own and no template of the site's
//! reads a chart's parts ([`written_whole`]); it puts it in the chart's `figure`
//! field, which that `chart.html` prints as it is. A unit test renders the template
//! for charts of every shape and checks that both write the same bytes.

use super::fragments::{tags, without_strings};
use crate::render::charts::Chart;
use crate::render::theme::TEMPLATES;

/// What `chart.html` prints before a chart's two SVGs.
pub const BEFORE_SVGS: &str = "<figure class=\"chart-figure\">\n";

/// What `chart.html` prints after a chart's SVGs: on a review page (and any other)
/// its notes, then its data table in a `<details>` whose summary is `chart_data` (the
/// UI string `t.chart_data`), every text escaped as Tera escapes it; in a booklet
/// (`booklet` true) its notes alone.
pub struct AfterSvgs {
    bytes: Vec<u8>,
    /// Where the data table starts in `bytes`.
    data_at: usize,
}

/// What `chart.html` prints in a booklet after the notes, in place of the data table.
const BOOKLET_END: &[u8] = b"\n</figure>\n";

impl AfterSvgs {
    /// As a review page shows it (after both SVGs).
    pub fn page(&self) -> &[u8] {
        &self.bytes
    }

    /// As a booklet shows it (after the narrow SVG alone).
    pub fn write_booklet(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes[..self.data_at]);
        out.extend_from_slice(BOOKLET_END);
    }
}

/// [`AfterSvgs`] of `chart`.
pub fn after_svgs(chart: &Chart, chart_data: &str) -> AfterSvgs {
    let cells: usize = chart.rows.iter().flatten().map(|c| c.len() + 9).sum();
    let mut out = Vec::with_capacity(cells + 16 * chart.rows.len() + 256);
    out.push(b'\n');
    if !chart.notes.is_empty() {
        out.extend_from_slice(b"<ol class=\"chart-notes\">");
        for n in &chart.notes {
            element(&mut out, "<li>", n, "</li>");
        }
        out.extend_from_slice(b"</ol>");
    }
    let data_at = out.len();
    out.extend_from_slice(b"\n<details class=\"chart-data\"><summary>");
    escape(chart_data, &mut out);
    out.extend_from_slice(b"</summary>\n<div class=\"table-scroll\"><table class=\"table\">\n<thead><tr>");
    for c in &chart.columns {
        element(&mut out, "<th scope=\"col\">", c, "</th>");
    }
    out.extend_from_slice(b"</tr></thead>\n<tbody>");
    for row in &chart.rows {
        out.extend_from_slice(b"<tr>");
        for cell in row {
            element(&mut out, "<td>", cell, "</td>");
        }
        out.extend_from_slice(b"</tr>");
    }
    out.extend_from_slice(b"</tbody>\n</table></div>\n</details>\n</figure>\n");
    AfterSvgs { bytes: out, data_at }
}

/// `chart` as a chart whose `figure` is its whole figure (its SVGs as drawn, for
/// one page): what `chart.html` prints for it, without Tera.
pub fn whole(chart: &Chart, chart_data: &str) -> Chart {
    let mut figure = Vec::with_capacity(chart.svg.len() + chart.narrow.len() + 1024);
    figure.extend_from_slice(BEFORE_SVGS.as_bytes());
    figure.extend_from_slice(chart.svg.as_bytes());
    figure.extend_from_slice(chart.narrow.as_bytes());
    figure.extend_from_slice(after_svgs(chart, chart_data).page());
    // Valid UTF-8: texts with ASCII escapes in between.
    let figure = String::from_utf8(figure).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Chart {
        figure,
        ..Chart::default()
    }
}

/// `open`, `text` escaped, `close`.
fn element(out: &mut Vec<u8>, open: &str, text: &str, close: &str) {
    out.extend_from_slice(open.as_bytes());
    escape(text, out);
    out.extend_from_slice(close.as_bytes());
}

/// `text` escaped as Tera escapes what a template prints (its default escape).
fn escape(text: &str, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, out);
}

/// The fields of a chart, as a template names them.
const CHART_FIELDS: [&str; 7] = ["svg", "narrow", "summary", "columns", "rows", "notes", "figure"];

/// Whether okrsite may write charts' figures itself ([`whole`]): when `templates`
/// (each template's name and source, the site's own in place of the theme's) hold the
/// theme's own `chart.html`, and no template of the site's own reads a field of a
/// chart in a tag (`x.rows`, `x["notes"]`…: a figure's chart has them empty) or
/// dumps views (`json_encode`). The test is by name only, so it refuses a template
/// that reads another thing's `rows`: that theme's pages are then made the slower
/// way, with the same bytes.
pub fn written_whole<'t>(templates: impl IntoIterator<Item = (&'t str, &'t str)>) -> bool {
    templates.into_iter().all(|(name, source)| {
        let own = TEMPLATES.iter().any(|&(n, text)| n == name && text == source);
        own || (name != "chart.html" && !reads_chart_field(source))
    })
}

/// Whether a tag of `source` reads a field named as a chart's ([`CHART_FIELDS`]) or
/// dumps a value.
fn reads_chart_field(source: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    tags(source).any(|(tag, _)| {
        let code = without_strings(tag);
        tag.contains("json_encode")
            || CHART_FIELDS.iter().any(|field| {
                let quoted = [format!("[\"{field}\"]"), format!("['{field}']")];
                let read = |(at, _): (usize, &str)| !code[at + 1 + field.len()..].starts_with(ident);
                quoted.iter().any(|q| tag.contains(q.as_str())) || code.match_indices(&format!(".{field}")).any(read)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the theme's `chart.html` prints for `chart`, through Tera.
    fn through_tera(chart: &Chart, chart_data: &str) -> String {
        through_tera_in(chart, chart_data, None)
    }

    /// [`through_tera`] with `booklet` set to `booklet`, if given.
    fn through_tera_in(chart: &Chart, chart_data: &str, booklet: Option<bool>) -> String {
        let source = TEMPLATES.iter().find(|(n, _)| *n == "chart.html").unwrap().1;
        let mut tera = tera::Tera::new();
        tera.add_raw_template("chart.html", source).unwrap();
        let mut data = tera::Context::new();
        if let Some(booklet) = booklet {
            data.insert("booklet", &booklet);
        }
        data.insert("chart", chart);
        data.insert("t", &std::collections::BTreeMap::from([("chart_data", chart_data)]));
        tera.render("chart.html", &data).unwrap()
    }

    fn chart(notes: &[&str], columns: &[&str], rows: &[&[&str]]) -> Chart {
        let texts = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Chart {
            svg: "<svg id=\"w\"><text>a &amp; b</text></svg>".into(),
            narrow: "<svg id=\"n\"></svg>".into(),
            summary: "left out <&>".into(),
            columns: texts(columns),
            rows: rows.iter().map(|r| texts(r)).collect(),
            notes: texts(notes),
            figure: String::new(),
        }
    }

    #[test]
    fn the_figure_is_what_chart_html_prints() {
        let charts = [
            chart(
                &["launch <b>", "A & B's \"note\""],
                &["日付", "値", "メモ"],
                &[&["2026年7月1日", "1,200", ""], &["7/8", "<&>\"'", "x > y"]],
            ),
            chart(&[], &["Date", "Value"], &[&["Jul 1, 2026", "12 %"]]),
            chart(&[], &[], &[]),
            chart(&[""], &["a"], &[&[], &["", ""]]),
        ];
        for chart_data in ["グラフのデータを表で見る", "Show <the> \"data\" & 'more'"] {
            for c in &charts {
                let mut rust = BEFORE_SVGS.as_bytes().to_vec();
                rust.extend_from_slice(c.svg.as_bytes());
                rust.extend_from_slice(c.narrow.as_bytes());
                rust.extend_from_slice(after_svgs(c, chart_data).page());
                let tera = through_tera(c, chart_data);
                assert_eq!(String::from_utf8(rust).unwrap(), tera);
                assert_eq!(whole(c, chart_data).figure, tera);
                assert_eq!(through_tera_in(c, chart_data, Some(false)), tera);
                // In a booklet: the narrow drawing and the notes.
                let mut booklet = BEFORE_SVGS.as_bytes().to_vec();
                booklet.extend_from_slice(c.narrow.as_bytes());
                after_svgs(c, chart_data).write_booklet(&mut booklet);
                let tera = through_tera_in(c, chart_data, Some(true));
                assert_eq!(String::from_utf8(booklet).unwrap(), tera);
                assert!(!tera.contains("id=\"w\"") && !tera.contains("<details"), "{tera}");
            }
        }
    }

    #[test]
    fn chart_html_prints_a_figure_as_it_is() {
        let c = whole(&chart(&["n"], &["c"], &[&["<x>"]]), "data");
        assert_eq!(through_tera(&c, "data"), c.figure);
        let marker = Chart {
            figure: "<okrsitefragment0:0f1>".into(),
            ..Chart::default()
        };
        assert_eq!(through_tera(&marker, "data"), marker.figure);
    }

    #[test]
    fn figures_are_written_only_while_no_template_of_the_site_reads_a_chart() {
        let theme = || TEMPLATES.iter().copied();
        assert!(written_whole(theme()));
        let with = |name: &'static str, source: &'static str| {
            written_whole(theme().filter(move |(n, _)| *n != name).chain([(name, source)]))
        };
        let base = "{% set icon = asset(name=\"favicon.svg\") %}<p>See the .notes</p>{% block content %}{% endblock %}";
        assert!(with("base.html", base));
        assert!(with("extra.html", "{{ kr.title }} rows of {{ kr.notes_count }}"));
        assert!(!with("chart.html", "<figure>{{ chart.svg | safe }}</figure>"));
        for reads in [
            "{% for r in kr.chart.rows %}{{ r }}{% endfor %}",
            "{{ chart[\"notes\"] }}",
            "{{ overview.figure | length }}",
            "{{ review | json_encode }}",
            "{{ chart.svg | safe }}",
            "{% for n in kr.chart.notes -%} {{ n }}{% endfor %}",
            "{{ kr['chart']['summary'] }}",
        ] {
            assert!(!with("review-sheet.html", reads), "{reads}");
        }
    }
}
