//! Analysis: what each article is about, as numbers the grouping stages can compare.
//!
//! For every article: its TF-IDF vector over stemmed words and the entities it names (merged
//! across the site), and the year it is about. Topics and related news both read this, so the
//! text is analysed once per build. The text is read in one pass (`scan`): words become ids,
//! so that ten thousand articles take a fraction of a second.
//!
//! That pass is the only one that splits an article's text into words: from the same tokens it
//! also gathers the body's MinHash signature for the duplicate finder and the article's words
//! for the search index (`search_words`), which used to split every text again each (at 1,000
//! articles, 4.26 G instructions for the build before, 3.38 G after).

pub mod cluster;
pub mod entities;
pub mod resolve;
pub mod scan;
pub mod tokens;
pub mod vectors;

use std::collections::BTreeMap;

use chrono::Datelike;
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use crate::duplicates::{self, Signature};
use crate::model::Article;
use crate::search_words;
use entities::{Gazetteer, Mention};
use resolve::Resolution;
use scan::{Token, Vocabulary, flag};
use vectors::{SparseVector, TfIdf};

/// How many nearest neighbours each article keeps as candidates for stories and related news.
const NEIGHBOURS: usize = 20;
/// Title words count this many times a body word: a headline says what the story is.
const TITLE_WEIGHT: f32 = 2.0;
/// The opening words of an article (standfirst, summary, first paragraph) count this many
/// times a later word: news writing puts who, what, where and when first.
const LEAD_WEIGHT: f32 = 1.5;
/// How many content words of the body make its lead.
const LEAD_WORDS: usize = 40;
/// Fewest articles per chunk of the parallel scan; each chunk has its own vocabulary, so
/// larger chunks look up fewer new words.
const MIN_CHUNK: usize = 64;

/// An article's terms (ids) with their weights.
type Terms = Vec<(u32, f32)>;

/// What the analysis found in every article of a site, indexed like `Site::articles`.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub gazetteer: Gazetteer,
    /// The site's entities and which articles name them.
    pub resolution: Resolution,
    /// TF-IDF over stemmed words and resolved entities.
    pub text: TfIdf,
    /// TF-IDF over the resolved entities alone.
    pub entities: Vec<SparseVector>,
    /// The year each article is about: its date's, else the year its dateline names.
    pub years: Vec<Option<i32>>,
    /// The day each article is about: its date's, else one its dateline gives.
    pub days: Vec<Option<chrono::NaiveDate>>,
    /// Each article's nearest neighbours by `text`, best first.
    pub neighbours: Vec<Vec<(u32, f32)>>,
    /// Stem term id → the lower-case word that most articles write for it, for naming stories.
    pub surface: Vec<String>,
    /// Each article's body signature, for the duplicate finder.
    pub signatures: Vec<Option<Signature>>,
    /// The articles' search words, chunk by chunk in article order, for `search_words::index`.
    pub search: Vec<search_words::Gathered>,
}

impl Analysis {
    /// The word a stem term is written as in lower case, if any article writes it so.
    pub fn surface_of(&self, term: u32) -> Option<&str> {
        self.surface
            .get(term as usize)
            .map(String::as_str)
            .filter(|w| !w.is_empty())
    }
}

/// The text the analysis reads: headline, standfirst, summary and body.
pub fn full_text(article: &Article) -> String {
    parts(article)
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A part of an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Title,
    /// The standfirst.
    Dek,
    Summary,
    Body,
}

/// Headline, standfirst, summary and body, the parts that exist.
fn parts(article: &Article) -> impl Iterator<Item = (Part, &str)> {
    [
        (Part::Title, Some(article.title.as_str())),
        (Part::Dek, article.dek.as_deref()),
        (Part::Summary, article.summary.as_deref()),
        (Part::Body, Some(article.body_text.as_str())),
    ]
    .into_iter()
    .filter_map(|(part, text)| Some((part, text?)))
}

/// One article after the scan: its content words (ids in its chunk's vocabulary) with the
/// weight of each occurrence, the names it mentions and its body's signature.
#[derive(Debug, Default)]
struct Scanned {
    words: Vec<(u32, f32)>,
    mentions: Vec<Mention>,
    signature: Option<Signature>,
}

/// A chunk of articles after the scan.
struct Chunk {
    vocabulary: Vocabulary,
    articles: Vec<Scanned>,
    search: search_words::Gathered,
}

fn scan_chunk(articles: &[Article], gazetteer: &Gazetteer) -> Chunk {
    let mut scan = ChunkScan::default();
    let scanned = articles
        .iter()
        .map(|article| scan.article(article, gazetteer))
        .collect();
    Chunk {
        vocabulary: scan.vocabulary,
        articles: scanned,
        search: scan.search.finish(),
    }
}

