//! The KPI tree: metrics joined by `drives` (a lever → the metric it moves). Its
//! roots are the metrics that drive nothing (the KGIs); a node's children are the
//! metrics that drive it. Each node carries its newest value, threshold colour,
//! change since the previous point, a stale mark, and the worst colour of its
//! subtree.
//!
//! `drives` may name several metrics, so the "tree" is a DAG: a metric driving two
//! parents appears under each. To keep the tree linear in the number of `drives`
//! edges (a DAG of diamonds would otherwise grow exponentially), a metric's own
//! levers are expanded only at its first appearance (in page order); later
//! appearances show the metric with its rolled-up colour and point to the first
//! ([`TreeNode::expanded`] is false). Content with a cycle is rejected when read;
//! should one reach here anyway, the same rule ends the walk.

use jiff::civil::Date;

use super::comparisons::changes;
use super::metric_band::{Stale, latest_point, metric_band, staleness};
use crate::model::{Light, Metric, Point};

/// What the tree shows of one metric (the same wherever it appears).
#[derive(Debug, Clone)]
pub struct MetricState<'a> {
    pub metric: &'a Metric,
    /// The newest point on or before today.
    pub newest: Option<&'a Point>,
    /// The newest value minus the point before it.
    pub change: Option<f64>,
    /// The threshold band of the newest value.
    pub band: Option<Light>,
    pub stale: Option<Stale>,
    /// The worst band of this metric and every metric under it.
    pub worst: Option<Light>,
}

/// One appearance of a metric in the tree, in page order (depth first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeNode {
    /// Index into [`KpiTree::states`] (and the site's metrics).
    pub metric: usize,
    /// 0 for a root.
    pub depth: usize,
    /// Whether its levers are listed under it here (its first appearance with
    /// levers); false for a metric without levers and for later appearances.
    pub expanded: bool,
    /// Whether it has levers at all (shown at its first appearance when not here).
    pub has_levers: bool,
}

#[derive(Debug, Clone)]
pub struct KpiTree<'a> {
    /// Parallel to the metrics given.
    pub states: Vec<MetricState<'a>>,
    /// The tree's nodes in page order; depth first, roots in metric order.
    pub nodes: Vec<TreeNode>,
    /// Metrics in no tree: they drive nothing and nothing drives them.
    pub loose: Vec<usize>,
}

/// For each metric, the indices of the metrics that drive it (in metric order).
pub fn levers(metrics: &[Metric]) -> Vec<Vec<usize>> {
    let index: std::collections::HashMap<&str, usize> =
        metrics.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
    let mut levers = vec![Vec::new(); metrics.len()];
    for (i, m) in metrics.iter().enumerate() {
        for d in &m.drives {
            if let Some(&target) = index.get(d.as_str()) {
                levers[target].push(i);
            }
        }
    }
    levers
}

/// The KPI tree of `metrics` on `today`.
pub fn kpi_tree(metrics: &[Metric], today: Date) -> KpiTree<'_> {
    let levers = levers(metrics);
    let bands: Vec<Option<Light>> = metrics.iter().map(|m| metric_band(m, today).map(|(b, _)| b)).collect();
    let worst = worst_below(&levers, &bands);
    let states = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| MetricState {
            metric: m,
            newest: latest_point(&m.points, today),
            change: change_since_previous(&m.points, today),
            band: bands[i],
            stale: staleness(m, today),
            worst: worst[i],
        })
        .collect();
    let drives_nothing = |i: usize| metrics[i].drives.is_empty();
    let (mut nodes, mut loose) = (Vec::new(), Vec::new());
    let mut expanded = vec![false; metrics.len()];
    for root in (0..metrics.len()).filter(|&i| drives_nothing(i)) {
        if levers[root].is_empty() {
            loose.push(root);
        } else {
            walk(root, &levers, &mut expanded, &mut nodes);
        }
    }
    KpiTree { states, nodes, loose }
}

/// Appends the nodes under `root` (itself first), depth first, each metric's levers
/// expanded at its first appearance only. Iterative: no recursion however deep.
fn walk(root: usize, levers: &[Vec<usize>], expanded: &mut [bool], nodes: &mut Vec<TreeNode>) {
    let mut stack = vec![(root, 0usize)];
    while let Some((m, depth)) = stack.pop() {
        let has_levers = !levers[m].is_empty();
        let expand = has_levers && !expanded[m];
        expanded[m] = true;
        nodes.push(TreeNode {
            metric: m,
            depth,
            expanded: expand,
            has_levers,
        });
        if expand {
            stack.extend(levers[m].iter().rev().map(|&c| (c, depth + 1)));
        }
    }
}

/// The newest value (on or before today) minus the point right before it.
fn change_since_previous(points: &[Point], today: Date) -> Option<f64> {
    let n = points.iter().filter(|p| p.date <= today).count();
    changes(&points[..n]).last().flatten()
}

