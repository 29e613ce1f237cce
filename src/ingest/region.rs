//! Choosing the stretch of a page that is the article.
//!
//! The page is cut into segments of prose at every long run of furniture lines (menus, teaser
//! bylines, form labels). The core segment is the one worth most, where a segment that starts
//! just under a copy of the headline counts three times: news pages print the headline right above
//! the article, while "more stories" and comment sections come further down. The core then
//! takes in neighbouring segments that are dense with prose and worth more than the gap between.

/// A run of at least this many furniture lines separates segments.
const GAP_LINES: usize = 3;
/// How much more a segment right under a headline copy is worth than one elsewhere.
const ANCHOR_WEIGHT: f32 = 3.0;
/// How far under a headline copy the article may start.
const ANCHOR_REACH: usize = 12;
/// Share of prose lines a neighbouring segment needs to join the article.
const MIN_DENSITY: f32 = 0.5;

/// A stretch of lines between long furniture runs.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    start: usize,
    end: usize,
    value: f32,
    density: f32,
}

/// The article's line range, from per-line scores (positive for prose) and headline positions.
pub fn choose(scores: &[f32], prose: &[bool], anchors: &[usize]) -> (usize, usize) {
    let segments = segments(scores, prose);
    // Anchors are in line order: a binary search keeps pages with thousands of them linear.
    let anchored = |s: &Segment| {
        let first = anchors.partition_point(|&a| a + ANCHOR_REACH < s.start);
        anchors.get(first).is_some_and(|&a| a < s.start)
    };
    let weight = |s: &Segment| {
        if anchored(s) {
            ANCHOR_WEIGHT * s.value
        } else {
            s.value
        }
    };
    let Some(core) = (0..segments.len()).max_by(|&a, &b| {
        weight(&segments[a])
            .total_cmp(&weight(&segments[b]))
            .then(b.cmp(&a))
    }) else {
        return (0, 0);
    };
    let (mut first, mut last) = (core, core);
    while first > 0
        && joins(
            &segments[first - 1],
            scores,
            (segments[first - 1].end, segments[first].start),
            anchors,
        )
    {
        first -= 1;
    }
    while last + 1 < segments.len()
        && joins(
            &segments[last + 1],
            scores,
            (segments[last].end, segments[last + 1].start),
            anchors,
        )
    {
        last += 1;
    }
    (segments[first].start, segments[last].end)
}

/// Whether a neighbouring segment joins the article across the gap `gap`; never across a copy
/// of the headline, which starts an article rather than sitting inside one.
fn joins(segment: &Segment, scores: &[f32], gap: (usize, usize), anchors: &[usize]) -> bool {
    let first = anchors.partition_point(|&a| a < gap.0);
    let crosses_headline = anchors.get(first).is_some_and(|&a| a < gap.1);
    segment.density >= MIN_DENSITY
        && segment.value > gap_cost(scores, gap.0, gap.1)
        && !crosses_headline
}

fn gap_cost(scores: &[f32], from: usize, to: usize) -> f32 {
    -scores[from..to].iter().filter(|&&s| s < 0.0).sum::<f32>()
}

/// Cuts the page at long furniture runs; each segment runs from its first to its last prose line.
fn segments(scores: &[f32], prose: &[bool]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut furniture_run = 0;
    for (i, (&score, &is_prose)) in scores.iter().zip(prose).enumerate() {
        if is_prose {
            furniture_run = 0;
            current = Some(current.map_or((i, i + 1), |(start, _)| (start, i + 1)));
        } else if score < 0.0 {
            furniture_run += 1;
            if furniture_run >= GAP_LINES {
                segments.extend(current.take().map(|range| segment(scores, prose, range)));
            }
        }
    }
    segments.extend(current.map(|range| segment(scores, prose, range)));
    segments
}

fn segment(scores: &[f32], prose: &[bool], (start, end): (usize, usize)) -> Segment {
    let counted = scores[start..end]
        .iter()
        .filter(|&&s| s != 0.0)
        .count()
        .max(1);
    let prose_lines = prose[start..end].iter().filter(|&&p| p).count();
    Segment {
        start,
        end,
        value: scores[start..end].iter().sum(),
        density: prose_lines as f32 / counted as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(pattern: &str) -> (Vec<f32>, Vec<bool>) {
        pattern
            .chars()
            .map(|c| match c {
                'P' => (30.0, true),
                'p' => (10.0, true),
                _ => (-3.0, false),
            })
            .unzip()
    }

    #[test]
    fn the_segment_under_the_headline_wins_over_a_bigger_teaser_list() {
        // menu, headline (index 4), a short article, a gap, then a long list of teasers.
        let (scores, prose) = page("----HPPP----ppp-p--p--p--p--p--p--p--p");
        let (start, end) = choose(&scores, &prose, &[4]);
        assert_eq!((start, end), (5, 8));
    }

    #[test]
    fn dense_neighbours_join_and_sparse_ones_do_not() {
        let (scores, prose) = page("PPP----PP-P----p---p---p");
        assert_eq!(choose(&scores, &prose, &[]), (0, 11));
    }

    #[test]
    fn no_prose_no_range() {
        let (scores, prose) = page("-----");
        assert_eq!(choose(&scores, &prose, &[]), (0, 0));
    }
}