/// What the scan of a chunk keeps from one article to the next.
#[derive(Default)]
struct ChunkScan {
    vocabulary: Vocabulary,
    search: search_words::Collector,
    hashes: BodyHashes,
    buffer: String,
    tokens: Vec<Token>,
}

impl ChunkScan {
    fn article(&mut self, article: &Article, gazetteer: &Gazetteer) -> Scanned {
        let mut found = Scanned::default();
        let mut lead = LEAD_WORDS;
        for (part, text) in parts(article) {
            self.tokens.clear();
            scan::scan(
                text,
                &mut self.vocabulary,
                gazetteer,
                &mut self.buffer,
                &mut self.tokens,
            );
            let (vocabulary, tokens) = (&self.vocabulary, &self.tokens);
            found
                .mentions
                .extend(gazetteer.mentions_in(text, tokens, vocabulary));
            let words = tokens.iter().filter(|t| {
                t.word != u32::MAX && !vocabulary.is(t.word, flag::STOP | flag::NOT_CONTENT)
            });
            for token in words {
                let weight = match (part, lead) {
                    (Part::Title, _) => TITLE_WEIGHT,
                    (_, 0) => 1.0,
                    _ => LEAD_WEIGHT,
                };
                if part != Part::Title {
                    lead = lead.saturating_sub(1);
                }
                found.words.push((token.word, weight));
            }
            let weight = search_words::weight_in(part, article);
            self.search.add(text, tokens, vocabulary, weight);
            if part == Part::Body {
                found.signature = self.hashes.signature(text, tokens, vocabulary);
            }
        }
        self.search.end_article();
        let speakers = article
            .quotes
            .iter()
            .filter_map(|q| gazetteer.speaker(&q.speaker));
        found.mentions.extend(speakers);
        found.mentions = entities::tally(std::mem::take(&mut found.mentions));
        found
    }
}

/// The duplicate finder's word hashes (`duplicates::word_hash`) of a chunk's bodies.
#[derive(Default)]
struct BodyHashes {
    /// The hash of each vocabulary word hashed so far: a plain token's hash is its vocabulary
    /// word's (the hash ignores case), so each distinct word is hashed once.
    of_word: Vec<u64>,
    /// The current body's word hashes, and its shingles.
    words: Vec<u64>,
    shingles: Vec<u64>,
}

impl BodyHashes {
    /// The signature of a body split into `tokens`.
    fn signature(
        &mut self,
        text: &str,
        tokens: &[Token],
        vocabulary: &Vocabulary,
    ) -> Option<Signature> {
        let known = self.of_word.len();
        let new_words = vocabulary.words[known..].iter();
        self.of_word
            .extend(new_words.map(|w| duplicates::word_hash(w)));
        self.words.clear();
        self.words.extend(tokens.iter().map(|t| {
            if t.plain {
                self.of_word[t.word as usize]
            } else {
                duplicates::word_hash(t.text(text))
            }
        }));
        duplicates::signature_of_words(&self.words, &mut self.shingles)
    }
}

/// Analyses every article; `aliases` are the editor's `[entities.aliases]`.
pub fn analyse(articles: &[Article], aliases: &BTreeMap<String, Vec<String>>) -> Analysis {
    let gazetteer = Gazetteer::default();
    let chunks: Vec<Chunk> = articles
        .par_chunks(MIN_CHUNK.max(articles.len() / (4 * rayon::current_num_threads())))
        .map(|chunk| scan_chunk(chunk, &gazetteer))
        .collect();
    // Merged in chunk order, so every word has the same id on every run.
    let mut vocabulary = Vocabulary::default();
    let to_global: Vec<Vec<u32>> = chunks
        .iter()
        .map(|chunk| vocabulary.absorb(&chunk.vocabulary))
        .collect();
    let stems = Stems::of(&vocabulary);
    let of_word = &stems.of_word;
    let mut search = Vec::with_capacity(chunks.len());
    let mut signatures = Vec::with_capacity(articles.len());
    let mut mentions: Vec<Vec<Mention>> = Vec::with_capacity(articles.len());
    let mut chunk_words: Vec<Vec<Terms>> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        search.push(chunk.search);
        let mut words = Vec::with_capacity(chunk.articles.len());
        for scanned in chunk.articles {
            words.push(scanned.words);
            mentions.push(scanned.mentions);
            signatures.push(scanned.signature);
        }
        chunk_words.push(words);
    }
    // The entities are resolved while the words become stems.
    let (resolution, words) = rayon::join(
        || resolve::resolve(mentions, aliases, &gazetteer),
        || -> Vec<Terms> {
            chunk_words
                .into_par_iter()
                .zip(&to_global)
                .flat_map_iter(|(words, map)| {
                    words.into_iter().map(move |terms| {
                        terms
                            .into_iter()
                            .map(|(w, weight)| (of_word[map[w as usize] as usize], weight))
                            .collect()
                    })
                })
                .collect()
        },
    );
    let entity_base = stems.stems.len() as u32;
    let documents: Vec<Vec<(u32, f32)>> = words
        .into_par_iter()
        .enumerate()
        .map(|(i, mut terms)| {
            terms.extend(entity_terms(&resolution, i, entity_base));
            terms
        })
        .collect();
    let term_count = entity_base as usize + resolution.entities.len();
    let text = vectors::tfidf(documents, term_count);
    let entity_documents: Vec<Vec<(u32, f32)>> = (0..articles.len())
        .map(|i| entity_terms(&resolution, i, 0))
        .collect();
    let entities = vectors::tfidf(entity_documents, resolution.entities.len()).vectors;
    let max_postings = (articles.len() / 10).clamp(10, 200);
    let neighbours = vectors::nearest(&text, NEIGHBOURS, max_postings);
    let days: Vec<Option<chrono::NaiveDate>> = articles.par_iter().map(day_of).collect();
    Analysis {
        years: articles
            .par_iter()
            .zip(&days)
            .map(|(article, day)| year_of(article, *day))
            .collect(),
        days,
        surface: stems.surface(&vocabulary, term_count),
        text: TfIdf {
            terms: stems.stems,
            ..text
        },
        gazetteer,
        resolution,
        entities,
        neighbours,
        signatures,
        search,
    }
}

