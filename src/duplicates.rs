//! Near-duplicates: the same wire story published by several outlets.
//!
//! A reader wants such a story once in a list, and on its page the other outlets that ran it.
//! Two articles are near-duplicates when the sets of five-word shingles of their bodies overlap
//! by a Jaccard similarity of at least `THRESHOLD`. Candidates come from bucketing MinHash
//! signatures (locality-sensitive hashing), so no pass compares every pair; each candidate
//! pair is then checked on its exact shingle sets. Hashes are fixed functions of the words,
//! so the groups are the same on every run.

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use crate::analyse::scan::for_each_word;
use crate::model::{Article, ArticleId};

/// Fewest Jaccard similarity of shingle sets for two articles to be one story.
const THRESHOLD: f64 = 0.8;
/// Words per shingle.
const SHINGLE_WORDS: usize = 5;
/// Bodies with fewer shingles than this are too short to call copies of anything.
const MIN_SHINGLES: usize = 8;
/// MinHash bands and rows per band (their product a power of two): a pair at Jaccard 0.8 shares a band with probability
/// 1 − (1 − 0.8⁴)¹⁶ ≈ 0.9998, a pair at 0.3 with ≈ 0.12 (then dropped by the exact check).
const BANDS: usize = 16;
const ROWS: usize = 4;

/// One story published more than once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateGroup {
    /// The copy lists show: the earliest, or the first in site order among equally early ones.
    pub shown: ArticleId,
    /// Every copy, the shown one included, in site order.
    pub members: Vec<ArticleId>,
}

/// The site's near-duplicate groups, and for each article the group it is in.
#[derive(Debug, Clone, Default)]
pub struct DuplicateGroups {
    pub groups: Vec<DuplicateGroup>,
    /// Index in `groups` per article (indexed like `Site::articles`), `None` for a story
    /// published once.
    pub group_of: Vec<Option<u32>>,
}

impl DuplicateGroups {
    fn group(&self, id: ArticleId) -> Option<&DuplicateGroup> {
        let index = (*self.group_of.get(id.index())?)?;
        self.groups.get(index as usize)
    }

    /// Whether lists show this article: it is unique, or its group's shown copy.
    pub fn is_shown(&self, id: ArticleId) -> bool {
        self.group(id).is_none_or(|g| g.shown == id)
    }

    /// The copy lists show of an article's story: the article itself when it is unique.
    pub fn shown_copy(&self, id: ArticleId) -> ArticleId {
        self.group(id).map_or(id, |g| g.shown)
    }

    /// The articles of a list that lists show, in the same order.
    pub fn shown(&self, ids: &[ArticleId]) -> Vec<ArticleId> {
        ids.iter()
            .copied()
            .filter(|&id| self.is_shown(id))
            .collect()
    }

    /// The other copies of an article's story, in site order.
    pub fn others(&self, id: ArticleId) -> impl Iterator<Item = ArticleId> + '_ {
        self.group(id)
            .into_iter()
            .flat_map(|g| g.members.iter().copied())
            .filter(move |&other| other != id)
    }
}

/// A body's MinHash signature (`signature`).
pub type Signature = [u64; BANDS * ROWS];

/// The signature of each article's body, read from its text. The build takes them from the
/// analysis instead, which computes them from the words it has split already
/// (`signature_of_words`); this is the reference it must agree with.
pub fn signatures(articles: &[Article]) -> Vec<Option<Signature>> {
    let mut scratch = Vec::new();
    articles
        .iter()
        .map(|a| signature_of_words(&word_hashes(&a.body_text), &mut scratch))
        .collect()
}

/// The signature of a body from the `word_hash` of each of its words, in order; `None` for a
/// body too short to call a copy of anything. `scratch` holds the shingles.
pub fn signature_of_words(word_hashes: &[u64], scratch: &mut Vec<u64>) -> Option<Signature> {
    scratch.clear();
    scratch.extend(word_hashes.windows(SHINGLE_WORDS).map(hash_all));
    // A signature takes the least hash of each bin, which repeats do not change: the shingles
    // need no sorting, only a check that enough of them are distinct.
    has_distinct(scratch, MIN_SHINGLES).then(|| signature(scratch))
}

