//! A quarter's booklet: every team's review sheet on one page, each printed on a
//! sheet of its own, for the review meeting. A quarter of more than [`BOOKLET_SHEETS`]
//! teams gets a booklet per unit instead (a unit of more teams, one per
//! [`BOOKLET_SHEETS`] of them), and `print.html` lists them: a sheet is about 100 KB of
//! HTML, so one booklet of 400 teams was over 40 MB, more than a browser prints.

use serde::Serialize;
use tera::Context;

use super::page::Page;
use crate::render::urls;
use crate::render::views::Views;

/// The most sheets one booklet page holds (about 2.5 MB of HTML at 100 KB a sheet).
pub const BOOKLET_SHEETS: usize = 25;

/// One page of a quarter's split booklet: the teams of one unit, or of a part of it.
pub struct BookletPart {
    /// The unit's id: the parent team of the part's teams (a root team is its own unit).
    pub unit: String,
    /// 1-based, and how many parts the unit has.
    pub part: usize,
    pub parts: usize,
    /// The part's teams, as indices into the quarter's teams, in the quarter's order.
    pub teams: Vec<usize>,
}

impl BookletPart {
    fn path(&self, q: crate::domain::Quarter) -> String {
        let part = (self.parts > 1).then_some(self.part);
        urls::quarter_print_part(q, &self.unit, part)
    }
}

/// The pages of quarter `qi`'s booklet when it is split (more than [`BOOKLET_SHEETS`]
/// teams), else none: units in the order their first team comes in the quarter.
pub fn booklet_parts(v: &Views<'_>, qi: usize) -> Vec<BookletPart> {
    let q = &v.site.quarters[qi];
    if q.teams.len() <= BOOKLET_SHEETS {
        return Vec::new();
    }
    let mut units: Vec<(String, Vec<usize>)> = Vec::new();
    for (ti, tq) in q.teams.iter().enumerate() {
        let parent = v.site.team(&tq.team).and_then(|t| t.parent.as_deref());
        let unit = parent.unwrap_or(&tq.team).to_string();
        match units.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, teams)) => teams.push(ti),
            None => units.push((unit, vec![ti])),
        }
    }
    let mut out = Vec::new();
    for (unit, teams) in units {
        let parts = teams.len().div_ceil(BOOKLET_SHEETS);
        for (i, chunk) in teams.chunks(BOOKLET_SHEETS).enumerate() {
            out.push(BookletPart {
                unit: unit.clone(),
                part: i + 1,
                parts,
                teams: chunk.to_vec(),
            });
        }
    }
    out
}

/// A link to a part of the booklet, as `print.html` lists it.
#[derive(Serialize)]
struct PartLink {
    label: String,
    url: String,
    teams: usize,
}

/// The teams of quarter `qi` whose sheets one page of its booklet holds: all of
/// them (`part` none: a booklet of one page), or part `part` of its split booklet
/// ([`booklet_parts`]).
pub fn booklet_teams(v: &Views<'_>, qi: usize, part: Option<usize>) -> Vec<usize> {
    match part {
        None => (0..v.site.quarters[qi].teams.len()).collect(),
        Some(pi) => booklet_parts(v, qi).swap_remove(pi).teams,
    }
}

/// The page of quarter `qi`'s booklet that holds the sheets of [`booklet_teams`]
/// (the same `part`): `print.html` or a part of a split booklet. `review` gives the
/// `j`th team's sheet as a Tera value, for a page whose way to the site root is
/// `root` and the sheet's ids' prefix ([`sheet_id_prefix`]): its
/// [`super::review::marked_sheet`] (sheet `j` of the page; the page is then to be
/// finished with [`super::fragments::splice`]), or its
/// [`super::review::filled_sheet`].
pub fn booklet_sheets_page(v: &Views<'_>, qi: usize, part: Option<usize>, review: &Review<'_>) -> Page {
    let q = &v.site.quarters[qi];
    let Some(pi) = part else {
        let title = v.t.fill("print_booklet_title", "quarter", &v.fmt.quarter(q.quarter));
        let all: Vec<usize> = (0..q.teams.len()).collect();
        return sheets_page(v, qi, urls::quarter_print(q.quarter), title, &all, review);
    };
    let part = booklet_parts(v, qi).swap_remove(pi);
    let title = v.t.format(
        "print_booklet_part_title",
        &[("quarter", &v.fmt.quarter(q.quarter)), ("unit", &part_label(v, &part))],
    );
    let mut page = sheets_page(v, qi, part.path(q.quarter), title, &part.teams, review);
    page.data.insert("booklet_url", &urls::quarter_print(q.quarter));
    page
}

