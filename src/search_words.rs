//! What the search index finds each article by: its words, each with a weight (the title
//! above the dek, topics and people, those above the body).
//!
//! A search word is a run of letters and digits folded to lower-case ASCII (accents and other
//! scripts transliterated), two to 32 characters, not a stop word (`for_each_word`). An
//! article's text is not split again for it: the analysis' scan, which splits every text once,
//! hands its tokens to a `Collector`. A plain token (ASCII letters and digits) is one search
//! word, the lower case that is already its vocabulary word, so whether it is indexed is
//! decided once per distinct word of a chunk, not once per occurrence; only tokens with an
//! apostrophe or a character outside ASCII go through `for_each_word` (which splits "Trump's"
//! into "trump" and "s", as a query is split). Topics are known only after the analysis, so the
//! index is finished by a stage of its own (`index`): it adds the words of each article's
//! topics and people and turns the per-article lists into postings, word by word. The site
//! keeps the gathered words (`SearchWords`) and `output::search` builds the index from them
//! when it writes the search files, beside the pages, so that the build does not wait for it.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock, PoisonError};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyse::Part;
use crate::analyse::scan::{Token, Vocabulary};
use crate::model::{Article, Topic};

/// Words are indexed from two characters to this many.
const LONGEST_WORD: usize = 32;
/// Words too common to find anything: left out of the index, and ignored in queries.
pub const STOP_WORDS: [&str; 36] = [
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he",
    "her", "his", "in", "is", "it", "its", "not", "of", "on", "or", "she", "that", "the", "their",
    "they", "this", "to", "was", "were", "which", "with", "would",
];

/// How much a word weighs in each part of an article.
const TITLE: u32 = 8;
const DEK: u32 = 4;
const TOPIC: u32 = 3;
const PERSON: u32 = 2;
const BODY: u32 = 1;
/// A word's weight in one article is capped, so that repetition does not swamp the title.
const MOST_WEIGHT: u32 = 40;

/// What each occurrence of a word in a part of `article` adds to the word's weight there: the
/// dek counts, or the summary where there is no dek.
pub fn weight_in(part: Part, article: &Article) -> u32 {
    match part {
        Part::Title => TITLE,
        Part::Dek => DEK,
        Part::Summary if article.dek.is_none() => DEK,
        Part::Summary => 0,
        Part::Body => BODY,
    }
}

/// Distinct words by id, in order of first sight.
#[derive(Debug, Default)]
struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

impl Interner {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        id
    }
}

/// `Collector::of_vocabulary` for a word not asked about yet.
const UNSEEN: u32 = u32::MAX;
/// `Collector::of_vocabulary` for a word the index leaves out.
const LEFT_OUT: u32 = u32::MAX - 1;

/// Gathers the search words of a chunk of articles from the analysis' tokens, one article after
/// another (`add` the tokens of each part, then `end_article`).
#[derive(Debug, Default)]
pub struct Collector {
    words: Interner,
    /// The search word of each vocabulary word met in a plain token: `UNSEEN` until first met,
    /// `LEFT_OUT` for a stop word or a word too short or too long.
    of_vocabulary: Vec<u32>,
    /// The current article's weight for each search word (0: not in it), and the words set.
    weights: Vec<u32>,
    touched: Vec<u32>,
    lists: Lists,
}

impl Collector {
    /// Adds the words of `tokens`, found in `text`, each occurrence weighing `weight`.
    pub fn add(&mut self, text: &str, tokens: &[Token], vocabulary: &Vocabulary, weight: u32) {
        if weight == 0 {
            return;
        }
        for token in tokens {
            if token.plain {
                let id = self.of_plain(token.word, vocabulary);
                if id != LEFT_OUT {
                    self.add_word(id, weight);
                }
            } else {
                for_each_word(token.text(text), |word| {
                    let id = self.words.intern(&word);
                    self.add_word(id, weight);
                });
            }
        }
    }

    /// The search word of a plain token's vocabulary word: the word itself, unless left out.
    fn of_plain(&mut self, word: u32, vocabulary: &Vocabulary) -> u32 {
        let index = word as usize;
        if index >= self.of_vocabulary.len() {
            self.of_vocabulary.resize(index + 1, UNSEEN);
        }
        if self.of_vocabulary[index] == UNSEEN {
            let folded = &vocabulary.words[index];
            self.of_vocabulary[index] = if is_kept(folded) {
                self.words.intern(folded)
            } else {
                LEFT_OUT
            };
        }
        self.of_vocabulary[index]
    }