/// The stems of a vocabulary: each distinct content word stemmed once.
struct Stems {
    /// Stem id of each word id (`u32::MAX` for stop words and numbers).
    of_word: Vec<u32>,
    /// Stem text by id, in order of first appearance.
    stems: Vec<String>,
}

impl Stems {
    fn of(vocabulary: &Vocabulary) -> Stems {
        let stemmed: Vec<Option<String>> = vocabulary
            .words
            .par_iter()
            .zip(&vocabulary.flags)
            .map_init(
                || Stemmer::create(Algorithm::English),
                |stemmer, (word, &flags)| {
                    (flags & (flag::STOP | flag::NOT_CONTENT) == 0)
                        .then(|| stemmer.stem(word).into_owned())
                },
            )
            .collect();
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut stems: Vec<String> = Vec::new();
        let of_word = stemmed
            .iter()
            .map(|stem| match stem {
                None => u32::MAX,
                Some(stem) => *ids.entry(stem.as_str()).or_insert_with(|| {
                    stems.push(stem.clone());
                    stems.len() as u32 - 1
                }),
            })
            .collect();
        Stems { of_word, stems }
    }

    /// Stem id → the word written in lower case that stems to it, the most frequent in the
    /// vocabulary's order of first sight; empty where there is none. `len` pads the result.
    fn surface(&self, vocabulary: &Vocabulary, len: usize) -> Vec<String> {
        let mut surface = vec![String::new(); len];
        for (word, &stem) in self.of_word.iter().enumerate() {
            let lower = vocabulary.flags[word] & flag::LOWER_CASE != 0;
            if stem != u32::MAX && lower && surface[stem as usize].is_empty() {
                surface[stem as usize] = vocabulary.words[word].to_string();
            }
        }
        surface
    }
}

/// An article's entities as terms, numbered from `base`.
fn entity_terms(resolution: &Resolution, article: usize, base: u32) -> Vec<(u32, f32)> {
    resolution.per_article[article]
        .iter()
        .map(|(id, count)| (base + id, *count as f32))
        .collect()
}

/// How far into an undated article a dateline may be: a date there dates the article.
const DATELINE_CHARS: usize = 300;

/// The headline and the opening of the body, where imported pages keep their dateline
/// ("December 15th, 2008, 7:35 am").
fn dateline(article: &Article) -> String {
    let body = article.body_text.trim_start();
    let mut end = DATELINE_CHARS.min(body.len());
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n{}", article.title, &body[..end])
}

/// The day an article is about: its date's, else the first whole date on a line of its
/// dateline.
fn day_of(article: &Article) -> Option<chrono::NaiveDate> {
    if let Some(date) = &article.date {
        return Some(date.day());
    }
    dateline(article)
        .lines()
        .filter_map(crate::ingest::header::date)
        .find_map(|day| chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok())
}

/// The year an article is about: its day's, else a year in its dateline. Years further into
/// the text are mostly background ("since 2006") and say nothing about when the story
/// happened.
fn year_of(article: &Article, day: Option<chrono::NaiveDate>) -> Option<i32> {
    if let Some(day) = day {
        return Some(day.year());
    }
    tokens::words(&dateline(article))
        .into_iter()
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| (1900..=2100).contains(y))
}