/// Whether `values` holds at least `n` distinct values (looked for among the first ones, which
/// in a text nearly always are).
fn has_distinct(values: &[u64], n: usize) -> bool {
    let mut seen: Vec<u64> = Vec::with_capacity(n);
    for &value in values {
        if !seen.contains(&value) {
            seen.push(value);
            if seen.len() == n {
                return true;
            }
        }
    }
    false
}

/// Finds the near-duplicate groups among `articles` (in site order), given the signature of
/// each body (`signatures`).
pub fn find(articles: &[Article], signatures: &[Option<Signature>]) -> DuplicateGroups {
    let buckets = shared_buckets(signatures);
    // Only the articles that share a bucket with another need their exact shingle sets: they
    // are read again from the text, rather than kept for every article.
    let mut candidates: Vec<usize> = buckets.iter().flatten().copied().collect();
    candidates.sort_unstable();
    candidates.dedup();
    let shingles: FxHashMap<usize, Vec<u64>> = candidates
        .into_par_iter()
        .map(|i| (i, shingles(&articles[i].body_text)))
        .collect();
    let mut sets = DisjointSets::new(articles.len());
    for bucket in &buckets {
        join_copies(bucket, &shingles, &mut sets);
    }
    groups(articles, &mut sets)
}

/// The buckets of every band that hold more than one article, band by band. (The groups do
/// not depend on the order the buckets are checked in: a pair is joined when similar enough,
/// and a group is every article reachable through such pairs.)
fn shared_buckets(signatures: &[Option<Signature>]) -> Vec<Vec<usize>> {
    let mut shared = Vec::new();
    for band in 0..BANDS {
        let mut buckets: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (i, signature) in signatures.iter().enumerate() {
            if let Some(signature) = signature {
                let rows = &signature[band * ROWS..(band + 1) * ROWS];
                buckets.entry(hash_all(rows)).or_default().push(i);
            }
        }
        shared.extend(buckets.into_values().filter(|b| b.len() > 1));
    }
    shared
}

/// Joins the articles of a bucket that are near-duplicates of each other; pairs already in
/// one group are not checked again.
fn join_copies(bucket: &[usize], shingles: &FxHashMap<usize, Vec<u64>>, sets: &mut DisjointSets) {
    for (n, &a) in bucket.iter().enumerate() {
        for &b in &bucket[n + 1..] {
            if sets.root(a) != sets.root(b) && jaccard(&shingles[&a], &shingles[&b]) >= THRESHOLD {
                sets.join(a, b);
            }
        }
    }
}

/// The groups of two or more articles, in site order of their first member.
fn groups(articles: &[Article], sets: &mut DisjointSets) -> DuplicateGroups {
    let mut by_root: FxHashMap<usize, u32> = FxHashMap::default();
    let mut result = DuplicateGroups {
        groups: Vec::new(),
        group_of: vec![None; articles.len()],
    };
    let sizes = sets.sizes();
    for i in 0..articles.len() {
        let root = sets.root(i);
        if sizes[root] < 2 {
            continue;
        }
        let next = result.groups.len() as u32;
        let index = *by_root.entry(root).or_insert(next);
        if index == next {
            result.groups.push(DuplicateGroup {
                shown: id(i),
                members: Vec::new(),
            });
        }
        let group = &mut result.groups[index as usize];
        group.members.push(id(i));
        result.group_of[i] = Some(index);
    }
    for group in &mut result.groups {
        group.shown = earliest(articles, &group.members);
    }
    result
}

/// The earliest dated member, the first in site order on a tie or when none has a date.
fn earliest(articles: &[Article], members: &[ArticleId]) -> ArticleId {
    let dated = members
        .iter()
        .filter_map(|&m| articles[m.index()].date.map(|d| (d.moment(), m)));
    // `min_by_key` keeps the first of equal keys, which is the first in site order.
    dated
        .min_by_key(|(moment, _)| *moment)
        .map_or(members[0], |(_, m)| m)
}

fn id(index: usize) -> ArticleId {
    ArticleId(u32::try_from(index).unwrap_or(u32::MAX))
}

/// The distinct hashes of a text's five-word shingles (words folded to lower case), sorted.
fn shingles(text: &str) -> Vec<u64> {
    let mut shingles = Vec::new();
    shingles_into(&word_hashes(text), &mut shingles);
    shingles
}

