//! Average-link agglomerative clustering over a sparse similarity graph.
//!
//! Two groups merge while the mean similarity over all pairs of their members is at least the
//! threshold; pairs with no edge count as zero, so a story only grows by articles that resemble
//! most of it, not just one of its members. Only pairs of groups joined by an edge are ever
//! looked at, so the cost follows the edges, not the square of the articles.

use std::collections::{BTreeMap, BinaryHeap};

/// A possible merge, ordered by mean similarity, then by the lower indices (deterministic).
#[derive(Debug, PartialEq)]
struct Candidate {
    mean: f32,
    a: usize,
    b: usize,
    versions: (u32, u32),
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then(other.a.cmp(&self.a))
            .then(other.b.cmp(&self.b))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The working state: each live group's members, version and summed similarity to its
/// neighbouring groups.
struct Groups {
    members: Vec<Vec<u32>>,
    version: Vec<u32>,
    links: Vec<BTreeMap<usize, f32>>,
    heap: BinaryHeap<Candidate>,
}

impl Groups {
    fn push(&mut self, a: usize, b: usize, sum: f32) {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        let size = (self.members[a].len() * self.members[b].len()) as f32;
        self.heap.push(Candidate {
            mean: sum / size,
            a,
            b,
            versions: (self.version[a], self.version[b]),
        });
    }

    fn is_current(&self, c: &Candidate) -> bool {
        !self.members[c.a].is_empty()
            && !self.members[c.b].is_empty()
            && (self.version[c.a], self.version[c.b]) == c.versions
    }

    /// Folds group `b` into group `a` (a < b).
    fn merge(&mut self, a: usize, b: usize) {
        let moved = std::mem::take(&mut self.members[b]);
        self.members[a].extend(moved);
        let b_links = std::mem::take(&mut self.links[b]);
        self.links[a].remove(&b);
        for (other, sum) in b_links {
            if other == a {
                continue;
            }
            *self.links[a].entry(other).or_default() += sum;
            self.links[other].remove(&b);
        }
        self.version[a] += 1;
        let updates: Vec<(usize, f32)> = self.links[a].iter().map(|(o, s)| (*o, *s)).collect();
        for (other, sum) in updates {
            self.links[other].insert(a, sum);
            self.push(a, other, sum);
        }
    }
}

/// Groups `count` items joined by `edges` (i, j, similarity); every item ends in exactly one
/// group. Groups are returned with sorted members, ordered by their first member.
pub fn average_link(count: usize, edges: &[(u32, u32, f32)], threshold: f32) -> Vec<Vec<u32>> {
    let mut groups = Groups {
        members: (0..count as u32).map(|i| vec![i]).collect(),
        version: vec![0; count],
        links: vec![BTreeMap::new(); count],
        heap: BinaryHeap::new(),
    };
    for &(i, j, similarity) in edges {
        let (i, j) = (i as usize, j as usize);
        if i != j && i < count && j < count {
            groups.links[i].insert(j, similarity);
            groups.links[j].insert(i, similarity);
        }
    }
    for i in 0..count {
        let pairs: Vec<(usize, f32)> = groups.links[i]
            .range(i + 1..)
            .map(|(j, s)| (*j, *s))
            .collect();
        for (j, sum) in pairs {
            groups.push(i, j, sum);
        }
    }
    while let Some(best) = groups.heap.pop() {
        if best.mean < threshold {
            break;
        }
        if groups.is_current(&best) {
            groups.merge(best.a, best.b);
        }
    }
    let mut result: Vec<Vec<u32>> = groups
        .members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_unstable();
            m
        })
        .collect();
    result.sort();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_items_merge_and_distant_ones_stay_apart() {
        let edges = [
            (0, 1, 0.9),
            (1, 2, 0.8),
            (0, 2, 0.7),
            (2, 3, 0.1),
            (4, 5, 0.6),
        ];
        let groups = average_link(6, &edges, 0.5);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3], vec![4, 5]]);
    }

    #[test]
    fn one_strong_link_does_not_pull_in_an_item_unlike_the_rest() {
        // 3 resembles 2 but none of 0 and 1: the mean to {0, 1, 2} is 0.9 / 3 = 0.3.
        let edges = [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.9), (2, 3, 0.9)];
        let groups = average_link(4, &edges, 0.5);
        assert!(groups.contains(&vec![3]), "{groups:?}");
    }

    #[test]
    fn the_result_does_not_depend_on_edge_order() {
        let edges = [(0, 1, 0.5), (1, 2, 0.5), (2, 3, 0.5), (0, 3, 0.5)];
        let mut reversed = edges;
        reversed.reverse();
        assert_eq!(
            average_link(4, &edges, 0.2),
            average_link(4, &reversed, 0.2)
        );
    }
}