    fn add_word(&mut self, id: u32, weight: u32) {
        let index = id as usize;
        if index >= self.weights.len() {
            self.weights.resize(index + 1, 0);
        }
        if self.weights[index] == 0 {
            self.touched.push(id);
        }
        self.weights[index] = (self.weights[index] + weight).min(MOST_WEIGHT);
    }

    /// Closes the current article: its words and weights join the chunk's lists.
    pub fn end_article(&mut self) {
        for &id in &self.touched {
            let weight = std::mem::take(&mut self.weights[id as usize]);
            self.lists.words.push(id);
            // Capped at `MOST_WEIGHT`, so a byte holds it.
            self.lists.weights.push(weight as u8);
        }
        self.touched.clear();
        self.lists.ends.push(self.lists.words.len());
    }

    /// The chunk's words and per-article lists, for `index`.
    pub fn finish(self) -> Gathered {
        Gathered {
            words: self.words.words,
            lists: self.lists,
        }
    }
}

/// Each article's words (ids) with their weights, one article after another: a byte and a
/// number per word and article, nothing per article but where its list ends.
#[derive(Debug, Clone, Default)]
struct Lists {
    words: Vec<u32>,
    weights: Vec<u8>,
    ends: Vec<usize>,
}

impl Lists {
    /// Article `n`'s words and weights.
    fn of(&self, n: usize) -> (&[u32], &[u8]) {
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        let end = self.ends[n];
        (&self.words[start..end], &self.weights[start..end])
    }
}

/// The search words of a chunk of articles as the analysis gathered them.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    /// The chunk's search words by id.
    words: Vec<Box<str>>,
    lists: Lists,
}

/// The search index: every word with the articles that hold it and its weight in each.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// The words, sorted.
    words: Vec<Box<str>>,
    /// Where each word's postings start in `articles` and `weights`, and where the last ends.
    starts: Vec<usize>,
    /// Article ids, ascending within each word.
    articles: Vec<u32>,
    weights: Vec<u8>,
}

impl SearchIndex {
    /// Each word in order, with the articles holding it (ascending) and its weight in each.
    pub fn postings(&self) -> impl Iterator<Item = (&str, &[u32], &[u8])> {
        self.words.iter().enumerate().map(|(i, word)| {
            let range = self.starts[i]..self.starts[i + 1];
            (&**word, &self.articles[range.clone()], &self.weights[range])
        })
    }

    /// An index of the given words, sorted, and postings, for tests.
    #[cfg(test)]
    pub fn from_postings(mut postings: Vec<(&str, Vec<(u32, u8)>)>) -> SearchIndex {
        postings.sort_by(|a, b| a.0.cmp(b.0));
        let mut index = SearchIndex {
            starts: vec![0],
            ..SearchIndex::default()
        };
        for (word, list) in postings {
            index.words.push(word.into());
            for (article, weight) in list {
                index.articles.push(article);
                index.weights.push(weight);
            }
            index.starts.push(index.articles.len());
        }
        index
    }
}

/// The search words of every article as the analysis gathered them, and the index built from
/// them on first use (`index`), which consumes them.
#[derive(Debug, Default)]
pub struct SearchWords {
    gathered: Mutex<Vec<Gathered>>,
    index: OnceLock<SearchIndex>,
}

impl SearchWords {
    /// The words of `chunks`, in article order.
    pub fn new(chunks: Vec<Gathered>) -> SearchWords {
        SearchWords {
            gathered: Mutex::new(chunks),
            index: OnceLock::new(),
        }
    }

    /// The index of these words, built the first time (see `index`): `articles` and `topics`
    /// must be those the words were gathered from.
    pub fn index(&self, articles: &[Article], topics: &[Topic]) -> &SearchIndex {
        self.index.get_or_init(|| {
            let chunks = std::mem::take(&mut *self.gathered());
            index(chunks, articles, topics)
        })
    }

