//! Teams in tree order, each with its depth.

use crate::model::{Site, Team};

/// Teams in tree order (parents before children, teams.yaml order among siblings), with depth.
pub fn team_tree(site: &Site) -> Vec<(usize, &Team)> {
    // A loop with its own stack and a set of teams seen: recursion overflowed the stack
    // on a 40,000-deep chain of parents, and looking through the list for each team was
    // quadratic.
    let mut out = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for root in site.teams.iter().filter(|t| t.parent.is_none()) {
        let mut stack: Vec<(&str, usize)> = vec![(root.id.as_str(), 0)];
        while let Some((id, depth)) = stack.pop() {
            if depth > site.teams.len() || !seen.insert(id) {
                continue;
            }
            if let Some(t) = site.team(id) {
                out.push((depth, t));
                stack.extend(t.children.iter().rev().map(|c| (c.as_str(), depth + 1)));
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jiff::civil::date;

    pub(crate) fn team(id: &str, parent: Option<&str>, children: &[&str]) -> Team {
        Team {
            id: id.into(),
            name: id.into(),
            parent: parent.map(Into::into),
            children: children.iter().map(|&c| c.into()).collect(),
        }
    }

    pub(crate) fn site(teams: Vec<Team>, quarters: Vec<crate::model::QuarterData>) -> Site {
        Site::new(
            crate::config::Config::with_title("t"),
            date(2026, 2, 1),
            teams,
            vec![],
            quarters,
        )
    }

    #[test]
    fn parents_come_before_children_in_file_order() {
        // teams.yaml order: b is listed before its sibling a, and the second root last.
        let s = site(
            vec![
                team("co", None, &["b", "a"]),
                team("a", Some("co"), &["a1"]),
                team("b", Some("co"), &[]),
                team("a1", Some("a"), &[]),
                team("other", None, &[]),
            ],
            vec![],
        );
        let order: Vec<(usize, &str)> = team_tree(&s).iter().map(|(d, t)| (*d, t.id.as_str())).collect();
        assert_eq!(order, [(0, "co"), (1, "b"), (1, "a"), (2, "a1"), (0, "other")]);
    }

    #[test]
    fn a_team_listed_twice_as_a_child_appears_once() {
        let s = site(vec![team("co", None, &["a", "a"]), team("a", Some("co"), &[])], vec![]);
        assert_eq!(team_tree(&s).len(), 2);
    }
}