/// The `word_hash` of each word of a text.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut words: Vec<u64> = Vec::new();
    for_each_word(text, |start, end| words.push(word_hash(&text[start..end])));
    words
}

/// The distinct hashes of the five-word shingles of a sequence of word hashes, sorted, into
/// `out`.
fn shingles_into(word_hashes: &[u64], out: &mut Vec<u64>) {
    out.clear();
    out.extend(word_hashes.windows(SHINGLE_WORDS).map(hash_all));
    out.sort_unstable();
    out.dedup();
}

/// A word's hash for shingles: the same for every way of writing it in upper or lower case.
pub fn word_hash(word: &str) -> u64 {
    let mut hasher = FxHasher::default();
    // Most words are ASCII: lower-case them byte by byte (the same values as the general path).
    if word.is_ascii() {
        for byte in word.bytes() {
            hasher.write_u32(u32::from(byte.to_ascii_lowercase()));
        }
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            hasher.write_u32(c as u32);
        }
    }
    hasher.finish()
}

fn hash_all(values: &[u64]) -> u64 {
    let mut hasher = FxHasher::default();
    for &value in values {
        hasher.write_u64(value);
    }
    mix(hasher.finish())
}

/// The MinHash signature of a set of shingle hashes (repeats allowed) by one-permutation
/// hashing: the shingle hashes are split into
/// `BANDS * ROWS` bins by their top bits, and each bin keeps its least hash, so each shingle
/// is hashed once rather than once per bin. An empty bin borrows the next full bin's value
/// (rotation densification), offset by the distance, so short bodies still have full bands.
fn signature(shingles: &[u64]) -> Signature {
    const BINS: usize = BANDS * ROWS;
    const LOW_BITS: u32 = 64 - BINS.trailing_zeros();
    let mut signature = [u64::MAX; BINS];
    for &shingle in shingles {
        let hash = mix(shingle);
        let bin = (hash >> LOW_BITS) as usize;
        signature[bin] = signature[bin].min(hash & ((1 << LOW_BITS) - 1));
    }
    let full = signature;
    for (bin, value) in signature.iter_mut().enumerate() {
        if *value == u64::MAX {
            let next = (1..BINS).find(|d| full[(bin + d) % BINS] != u64::MAX);
            if let Some(distance) = next {
                *value = full[(bin + distance) % BINS] ^ mix(distance as u64);
            }
        }
    }
    signature
}