/// Each metric's worst band over itself and everything under it (post-order,
/// iterative; each edge looked at once). A node met again while its own subtree is
/// being walked (only possible in a cycle) adds nothing.
fn worst_below(levers: &[Vec<usize>], bands: &[Option<Light>]) -> Vec<Option<Light>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; levers.len()];
    let mut worst = bands.to_vec();
    for start in 0..levers.len() {
        if state[start] != State::New {
            continue;
        }
        state[start] = State::Open;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (m, ref mut next)) = stack.last_mut() {
            if let Some(&c) = levers[m].get(*next) {
                *next += 1;
                match state[c] {
                    State::New => {
                        state[c] = State::Open;
                        stack.push((c, 0));
                    }
                    State::Done => worst[m] = worst[m].max(worst[c]),
                    State::Open => {}
                }
                continue;
            }
            state[m] = State::Done;
            stack.pop();
            if let Some(&(parent, _)) = stack.last() {
                worst[parent] = worst[parent].max(worst[m]);
            }
        }
    }
    worst
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Aggregate, Definition, Direction, MetricId, Thresholds};
    use jiff::civil::date;

    /// A metric (increase; red below 50, yellow below 80) driving `drives`, with
    /// `values` on consecutive days from 2026-01-01.
    pub(crate) fn metric(id: &str, drives: &[&str], values: &[f64]) -> Metric {
        Metric {
            id: id.into(),
            name: id.into(),
            unit: None,
            direction: Some(Direction::Increase),
            layer: None,
            definition: Definition::default(),
            aggregate: Aggregate::Last,
            action: None,
            cadence: None,
            drives: drives.iter().map(|d| MetricId::new(*d)).collect(),
            thresholds: Some(Thresholds {
                red: Some(50.0),
                yellow: Some(80.0),
            }),
            points: values
                .iter()
                .enumerate()
                .map(|(i, &v)| Point::new(date(2026, 1, 1 + i as i8), v))
                .collect(),
            source: String::new(),
        }
    }

    fn shape<'a>(tree: &KpiTree<'a>) -> Vec<(usize, &'a str, bool)> {
        tree.nodes
            .iter()
            .map(|n| (n.depth, tree.states[n.metric].metric.id.as_str(), n.expanded))
            .collect()
    }

    #[test]
    fn three_levels_a_shared_lever_under_each_parent_and_loose_metrics() {
        // kgi ← kpi ← (kdi, shared); kgi ← shared; other: no edges.
        let metrics = [
            metric("kdi", &["kpi"], &[90.0]),
            metric("kgi", &[], &[95.0]),
            metric("kpi", &["kgi"], &[85.0]),
            metric("other", &[], &[10.0]),
            metric("shared", &["kpi", "kgi"], &[60.0, 70.0]),
        ];
        let tree = kpi_tree(&metrics, date(2026, 1, 31));
        assert_eq!(
            shape(&tree),
            [
                (0, "kgi", true),
                (1, "kpi", true),
                (2, "kdi", false),
                (2, "shared", false),
                (1, "shared", false),
            ]
        );
        assert_eq!(tree.loose, [3]);
        // The shared lever (yellow, 70) colours both parents; `other` is red alone.
        let worst: Vec<Option<Light>> = tree.states.iter().map(|s| s.worst).collect();
        assert_eq!(
            worst,
            [
                Some(Light::Green),
                Some(Light::Yellow),
                Some(Light::Yellow),
                Some(Light::Red),
                Some(Light::Yellow)
            ]
        );
        assert_eq!(tree.states[4].change, Some(10.0));
        assert_eq!(tree.states[1].change, None);
    }

    #[test]
    fn red_deep_down_rolls_up_to_the_root() {
        let metrics = [
            metric("a", &[], &[90.0]),
            metric("b", &["a"], &[90.0]),
            metric("c", &["b"], &[40.0, 30.0]),
        ];
        let tree = kpi_tree(&metrics, date(2026, 1, 31));
        let worst: Vec<Option<Light>> = tree.states.iter().map(|s| s.worst).collect();
        assert_eq!(worst, [Some(Light::Red); 3]);
        assert_eq!(tree.states[0].band, Some(Light::Green));
        assert_eq!(tree.states[2].change, Some(-10.0));
    }

    #[test]
    fn a_diamond_chain_stays_linear_and_a_cycle_ends() {
        // m0 ← m1, m0 ← m2; m1 ← m3, m2 ← m3; … : 2^k paths, 3k+1 nodes shown.
        let k = 40;
        let mut metrics = vec![metric("m0", &[], &[90.0])];
        for i in 0..k {
            let top = format!("m{}", 2 * i);
            metrics.push(metric(&format!("m{}", 2 * i + 1), &[&top], &[90.0]));
            let mid = format!("m{}", 2 * i + 1);
            metrics.push(metric(&format!("m{}", 2 * i + 2), &[&top, &mid], &[90.0]));
        }
        let tree = kpi_tree(&metrics, date(2026, 1, 31));
        assert_eq!(tree.nodes.len(), 3 * k + 1);
        // A cycle (rejected when content is read) still ends.
        let cyclic = [metric("a", &["b"], &[1.0]), metric("b", &["a"], &[1.0])];
        let tree = kpi_tree(&cyclic, date(2026, 1, 31));
        assert!(tree.nodes.is_empty() && tree.loose.is_empty());
        assert_eq!(tree.states[0].worst, Some(Light::Red));
    }
}
