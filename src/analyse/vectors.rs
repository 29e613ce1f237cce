//! TF-IDF vectors and the inverted index that finds each article's nearest neighbours.
//!
//! Vectors are sparse, sorted by term id and of unit length, so cosine similarity is a merge
//! of two sorted lists. Neighbours come from the postings of each article's rarer terms, so the
//! work grows with the number of articles that share words, not with the square of all.

use rayon::prelude::*;

/// A unit-length sparse vector: (term id, weight), sorted by term id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector(pub Vec<(u32, f32)>);

impl SparseVector {
    /// The vector of these (term, weight) entries, sorted by term and scaled to unit length.
    pub fn unit(mut entries: Vec<(u32, f32)>) -> SparseVector {
        entries.sort_unstable_by_key(|(t, _)| *t);
        let norm = entries.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            entries.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        SparseVector(entries)
    }

    /// The dot product; the cosine similarity of two unit vectors.
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        let (a, b) = (&self.0, &other.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// TF-IDF vectors of a collection, with the vocabulary they are written in.
#[derive(Debug, Clone, Default)]
pub struct TfIdf {
    pub vectors: Vec<SparseVector>,
    /// Text of the word terms by id (other terms, such as entities, follow them).
    pub terms: Vec<String>,
    /// How many documents hold each term.
    pub document_frequency: Vec<u32>,
}

impl TfIdf {
    /// The id of a word term (a stem).
    pub fn find(&self, term: &str) -> Option<u32> {
        self.terms.iter().position(|t| t == term).map(|i| i as u32)
    }
}

/// (term, weight) entries sorted by term, each term once with the sum of its weights.
pub fn sum_by_term(mut entries: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    entries.sort_unstable_by_key(|(t, _)| *t);
    entries.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 += next.1;
        }
        same
    });
    entries
}

/// `sum_by_term` through a scratch row indexed by term (all `None` between calls): a document
/// repeats its words, so only its distinct terms are sorted, not every occurrence. Each sum
/// adds the term's weights in the entries' order.
fn sum_by_term_in(scratch: &mut [Option<f32>], entries: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut terms: Vec<u32> = Vec::new();
    for &(term, weight) in entries {
        let slot = &mut scratch[term as usize];
        match slot {
            Some(sum) => *sum += weight,
            None => {
                *slot = Some(weight);
                terms.push(term);
            }
        }
    }
    terms.sort_unstable();
    terms
        .into_iter()
        .map(|term| (term, scratch[term as usize].take().unwrap_or_default()))
        .collect()
}

/// Most terms a stored vector keeps: the heaviest ones carry nearly all of its similarity to
/// others, and the rest would only cost memory.
const MAX_STORED_TERMS: usize = 160;

/// Weighs each document's terms (term id below `term_count`, weight of one occurrence) by
/// sublinear term frequency times smoothed inverse document frequency, as scikit-learn's
/// `TfidfVectorizer` does. Terms of one document only are left out of the stored vectors
/// (they cannot make two documents alike), but still count in their length, so the dot
/// products are those of the full vectors.
pub fn tfidf(documents: Vec<Vec<(u32, f32)>>, term_count: usize) -> TfIdf {
    let n = documents.len() as f32;
    // A few chunks per thread, each with one scratch row: the row is as long as the vocabulary.
    let chunk = (documents.len() / (4 * rayon::current_num_threads())).max(64);
    let counts: Vec<Vec<(u32, f32)>> = documents
        .par_chunks(chunk)
        .flat_map_iter(|chunk| {
            let mut scratch = vec![None; term_count];
            chunk
                .iter()
                .map(|entries| sum_by_term_in(&mut scratch, entries))
                .collect::<Vec<_>>()
        })
        .collect();
    drop(documents);
    let mut document_frequency = vec![0u32; term_count];
    for (term, _) in counts.iter().flatten() {
        document_frequency[*term as usize] += 1;
    }
    let idf: Vec<f32> = document_frequency
        .iter()
        .map(|&df| ((1.0 + n) / (1.0 + df as f32)).ln() + 1.0)
        .collect();
    let vectors = counts
        .into_par_iter()
        .map(|mut terms| {
            let mut norm = 0.0;
            for (term, tf) in &mut terms {
                *tf = (1.0 + tf.max(1e-6).ln().max(0.0)) * idf[*term as usize];
                norm += *tf * *tf;
            }
            terms.retain(|(term, _)| document_frequency[*term as usize] > 1);
            if terms.len() > MAX_STORED_TERMS {
                // The heaviest are selected, not sorted: only their set matters, and they
                // go back into term order.
                terms.select_nth_unstable_by(MAX_STORED_TERMS - 1, heavier_first);
                terms.truncate(MAX_STORED_TERMS);
                terms.sort_unstable_by_key(|(t, _)| *t);
            }
            let norm = norm.sqrt();
            if norm > 0.0 {
                terms.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            SparseVector(terms)
        })
        .collect();
    TfIdf {
        vectors,
        terms: Vec::new(),
        document_frequency,
    }
}

/// How many of an article's heaviest terms look for candidates in the inverted index.
const QUERY_TERMS: usize = 40;

/// For each vector, up to `limit` others with the highest cosine similarity above zero, best
/// first (ties by index). Candidates are found through the postings of each vector's heaviest
/// terms, skipping terms held by more than `max_postings` vectors (terms on every page say
/// nothing about which pages belong together); the best `2 × limit` by that partial score are
/// then scored exactly. The work per vector is bounded, so the whole is linear in the count.
pub fn nearest(model: &TfIdf, limit: usize, max_postings: usize) -> Vec<Vec<(u32, f32)>> {
    let vectors = &model.vectors;
    let indexed = |term: u32| model.document_frequency[term as usize] as usize <= max_postings;
    let postings = postings(vectors, model.document_frequency.len(), &indexed);
    (0..vectors.len())
        .into_par_iter()
        .map_init(
            || (vec![0f32; vectors.len()], Vec::<u32>::new()),
            |(partial, touched), doc| {
                for (term, weight) in heaviest(&vectors[doc], QUERY_TERMS, &indexed) {
                    for &(other, other_weight) in &postings[term as usize] {
                        if other as usize != doc {
                            if partial[other as usize] == 0.0 {
                                touched.push(other);
                            }
                            partial[other as usize] += weight * other_weight;
                        }
                    }
                }
                let mut candidates: Vec<(u32, f32)> = touched
                    .drain(..)
                    .map(|other| (other, std::mem::take(&mut partial[other as usize])))
                    .collect();
                candidates.sort_unstable_by(heavier_first);
                candidates.truncate(limit * 2);
                let mut scored: Vec<(u32, f32)> = candidates
                    .into_iter()
                    .map(|(other, _)| (other, vectors[doc].dot(&vectors[other as usize])))
                    .filter(|(_, score)| *score > 0.0)
                    .collect();
                scored.sort_unstable_by(heavier_first);
                scored.truncate(limit);
                scored
            },
        )
        .collect()
}

/// Orders (term, weight) entries heaviest first, ties by term: a total order, so the heaviest
/// `n` are the same set whatever the order they came in.
fn heavier_first(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Term id → (vector, weight) for the terms `indexed` accepts among each vector's heaviest,
/// in vector order.
fn postings(
    vectors: &[SparseVector],
    term_count: usize,
    indexed: &impl Fn(u32) -> bool,
) -> Vec<Vec<(u32, f32)>> {
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); term_count];
    for (doc, vector) in vectors.iter().enumerate() {
        for (term, weight) in heaviest(vector, INDEXED_TERMS, indexed) {
            postings[term as usize].push((doc as u32, weight));
        }
    }
    postings
}