/// `print.html` of a quarter whose booklet is split ([`booklet_parts`]): the list of
/// its parts.
pub fn booklet_index_page(v: &Views<'_>, qi: usize) -> Page {
    let q = &v.site.quarters[qi];
    let links: Vec<PartLink> = (booklet_parts(v, qi).iter())
        .map(|p| PartLink {
            label: part_label(v, p),
            url: p.path(q.quarter),
            teams: p.teams.len(),
        })
        .collect();
    let mut data = Context::new();
    data.insert("quarter", &crate::render::views::quarter_ref(&v.fmt, v.t, q));
    data.insert("parts", &links);
    Page {
        path: urls::quarter_print(q.quarter),
        template: "quarter-print.html",
        title: v.t.fill("print_booklet_title", "quarter", &v.fmt.quarter(q.quarter)),
        nav: "quarters",
        data,
        as_of: super::page::running(v, qi),
    }
}

/// A part's name: its unit's, with the part's number when the unit has several.
fn part_label(v: &Views<'_>, p: &BookletPart) -> String {
    let name = v.site.team(&p.unit).map_or(p.unit.as_str(), |t| t.name.as_str());
    if p.parts == 1 {
        return name.to_string();
    }
    let (part, parts) = (p.part.to_string(), p.parts.to_string());
    v.t.format(
        "print_booklet_part_label",
        &[("unit", name), ("part", &part), ("parts", &parts)],
    )
}

/// A booklet page's sheet `j` for a page whose way to the root and ids' prefix are
/// given ([`booklet_sheets_page`]).
pub type Review<'a> = dyn Fn(usize, &str, &str) -> tera::Value + Sync + 'a;

/// A booklet page at `path` holding the sheets of the quarter's teams `teams`, each
/// made by `review`.
fn sheets_page(v: &Views<'_>, qi: usize, path: String, title: String, teams: &[usize], review: &Review<'_>) -> Page {
    let q = &v.site.quarters[qi];
    let root = urls::root_of(&path);
    // Each sheet as `{review, idp}`.
    let sheets: Vec<tera::Value> = (teams.iter().enumerate())
        .map(|(j, &ti)| {
            let idp = sheet_id_prefix(&q.teams[ti].team);
            let mut sheet = tera::Map::default();
            sheet.insert("review".into(), review(j, &root, &idp));
            sheet.insert("idp".into(), idp.into());
            tera::Value::from(sheet)
        })
        .collect();
    let mut data = Context::new();
    data.insert("quarter", &crate::render::views::quarter_ref(&v.fmt, v.t, q));
    data.insert_value("sheets", tera::Value::from(sheets));
    // The booklet's sheets go without the objective scores chart: the sheet's own
    // list of objectives is what prints.
    data.insert("overview", &None::<()>);
    // Its KR charts are what prints (`chart.html`): the review pages have the rest.
    data.insert("booklet", &true);
    Page {
        path,
        template: "quarter-print.html",
        title,
        nav: "quarters",
        data,
        as_of: super::page::running(v, qi),
    }
}

/// The id prefix of each of quarter `qi`'s `teams` in its booklet ([`sheet_id_prefix`]).
pub fn sheet_id_prefixes(v: &Views<'_>, qi: usize, teams: &[usize]) -> Vec<String> {
    let q = &v.site.quarters[qi];
    (teams.iter()).map(|&ti| sheet_id_prefix(&q.teams[ti].team)).collect()
}

/// What every id of a team's sheet starts with: the team's id and a `.`, which no
/// id (a slug) holds, so no two sheets' ids can meet.
pub fn sheet_id_prefix(team: &str) -> String {
    format!("{team}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_teams_whose_ids_run_into_each_other_stay_apart() {
        // Team `a` with heading `b-x`, team `a-b` with heading `x`.
        let one = format!("{}b-x", sheet_id_prefix("a"));
        let two = format!("{}x", sheet_id_prefix("a-b"));
        assert_eq!((one.as_str(), two.as_str()), ("a.b-x", "a-b.x"));
    }
}
