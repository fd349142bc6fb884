//! A quarter's booklet: every team's review sheet on one page, each printed on a
//! sheet of its own, for the review meeting.

use serde::Serialize;
use tera::Context;

use super::page::Page;
use super::review::sheet;
use crate::render::urls::{self, root_of};
use crate::render::views::{TeamQuarterView, Views};

/// One team's sheet in the booklet, and what its ids start with.
#[derive(Serialize)]
struct Sheet {
    review: TeamQuarterView,
    idp: String,
}

/// The booklet of quarter `qi`: its teams' sheets in the order of its quarter page.
pub fn booklet_page(v: &Views<'_>, qi: usize) -> Page {
    let q = &v.site.quarters[qi];
    let path = urls::quarter_print(q.quarter);
    let root = root_of(&path);
    let sheets: Vec<Sheet> = (v.team_quarters[qi].iter().enumerate())
        .map(|(ti, view)| {
            let idp = sheet_id_prefix(&q.teams[ti].team);
            Sheet {
                review: sheet(v, qi, ti, view.clone(), &root, &idp),
                idp,
            }
        })
        .collect();
    let mut data = Context::new();
    data.insert("quarter", &crate::render::views::quarter_ref(&v.fmt, v.t, q));
    data.insert("sheets", &sheets);
    // The booklet's sheets go without the objective scores chart: the sheet's own
    // list of objectives is what prints.
    data.insert("overview", &None::<()>);
    Page {
        path,
        template: "quarter-print.html",
        title: v.t.fill("print_booklet_title", "quarter", &v.fmt.quarter(q.quarter)),
        nav: "quarters",
        data,
        as_of: super::page::running(v, qi),
    }
}

/// What every id of a team's sheet starts with: the team's id and a `.`, which no
/// id (a slug) holds, so no two sheets' ids can meet.
fn sheet_id_prefix(team: &str) -> String {
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
