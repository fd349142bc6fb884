//! Teams grouped by their parent unit, for the team tables of the dashboard and the
//! quarter page: a unit is a team with children; it holds its children, and a root
//! team (one without a parent) is in a unit of its own heading.

use crate::model::{Site, Team};

/// One unit: the team heading it and its members, in tree order.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub head: &'a Team,
    pub members: Vec<&'a Team>,
}

/// The units of the site in tree order of their heads (a root team first in its own
/// unit, then its children; each unit's children in teams.yaml order).
pub fn units(site: &Site) -> Vec<Unit<'_>> {
    let tree = crate::insight::team_tree::team_tree(site);
    let mut out: Vec<Unit<'_>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, team) in &tree {
        let key = team.parent.as_deref().unwrap_or(team.id.as_str());
        // Tree order puts a parent before its children, so a unit's head is seen first.
        let at = *index.entry(key).or_insert_with(|| {
            let head = site.team(key).unwrap_or(team);
            out.push(Unit {
                head,
                members: Vec::new(),
            });
            out.len() - 1
        });
        out[at].members.push(team);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::team_tree::tests::{site, team};

    #[test]
    fn grouped_by_parent_in_tree_order() {
        let site = site(
            vec![
                team("company", None, &["a", "b"]),
                team("a", Some("company"), &["a1", "a2"]),
                team("b", Some("company"), &[]),
                team("a1", Some("a"), &[]),
                team("a2", Some("a"), &[]),
            ],
            vec![],
        );
        let got: Vec<(&str, Vec<&str>)> = units(&site)
            .iter()
            .map(|u| (u.head.id.as_str(), u.members.iter().map(|t| t.id.as_str()).collect()))
            .collect();
        assert_eq!(got, [("company", vec!["company", "a", "b"]), ("a", vec!["a1", "a2"])]);
    }
}