/// SplitMix64's finaliser: spreads every input bit over the whole hash.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Jaccard similarity of two sorted sets.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// Union-find over article indices.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(len: usize) -> Self {
        DisjointSets {
            parent: (0..len).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins two sets; the smaller index becomes the root, so the result does not depend on
    /// the order of the joins.
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        self.parent[high] = low;
    }

    /// The size of each root's set.
    fn sizes(&mut self) -> Vec<usize> {
        let mut sizes = vec![0; self.parent.len()];
        for i in 0..self.parent.len() {
            let root = self.root(i);
            sizes[root] += 1;
        }
        sizes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "The central bank raised its main interest rate by a quarter of a \
        point on Tuesday, its third increase this year, saying inflation remained too high \
        and that further moves could follow if prices kept rising faster than wages. The \
        decision was expected by most economists surveyed last week, although two members \
        of the committee voted to hold rates steady, citing weaker demand in manufacturing \
        and a slowing housing market across the country.";

    fn article(title: &str, body: &str, date: Option<&str>) -> Article {
        Article {
            title: title.into(),
            slug: crate::slug::slugify(title),
            body_text: body.into(),
            date: date.and_then(crate::content::front_matter::date_from_str),
            ..Article::default()
        }
    }

    #[test]
    fn word_hash_ignores_case_and_its_ascii_path_hashes_as_the_general_one() {
        let by_chars = |word: &str| {
            let mut hasher = FxHasher::default();
            for c in word.chars().flat_map(char::to_lowercase) {
                hasher.write_u32(c as u32);
            }
            hasher.finish()
        };
        assert_eq!(word_hash("Kyiv"), by_chars("kyiv"));
        assert_eq!(word_hash("KYIV"), word_hash("kyiv"));
        assert_eq!(word_hash("Zelenskyy"), by_chars("Zelenskyy"));
        assert_eq!(word_hash("Київ"), by_chars("київ"));
        assert_ne!(word_hash("Kyiv"), word_hash("Kiev"));
    }

    #[test]
    fn copies_with_a_different_first_line_are_one_group_and_others_are_not() {
        let articles = vec![
            article(
                "Bank raises rates",
                &format!("LONDON (Wire) - {WIRE}"),
                Some("2025-03-02"),
            ),
            article(
                "Other story",
                &WIRE
                    .replace("bank", "zoo")
                    .replace("rate", "giraffe")
                    .replace("inflation", "weather")
                    .replace("prices", "animals")
                    .replace("wages", "trees"),
                None,
            ),
            article(
                "Rates go up",
                &format!("By a staff writer. {WIRE}"),
                Some("2025-03-01"),
            ),
        ];
        let found = find(&articles, &signatures(&articles));
        assert_eq!(found.groups.len(), 1);
        assert_eq!(found.groups[0].members, vec![ArticleId(0), ArticleId(2)]);
        assert_eq!(found.groups[0].shown, ArticleId(2), "the earliest copy");
        assert!(!found.is_shown(ArticleId(0)));
        assert!(found.is_shown(ArticleId(1)));
        assert_eq!(
            found.others(ArticleId(0)).collect::<Vec<_>>(),
            [ArticleId(2)]
        );
        assert_eq!(found.others(ArticleId(1)).count(), 0);
        assert_eq!(
            found.shown(&[ArticleId(0), ArticleId(1), ArticleId(2)]),
            [ArticleId(1), ArticleId(2)]
        );
    }

    #[test]
    fn short_and_empty_bodies_are_never_duplicates() {
        let articles = vec![
            article("A", "", None),
            article("B", "", None),
            article("C", "Markets closed higher.", None),
            article("D", "Markets closed higher.", None),
        ];
        assert!(find(&articles, &signatures(&articles)).groups.is_empty());
    }

    #[test]
    fn signatures_need_enough_distinct_shingles_and_ignore_repeats() {
        let words = |text: &str| word_hashes(text);
        let mut scratch = Vec::new();
        let twelve = "one two three four five six seven eight nine ten eleven twelve";
        let once = signature_of_words(&words(twelve), &mut scratch).unwrap();
        let sorted = shingles(twelve);
        assert_eq!(sorted.len(), 8);
        assert_eq!(once, signature(&sorted));
        let twice = format!("{twelve} {twelve}");
        let repeated = shingles(&twice);
        assert_eq!(
            signature_of_words(&words(&twice), &mut scratch),
            Some(signature(&repeated))
        );
        let seven = "one two three four five six seven eight nine ten eleven";
        assert_eq!(signature_of_words(&words(seven), &mut scratch), None);
        // Eight windows, but only four distinct shingles.
        let looped = "a b c d a b c d a b c d";
        assert_eq!(signature_of_words(&words(looped), &mut scratch), None);
    }

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[2, 3, 4, 5]), 3.0 / 5.0);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn shingles_ignore_case_and_punctuation() {
        assert_eq!(
            shingles("One two, three four five six."),
            shingles("one Two three. Four five SIX")
        );
        assert_eq!(shingles("one two three four five six").len(), 2);
    }

    #[test]
    fn the_groups_do_not_depend_on_the_order_of_joins() {
        let mut a = DisjointSets::new(4);
        a.join(3, 1);
        a.join(2, 3);
        let mut b = DisjointSets::new(4);
        b.join(1, 2);
        b.join(2, 3);
        assert_eq!(a.root(3), 1);
        assert_eq!(b.root(3), 1);
    }

    #[test]
    fn the_analysis_signatures_are_those_read_from_the_text() {
        let odd = "Zelenskyy’s TALKS in Kyiv — Müller said: «так» o'clock, 2025's plan. ";
        let articles = vec![
            article("Wire", WIRE, None),
            article("Odd", &odd.repeat(4), None),
            article("Short", "Too short to copy.", None),
            article("Mixed", &format!("{odd}{WIRE}"), None),
        ];
        let analysed = crate::analyse::analyse(&articles, &Default::default()).signatures;
        let read = signatures(&articles);
        assert_eq!(analysed, read);
        assert!(read[0].is_some() && read[1].is_some() && read[2].is_none());
    }
}
