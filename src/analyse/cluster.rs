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

/// Splits a small group in two when its halves are much less alike than each is inside.
///
/// Average-link merging over the dense `similarity` matrix runs until the best merge left
/// would join the only two parts of at least `min_part` members: those are the two cores.
/// Stragglers (articles alike to hardly any other, in smaller parts) neither hide the split
/// nor count in its test: the split is kept when the mean similarity between the cores is
/// below `ratio` times the mean inside the less coherent core, and each straggler then joins
/// the core it resembles more. Returns the two parts (sorted indices into the matrix), or
/// `None` when the group holds together.
pub fn bisect(similarity: &[Vec<f32>], min_part: usize, ratio: f32) -> Option<[Vec<usize>; 2]> {
    let min_part = min_part.max(1);
    let mut parts = Parts::new(similarity);
    let cores = loop {
        let (a, b) = parts.best_pair()?;
        let big = |p: &Vec<usize>| p.len() >= min_part;
        let both_big = big(&parts.members[a]) && big(&parts.members[b]);
        if both_big && parts.members.iter().filter(|p| big(p)).count() == 2 {
            break (a, b);
        }
        parts.merge(a, b);
    };
    let (a, b) = cores;
    let between = parts.mean(a, b);
    let coherent = parts.inside(a).min(parts.inside(b));
    if between >= ratio * coherent {
        return None;
    }
    let mut halves = [parts.members[a].clone(), parts.members[b].clone()];
    for (p, stragglers) in parts.members.iter().enumerate() {
        if p == a || p == b {
            continue;
        }
        let to_b = parts.mean(p, b) > parts.mean(p, a);
        halves[usize::from(to_b)].extend(stragglers);
    }
    halves.iter_mut().for_each(|h| h.sort_unstable());
    halves.sort();
    Some(halves)
}

/// The parts of a small group being merged, with the summed similarity between each two.
struct Parts<'a> {
    similarity: &'a [Vec<f32>],
    members: Vec<Vec<usize>>,
    sums: Vec<Vec<f32>>,
}

impl<'a> Parts<'a> {
    fn new(similarity: &'a [Vec<f32>]) -> Self {
        Parts {
            similarity,
            members: (0..similarity.len()).map(|i| vec![i]).collect(),
            sums: similarity.to_vec(),
        }
    }

    /// The mean similarity between the members of two parts.
    fn mean(&self, a: usize, b: usize) -> f32 {
        self.sums[a][b] / (self.members[a].len() * self.members[b].len()) as f32
    }

    /// The mean similarity over the pairs inside a part.
    fn inside(&self, part: usize) -> f32 {
        let members = &self.members[part];
        let pairs = members.len() * (members.len() - 1) / 2;
        let sum: f32 = members
            .iter()
            .enumerate()
            .flat_map(|(x, &i)| members[x + 1..].iter().map(move |&j| self.similarity[i][j]))
            .sum();
        sum / pairs.max(1) as f32
    }

    /// The two parts with the highest mean similarity (the first such pair), if two are left.
    fn best_pair(&self) -> Option<(usize, usize)> {
        let mut best: Option<(f32, usize, usize)> = None;
        for a in 0..self.members.len() {
            for b in a + 1..self.members.len() {
                let mean = self.mean(a, b);
                if best.is_none_or(|(m, _, _)| mean > m) {
                    best = Some((mean, a, b));
                }
            }
        }
        best.map(|(_, a, b)| (a, b))
    }

    /// Folds part `b` into part `a` (a < b).
    fn merge(&mut self, a: usize, b: usize) {
        let moved = self.members.remove(b);
        self.members[a].extend(moved);
        let merged: Vec<f32> = self.sums[a]
            .iter()
            .zip(&self.sums[b])
            .map(|(x, y)| x + y)
            .collect();
        for (row, &sum) in self.sums.iter_mut().zip(&merged) {
            row[a] = sum;
        }
        self.sums[a] = merged;
        self.sums.remove(b);
        for row in self.sums.iter_mut() {
            row.remove(b);
        }
    }
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

    fn dense(n: usize, edges: &[(usize, usize, f32)]) -> Vec<Vec<f32>> {
        let mut m = vec![vec![0.0; n]; n];
        for &(i, j, s) in edges {
            m[i][j] = s;
            m[j][i] = s;
        }
        m
    }

    #[test]
    fn two_tight_halves_loosely_joined_are_split() {
        let mut edges = vec![(0, 1, 0.8), (0, 2, 0.7), (1, 2, 0.9)];
        edges.extend([(3, 4, 0.8), (3, 5, 0.9), (4, 5, 0.7)]);
        edges.extend([(0, 3, 0.2), (2, 5, 0.1)]);
        let parts = bisect(&dense(6, &edges), 3, 0.5);
        assert_eq!(parts, Some([vec![0, 1, 2], vec![3, 4, 5]]));
    }

    #[test]
    fn a_group_that_holds_together_or_sheds_one_outlier_is_kept() {
        let mut edges = vec![];
        for i in 0..6 {
            for j in i + 1..6 {
                edges.push((i, j, 0.6));
            }
        }
        assert_eq!(bisect(&dense(6, &edges), 3, 0.5), None);
        edges.retain(|&(i, _, _)| i != 0);
        assert_eq!(bisect(&dense(6, &edges), 3, 0.5), None);
    }

    #[test]
    fn an_outlier_does_not_hide_the_split_of_two_halves() {
        let mut edges = vec![(0, 1, 0.8), (0, 2, 0.7), (1, 2, 0.9)];
        edges.extend([(3, 4, 0.8), (3, 5, 0.9), (4, 5, 0.7)]);
        edges.extend([(0, 3, 0.2), (2, 5, 0.1), (6, 5, 0.05)]);
        let parts = bisect(&dense(7, &edges), 3, 0.5);
        assert_eq!(parts, Some([vec![0, 1, 2], vec![3, 4, 5, 6]]));
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