    fn gathered(&self) -> std::sync::MutexGuard<'_, Vec<Gathered>> {
        self.gathered.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clone for SearchWords {
    fn clone(&self) -> SearchWords {
        SearchWords {
            gathered: Mutex::new(self.gathered().clone()),
            index: self.index.clone(),
        }
    }
}

/// Builds the search index from the words the analysis gathered (`chunks`, in article order),
/// adding the words of each article's topics and people.
pub fn index(chunks: Vec<Gathered>, articles: &[Article], topics: &[Topic]) -> SearchIndex {
    let mut words = Interner::default();
    let to_global: Vec<Vec<u32>> = chunks
        .iter()
        .map(|chunk| chunk.words.iter().map(|w| words.intern(w)).collect())
        .collect();
    let extra = extra_words(articles, topics, &mut words);
    let words = words.words;
    // Twice through the lists: count each word's postings, then fill them in place.
    let mut counts = vec![0usize; words.len()];
    let mut merge = Merge::new(words.len());
    let mut article = 0;
    for (chunk, map) in chunks.iter().zip(&to_global) {
        for n in 0..chunk.lists.ends.len() {
            merge.article(chunk.lists.of(n), map, &extra[article], |word, _| {
                counts[word as usize] += 1;
            });
            article += 1;
        }
    }
    let mut order: Vec<u32> = (0..words.len() as u32)
        .filter(|&w| counts[w as usize] > 0)
        .collect();
    order.sort_unstable_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
    // The next free place of each word's postings, by word id; `starts` by place in `order`.
    let mut next = vec![0usize; words.len()];
    let mut starts = Vec::with_capacity(order.len() + 1);
    let mut total = 0;
    for &w in &order {
        starts.push(total);
        next[w as usize] = total;
        total += counts[w as usize];
    }
    starts.push(total);
    drop(counts);
    let mut index = SearchIndex {
        words: Vec::new(),
        starts,
        articles: vec![0; total],
        weights: vec![0; total],
    };
    let mut article = 0;
    // The lists are dropped chunk by chunk as the postings fill.
    for (chunk, map) in chunks.into_iter().zip(&to_global) {
        for n in 0..chunk.lists.ends.len() {
            merge.article(chunk.lists.of(n), map, &extra[article], |word, weight| {
                let at = &mut next[word as usize];
                index.articles[*at] = article as u32;
                index.weights[*at] = weight;
                *at += 1;
            });
            article += 1;
        }
    }
    let mut words: Vec<Option<Box<str>>> = words.into_iter().map(Some).collect();
    index.words = order
        .iter()
        .filter_map(|&w| words[w as usize].take())
        .collect();
    index
}

/// Joins an article's gathered list with its topic and people words.
struct Merge {
    /// The extra weight of each word for the article at hand (0 for most).
    extra: Vec<u32>,
}

impl Merge {
    fn new(words: usize) -> Merge {
        Merge {
            extra: vec![0; words],
        }
    }

    /// Calls `found(word, weight)` once for each word of an article: its `gathered` list (ids
    /// mapped by `map`) and its `extra` words (global ids, repeats summed).
    fn article(
        &mut self,
        (gathered, weights): (&[u32], &[u8]),
        map: &[u32],
        extra: &[(u32, u32)],
        mut found: impl FnMut(u32, u8),
    ) {
        for &(word, weight) in extra {
            self.extra[word as usize] += weight;
        }
        for (&id, &weight) in gathered.iter().zip(weights) {
            let word = map[id as usize];
            let extra = std::mem::take(&mut self.extra[word as usize]);
            found(word, capped(u32::from(weight) + extra));
        }
        for &(word, _) in extra {
            let weight = std::mem::take(&mut self.extra[word as usize]);
            if weight > 0 {
                found(word, capped(weight));
            }
        }
    }
}

fn capped(weight: u32) -> u8 {
    // `MOST_WEIGHT` fits in a byte.
    weight.min(MOST_WEIGHT) as u8
}

/// The words of each article's topics and people as (global id, weight); a word may come more
/// than once.
fn extra_words(
    articles: &[Article],
    topics: &[Topic],
    words: &mut Interner,
) -> Vec<Vec<(u32, u32)>> {
    let mut names: Vec<Vec<&str>> = vec![Vec::new(); articles.len()];
    for topic in topics {
        for id in &topic.articles {
            if let Some(list) = names.get_mut(id.index()) {
                list.push(&topic.name);
            }
        }
    }
    let found: Vec<Vec<(String, u32)>> = articles
        .par_iter()
        .zip(&names)
        .map(|(article, topics)| {
            let mut found = Vec::new();
            for topic in topics {
                for_each_word(topic, |w| found.push((w.into_owned(), TOPIC)));
            }
            for person in people(article) {
                for_each_word(&person, |w| found.push((w.into_owned(), PERSON)));
            }
            found
        })
        .collect();
    found
        .into_iter()
        .map(|list| {
            list.iter()
                .map(|(word, weight)| (words.intern(word), *weight))
                .collect()
        })
        .collect()
}

/// Whether the index keeps a word already in its form (lower-case ASCII letters and digits).
fn is_kept(word: &str) -> bool {
    (2..=LONGEST_WORD).contains(&word.len()) && !is_stop_word(word)
}

/// Calls `f` with each word of `text` as the index holds it: lower-case ASCII letters and
/// digits (accents and other scripts transliterated), two to 32 characters, without stop
/// words. Words already in that form are borrowed from `text`.
pub fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 2 {
            continue;
        }
        if word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            if is_kept(word) {
                f(Cow::Borrowed(word));
            }
            continue;
        }
        let folded = if word.is_ascii() {
            word.to_ascii_lowercase()
        } else {
            deunicode::deunicode(word).to_ascii_lowercase()
        };
        // Transliteration may give several words ("Bei Jing").
        for part in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
            if is_kept(part) {
                f(Cow::Owned(part.to_string()));
            }
        }
    }
}

