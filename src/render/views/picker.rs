//! The team picker's data file: every team's id, name and where the picker takes a
//! reader (the team's review of the current quarter when it has one, else its page).
//!
//! A script file (`assets/team-index.<hash>.js`, named by its content) that calls
//! `okrsiteTeams([[id, name, url], …])`, loaded by the picker with a `<script>`
//! element only when a reader first uses it: a script loads from `file://` and under
//! any sub-path, where `fetch` of a local file is refused, and pages stay small.

use crate::files::{OutputFile, fingerprinted};
use crate::model::Site;
use crate::render::urls;

/// The data file for `site`'s teams, in tree order; `current` is the quarter the
/// dashboard shows ([`crate::insight::elapsed::current_quarter`]).
pub fn team_picker_file(site: &Site, current: Option<usize>) -> OutputFile {
    let quarter = current.map(|qi| &site.quarters[qi]);
    let teams: Vec<(&str, &str, String)> = crate::insight::team_tree::team_tree(site)
        .into_iter()
        .map(|(_, team)| {
            let reviewed = quarter.filter(|q| q.teams.iter().any(|tq| tq.team == team.id));
            let url = match reviewed {
                Some(q) => urls::review(q.quarter, &team.id),
                None => urls::team(&team.id),
            };
            (team.id.as_str(), team.name.as_str(), url)
        })
        .collect();
    // As the search files: `<`, `>`, `&`, U+2028 and U+2029 escaped, so no team name
    // can end a script or break the JavaScript however the file is read.
    let js = format!("okrsiteTeams({});\n", crate::render::search::safe_json(&teams));
    OutputFile::new(fingerprinted("assets/team-index.js", js.as_bytes()), js)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::team_tree::tests::{site, team};

    #[test]
    fn a_team_without_a_current_quarter_goes_to_its_page() {
        let s = site(vec![team("co", None, &["a"]), team("a", Some("co"), &[])], vec![]);
        let file = team_picker_file(&s, None);
        let text = String::from_utf8(file.bytes.to_vec()).unwrap();
        assert_eq!(
            text,
            "okrsiteTeams([[\"co\",\"co\",\"teams/co/index.html\"],[\"a\",\"a\",\"teams/a/index.html\"]]);\n"
        );
        assert!(file.path.starts_with("assets/team-index.") && file.path.ends_with(".js"));
    }
}
