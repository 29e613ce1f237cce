//! TF-IDF vectors and the inverted index that finds each article's nearest neighbours.
//!
//! Vectors are sparse, sorted by term id and of unit length, so cosine similarity is a merge
//! of two sorted lists. Neighbours come from the postings of each article's rarer terms, so the
//! work grows with the number of articles that share words, not with the square of all.

use std::collections::HashMap;

use rayon::prelude::*;

/// A unit-length sparse vector: (term id, weight), sorted by term id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector(pub Vec<(u32, f32)>);

impl SparseVector {
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

    fn normalised(mut self) -> Self {
        let norm = self.0.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            self.0.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        self
    }
}

/// TF-IDF vectors of a collection, with the vocabulary they are written in.
#[derive(Debug, Clone, Default)]
pub struct TfIdf {
    pub vectors: Vec<SparseVector>,
    /// Term text by id (ids follow the sorted terms, so they are the same on every run).
    pub terms: Vec<String>,
    /// How many documents hold each term.
    pub document_frequency: Vec<u32>,
}

/// Weighs each document's terms (term, weight of one occurrence) by sublinear term frequency
/// times smoothed inverse document frequency, as scikit-learn's `TfidfVectorizer` does.
pub fn tfidf(documents: &[Vec<(String, f32)>]) -> TfIdf {
    let counts: Vec<HashMap<&str, f32>> = documents
        .par_iter()
        .map(|doc| {
            let mut counts: HashMap<&str, f32> = HashMap::new();
            for (term, weight) in doc {
                *counts.entry(term.as_str()).or_default() += weight;
            }
            counts
        })
        .collect();
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    for doc in &counts {
        for term in doc.keys() {
            *frequency.entry(term).or_default() += 1;
        }
    }
    // Ids follow the sorted terms, so vectors are the same on every run.
    let mut vocabulary: Vec<(&str, u32)> = frequency.into_iter().collect();
    vocabulary.sort_unstable();
    let ids: HashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(id, (term, _))| (*term, id as u32))
        .collect();
    let document_frequency: Vec<u32> = vocabulary.iter().map(|(_, df)| *df).collect();
    let n = documents.len() as f32;
    let vectors = counts
        .par_iter()
        .map(|doc| {
            let mut entries: Vec<(u32, f32)> = doc
                .iter()
                .filter_map(|(term, tf)| {
                    let id = *ids.get(term)?;
                    let idf =
                        ((1.0 + n) / (1.0 + document_frequency[id as usize] as f32)).ln() + 1.0;
                    Some((id, (1.0 + tf.max(1e-6).ln().max(0.0)) * idf))
                })
                .collect();
            entries.sort_unstable_by_key(|(id, _)| *id);
            SparseVector(entries).normalised()
        })
        .collect();
    TfIdf {
        vectors,
        terms: vocabulary.iter().map(|(t, _)| (*t).to_string()).collect(),
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
pub fn nearest(
    vectors: &[SparseVector],
    limit: usize,
    max_postings: usize,
) -> Vec<Vec<(u32, f32)>> {
    let postings = postings(vectors);
    (0..vectors.len())
        .into_par_iter()
        .map(|doc| {
            let mut partial: HashMap<u32, f32> = HashMap::new();
            for (term, weight) in heaviest(&vectors[doc], QUERY_TERMS) {
                let list = &postings[term as usize];
                if list.len() > max_postings {
                    continue;
                }
                for &(other, other_weight) in list {
                    if other as usize != doc {
                        *partial.entry(other).or_default() += weight * other_weight;
                    }
                }
            }
            let mut candidates: Vec<(u32, f32)> = partial.into_iter().collect();
            candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(limit * 2);
            let mut scored: Vec<(u32, f32)> = candidates
                .into_iter()
                .map(|(other, _)| (other, vectors[doc].dot(&vectors[other as usize])))
                .filter(|(_, score)| *score > 0.0)
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(limit);
            scored
        })
        .collect()
}

/// Term id → (vector, weight) for every vector holding it, in vector order.
fn postings(vectors: &[SparseVector]) -> Vec<Vec<(u32, f32)>> {
    let term_count = vectors
        .iter()
        .flat_map(|v| v.0.iter().map(|(t, _)| *t as usize + 1))
        .max()
        .unwrap_or(0);
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); term_count];
    for (doc, vector) in vectors.iter().enumerate() {
        for &(term, weight) in &vector.0 {
            postings[term as usize].push((doc as u32, weight));
        }
    }
    postings
}

/// The `count` entries of a vector with the highest weights (ties by term id).
fn heaviest(vector: &SparseVector, count: usize) -> Vec<(u32, f32)> {
    let mut entries = vector.0.clone();
    entries.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    entries.truncate(count);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(words: &str) -> Vec<(String, f32)> {
        words.split(' ').map(|w| (w.to_string(), 1.0)).collect()
    }

    #[test]
    fn shared_rare_terms_make_documents_similar() {
        let model = tfidf(&[
            doc("ceasefire talk ukrain"),
            doc("ceasefire talk kyiv"),
            doc("rehab actress hospital"),
        ]);
        let v = &model.vectors;
        assert!((v[0].dot(&v[0]) - 1.0).abs() < 1e-5);
        assert!(v[0].dot(&v[1]) > 0.3);
        assert_eq!(v[0].dot(&v[2]), 0.0);
    }

    #[test]
    fn nearest_ranks_by_similarity_and_skips_unrelated() {
        let model = tfidf(&[
            doc("ceasefire talk ukrain putin"),
            doc("ceasefire talk ukrain"),
            doc("ceasefire putin"),
            doc("rehab actress hospital"),
        ]);
        let near = nearest(&model.vectors, 5, 10);
        let first: Vec<u32> = near[0].iter().map(|(d, _)| *d).collect();
        assert_eq!(first, [1, 2]);
        assert!(near[3].is_empty());
    }

    #[test]
    fn common_terms_alone_do_not_make_candidates() {
        let model = tfidf(&[doc("news alpha"), doc("news beta"), doc("news gamma")]);
        let near = nearest(&model.vectors, 5, 2);
        assert!(near.iter().all(Vec::is_empty), "{near:?}");
    }
}