/// How many of each vector's heaviest terms the inverted index holds.
const INDEXED_TERMS: usize = 64;

/// The `count` entries of a vector with the highest weights (ties by term id) among those
/// `indexed` accepts.
fn heaviest(
    vector: &SparseVector,
    count: usize,
    indexed: &impl Fn(u32) -> bool,
) -> Vec<(u32, f32)> {
    let mut entries: Vec<(u32, f32)> = vector
        .0
        .iter()
        .copied()
        .filter(|(t, _)| indexed(*t))
        .collect();
    if entries.len() > count {
        entries.select_nth_unstable_by(count - 1, heavier_first);
        entries.truncate(count);
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of one-letter terms: `a` is term 0, `b` term 1…
    fn doc(words: &str) -> Vec<(u32, f32)> {
        words
            .split(' ')
            .map(|w| (u32::from(w.as_bytes()[0] - b'a'), 1.0))
            .collect()
    }

    fn model(documents: &[Vec<(u32, f32)>]) -> TfIdf {
        tfidf(documents.to_vec(), 26)
    }

    #[test]
    fn shared_rare_terms_make_documents_similar() {
        let model = model(&[doc("c t u"), doc("c t k"), doc("r a h")]);
        let v = &model.vectors;
        // `u` is in one document only: left out of the vector, but still in its length.
        assert!(v[0].dot(&v[0]) < 0.99);
        assert!(v[0].dot(&v[1]) > 0.3);
        assert_eq!(v[0].dot(&v[2]), 0.0);
    }

    #[test]
    fn nearest_ranks_by_similarity_and_skips_unrelated() {
        let model = model(&[doc("c t u p"), doc("c t u"), doc("c p"), doc("r a h")]);
        let near = nearest(&model, 5, 10);
        let first: Vec<u32> = near[0].iter().map(|(d, _)| *d).collect();
        assert_eq!(first, [1, 2]);
        assert!(near[3].is_empty());
    }

    #[test]
    fn common_terms_alone_do_not_make_candidates() {
        let model = model(&[doc("n a"), doc("n b"), doc("n g")]);
        let near = nearest(&model, 5, 2);
        assert!(near.iter().all(Vec::is_empty), "{near:?}");
    }

    #[test]
    fn summing_through_the_scratch_row_equals_sorting_and_leaves_it_clean() {
        let entries = vec![(4, 1.0), (1, 2.0), (4, 1.5), (0, 0.0), (1, 1.0), (0, 0.0)];
        let mut scratch = vec![None; 5];
        let summed = sum_by_term_in(&mut scratch, &entries);
        assert_eq!(summed, sum_by_term(entries));
        assert_eq!(summed, [(0, 0.0), (1, 3.0), (4, 2.5)]);
        assert!(scratch.iter().all(Option::is_none));
    }
}