fn is_stop_word(word: &str) -> bool {
    // Every word of every article asks, so compare numbers, not strings: a word of at most
    // eight bytes is one `u64`.
    word.len() <= 8 && STOP_KEYS.contains(&word_key(word.as_bytes()))
}

/// The stop words as `word_key`s.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = word_key(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// The bytes of a word of at most eight bytes as one number (distinct for distinct words, as
/// words hold no zero byte).
const fn word_key(bytes: &[u8]) -> u64 {
    let mut key = 0;
    let mut i = 0;
    while i < bytes.len() {
        key = key << 8 | bytes[i] as u64;
        i += 1;
    }
    key
}

/// The people an article is about, as far as the model knows them: who it quotes, its tags, and
/// the other spellings of the transliterated names in its text.
fn people(article: &Article) -> BTreeSet<String> {
    let mut people: BTreeSet<String> = article
        .quotes
        .iter()
        .map(|q| q.speaker.trim())
        .chain(article.tags.iter().map(|t| t.trim()))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let names = people
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    for text in [names.as_str(), &article.title, &article.body_text] {
        people.extend(spelling_variants(text));
    }
    people
}

/// How one Slavic surname ending (-ський, -ский) is spelled in English text.
const SURNAME_ENDINGS: [&str; 6] = ["skyy", "skyi", "skiy", "skii", "sky", "ski"];

/// The other spelling of each transliterated surname in `text`: "Zelenskyy" and the rest become
/// "Zelensky", and "Zelensky" becomes "Zelenskyy", so that a reader who types either finds
/// both (a prefix finds only the longer spellings).
pub fn spelling_variants(text: &str) -> BTreeSet<String> {
    let mut variants = BTreeSet::new();
    // Every ending holds "sk": look only at the words around one, not at every word (found
    // with memchr's vectorised search: this reads every article's whole body).
    let mut word_end = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), b"sk") {
        if at < word_end {
            continue;
        }
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(at, |(i, _)| i);
        word_end = text[at..]
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(text.len(), |(i, _)| at + i);
        let word = &text[start..word_end];
        if !word.starts_with(char::is_uppercase) || word.chars().count() < 6 {
            continue;
        }
        let Some(stem) = SURNAME_ENDINGS.iter().find_map(|e| word.strip_suffix(e)) else {
            continue;
        };
        let other = if word.ends_with("sky") { "skyy" } else { "sky" };
        variants.insert(format!("{stem}{other}"));
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Quote;
    use std::collections::BTreeMap;

    #[test]
    fn transliterated_surnames_get_their_other_spellings() {
        let variants = spelling_variants("Volodymyr Zelenskyy met Mr. Ski and a skiing sky.");
        assert_eq!(variants, BTreeSet::from(["Zelensky".to_string()]));
        let variants = spelling_variants("Zelensky and Dostoevskii");
        let expected = ["Dostoevsky".to_string(), "Zelenskyy".to_string()];
        assert_eq!(variants, BTreeSet::from(expected));
        assert!(spelling_variants("Nothing to see here").is_empty());
    }

    #[test]
    fn stop_words_are_short_enough_for_their_lookup() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 8));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for word in ["ukraine", "then", "a", "the1", "andand", "thethethe", ""] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn words_are_folded_to_ascii_without_stop_words() {
        let mut found = Vec::new();
        for_each_word("The Élysée, Zürich & 2025: a to-do of Kyiv's", |w| {
            found.push(w.into_owned());
        });
        assert_eq!(found, ["elysee", "zurich", "2025", "do", "kyiv"]);
    }

    /// The topics of `index_of`: the first article in "Ukraine talks".
    fn ukraine_talks() -> [Topic; 1] {
        [Topic {
            name: "Ukraine talks".into(),
            slug: "ukraine-talks".into(),
            description: String::new(),
            kind: crate::model::TopicKind::Configured,
            articles: vec![crate::model::ArticleId(0)],
        }]
    }

    /// The index of `articles`, the first in topic "Ukraine talks", through the analysis' scan.
    fn index_of(articles: &[Article]) -> SearchIndex {
        let analysis = crate::analyse::analyse(articles, &Default::default());
        index(analysis.search, articles, &ukraine_talks())
    }

    #[test]
    fn the_site_builds_its_index_once_from_the_gathered_words() {
        let articles = [Article {
            title: "Talks stall".into(),
            body_text: "Envoys left Geneva.".into(),
            ..Article::default()
        }];
        let words =
            SearchWords::new(crate::analyse::analyse(&articles, &Default::default()).search);
        let copy_before = words.clone();
        let first = postings(words.index(&articles, &ukraine_talks()));
        assert_eq!(first, postings(&index_of(&articles)));
        assert!(first.contains_key("geneva") && first.contains_key("ukraine"));
        // A second call and copies made before or after the index was built give the same.
        assert_eq!(postings(words.index(&articles, &ukraine_talks())), first);
        assert_eq!(
            postings(words.clone().index(&articles, &ukraine_talks())),
            first
        );
        assert_eq!(
            postings(copy_before.index(&articles, &ukraine_talks())),
            first
        );
    }

    /// Each word with its (article, weight) pairs.
    fn postings(index: &SearchIndex) -> BTreeMap<String, Vec<(u32, u8)>> {
        index
            .postings()
            .map(|(word, articles, weights)| {
                let pairs = articles.iter().copied().zip(weights.iter().copied());
                (word.to_string(), pairs.collect())
            })
            .collect()
    }

    #[test]
    fn the_title_weighs_more_than_the_body_and_people_are_searchable() {
        let article = Article {
            title: "Talks stall".into(),
            tags: vec!["Donald Trump".into()],
            quotes: vec![Quote {
                speaker: "Zelenskyy".into(),
                ..Quote::default()
            }],
            summary: Some("Not indexed: the dek is".into()),
            dek: Some("Envoys left".into()),
            body_text: "The talks went on.".into(),
            ..Article::default()
        };
        let weights = postings(&index_of(&[article]));
        assert_eq!(weights["talks"], [(0, (TITLE + TOPIC + BODY) as u8)]);
        assert_eq!(weights["went"], [(0, BODY as u8)]);
        assert_eq!(weights["envoys"], [(0, DEK as u8)]);
        assert_eq!(weights["zelensky"], [(0, PERSON as u8)]);
        assert_eq!(weights["trump"], [(0, PERSON as u8)]);
        assert_eq!(weights["ukraine"], [(0, TOPIC as u8)]);
        assert!(!weights.contains_key("the"));
        assert!(!weights.contains_key("indexed"));
    }

    /// What the index held before it took the analysis' tokens: every text split by
    /// `for_each_word` whole. The index must hold the same.
    fn split_whole(article: &Article, topics: &[&str]) -> BTreeMap<String, u32> {
        let mut weights: BTreeMap<String, u32> = BTreeMap::new();
        let mut add = |word: Cow<'_, str>, weight: u32| {
            let total = weights.entry(word.into_owned()).or_default();
            *total = (*total + weight).min(MOST_WEIGHT);
        };
        for_each_word(&article.title, |w| add(w, TITLE));
        if let Some(dek) = article.dek.as_deref().or(article.summary.as_deref()) {
            for_each_word(dek, |w| add(w, DEK));
        }
        for topic in topics {
            for_each_word(topic, |w| add(w, TOPIC));
        }
        for person in people(article) {
            for_each_word(&person, |w| add(w, PERSON));
        }
        for_each_word(&article.body_text, |w| add(w, BODY));
        weights
    }

    #[test]
    fn words_from_tokens_are_the_words_of_the_whole_texts() {
        let texts = [
            "Trump's talks, don't o'clock rock’n’roll Müller's MÜLLER 北京 Zelenskyy's",
            "talks talks talks TALKS Talks’ the of 'quoted' x 2025 a1 \
             Supercalifragilisticexpialidociousandmoreletters1234 Ünïcödé Straße",
            "",
        ];
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| Article {
                title: format!("Title {i}: {}", &text[..text.len().min(12)]),
                summary: (i == 1).then(|| "Summary's words".to_string()),
                body_text: text.repeat(i + 1),
                ..Article::default()
            })
            .collect();
        let index = postings(&index_of(&articles));
        let mut expected: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
        for (id, article) in articles.iter().enumerate() {
            let topics: &[&str] = if id == 0 { &["Ukraine talks"] } else { &[] };
            for (word, weight) in split_whole(article, topics) {
                expected
                    .entry(word)
                    .or_default()
                    .push((id as u32, weight as u8));
            }
        }
        assert_eq!(index, expected);
    }
}
